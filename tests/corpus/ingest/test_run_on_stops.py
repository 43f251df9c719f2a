"""A full stop with no space after it ("Hale said.Cole claimed ...") ends its sentence when a word in
lowercase comes before it and a capitalized word after it; domains, web addresses, initials and
abbreviations do not."""

from __future__ import annotations

import pytest

from corpus.ingest.pipeline import process
from corpus.ingest.quotes import split_sentences
from tests.corpus.ingest.articles import body, quote


def _sentences(text):
    return [text[a:b].strip() for a, b in split_sentences(text)]


def test_a_full_stop_with_no_space_before_a_capitalized_word_ends_the_sentence():
    assert _sentences("The vote was close, Hale said.Cole claimed it was not.") == [
        "The vote was close, Hale said.",
        "Cole claimed it was not.",
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Hale posted the plan on Example.com before noon.",
        "Hale read it at www.example.Harbor first.",
        "Hale linked to harbor.org/news.Today before noon.",
        "Hale wrote to ann.Cole@example.org about the plan.",
        "Hale met the U.S. envoy and J.R. Cole at noon.",
        "Hale signed it vs.Cole at noon.",
    ],
)
def test_domains_addresses_initials_and_abbreviations_end_no_sentence(text):
    assert _sentences(text) == [text]


def test_a_quote_after_a_run_on_stop_is_its_own_speakers():
    article = process(
        body("“The bridge is safe,” Hale said.Cole claimed “the council never saw the report at all.”")
    )
    first, second = quote(article, "The bridge is safe"), quote(article, "the council never saw")
    assert first.speaker.name == "Hale" and first.kind == "direct"
    assert second.speaker.name == "Cole" and second.kind == "direct"


def test_a_name_before_a_run_on_stop_and_a_common_word_ends_the_sentence():
    assert _sentences("Omar Cole called Ann Hale.She said it was late.") == [
        "Omar Cole called Ann Hale.",
        "She said it was late.",
    ]
    article = process(body("Omar Cole called Ann Hale.She said “the council never saw the report at all.”"))
    assert quote(article, "the council never saw").speaker.name == "Ann Hale"


@pytest.mark.parametrize(
    "text", ["Cole met Ann Hale.Omar Reyes was late.", "Cole wrote to Gen.The Harbor Fund."]
)
def test_a_name_before_a_run_on_stop_and_a_name_or_an_abbreviation_ends_no_sentence(text):
    assert _sentences(text) == [text]
