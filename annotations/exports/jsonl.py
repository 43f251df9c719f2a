"""JSONL writer: one article per line, UTF-8, keys in the documented order.

An article line stays exactly PRODUCT.md's shape. What an importer needs beyond it travels in companion
files listed in the manifest: ``tags.json`` (the vocabulary, in ``load_vocabulary``'s shape plus ids)
and ``speakers.json`` (the speakers named, with kind, description, owning article and aliases).
"""

from __future__ import annotations

import json
from collections.abc import Generator, Iterable, Iterator
from typing import BinaryIO, TextIO

from django.db.models import Prefetch

from corpus.models import SpeakerAlias

from .dataset import _record as article_record_of
from .dataset import iter_article_chunks, keyset_chunks
from .selection import Selection

EXTENSION = ".jsonl"
CONTENT_TYPE = "application/x-ndjson"
TABULAR = False
MAIN = "articles.jsonl"
TAGS = "tags.json"
SPEAKERS = "speakers.json"


def encode(record: dict) -> str:
    return json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n"


def iter_lines(records: Iterable[dict]) -> Iterator[str]:
    for record in records:
        yield encode(record)


def write(records: Iterable[dict], stream: TextIO) -> int:
    count = 0
    for line in iter_lines(records):
        stream.write(line)
        count += 1
    return count


def write_articles(selection: Selection, stream: BinaryIO, *, chunk_size: int) -> Generator[int, None, dict]:
    counts = dict.fromkeys(("articles", "paragraphs", "quotes", "annotations", "claims", "fact_checks"), 0)
    for chunk in iter_article_chunks(selection, chunk_size=chunk_size):
        lines = []
        for article in chunk:
            record = article_record_of(article, selection.options)
            counts["articles"] += 1
            for key in ("paragraphs", "quotes", "annotations", "claims"):
                counts[key] += len(record[key])
            counts["fact_checks"] += sum(1 for claim in record["claims"] if claim["fact_check"])
            lines.append(encode(record))
        stream.write("".join(lines).encode("utf-8"))
        yield len(chunk)
    return counts


def tag_record(tag) -> dict:
    return {
        "id": tag.pk,
        "slug": tag.slug,
        "name": tag.name,
        "description": tag.description,
        "colour": tag.colour,
        "parent": tag.parent.slug if tag.parent else None,
    }


def speaker_record(speaker) -> dict:
    return {
        "id": speaker.pk,
        "name": speaker.name,
        "kind": speaker.kind,
        "description": speaker.description,
        "article": speaker.article_id,
        "aliases": [alias.phrase for alias in speaker.aliases.all()],
    }


def _json_list(chunks: Iterator[list], record, stream: BinaryIO, name: str) -> Generator[int, None, dict]:
    """A JSON array, one item a line, written as the chunks come."""
    stream.write(b"[")
    count = 0
    for chunk in chunks:
        text = "".join(
            ("\n" if count + i == 0 else ",\n") + json.dumps(record(item), ensure_ascii=False)
            for i, item in enumerate(chunk)
        )
        stream.write(text.encode("utf-8"))
        count += len(chunk)
        yield len(chunk)
    stream.write(b"\n]\n")
    return {name: count}


def write_tags(selection: Selection, stream: BinaryIO, *, chunk_size: int) -> Generator[int, None, dict]:
    return (
        yield from _json_list(
            keyset_chunks(selection.tags, chunk_size=chunk_size), tag_record, stream, "tags"
        )
    )


def write_speakers(selection: Selection, stream: BinaryIO, *, chunk_size: int) -> Generator[int, None, dict]:
    speakers = selection.speakers.prefetch_related(
        Prefetch("aliases", queryset=SpeakerAlias.objects.order_by("phrase"))
    )
    chunks = keyset_chunks(speakers, chunk_size=chunk_size)
    return (yield from _json_list(chunks, speaker_record, stream, "speakers"))


def entries(selection: Selection, *, chunk_size: int) -> list[tuple[str, object]]:
    return [
        (MAIN, lambda stream: write_articles(selection, stream, chunk_size=chunk_size)),
        (TAGS, lambda stream: write_tags(selection, stream, chunk_size=chunk_size)),
        (SPEAKERS, lambda stream: write_speakers(selection, stream, chunk_size=chunk_size)),
    ]
