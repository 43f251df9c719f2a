"""Import an export back: reader -> records -> batches of articles, one transaction per batch.

A JSONL export (a file with its companions beside it, a folder or a zip) or a csv or parquet export (a
folder or a zip) is read into article records of the contract's shape (docs/contract.md), ``BATCH_SIZE`` at a time, and
memory holds one batch whatever the size of the export (csv and parquet child tables are copied to a
temporary SQLite file first: see ``_Staged``). A batch costs a fixed number of queries, whatever its
size: one to find which of its articles the database already has (by url, by source and external
id, or by content hash; skipped while importing into an empty database), one per table for what
those articles already hold, one per kind of name not met before (users, tags, sources, speakers),
one to reserve ids, and one insert per table (a binary ``COPY`` on PostgreSQL). Ids are handed out
before anything is written, so rows that point at each other (a quote at its paragraph, at the quote
it continues, a claim at its annotation) are built in one pass.

Every record is checked before its batch writes anything: a bad line (truncated JSON, a span whose
words do not match) is reported with the line and the field, nothing of that article is written, and
the others go on. Should the database still refuse a batch (a constraint the checks do not cover, a
concurrent writer), it is written again one article per transaction, so the one at fault is named and
the others land.

Articles already in the database are merged, not duplicated; so are their quotes (same span and kind),
annotations (same target, paragraph or quote, span, exact and author) and claims (same text and annotation). Into an empty
database the exported ids are kept, so exporting again gives the same bytes. Authors missing from the
database are created inactive.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.management.color import no_style
from django.db import DataError, IntegrityError, connection, transaction
from django.db.models import Model, Q
from django.utils import timezone

from corpus.bulk import Ids, RowWriter
from corpus.clusters import clusters_refresh
from corpus.ingest.types import LOCAL_SPEAKER_KINDS
from corpus.models import (
    Anchor,
    Article,
    Paragraph,
    Quote,
    QuoteCluster,
    Source,
    Speaker,
    SpeakerAlias,
    SpeakerKind,
)
from corpus.spans import span_context
from corpus.versioning import NOT_GIVEN
from corpus.weburls import web_url_problem

from ..models import Annotation, AnnotationTarget, Claim, FactCheck, FactCheckStatus, Tag
from .from_tables import table_records, table_rows
from .reading import BATCH_SIZE, Dataset, DatasetError, jsonl_records

TARGETS = frozenset(AnnotationTarget.values)


@dataclass
class ImportResult:
    created: int = 0
    merged: int = 0
    failed: int = 0
    counts: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    errors: list[str] = field(default_factory=list)


# --- Writing ---------------------------------------------------------------------------------

# The columns each batch fills, in the order of the rows built below; every other column of the table
# gets its default (timestamps: the batch's time).
ARTICLE_COLUMNS = (
    "id", "source_id", "url", "external_id", "raw_text", "content_hash", "text", "title", "standfirst",
    "byline", "published_at", "language", "metadata",
)  # fmt: skip
PARAGRAPH_COLUMNS = ("id", "article_id", "position", "role", "rule", "start", "end")
SPEAKER_COLUMNS = ("id", "name", "kind", "description", "article_id")
QUOTE_COLUMNS = (
    "id", "article_id", "paragraph_id", "kind", "start", "end", "exact", "anchor", "continues_id",
    "speaker_id", "speaker_mention", "cue", "via_id", "origin", "verified", "cluster_id",
)  # fmt: skip
QUOTE_CONTINUES = QUOTE_COLUMNS.index("continues_id")
ANNOTATION_COLUMNS = (
    "id", "article_id", "target", "paragraph_id", "quote_id", "start", "end", "exact", "prefix", "suffix",
    "anchor", "note", "author_id", "status", "origin",
)  # fmt: skip
LINK_COLUMNS = ("annotation_id", "tag_id")
# Plain strings: the database drivers bind them as they are.
PLACED, ORPHANED = Anchor.PLACED.value, Anchor.ORPHANED.value
SPAN, PARAGRAPH, QUOTE = (
    AnnotationTarget.SPAN.value,
    AnnotationTarget.PARAGRAPH.value,
    AnnotationTarget.QUOTE.value,
)
PERSON, ANONYMOUS = SpeakerKind.PERSON.value, SpeakerKind.ANONYMOUS.value

# What a malformed record can raise while it is checked; anything else is a bug and stops the import.
RECORD_ERRORS = (DatasetError, DjangoValidationError, KeyError, TypeError, ValueError, AttributeError)
# What the database can refuse a batch with; the batch is then written again article by article.
WRITE_ERRORS = (IntegrityError, DataError)

# Paragraphs, quotes and speakers of a batch are plain tuples: (id, position, start, end) for a
# paragraph, (id, start, end, exact) for a quote.
ParagraphRef = tuple[int, int, int, int]
QuoteRef = tuple[int, int | None, int | None, str]


@dataclass
class _Match:
    """An article already in the database that a record merges into, with what it already holds."""

    id: int
    text: str
    paragraphs: dict[int, ParagraphRef] = field(default_factory=dict)
    quotes: dict[tuple, QuoteRef] = field(default_factory=dict)  # (start, end, kind) -> quote
    quote_list: list[QuoteRef] = field(default_factory=list)
    # (target, start, end, exact, author, paragraph position, quote id) -> id
    annotations: dict[tuple, int] = field(default_factory=dict)
    claims: set[tuple[str, int | None]] = field(default_factory=set)
    speakers: dict[str, int] = field(default_factory=dict)  # its own speakers, by name


class _Batch:
    """The rows one batch writes, table by table. A record that fails its checks is cut back out."""

    LISTS = (
        "users", "sources", "tags", "speakers", "aliases", "articles", "paragraphs", "quotes",
        "annotations", "links", "claims", "fact_checks", "kept", "clusters",
    )  # fmt: skip

    def __init__(self):
        self.now = timezone.now()
        for name in self.LISTS:
            setattr(self, name, [])
        self.created = self.merged = self.failed = 0
        self.errors: list[str] = []

    def mark(self) -> tuple[int, ...]:
        return tuple(len(getattr(self, name)) for name in self.LISTS)

    def reset(self, mark: tuple[int, ...]) -> None:
        for name, length in zip(self.LISTS, mark, strict=True):
            del getattr(self, name)[length:]


class Importer:
    def __init__(self, dataset: Dataset, *, batch_size: int = BATCH_SIZE):
        self.dataset = dataset
        self.batch_size = batch_size
        self.result = ImportResult()
        # Name -> id of rows found or created, and None for names looked up and not found.
        self.users: dict[str, int | None] = {}
        self.tags: dict[str, int | None] = {}
        self.sources: dict[str, int | None] = {}
        self.shared: dict[str, int] = {}  # shared speakers this import has met
        self.found_shared: dict[str, int | None] = {}  # looked up ahead of need, not met yet
        self.local_specs: dict[Any, dict[str, dict]] = defaultdict(dict)  # export article -> name -> spec
        # Cache entries for rows not written yet: undone when their record or batch is.
        self.journal: list[tuple[dict, str, Any]] = []
        self.ids = Ids()
        self.writer = RowWriter()
        models = (Article, Quote, QuoteCluster, Annotation, Claim, FactCheck, Speaker, Tag)
        # Ids are kept only in tables that were empty: anywhere else they could collide.
        self.keep_ids = {model for model in models if not model.objects.exists()}
        self.kept: set[type[Model]] = set()
        self.attempted: _Batch | None = None  # the batch last put together, for what the database refused
        self.clusters: dict[int, int] = {}  # the export's cluster id -> this database's
        # Into an empty database nothing can match, so batches skip the look-ups; a record that
        # repeats one imported earlier is caught by the unique constraints and the batch redone.
        self.fresh = Article in self.keep_ids

    def _pk(self, model: type[Model], pk, batch: _Batch | None = None, where: str = "") -> int:
        if pk is not None and model in self.keep_ids:
            self.kept.add(model)
            if batch is not None:
                batch.kept.append((model, pk, where))
            return pk
        return self.ids.take(model)

    def _remember(self, cache: dict, key: str, value: Any) -> None:
        self.journal.append((cache, key, cache.get(key, NOT_GIVEN)))
        cache[key] = value

    def _forget(self, mark: int) -> None:
        """Rows planned since ``mark`` will not be written: drop them from the caches."""
        while len(self.journal) > mark:
            cache, key, before = self.journal.pop()
            if before is NOT_GIVEN:
                cache.pop(key, None)
            else:
                cache[key] = before

    # Tags and speakers come first: articles point at them.

    @transaction.atomic
    def load_tags(self) -> None:
        if self.dataset.format == "jsonl":
            entries = self.dataset.json("tags.json") if self.dataset.has("tags.json") else []
        else:
            entries = list(table_rows(self.dataset, "tags"))
        tags = {t.slug: t for t in Tag.objects.all()}
        new = []
        kept: dict[int, str] = {}  # exported id -> slug
        for index, entry in enumerate(entries):
            if entry["slug"] not in tags:
                tag = Tag(
                    slug=entry["slug"],
                    name=entry.get("name") or entry["slug"],
                    description=_text(entry.get("description")),
                    colour=entry.get("colour") or "#ffd54f",
                    id=self._pk(Tag, entry.get("id")),
                )
                tag.full_clean(exclude=["parent"], validate_unique=False)
                if Tag in self.keep_ids and tag.pk in kept:
                    raise DatasetError(
                        f"{self._companion('tags', index)}: field 'id': tag id {tag.pk} is already the id of "
                        f"tag {kept[tag.pk]!r}; give each tag its own id. Nothing was imported."
                    )
                kept[tag.pk] = tag.slug
                tags[tag.slug] = tag
                new.append(tag)
        Tag.objects.bulk_create(new)
        if new:
            self.result.counts["tags"] += len(new)
        orphans = []
        for entry in entries:
            parent = entry.get("parent")
            tag = tags[entry["slug"]]
            if parent and tag.parent_id is None:
                if parent not in tags:
                    raise DatasetError(f"tags: tag {entry['slug']!r} names an unknown parent {parent!r}.")
                tag.parent = tags[parent]
                orphans.append(tag)
        Tag.objects.bulk_update(orphans, ["parent"])
        self.tags.update({slug: tag.pk for slug, tag in tags.items()})
        if Tag in self.kept:
            self.ids.floor(Tag, max(tag.pk for tag in new))

    @transaction.atomic
    def load_speakers(self) -> None:
        if self.dataset.format == "jsonl":
            entries = self.dataset.json("speakers.json") if self.dataset.has("speakers.json") else []
        else:
            aliases: dict[int, list[str]] = defaultdict(list)
            for row in table_rows(self.dataset, "speaker_aliases"):
                aliases[row["speaker_id"]].append(row["phrase"])
            entries = [
                {**row, "article": row["article_id"], "aliases": aliases.get(row["id"], [])}
                for row in table_rows(self.dataset, "speakers")
            ]
        shared = []
        for index, entry in enumerate(entries):
            if entry.get("article") is not None:
                self.local_specs[entry["article"]].setdefault(entry["name"], entry)
            elif entry["name"] not in self.shared:
                self.shared[entry["name"]] = 0  # placeholder until found or created below
                shared.append((index, entry))
        batch = _Batch()
        kept: dict[int, str] = {}  # exported id -> name
        for start in range(0, len(shared), BATCH_SIZE):
            chunk = shared[start : start + BATCH_SIZE]
            found = {
                name: (pk, description)
                for name, pk, description in Speaker.objects.filter(
                    article__isnull=True, name__in=[e["name"] for _, e in chunk]
                ).values_list("name", "id", "description")
            }
            for index, entry in chunk:
                name = entry["name"]
                if name in found:
                    pk, description = found[name]
                    if entry.get("description") and not description:
                        Speaker.objects.filter(pk=pk).update(description=entry["description"])
                else:
                    pk = self._pk(Speaker, entry.get("id"))
                    if Speaker in self.keep_ids and pk in kept:
                        raise DatasetError(
                            f"{self._companion('speakers', index)}: field 'id': speaker id {pk} is already the "
                            f"id of speaker {kept[pk]!r}; give each speaker its own id. Nothing was imported."
                        )
                    kept[pk] = name
                    kind = entry.get("kind") or PERSON
                    batch.speakers.append((pk, name, kind, _text(entry.get("description")), None))
                self.shared[name] = pk
                phrases = _alias_phrases(entry.get("aliases") or [])
                if phrases:
                    batch.aliases.append((pk, phrases))
        self.writer.insert(Speaker, SPEAKER_COLUMNS, batch.speakers, batch.now)
        self._aliases(batch.aliases)
        if batch.speakers:
            self.result.counts["speakers"] += len(batch.speakers)
        if Speaker in self.keep_ids:
            kept = [e.get("id") for e in entries if isinstance(e.get("id"), int)]
            if kept:
                self.ids.floor(Speaker, max(kept))

    # Articles, a batch at a time.

    def run(self, records: Iterator[tuple[str, dict | DatasetError]], progress=None) -> ImportResult:
        try:
            self.load_tags()
            self.load_speakers()
            pending: list[tuple[str, dict | DatasetError]] = []
            for item in records:
                pending.append(item)
                if len(pending) >= self.batch_size:
                    self._import(pending, progress)
                    pending = []
            self._import(pending, progress)
            self._finish_clusters()
        finally:
            # Also when the import stops half-way: the batches written keep their ids.
            self._reset_sequences()
        return self.result

    @transaction.atomic
    def _finish_clusters(self) -> None:
        """Once every quote is in: count the recreated clusters and find their first appearance. A
        cluster whose quotes the dataset holds in one article only (an export of some articles) is no
        cluster here and is dissolved, as the machine's are."""
        if self.clusters:
            clusters_refresh(ids=self.clusters.values())

    def _import(self, items: list, progress) -> None:
        while items:
            done = self._batch(items)
            if progress is not None and done:
                progress.update(done)
            items = items[done:]

    def _batch(self, items: list) -> int:
        """Write the longest run of ``items`` that can go in one batch; return how many were handled."""
        items = items[: _distinct_prefix(items)]
        # A record without text can only merge, so it is always looked up.
        lookups = not self.fresh or any(isinstance(r, dict) and r.get("text") is None for _, r in items)
        mark = len(self.journal)
        try:
            batch, count = self._attempt(items, lookups=lookups)
        except WRITE_ERRORS:
            self._forget(mark)
            if not lookups:
                self.fresh = False  # something here is already in the database: look records up
                return 0
            for item in items:
                self._alone(item)
            return len(items)
        self._commit(batch)
        return count

    def _alone(self, item: tuple[str, dict | DatasetError]) -> None:
        """One record in a transaction of its own: after its batch was refused, find who is at fault."""
        mark = len(self.journal)
        try:
            batch, _ = self._attempt([item], lookups=True)
        except WRITE_ERRORS as exc:
            self._forget(mark)
            self.result.failed += 1
            problem = self._clash(self.attempted) or _describe(exc)
            self.result.errors.append(f"{item[0]}: {problem}; nothing of this article was written.")
            return
        self._commit(batch)

    def _attempt(self, items: list, *, lookups: bool) -> tuple[_Batch, int]:
        with transaction.atomic():
            matches = self._matches(items) if lookups else [None] * len(items)
            count = _first_repeat(matches)  # two records merging into one article: not in one batch
            items, matches = items[:count], matches[:count]
            self._look_up_names(items, matches)
            self.ids.begin(self._wanted(items, matches))
            batch = self.attempted = _Batch()
            for (origin, record), match in zip(items, matches, strict=True):
                self._record(origin, record, match, batch)
            self._write(batch)
        return batch, count

    def _clash(self, batch: _Batch | None) -> str | None:
        """Why the database refused a record that passed its checks, when the reason is an id it kept
        from the export that another of its rows, or a row written before, already has: one query per
        table, and only once a record has been refused."""
        if batch is None:
            return None
        first: dict[tuple[type[Model], int], str] = {}
        for model, pk, where in batch.kept:
            if (model, pk) in first:
                label = model._meta.verbose_name
                return f"{where}: {label} id {pk} is already the id of {_field_of(first[(model, pk)])}"
            first[(model, pk)] = where
        wanted: dict[type[Model], list[int]] = defaultdict(list)
        for model, pk in first:
            wanted[model].append(pk)
        holders: dict[tuple[type[Model], int], str] = {}
        for model, ids in wanted.items():
            for chunk in range(0, len(ids), 500):
                for row in model.objects.filter(pk__in=ids[chunk : chunk + 500]).order_by():
                    holders[(model, row.pk)] = _holder(row)
        for (model, pk), where in first.items():
            if (model, pk) in holders:
                label = model._meta.verbose_name
                return f"{where}: {label} id {pk} is already taken by {holders[(model, pk)]}"
        return None

    def _companion(self, table: str, index: int) -> str:
        """Where the ``index``-th entry of the tags or speakers came from, as a person finds it."""
        if self.dataset.format == "jsonl":
            return f"{self.dataset.names.get(f'{table}.json', f'{table}.json')} item {index}"
        return f"{table}.{self.dataset.format} row {index + 2}"

    def _commit(self, batch: _Batch) -> None:
        self.journal.clear()
        result = self.result
        result.created += batch.created
        result.merged += batch.merged
        result.failed += batch.failed
        result.errors.extend(batch.errors)
        for name in ("users", "tags", "speakers", "quotes", "annotations", "claims", "fact_checks"):
            if getattr(batch, name):
                result.counts[name] += len(getattr(batch, name))

    def _reset_sequences(self) -> None:
        """Explicit ids leave PostgreSQL's sequences behind; move them past the highest id."""
        if not self.kept:
            return
        statements = connection.ops.sequence_reset_sql(
            no_style(), sorted(self.kept, key=lambda m: m.__name__)
        )
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)

    # Look-ups: one query per batch for each kind of thing, never one per article.

    def _matches(self, items: list) -> list[_Match | None]:
        urls, hashes, sources, external_ids = set(), set(), set(), set()
        for _, record in items:
            if isinstance(record, dict):
                for key in _identity(record):
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
        found: dict[tuple, _Match] = {}
        if urls or hashes or external_ids:
            rows = Article.objects.filter(condition).order_by()
            for pk, url, source, external_id, content_hash, text in rows.values_list(
                "id", "url", "source__name", "external_id", "content_hash", "text"
            ):
                match = _Match(id=pk, text=text)
                if url:
                    found[("url", url)] = match
                if source and external_id:
                    found[("pair", source, external_id)] = match
                found[("hash", content_hash)] = match
        matches = []
        for _, record in items:
            keys = _identity(record) if isinstance(record, dict) else ()
            matches.append(next((found[key] for key in keys if key in found), None))
        self._holdings({m.id: m for m in matches if m is not None})
        return matches

    def _holdings(self, matches: dict[int, _Match]) -> None:
        """What the matched articles already hold, for the merge: one query per table."""
        if not matches:
            return
        ids = list(matches)
        for article_id, pk, position, start, end in (
            Paragraph.objects.filter(article_id__in=ids)
            .order_by()
            .values_list("article_id", "id", "position", "start", "end")
        ):
            matches[article_id].paragraphs[position] = (pk, position, start, end)
        for article_id, pk, start, end, kind, exact in (
            Quote.objects.filter(article_id__in=ids)
            .order_by()
            .values_list("article_id", "id", "start", "end", "kind", "exact")
        ):
            quote = (pk, start, end, exact)
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
            Claim.objects.filter(article_id__in=ids)
            .order_by()
            .values_list("article_id", "text", "annotation_id")
        ):
            matches[article_id].claims.add((text, annotation_id))
        for article_id, name, pk in (
            Speaker.objects.filter(article_id__in=ids).order_by().values_list("article_id", "name", "id")
        ):
            matches[article_id].speakers[name] = pk

    def _look_up_names(self, items: list, matches: list) -> None:
        """Find the users, tags, sources and shared speakers the batch names that are not known yet."""
        users, tags, sources, speakers = set(), set(), set(), set()
        for (_, record), match in zip(items, matches, strict=True):
            if not isinstance(record, dict):
                continue
            try:
                if match is None and record.get("source"):
                    sources.add(record["source"])
                specs = self.local_specs.get(record.get("id"), {})
                for quote in record.get("quotes") or ():
                    for name, kind in (
                        (quote.get("speaker"), quote.get("speaker_kind")),
                        (quote.get("via"), None),
                    ):
                        if (
                            name
                            and name not in self.shared
                            and name not in specs
                            and kind not in LOCAL_SPEAKER_KINDS
                        ):
                            speakers.add(name)
                for annotation in record.get("annotations") or ():
                    users.add(annotation.get("author"))
                    tags.update(annotation.get("tags") or ())
                for claim in record.get("claims") or ():
                    name = claim.get("claimant")
                    if name and name not in self.shared and name not in specs:
                        speakers.add(name)
                    check = claim.get("fact_check")
                    if check:
                        users.update((check.get("author"), check.get("reviewer")))
            except (AttributeError, TypeError):
                continue  # a malformed record: it fails on its own when it is checked
        User = get_user_model()
        self._look_up(self.users, users, lambda names: User.objects.filter(username__in=names), "username")
        self._look_up(self.tags, tags, lambda names: Tag.objects.filter(slug__in=names), "slug")
        self._look_up(self.sources, sources, lambda names: Source.objects.filter(name__in=names), "name")
        self._look_up(
            self.found_shared,
            speakers - self.shared.keys(),
            lambda names: Speaker.objects.filter(article__isnull=True, name__in=names),
            "name",
        )

    @staticmethod
    def _look_up(cache: dict, names: Iterable, queryset: Callable, key: str) -> None:
        wanted = sorted({n for n in names if n and isinstance(n, str) and n not in cache})
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            found = dict(queryset(chunk).order_by().values_list(key, "id"))
            for name in chunk:
                cache[name] = found.get(name)

    def _wanted(self, items: list, matches: list) -> dict[type[Model], int]:
        """How many new ids each table will likely need for this batch (more are fetched if not)."""
        wanted: dict[type[Model], int] = defaultdict(int)
        keep = self.keep_ids
        for (_, record), match in zip(items, matches, strict=True):
            if not isinstance(record, dict):
                continue
            if match is None:
                wanted[Paragraph] += _size(record.get("paragraphs"))
                if Article not in keep:
                    wanted[Article] += 1
            if Quote not in keep:
                wanted[Quote] += _size(record.get("quotes"))
            if Annotation not in keep:
                wanted[Annotation] += _size(record.get("annotations"))
            claims = _size(record.get("claims"))
            if Claim not in keep:
                wanted[Claim] += claims
            if FactCheck not in keep or self.dataset.format == "jsonl":
                wanted[FactCheck] += claims
            if Speaker not in keep:
                with suppress(TypeError):  # an id that is not a key: the record fails later
                    wanted[Speaker] += len(self.local_specs.get(record.get("id"), ()))
        return {model: n for model, n in wanted.items() if n}

    def _user(self, username: str | None, batch: _Batch) -> int | None:
        if not username:
            return None
        User = get_user_model()

        def create(pk: int) -> None:
            batch.users.append(User(pk=pk, username=username, is_active=False, password=make_password(None)))

        return self._named(self.users, username, User, "username", create)

    def _tag(self, slug: str, batch: _Batch) -> int:
        return self._named(
            self.tags, slug, Tag, "slug", lambda pk: batch.tags.append(Tag(pk=pk, slug=slug, name=slug))
        )

    def _source(self, name: str, batch: _Batch) -> int:
        return self._named(
            self.sources, name, Source, "name", lambda pk: batch.sources.append(Source(pk=pk, name=name))
        )

    def _named(
        self, cache: dict, name: str, model: type[Model], key: str, create: Callable[[int], None]
    ) -> int:
        """The id of the row ``name`` names (a username, a tag's slug, a source's name): found by the
        batch's look-up, or created with the batch."""
        pk = cache.get(name, NOT_GIVEN)
        if pk is NOT_GIVEN:  # missed by the batch's look-up (a name that is not a string, say)
            self._look_up(cache, [name], lambda names: model.objects.filter(**{f"{key}__in": names}), key)
            pk = cache.get(name)
        if pk is None:
            pk = self.ids.take(model)
            create(pk)
            self._remember(cache, name, pk)
        return pk

    def _shared_speaker(self, name: str, kind: str | None, batch: _Batch) -> int:
        pk = self.shared.get(name)
        if pk is not None:
            return pk
        if name not in self.found_shared:
            self._look_up(
                self.found_shared,
                [name],
                lambda n: Speaker.objects.filter(article__isnull=True, name__in=n),
                "name",
            )
        pk = self.found_shared.get(name)
        if pk is None:
            pk = self.ids.take(Speaker)
            batch.speakers.append((pk, name, kind or PERSON, "", None))
            self._remember(self.shared, name, pk)
        else:
            self.shared[name] = pk
        return pk

    def _speaker(
        self, article_id: int, record: dict, name, kind, cache: dict, own: dict, batch: _Batch
    ) -> int | None:
        """The speaker a quote or claim names: the article's own (anonymous sources, unnamed groups,
        or named so in the speakers file) or one shared by all articles."""
        if not name:
            return None
        if name in cache:
            return cache[name]
        spec = self.local_specs.get(record["id"], {}).get(name)
        if spec is not None or (kind in LOCAL_SPEAKER_KINDS and name not in self.shared):
            pk = own.get(name)
            if pk is None:
                spec = spec or {"name": name, "kind": kind}
                pk = self._pk(Speaker, spec.get("id"), batch, f"speaker {name!r}: field 'id'")
                kind = spec.get("kind") or ANONYMOUS
                batch.speakers.append((pk, name, kind, _text(spec.get("description")), article_id))
                phrases = _alias_phrases(spec.get("aliases") or [])
                if phrases:
                    batch.aliases.append((pk, phrases))
                own[name] = pk
        else:
            pk = self._shared_speaker(name, kind, batch)
        cache[name] = pk
        return pk

    # One record: checked field by field, its rows added to the batch.

    def _record(self, origin: str, record: dict | DatasetError, match: _Match | None, batch: _Batch) -> None:
        mark, journal = batch.mark(), len(self.journal)
        try:
            if isinstance(record, DatasetError):
                raise record
            self._article(origin, record, match, batch)
        except RECORD_ERRORS as exc:
            batch.reset(mark)
            self._forget(journal)
            batch.failed += 1
            batch.errors.append(
                str(exc)
                if isinstance(exc, DatasetError)
                else f"{origin}: {_describe(exc)}; nothing of this article was written."
            )

    def _article(self, origin: str, record: dict, match: _Match | None, batch: _Batch) -> None:
        missing = [
            key
            for key in ("id", "content_hash", "paragraphs", "quotes", "annotations", "claims")
            if key not in record
        ]
        if missing:
            raise DatasetError(f"{origin}: field {missing[0]!r} is missing.")
        fail = _Failure(origin)
        text = record.get("text")
        if match is not None:
            if text is not None and text != match.text:
                fail(
                    "text",
                    f"differs from the text of article {match.id} with the same identity (another revision?)",
                )
            text, article_id, paragraphs = match.text, match.id, match.paragraphs
        else:
            if text is None:
                fail(
                    "text",
                    "this export carries no text (--text none) and no article here has its url or content_hash: "
                    "ingest the texts first, then import",
                )
            article_id = self._article_row(record, text, fail, batch)
            paragraphs = self._paragraphs(article_id, record, text, fail, batch)
        own = match.speakers if match is not None else {}
        quotes = self._quotes(article_id, record, text, paragraphs, match, own, fail, batch)
        annotations = self._annotations(article_id, record, text, paragraphs, quotes, match, fail, batch)
        self._claims(article_id, record, annotations, match, own, fail, batch)
        if match is None:
            batch.created += 1
        else:
            batch.merged += 1

    def _article_row(self, record: dict, text: str, fail, batch: _Batch) -> int:
        source = self._source(record["source"], batch) if record.get("source") else None
        roles = {p.get("role"): p for p in reversed(record["paragraphs"])}
        pk = self._pk(Article, record["id"], batch, "field 'id'")
        published_at = _datetime(record.get("published_at"), fail, "published_at")
        if record.get("url") and (problem := web_url_problem(record["url"])):
            fail("url", problem)
        batch.articles.append(
            (
                pk,
                source,
                record.get("url") or None,
                _text(record.get("external_id")),
                # The raw input is not part of a dataset: the normalized text stands in for it.
                text,
                record["content_hash"],
                text,
                _text(record.get("title")),
                _cut(text, roles.get("standfirst")),
                _cut(text, roles.get("byline"))[:500],
                connection.ops.adapt_datetimefield_value(published_at),
                _text(record.get("language"), "en"),
                self.writer.metadata,
            )
        )
        return pk

    def _paragraphs(
        self, article_id: int, record: dict, text: str, fail, batch: _Batch
    ) -> dict[int, ParagraphRef]:
        rows, take = batch.paragraphs, self.ids.take
        positions: dict[int, ParagraphRef] = {}
        for index, item in enumerate(record["paragraphs"]):
            start, end = item.get("start"), item.get("end")
            _span_words(text, start, end, item.get("text"), f"paragraphs[{index}]", "text", fail)
            position = item["position"]
            if not isinstance(position, int):
                fail(f"paragraphs[{index}].position", f"{position!r} is not a whole number")
            if position in positions:
                fail(f"paragraphs[{index}].position", f"position {position} is already taken")
            pk = take(Paragraph)
            rows.append(
                (
                    pk,
                    article_id,
                    position,
                    _text(item.get("role"), "body"),
                    _text(item.get("rule")),
                    start,
                    end,
                )
            )
            positions[position] = (pk, position, start, end)
        return positions

    def _quotes(self, article_id, record, text, paragraphs, match, own, fail, batch) -> dict[Any, QuoteRef]:
        existing = match.quotes if match is not None else {}
        by_export: dict[Any, QuoteRef] = {}
        speakers: dict[str, int] = {}
        new: list[tuple[dict, list]] = []
        for index, item in enumerate(record["quotes"]):
            start, end = item.get("start"), item.get("end")
            words = item.get("text")
            if start is not None:
                words = _span_words(text, start, end, words, f"quotes[{index}]", "text", fail)
            kind = item.get("kind")
            found = existing.get((start, end, kind))
            if found is not None:
                by_export[item["id"]] = found
                continue
            position = item.get("paragraph")
            paragraph = paragraphs.get(position) if position is not None else None
            if start is not None and paragraph is None:
                fail(f"quotes[{index}].paragraph", f"no paragraph at position {position}")
            speaker = self._speaker(
                article_id, record, item.get("speaker"), item.get("speaker_kind"), speakers, own, batch
            )
            via = self._speaker(article_id, record, item.get("via"), None, speakers, own, batch)
            pk = self._pk(Quote, item["id"], batch, f"field 'quotes[{index}].id'")
            exact = _text(words)
            row = [
                pk,
                article_id,
                paragraph[0] if paragraph is not None else None,
                kind,
                start,
                end,
                exact,
                PLACED if start is not None else ORPHANED,
                None,
                speaker,
                _text(item.get("speaker_mention")),
                _text(item.get("cue")),
                via,
                _text(item.get("origin"), "machine"),
                bool(item.get("verified")),
                self._cluster(item.get("cluster"), f"quotes[{index}].cluster", fail, batch),
            ]
            new.append((item, row))
            by_export[item["id"]] = (pk, start, end, exact)
        for item, row in new:
            continues = item.get("continues")
            if continues is not None and continues in by_export:
                row[QUOTE_CONTINUES] = by_export[continues][0]
        batch.quotes.extend(row for _, row in new)
        return by_export

    def _cluster(self, exported, field: str, fail, batch: _Batch) -> int | None:
        """This database's cluster for the export's cluster id: the same id into an empty table, else a
        new cluster, one for each exported id whatever the article."""
        if exported is None:
            return None
        if type(exported) is not int:
            fail(field, f"{exported!r} is not a cluster id")
        pk = self.clusters.get(exported)
        if pk is None:
            pk = self._pk(QuoteCluster, exported)
            batch.clusters.append(QuoteCluster(pk=pk))
            self._remember(self.clusters, exported, pk)
        return pk

    def _annotations(
        self, article_id, record, text, paragraphs, quotes, match, fail, batch
    ) -> dict[Any, int]:
        existing = match.annotations if match is not None else {}
        by_export: dict[Any, int] = {}
        rows, links = batch.annotations, batch.links
        for index, item in enumerate(record["annotations"]):
            where = f"annotations[{index}]"
            target, start, end, exact = (
                item.get("target"),
                item.get("start"),
                item.get("end"),
                item.get("exact"),
            )
            if target not in TARGETS:
                fail(f"{where}.target", f"{target!r} is not one of {', '.join(AnnotationTarget.values)}")
            paragraph = quote = None
            if target == SPAN:
                if start is not None:
                    exact = _span_words(text, start, end, exact, where, "exact", fail)
            elif target == PARAGRAPH:
                paragraph = _paragraph_for(item, exact, text, paragraphs, fail, where)
                exact = text[paragraph[2] : paragraph[3]]
            elif target == QUOTE:
                quote = _quote_for(item, exact, text, quotes, match, fail, where)
                exact = text[quote[1] : quote[2]] if quote[1] is not None else quote[3]
            else:
                exact = ""
            author_name = item.get("author")
            # Which paragraph or quote, too: two copies of the same words are two targets.
            key = (
                target,
                start,
                end,
                exact or "",
                author_name,
                paragraph[1] if paragraph is not None else None,
                quote[0] if quote is not None else None,
            )
            if key in existing:
                by_export[item["id"]] = existing[key]
                continue
            prefix = suffix = ""
            if target == SPAN and start is not None:
                prefix, suffix = span_context(text=text, start=start, end=end)
            origin = _text(item.get("origin"), "editor")
            author = self._user(author_name, batch)
            if origin == "editor" and author is None:
                fail(f"{where}.author", "an editor's annotation needs an author")
            pk = self._pk(Annotation, item["id"], batch, f"field '{where}.id'")
            rows.append(
                (
                    pk,
                    article_id,
                    target,
                    paragraph[0] if paragraph is not None else None,
                    quote[0] if quote is not None else None,
                    start,
                    end,
                    _text(exact),
                    prefix,
                    suffix,
                    ORPHANED if target == SPAN and start is None else PLACED,
                    _text(item.get("note")),
                    author,
                    _text(item.get("status"), "draft"),
                    origin,
                )
            )
            for slug in dict.fromkeys(item.get("tags") or ()):
                links.append((pk, self._tag(slug, batch)))
            by_export[item["id"]] = pk
        return by_export

    def _claims(self, article_id, record, annotations, match, own, fail, batch) -> None:
        existing = match.claims if match is not None else set()
        speakers: dict[str, int] = {}
        for index, item in enumerate(record["claims"]):
            where = f"claims[{index}]"
            reference = item.get("annotation")
            annotation = annotations.get(reference) if reference is not None else None
            if reference is not None and annotation is None:
                fail(f"{where}.annotation", f"annotation {reference} is not in this article's record")
            if (item.get("text") or "", annotation) in existing:
                continue
            check = item.get("fact_check")
            claim = Claim(
                article_id=article_id,
                text=item.get("text") or "",
                claimant_id=self._speaker(
                    article_id, record, item.get("claimant"), None, speakers, own, batch
                ),
                annotation_id=annotation,
                created_by_id=self._user(check.get("author"), batch) if check else None,
                id=self._pk(Claim, item.get("id"), batch, f"field '{where}.id'"),
            )
            batch.claims.append(claim)
            if check:
                self._fact_check(claim, check, fail, f"{where}.fact_check", batch)

    def _fact_check(self, claim: Claim, item: dict, fail, where: str, batch: _Batch) -> None:
        status = item.get("status") or FactCheckStatus.DRAFT
        author, reviewer = self._user(item.get("author"), batch), self._user(item.get("reviewer"), batch)
        published_at = _datetime(item.get("published_at"), fail, f"{where}.published_at")
        if author is None:
            fail(f"{where}.author", "a fact-check needs an author")
        if status == FactCheckStatus.PUBLISHED and (reviewer is None or published_at is None):
            fail(f"{where}.status", "a published fact-check needs a reviewer and published_at")
        if reviewer is not None and reviewer == author:
            fail(f"{where}.reviewer", "the reviewer cannot be the author")
        for index, entry in enumerate(item.get("evidence") or []):
            if isinstance(entry, dict) and (problem := web_url_problem(entry.get("url"))):
                fail(f"{where}.evidence[{index}].url", problem)
        fact_check = FactCheck(
            claim_id=claim.pk,
            verdict=item.get("verdict"),
            rationale=item.get("rationale") or "",
            evidence=[
                {k: str(e.get(k) or "") for k in ("url", "title", "publisher", "accessed")}
                for e in item.get("evidence") or []
            ],
            author_id=author,
            reviewer_id=reviewer,
            status=status,
            published_at=published_at,
            id=self._pk(
                FactCheck, item.get("id") if "claim_id" in item else None, batch, f"field '{where}.id'"
            ),
        )
        try:
            # The fields alone: the rules across them are checked above, and the database holds them too.
            fact_check.clean_fields(exclude=["id", "claim", "author", "reviewer"])
        except DjangoValidationError as exc:
            fail(where, "; ".join(exc.messages))
        batch.fact_checks.append(fact_check)

    # Writing a batch: one statement per table.

    def _write(self, batch: _Batch) -> None:
        for model, rows in ((get_user_model(), batch.users), (Source, batch.sources), (Tag, batch.tags)):
            if rows:
                model.objects.bulk_create(rows)
        self.writer.insert(Speaker, SPEAKER_COLUMNS, batch.speakers, batch.now)
        self._aliases(batch.aliases)
        self.writer.insert(Article, ARTICLE_COLUMNS, batch.articles, batch.now)
        self.writer.insert(Paragraph, PARAGRAPH_COLUMNS, batch.paragraphs, batch.now)
        if batch.clusters:
            QuoteCluster.objects.bulk_create(batch.clusters)
        self.writer.insert(Quote, QUOTE_COLUMNS, batch.quotes, batch.now)
        self.writer.insert(Annotation, ANNOTATION_COLUMNS, batch.annotations, batch.now)
        self.writer.insert(Annotation.tags.through, LINK_COLUMNS, batch.links, batch.now)
        for model, rows in ((Claim, batch.claims), (FactCheck, batch.fact_checks)):
            if rows:
                model.objects.bulk_create(rows)
                # What Claim.objects.create and FactCheck.save record: their first history entry.
                model.history.bulk_history_create(rows, default_date=batch.now)

    @staticmethod
    def _aliases(pairs: list[tuple[int, dict[str, str]]]) -> None:
        """Aliases of new speakers; a phrase another speaker already has stays with that speaker."""
        if not pairs:
            return
        keys = {key for _, phrases in pairs for key in phrases}
        taken = set(SpeakerAlias.objects.filter(key__in=keys).values_list("key", flat=True))
        rows = []
        for speaker, phrases in pairs:
            for key, phrase in phrases.items():
                if key not in taken:
                    taken.add(key)
                    rows.append(SpeakerAlias(speaker_id=speaker, phrase=phrase, key=key))
        SpeakerAlias.objects.bulk_create(rows)


