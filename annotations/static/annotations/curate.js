/*
 * Curation on the annotate screen: the curator's side-by-side table (a server-rendered form posted to
 * the curation service) joined to the text. Every passage of the table is marked in the article as
 * agreed or disagreed (drawn and labelled, not by colour alone); a row in focus marks its passage as the
 * current one; j and k move to the next and previous disagreement; taking a version fills the row's edit
 * field with its tags, so an edit starts from that version. An edit may also move the passage's bounds
 * (start and end, in code points of the article's text, as the service counts them): the words between
 * them are shown live beside the fields, and changing a bound chooses the edit.
 *
 * The passages are found through the layer annotations the annotate screen draws (data-items "a<id>"),
 * so no offset is converted here. The screen redraws the article after a change: the marks follow.
 */
(() => {
  "use strict";

  const source = document.getElementById("annotate-data");
  const form = document.getElementById("curation-form");
  const article = document.getElementById("annotate-article");
  if (!source || !form || !article) return;
  const data = JSON.parse(source.textContent);
  const curation = data.curation;
  if (!curation) return;
  // Code points, not UTF-16 units: the offsets the service checks.
  const points = Array.from((data.article && data.article.text) || "");

  const rows = [...form.querySelectorAll("tr.curation-unit")];
  let current = null;

  function segmentsOf(index) {
    const unit = curation.units[index];
    if (!unit) return [];
    const selector = unit.sources.map((id) => `.seg[data-items~="a${Number(id)}"]`).join(", ");
    return selector ? [...article.querySelectorAll(selector)] : [];
  }

  function mark() {
    curation.units.forEach((unit, index) => {
      const found = segmentsOf(index);
      found.forEach((segment, at) => {
        segment.classList.add(unit.agreed ? "cur-agreed" : "cur-disagreed");
        segment.classList.toggle("cur-current", index === current);
        segment.classList.toggle("cur-end", at === found.length - 1);
        segment.dataset.curationUnit = String(index);
      });
    });
  }

  function show(index) {
    current = index;
    mark();
    const first = segmentsOf(index)[0];
    if (first) first.scrollIntoView({ block: "nearest" });
  }

  // Redraws replace the article's children; marking changes only classes, so this does not loop.
  new MutationObserver(mark).observe(article, { childList: true });
  mark();

  form.addEventListener("focusin", (event) => {
    const row = event.target instanceof Element ? event.target.closest("tr.curation-unit") : null;
    if (row) show(Number(row.dataset.unit));
  });

  form.addEventListener("change", (event) => {
    const input = event.target;
    if (!(input instanceof HTMLInputElement) || input.type !== "radio" || !input.value.startsWith("take:")) return;
    const row = input.closest("tr.curation-unit");
    const unit = curation.units[Number(row.dataset.unit)];
    const tags = row.querySelector("input.curation-tags");
    if (unit && tags) tags.value = (unit.layers[input.value.slice(5)] || []).join(" ");
  });

  // The words between a row's bounds, or why there are none.
  function showWords(row) {
    const start = row.querySelector("input.curation-start");
    const end = row.querySelector("input.curation-end");
    const words = row.querySelector("output.curation-words");
    if (!start || !end || !words) return;
    const from = Number(start.value);
    const to = Number(end.value);
    if (start.value === "" || end.value === "" || !Number.isInteger(from) || !Number.isInteger(to)) {
      words.textContent = "start and end must be whole numbers";
    } else if (from < 0 || to > points.length) {
      words.textContent = `outside the text (0 to ${points.length})`;
    } else if (from >= to) {
      words.textContent = "end must be after start";
    } else {
      words.textContent = `“${points.slice(from, to).join("")}”`;
    }
  }

  // An edit starts when its field is written in: its tags or its bounds.
  form.addEventListener("input", (event) => {
    const field = event.target;
    if (!(field instanceof HTMLInputElement)) return;
    const bound = field.classList.contains("curation-start") || field.classList.contains("curation-end");
    if (bound) showWords(field.closest("tr.curation-unit"));
    if (!bound && !field.classList.contains("curation-tags")) return;
    const edit = field.closest("tr.curation-unit").querySelector('input[type="radio"][value="edit"]');
    if (edit) edit.checked = true;
  });

  function focusRow(row) {
    const chosen = row.querySelector('input[type="radio"]:checked') || row.querySelector('input[type="radio"]');
    if (chosen) chosen.focus();
  }

  form.addEventListener("keydown", (event) => {
    if (event.key !== "j" && event.key !== "k") return;
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    if (event.target instanceof HTMLInputElement && ["text", "number"].includes(event.target.type)) return;
    const row = event.target instanceof Element ? event.target.closest("tr.curation-unit") : null;
    const at = row ? rows.indexOf(row) : -1;
    const step = event.key === "j" ? 1 : -1;
    for (let index = at + step; index >= 0 && index < rows.length; index += step) {
      if (rows[index].classList.contains("disagreed")) {
        event.preventDefault();
        focusRow(rows[index]);
        return;
      }
    }
  });

  // A marked passage in the text leads to its row.
  article.addEventListener("dblclick", (event) => {
    const segment = event.target instanceof Element ? event.target.closest(".seg[data-curation-unit]") : null;
    if (segment) focusRow(rows[Number(segment.dataset.curationUnit)]);
  });

  form.dataset.ready = "true";
})();
