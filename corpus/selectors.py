"""Reads of the corpus, returning QuerySets or plain data."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from .ingest.types import SpeakerDirectory, SpeakerRef
from .models import Article, Quote, Speaker, SpeakerAlias


def article_list() -> QuerySet[Article]:
    return Article.objects.for_list()


def article_detail_queryset() -> QuerySet[Article]:
    return Article.objects.with_contents()


def quote_list() -> QuerySet[Quote]:
    return Quote.objects.with_related().select_related("article")


def speaker_directory() -> SpeakerDirectory:
    """Every shared speaker with its aliases, as the text pipeline looks them up."""
    directory = SpeakerDirectory()
    speakers = Speaker.objects.shared().prefetch_related(
        Prefetch("aliases", queryset=SpeakerAlias.objects.only("speaker_id", "phrase"))
    )
    for speaker in speakers:
        directory.add(
            SpeakerRef(
                name=speaker.name,
                kind=speaker.kind,
                description=speaker.description,
                aliases=tuple(a.phrase for a in speaker.aliases.all()),
            )
        )
    return directory
