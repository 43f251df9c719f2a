"""One article's record: checked field by field, and its rows added to the batch, built by field name.

A record that fails a check is cut back out of the batch with whatever it planned, and reported with the
field at fault; the other records of the batch go on. A record that merges into an article the database
has (``Match``) adds only what the article does not hold yet.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import connection

from corpus.models import Anchor, Article, Paragraph, Quote
from corpus.spans import span_context
from corpus.weburls import web_url_problem

from ..models import Annotation, AnnotationTarget, Claim, FactCheck, FactCheckStatus
from .checks import (
    RECORD_ERRORS,
    Failure,
    as_text,
    cut,
    describe,
    paragraph_for,
    parse_datetime,
    quote_for,
    span_words,
)
from .matching import Match, ParagraphRef, QuoteRef
from .names import Names
from .reading import DatasetError
from .writing import AnnotationRow, ArticleRow, Batch, DismissalRow, ParagraphRow, QuoteRow, TagLinkRow

TARGETS = frozenset(AnnotationTarget.values)
# Plain strings: the database drivers bind them as they are.
PLACED, ORPHANED = Anchor.PLACED.value, Anchor.ORPHANED.value
SPAN, PARAGRAPH, QUOTE = (
    AnnotationTarget.SPAN.value,
    AnnotationTarget.PARAGRAPH.value,
    AnnotationTarget.QUOTE.value,
)


class ArticleRecords:
    def __init__(self, names: Names, metadata):
        self.names = names
        self.metadata = metadata  # what an imported article's metadata column holds

    def add(self, origin: str, record: dict | DatasetError, match: Match | None, batch: Batch) -> None:
        """Add the rows of ``record`` to ``batch``, or its error, should a check fail."""
        mark, journal = batch.mark(), len(self.names.journal)
        try:
            if isinstance(record, DatasetError):
                raise record
            self._article(origin, record, match, batch)
        except RECORD_ERRORS as exc:
            batch.reset(mark)
            self.names.forget(journal)
            batch.failed += 1
            batch.errors.append(
                str(exc)
                if isinstance(exc, DatasetError)
                else f"{origin}: {describe(exc)}; nothing of this article was written."
            )

    def _article(self, origin: str, record: dict, match: Match | None, batch: Batch) -> None:
        missing = [
            key
            for key in ("id", "content_hash", "paragraphs", "quotes", "annotations", "claims")
            if key not in record
        ]
        if missing:
            raise DatasetError(f"{origin}: field {missing[0]!r} is missing.")
        fail = Failure(origin)
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
        self._dismissals(article_id, record, text, fail, batch)
        if match is None:
            batch.created += 1
        else:
            batch.merged += 1

    def _article_row(self, record: dict, text: str, fail, batch: Batch) -> int:
        source = self.names.source(record["source"], batch) if record.get("source") else None
        roles = {p.get("role"): p for p in reversed(record["paragraphs"])}
        pk = self.names.pk(Article, record["id"], batch, "field 'id'")
        published_at = parse_datetime(record.get("published_at"), fail, "published_at")
        if record.get("url") and (problem := web_url_problem(record["url"])):
            fail("url", problem)
        batch.articles.append(
            ArticleRow(
                id=pk,
                source=source,
                url=record.get("url") or None,
                external_id=as_text(record.get("external_id")),
                # The raw input is not part of a dataset: the normalized text stands in for it.
                raw_text=text,
                content_hash=record["content_hash"],
                text=text,
                title=as_text(record.get("title")),
                standfirst=cut(text, roles.get("standfirst")),
                byline=cut(text, roles.get("byline"))[:500],
                published_at=connection.ops.adapt_datetimefield_value(published_at),
                language=as_text(record.get("language"), "en"),
                metadata=self.metadata,
            )
        )
        return pk

    def _paragraphs(
        self, article_id: int, record: dict, text: str, fail, batch: Batch
    ) -> dict[int, ParagraphRef]:
        rows, take = batch.paragraphs, self.names.ids.take
        positions: dict[int, ParagraphRef] = {}
        for index, item in enumerate(record["paragraphs"]):
            start, end = item.get("start"), item.get("end")
            span_words(text, start, end, item.get("text"), f"paragraphs[{index}]", "text", fail)
            position = item["position"]
            if not isinstance(position, int):
                fail(f"paragraphs[{index}].position", f"{position!r} is not a whole number")
            if position in positions:
                fail(f"paragraphs[{index}].position", f"position {position} is already taken")
            pk = take(Paragraph)
            rows.append(
                ParagraphRow(
                    id=pk,
                    article=article_id,
                    position=position,
                    role=as_text(item.get("role"), "body"),
                    rule=as_text(item.get("rule")),
                    start=start,
                    end=end,
                )
            )
            positions[position] = ParagraphRef(pk, position, start, end)
        return positions

    def _quotes(self, article_id, record, text, paragraphs, match, own, fail, batch) -> dict[Any, QuoteRef]:
        existing = match.quotes if match is not None else {}
        by_export: dict[Any, QuoteRef] = {}
        speakers: dict[str, int] = {}
        new: list[tuple[dict, QuoteRow]] = []
        names = self.names
        for index, item in enumerate(record["quotes"]):
            start, end = item.get("start"), item.get("end")
            words = item.get("text")
            if start is not None:
                words = span_words(text, start, end, words, f"quotes[{index}]", "text", fail)
            kind = item.get("kind")
            found = existing.get((start, end, kind))
            if found is not None:
                by_export[item["id"]] = found
                if item.get("cluster_fixed"):
                    # An editor's placement travels with the quote: applied to the quote here, in
                    # ``writing.placements_apply``, unless an editor here placed it already.
                    cluster = names.cluster(item.get("cluster"), f"quotes[{index}].cluster", fail, batch)
                    batch.placements.append((found.id, cluster))
                continue
            position = item.get("paragraph")
            paragraph = paragraphs.get(position) if position is not None else None
            if start is not None and paragraph is None:
                fail(f"quotes[{index}].paragraph", f"no paragraph at position {position}")
            speaker = names.speaker(
                article_id, record, item.get("speaker"), item.get("speaker_kind"), speakers, own, batch
            )
            via = names.speaker(article_id, record, item.get("via"), None, speakers, own, batch)
            pk = names.pk(Quote, item["id"], batch, f"field 'quotes[{index}].id'")
            exact = as_text(words)
            row = QuoteRow(
                id=pk,
                article=article_id,
                paragraph=paragraph.id if paragraph is not None else None,
                kind=kind,
                start=start,
                end=end,
                exact=exact,
                anchor=PLACED if start is not None else ORPHANED,
                continues=None,  # filled in below, once every quote of the record has its id
                speaker=speaker,
                speaker_mention=as_text(item.get("speaker_mention")),
                cue=as_text(item.get("cue")),
                via=via,
                origin=as_text(item.get("origin"), "machine"),
                verified=bool(item.get("verified")),
                cluster=names.cluster(item.get("cluster"), f"quotes[{index}].cluster", fail, batch),
                cluster_fixed=bool(item.get("cluster_fixed")),
            )
            new.append((item, row))
            by_export[item["id"]] = QuoteRef(pk, start, end, exact)
        for item, row in new:
            continues = item.get("continues")
            if continues is not None and continues in by_export:
                row = row._replace(continues=by_export[continues].id)
            batch.quotes.append(row)
        return by_export

    def _annotations(
        self, article_id, record, text, paragraphs, quotes, match, fail, batch
    ) -> dict[Any, int]:
        existing = match.annotations if match is not None else {}
        by_export: dict[Any, int] = {}
        rows, links, names = batch.annotations, batch.links, self.names
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
                    exact = span_words(text, start, end, exact, where, "exact", fail)
            elif target == PARAGRAPH:
                paragraph = paragraph_for(item, exact, text, paragraphs, fail, where)
                exact = text[paragraph.start : paragraph.end]
            elif target == QUOTE:
                quote = quote_for(item, exact, text, quotes, match, fail, where)
                exact = quote.words(text)
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
                paragraph.position if paragraph is not None else None,
                quote.id if quote is not None else None,
            )
            if key in existing:
                by_export[item["id"]] = existing[key]
                continue
            prefix = suffix = ""
            if target == SPAN and start is not None:
                prefix, suffix = span_context(text=text, start=start, end=end)
            origin = as_text(item.get("origin"), "editor")
            author = names.user(author_name, batch)
            if origin == "editor" and author is None:
                fail(f"{where}.author", "an editor's annotation needs an author")
            pk = names.pk(Annotation, item["id"], batch, f"field '{where}.id'")
            rows.append(
                AnnotationRow(
                    id=pk,
                    article=article_id,
                    target=target,
                    paragraph=paragraph.id if paragraph is not None else None,
                    quote=quote.id if quote is not None else None,
                    start=start,
                    end=end,
                    exact=as_text(exact),
                    prefix=prefix,
                    suffix=suffix,
                    anchor=ORPHANED if target == SPAN and start is None else PLACED,
                    note=as_text(item.get("note")),
                    author=author,
                    status=as_text(item.get("status"), "draft"),
                    origin=origin,
                )
            )
            for slug in dict.fromkeys(item.get("tags") or ()):
                links.append(TagLinkRow(annotation=pk, tag=names.tag(slug, batch)))
            by_export[item["id"]] = pk
        return by_export

    def _claims(self, article_id, record, annotations, match, own, fail, batch) -> None:
        existing = match.claims if match is not None else set()
        speakers: dict[str, int] = {}
        names = self.names
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
                claimant_id=names.speaker(
                    article_id, record, item.get("claimant"), None, speakers, own, batch
                ),
                annotation_id=annotation,
                created_by_id=names.user(check.get("author"), batch) if check else None,
                id=names.pk(Claim, item.get("id"), batch, f"field '{where}.id'"),
            )
            batch.claims.append(claim)
            if check:
                self._fact_check(claim, check, fail, f"{where}.fact_check", batch)

    def _dismissals(self, article_id: int, record: dict, article_text: str, fail, batch: Batch) -> None:
        """The check-worthy suggestions editors dismissed (schema version 3; none in earlier exports).
        One the article already holds is left as it is (``writing.dismissals_insert``); one exported
        without its words (``--text none``) takes them from the article's text by its offsets."""
        items = record.get("checkworthy_dismissals") or []
        if not isinstance(items, list):
            fail("checkworthy_dismissals", "is not a list")
        for index, item in enumerate(items):
            where = f"checkworthy_dismissals[{index}]"
            if not isinstance(item, dict):
                fail(where, "is not an object")
            text = item.get("text")
            if text is None:
                start, end = item.get("start"), item.get("end")
                if start is None and end is None:
                    fail(
                        f"{where}.text",
                        "a dismissal with neither its words nor their offsets (words no longer in the "
                        "article's text, exported with --text none) cannot be placed: export it with its text",
                    )
                text = span_words(article_text, start, end, None, where, "text", fail)
            if not isinstance(text, str) or not text.strip():
                fail(f"{where}.text", f"{text!r} is not a sentence's words")
            editor = self.names.user(item.get("dismissed_by"), batch)
            if editor is None:
                fail(f"{where}.dismissed_by", "a dismissal needs the editor who made it")
            at = parse_datetime(item.get("dismissed_at"), fail, f"{where}.dismissed_at") or batch.now
            batch.dismissals.append(
                DismissalRow(
                    article=article_id,
                    text=text,
                    dismissed_by=editor,
                    dismissed_at=connection.ops.adapt_datetimefield_value(at),
                )
            )

    def _fact_check(self, claim: Claim, item: dict, fail, where: str, batch: Batch) -> None:
        names = self.names
        status = item.get("status") or FactCheckStatus.DRAFT
        author, reviewer = names.user(item.get("author"), batch), names.user(item.get("reviewer"), batch)
        published_at = parse_datetime(item.get("published_at"), fail, f"{where}.published_at")
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
            id=names.pk(
                FactCheck, item.get("id") if "claim_id" in item else None, batch, f"field '{where}.id'"
            ),
        )
        try:
            # The fields alone: the rules across them are checked above, and the database holds them too.
            fact_check.clean_fields(exclude=["id", "claim", "author", "reviewer"])
        except DjangoValidationError as exc:
            fail(where, "; ".join(exc.messages))
        batch.fact_checks.append(fact_check)
