"""Which records of a batch are articles the database already has, and what those hold, for the merge:
one query to find the articles (by url, by source and external id, or by content hash) and one per table
for what they hold, whatever the size of the batch."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

from django.db.models import Q

from corpus.models import Article, Paragraph, Quote, Speaker

from ..models import Annotation, Claim


class ParagraphRef(NamedTuple):
    """A paragraph of the batch or of a matched article."""

    id: int
    position: int
    start: int
    end: int


class QuoteRef(NamedTuple):
    """A quote of the batch or of a matched article; an orphaned quote has no offsets, only its words."""

    id: int
    start: int | None
    end: int | None
    exact: str

    def words(self, text: str) -> str:
        return text[self.start : self.end] if self.start is not None else self.exact


@dataclass
class Match:
    """An article already in the database that a record merges into, with what it already holds."""

    id: int
    text: str
    paragraphs: dict[int, ParagraphRef] = field(default_factory=dict)  # by position
    quotes: dict[tuple, QuoteRef] = field(default_factory=dict)  # (start, end, kind) -> quote
    quote_list: list[QuoteRef] = field(default_factory=list)
    # (target, start, end, exact, author, paragraph position, quote id) -> id
    annotations: dict[tuple, int] = field(default_factory=dict)
    claims: set[tuple[str, int | None]] = field(default_factory=set)
    speakers: dict[str, int] = field(default_factory=dict)  # its own speakers, by name


def identity(record: dict) -> tuple:
    """The keys an article is known by, most telling first: url, source and external id, content hash."""
    keys = []
    if record.get("url"):
        keys.append(("url", record["url"]))
    source, external_id = record.get("source"), record.get("external_id") or ""
    if external_id and source:
        keys.append(("pair", source, external_id))
    if record.get("content_hash") is not None:
        keys.append(("hash", record["content_hash"]))
    try:
        hash(tuple(keys))
    except TypeError:
        return ()  # not an identity at all: the record fails when it is checked
    return tuple(keys)


def distinct_prefix(items: list) -> int:
    """How many leading records share no identity: a repeat goes in the next batch, where it merges."""
    seen: set = set()
    for index, (_, record) in enumerate(items):
        if isinstance(record, dict):
            keys = identity(record)
            if not seen.isdisjoint(keys):
                return index
            seen.update(keys)
    return len(items)


def first_repeat(matches: list[Match | None]) -> int:
    """How many leading matches are of distinct articles: two records merging into one are not in one batch."""
    seen: set[int] = set()
    for index, match in enumerate(matches):
        if match is not None:
            if match.id in seen:
                return index
            seen.add(match.id)
    return len(matches)


def matches_find(items: list) -> list[Match | None]:
    """The article each record of ``items`` merges into, or None, with what the article holds."""
    urls, hashes, sources, external_ids = set(), set(), set(), set()
    for _, record in items:
        if isinstance(record, dict):
            for key in identity(record):
                if key[0] == "url":
                    urls.add(key[1])
                elif key[0] == "hash":
                    hashes.add(key[1])
                else:
                    sources.add(key[1])
                    external_ids.add(key[2])
    condition = Q(pk__in=[])
    if urls:
        condition |= Q(url__in=urls)
    if hashes:
        condition |= Q(content_hash__in=hashes)
    if external_ids:
        condition |= Q(source__name__in=sources, external_id__in=external_ids)
    found: dict[tuple, Match] = {}
    if urls or hashes or external_ids:
        rows = Article.objects.filter(condition).order_by()
        for pk, url, source, external_id, content_hash, text in rows.values_list(
            "id", "url", "source__name", "external_id", "content_hash", "text"
        ):
            match = Match(id=pk, text=text)
            if url:
                found[("url", url)] = match
            if source and external_id:
                found[("pair", source, external_id)] = match
            found[("hash", content_hash)] = match
    matches = []
    for _, record in items:
        keys = identity(record) if isinstance(record, dict) else ()
        matches.append(next((found[key] for key in keys if key in found), None))
    _holdings({m.id: m for m in matches if m is not None})
    return matches


def _holdings(matches: dict[int, Match]) -> None:
    """What the matched articles already hold, for the merge: one query per table."""
    if not matches:
        return
    ids = list(matches)
    for article_id, pk, position, start, end in (
        Paragraph.objects.filter(article_id__in=ids)
        .order_by()
        .values_list("article_id", "id", "position", "start", "end")
    ):
        matches[article_id].paragraphs[position] = ParagraphRef(pk, position, start, end)
    for article_id, pk, start, end, kind, exact in (
        Quote.objects.filter(article_id__in=ids)
        .order_by()
        .values_list("article_id", "id", "start", "end", "kind", "exact")
    ):
        quote = QuoteRef(pk, start, end, exact)
        matches[article_id].quotes[(start, end, kind)] = quote
        matches[article_id].quote_list.append(quote)
    for article_id, pk, target, start, end, exact, author, position, quote_id in (
        Annotation.objects.filter(article_id__in=ids)
        .order_by()
        .values_list(
            "article_id",
            "id",
            "target",
            "start",
            "end",
            "exact",
            "author__username",
            "paragraph__position",
            "quote_id",
        )
    ):
        matches[article_id].annotations[(target, start, end, exact, author, position, quote_id)] = pk
    for article_id, text, annotation_id in (
        Claim.objects.filter(article_id__in=ids).order_by().values_list("article_id", "text", "annotation_id")
    ):
        matches[article_id].claims.add((text, annotation_id))
    for article_id, name, pk in (
        Speaker.objects.filter(article_id__in=ids).order_by().values_list("article_id", "name", "id")
    ):
        matches[article_id].speakers[name] = pk
