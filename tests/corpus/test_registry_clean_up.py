"""The registry clean-up run by ``reprocess``: machine records filed again, editors' choices kept."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from corpus.ingest.readers import ArticleInput
from corpus.models import Quote, Speaker, SpeakerMerge
from corpus.services import article_ingest, quote_correct, speakers_merge
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def ingest(body: str, url: str):
    record = ArticleInput(raw=body.encode(), body=body, url=url, origin="test")
    return article_ingest(record=record).article


def said(name: str, n: int) -> str:
    return f'Story {n} of the week\n"We will see what happens next," {name} said on day {n}.\n'


def names() -> set[str]:
    return set(Speaker.objects.shared().values_list("name", flat=True))


def test_a_bare_surname_and_a_middle_initial_join_their_person():
    article = ingest(said("Obama", 1), "https://example.org/1")
    ingest(said("Barack Obama", 2), "https://example.org/2")
    # As a run before ingest filed surnames under their person left it.
    Quote.objects.filter(article=article).update(speaker=Speaker.objects.create(name="Obama"))
    ingest(said("James B. Comey", 3), "https://example.org/3")
    ingest(said("James Comey", 4), "https://example.org/4")
    ingest(said("James Comey", 5), "https://example.org/5")
    assert {"Obama", "Barack Obama", "James B. Comey", "James Comey"} <= names()
    call_command("reprocess", "--speakers", verbosity=0)
    assert {"Barack Obama", "James Comey"} <= names()
    assert not {"Obama", "James B. Comey"} & names()
    assert Quote.objects.filter(speaker__name="Barack Obama").count() == 2
    assert Quote.objects.filter(speaker__name="James Comey").count() == 3
    merge = SpeakerMerge.objects.get(source_name="Obama", reason="registry clean-up")
    assert merge.actor is None
    # A second run finds nothing left to do.
    call_command("reprocess", "--speakers", verbosity=0)
    assert SpeakerMerge.objects.filter(reason="registry clean-up").count() == 2


def test_a_surname_two_people_carry_is_left_alone():
    ingest(said("Hillary Clinton", 2), "https://example.org/2")
    ingest(said("Bill Clinton", 3), "https://example.org/3")
    ingest(said("Clinton", 1), "https://example.org/1")
    call_command("reprocess", "--speakers", verbosity=0)
    assert {"Clinton", "Hillary Clinton", "Bill Clinton"} <= names()
    assert not SpeakerMerge.objects.exists()


def test_editors_choices_are_kept():
    editor = UserFactory(username="ed", groups=["Editor"])
    article = ingest(said("Obama", 1), "https://example.org/1")
    quote = article.quotes.get()
    bare = Speaker.objects.get(name="Obama")
    quote_correct(quote=quote, expected_version=quote.version, user=editor, speaker=bare)
    quote.refresh_from_db()
    ingest(said("Barack Obama", 2), "https://example.org/2")
    call_command("reprocess", "--all", verbosity=0)
    quote.refresh_from_db()
    assert quote.speaker_id == bare.pk and "Obama" in names()
    # An editor's merge is never undone by a re-run or the clean-up.
    ingest(said("Michelle Obama", 3), "https://example.org/3")
    target = Speaker.objects.get(name="Barack Obama")
    speakers_merge(sources=[bare], target=target, actor=editor)
    call_command("reprocess", "--all", verbosity=0)
    quote.refresh_from_db()
    assert quote.speaker_id == target.pk and "Obama" not in names()


def test_junk_records_go_once_nothing_points_at_them():
    article = ingest(said("Ann Lee", 1), "https://example.org/1")
    junk = Speaker.objects.create(name="The")
    Quote.objects.filter(article=article).update(speaker=junk)  # as an older pipeline filed it
    call_command("reprocess", "--all", verbosity=0)
    assert "The" not in names()
    assert set(article.quotes.values_list("speaker__name", flat=True)) == {"Ann Lee"}
