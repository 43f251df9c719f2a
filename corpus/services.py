"""Every write to the corpus goes through these functions.

The admin, the API and the management commands call them, so a rule holds
whichever door the data comes through.
"""

from __future__ import annotations

import bisect
import logging
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from functools import cache, partial
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DataError, IntegrityError, connection, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.module_loading import import_string

from .anchoring import Anchor as Placement
from .anchoring import PositionMap, reanchor
from .clusters import clusters_refresh, quotes_delete
from .ingest.readers import ArticleInput, IngestError, record_from_article
from .ingest.types import ProcessedArticle, QuoteSpec, SpeakerDirectory, SpeakerRef
from .models import (
    Anchor,
    Article,
    ArticleRevision,
    Origin,
    Paragraph,
    ParagraphRole,
    Quote,
    QuoteKind,
    Source,
    Speaker,
    SpeakerAlias,
    SpeakerKind,
)
from .registry import speakers_clean_up, speakers_merge  # noqa: F401  the registry's writes
from .selectors import speaker_directory
from .spans import span_context
from .versioning import versioned_update

if TYPE_CHECKING:
    from concurrent.futures import Future

    from .ingest.pipeline import Job

# The text pipeline (corpus.ingest.pipeline: rules, quote patterns, speaker matching) is imported where an
# article is processed, so that commands and web processes that never process one do not load it.

logger = logging.getLogger(__name__)

LOCAL_SPEAKER_KINDS = {SpeakerKind.ANONYMOUS, SpeakerKind.GROUP}


@dataclass(frozen=True, slots=True)
class IngestResult:
    article: Article
    created: bool
    origin: str
    revised: bool = False

    @property
    def message(self) -> str:
        if self.revised:
            return (
                f"{self.origin}: new revision {self.article.revision} of article {self.article.pk}; "
                "annotations re-anchored."
            )
        if self.created:
            return f"{self.origin}: ingested as article {self.article.pk} ({self.article.title[:60]!r})."
        return f"{self.origin}: unchanged, already ingested as article {self.article.pk}."


@cache
def _ingest_hooks() -> tuple[Callable[..., None], ...]:
    """Apps that build on the corpus (annotations) add work to ingestion here, in one transaction,
    without the corpus importing them."""
    return tuple(import_string(path) for path in getattr(settings, "INGEST_HOOKS", ()))


@cache
def _revision_hooks() -> tuple[Callable[..., None], ...]:
    """Apps that keep spans on articles move them to a new revision here (``REVISION_HOOKS``)."""
    return tuple(import_string(path) for path in getattr(settings, "REVISION_HOOKS", ()))


def source_get_or_create(*, name: str) -> Source:
    source, _ = Source.objects.get_or_create(name=name.strip())
    return source


@transaction.atomic
def article_ingest(
    *,
    record: ArticleInput,
    directory: SpeakerDirectory | None = None,
    default_source: str | None = None,
    default_language: str = "en",
    processed: ProcessedArticle | None = None,
) -> IngestResult:
    """Store one article: raw input, normalized text, paragraphs, speakers and quotes, atomically.

    The same bytes again are a no-op. The same identity (url, or source and external id) with different
    bytes makes a new revision. ``processed``: what the pipeline made of ``record`` (with its language and
    ``directory``), when the caller has it already.
    """
    content_hash = record.content_hash
    existing = Article.objects.filter(content_hash=content_hash).first()
    if existing is not None:
        return IngestResult(article=existing, created=False, origin=record.origin)

    source_name = record.source or default_source
    source = source_get_or_create(name=source_name) if source_name else None
    if record.external_id and source is None:
        raise IngestError(f"{record.origin}: 'external_id' needs a 'source' (or pass --source).")
    identity = Q(pk__in=[])
    if record.url:
        identity |= Q(url=record.url)
    if record.external_id and source is not None:
        identity |= Q(source=source, external_id=record.external_id)
    clash = Article.objects.filter(identity).first()
    language = record.language or default_language
    if processed is None:
        from .ingest.pipeline import process

        processed = process(
            record.body, title=record.title, language=language, directory=directory, captions=record.captions
        )
    if not processed.paragraphs:
        raise IngestError(
            f"{record.origin}: no text left after normalization (only blanks or invisible characters)."
        )
    if clash is not None:
        article = article_revise(article=clash, record=record, processed=processed, directory=directory)
        return IngestResult(article=article, created=False, origin=record.origin, revised=True)
    article = _article_row(record, processed, source=source, language=language)
    article.save()
    _store_processed(article=article, processed=processed, directory=directory)
    for hook in _ingest_hooks():
        hook(items=[(article, processed)])
    return IngestResult(article=article, created=True, origin=record.origin)


def _article_row(
    record: ArticleInput, processed: ProcessedArticle, *, source: Source | None, language: str
) -> Article:
    """A new article from its input and what the pipeline made of it (not saved)."""
    return Article(
        source=source,
        url=record.url,
        external_id=record.external_id,
        raw_text=record.raw_text,
        content_hash=record.content_hash,
        text=processed.text,
        title=processed.title,
        standfirst=processed.standfirst,
        byline=processed.byline or record.byline,
        published_at=record.published_at,
        language=language,
        metadata={**record.metadata, "format": record.format},
        pipeline_version=processed.pipeline_version,
    )


def _paragraph_rows(article: Article, processed: ProcessedArticle) -> list[Paragraph]:
    return [
        Paragraph(article=article, position=p.position, role=p.role, rule=p.rule, start=p.start, end=p.end)
        for p in processed.paragraphs
    ]


def _store_processed(
    *, article: Article, processed: ProcessedArticle, directory: SpeakerDirectory | None
) -> None:
    paragraphs = Paragraph.objects.bulk_create(_paragraph_rows(article, processed))
    _store_quotes(
        article=article,
        processed=processed,
        paragraphs={p.position: p for p in paragraphs},
        directory=directory,
    )


