"""Ingest files a bare surname under the person it means: the one person carrying it, or one quoted far
more than the others; a record of the bare surname filed before its person was known joins that person."""

from __future__ import annotations

import pytest

from corpus.ingest.readers import ArticleInput
from corpus.models import Quote, Speaker, SpeakerAlias, SpeakerMerge
from corpus.services import article_ingest, batch_ingest, quote_correct
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def record(body: str, url: str) -> ArticleInput:
    return ArticleInput(raw=body.encode(), body=body, url=url, origin="test")


def said(name: str, n: int) -> str:
    return f'Story {n} of the week\n"We will see what happens next," {name} said on day {n}.\n'


def names() -> set[str]:
    return set(Speaker.objects.shared().values_list("name", flat=True))


def test_a_bare_surname_filed_first_joins_its_person_when_the_person_arrives():
    article_ingest(record=record(said("Obama", 1), "https://example.org/1"))
    assert "Obama" in names()
    article_ingest(record=record(said("Barack Obama", 2), "https://example.org/2"))
    assert "Obama" not in names()
    assert Quote.objects.filter(speaker__name="Barack Obama").count() == 2
    merge = SpeakerMerge.objects.get(source_name="Obama")
    assert merge.actor is None and merge.target_name == "Barack Obama"
    assert SpeakerAlias.objects.get(key="obama").speaker.name == "Barack Obama"
    # And a later bare surname goes straight to the person.
    article_ingest(record=record(said("Obama", 3), "https://example.org/3"))
    assert Quote.objects.filter(speaker__name="Barack Obama").count() == 3


def test_one_batch_files_a_bare_surname_under_the_person_named_in_it():
    records = [
        record(said("Okafor", 1), "https://example.org/1"),
        record(said("Marta Okafor", 2), "https://x.org/2"),
    ]
    list(batch_ingest(records=records))
    assert "Okafor" not in names()
    assert Quote.objects.filter(speaker__name="Marta Okafor").count() == 2


def test_a_surname_goes_to_the_person_quoted_far_more_than_the_others():
    for n in range(6):
        article_ingest(record=record(said("Dana Whitlock", n), f"https://example.org/d{n}"))
    article_ingest(record=record(said("Rosa Whitlock", 9), "https://example.org/r"))
    article_ingest(record=record(said("Whitlock", 10), "https://example.org/w"))
    assert "Whitlock" not in names()
    assert Quote.objects.filter(speaker__name="Dana Whitlock").count() == 7


def test_a_surname_two_people_share_evenly_stays_as_it_is():
    article_ingest(record=record(said("Hillary Clinton", 1), "https://example.org/1"))
    article_ingest(record=record(said("Bill Clinton", 2), "https://example.org/2"))
    article_ingest(record=record(said("Clinton", 3), "https://example.org/3"))
    assert {"Clinton", "Hillary Clinton", "Bill Clinton"} <= names()
    assert not SpeakerMerge.objects.exists()


def test_a_bare_surname_an_editor_chose_is_not_folded():
    editor = UserFactory(username="ed", groups=["Editor"])
    article = article_ingest(record=record(said("Obama", 1), "https://example.org/1")).article
    quote = article.quotes.get()
    quote_correct(quote=quote, expected_version=quote.version, user=editor, verified=True)
    article_ingest(record=record(said("Barack Obama", 2), "https://example.org/2"))
    assert {"Obama", "Barack Obama"} <= names()