def _identity(record: dict) -> tuple:
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


def _distinct_prefix(items: list) -> int:
    """How many leading records share no identity: a repeat goes in the next batch, where it merges."""
    seen: set = set()
    for index, (_, record) in enumerate(items):
        if isinstance(record, dict):
            keys = _identity(record)
            if not seen.isdisjoint(keys):
                return index
            seen.update(keys)
    return len(items)


def _first_repeat(matches: list[_Match | None]) -> int:
    seen: set[int] = set()
    for index, match in enumerate(matches):
        if match is not None:
            if match.id in seen:
                return index
            seen.add(match.id)
    return len(matches)


def _field_of(where: str) -> str:
    """``field 'quotes[0].id'`` -> ``quotes[0]``: the row an id was first given to."""
    if where.startswith("field '") and where.endswith(".id'"):
        return where[len("field '") : -len(".id'")]
    return where.removesuffix(": field 'id'")


def _holder(row: Model) -> str:
    """The row that has an id already, as a person finds it."""
    if isinstance(row, Article):
        return f"article {row.url}" if row.url else f"the article with content hash {row.content_hash}"
    if isinstance(row, Speaker):
        return f"speaker {row.name!r}"
    if isinstance(row, FactCheck):
        return f"the fact-check of claim {row.claim_id}"
    return f"a {row._meta.verbose_name} of article {row.article_id}"


