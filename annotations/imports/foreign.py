"""Datasets from the annotation tools users come from: doccano and Label Studio exports, read into
articles (ingested like any other input) with the importing user's annotations on them.

A small pipeline: a reader turns a file into ``Document`` records (the text, its labelled spans, its
document-level labels and notes, what was skipped), then each document is ingested and its spans placed
on the article's normalized text. Ingestion rewrites whitespace and joins paragraphs, so the tool's
offsets point into its own text, not ours: each span is found again the way a revision re-anchors an
annotation (its words, with the text before and after it), and one that cannot be found is reported,
never placed elsewhere.

- **doccano** (JSONL, one document per line, as its export writes them): ``{"text", "label": [[start, end,
  "LABEL"], ...]}`` for sequence labelling, ``{"text", "label": ["LABEL", ...]}`` for text
  classification, or ``{"text", "entities": [{"start_offset", "end_offset", "label"}], "relations": [...]}``
  for the relation project's export. Offsets are code points, as here.
- **Label Studio** (its JSON export: a list of tasks): ``{"id", "data": {"text"}, "annotations": [{"result":
  [...]}]}``. ``labels`` results become span annotations (``value.start``/``end``/``labels``),
  ``choices`` tags on the whole article, ``textarea`` its note; ``relation`` results are skipped and
  counted. Label Studio counts offsets in UTF-16 units where its text has characters beyond the BMP; they
  are converted, checked against ``value.text``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.text import slugify

from corpus import selectors as corpus_selectors
from corpus.anchoring import reanchor
from corpus.events import event_send
from corpus.ingest.readers import ArticleInput, IngestError
from corpus.services import article_ingest

from .. import services
from ..models import Tag
from .reading import DatasetError

FORMATS = ("doccano", "label-studio")
CONTEXT = 32  # characters of text before and after a span that help find it again


@dataclass
class Span:
    start: int
    end: int
    labels: list[str]


@dataclass
class Document:
    origin: str  # file and line or task, for messages
    key: str  # the tool's id of the document, kept as the article's external id
    text: str
    raw: bytes  # the document as the file holds it: the article's raw input
    spans: list[Span] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)  # of the whole document
    notes: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # what was not imported, and why


@dataclass
class ForeignResult:
    articles: int = 0
    annotations: int = 0
    errors: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    tags_created: list[str] = field(default_factory=list)


# --- Readers ------------------------------------------------------------------------------------


def _fail(origin: str, field_name: str, message: str) -> DatasetError:
    return DatasetError(f"{origin}: field {field_name!r}: {message}")


def _offset(value, origin: str, name: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise _fail(origin, name, f"{value!r} is not an offset (a whole number from 0)")
    return value


def _doccano_document(record: dict, origin: str, raw: bytes, number: int) -> Document:
    text = record.get("text", record.get("data"))
    if not isinstance(text, str) or not text.strip():
        raise _fail(origin, "text", "missing or empty")
    document = Document(origin=origin, key=str(record.get("id", number)), text=text, raw=raw)
    labels = record.get("label", record.get("labels", []))
    for index, item in enumerate(labels if isinstance(labels, list) else [labels]):
        if isinstance(item, str):
            document.labels.append(item)
        elif isinstance(item, list) and len(item) == 3:
            start = _offset(item[0], origin, f"label[{index}][0]")
            end = _offset(item[1], origin, f"label[{index}][1]")
            document.spans.append(Span(start, end, [str(item[2])]))
        else:
            raise _fail(origin, f"label[{index}]", 'expected "LABEL" or [start, end, "LABEL"]')
    for index, entity in enumerate(record.get("entities", [])):
        if not isinstance(entity, dict):
            raise _fail(origin, f"entities[{index}]", "expected an object")
        start = _offset(entity.get("start_offset"), origin, f"entities[{index}].start_offset")
        end = _offset(entity.get("end_offset"), origin, f"entities[{index}].end_offset")
        document.spans.append(Span(start, end, [str(entity.get("label", ""))]))
    relations = record.get("relations", [])
    if relations:
        document.skipped.append(
            f"{origin}: {len(relations)} relation(s) skipped: relations are not imported."
        )
    comments = record.get("Comments", record.get("comments", []))
    document.notes.extend(c if isinstance(c, str) else str(c.get("text", "")) for c in comments)
    return document


def read_doccano(path: Path) -> Iterator[Document | DatasetError]:
    with path.open("rb") as stream:
        for number, line in enumerate(stream, start=1):
            origin = f"{path.name} line {number}"
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except (UnicodeDecodeError, json.JSONDecodeError) as exc:
                yield DatasetError(f"{origin}: not a JSON object ({exc}).")
                continue
            if not isinstance(record, dict):
                yield DatasetError(f"{origin}: not a JSON object.")
                continue
            try:
                yield _doccano_document(record, origin, line.rstrip(b"\r\n"), number)
            except DatasetError as exc:
                yield exc


def _code_points(text: str, start: int, end: int, words) -> tuple[int, int]:
    """Label Studio's offsets as code points: as they are when they cut ``words`` out, else read as
    UTF-16 units (what a browser counts)."""
    if not isinstance(words, str) or text[start:end] == words:
        return start, end
    units = text.encode("utf-16-le")
    before = units[: 2 * start].decode("utf-16-le", errors="ignore")
    inside = units[2 * start : 2 * end].decode("utf-16-le", errors="ignore")
    return len(before), len(before) + len(inside)


def _label_studio_document(task: dict, origin: str) -> Document:
    data = task.get("data")
    text = data.get("text") if isinstance(data, dict) else None
    if not isinstance(text, str) or not text.strip():
        raise _fail(origin, "data.text", "missing or empty")
    raw = json.dumps(task, ensure_ascii=False, sort_keys=True).encode("utf-8")
    document = Document(origin=origin, key=str(task.get("id", "")), text=text, raw=raw)
    for a_index, annotation in enumerate(task.get("annotations") or []):
        if annotation.get("was_cancelled"):
            continue
        for r_index, result in enumerate(annotation.get("result") or []):
            where = f"annotations[{a_index}].result[{r_index}]"
            kind = result.get("type")
            value = result.get("value") or {}
            if kind == "labels":
                start = _offset(value.get("start"), origin, f"{where}.value.start")
                end = _offset(value.get("end"), origin, f"{where}.value.end")
                start, end = _code_points(text, start, end, value.get("text"))
                document.spans.append(Span(start, end, [str(label) for label in value.get("labels", [])]))
            elif kind == "choices":
                document.labels.extend(str(choice) for choice in value.get("choices", []))
            elif kind == "textarea":
                document.notes.extend(str(t) for t in value.get("text", []))
            elif kind == "relation":
                document.skipped.append(
                    f"{origin}: {where}: a relation, skipped: relations are not imported."
                )
            else:
                document.skipped.append(f"{origin}: {where}: result type {kind!r} is not imported.")
    return document


def read_label_studio(path: Path) -> Iterator[Document | DatasetError]:
    try:
        tasks = json.loads(path.read_bytes())
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DatasetError(f"{path.name}: not a Label Studio JSON export ({exc}).") from None
    if isinstance(tasks, dict):
        tasks = [tasks]
    if not isinstance(tasks, list):
        raise DatasetError(f"{path.name}: not a Label Studio JSON export (a list of tasks).")
    for index, task in enumerate(tasks):
        origin = f"{path.name} task {task.get('id', index) if isinstance(task, dict) else index}"
        if not isinstance(task, dict):
            yield DatasetError(f"{origin}: not a JSON object.")
            continue
        try:
            yield _label_studio_document(task, origin)
        except DatasetError as exc:
            yield exc


READERS = {"doccano": read_doccano, "label-studio": read_label_studio}


def sniff(path: Path) -> str | None:
    """Which tool's export ``path`` looks like, if any: for a clear message when ``--from`` is missing."""
    if not path.is_file():
        return None
    with path.open("rb") as stream:
        head = stream.read(65536)
    text = head.decode("utf-8", errors="replace").lstrip()
    if text.startswith("["):
        if re.search(r'"data"\s*:\s*\{', text) and re.search(r'"(annotations|predictions)"\s*:', text):
            return "label-studio"
        return None
    first = text.split("\n", 1)[0]
    try:
        record = json.loads(first)
    except json.JSONDecodeError:
        return None
    looks_labelled = (
        isinstance(record, dict) and "text" in record and bool({"label", "entities"} & set(record))
    )
    if looks_labelled and "paragraphs" not in record and "content_hash" not in record:
        return "doccano"
    return None


