"""The dataset records of docs/contract.md, built as dicts from the rows ``dataset.py`` reads and encoded by
orjson.

An article line is exactly what ``json.dumps(record, ensure_ascii=False, separators=(",", ":"))`` gives
for the record, UTF-8 encoded: orjson writes the same bytes for what a record holds (strings, integers,
booleans, null, lists and dicts with string keys; no floats), about ten times faster. The tests hold the
two to the same bytes on a generated corpus with non-ASCII text, emoji and control characters.

Lists are ordered by (start, end, id), non-span items first: the rows arrive in that order (see
``dataset.SPAN_ORDER``), paragraphs by position, claims by id. The row layouts are ``dataset``'s
``*_COLUMNS``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime

import orjson
from django.db.models import Func, TextField

from .selection import ExportOptions

SCHEMA_VERSION = "3"
# Version 1: csv and parquet tables beside the manifest, quotes without their cluster. Version 2: no
# check-worthy dismissals (the JSONL's ``checkworthy_dismissals``, the table of that name).
READABLE_VERSIONS = ("1", "2", SCHEMA_VERSION)
FULL = ExportOptions()
EVIDENCE_KEYS = ("url", "title", "publisher", "accessed")

# The bytes of json.dumps(value, ensure_ascii=False, separators=(",", ":")) for the values records hold.
encode = orjson.dumps


def encode_stdlib(value) -> bytes:
    """What ``encode`` stands in for, the reference the tests compare it with."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


class Authors(dict):
    """``options.author(username)`` worked out once per username (pseudonyms are hashes)."""

    def __init__(self, options: ExportOptions):
        super().__init__()
        self.author = options.author

    def __missing__(self, username):
        name = self[username] = self.author(username)
        return name


_NO_SPEAKER = (None, None)
_NO_SPEAKERS: Mapping[int, tuple[str, str]] = {}

LAYER_CURATED = "curated"
LAYER_ANNOTATOR = "annotator"


def layer_of(project_id: int | None, curated: bool) -> str | None:
    """The layer an annotation is in: none on the shared desk; in an annotation project, the project's
    curated (published) layer, or the layer of the annotator who is its author."""
    if project_id is None:
        return None
    return LAYER_CURATED if curated else LAYER_ANNOTATOR