def _text(value, default: str = "") -> str:
    """What a text column gets: the default for an empty value, the string of anything else."""
    if type(value) is str:
        return value or default
    return str(value) if value else default


def _size(value) -> int:
    return len(value) if isinstance(value, list) else 0


def _alias_phrases(phrases: list[str]) -> dict[str, str]:
    return {p.casefold().strip(): p for p in phrases if p.strip()}


def _paragraph_for(item, exact, text, paragraphs, fail, where) -> ParagraphRef:
    position = item.get("paragraph")
    if position is not None and position in paragraphs:
        return paragraphs[position]
    if exact is None:
        fail(
            f"{where}.exact",
            "a paragraph annotation with neither its paragraph's position (paragraph) nor its words (exact) cannot be placed",
        )
    for paragraph in sorted(paragraphs.values(), key=lambda p: p[1]):
        if text[paragraph[2] : paragraph[3]] == exact:
            return paragraph
    fail(f"{where}.exact", "no paragraph of the article has these words")


def _quote_for(item, exact, text, quotes, match, fail, where) -> QuoteRef:
    if item.get("quote") is not None and item["quote"] in quotes:
        return quotes[item["quote"]]
    if exact is None:
        fail(
            f"{where}.exact",
            "a quote annotation with neither its quote's id (quote) nor its words (exact) cannot be placed",
        )
    held = match.quote_list if match is not None else []
    candidates = sorted(
        {q[0]: q for q in [*quotes.values(), *held]}.values(),
        key=lambda q: (q[1] if q[1] is not None else -1, q[2] or -1, q[0]),
    )
    for quote in candidates:
        words = text[quote[1] : quote[2]] if quote[1] is not None else quote[3]
        if words == exact:
            return quote
    fail(f"{where}.exact", "no quote of the article has these words")


