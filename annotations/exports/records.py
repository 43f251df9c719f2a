"""The dataset records of docs/contract.md, written as JSON text straight from the rows ``dataset.py`` reads.

An article line is exactly what ``json.dumps(record, ensure_ascii=False, separators=(",", ":"))`` gives
for the record dict with the keys in the documented order: strings go through the function ``json``
itself escapes them with, integers are written as ``json`` writes them, and the rare nested values
(claims with their fact-checks and evidence) are dicts handed to the same encoder. Making the text
directly rather than a dict per paragraph, quote and annotation is what keeps a large export fast.

Lists are ordered by (start, end, id), non-span items first: the rows arrive in that order (see
``dataset.SPAN_ORDER``), paragraphs by position, claims by id. The row layouts are ``dataset``'s
``*_COLUMNS``.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime
from json.encoder import encode_basestring

from .selection import ExportOptions

SCHEMA_VERSION = "1"
FULL = ExportOptions()
EVIDENCE_KEYS = ("url", "title", "publisher", "accessed")

# json.dumps(value, ensure_ascii=False, separators=(",", ":")), with the encoder made once.
encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), check_circular=False).encode
# What that encoder writes a str with (the C function when there is one): quotes, backslashes and
# control characters escaped, everything else as it is.
_string = encode_basestring


def _text(value: str | None) -> str:
    return "null" if value is None else _string(value)


class Memo(dict):
    """``write(value)`` for values of a column with few distinct ones (roles, kinds, statuses, slugs,
    authors), each worked out once."""

    def __init__(self, write):
        super().__init__()
        self.write = write

    def __missing__(self, value):
        text = self[value] = self.write(value)
        return text


def _one_tag(slug: str | None) -> str:
    return "[]" if slug is None else f"[{_string(slug)}]"


class Names:
    """The memos an export shares across its articles."""

    def __init__(self, options: ExportOptions):
        self.text = Memo(_text)
        self.author = Memo(lambda username: _text(options.author(username)))
        self.one_tag = Memo(_one_tag)


def rfc3339(value: datetime | None) -> str | None:
    if value is None:
        return None
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def evidence_items(evidence: list[dict]) -> list[dict]:
    """A fact-check's evidence with exactly the documented keys, missing ones as empty strings."""
    return [{k: item.get(k, "") for k in EVIDENCE_KEYS} for item in evidence]


def claim_records(claims: Sequence[tuple], options: ExportOptions = FULL) -> list[dict]:
    author = options.author
    records = []
    for (
        _, claim_id, claim_text, claimant, annotation_id, fact_check_id, verdict, rationale, evidence,
        status, checker, reviewer, checked_at,
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


def article_line(
    article: tuple,
    *,
    paragraphs: Sequence[tuple],
    quotes: Sequence[tuple],
    annotations: Sequence[tuple],
    claims: Sequence[tuple],
    options: ExportOptions = FULL,
    names: Names | None = None,
) -> str:
    """One article's record as JSON text (no newline).

    With ``text="none"`` the article's ``title`` and ``text``, paragraph and quote ``text`` and
    annotation ``exact`` are null; offsets, hashes, notes, claims and fact-checks stay. An annotation
    comes as one row per tag (its slug last, null without tags), its rows together. ``names`` may be
    shared by the articles of an export, so that each name is escaped once.

    Columns the schema declares NOT NULL are written without a null check: a null there fails loudly
    rather than being written as something else.
    """
    string = _string
    if names is None:
        names = Names(options)
    esc, authors, one_tag = names.text, names.author, names.one_tag
    with_text = options.with_text
    if with_text:
        pk, url, source, published_at, language, content_hash, title, text = article
    else:
        pk, url, source, published_at, language, content_hash = article
        title = text = None

    positions = {}
    items = []
    for _, paragraph_id, position, role, rule, start, end in paragraphs:
        positions[paragraph_id] = position
        items.append(
            f'{{"position":{position},"role":{esc[role]},"rule":{esc[rule]},"start":{start},"end":{end},'
            f'"text":{"null" if text is None else string(text[start:end])}}}'
        )
    paragraphs_json = ",".join(items)

    items = []
    for (
        _, quote_id, kind, start, end, exact, paragraph_id, continues_id, speaker, speaker_kind,
        speaker_mention, cue, via, origin, verified,
    ) in quotes:  # fmt: skip
        if text is None:
            words = "null"
        elif start is None:
            words = string(exact)
        else:
            words = string(text[start:end])
        position = positions.get(paragraph_id)
        items.append(
            f'{{"id":{quote_id},"kind":{esc[kind]},"text":{words},'
            f'"start":{"null" if start is None else start},"end":{"null" if end is None else end},'
            f'"paragraph":{"null" if position is None else position},'
            f'"continues":{"null" if continues_id is None else continues_id},'
            f'"speaker":{"null" if speaker is None else string(speaker)},"speaker_kind":{esc[speaker_kind]},'
            f'"speaker_mention":{string(speaker_mention)},"cue":{string(cue)},'
            f'"via":{"null" if via is None else string(via)},"origin":{esc[origin]},'
            f'"verified":{"true" if verified else "false"}}}'
        )
    quotes_json = ",".join(items)

    items = []
    last_id = slugs = None
    for _, annotation_id, target, start, end, exact, note, status, origin, username, slug in annotations:
        if annotation_id == last_id:  # one more tag of the annotation just written: write it again
            items.pop()
            slugs.append(slug)
            tags = f"[{','.join(map(esc.__getitem__, sorted(slugs)))}]"
        else:
            last_id, slugs = annotation_id, [slug]
            tags = one_tag[slug]
        items.append(
            f'{{"id":{annotation_id},"target":{esc[target]},"start":{"null" if start is None else start},'
            f'"end":{"null" if end is None else end},"exact":{string(exact) if with_text else "null"},'
            f'"tags":{tags},"note":{string(note)},"status":{esc[status]},'
            f'"origin":{esc[origin]},"author":{authors[username]}}}'
        )
    annotations_json = ",".join(items)

    claims_json = encode(claim_records(claims, options)) if claims else "[]"
    return (
        f'{{"id":{pk},"url":{_text(url)},"source":{_text(source)},'
        f'"published_at":{_text(rfc3339(published_at))},"language":{string(language)},'
        f'"title":{_text(title)},"content_hash":{string(content_hash)},"text":{_text(text)},'
        f'"paragraphs":[{paragraphs_json}],"quotes":[{quotes_json}],"annotations":[{annotations_json}],'
        f'"claims":{claims_json}}}'
    )
