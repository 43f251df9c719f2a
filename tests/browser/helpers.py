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


def assert_no_injected_script_ran(page) -> None:
    """Markup in stored text must stay inert. An ``<img src=x onerror=...>`` that the page had turned into an
    element would fire its error handler once the failed load comes back; rather than sleeping and hoping
    that was long enough, a control image with the same kind of source is added now and waited for: its
    error arrives after that of any image the page made earlier, so once it fired, an injected one would
    have fired too."""
    page.evaluate(
        """() => {
          window.__control = 0;
          const probe = document.createElement("img");
          probe.onerror = () => { window.__control = 1; };
          probe.src = "x";
          probe.id = "xss-probe";
          probe.hidden = true;
          document.body.append(probe);
        }"""
    )
    page.wait_for_function("window.__control === 1")
    page.evaluate("document.getElementById('xss-probe').remove()")
    assert page.evaluate("typeof window.__xss") == "undefined"


def leave_and_refuse(page, leave) -> list[str]:
    """Leave the page with a note half written (``leave()`` clicks what leaves), dismiss the question the
    page asks, and check that the page stays: the questions asked, by type.

    Nothing is slept: the question is waited for, then a control request is made from the page and its
    answer awaited. A navigation let through would have sent its request before the control's answer
    came back (and the page running the control would be gone), so none seen by then means none sent."""
    asked: list[str] = []
    navigations: list[str] = []

    def dismiss(dialog) -> None:
        asked.append(dialog.type)
        dialog.dismiss()

    def record(request) -> None:
        if request.is_navigation_request() and request.frame == page.main_frame:
            navigations.append(request.url)

    page.on("dialog", dismiss)
    page.on("request", record)
    try:
        with page.expect_event("dialog"):
            leave()
        assert page.evaluate("() => fetch('/healthz').then((response) => response.status)") == 200
    finally:
        page.remove_listener("request", record)
        page.remove_listener("dialog", dismiss)
    assert navigations == [], navigations
    return asked