def _span_words(text: str, start, end, words: str | None, where: str, field: str, fail) -> str:
    """The words at ``text[start:end]``, once the offsets are checked to be a span of ``text`` and
    ``words``, when the record gives them (its ``field``), to be those words; ``fail`` raises if not."""
    if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text)):
        fail(f"{where}.start", f"offsets {start}-{end} are not a span of the text")
    found = text[start:end]
    if words is not None and found != words:
        fail(f"{where}.{field}", f"does not match text[{start}:{end}]")
    return found


class _Failure:
    def __init__(self, origin: str):
        self.origin = origin

    def __call__(self, field: str, message: str):
        raise DatasetError(f"{self.origin}: field {field!r}: {message}; nothing of this article was written.")


def _describe(exc: Exception) -> str:
    if isinstance(exc, KeyError):
        return f"field {exc.args[0]!r} is missing"
    if isinstance(exc, DjangoValidationError):
        return "; ".join(exc.messages)
    return str(exc)


def _cut(text: str, paragraph: dict | None) -> str:
    if paragraph is None:
        return ""
    return text[paragraph["start"] : paragraph["end"]]


def _datetime(value, fail, field: str) -> datetime | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value
    try:
        parsed = datetime.fromisoformat(value)
    except (TypeError, ValueError):
        fail(field, f"{value!r} is not an RFC 3339 date-time")
    if parsed.tzinfo is None:
        fail(field, f"{value!r} has no time zone")
    return parsed


def dataset_import(
    *,
    path: Path,
    progress: Callable | None = None,
    batch_size: int = BATCH_SIZE,
    sized: Callable[[int], None] | None = None,
) -> ImportResult:
    """Import the export at ``path``; bad articles are reported in the result, the rest written.
    ``sized`` is told how many articles there are before the first is read (a progress bar's total)."""
    dataset = Dataset(Path(path))
    if sized is not None:
        sized(dataset.articles())
    importer = Importer(dataset, batch_size=batch_size)
    records = (
        jsonl_records(dataset) if dataset.format == "jsonl" else table_records(dataset, chunk_size=batch_size)
    )
    return importer.run(records, progress)
