"""JSONL writer: one article per line, UTF-8, keys in the documented order.

An article line stays exactly the contract's shape (docs/contract.md). What an importer needs beyond it travels in companion
files listed in the manifest: ``tags.json`` (the vocabulary, in ``load_vocabulary``'s shape plus ids)
and ``speakers.json`` (the speakers named, with kind, description, owning article and aliases).
"""

from __future__ import annotations

import json
from collections.abc import Generator, Iterable, Iterator
from typing import BinaryIO, TextIO

from .dataset import Stream, iter_article_lines, keyset_chunks, row_blocks
from .records import encode as encode_json
from .selection import Selection

EXTENSION = ".jsonl"
CONTENT_TYPE = "application/x-ndjson"
TABULAR = False
MAIN = "articles.jsonl"
TAGS = "tags.json"
SPEAKERS = "speakers.json"


def encode(record: dict) -> str:
    return encode_json(record).decode("utf-8") + "\n"


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
    counts: dict[str, int] = {}
    for lines in iter_article_lines(selection, chunk_size=chunk_size, counts=counts):
        lines.append(b"")
        stream.write(b"\n".join(lines))
        yield len(lines) - 1
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


def speaker_record(item: tuple) -> dict:
    (pk, name, kind, description, article_id), aliases = item
    return {
        "id": pk,
        "name": name,
        "kind": kind,
        "description": description,
        "article": article_id,
        "aliases": [phrase for _, phrase in aliases],
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
    """Two queries: the speakers, and their aliases (by phrase, as the database orders them)."""
    columns = ("id", "name", "kind", "description", "article_id")
    speakers = row_blocks(selection.speakers.values_list(*columns), size=chunk_size)
    aliases = Stream(
        selection.speaker_aliases.order_by("speaker_id", "phrase").values_list("speaker_id", "phrase")
    )

    def chunks() -> Iterator[list[tuple]]:
        for chunk in speakers:
            by_speaker = aliases.upto(chunk[-1][0])
            yield [(row, by_speaker.get(row[0], ())) for row in chunk]

    return (yield from _json_list(chunks(), speaker_record, stream, "speakers"))


def sizes(selection: Selection) -> dict[str, int]:
    """The rows each file will hold (what its writer yields in all), counted up front."""
    return {
        "articles": selection.articles.count(),
        "tags": selection.tags.count(),
        "speakers": selection.speakers.count(),
    }


def entries(selection: Selection, *, chunk_size: int) -> list[tuple[str, object]]:
    return [
        (MAIN, lambda stream: write_articles(selection, stream, chunk_size=chunk_size)),
        (TAGS, lambda stream: write_tags(selection, stream, chunk_size=chunk_size)),
        (SPEAKERS, lambda stream: write_speakers(selection, stream, chunk_size=chunk_size)),
    ]