def _store_quotes(
    *,
    article: Article,
    processed: ProcessedArticle,
    paragraphs: dict[int, Paragraph],
    directory: SpeakerDirectory | None,
) -> list[Quote]:
    refs = [r for q in processed.quotes for r in (q.speaker, q.via) if r is not None]
    speakers = _speakers_for(article=article, refs=refs, directory=directory)
    quotes = Quote.objects.bulk_create(_quote_rows(article, processed, paragraphs, speakers))
    _link_continuations(processed.quotes, quotes)
    return quotes


def _quote_rows(
    article: Article, processed: ProcessedArticle, paragraphs: dict[int, Paragraph], speakers: dict
) -> list[Quote]:
    return [
        Quote(
            article=article,
            paragraph=paragraphs[q.paragraph],
            kind=q.kind,
            start=q.start,
            end=q.end,
            exact=processed.text[q.start : q.end],
            speaker=speakers.get(q.speaker) if q.speaker else None,
            speaker_mention=q.speaker_mention[:300],
            cue=q.cue[:200],
            via=speakers.get(q.via) if q.via else None,
            confidence=q.confidence,
            rule=q.rule[:80],
            origin=Origin.MACHINE,
            pipeline_version=processed.pipeline_version,
        )
        for q in processed.quotes
    ]


def _link_continuations(specs: list[QuoteSpec], quotes: list[Quote]) -> None:
    """A quote's ``continues`` names another quote of the same article, known only once both have ids."""
    continuing = []
    for spec, quote in zip(specs, quotes, strict=True):
        if spec.continues is not None:
            quote.continues = quotes[spec.continues]
            continuing.append(quote)
    if continuing:
        Quote.objects.bulk_update(continuing, ["continues"])


def _speakers_for(
    *, article: Article, refs: Iterable[SpeakerRef], directory: SpeakerDirectory | None
) -> dict[SpeakerRef, Speaker]:
    """Find or create the speakers the pipeline named, in a fixed number of queries: shared ones by
    name or alias, anonymous sources and unnamed groups as speakers of this article."""
    unique = list(dict.fromkeys(refs))
    resolved = speakers_register(refs=[r for r in unique if r.kind not in LOCAL_SPEAKER_KINDS])
    local: dict[str, Speaker] = {}
    for ref in unique:
        if ref.kind in LOCAL_SPEAKER_KINDS:
            name = ref.name.strip()[:300]
            local.setdefault(
                name, Speaker(article=article, name=name, kind=ref.kind, description=ref.description)
            )
    if local:
        # A new revision or a re-run meets the article's own speakers again.
        existing = {s.name: s for s in Speaker.objects.filter(article=article, name__in=list(local))}
        Speaker.objects.bulk_create([s for name, s in local.items() if name not in existing])
        local.update(existing)
    for ref in unique:
        if ref.kind in LOCAL_SPEAKER_KINDS:
            resolved[ref] = local[ref.name.strip()[:300]]
    return resolved


def speakers_register(*, refs: list[SpeakerRef]) -> dict[SpeakerRef, Speaker]:
    """The shared speaker for each ref (found by name, then by alias), created if new. Missing
    descriptions are filled in, and new aliases added where no other speaker holds them."""
    if not refs:
        return {}
    names = {ref: ref.name.strip()[:300] for ref in refs}
    by_name = {s.name: s for s in Speaker.objects.shared().filter(name__in=set(names.values()))}
    unknown = {n for n in names.values() if n not in by_name}
    if unknown:
        aliases = SpeakerAlias.objects.select_related("speaker").filter(
            key__in={n.casefold() for n in unknown}
        )
        by_key = {a.key: a.speaker for a in aliases}
        for name in list(unknown):
            if name.casefold() in by_key:
                by_name[name] = by_key[name.casefold()]
                unknown.discard(name)
    if unknown:
        first = {}
        for ref in refs:
            first.setdefault(names[ref], ref)
        created = Speaker.objects.bulk_create(
            [
                Speaker(name=name, kind=first[name].kind, description=first[name].description)
                for name in sorted(unknown)
            ]
        )
        by_name.update({s.name: s for s in created})
    described = []
    for ref in refs:
        speaker = by_name[names[ref]]
        if ref.description and not speaker.description:
            speaker.description = ref.description
            described.append(speaker)
    Speaker.objects.bulk_update(described, ["description"])

    wanted: dict[str, tuple[Speaker, str]] = {}
    for ref in refs:
        speaker = by_name[names[ref]]
        for phrase in ref.aliases:
            phrase = phrase.strip()[:300]
            if phrase and phrase != speaker.name:
                wanted.setdefault(phrase.casefold(), (speaker, phrase))
    if wanted:
        taken = set(SpeakerAlias.objects.filter(key__in=wanted).values_list("key", flat=True))
        SpeakerAlias.objects.bulk_create(
            [
                SpeakerAlias(speaker=sp, phrase=ph, key=key)
                for key, (sp, ph) in sorted(wanted.items())
                if key not in taken
            ]
        )
    return {ref: by_name[names[ref]] for ref in refs}


def speaker_register(*, ref: SpeakerRef) -> Speaker:
    return speakers_register(refs=[ref])[ref]


@transaction.atomic
def quote_correct(
    *,
    quote: Quote,
    expected_version: int,
    user,
    speaker: Speaker | type[...] | None = ...,
    kind: str | None = None,
    verified: bool | None = None,
) -> Quote:
    """An editor corrects a quote's speaker or kind, or marks it verified. Stale versions are refused.

    A quotation that runs over several paragraphs is one quote per paragraph, linked by ``continues``.
    A new speaker goes to the whole chain: the other quotes of the chain that still name the speaker
    this one named follow it (each with its version bumped and its own history record); one an editor
    gave a speaker of its own keeps it.
    """
    fields: dict = {}
    previous_speaker_id = quote.speaker_id
    if speaker is not ...:
        if speaker is not None and speaker.article_id not in (None, quote.article_id):
            raise ValidationError({"speaker": f"speaker {speaker.pk} belongs to another article."})
        fields["speaker"] = speaker
    if kind is not None:
        if kind not in QuoteKind.values:
            raise ValidationError({"kind": f"{kind!r} is not one of {', '.join(QuoteKind.values)}."})
        fields["kind"] = kind
    if verified is not None:
        fields["verified"] = verified
    if "speaker" in fields or "kind" in fields:
        fields["corrected_by"] = user
    quote = versioned_update(quote, expected_version=expected_version, fields=fields, user=user)
    if "speaker" in fields and quote.speaker_id != previous_speaker_id:
        _chain_follow_speaker(quote, previous_speaker_id=previous_speaker_id, user=user)
    return quote


