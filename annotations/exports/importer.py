"""Import an export back: reader -> records -> one transaction per article.

A JSONL export (a file with its companions beside it, a folder or a zip) or a csv or parquet export (a
folder or a zip) is read into article records of PRODUCT.md's shape. Each article is written in its
own transaction: a bad line (truncated JSON, a span whose words do not match) is reported with the line
and the field, and nothing of that article is written; the others go on.

Articles already in the database (same url, same source and external id, or same content hash) are
merged, not duplicated; so are their quotes (same span and kind), annotations (same target, span, exact
and author) and claims (same text and annotation). Into an empty database the exported ids are kept,
so exporting again gives the same bytes. Authors missing from the database are created inactive.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import zipfile
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, BinaryIO

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.management.color import no_style
from django.db import IntegrityError, connection, transaction
from django.db.models import Model

from corpus.models import Anchor, Article, Paragraph, Quote, Source, Speaker, SpeakerAlias, SpeakerKind
from corpus.spans import span_context

from ..models import Annotation, AnnotationTarget, Claim, FactCheck, FactCheckStatus, Tag
from .manifest import MANIFEST_NAME
from .records import SCHEMA_VERSION

LOCAL_KINDS = {SpeakerKind.ANONYMOUS, SpeakerKind.GROUP}
ARTICLE_KEYS = ("id", "url", "source", "published_at", "language", "title", "content_hash", "text")


class DatasetError(ValueError):
    """Something in the input a person must fix; the message names the file, line and field."""


@dataclass
class ImportResult:
    created: int = 0
    merged: int = 0
    failed: int = 0
    counts: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    errors: list[str] = field(default_factory=list)


# --- Reading ---------------------------------------------------------------------------------


class Dataset:
    """An export on disk: its manifest and its files, whatever holds them (folder, zip, files beside)."""

    def __init__(self, path: Path):
        self.path = path
        self.zip: zipfile.ZipFile | None = None
        self.names: dict[str, str] = {}  # entry (articles.jsonl, tags.json, ...) -> file name
        if path.is_dir():
            self.folder = path
            manifest_name = MANIFEST_NAME
        elif zipfile.is_zipfile(path):
            self.zip = zipfile.ZipFile(path)
            self.folder = None
            manifest_name = MANIFEST_NAME
        elif path.is_file():
            self.folder = path.parent
            manifest_name = f"{path.name}.{MANIFEST_NAME}"
        else:
            raise DatasetError(f"{path}: no such file or folder.")
        self.manifest = self._manifest(manifest_name)
        self.format = self.manifest["format"] if self.manifest else "jsonl"
        if self.manifest:
            for entry in self.manifest.get("files", []):
                name = entry["name"]
                self.names[_entry_of(name, path)] = name
        elif path.is_file():
            self.names["articles.jsonl"] = path.name
        else:
            for entry in ("articles.jsonl", "tags.json", "speakers.json"):
                if self._exists(entry):
                    self.names[entry] = entry
        self._check_files()

    def _exists(self, name: str) -> bool:
        if self.zip is not None:
            return name in self.zip.namelist()
        return (self.folder / name).is_file()

    def open(self, name: str) -> BinaryIO:
        if self.zip is not None:
            return self.zip.open(name)
        return (self.folder / name).open("rb")

    def _manifest(self, name: str) -> dict | None:
        if not self._exists(name):
            return None
        with self.open(name) as stream:
            try:
                manifest = json.loads(stream.read().decode("utf-8"))
            except (UnicodeDecodeError, json.JSONDecodeError) as exc:
                raise DatasetError(f"{name}: not valid JSON ({exc}).") from None
        version = manifest.get("schema_version")
        if version != SCHEMA_VERSION:
            raise DatasetError(
                f"{name}: field 'schema_version': {version!r} is not a version this program reads "
                f"({SCHEMA_VERSION!r}); import it with the version that wrote it."
            )
        if manifest.get("format") not in ("jsonl", "csv", "parquet"):
            raise DatasetError(
                f"{name}: field 'format': {manifest.get('format')!r} cannot be imported; use a jsonl, csv or "
                "parquet export."
            )
        return manifest

    def _check_files(self) -> None:
        for entry in (self.manifest or {}).get("files", []):
            name = entry["name"]
            if not self._exists(name):
                raise DatasetError(f"{name}: listed in the manifest but missing.")
            digest = hashlib.sha256()
            with self.open(name) as stream:
                for block in iter(lambda: stream.read(1 << 20), b""):
                    digest.update(block)
            if digest.hexdigest() != entry["sha256"]:
                raise DatasetError(
                    f"{name}: its SHA-256 differs from the manifest's: the file was changed or cut short."
                )

    def has(self, entry: str) -> bool:
        return entry in self.names

    def json(self, entry: str) -> Any:
        with self.open(self.names[entry]) as stream:
            try:
                return json.loads(stream.read().decode("utf-8"))
            except (UnicodeDecodeError, json.JSONDecodeError) as exc:
                raise DatasetError(f"{self.names[entry]}: not valid JSON ({exc}).") from None


def _entry_of(name: str, path: Path) -> str:
    """The entry a file holds: ``corpus.jsonl.tags.json`` beside ``corpus.jsonl`` holds ``tags.json``."""
    if path.is_file() and not zipfile.is_zipfile(path):
        if name == path.name:
            return "articles.jsonl"
        prefix = f"{path.name}."
        return name[len(prefix) :] if name.startswith(prefix) else name
    return name


def jsonl_records(dataset: Dataset) -> Iterator[tuple[str, dict | DatasetError]]:
    name = dataset.names.get("articles.jsonl")
    if name is None:
        raise DatasetError(f"{dataset.path}: no articles.jsonl in this export.")
    with dataset.open(name) as stream:
        for number, raw in enumerate(stream, start=1):
            origin = f"{name} line {number}"
            if not raw.strip():
                continue
            try:
                record = json.loads(raw.decode("utf-8"))
            except UnicodeDecodeError:
                yield origin, DatasetError(f"{origin}: not UTF-8.")
                continue
            except json.JSONDecodeError as exc:
                yield origin, DatasetError(f"{origin}: not a complete JSON object (cut short?): {exc.msg}.")
                continue
            if not isinstance(record, dict):
                yield origin, DatasetError(f"{origin}: not a JSON object.")
                continue
            yield origin, record


# Tables -> records, for csv and parquet exports.


def _table_rows(dataset: Dataset, table: str) -> list[dict]:
    if dataset.format == "csv":
        name = f"{table}.csv"
        if not dataset.has(name):
            return []
        from .tables import TABLES

        kinds = dict(next(t for t in TABLES if t.name == table).columns)
        with dataset.open(dataset.names[name]) as stream:
            reader = csv.DictReader(io.TextIOWrapper(stream, encoding="utf-8", newline=""))
            return [{k: _from_cell(v, kinds.get(k, "str")) for k, v in row.items()} for row in reader]
    name = f"{table}.parquet"
    if not dataset.has(name):
        return []
    import pyarrow.parquet as pq

    with dataset.open(dataset.names[name]) as stream:
        return pq.read_table(io.BytesIO(stream.read())).to_pylist()


def _from_cell(value: str, kind: str) -> Any:
    if value == "" and kind != "list":
        return None  # csv cannot tell an empty string from a null; the importer treats them alike
    if kind == "int":
        return int(value)
    if kind == "bool":
        return value == "true"
    if kind == "list":
        return value.split(";") if value else []
    return value


def table_records(dataset: Dataset) -> Iterator[tuple[str, dict | DatasetError]]:
    """Group the tables by article into JSONL-shaped records (plus the table-only columns)."""
    by_article: dict[str, dict[int, list[dict]]] = {}
    for table in ("paragraphs", "quotes", "annotations", "claims"):
        grouped: dict[int, list[dict]] = defaultdict(list)
        for row in _table_rows(dataset, table):
            grouped[row["article_id"]].append(row)
        by_article[table] = grouped
    fact_checks = {row["claim_id"]: row for row in _table_rows(dataset, "fact_checks")}
    evidence: dict[int, list[dict]] = defaultdict(list)
    for row in _table_rows(dataset, "evidence"):
        evidence[row["fact_check_id"]].append(row)
    quotes_by_id: dict[int, dict] = {}
    for number, article in enumerate(_table_rows(dataset, "articles"), start=2):
        origin = f"articles.{dataset.format} row {number}"
        pk = article["id"]
        quotes = sorted(by_article["quotes"].get(pk, []), key=lambda q: q["id"])
        quotes_by_id.update({q["id"]: q for q in quotes})
        record = {
            **{key: article.get(key) for key in ARTICLE_KEYS},
            "external_id": article.get("external_id") or "",
            "published_at": _iso(article.get("published_at")),
            "paragraphs": sorted(by_article["paragraphs"].get(pk, []), key=lambda p: p["position"]),
            "quotes": [{**q, "continues": q["continues_id"]} for q in quotes],
            "annotations": [
                {**a, "quote": a.get("quote_id")}
                for a in sorted(by_article["annotations"].get(pk, []), key=lambda a: a["id"])
            ],
            "claims": [],
        }
        for claim in sorted(by_article["claims"].get(pk, []), key=lambda c: c["id"]):
            check = fact_checks.get(claim["id"])
            record["claims"].append(
                {
                    "id": claim["id"],
                    "text": claim["text"],
                    "claimant": claim["claimant"],
                    "annotation": claim["annotation_id"],
                    "fact_check": None
                    if check is None
                    else {
                        **check,
                        "published_at": _iso(check.get("published_at")),
                        "evidence": [
                            {k: item.get(k) or "" for k in ("url", "title", "publisher", "accessed")}
                            for item in sorted(evidence.get(check["id"], []), key=lambda e: e["position"])
                        ],
                    },
                }
            )
        yield origin, record


def _iso(value) -> str | None:
    if value is None or isinstance(value, str):
        return value
    return value.isoformat()


# --- Writing ---------------------------------------------------------------------------------


class Importer:
    def __init__(self, dataset: Dataset):
        self.dataset = dataset
        self.result = ImportResult()
        self.users: dict[str, Any] = {}
        self.tags: dict[str, Tag] = {}
        self.shared: dict[str, Speaker] = {}
        self.local_specs: dict[int, list[dict]] = defaultdict(list)
        self.speaker_specs: dict[int, dict] = {}
        models = (Article, Quote, Annotation, Claim, FactCheck, Speaker, Tag)
        # Ids are kept only in tables that were empty: anywhere else they could collide.
        self.keep_ids = {model for model in models if not model.objects.exists()}
        self.kept: set[type[Model]] = set()

    def _pk(self, model: type[Model], pk: int | None) -> dict:
        if pk is not None and model in self.keep_ids:
            self.kept.add(model)
            return {"pk": pk}
        return {}

    # Users, tags and speakers come first: articles point at them.

    def user(self, username: str | None):
        if not username:
            return None
        if username not in self.users:
            User = get_user_model()
            user = User.objects.filter(username=username).first()
            if user is None:
                user = User(username=username, is_active=False)
                user.set_unusable_password()
                user.save()
                self.result.counts["users"] += 1
            self.users[username] = user
        return self.users[username]

    @transaction.atomic
    def load_tags(self) -> None:
        if self.dataset.format == "jsonl":
            entries = self.dataset.json("tags.json") if self.dataset.has("tags.json") else []
        else:
            entries = _table_rows(self.dataset, "tags")
        existing = {t.slug: t for t in Tag.objects.all()}
        for entry in entries:
            tag = existing.get(entry["slug"])
            if tag is None:
                tag = Tag(
                    slug=entry["slug"],
                    name=entry.get("name") or entry["slug"],
                    description=entry.get("description") or "",
                    colour=entry.get("colour") or "#ffd54f",
                    **self._pk(Tag, entry.get("id")),
                )
                tag.full_clean(exclude=["parent"], validate_unique=False)
                tag.save(force_insert=True)
                self.result.counts["tags"] += 1
            self.tags[tag.slug] = tag
        for entry in entries:
            parent = entry.get("parent")
            tag = self.tags[entry["slug"]]
            if parent and tag.parent_id is None:
                if parent not in self.tags:
                    raise DatasetError(f"tags: tag {entry['slug']!r} names an unknown parent {parent!r}.")
                Tag.objects.filter(pk=tag.pk).update(parent=self.tags[parent])

    def tag(self, slug: str) -> Tag:
        if slug not in self.tags:
            self.tags[slug], created = Tag.objects.get_or_create(slug=slug, defaults={"name": slug})
            self.result.counts["tags"] += created
        return self.tags[slug]

    @transaction.atomic
    def load_speakers(self) -> None:
        if self.dataset.format == "jsonl":
            entries = self.dataset.json("speakers.json") if self.dataset.has("speakers.json") else []
        else:
            aliases: dict[int, list[str]] = defaultdict(list)
            for row in _table_rows(self.dataset, "speaker_aliases"):
                aliases[row["speaker_id"]].append(row["phrase"])
            entries = [
                {**row, "article": row["article_id"], "aliases": aliases.get(row["id"], [])}
                for row in _table_rows(self.dataset, "speakers")
            ]
        for entry in entries:
            self.speaker_specs[entry["id"]] = entry
            if entry.get("article") is not None:
                self.local_specs[entry["article"]].append(entry)
                continue
            speaker = Speaker.objects.filter(name=entry["name"], article__isnull=True).first()
            if speaker is None:
                speaker = Speaker(
                    name=entry["name"],
                    kind=entry.get("kind") or SpeakerKind.PERSON,
                    description=entry.get("description") or "",
                    **self._pk(Speaker, entry.get("id")),
                )
                speaker.save(force_insert=True)
                self.result.counts["speakers"] += 1
            elif entry.get("description") and not speaker.description:
                speaker.description = entry["description"]
                speaker.save(update_fields=["description"])
            self.shared[speaker.name] = speaker
            self._aliases(speaker, entry.get("aliases") or [])

    def _aliases(self, speaker: Speaker, phrases: list[str]) -> None:
        wanted = {p.casefold().strip(): p for p in phrases if p.strip()}
        if not wanted:
            return
        taken = set(SpeakerAlias.objects.filter(key__in=wanted).values_list("key", flat=True))
        SpeakerAlias.objects.bulk_create(
            [SpeakerAlias(speaker=speaker, phrase=p, key=k) for k, p in wanted.items() if k not in taken]
        )

    def shared_speaker(self, name: str, kind: str | None) -> Speaker:
        if name not in self.shared:
            speaker = Speaker.objects.filter(name=name, article__isnull=True).first()
            if speaker is None:
                speaker = Speaker.objects.create(name=name, kind=kind or SpeakerKind.PERSON)
                self.result.counts["speakers"] += 1
            self.shared[name] = speaker
        return self.shared[name]

    # Articles.

    def run(self, records: Iterator[tuple[str, dict | DatasetError]], progress=None) -> ImportResult:
        self.load_tags()
        self.load_speakers()
        for origin, record in records:
            try:
                if isinstance(record, DatasetError):
                    raise record
                with transaction.atomic():
                    self.article(origin, record)
            except (DatasetError, IntegrityError, DjangoValidationError, KeyError, TypeError) as exc:
                self.result.failed += 1
                message = (
                    str(exc)
                    if isinstance(exc, DatasetError)
                    else f"{origin}: {_describe(exc)}; nothing of this article was written."
                )
                self.result.errors.append(message)
                self._forget()
            if progress is not None:
                progress.update(1)
        self._reset_sequences()
        return self.result

    def _forget(self) -> None:
        """A failed article rolled back what it created: drop it from the caches."""
        self.users.clear()
        self.tags.clear()
        self.shared = {s.name: s for s in Speaker.objects.filter(pk__in=[s.pk for s in self.shared.values()])}

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

    def article(self, origin: str, record: dict) -> None:
        missing = [
            key
            for key in ("id", "content_hash", "paragraphs", "quotes", "annotations", "claims")
            if key not in record
        ]
        if missing:
            raise DatasetError(f"{origin}: field {missing[0]!r} is missing.")
        fail = _Failure(origin)
        source = record.get("source")
        external_id = record.get("external_id") or ""
        existing = None
        if record.get("url"):
            existing = Article.objects.filter(url=record["url"]).first()
        if existing is None and external_id and source:
            existing = Article.objects.filter(source__name=source, external_id=external_id).first()
        if existing is None:
            existing = Article.objects.filter(content_hash=record["content_hash"]).first()
        text = record.get("text")
        if existing is not None:
            if text is not None and text != existing.text:
                fail(
                    "text",
                    f"differs from the text of article {existing.pk} with the same identity (another revision?)",
                )
            article, created = existing, False
            text = existing.text
        else:
            if text is None:
                fail(
                    "text",
                    "this export carries no text (--text none) and no article here has its url or content_hash: "
                    "ingest the texts first, then import",
                )
            article = self._article_create(record, text, fail)
            created = True
        paragraphs = self._paragraphs(article, record, text, created, fail)
        quotes = self._quotes(article, record, text, paragraphs, created, fail)
        annotations = self._annotations(article, record, text, paragraphs, quotes, fail)
        self._claims(article, record, annotations, fail)
        if created:
            self.result.created += 1
        else:
            self.result.merged += 1

    def _article_create(self, record: dict, text: str, fail) -> Article:
        source = None
        if record.get("source"):
            source, _ = Source.objects.get_or_create(name=record["source"])
        roles = {p.get("role"): p for p in reversed(record["paragraphs"])}
        article = Article(
            source=source,
            url=record.get("url") or None,
            external_id=record.get("external_id") or "",
            # The raw input is not part of a dataset: the normalized text stands in for it.
            raw_text=text,
            content_hash=record["content_hash"],
            text=text,
            title=record.get("title") or "",
            standfirst=_cut(text, roles.get("standfirst")),
            byline=_cut(text, roles.get("byline"))[:500],
            published_at=_datetime(record.get("published_at"), fail, "published_at"),
            language=record.get("language") or "en",
            metadata={"format": "dataset"},
            **self._pk(Article, record["id"]),
        )
        article.save(force_insert=True)
        return article

    def _paragraphs(self, article, record, text, created, fail) -> dict[int, Paragraph]:
        if not created:
            return {p.position: p for p in article.paragraphs.all()}
        rows = []
        for index, item in enumerate(record["paragraphs"]):
            start, end = item.get("start"), item.get("end")
            if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text)):
                fail(f"paragraphs[{index}].start", f"offsets {start}-{end} are not a span of the text")
            if item.get("text") is not None and text[start:end] != item["text"]:
                fail(f"paragraphs[{index}].text", f"does not match text[{start}:{end}]")
            rows.append(
                Paragraph(
                    article=article,
                    position=item["position"],
                    role=item.get("role") or "body",
                    rule=item.get("rule") or "",
                    start=start,
                    end=end,
                )
            )
        return {p.position: p for p in Paragraph.objects.bulk_create(rows)}

    def _speaker(
        self, article: Article, export_article: int, name: str | None, kind: str | None, cache: dict
    ) -> Speaker | None:
        if not name:
            return None
        if name in cache:
            return cache[name]
        local = next((s for s in self.local_specs.get(export_article, []) if s["name"] == name), None)
        if local is not None or (kind in LOCAL_KINDS and name not in self.shared):
            spec = local or {"name": name, "kind": kind}
            speaker = Speaker.objects.filter(article=article, name=name).first()
            if speaker is None:
                speaker = Speaker(
                    article=article,
                    name=name,
                    kind=spec.get("kind") or SpeakerKind.ANONYMOUS,
                    description=spec.get("description") or "",
                    **self._pk(Speaker, spec.get("id")),
                )
                speaker.save(force_insert=True)
                self.result.counts["speakers"] += 1
                self._aliases(speaker, spec.get("aliases") or [])
        else:
            speaker = self.shared_speaker(name, kind)
        cache[name] = speaker
        return speaker

    def _quotes(self, article, record, text, paragraphs, created, fail) -> dict[int, Quote]:
        existing = {(q.start, q.end, q.kind): q for q in article.quotes.all()} if not created else {}
        by_export: dict[int, Quote] = {}
        speakers: dict[str, Speaker] = {}
        new: list[tuple[dict, Quote]] = []
        for index, item in enumerate(record["quotes"]):
            start, end = item.get("start"), item.get("end")
            words = item.get("text")
            if start is not None:
                if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text)):
                    fail(f"quotes[{index}].start", f"offsets {start}-{end} are not a span of the text")
                if words is not None and text[start:end] != words:
                    fail(f"quotes[{index}].text", f"does not match text[{start}:{end}]")
                words = text[start:end]
            found = existing.get((start, end, item.get("kind")))
            if found is not None:
                by_export[item["id"]] = found
                continue
            paragraph = paragraphs.get(item.get("paragraph")) if item.get("paragraph") is not None else None
            if start is not None and paragraph is None:
                fail(f"quotes[{index}].paragraph", f"no paragraph at position {item.get('paragraph')}")
            speaker = self._speaker(
                article, record["id"], item.get("speaker"), item.get("speaker_kind"), speakers
            )
            via = self._speaker(article, record["id"], item.get("via"), None, speakers)
            quote = Quote(
                article=article,
                paragraph=paragraph,
                kind=item.get("kind"),
                start=start,
                end=end,
                exact=words or "",
                anchor=Anchor.PLACED if start is not None else Anchor.ORPHANED,
                speaker=speaker,
                speaker_mention=item.get("speaker_mention") or "",
                cue=item.get("cue") or "",
                via=via,
                origin=item.get("origin") or "machine",
                verified=bool(item.get("verified")),
                **self._pk(Quote, item["id"]),
            )
            new.append((item, quote))
            by_export[item["id"]] = quote
        Quote.objects.bulk_create([q for _, q in new])
        continuing = []
        for item, quote in new:
            if item.get("continues") is not None and item["continues"] in by_export:
                quote.continues = by_export[item["continues"]]
                continuing.append(quote)
        Quote.objects.bulk_update(continuing, ["continues"])
        self.result.counts["quotes"] += len(new)
        return by_export

    def _annotations(self, article, record, text, paragraphs, quotes, fail) -> dict[int, Annotation]:
        existing = {
            (a.target, a.start, a.end, a.exact, a.author.username if a.author else None): a
            for a in article.annotations.select_related("author")
        }
        by_export: dict[int, Annotation] = {}
        new: list[tuple[dict, Annotation]] = []
        for index, item in enumerate(record["annotations"]):
            where = f"annotations[{index}]"
            target, start, end, exact = (
                item.get("target"),
                item.get("start"),
                item.get("end"),
                item.get("exact"),
            )
            if target not in AnnotationTarget.values:
                fail(f"{where}.target", f"{target!r} is not one of {', '.join(AnnotationTarget.values)}")
            paragraph = quote = None
            if target == AnnotationTarget.SPAN and start is not None:
                if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text)):
                    fail(f"{where}.start", f"offsets {start}-{end} are not a span of the text")
                if exact is not None and text[start:end] != exact:
                    fail(f"{where}.exact", f"does not match text[{start}:{end}]")
                exact = text[start:end]
            elif target == AnnotationTarget.PARAGRAPH:
                paragraph = self._paragraph_for(item, exact, text, paragraphs, fail, where)
                exact = text[paragraph.start : paragraph.end]
            elif target == AnnotationTarget.QUOTE:
                quote = self._quote_for(item, exact, text, quotes, article, fail, where)
                exact = text[quote.start : quote.end] if quote.start is not None else quote.exact
            elif target == AnnotationTarget.ARTICLE:
                exact = ""
            author_name = item.get("author")
            key = (target, start, end, exact or "", author_name)
            if key in existing:
                by_export[item["id"]] = existing[key]
                continue
            prefix = suffix = ""
            if target == AnnotationTarget.SPAN and start is not None:
                prefix, suffix = span_context(text=text, start=start, end=end)
            annotation = Annotation(
                article=article,
                target=target,
                paragraph=paragraph,
                quote=quote,
                start=start,
                end=end,
                exact=exact or "",
                prefix=prefix,
                suffix=suffix,
                anchor=Anchor.ORPHANED
                if target == AnnotationTarget.SPAN and start is None
                else Anchor.PLACED,
                note=item.get("note") or "",
                status=item.get("status") or "draft",
                origin=item.get("origin") or "editor",
                author=self.user(author_name),
                **self._pk(Annotation, item["id"]),
            )
            if annotation.origin == "editor" and annotation.author is None:
                fail(f"{where}.author", "an editor's annotation needs an author")
            new.append((item, annotation))
            by_export[item["id"]] = annotation
        Annotation.objects.bulk_create([a for _, a in new])
        Through = Annotation.tags.through
        Through.objects.bulk_create(
            [
                Through(annotation_id=a.pk, tag_id=self.tag(slug).pk)
                for item, a in new
                for slug in item.get("tags") or []
            ]
        )
        self.result.counts["annotations"] += len(new)
        return by_export

    def _paragraph_for(self, item, exact, text, paragraphs, fail, where) -> Paragraph:
        position = item.get("paragraph")
        if position is not None and position in paragraphs:
            return paragraphs[position]
        if exact is None:
            fail(
                f"{where}.exact",
                "a paragraph annotation exported without text cannot be placed from JSONL; import the csv or parquet export, which names the paragraph",
            )
        for paragraph in sorted(paragraphs.values(), key=lambda p: p.position):
            if text[paragraph.start : paragraph.end] == exact:
                return paragraph
        fail(f"{where}.exact", "no paragraph of the article has these words")

    def _quote_for(self, item, exact, text, quotes, article, fail, where) -> Quote:
        if item.get("quote") is not None and item["quote"] in quotes:
            return quotes[item["quote"]]
        if exact is None:
            fail(
                f"{where}.exact",
                "a quote annotation exported without text cannot be placed from JSONL; import the csv or parquet export, which names the quote",
            )
        candidates = sorted(
            {q.pk: q for q in [*quotes.values(), *article.quotes.all()]}.values(),
            key=lambda q: (q.start if q.start is not None else -1, q.end or -1, q.pk),
        )
        for quote in candidates:
            words = text[quote.start : quote.end] if quote.start is not None else quote.exact
            if words == exact:
                return quote
        fail(f"{where}.exact", "no quote of the article has these words")

    def _claims(self, article, record, annotations, fail) -> None:
        existing = {(c.text, c.annotation_id) for c in article.claims.all()}
        speakers: dict[str, Speaker] = {}
        for index, item in enumerate(record["claims"]):
            where = f"claims[{index}]"
            annotation = (
                annotations.get(item.get("annotation")) if item.get("annotation") is not None else None
            )
            if item.get("annotation") is not None and annotation is None:
                fail(
                    f"{where}.annotation", f"annotation {item['annotation']} is not in this article's record"
                )
            if (item.get("text") or "", annotation.pk if annotation else None) in existing:
                continue
            check = item.get("fact_check")
            claim = Claim.objects.create(
                article=article,
                text=item.get("text") or "",
                claimant=self._speaker(article, record["id"], item.get("claimant"), None, speakers),
                annotation=annotation,
                created_by=self.user(check.get("author")) if check else None,
                **self._pk(Claim, item.get("id")),
            )
            self.result.counts["claims"] += 1
            if check:
                self._fact_check(claim, check, fail, f"{where}.fact_check")

    def _fact_check(self, claim: Claim, item: dict, fail, where: str) -> None:
        status = item.get("status") or FactCheckStatus.DRAFT
        author, reviewer = self.user(item.get("author")), self.user(item.get("reviewer"))
        published_at = _datetime(item.get("published_at"), fail, f"{where}.published_at")
        if author is None:
            fail(f"{where}.author", "a fact-check needs an author")
        if status == FactCheckStatus.PUBLISHED and (reviewer is None or published_at is None):
            fail(f"{where}.status", "a published fact-check needs a reviewer and published_at")
        if reviewer is not None and reviewer.pk == author.pk:
            fail(f"{where}.reviewer", "the reviewer cannot be the author")
        fact_check = FactCheck(
            claim=claim,
            verdict=item.get("verdict"),
            rationale=item.get("rationale") or "",
            evidence=[
                {k: str(e.get(k) or "") for k in ("url", "title", "publisher", "accessed")}
                for e in item.get("evidence") or []
            ],
            author=author,
            reviewer=reviewer,
            status=status,
            published_at=published_at,
            **self._pk(FactCheck, item.get("id") if "claim_id" in item else None),
        )
        try:
            fact_check.full_clean(exclude=["claim", "author", "reviewer"])
        except Exception as exc:  # a ValidationError: name the field
            fail(where, "; ".join(getattr(exc, "messages", [str(exc)])))
        fact_check.save(force_insert=True)
        self.result.counts["fact_checks"] += 1


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


def dataset_import(*, path: Path, progress: Callable | None = None) -> ImportResult:
    """Import the export at ``path``; bad articles are reported in the result, the rest written."""
    dataset = Dataset(Path(path))
    records = jsonl_records(dataset) if dataset.format == "jsonl" else table_records(dataset)
    return Importer(dataset).run(records, progress)