# --- Into the database --------------------------------------------------------------------------


def _tag_for(
    label: str, tag_map: dict[str, str], user, result: ForeignResult, created: dict[str, Tag]
) -> Tag:
    slug = tag_map.get(label) or slugify(label)
    if not slug:
        raise ValidationError({"tags": f"label {label!r} makes no tag slug; map it with --tag-map."})
    if slug in created:
        return created[slug]
    tag = Tag.objects.filter(slug=slug).first()
    if tag is None:
        if label in tag_map:
            raise ValidationError(
                {"tags": f"--tag-map sends {label!r} to {slug!r}, which is not in the vocabulary."}
            )
        tag = services.tag_save(tag=Tag(slug=slug, name=label[:100]), user=user)
        result.tags_created.append(slug)
    created[slug] = tag
    return tag


def _place(document: Document, span: Span, text: str) -> tuple[int, int] | None:
    if not 0 <= span.start < span.end <= len(document.text):
        return None
    found = reanchor(
        old_text=document.text,
        new_text=text,
        start=span.start,
        end=span.end,
        exact=document.text[span.start : span.end],
        prefix=document.text[max(0, span.start - CONTEXT) : span.start],
        suffix=document.text[span.end : span.end + CONTEXT],
    )
    if found.method != "exact":
        return None
    return found.start, found.end


