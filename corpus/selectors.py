"""Reads of the corpus, returning QuerySets or plain data."""

from __future__ import annotations

import difflib

from django.db.models import Count, Prefetch, QuerySet

from .clusters import APPEARANCE_ORDER
from .ingest.types import SpeakerDirectory, SpeakerRef
from .models import Article, ArticleRevision, Quote, QuoteCluster, Speaker, SpeakerAlias


def article_list() -> QuerySet[Article]:
    return Article.objects.for_list()


def quote_list() -> QuerySet[Quote]:
    return Quote.objects.with_related().select_related("article")


CLUSTER_MEMBERS_SHOWN = 100


def quote_cluster_list() -> QuerySet[QuoteCluster]:
    return QuoteCluster.objects.select_related("first_quote__article__source", "first_quote__speaker").defer(
        "first_quote__article__raw_text", "first_quote__article__text", "first_quote__article__metadata"
    )


def quote_cluster_members(cluster: QuoteCluster) -> list[Quote]:
    """A cluster's quotes, earliest appearance first (undated articles last), at most
    ``CLUSTER_MEMBERS_SHOWN``: the quotes list filtered by ``?cluster=`` walks them all."""
    return list(
        Quote.objects.filter(cluster=cluster)
        .select_related("article__source", "speaker")
        .defer("article__raw_text", "article__text", "article__metadata")
        .order_by(*APPEARANCE_ORDER)[:CLUSTER_MEMBERS_SHOWN]
    )


def quote_cluster_speakers(cluster: QuoteCluster) -> list[dict]:
    """Who a cluster's quotes name, with how many of its quotes each, the most quoted first: counted over
    every member, not only the ``CLUSTER_MEMBERS_SHOWN`` listed, in one query whatever its size."""
    rows = (
        Quote.objects.filter(cluster=cluster, speaker__isnull=False)
        .values("speaker_id", "speaker__name")
        .annotate(quotes=Count("id"))
        .order_by("-quotes", "speaker__name", "speaker_id")
    )
    return [{"id": row["speaker_id"], "name": row["speaker__name"], "quotes": row["quotes"]} for row in rows]


def speaker_directory() -> SpeakerDirectory:
    """Every shared speaker with its aliases, as the text pipeline looks them up, weighted by its quotes
    (which of several people a bare surname means)."""
    directory = SpeakerDirectory()
    speakers = (
        Speaker.objects.shared()
        .annotate(uses=Count("quotes"))
        .prefetch_related(Prefetch("aliases", queryset=SpeakerAlias.objects.only("speaker_id", "phrase")))
    )
    for speaker in speakers:
        directory.add(
            SpeakerRef(
                name=speaker.name,
                kind=speaker.kind,
                description=speaker.description,
                aliases=tuple(a.phrase for a in speaker.aliases.all()),
            ),
            weight=speaker.uses,
        )
    return directory


def revision_newer_text(revision: ArticleRevision) -> str:
    """The text that replaced ``revision``: the next revision's, or the article's current text."""
    newer = (
        ArticleRevision.objects.filter(article_id=revision.article_id, number=revision.number + 1)
        .values_list("text", flat=True)
        .first()
    )
    if newer is not None:
        return newer
    return Article.objects.filter(pk=revision.article_id).values_list("text", flat=True).get()


def revision_diff(revision: ArticleRevision) -> str:
    """A unified diff, paragraph by paragraph, from ``revision`` to the text that replaced it."""
    old = revision.text.split("\n\n")
    new = revision_newer_text(revision).split("\n\n")
    lines = difflib.unified_diff(
        old,
        new,
        fromfile=f"revision {revision.number}",
        tofile=f"revision {revision.number + 1}",
        lineterm="",
    )
    return "\n".join(lines)
