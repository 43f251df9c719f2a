"""Re-anchoring lands on the same words or gives up; it never lands on other words."""

from __future__ import annotations

import pytest

from corpus.anchoring import PositionMap, reanchor
from corpus.spans import span_context

OLD = (
    "Harbour repairs approved\n\n"
    "The city council voted on Tuesday to spend more on the harbour.\n\n"
    '"We cannot wait another winter," said council chair Helena Vasquez. 🌊 항구 수리\n\n'
    "Opponents said the plan was rushed and that the harbour was not the priority.\n\n"
    "The vote was seven to four."
)


def _anchor(old: str, new: str, passage: str, occurrence: int = 0):
    start = -1
    for _ in range(occurrence + 1):
        start = old.index(passage, start + 1)
    end = start + len(passage)
    prefix, suffix = span_context(text=old, start=start, end=end)
    return reanchor(
        old_text=old, new_text=new, start=start, end=end, exact=passage, prefix=prefix, suffix=suffix
    )


PASSAGES = ["spend more on the harbour", "We cannot wait another winter", "🌊 항구 수리", "the harbour"]


@pytest.mark.parametrize(
    "edit",
    [
        lambda t: "BREAKING: " + t,  # insertion before
        lambda t: t.replace("voted on Tuesday", "voted late on Tuesday"),  # insertion inside a sentence
        lambda t: t + "\n\nUpdated at 5pm.",  # insertion after
        lambda t: t.replace("Harbour repairs approved", "Harbour repairs approved 🎉 after long fight"),
    ],
)
@pytest.mark.parametrize("passage", PASSAGES)
def test_insertions_keep_exact_matches(edit, passage):
    new = edit(OLD)
    anchor = _anchor(OLD, new, passage)
    assert anchor.method == "exact"
    assert new[anchor.start : anchor.end] == passage


def test_repeated_phrase_follows_its_own_occurrence():
    # "the harbour" occurs twice; an insertion between them must not swap them.
    new = OLD.replace("Opponents said", "Several long-time opponents of the council said")
    second = _anchor(OLD, new, "the harbour", occurrence=1)
    assert new[second.start - 9 : second.end] == "and that the harbour"
    first = _anchor(OLD, new, "the harbour", occurrence=0)
    assert new[first.start - 8 : first.end] == "more on the harbour"
    assert first.start < second.start


def test_reworded_passage_is_fuzzy_with_a_score():
    passage = "Opponents said the plan was rushed and that the harbour was not the priority."
    new = OLD.replace(
        passage, "Opponents said the plan had been rushed and that the harbour was not a priority."
    )
    anchor = _anchor(OLD, new, passage)
    assert anchor.method == "fuzzy"
    assert 0.8 <= anchor.score < 1
    placed = new[anchor.start : anchor.end]
    assert placed.startswith("Opponents said") and placed.endswith("priority.")


def test_deleted_paragraph_orphans_its_passages():
    new = OLD.replace("Opponents said the plan was rushed and that the harbour was not the priority.\n\n", "")
    assert _anchor(OLD, new, "the plan was rushed").method == "orphaned"


def test_rewritten_beyond_recognition_is_orphaned_not_misplaced():
    passage = "The vote was seven to four."
    new = OLD.replace(passage, "Councillors split on the budget.")
    assert _anchor(OLD, new, passage).method == "orphaned"


def test_short_passage_without_context_far_away_is_not_placed():
    old = "Alpha beta gamma. The fox ran.\n\n" + "Filler sentence here. " * 40
    new = "Filler sentence here. " * 40 + "\n\nAnother fox story, different."
    assert _anchor(old, new, "fox").method == "orphaned"


def test_position_map_follows_insertions():
    old = "one two three four"
    new = "zero one two inserted three four"
    mapping = PositionMap(old, new)
    assert new[mapping(old.index("three")) :].startswith("three")
    assert new[mapping(old.index("one")) :].startswith("one")