def foreign_import(*, path: Path, fmt: str, user, tag_map: dict[str, str] | None = None) -> ForeignResult:
    """Read a doccano or Label Studio export at ``path`` into articles with ``user``'s annotations.

    Each document is one transaction: its article, new tags and annotations, or nothing of it (with a
    message naming the document). The article is ingested as ``manage.py ingest`` would (source: the
    tool's name; external id: the tool's id), so the same file again changes nothing but the annotations,
    which are only added to an article that has none of ``user``'s yet.
    """
    if fmt not in READERS:
        raise DatasetError(f"--from {fmt!r}: choose from {', '.join(FORMATS)}.")
    path = Path(path)
    if not path.is_file():
        raise DatasetError(f"{path}: no such file.")
    tag_map = tag_map or {}
    result = ForeignResult()
    directory = corpus_selectors.speaker_directory()
    created: dict[str, Tag] = {}
    for document in READERS[fmt](path):
        if isinstance(document, DatasetError):
            result.errors.append(str(document))
            continue
        result.skipped.extend(document.skipped)
        try:
            with transaction.atomic():
                result.annotations += _document_import(
                    document, fmt, user, tag_map, result, created, directory
                )
            result.articles += 1
        except (DatasetError, IngestError) as exc:
            result.errors.append(
                str(exc) if str(exc).startswith(document.origin) else f"{document.origin}: {exc}"
            )
        except ValidationError as exc:
            messages = "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())
            result.errors.append(f"{document.origin}: {messages}; nothing of this document was written.")
        except PermissionDenied as exc:
            result.errors.append(f"{document.origin}: {exc}; nothing of this document was written.")
    if result.articles:
        summary = {
            "from": fmt,
            "format": None,
            "articles": result.articles,
            "created": None,
            "merged": None,
            "failed": len(result.errors),
            "counts": {"annotations": result.annotations} if result.annotations else {},
            "by": user.get_username(),
        }
        event_send(name="dataset.imported", data=[{"import": summary}])
    return result


def _document_import(document, fmt, user, tag_map, result, created, directory) -> int:
    record = ArticleInput(
        raw=document.raw,
        body=document.text,
        source=fmt,
        external_id=document.key,
        format="txt",
        origin=document.origin,
    )
    article = article_ingest(record=record, directory=directory).article
    if article.annotations.filter(author=user).exists():
        return 0  # imported before
    made = 0
    for index, span in enumerate(document.spans):
        placed = _place(document, span, article.text)
        if placed is None:
            raise DatasetError(
                f"{document.origin}: span {index} ({span.start}-{span.end}) "
                f"{document.text[span.start : span.end][:60]!r} is not in the text as ingested"
                "; nothing of this document was written."
            )
        tags = [_tag_for(label, tag_map, user, result, created) for label in span.labels if label]
        if not tags:
            result.skipped.append(f"{document.origin}: span {index} has no label, skipped.")
            continue
        services.annotation_create(article=article, author=user, start=placed[0], end=placed[1], tags=tags)
        made += 1
    if document.labels or any(n.strip() for n in document.notes):
        tags = [_tag_for(label, tag_map, user, result, created) for label in dict.fromkeys(document.labels)]
        note = "\n\n".join(n for n in document.notes if n.strip())
        services.annotation_create(article=article, author=user, target="article", tags=tags, note=note)
        made += 1
    return made
