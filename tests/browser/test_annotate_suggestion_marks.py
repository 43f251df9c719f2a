"""Check-worthy sentences are marked in the article text, in Chromium: a mark that is not a colour alone
(a dashed line and a "check?" label), described with its score and reasons; J and K reach it, and C makes
it a claim or X dismisses it from the text as from the list; a click opens the same choice."""

from __future__ import annotations

import pytest

from annotations.models import CheckWorthyDismissal, Claim
from tests.browser.test_accessibility import _assert_no_serious_violations
from tests.browser.test_annotate_claims import EUROS, FERRY, JOBS, desk  # noqa: F401 (a fixture)

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _marked(page) -> list[str]:
    """The marked sentences, each the joined text of its marked segments."""
    return page.evaluate(
        """() => {
          const found = new Map();
          for (const segment of document.querySelectorAll('.seg.hl-suggestion')) {
            const key = segment.getAttribute('aria-description');
            found.set(key, (found.get(key) || '') + segment.textContent);
          }
          return [...found.values()];
        }"""
    )


def _step_to(page, words: str) -> None:
    """J (then K) from the caret until the keyboard is on the marked sentence with ``words``."""
    page.locator("#annotate-article").focus()
    status = page.locator("#annotate-root > p.visually-hidden[role=status]")
    for key in ("j", "k"):
        for _ in range(40):
            page.keyboard.press(key)
            said = status.inner_text()
            if said.startswith("check-worthy") and words in said:
                return
            if said.startswith("No highlight"):
                break
    raise AssertionError(f"J and K never reached the marked sentence with {words!r}")


def test_suggestions_are_marked_in_the_text_and_taken_or_dismissed_there(annotate_page, editor, desk):  # noqa: F811
    _, article = desk
    page = annotate_page(editor, article)
    page.locator(".seg.hl-suggestion").first.wait_for()
    assert sorted(_marked(page)) == sorted([FERRY, EUROS, JOBS])

    # Not a colour alone: a dashed line over the text and a label before it (hidden from screen
    # readers, which read the description instead).
    segment = page.locator(".seg.hl-suggestion", has_text="Ferry traffic").first
    style = segment.evaluate(
        "s => [getComputedStyle(s).textDecorationLine, getComputedStyle(s).textDecorationStyle]"
    )
    assert style == ["overline", "dashed"], style
    label = page.locator(".suggestion-label")
    assert label.count() == 3
    assert label.first.get_attribute("aria-hidden") == "true"
    assert label.first.evaluate("l => getComputedStyle(l, '::before').content") == '"check?"'
    description = segment.get_attribute("aria-description")
    assert description.startswith("check-worthy, score ") and "C makes it a claim" in description
    assert segment.get_attribute("title").startswith("check-worthy, score ")
    reasons = page.evaluate(
        "() => JSON.parse(document.getElementById('annotate-data').textContent).suggestions"
        ".find(s => s.text.startsWith('Ferry')).reasons"
    )
    assert reasons and all(reason in description for reason in reasons)
    _assert_no_serious_violations(page)

    # X on the marked sentence dismisses it: the mark and the list item go, the dismissal is kept, and
    # the keyboard stays in the text.
    _step_to(page, "Ferry traffic")
    page.keyboard.press("x")
    page.locator(".seg.hl-suggestion", has_text="Ferry traffic").first.wait_for(state="detached")
    assert page.locator(".side-suggestion", has_text="Ferry traffic").count() == 0
    assert CheckWorthyDismissal.objects.get(article=article).text == FERRY
    assert page.evaluate("document.activeElement.id") == "annotate-article"

    # C on the marked sentence makes it a claim: a span annotation tagged "claim", and the claim.
    _step_to(page, "4.2 million euros")
    page.keyboard.press("c")
    page.locator(".side-claim", has_text="4.2 million euros").wait_for()
    claim = Claim.objects.get(article=article)
    assert claim.text == EUROS and claim.annotation.exact == EUROS
    assert [t.slug for t in claim.annotation.tags.all()] == ["claim"]
    assert sorted(_marked(page)) == [JOBS]
    assert page.evaluate("document.activeElement.id") == "annotate-article"

    # A click on the marked sentence offers the same two choices, with the score and reasons.
    page.locator(".seg.hl-suggestion", has_text="12 percent").first.click()
    card = page.locator(".annotate-popover .card-suggestion")
    card.wait_for()
    assert "score " in card.inner_text()
    card.locator(".suggestion-dismiss").click()
    page.locator(".seg.hl-suggestion").first.wait_for(state="detached")
    assert CheckWorthyDismissal.objects.filter(article=article).count() == 2

    # Kept across a reload: nothing left to mark.
    page.reload()
    page.wait_for_selector("#annotate-root[data-ready=true]")
    assert _marked(page) == []
    assert page.script_errors == []
