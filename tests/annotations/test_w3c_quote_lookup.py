"""The W3C TextQuoteSelector lookup stays linear in the article: it steps from one occurrence of ``exact`` to
the next, scores each on a bounded window of context, and gives up with a clear error past a cap of
candidates. The work is counted in candidate checks, not timed."""

from __future__ import annotations

import pytest

from annotations import w3c

BIG = "word " * 400_000  # 2,000,000 characters, 400,000 spaces


@pytest.fixture
def checks(monkeypatch) -> list[int]:
    """Every candidate the lookup scores, by its offset."""
    seen: list[int] = []
    score = w3c._context_score

    def counting(text, start, end, prefix, suffix):
        seen.append(start)
        return score(text, start, end, prefix, suffix)

    monkeypatch.setattr(w3c, "_context_score", counting)
    return seen


def test_an_exact_that_occurs_too_often_is_refused_after_the_cap(checks):
    with pytest.raises(w3c.W3CError) as refused:
        w3c.quote_locate(BIG, exact=" ")
    assert refused.value.field == "target.selector"
    message = str(refused.value)
    assert f"more than {w3c.MAX_QUOTE_CANDIDATES} places" in message
    assert "prefix" in message and "suffix" in message and "TextPositionSelector" in message
    assert len(checks) <= w3c.MAX_QUOTE_CANDIDATES


def test_a_common_exact_with_its_context_is_found_without_scoring_every_occurrence(checks):
    text = BIG + "the harbour repairs cost more " + BIG
    start = len(BIG) + len("the ")
    found = w3c.quote_locate(text, exact="harbour", prefix="the ", suffix=" repairs")
    assert found == (start, start + len("harbour"))
    after = len(BIG) + len("the harbour repairs cost more ")
    assert w3c.quote_locate(text, exact="word", prefix="more ", suffix=" word") == (after, after + 4)
    assert checks == []  # the whole context was found at once


def test_context_longer_than_the_window_is_compared_on_the_window(checks):
    prefix = "x" * 1_000_000 + "the "
    text = "a harbour, the harbour"
    assert w3c.quote_locate(text, exact="harbour", prefix=prefix) == (15, 22)
    assert len(checks) <= 2


def test_the_best_context_wins_when_none_matches_whole():
    text = "the old harbour wall; a new harbour gate; the new harbour wall"
    # "new " before and " wall" after: only the last has both; "ew " + " wa" beats either alone.
    assert w3c.quote_locate(text, exact="harbour", prefix="a new ", suffix=" walls") == (50, 57)
    assert w3c.quote_locate(text, exact="harbour", prefix="a new ", suffix=" gates") == (28, 35)
    assert w3c.quote_locate(text, exact="harbour") == (8, 15)
    assert w3c.quote_locate(text, exact="pier") is None