def _continuation_chain(quote: Quote) -> set[int]:
    """The ids of the quotes linked to ``quote`` by ``continues``, either way, ``quote`` left out. A chain
    is a few quotes of one article, so the article's links are read once and walked here."""
    links = dict(
        Quote.objects.filter(article_id=quote.article_id, continues__isnull=False).values_list(
            "pk", "continues_id"
        )
    )
    if not links:
        return set()
    neighbours: dict[int, set[int]] = {}
    for child, parent in links.items():
        neighbours.setdefault(child, set()).add(parent)
        neighbours.setdefault(parent, set()).add(child)
    seen, todo = {quote.pk}, [quote.pk]
    while todo:
        for other in neighbours.get(todo.pop(), ()):
            if other not in seen:
                seen.add(other)
                todo.append(other)
    return seen - {quote.pk}


def _chain_follow_speaker(quote: Quote, *, previous_speaker_id: int | None, user) -> None:
    chain = _continuation_chain(quote)
    if not chain:
        return
    followers = Quote.objects.filter(pk__in=chain, speaker_id=previous_speaker_id).select_for_update()
    for follower in followers.order_by("pk"):
        versioned_update(
            follower,
            expected_version=follower.version,
            fields={"speaker": quote.speaker, "corrected_by": user},
            user=user,
        )


@transaction.atomic
def paragraph_set_role(*, paragraph: Paragraph, expected_version: int, role: str) -> Paragraph:
    if role not in ParagraphRole.values:
        raise ValidationError({"role": f"{role!r} is not one of {', '.join(ParagraphRole.values)}."})
    return versioned_update(
        paragraph, expected_version=expected_version, fields={"role": role, "rule": "editor"}
    )


@dataclass(frozen=True, slots=True)
class ReprocessResult:
    article: Article
    changed: bool
    quotes_replaced: int
    quotes_kept: int
    message: str
    roles_changed: int = 0
    rules_renamed: int = 0  # paragraphs whose role stayed and only the name of the rule deciding it changed
    quotes_new: int = 0


def _referenced_quote_ids(article: Article) -> set[int]:
    """Quotes that something outside the corpus points at (an annotation on the quote, say): replacing
    them would cascade into other apps' data, so they are kept. Found generically, through the model's
    reverse relations, so the corpus need not know who points at it."""
    ids: set[int] = set()
    for relation in Quote._meta.related_objects:
        if relation.related_model._meta.app_label == Quote._meta.app_label:
            continue  # the corpus's own (continuations, fingerprints, clusters) are rebuilt with the quotes
        field = relation.field.name
        ids.update(
            relation.related_model._default_manager.filter(**{f"{field}__article": article})
            .exclude(**{f"{field}__isnull": True})
            .values_list(f"{field}_id", flat=True)
        )
    return ids


def _reprocess_record(article: Article) -> ArticleInput:
    return record_from_article(
        raw_text=article.raw_text,
        fmt=article.metadata.get("format", "txt"),
        origin=f"article {article.pk}",
        metadata=article.metadata,
    )


@transaction.atomic
def article_reprocess(
    *,
    article: Article,
    directory: SpeakerDirectory | None = None,
    processed: tuple[str, ProcessedArticle] | None = None,
) -> ReprocessResult:
    """Run the current pipeline again on an article's stored raw text.

    Paragraph roles decided by the machine are refreshed; roles set by an editor stay. Machine quotes are
    replaced, except those an editor corrected or verified and those something points at. Annotations
    are never touched. When the normalized text itself would change, nothing is written: moving
    annotations to a new text is the job of revisions, not of re-processing.

    ``processed`` is the pipeline's result worked out beforehand (by ``articles_reprocess``'s workers)
    with the content hash of the raw text it was made from; it is used only if that is still the
    article's.
    """
    article = Article.objects.select_for_update().get(pk=article.pk)
    if processed is not None and processed[0] == article.content_hash:
        processed = processed[1]
    else:
        from .ingest.pipeline import process

        record = _reprocess_record(article)
        processed = process(
            record.body,
            title=record.title,
            language=article.language,
            directory=directory,
            captions=record.captions,
        )
    if processed.text != article.text:
        raise IngestError(
            f"article {article.pk}: the current pipeline builds a different text from its raw input, so "
            "re-processing would move every offset; nothing was written."
        )
    paragraphs = {p.position: p for p in article.paragraphs.all()}
    changed_paragraphs = []
    roles_changed = 0
    for spec in processed.paragraphs:
        paragraph = paragraphs[spec.position]
        if paragraph.rule != "editor" and (paragraph.role, paragraph.rule) != (spec.role, spec.rule):
            roles_changed += paragraph.role != spec.role
            paragraph.role, paragraph.rule = spec.role, spec.rule
            changed_paragraphs.append(paragraph)
    rules_renamed = len(changed_paragraphs) - roles_changed
    Paragraph.objects.bulk_update(changed_paragraphs, ["role", "rule"])

    existing = list(article.quotes.all())
    referenced = _referenced_quote_ids(article)
    kept = [q for q in existing if _quote_is_kept(q, referenced)]
    replaced = [q for q in existing if not _quote_is_kept(q, referenced)]
    left_clusters = quotes_delete(ids=[q.pk for q in replaced])
    kept_spans = {(q.start, q.end, q.kind) for q in kept}
    new_quotes = _quotes_without(processed.quotes, lambda q: (q.start, q.end, q.kind) in kept_spans)
    _store_quotes(
        article=article,
        processed=replace(processed, quotes=new_quotes),
        paragraphs=paragraphs,
        directory=directory,
    )
    Article.objects.filter(pk=article.pk).update(
        title=processed.title,
        standfirst=processed.standfirst,
        byline=processed.byline,
        pipeline_version=processed.pipeline_version,
    )
    article.refresh_from_db()
    for hook in _ingest_hooks():
        hook(items=[(article, processed)])
    clusters_refresh(ids=left_clusters)
    changed = bool(changed_paragraphs or replaced or new_quotes)
    paragraphs_said = f"{roles_changed} paragraph role(s) changed"
    if rules_renamed:
        paragraphs_said += f", {rules_renamed} paragraph(s) with the same role under a renamed rule"
    return ReprocessResult(
        article=article,
        changed=changed,
        quotes_replaced=len(replaced),
        quotes_kept=len(kept),
        message=(
            f"article {article.pk}: {paragraphs_said}, "
            f"{len(replaced)} machine quote(s) replaced by {len(new_quotes)}, {len(kept)} kept."
        ),
        roles_changed=roles_changed,
        rules_renamed=rules_renamed,
        quotes_new=len(new_quotes),
    )


