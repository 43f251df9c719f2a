"""Tag colours on the annotate screen: apart from the quote, spam and selection marks and from each other."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

from annotations.palette import MIN_DISTANCE, RESERVED, display_colours, distance

VOCABULARY = Path(__file__).resolve().parents[2] / "seeds" / "vocabulary.json"


def test_seed_vocabulary_colours_are_distinct_from_the_marks_and_each_other():
    tags = [tag for tag in json.loads(VOCABULARY.read_text()) if tag["slug"] != "injected-spam"]
    colours = display_colours(tag["colour"] for tag in tags)
    assert len(colours) == len(tags)
    for colour in colours:
        assert min(distance(colour, mark) for mark in RESERVED) >= MIN_DISTANCE, colour
    closest = min(distance(a, b) for a, b in itertools.combinations(colours, 2))
    assert closest >= MIN_DISTANCE, closest
    # a colour that is already distinct is kept as stored
    assert colours[0] == tags[0]["colour"]


def test_a_colour_near_the_quote_mark_or_invalid_is_replaced_deterministically():
    near_quote = "#7f58c3"
    first = display_colours([near_quote, "not a colour", "#ffb74d"])
    assert first == display_colours([near_quote, "not a colour", "#ffb74d"])
    assert first[0] != near_quote and first[1].startswith("#") and first[2] == "#ffb74d"
    assert distance(first[0], "#7e57c2") >= MIN_DISTANCE
