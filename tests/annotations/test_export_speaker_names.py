"""An export names each quote's speaker and relaying speaker from speaker rows read apart from the quotes
(``dataset.SpeakerNames``: the articles' own speakers in one stream, the others looked up once per chunk
and kept), not by joining the speakers to every quote row: the same names and kinds as the quotes' own
speakers, whichever article a speaker belongs to and however few are kept from chunk to chunk."""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from annotations.exports import dataset
from annotations.exports.dataset import iter_article_lines
from annotations.exports.selection import ExportOptions, Selection
from corpus.models import Quote, Speaker
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

BODY = (
    "Harbour works {n}\n"
    '"The quay will open in spring," said port director Ines Kowalczyk.\n'
    '"We were never asked," said councillor Tomasz Brandt.\n'
    '"Nothing is decided yet," said Ines Kowalczyk.\n'
)


def _corpus(*, edited: bool = True) -> list:
    """Six articles quoting two shared speakers, and a speaker of each article's own given to its first
    quote; ``edited``: also what an ingestion would not make, a quote given another article's speaker and
    relaying speakers of both kinds."""
    articles = [ArticleFactory(body=BODY.format(n=n)) for n in range(6)]
    assert Speaker.objects.filter(article__isnull=True).count() == 2
    locals_ = [
        Speaker.objects.create(name=f"a harbour worker {n}", kind="anonymous", article=article)
        for n, article in enumerate(articles)
    ]
    for article, speaker in zip(articles, locals_, strict=True):
        Quote.objects.filter(pk=Quote.objects.filter(article=article).order_by("id")[0].pk).update(
            speaker=speaker
        )
    if edited:
        quotes = list(Quote.objects.order_by("article_id", "id"))
        shared = Speaker.objects.filter(article__isnull=True).order_by("id").first()
        first, second, last = quotes[0], quotes[4], quotes[-1]
        first.via = shared
        second.speaker = locals_[5]  # the last article's, quoted in the second
        last.via = locals_[0]  # the first article's, relaying in the last
        for quote in (first, second, last):
            quote.save()
    return articles


def _named(chunk_size: int) -> dict[int, tuple]:
    lines = [
        line
        for chunk in iter_article_lines(Selection(ExportOptions()), chunk_size=chunk_size)
        for line in chunk
    ]
    return {
        quote["id"]: (quote["speaker"], quote["speaker_kind"], quote["via"])
        for line in lines
        for quote in json.loads(line)["quotes"]
    }


@pytest.mark.parametrize("kept", [dataset.SPEAKERS_KEPT, 1, 0])
@pytest.mark.parametrize("chunk_size", [1, 4, 100])
def test_every_quote_names_its_own_speaker_and_relayer(monkeypatch, kept, chunk_size):
    _corpus()
    monkeypatch.setattr(dataset, "SPEAKERS_KEPT", kept)
    expected = {
        pk: (name, kind, via)
        for pk, name, kind, via in Quote.objects.values_list(
            "id", "speaker__name", "speaker__kind", "via__name"
        )
    }
    named = _named(chunk_size)
    assert named == expected
    assert ("a harbour worker 5", "anonymous", None) in named.values()
    assert any(via == "a harbour worker 0" for _, _, via in named.values())
    assert any(via == "Ines Kowalczyk" for _, _, via in named.values())


def _speaker_reads(ctx) -> list[str]:
    return [q["sql"] for q in ctx.captured_queries if 'FROM "corpus_speaker"' in q["sql"]]


def test_the_quotes_are_read_without_their_speakers_and_known_speakers_are_not_read_again():
    """The quotes' query joins no speaker; the articles' own speakers are one query, and the shared ones
    one query for the first chunk, which names both: the later chunks name no other."""
    _corpus(edited=False)
    with CaptureQueriesContext(connection) as ctx:
        named = _named(chunk_size=1)
    assert len(named) == Quote.objects.count()
    quotes = [q["sql"] for q in ctx.captured_queries if 'FROM "corpus_quote"' in q["sql"]]
    assert len(quotes) == 1 and "corpus_speaker" not in quotes[0]
    reads = _speaker_reads(ctx)
    assert len(reads) == 2
    assert sum('"corpus_speaker"."article_id" IS NOT NULL' in sql for sql in reads) == 1


@pytest.mark.parametrize(("kept", "reads"), [(dataset.SPEAKERS_KEPT, 3), (2, 4)])
def test_what_is_kept_from_chunk_to_chunk_is_bounded(monkeypatch, kept, reads):
    """A third shared speaker in the third article: read there. Kept up to two, the first two are let go
    for it and read again for the fourth article; the fifth and sixth find them."""
    articles = _corpus(edited=False)
    third = Speaker.objects.create(name="Vera Lindqvist", kind="person")
    Quote.objects.filter(pk=Quote.objects.filter(article=articles[2]).order_by("id")[1].pk).update(via=third)
    monkeypatch.setattr(dataset, "SPEAKERS_KEPT", kept)
    with CaptureQueriesContext(connection) as ctx:
        named = _named(chunk_size=1)
    assert sum(via == "Vera Lindqvist" for _, _, via in named.values()) == 1
    assert len(_speaker_reads(ctx)) == reads