def articles_reprocess(
    *, pks: Sequence[int], directory: SpeakerDirectory | None = None, jobs: int = 1, batch_size: int = 100
) -> Iterator[ReprocessResult | IngestFailure]:
    """``article_reprocess`` for each of ``pks`` in order, one transaction each; a result or a failure
    per article.

    ``jobs`` above 1 runs the text pipeline in that many worker processes, a batch ahead of the writes
    (as ``articles_ingest`` does): the workers read the next batch's raw texts while this one is stored.
    """

    def one(pk: int, processed=None) -> ReprocessResult | IngestFailure:
        try:
            return article_reprocess(article=Article(pk=pk), directory=directory, processed=processed)
        except Article.DoesNotExist:
            return IngestFailure(origin=f"article {pk}", message=f"article {pk}: it no longer exists.")
        except IngestError as exc:
            return IngestFailure(origin=f"article {pk}", message=str(exc))

    batches = [list(pks[i : i + batch_size]) for i in range(0, len(pks), batch_size)]
    if jobs <= 1:
        for batch in batches:
            for pk in batch:
                yield one(pk)
        return
    from concurrent.futures import ProcessPoolExecutor

    from .ingest.pipeline import start_worker

    # The workers end with this process, should it be killed (see ``start_worker``).
    pool = ProcessPoolExecutor(max_workers=jobs, initializer=start_worker, initargs=(directory, os.getpid()))

    def written(batch: list[int], ahead: dict) -> Iterator[ReprocessResult | IngestFailure]:
        for pk in batch:
            future, position, content_hash = ahead.get(pk, (None, 0, ""))
            yield one(pk, (content_hash, future.result()[position]) if future is not None else None)

    try:
        pending = None
        for batch in batches:
            ahead = _reprocess_ahead(pool, batch, jobs)
            if pending is not None:
                yield from written(*pending)
            pending = batch, ahead
        if pending is not None:
            yield from written(*pending)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _reprocess_ahead(pool, batch: list[int], jobs: int) -> dict[int, tuple[Future, int, str]]:
    """Start the pipeline for the articles of ``batch``: per article, its future, its place in the
    future's result and the content hash it was read with. An article whose raw text cannot be read
    again is left out (it fails, with its message, when its turn comes)."""
    from .ingest.pipeline import process_jobs

    wanted = []
    for article in Article.objects.filter(pk__in=batch).only(
        "pk", "raw_text", "metadata", "language", "content_hash"
    ):
        try:
            record = _reprocess_record(article)
        except IngestError:
            continue
        wanted.append(
            (article.pk, article.content_hash, (record.body, record.title, article.language, record.captions))
        )
    ahead: dict[int, tuple[Future, int, str]] = {}
    size = max(1, -(-len(wanted) // (jobs * 4)))
    for chunk in range(0, len(wanted), size):
        part = wanted[chunk : chunk + size]
        future = pool.submit(process_jobs, [job for _, _, job in part])
        for position, (pk, content_hash, _) in enumerate(part):
            ahead[pk] = (future, position, content_hash)
    return ahead


def _quotes_without(quotes: list[QuoteSpec], drop: Callable[[QuoteSpec], bool]) -> list[QuoteSpec]:
    """The extracted quotes less those ``drop`` picks (kept rows already stand for them), with each
    ``continues`` renumbered; a link to a dropped quote is cut."""
    left = [i for i, quote in enumerate(quotes) if not drop(quote)]
    position = {old: new for new, old in enumerate(left)}
    return [
        replace(quotes[i], continues=position.get(quotes[i].continues))
        if quotes[i].continues is not None
        else quotes[i]
        for i in left
    ]


def article_input_from_json(*, data: bytes, origin: str) -> ArticleInput:
    """The JSON ingest format received as bytes (an API request body), read exactly as a ``.json`` file
    is, so the API and ``manage.py ingest`` store the same article for the same bytes."""
    from .ingest import readers

    if len(data) > settings.INGEST_MAX_BYTES:
        raise IngestError(f"{origin}: {len(data)} bytes is over the {settings.INGEST_MAX_BYTES}-byte limit.")
    if not data.strip():
        raise IngestError(f"{origin}: field 'text' is missing or empty.")
    text = readers._decode(data, origin)
    return readers._json_record(readers._parse_json(text, origin), data, origin=origin, fmt="json")


def article_input_from_html(*, data: bytes, origin: str) -> ArticleInput:
    """An HTML page received as bytes (an API request body), read exactly as an ``.html`` file is."""
    from .ingest.readers import html_record

    if len(data) > settings.INGEST_MAX_BYTES:
        raise IngestError(f"{origin}: {len(data)} bytes is over the {settings.INGEST_MAX_BYTES}-byte limit.")
    if not data.strip():
        raise IngestError(f"{origin}: the page is empty.")
    return html_record(data, origin=origin)


def _sent_bytes_checked(data: bytes, origin: str) -> None:
    """What ``read_path`` checks of a file on disk, for bytes sent through a form."""
    if len(data) > settings.INGEST_MAX_BYTES:
        raise IngestError(f"{origin}: {len(data)} bytes is over the {settings.INGEST_MAX_BYTES}-byte limit.")
    if not data.strip():
        raise IngestError(f"{origin}: the file is empty.")
    if b"\x00" in data:
        raise IngestError(f"{origin}: the file holds NUL bytes; it looks binary, not text.")


def article_input_from_text(*, data: bytes, origin: str, meta: dict) -> ArticleInput:
    """Plain text received as bytes (pasted into the admin), read exactly as a ``.txt`` file is, with
    ``meta`` (url, source, published_at, language, external_id) as its ``.meta.json`` would give it."""
    from .ingest import readers

    _sent_bytes_checked(data, origin)
    record = ArticleInput(raw=data, body=readers._decode(data, origin), format="txt", origin=origin)
    readers._apply_metadata(record, meta, origin=origin)
    return record


UPLOAD_SUFFIXES = (".txt", ".json", ".html", ".htm")


def article_input_from_upload(*, data: bytes, name: str, meta: dict) -> ArticleInput:
    """An uploaded file, read as ``manage.py ingest`` reads a file of that name; ``meta`` given beside it
    wins over what the file says, as a ``.meta.json`` beside a file does."""
    from .ingest import readers

    suffix = ("." + name.rsplit(".", 1)[1].lower()) if "." in name else ""
    if suffix not in UPLOAD_SUFFIXES:
        raise IngestError(
            f"{name}: unsupported file type {suffix or '(none)'}; use .txt, .json or .html "
            "(a .jsonl file of many articles goes through manage.py ingest)."
        )
    if suffix == ".txt":
        return article_input_from_text(data=data, origin=name, meta=meta)
    _sent_bytes_checked(data, name)
    if suffix in (".html", ".htm"):
        return readers.html_record(data, origin=name, meta=meta)
    obj = readers._parse_json(readers._decode(data, name), name)
    return readers._json_record({**obj, **meta}, data, origin=name, fmt="json")


def article_add(*, user, record: ArticleInput) -> IngestResult:
    """Ingest one article for ``user`` (the admin's Add article, the API), as ``manage.py ingest`` does:
    the same bytes again are a no-op, the same identity with new bytes a revision."""
    if user is None or not user.is_authenticated or not user.has_perm("corpus.add_article"):
        raise PermissionDenied("You may not add articles.")
    return article_ingest(record=record, directory=speaker_directory())


# --- Revisions -------------------------------------------------------------------------

# Old paragraphs are parked past every real position while the new ones are created, so the
# (article, position) constraint holds at every step.
_PARKED = 10_000_000


@dataclass(frozen=True, slots=True)
class Revision:
    """What an app needs to move its spans from an article's old text to its new one."""

    article: Article
    old_text: str
    new_text: str
    position_map: PositionMap
    paragraphs: list[Paragraph]  # the new paragraphs, in order

    def paragraph_at(self, offset: int) -> Paragraph | None:
        index = bisect.bisect_right([p.start for p in self.paragraphs], offset) - 1
        if index >= 0 and offset < self.paragraphs[index].end:
            return self.paragraphs[index]
        return None

    def place(
        self, *, start: int | None, end: int | None, exact: str, prefix: str = "", suffix: str = ""
    ) -> Placement:
        if start is None or end is None:
            # An orphan from an earlier revision: look for its words anywhere.
            start, end = 0, len(exact)
        if not prefix and not suffix and start < len(self.old_text):
            prefix, suffix = span_context(text=self.old_text, start=start, end=end)
        return reanchor(
            old_text=self.old_text,
            new_text=self.new_text,
            start=start,
            end=end,
            exact=exact,
            prefix=prefix,
            suffix=suffix,
            position_map=self.position_map,
        )


def article_revise(
    *, article: Article, record: ArticleInput, processed: ProcessedArticle, directory: SpeakerDirectory | None
) -> Article:
    """Make ``record`` the new revision of ``article``, keeping the old one readable.

    Paragraphs and machine quotes are rebuilt. Quotes an editor corrected or verified, and quotes something
    points at, move to the new text (exact match, then fuzzy, else orphaned, never deleted); a new machine
    quote on the same span is dropped in their favour, so corrections carry over. Apps move their own spans
    through ``REVISION_HOOKS`` before the old paragraphs go.
    """
    article = Article.objects.select_for_update().get(pk=article.pk)
    if Article.objects.filter(content_hash=record.content_hash).exclude(pk=article.pk).exists():
        raise IngestError(
            f"{record.origin}: another article already has exactly this content; nothing was written."
        )
    old_text = article.text
    ArticleRevision.objects.create(
        article=article,
        number=article.revision,
        raw_text=article.raw_text,
        content_hash=article.content_hash,
        text=old_text,
        title=article.title,
        pipeline_version=article.pipeline_version,
        ingested_at=article.updated_at,
    )
    old_paragraphs = list(article.paragraphs.values_list("pk", flat=True))
    Paragraph.objects.filter(article=article).update(position=F("position") + _PARKED)
    paragraphs = Paragraph.objects.bulk_create(_paragraph_rows(article, processed))
    revision = Revision(
        article=article,
        old_text=old_text,
        new_text=processed.text,
        position_map=PositionMap(old_text, processed.text),
        paragraphs=paragraphs,
    )

    existing = list(article.quotes.all())
    referenced = _referenced_quote_ids(article)
    kept = [q for q in existing if _quote_is_kept(q, referenced)]
    left_clusters = quotes_delete(ids=[q.pk for q in existing if not _quote_is_kept(q, referenced)])
    placed_spans = set()
    for quote in kept:
        exact = quote.exact or (old_text[quote.start : quote.end] if quote.start is not None else "")
        anchor = revision.place(start=quote.start, end=quote.end, exact=exact)
        paragraph = revision.paragraph_at(anchor.start) if anchor.start is not None else None
        quote.exact = exact
        if paragraph is None:
            quote.start = quote.end = quote.paragraph = None
            quote.anchor, quote.anchor_score = Anchor.ORPHANED, None
        else:
            quote.start, quote.end, quote.paragraph = anchor.start, anchor.end, paragraph
            quote.anchor, quote.anchor_score = anchor.method, anchor.score
            placed_spans.add((quote.start, quote.end))
    Quote.objects.bulk_update(kept, ["start", "end", "paragraph", "exact", "anchor", "anchor_score"])
    new_quotes = _quotes_without(processed.quotes, lambda q: (q.start, q.end) in placed_spans)
    _store_quotes(
        article=article,
        processed=replace(processed, quotes=new_quotes),
        paragraphs={p.position: p for p in paragraphs},
        directory=directory,
    )
    Article.objects.filter(pk=article.pk).update(
        raw_text=record.raw_text,
        content_hash=record.content_hash,
        text=processed.text,
        title=processed.title,
        standfirst=processed.standfirst,
        byline=processed.byline or record.byline,
        pipeline_version=processed.pipeline_version,
        metadata={**article.metadata, **record.metadata, "format": record.format},
        revision=F("revision") + 1,
        version=F("version") + 1,
        updated_at=timezone.now(),
    )
    article.refresh_from_db()
    for hook in _revision_hooks():
        hook(revision=replace(revision, article=article))
    # RESTRICT on every reference: this fails rather than take anyone's work with it.
    Paragraph.objects.filter(pk__in=old_paragraphs).delete()
    for hook in _ingest_hooks():
        hook(items=[(article, processed)])
    clusters_refresh(ids=left_clusters)
    return article


def _quote_is_kept(quote: Quote, referenced: set[int]) -> bool:
    return bool(
        quote.verified
        or quote.corrected_by_id
        or quote.cluster_fixed
        or quote.origin == Origin.EDITOR
        or quote.pk in referenced
    )


# --- Batched ingestion ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class IngestFailure:
    origin: str
    message: str


def process_record(
    record: ArticleInput, language: str, directory: SpeakerDirectory | None
) -> ProcessedArticle:
    """The pipeline for one record."""
    from .ingest.pipeline import process

    return process(
        record.body, title=record.title, language=language, directory=directory, captions=record.captions
    )


DEFAULT_BATCH_SIZE = 200


def articles_ingest(
    *,
    records: Iterable[ArticleInput],
    directory: SpeakerDirectory | None = None,
    default_source: str | None = None,
    default_language: str = "en",
    batch_size: int = DEFAULT_BATCH_SIZE,
    jobs: int = 1,
) -> Iterator[IngestResult | IngestFailure]:
    """Ingest many records, in input order, a batch per transaction.

    New articles of a batch are written with one bulk insert per table, each batch in one transaction, so
    an interrupted run leaves whole articles only. Should the batch fail to commit (a concurrent writer took
    a url, say), its articles are written one by one instead, each in its own transaction, so one bad
    article never takes the others with it. Repeats, revisions and errors take the one-by-one path too.

    ``jobs`` above 1 runs the text pipeline in that many worker processes: while one batch is written, the
    workers already read the next one.

    Every article of a run is read against the same speaker ``directory`` (the registry as it was when the
    run began), so the result does not depend on batch size, job count or file order.
    """
    ingest = partial(
        _ingest_batch, directory=directory, default_source=default_source, default_language=default_language
    )
    if jobs <= 1:
        for batch in _batches(records, batch_size):
            yield from ingest(batch)
        return
    from concurrent.futures import ProcessPoolExecutor

    from .ingest.pipeline import start_worker

    # The workers end with this process, should it be killed (see ``start_worker``).
    pool = ProcessPoolExecutor(max_workers=jobs, initializer=start_worker, initargs=(directory, os.getpid()))
    try:
        pending = None
        for batch in _batches(records, batch_size):
            ahead = _process_ahead(pool, batch, jobs, default_language)
            if pending is not None:
                yield from ingest(*pending)
            pending = batch, ahead
        if pending is not None:
            yield from ingest(*pending)
    finally:
        # Also when the caller stops early: work not yet started is dropped, not waited for.
        pool.shutdown(wait=True, cancel_futures=True)


def _batches(records: Iterable[ArticleInput], size: int) -> Iterator[list[ArticleInput]]:
    batch: list[ArticleInput] = []
    for record in records:
        batch.append(record)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _process_ahead(
    pool, batch: list[ArticleInput], jobs: int, default_language: str
) -> dict[int, tuple[Future, int]]:
    """Start the pipeline in ``pool`` for the records of ``batch`` that look new, before the batch before it
    is written: a guess (whether each is new is decided again when the batch's turn comes), so nothing
    depends on it but speed. The results come as futures, each for a few records."""
    hashes = [record.content_hash for record in batch]
    known = set(Article.objects.filter(content_hash__in=set(hashes)).values_list("content_hash", flat=True))
    wanted, seen = [], set()
    for index, content_hash in enumerate(hashes):
        if content_hash not in known and content_hash not in seen:
            seen.add(content_hash)
            wanted.append(index)
    from .ingest.pipeline import process_jobs

    ahead: dict[int, tuple[Future, int]] = {}
    size = max(1, -(-len(wanted) // (jobs * 4)))  # about four chunks per worker, so none idles long
    for chunk in range(0, len(wanted), size):
        indexes = wanted[chunk : chunk + size]
        future = pool.submit(process_jobs, [_job(batch[i], default_language) for i in indexes])
        for position, index in enumerate(indexes):
            ahead[index] = (future, position)
    return ahead


def _job(record: ArticleInput, default_language: str) -> Job:
    return record.body, record.title, record.language or default_language, record.captions


def _one_by_one(
    record, directory, default_source, default_language, processed: ProcessedArticle | None = None
) -> IngestResult | IngestFailure:
    try:
        return article_ingest(
            record=record,
            directory=directory,
            default_source=default_source,
            default_language=default_language,
            processed=processed,
        )
    except (IngestError, ValidationError) as exc:
        message = "; ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
        return IngestFailure(origin=record.origin, message=message)
    except (IntegrityError, DataError) as exc:
        # A value the database will not take (too long for its column, say), or a clash with a concurrent
        # writer: this article is left out, the others go on.
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return IngestFailure(
            origin=record.origin, message=f"{record.origin}: the database refused it: {reason}."
        )


def _ingest_batch(
    batch: list[ArticleInput],
    ahead: dict[int, tuple[Future, int]] | None = None,
    *,
    directory,
    default_source,
    default_language,
) -> list[IngestResult | IngestFailure]:
    results: dict[int, IngestResult | IngestFailure] = {}
    hashes = [record.content_hash for record in batch]
    known = {
        a.content_hash: a
        for a in Article.objects.filter(content_hash__in=set(hashes)).only(
            "id", "title", "content_hash", "revision"
        )
    }
    urls = {r.url for r in batch if r.url}
    taken_urls = set(Article.objects.filter(url__in=urls).values_list("url", flat=True)) if urls else set()
    pairs = {(r.source or default_source, r.external_id) for r in batch if r.external_id}
    taken_pairs = (
        set(
            Article.objects.filter(
                source__name__in={p[0] for p in pairs}, external_id__in={p[1] for p in pairs}
            ).values_list("source__name", "external_id")
        )
        if pairs
        else set()
    )
    fresh: list[tuple[int, ArticleInput]] = []
    slow: list[tuple[int, ArticleInput]] = []
    seen_hashes: set[str] = set()
    seen_urls: set[str] = set()
    seen_pairs: set[tuple] = set()
    for index, (record, content_hash) in enumerate(zip(batch, hashes, strict=True)):
        pair = (record.source or default_source, record.external_id) if record.external_id else None
        if content_hash in known:
            results[index] = IngestResult(article=known[content_hash], created=False, origin=record.origin)
        elif (
            content_hash in seen_hashes
            or (record.url and (record.url in taken_urls or record.url in seen_urls))
            or (pair and (pair in taken_pairs or pair in seen_pairs or pair[0] is None))
        ):
            slow.append((index, record))  # a repeat, a revision or an error: the careful path
        else:
            fresh.append((index, record))
            seen_hashes.add(content_hash)
            if record.url:
                seen_urls.add(record.url)
            if pair:
                seen_pairs.add(pair)

    ahead = ahead or {}
    chunks: dict[Future, list[ProcessedArticle]] = {}
    processed_all = []
    for index, record in fresh:
        if index in ahead:
            future, position = ahead[index]
            if future not in chunks:
                chunks[future] = future.result()
            processed_all.append(chunks[future][position])
        else:
            processed_all.append(process_record(record, record.language or default_language, directory))
    ready = []
    for (index, record), processed in zip(fresh, processed_all, strict=True):
        if processed.paragraphs:
            ready.append((index, record, processed))
        else:
            results[index] = IngestFailure(
                origin=record.origin,
                message=f"{record.origin}: no text left after normalization (only blanks or invisible characters).",
            )
    if ready:
        try:
            with transaction.atomic():
                stored = _store_batch(ready, directory, default_source, default_language)
            results.update(stored)
        except (IntegrityError, DataError):
            # Someone else wrote one of these meanwhile, or one holds a value the database refuses: fall back
            # to one transaction per article.
            for index, record, processed in ready:
                results[index] = _one_by_one(record, directory, default_source, default_language, processed)
    for index, record in slow:
        results[index] = _one_by_one(record, directory, default_source, default_language)
    return [results[i] for i in range(len(batch))]


def _store_batch(ready, directory, default_source, default_language) -> dict[int, IngestResult]:
    """Write new articles with everything on them: one insert per table for the whole batch.

    Rows are written as plain tuples (``executemany`` on SQLite, ``COPY`` on PostgreSQL) with ids taken
    from each table's own sequence beforehand, so a quote's paragraph, speakers and ``continues`` are known
    when it is written. The ids are those a bulk insert in the same order would give.
    """
    sources: dict[str, Source] = {}
    for _, record, _ in ready:
        name = record.source or default_source
        if name and name not in sources:
            sources[name] = source_get_or_create(name=name)
    now = timezone.now()
    stamp = connection.ops.adapt_datetimefield_value(now)
    articles = [
        _article_row(
            record,
            processed,
            source=sources.get(record.source or default_source),
            language=record.language or default_language,
        )
        for _, record, processed in ready
    ]
    _insert_articles(articles, now, stamp)
    processed_all = [processed for _, _, processed in ready]

    paragraph_ids = iter(_reserve_ids(Paragraph, sum(len(p.paragraphs) for p in processed_all)))
    paragraph_rows = []
    by_article: list[dict[int, int]] = []
    for article, processed in zip(articles, processed_all, strict=True):
        pk = article.pk
        positions = {}
        for spec in processed.paragraphs:
            paragraph = next(paragraph_ids)
            positions[spec.position] = paragraph
            paragraph_rows.append(
                (paragraph, pk, spec.position, spec.role, spec.rule, spec.start, spec.end, 1)
            )
        by_article.append(positions)
    _insert_rows(Paragraph, _PARAGRAPH_COLUMNS, paragraph_rows)

    # Speakers: shared ones found or created by name, anonymous sources and unnamed groups as speakers of
    # their one article. Refs repeat (one object per speaker of an article), so they are looked at once.
    shared_refs: dict[SpeakerRef, None] = {}
    local: dict[tuple[int, str], list] = {}
    for article, processed in zip(articles, processed_all, strict=True):
        seen: set[int] = set()
        for quote in processed.quotes:
            for ref in (quote.speaker, quote.via):
                if ref is None or id(ref) in seen:
                    continue
                seen.add(id(ref))
                if ref.kind in LOCAL_SPEAKER_KINDS:
                    name = ref.name.strip()[:300]
                    if (article.pk, name) not in local:
                        local[(article.pk, name)] = [
                            None,
                            name,
                            ref.kind,
                            ref.description,
                            1,
                            article.pk,
                            stamp,
                        ]
                else:
                    shared_refs[ref] = None
    shared = {ref: speaker.pk for ref, speaker in speakers_register(refs=list(shared_refs)).items()}
    for row, pk in zip(local.values(), _reserve_ids(Speaker, len(local)), strict=True):
        row[0] = pk
    _insert_rows(Speaker, _SPEAKER_COLUMNS, [tuple(row) for row in local.values()])

    quote_ids = _reserve_ids(Quote, sum(len(p.quotes) for p in processed_all))
    quote_rows = []
    offset = 0
    placed, machine = Anchor.PLACED, Origin.MACHINE
    for article, processed, positions in zip(articles, processed_all, by_article, strict=True):
        text, version, pk = processed.text, processed.pipeline_version, article.pk
        speakers: dict[int, int | None] = {}  # id(ref) -> speaker id, for this article's refs
        for ref in {id(r): r for q in processed.quotes for r in (q.speaker, q.via) if r is not None}.values():
            if ref.kind in LOCAL_SPEAKER_KINDS:
                speakers[id(ref)] = local[(pk, ref.name.strip()[:300])][0]
            else:
                speakers[id(ref)] = shared.get(ref)
        for i, q in enumerate(processed.quotes):
            quote_rows.append(
                (
                    quote_ids[offset + i],
                    pk,
                    positions[q.paragraph],
                    q.kind,
                    q.start,
                    q.end,
                    text[q.start : q.end],
                    placed,
                    None,
                    quote_ids[offset + q.continues] if q.continues is not None else None,
                    speakers[id(q.speaker)] if q.speaker is not None else None,
                    q.speaker_mention[:300],
                    q.cue[:200],
                    speakers[id(q.via)] if q.via is not None else None,
                    q.confidence,
                    q.rule[:80],
                    machine,
                    False,
                    None,
                    version,
                    stamp,
                    stamp,
                    1,
                )
            )
        offset += len(processed.quotes)
    _insert_rows(Quote, _QUOTE_COLUMNS, quote_rows)

    items = list(zip(articles, processed_all, strict=True))
    for hook in _ingest_hooks():
        hook(items=items)
    return {
        index: IngestResult(article=article, created=True, origin=record.origin)
        for article, (index, record, _) in zip(articles, ready, strict=True)
    }


_ARTICLE_COLUMNS = (
    "source",
    "url",
    "external_id",
    "raw_text",
    "content_hash",
    "text",
    "title",
    "standfirst",
    "byline",
    "published_at",
    "language",
    "metadata",
    "pipeline_version",
    "revision",
    "ingested_at",
    "updated_at",
    "version",
)
_PARAGRAPH_COLUMNS = ("id", "article", "position", "role", "rule", "start", "end", "version")
_SPEAKER_COLUMNS = ("id", "name", "kind", "description", "version", "article", "created_at")
_QUOTE_COLUMNS = (
    "id",
    "article",
    "paragraph",
    "kind",
    "start",
    "end",
    "exact",
    "anchor",
    "anchor_score",
    "continues",
    "speaker",
    "speaker_mention",
    "cue",
    "via",
    "confidence",
    "rule",
    "origin",
    "verified",
    "corrected_by",
    "pipeline_version",
    "created_at",
    "updated_at",
    "version",
)


def _insert_articles(articles: list[Article], now, stamp) -> None:
    """Insert new articles (no ids yet) and give each instance the id the database chose."""
    published_at, metadata = Article._meta.get_field("published_at"), Article._meta.get_field("metadata")
    rows = []
    for article in articles:
        article.ingested_at = article.updated_at = now
        rows.append(
            (
                article.source_id,
                article.url,
                article.external_id,
                article.raw_text,
                article.content_hash,
                article.text,
                article.title,
                article.standfirst,
                article.byline,
                published_at.get_db_prep_save(article.published_at, connection),
                article.language,
                metadata.get_db_prep_save(article.metadata, connection),
                article.pipeline_version,
                article.revision,
                stamp,
                stamp,
                article.version,
            )
        )
    _insert_rows(Article, _ARTICLE_COLUMNS, rows)
    ids: dict[str, int] = {}
    hashes = [a.content_hash for a in articles]
    with connection.cursor() as cursor:
        for chunk in range(0, len(hashes), 500):
            part = hashes[chunk : chunk + 500]
            cursor.execute(
                f"SELECT content_hash, id FROM {_table(Article)} WHERE content_hash IN "
                f"({', '.join(['%s'] * len(part))})",
                part,
            )
            ids.update(cursor.fetchall())
    for article in articles:
        article.pk = ids[article.content_hash]
        article._state.adding = False
        article._state.db = connection.alias


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _reserve_ids(model, count: int) -> list[int]:
    """``count`` new ids for ``model``'s table, in increasing order, as inserting rows would take them.

    PostgreSQL takes them from the table's sequence. SQLite continues its AUTOINCREMENT counter, which no
    one else can move meanwhile: the batch has written its articles already, so its transaction holds the
    database's write lock. The rows inserted with these ids move the counter past them.
    """
    if count == 0:
        return []
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", [table, count]
            )
            return sorted(row[0] for row in cursor.fetchall())
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = %s), 0), "
                f"coalesce((SELECT max(id) FROM {_table(model)}), 0))",
                [table],
            )
            first = cursor.fetchone()[0] + 1
            return list(range(first, first + count))
    raise NotImplementedError(f"batched ingestion does not support {connection.vendor}")


def _insert_rows(model, columns: tuple[str, ...], rows: list[tuple]) -> None:
    """Insert plain rows (values already as the database stores them) into ``model``'s table."""
    if not rows:
        return
    names = ", ".join(connection.ops.quote_name(model._meta.get_field(name).column) for name in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with (
                connection.wrap_database_errors,
                cursor.cursor.copy(f"COPY {_table(model)} ({names}) FROM STDIN") as copy,
            ):
                for row in rows:
                    copy.write_row(row)
        else:
            placeholders = ", ".join(["%s"] * len(columns))
            cursor.executemany(f"INSERT INTO {_table(model)} ({names}) VALUES ({placeholders})", rows)