def rfc3339(value: datetime | str | None) -> str | None:
    """A timestamp as records write it: UTC, whole seconds (cut, not rounded), ``Z``. It comes as a
    datetime, or as text as the database hands it over when read through ``Rfc3339``: already written
    (PostgreSQL), or as SQLite stores it (UTC, ``YYYY-MM-DD HH:MM:SS[.ffffff]``), cut rather than parsed
    from the year 1000 on."""
    if value is None:
        return None
    if isinstance(value, str):
        if len(value) == 20 and value[10] == "T":
            return value
        if len(value) in (19, 26) and value[10] == " " and value[0] != "0":
            return f"{value[:10]}T{value[11:19]}Z"
        value = datetime.fromisoformat(value)
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class Rfc3339(Func):
    """A timestamp column read for ``rfc3339`` as text, not as a datetime the driver builds and Python
    formats again (which costs more than the rest of a W3C quote document): on PostgreSQL the database
    writes it (``to_char``), for years from 1000 on, as ``strftime``'s ``%Y`` has no fixed width below;
    on SQLite the stored text (a cast, so that the driver does not parse it by the column's type)."""

    output_field = TextField()

    def as_sql(self, compiler, connection, **extra):
        return compiler.compile(self.source_expressions[0])

    def as_sqlite(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"CAST({sql} AS TEXT)", params

    def as_postgresql(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        text = f"to_char({sql} AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"
        return (
            f"CASE WHEN {sql} >= TIMESTAMPTZ '1000-01-01 00:00:00+00' THEN {text} ELSE {sql}::text END",
            (*params, *params, *params),
        )


def evidence_items(evidence: list[dict]) -> list[dict]:
    """A fact-check's evidence with exactly the documented keys, missing ones as empty strings."""
    return [{k: item.get(k, "") for k in EVIDENCE_KEYS} for item in evidence]


def claim_records(claims: Sequence[tuple], options: ExportOptions = FULL) -> list[dict]:
    author = options.author
    records = []
    for (
        _, claim_id, claim_text, claimant, annotation_id, fact_check_id, verdict, rationale, evidence,
        status, checker, reviewer, checked_at, _claimant_id,
    ) in claims:  # fmt: skip
        fact_check = None
        if fact_check_id is not None:
            fact_check = {
                "verdict": verdict,
                "rationale": rationale,
                "evidence": evidence_items(evidence),
                "status": status,
                "author": author(checker),
                "reviewer": author(reviewer),
                "published_at": rfc3339(checked_at),
            }
        records.append(
            {
                "id": claim_id,
                "text": claim_text,
                "claimant": claimant,
                "annotation": annotation_id,
                "fact_check": fact_check,
            }
        )
    return records


def article_record(
    article: tuple,
    *,
    paragraphs: Sequence[tuple],
    quotes: Sequence[tuple],
    annotations: Sequence[tuple],
    claims: Sequence[tuple],
    dismissals: Sequence[tuple] = (),
    speakers: Mapping[int, tuple[str, str]] = _NO_SPEAKERS,
    options: ExportOptions = FULL,
    authors: Authors | None = None,
) -> dict:
    """One article's record, its keys in the documented order.

    With ``text="none"`` the article's ``title`` and ``text``, paragraph and quote ``text`` and
    annotation ``exact`` are null; offsets, hashes, notes, claims and fact-checks stay. An annotation
    comes as one row per tag (its slug last, null without tags), its rows together. ``speakers``: the
    name and kind of each speaker the quotes name, by id. ``authors`` may be shared by the articles of
    an export.
    """
    if authors is None:
        authors = Authors(options)
    with_text = options.with_text
    if with_text:
        pk, url, source, published_at, language, content_hash, title, text = article
    else:
        pk, url, source, published_at, language, content_hash = article
        title = text = None

    positions = {}
    paragraph_items = []
    for _, paragraph_id, position, role, rule, start, end in paragraphs:
        positions[paragraph_id] = position
        paragraph_items.append(
            {
                "position": position,
                "role": role,
                "rule": rule,
                "start": start,
                "end": end,
                "text": None if text is None else text[start:end],
            }
        )

    quote_items = []
    for (
        _, quote_id, kind, start, end, exact, paragraph_id, continues_id, speaker_id, speaker_mention, cue,
        via_id, origin, verified, cluster, cluster_fixed,
    ) in quotes:  # fmt: skip
        speaker, speaker_kind = _NO_SPEAKER if speaker_id is None else speakers[speaker_id]
        via = None if via_id is None else speakers[via_id][0]
        if text is None:
            words = None
        elif start is None:
            words = exact
        else:
            words = text[start:end]
        quote_items.append(
            {
                "id": quote_id,
                "kind": kind,
                "text": words,
                "start": start,
                "end": end,
                "paragraph": positions.get(paragraph_id),
                "continues": continues_id,
                "speaker": speaker,
                "speaker_kind": speaker_kind,
                "speaker_mention": speaker_mention,
                "cue": cue,
                "via": via,
                "origin": origin,
                # SQLite hands booleans over as 0 / 1 (these rows are not converted).
                "verified": bool(verified),
                "cluster": cluster,
                # An editor put it in its cluster or took it out: a re-run of the machine leaves it there.
                "cluster_fixed": bool(cluster_fixed),
            }
        )

    annotation_items: list[dict] = []
    last_id = None
    for (
        _, annotation_id, target, position, quote_id, start, end, exact, note, status, origin, username,
        project_id, curated, slug,
    ) in annotations:  # fmt: skip
        if annotation_id == last_id:  # one more tag of the annotation just made
            tags = annotation_items[-1]["tags"]
            tags.append(slug)
            tags.sort()
            continue
        last_id = annotation_id
        annotation_items.append(
            {
                "id": annotation_id,
                "target": target,
                "paragraph": position,
                "quote": quote_id,
                "start": start,
                "end": end,
                "exact": exact if with_text else None,
                "tags": [] if slug is None else [slug],
                "note": note,
                "status": status,
                "origin": origin,
                "author": authors[username],
                "project": project_id,
                "layer": layer_of(project_id, curated),
            }
        )

    return {
        "id": pk,
        "url": url,
        "source": source,
        "published_at": rfc3339(published_at),
        "language": language,
        "title": title,
        "content_hash": content_hash,
        "text": text,
        "paragraphs": paragraph_items,
        "quotes": quote_items,
        "annotations": annotation_items,
        "claims": claim_records(claims, options) if claims else [],
        # The suggested sentences an editor dismissed (``CheckWorthyDismissal``), by their words and
        # where those first are in the text (null when no longer there).
        "checkworthy_dismissals": [
            {
                **dismissal_span(dismissed, position),
                "text": dismissed if with_text else None,
                "dismissed_by": authors[username],
                "dismissed_at": rfc3339(dismissed_at),
            }
            for _, _, dismissed, position, username, dismissed_at in dismissals
        ],
    }


def dismissal_span(words: str, position: int | None) -> dict[str, int | None]:
    """``start`` and ``end`` of a dismissal's words from their 1-based ``position`` in the article's text
    (SQL's ``STRPOS``/``INSTR``, in code points; 0 when the words are not in it)."""
    if not position:
        return {"start": None, "end": None}
    return {"start": position - 1, "end": position - 1 + len(words)}


def article_line(
    article: tuple,
    *,
    paragraphs: Sequence[tuple],
    quotes: Sequence[tuple],
    annotations: Sequence[tuple],
    claims: Sequence[tuple],
    dismissals: Sequence[tuple] = (),
    speakers: Mapping[int, tuple[str, str]] = _NO_SPEAKERS,
    options: ExportOptions = FULL,
    authors: Authors | None = None,
) -> bytes:
    """One article's record as UTF-8 JSON (no newline): ``encode(article_record(...))``."""
    return encode(
        article_record(
            article,
            paragraphs=paragraphs,
            quotes=quotes,
            annotations=annotations,
            claims=claims,
            dismissals=dismissals,
            speakers=speakers,
            options=options,
            authors=authors,
        )
    )
