"""What the browser tests share besides fixtures: scripts run in the page."""

from __future__ import annotations

# Astral emoji (two UTF-16 units), a ZWJ sequence, Hangul and the seed corpus's spam token.
UNICODE_BODY = (
    "Harbour 🌊 repairs: council says 네 to the plan\n"
    "The council 👩‍👩‍👧 voted on Tuesday to spend 😀 more on the harbour 🚢 and its 부두 wall.\n"
    '"We cannot wait another winter 🥶," said council chair Helena Vasquez.\n'
    "Opponents called the plan rushed at 토토사이트 study session 😀 last week.\n"
)

# Selects a passage the way a person would end up with it: a DOM Range over the rendered text nodes
# (found by their text alone), then the mouseup that ends a drag.
SELECT_PASSAGE = """
(passage) => {
  const article = document.getElementById("annotate-article");
  for (const paragraph of article.querySelectorAll(".para-text")) {
    const walker = document.createTreeWalker(paragraph, NodeFilter.SHOW_TEXT);
    const nodes = [];
    let joined = "";
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      nodes.push([node, joined.length]);
      joined += node.data;
    }
    const at = joined.indexOf(passage);
    if (at < 0) continue;
    const locate = (offset, isEnd) => {
      for (const [node, from] of nodes) {
        const to = from + node.data.length;
        if (isEnd ? offset <= to : offset < to) return [node, offset - from];
      }
    };
    const range = document.createRange();
    range.setStart(...locate(at, false));
    range.setEnd(...locate(at + passage.length, true));
    const selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    const box = range.getBoundingClientRect();
    article.dispatchEvent(new MouseEvent("mouseup", {bubbles: true, clientX: box.right, clientY: box.bottom}));
    return selection.toString();
  }
  throw new Error("passage not rendered: " + passage);
}
"""

HIGHLIGHT_TEXT = """
(key) => [...document.querySelectorAll(`#annotate-article .seg[data-items~="${key}"]`)]
  .map((segment) => segment.textContent).join("")
"""
