"""Re-anchoring lands on the same words or gives up; it never lands on other words."""

from __future__ import annotations

import pytest

from bench.anchoring import revision
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


def test_a_200000_character_revision_keeps_every_passage_in_place():
    old, new, layout = revision(200_000)
    assert len(old) == 200_000
    mapping = PositionMap(old, new)
    checked = fuzzy = 0
    for old_at, new_at, reworded in layout:
        paragraph_end = old.find("\n\n", old_at)
        paragraph_end = len(old) if paragraph_end == -1 else paragraph_end
        if new_at is None or paragraph_end - old_at < 40:
            continue
        start, end = old_at, min(old_at + 120, paragraph_end)
        passage = old[start:end]
        prefix, suffix = span_context(text=old, start=start, end=end)
        anchor = reanchor(
            old_text=old,
            new_text=new,
            start=start,
            end=end,
            exact=passage,
            prefix=prefix,
            suffix=suffix,
            position_map=mapping,
        )
        if reworded and " the " in passage and passage not in new:
            # The reworded words: placed fuzzily over the same stretch of the new paragraph.
            assert anchor.method == "fuzzy" and abs(anchor.start - new_at) <= 3, (old_at, anchor)
            fuzzy += 1
        elif not reworded and span_context(text=new, start=new_at, end=new_at + len(passage)) == (
            prefix,
            suffix,
        ):
            assert (anchor.method, anchor.start, anchor.end) == ("exact", new_at, new_at + len(passage))
            checked += 1
        else:
            # It or its neighbour changed, and the generated text repeats its sentences: the same words, maybe
            # at another of their occurrences whose surroundings agree better, never other words.
            assert anchor.method == "exact" and new[anchor.start : anchor.end] == passage
        # Offsets inside the paragraph map to the same place in its new copy.
        assert mapping(start + 10) == new_at + 10 or reworded
    assert checked > 1000 and fuzzy > 10
