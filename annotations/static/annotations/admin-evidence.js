/* The fact-check form's evidence rows: "Add a source" copies the empty last row (the form works without it). */
(() => {
  "use strict";
  function enhance(editor) {
    const rows = editor.querySelector(".evidence-rows");
    const total = editor.querySelector(".evidence-total");
    const add = document.createElement("button");
    add.type = "button";
    add.className = "button evidence-add";
    add.textContent = "Add a source";
    add.addEventListener("click", () => {
      const template = rows.lastElementChild;
      const index = Number(total.value);
      const row = template.cloneNode(true);
      for (const input of row.querySelectorAll("input")) {
        input.name = input.name.replace(/-\d+-/, `-${index}-`);
        input.value = "";
        input.checked = false;
      }
      row.querySelector(".evidence-number").textContent = `Source ${index + 1} (new)`;
      rows.append(row);
      total.value = String(index + 1);
      row.querySelector(".evidence-url").focus();
    });
    editor.append(add);
  }
  document.addEventListener("DOMContentLoaded", () => document.querySelectorAll(".admin-evidence").forEach(enhance));
})();
