"""JSONL writer: one article per line, UTF-8, keys in the documented order.

An article line stays exactly the contract's shape (docs/contract.md). What an importer needs beyond it travels in companion
files listed in the manifest: ``tags.json`` (the vocabulary, in ``load_vocabulary``'s shape plus ids)
and ``speakers.json`` (the speakers named, with kind, description, owning article and aliases).
"""

from __future__ import annotations

import json
from collections.abc import Generator, Iterable, Iterator
from typing import BinaryIO, TextIO

from corpus.models import Speaker, SpeakerAlias

from . import halves
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


class Named:
    """The ids of the speakers the article lines name, once they are all written (None until then): the
    speakers file is made from them, not from another pass over the quotes and claims."""

    def __init__(self):
        self.ids: set[int] | None = None


def write_articles(
    selection: Selection, stream: BinaryIO, *, chunk_size: int, named: Named | None = None
) -> Generator[int, None, dict]:
    counts: dict[str, int] = {}
    speakers: set[int] = set()
    for lines in iter_article_lines(selection, chunk_size=chunk_size, counts=counts, speakers=speakers):
        lines.append(b"")
        stream.write(b"\n".join(lines))
        yield len(lines) - 1
    if named is not None:
        named.ids = speakers
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


def tag_json(tag) -> bytes:
    return json.dumps(tag_record(tag), ensure_ascii=False).encode("utf-8")


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


def speaker_json(item: tuple) -> bytes:
    """``json.dumps(speaker_record(item), ensure_ascii=False)``, UTF-8 encoded, each string written by
    orjson (the same bytes, as for an article line), the ids as decimals and the separators put in
    here: a corpus names tens of thousands of speakers, and the standard encoder takes most of the
    file's time. The speakers file is made once the article lines are, so this is time the export
    waits for."""
    (pk, name, kind, description, article_id), aliases = item
    return _SPEAKER_LINE % (
        pk,
        _value(name),
        _value(kind),
        _value(description),
        b"null" if article_id is None else b"%d" % article_id,
        b", ".join([_value(phrase) for _, phrase in aliases]) if aliases else b"",
    )


_SPEAKER_LINE = b'{"id": %d, "name": %b, "kind": %b, "description": %b, "article": %b, "aliases": [%b]}'
_value = encode_json


def _json_list(chunks: Iterator[list], encode, stream: BinaryIO, name: str) -> Generator[int, None, dict]:
    """A JSON array, one item a line (``encode``d), written as the chunks come."""
    stream.write(b"[")
    count = 0
    for chunk in chunks:
        if chunk:
            stream.write((b"\n" if count == 0 else b",\n") + b",\n".join(map(encode, chunk)))
        count += len(chunk)
        yield len(chunk)
    stream.write(b"\n]\n")
    return {name: count}


def write_tags(selection: Selection, stream: BinaryIO, *, chunk_size: int) -> Generator[int, None, dict]:
    return (
        yield from _json_list(keyset_chunks(selection.tags, chunk_size=chunk_size), tag_json, stream, "tags")
    )


SPEAKER_COLUMNS = ("id", "name", "kind", "description", "article_id")


def write_speakers(
    selection: Selection, stream: BinaryIO, *, chunk_size: int, named: Named | None = None
) -> Generator[int, None, dict]:
    """The speakers the exported quotes and claims name, with their aliases (by phrase, as the database
    orders them): two queries. Once the article lines are written (``named``), the speakers and aliases
    with ids in the range of those they named, the others passed over here; otherwise
    ``Selection.speakers``, which reads the quotes and claims again to find them."""
    if named is not None and named.ids is not None:
        ids = named.ids
        ids.discard(None)
        if not ids:
            return (yield from _json_list(iter(()), speaker_json, stream, "speakers"))
        bounds = (min(ids), max(ids))
        speakers = Speaker.objects.filter(pk__range=bounds).order_by("id")
        aliases = SpeakerAlias.objects.filter(speaker__gte=bounds[0], speaker__lte=bounds[1])
    else:
        ids = None
        speakers, aliases = selection.speakers, selection.speaker_aliases
    # Read in the streams' blocks (not a round trip per chunk), written a chunk at a time.
    blocks = row_blocks(speakers.values_list(*SPEAKER_COLUMNS))
    by_phrase = Stream(aliases.order_by("speaker_id", "phrase").values_list("speaker_id", "phrase"))

    def chunks() -> Iterator[list[tuple]]:
        for block in blocks:
            chosen = block if ids is None else [row for row in block if row[0] in ids]
            by_speaker = by_phrase.upto(block[-1][0])
            for start in range(0, len(chosen), chunk_size):
                yield [(row, by_speaker.get(row[0], ())) for row in chosen[start : start + chunk_size]]

    return (yield from _json_list(chunks(), speaker_json, stream, "speakers"))


def sizes(selection: Selection) -> dict[str, int]:
    """The rows each file will hold (what its writer yields in all), counted up front."""
    return {
        "articles": selection.articles.count(),
        "tags": selection.tags.count(),
        "speakers": selection.speakers.count(),
    }


def entries(
    selection: Selection, *, chunk_size: int, split: halves.Split | None = None
) -> list[tuple[str, object]]:
    """The files in order; the article lines made in two processes if ``split`` (``halves.plan``) says
    where."""
    named = Named()
    if split is None:
        articles = lambda stream: write_articles(selection, stream, chunk_size=chunk_size, named=named)  # noqa: E731
    else:
        articles = lambda stream: halves.write_articles(  # noqa: E731
            selection, split, stream, chunk_size=chunk_size, named=named
        )
    return [
        (MAIN, articles),
        (TAGS, lambda stream: write_tags(selection, stream, chunk_size=chunk_size)),
        (SPEAKERS, lambda stream: write_speakers(selection, stream, chunk_size=chunk_size, named=named)),
    ]
