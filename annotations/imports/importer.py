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

The parts, each in its module: ``companions`` (the tags and speakers files, first), ``matching`` (which
records merge into which articles), ``names`` (users, tags, sources, speakers and clusters by name, and
the ids new rows get), ``articles`` (one record checked and its rows built by field name, with the
checks of ``checks``), ``writing`` (a batch's rows, one statement per table); this module runs them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import Model

from corpus.bulk import RowWriter, fewer_collections
from corpus.clusters import articles_cluster, clusters_refresh
from corpus.events import event_send
from corpus.models import Article, Paragraph, Quote, Speaker

from ..models import Annotation, Claim, FactCheck
from .articles import ArticleRecords
from .checks import describe, size
from .companions import speakers_load, tags_load
from .from_tables import table_records
from .matching import distinct_prefix, first_repeat, matches_find
from .names import Names
from .reading import BATCH_SIZE, Dataset, DatasetError, jsonl_records
from .restore import defer_begin, defer_end
from .writing import WRITE_ERRORS, Batch, batch_write, clash, sequences_reset

CLUSTERING = "corpus.clusters.quotes_cluster"


class _Undone(Exception):
    """A restore found a failed record: its transaction is rolled back."""


@dataclass
class ImportResult:
    created: int = 0
    merged: int = 0
    failed: int = 0
    counts: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    errors: list[str] = field(default_factory=list)


class Importer:
    """Runs an import: the tags and speakers, then the articles a batch at a time (the batches' look-ups,
    ids and writes), and what is left to do once every article is in."""

    def __init__(self, dataset: Dataset, *, batch_size: int = BATCH_SIZE):
        self.dataset = dataset
        self.batch_size = batch_size
        self.result = ImportResult()
        self.names = Names()
        self.writer = RowWriter()
        self.records = ArticleRecords(self.names, self.writer.metadata)
        self.attempted: Batch | None = None  # the batch last put together, for what the database refused
        self.quoted: set[int] = set()  # the articles that got new quotes, to cluster once all are in
        self.touched: set[int] = set()  # clusters that quotes already here left or joined
        # Into an empty database nothing can match, so batches skip the look-ups; a record that
        # repeats one imported earlier is caught by the unique constraints and the batch redone.
        self.fresh = Article in self.names.keep_ids
        self.restoring = False

    def run(self, records: Iterator[tuple[str, dict | DatasetError]], progress=None) -> ImportResult:
        try:
            self._load(records, progress)
            self._finish_clusters()
        finally:
            # Also when the import stops half-way: the batches written keep their ids.
            sequences_reset(self.names.kept)
        return self.result

    def restore(self, records: Iterator[tuple[str, dict | DatasetError]], progress=None) -> ImportResult:
        """The import into an empty database, in one transaction (``restore``): all of it is written or,
        should one record fail, none of it, and every failure found is reported."""
        try:
            with transaction.atomic():
                deferred = defer_begin()
                self.restoring = self.fresh = True
                self._load(records, progress)
                if self.result.failed:
                    raise _Undone
                defer_end(deferred)
                self._finish_clusters()
                sequences_reset(self.names.kept)
        except _Undone:
            result = self.result
            result.created = result.merged = 0
            result.counts.clear()
            result.errors.append(
                f"restore mode: {result.failed} article(s) failed, so nothing of the dataset was written; "
                "fix them and run the import again."
            )
        return self.result

    def _load(self, records: Iterator[tuple[str, dict | DatasetError]], progress) -> None:
        tags_load(dataset=self.dataset, names=self.names, counts=self.result.counts)
        speakers_load(dataset=self.dataset, names=self.names, writer=self.writer, counts=self.result.counts)
        pending: list[tuple[str, dict | DatasetError]] = []
        for item in records:
            pending.append(item)
            if len(pending) >= self.batch_size:
                self._import(pending, progress)
                pending = []
        self._import(pending, progress)

    @transaction.atomic
    def _finish_clusters(self) -> None:
        """Once every quote is in: count the recreated clusters and find their first appearance. A
        cluster whose quotes the dataset holds in one article only (an export of some articles) is no
        cluster here and is dissolved, as the machine's are; so is one that quotes already here left
        for the place an editor gave them in the dataset, if one article is left in it. Then the new quotes get fingerprints and
        clusters as ingested ones do (when ingestion clusters): they join the clusters of the same words
        already here, the editors' decisions (``cluster_fixed``) kept, and later articles find them."""
        if self.names.clusters or self.touched:
            clusters_refresh(ids={*self.names.clusters.values(), *self.touched})
        if self.quoted and CLUSTERING in getattr(settings, "INGEST_HOOKS", ()):
            articles_cluster(article_ids=self.quoted)

    def _import(self, items: list, progress) -> None:
        while items:
            done = self._batch(items)
            if progress is not None and done:
                progress.update(done)
            items = items[done:]

    def _batch(self, items: list) -> int:
        """Write the longest run of ``items`` that can go in one batch; return how many were handled."""
        items = items[: distinct_prefix(items)]
        # A record without text can only merge, so it is always looked up.
        lookups = not self.fresh or any(isinstance(r, dict) and r.get("text") is None for _, r in items)
        mark = len(self.names.journal)
        try:
            batch, count = self._attempt(items, lookups=lookups)
        except WRITE_ERRORS:
            self.names.forget(mark)
            if not lookups:
                self.fresh = False  # something here is already in the database: look records up
                return 0
            for item in items:
                self._alone(item)
            return len(items)
        self._commit(batch)
        if self.restoring:
            # What is here came from this dataset, and the unique constraints catch its next repeat.
            self.fresh = True
        return count

    def _alone(self, item: tuple[str, dict | DatasetError]) -> None:
        """One record in a transaction of its own: after its batch was refused, find who is at fault."""
        mark = len(self.names.journal)
        try:
            batch, _ = self._attempt([item], lookups=True)
        except WRITE_ERRORS as exc:
            self.names.forget(mark)
            self.result.failed += 1
            problem = clash(self.attempted) or describe(exc)
            self.result.errors.append(f"{item[0]}: {problem}; nothing of this article was written.")
            return
        self._commit(batch)

    def _attempt(self, items: list, *, lookups: bool) -> tuple[Batch, int]:
        with transaction.atomic():
            matches = matches_find(items) if lookups else [None] * len(items)
            count = first_repeat(matches)  # two records merging into one article: not in one batch
            items, matches = items[:count], matches[:count]
            self.names.look_up_names(items, matches)
            self.names.ids.begin(self._wanted(items, matches))
            batch = self.attempted = Batch()
            for (origin, record), match in zip(items, matches, strict=True):
                self.records.add(origin, record, match, batch)
            batch_write(batch, self.writer)
        return batch, count

    def _commit(self, batch: Batch) -> None:
        self.names.journal.clear()
        result = self.result
        result.created += batch.created
        result.merged += batch.merged
        result.failed += batch.failed
        result.errors.extend(batch.errors)
        for name in (
            "users", "tags", "speakers", "quotes", "annotations", "claims", "fact_checks", "dismissals",
        ):  # fmt: skip
            if getattr(batch, name):
                result.counts[name] += len(getattr(batch, name))
        self.quoted.update(row.article for row in batch.quotes)
        self.touched.update(batch.touched)
        if batch.kept_placements:
            result.counts["cluster placements kept"] += batch.kept_placements

    def _wanted(self, items: list, matches: list) -> dict[type[Model], int]:
        """How many new ids each table will likely need for this batch (more are fetched if not)."""
        wanted: dict[type[Model], int] = defaultdict(int)
        keep = self.names.keep_ids
        for (_, record), match in zip(items, matches, strict=True):
            if not isinstance(record, dict):
                continue
            if match is None:
                wanted[Paragraph] += size(record.get("paragraphs"))
                if Article not in keep:
                    wanted[Article] += 1
            if Quote not in keep:
                wanted[Quote] += size(record.get("quotes"))
            if Annotation not in keep:
                wanted[Annotation] += size(record.get("annotations"))
            claims = size(record.get("claims"))
            if Claim not in keep:
                wanted[Claim] += claims
            if FactCheck not in keep or self.dataset.format == "jsonl":
                wanted[FactCheck] += claims
            if Speaker not in keep:
                with suppress(TypeError):  # an id that is not a key: the record fails later
                    wanted[Speaker] += len(self.names.local_specs.get(record.get("id"), ()))
        return {model: n for model, n in wanted.items() if n}


def dataset_import(
    *,
    path: Path,
    progress: Callable | None = None,
    batch_size: int = BATCH_SIZE,
    sized: Callable[[int], None] | None = None,
    restore: bool = False,
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
    with fewer_collections():
        result = (importer.restore if restore else importer.run)(records, progress)
    if result.created or result.merged:
        summary = {
            "from": None,
            "format": dataset.format,
            "articles": result.created + result.merged,
            "created": result.created,
            "merged": result.merged,
            "failed": result.failed,
            "counts": dict(sorted((name, n) for name, n in result.counts.items() if n)),
            "by": None,
        }
        event_send(name="dataset.imported", data=[{"import": summary}])
    return result
