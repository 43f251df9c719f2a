"""Annotations: created, changed and deleted by their authors (or reviewers and administrators, for
the machine's); tagged in bulk; made by the machine from injected spam at ingestion; moved to an
article's new text when it is revised."""

from __future__ import annotations

import copy
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction

from corpus.events import event_send
from corpus.ingest.normalize import is_blank
from corpus.ingest.types import ProcessedArticle
from corpus.models import Anchor, Article, Origin, Paragraph, Quote
from corpus.spans import span_context, span_validate
from corpus.versioning import NOT_GIVEN, NotGiven, versioned_delete, versioned_update

from .. import access, projects
from ..models import (
    Annotation,
    AnnotationProject,
    AnnotationStatus,
    AnnotationTarget,
    FactCheck,
    FactCheckStatus,
    Tag,
)
from .tags import tags_resolve

SPAM_TAG = "injected-spam"


def target_fields(
    *,
    article: Article,
    target: str,
    start: int | None,
    end: int | None,
    exact: str | None,
    paragraph: Paragraph | None,
    quote: Quote | None,
) -> dict:
    """The fields of an annotation on ``target`` (span, paragraph, quote or article), checked against the
    article: a span's offsets and words, a paragraph or quote that is the article's."""
    if target not in AnnotationTarget.values:
        raise ValidationError({"target": f"{target!r} is not one of {', '.join(AnnotationTarget.values)}."})
    fields: dict = {"target": target, "paragraph": None, "quote": None, "start": None, "end": None}
    if target == AnnotationTarget.SPAN:
        fields["exact"] = span_validate(text=article.text, start=start, end=end, exact=exact)
        fields["start"], fields["end"] = start, end
        fields["prefix"], fields["suffix"] = span_context(text=article.text, start=start, end=end)
        return fields
    if start is not None or end is not None:
        raise ValidationError({"start": f"a {target} annotation has no offsets; leave start and end empty."})
    if target == AnnotationTarget.PARAGRAPH:
        if paragraph is None or paragraph.article_id != article.pk:
            raise ValidationError({"paragraph": "name a paragraph of this article."})
        fields["paragraph"] = paragraph
        fields["exact"] = article.text[paragraph.start : paragraph.end]
    elif target == AnnotationTarget.QUOTE:
        if quote is None or quote.article_id != article.pk:
            raise ValidationError({"quote": "name a quote of this article."})
        fields["quote"] = quote
        fields["exact"] = article.text[quote.start : quote.end]
    else:
        fields["exact"] = ""
    fields["prefix"] = fields["suffix"] = ""
    return fields


def annotation_content_check(tags, note: str) -> None:
    """An annotation says something: a tag, or a note a reader can see (``is_blank`` text is none).
    Every way of writing one calls this: the annotation services and curation."""
    if not tags and is_blank(note):
        raise ValidationError({"tags": "give at least one tag or a note."}, code="empty_annotation")


@transaction.atomic
def annotation_create(
    *,
    article: Article,
    author=None,
    target: str = AnnotationTarget.SPAN,
    start: int | None = None,
    end: int | None = None,
    exact: str | None = None,
    paragraph: Paragraph | None = None,
    quote: Quote | None = None,
    tags: Sequence[Tag | str] = (),
    note: str = "",
    status: str = AnnotationStatus.DRAFT,
    origin: str = Origin.EDITOR,
    rule: str = "",
    project: AnnotationProject | None = None,
) -> Annotation:
    """Create an annotation on a span, paragraph, quote or the whole article.

    ``exact`` must equal ``text[start:end]`` (it is derived when omitted). The author is the acting
    user; only the system (ingestion, imports) makes machine annotations, which have none. With a
    ``project``, the annotation goes into the author's own layer of that project.
    """
    if origin == Origin.EDITOR and author is None:
        raise ValidationError({"author": "an editor's annotation needs an author."})
    if author is not None:
        access.access_annotation_create(author)
    resolved_tags = tags_resolve(tags)
    if project is not None:
        if author is None:
            raise ValidationError({"project": "a project's layers are its annotators'."})
        projects.layer_write_check(
            project=project, article_id=article.pk, user=author, tags=resolved_tags, status=status
        )
    annotation_content_check(resolved_tags, note)
    annotation = Annotation(
        article=article,
        author=author,
        note=note,
        status=status,
        origin=origin,
        rule=rule,
        project=project,
        **target_fields(
            article=article,
            target=target,
            start=start,
            end=end,
            exact=exact,
            paragraph=paragraph,
            quote=quote,
        ),
    )
    annotation.full_clean()
    annotation.save()
    annotation.tags.set(resolved_tags)
    event_send(name="annotation.created", ids=[annotation.pk])
    return annotation


@transaction.atomic
def annotation_update(
    *,
    annotation: Annotation,
    expected_version: int,
    user,
    target: str | None = None,
    start: int | NotGiven | None = NOT_GIVEN,
    end: int | NotGiven | None = NOT_GIVEN,
    exact: str | None = None,
    paragraph: Paragraph | NotGiven | None = NOT_GIVEN,
    quote: Quote | NotGiven | None = NOT_GIVEN,
    tags: Sequence[Tag | str] | None = None,
    note: str | None = None,
    status: str | None = None,
) -> Annotation:
    """Change an annotation written at ``expected_version``; a stale version raises ``StaleVersion``.

    Its author changes it (status included); machine annotations are the reviewers' to publish or reject.
    """
    access.access_annotation_change(user, annotation)
    new_tags = tags_resolve(tags) if tags is not None else None
    _project_check(annotation, user=user, tags=new_tags, status=status)
    fields: dict = {}
    moves = any(v is not NOT_GIVEN for v in (start, end, paragraph, quote)) or target is not None
    if moves:
        fields.update(
            target_fields(
                article=annotation.article,
                target=target or annotation.target,
                start=annotation.start if start is NOT_GIVEN else start,
                end=annotation.end if end is NOT_GIVEN else end,
                exact=exact,
                paragraph=annotation.paragraph if paragraph is NOT_GIVEN else paragraph,
                quote=annotation.quote if quote is NOT_GIVEN else quote,
            )
        )
        # Placed by a person: no longer an orphan, nor a guess of the re-anchoring.
        fields.update(anchor=Anchor.PLACED, anchor_score=None)
    elif exact is not None and exact != annotation.exact:
        raise ValidationError(
            {"exact": "exact does not match the annotation's span; send new offsets to move it."}
        )
    if note is not None:
        fields["note"] = note
    if status is not None:
        if status not in AnnotationStatus.values:
            raise ValidationError(
                {"status": f"{status!r} is not one of {', '.join(AnnotationStatus.values)}."}
            )
        fields["status"] = status
    if (moves and any(fields[name] != getattr(annotation, name) for name in ("target", "start", "end"))) or (
        "status" in fields and fields["status"] != annotation.status
    ):
        _highlight_check(annotation, doing="moving the highlight or changing its status")
    candidate = copy.copy(annotation)
    for name, value in fields.items():
        setattr(candidate, name, value)
    candidate.full_clean(exclude=["article", "author", "paragraph", "quote"], validate_unique=False)
    reason = _tags_change(annotation, new_tags) if new_tags is not None else ""
    versioned_update(
        annotation, expected_version=expected_version, fields=fields, user=user, change_reason=reason
    )
    if new_tags is not None:
        annotation.tags.set(new_tags)
    event_send(name="annotation.changed", ids=[annotation.pk])
    return annotation


def _project_check(annotation: Annotation, *, user, tags: list[Tag] | None, status: str | None) -> None:
    """A layer changes only while its article is open in the project; the curated layer is its curators'."""
    if annotation.project_id is None:
        return
    if annotation.curated:
        entry = projects.project_entry(annotation.project, annotation.article_id)
        access.access_project_curate(user, annotation.project, entry)
        if tags is not None:
            projects.project_tags_check(annotation.project, tags)
        return
    projects.layer_write_check(
        project=annotation.project, article_id=annotation.article_id, user=user, tags=tags, status=status
    )


def _tags_change(annotation: Annotation, tags: list[Tag]) -> str:
    """The history's words for a change of tags ("tags: a, b → a, c"), or "" if they stay the same."""
    before = sorted(annotation.tags.values_list("slug", flat=True))
    after = sorted(tag.slug for tag in tags)
    if before == after:
        return ""
    reason = f"tags: {', '.join(before) or '(none)'} → {', '.join(after) or '(none)'}"
    return reason if len(reason) <= 100 else reason[:99] + "…"  # the history's column holds 100


def _highlight_check(annotation: Annotation, *, doing: str) -> None:
    """The highlight of a claim whose fact-check is published or in review keeps its place and status:
    a public claim is never left without its words in the text (nor dropped from the exports)."""
    held = (
        FactCheck.objects.filter(claim__annotation=annotation)
        .exclude(status=FactCheckStatus.DRAFT)
        .values_list("pk", "status")
        .first()
    )
    if held is not None:
        state = "published" if held[1] == FactCheckStatus.PUBLISHED else "in review"
        raise ValidationError(
            {
                "annotation": f"it marks a claim whose fact-check {held[0]} is {state}; "
                f"withdraw the fact-check (or send it back) before {doing}."
            },
            code="highlight_of_public_claim",
        )


@transaction.atomic
def annotation_delete(*, annotation: Annotation, expected_version: int, user) -> None:
    """Delete an annotation, only if nobody changed it since ``expected_version``.

    The highlight of a claim whose fact-check is public or in review stays: a published claim keeps its
    place in the text. Withdraw the fact-check (``factcheck_withdraw``) first.
    """
    access.access_annotation_delete(user, annotation)
    _project_check(annotation, user=user, tags=None, status=None)
    _highlight_check(annotation, doing="deleting the highlight")
    gone = {"id": annotation.pk, "article": annotation.article_id, "version": annotation.version}
    versioned_delete(annotation, expected_version=expected_version)
    event_send(name="annotation.deleted", data=[{"annotation": gone, "deleted_by": username_of(user)}])


def username_of(user) -> str | None:
    """Who did it, as an event names them: the username, or None for no one signed in."""
    return user.get_username() if user is not None and user.is_authenticated else None


def spam_annotations_create(*, items: list[tuple[Article, ProcessedArticle]]) -> None:
    """Ingestion hook: every injected-spam token becomes a published machine annotation on its span.

    Called with a batch of articles; a fixed number of queries whatever its size.
    """
    items = [(article, processed) for article, processed in items if processed.spam]
    if not items:
        return
    tag, _ = Tag.objects.get_or_create(
        slug=SPAM_TAG,
        defaults={
            "name": "injected spam",
            "description": "Text injected into the article that is not part of it (gambling, pharma, links).",
            "colour": "#e57373",
        },
    )
    # Re-processing runs this again: a span already flagged by the same rule is not flagged twice.
    flagged = set(
        Annotation.objects.filter(article__in=[a for a, _ in items], origin=Origin.MACHINE).values_list(
            "article_id", "start", "end", "rule"
        )
    )
    annotations = []
    for article, processed in items:
        for spam in processed.spam:
            if (article.pk, spam.start, spam.end, spam.rule) in flagged:
                continue
            prefix, suffix = span_context(text=article.text, start=spam.start, end=spam.end)
            annotations.append(
                Annotation(
                    article=article,
                    target=AnnotationTarget.SPAN,
                    start=spam.start,
                    end=spam.end,
                    exact=article.text[spam.start : spam.end],
                    prefix=prefix,
                    suffix=suffix,
                    note=f"Flagged by rule {spam.rule}.",
                    status=AnnotationStatus.PUBLISHED,
                    origin=Origin.MACHINE,
                    rule=spam.rule,
                )
            )
    created = Annotation.objects.bulk_create(annotations)
    Annotation.tags.through.objects.bulk_create(
        [Annotation.tags.through(annotation_id=a.pk, tag_id=tag.pk) for a in created]
    )


@transaction.atomic
def annotations_bulk_tag(
    *, targets: Sequence[Paragraph | Quote], tags: Sequence[Tag | str], author, note: str = ""
) -> int:
    """Tag whole paragraphs or quotes: one annotation each, through the same checks as any other."""
    for target in targets:
        kind = AnnotationTarget.QUOTE if isinstance(target, Quote) else AnnotationTarget.PARAGRAPH
        annotation_create(
            article=target.article,
            author=author,
            target=kind,
            paragraph=target if kind == AnnotationTarget.PARAGRAPH else None,
            quote=target if kind == AnnotationTarget.QUOTE else None,
            tags=tags,
            note=note,
        )
    return len(targets)


def annotations_reanchor(*, revision) -> None:
    """Revision hook: move every annotation of the article to its new text.

    Span annotations are found again by their exact text, prefix and suffix near their old position
    (exact, then fuzzy, else orphaned); paragraph annotations follow their paragraph's words; quote
    annotations follow their quote. Orphans keep their words and wait for an editor; none is deleted.
    Each moved annotation's version goes up, so an edit based on the old offsets is refused.
    """
    annotations = list(
        Annotation.objects.select_for_update(of=("self",))
        .filter(article=revision.article)
        .select_related("quote", "paragraph")
    )
    text = revision.new_text
    for annotation in annotations:
        if annotation.target == AnnotationTarget.SPAN:
            placed = revision.place(
                start=annotation.start,
                end=annotation.end,
                exact=annotation.exact,
                prefix=annotation.prefix,
                suffix=annotation.suffix,
            )
            annotation.anchor = placed.method
            annotation.anchor_score = placed.score if placed.start is not None else None
            annotation.start, annotation.end = placed.start, placed.end
            if placed.start is not None:
                annotation.prefix, annotation.suffix = span_context(
                    text=text, start=placed.start, end=placed.end
                )
        elif annotation.target == AnnotationTarget.PARAGRAPH:
            old = annotation.paragraph
            placed = revision.place(
                start=old.start if old else None, end=old.end if old else None, exact=annotation.exact
            )
            paragraph = revision.paragraph_at(placed.start) if placed.start is not None else None
            annotation.paragraph = paragraph
            annotation.anchor = placed.method if paragraph else "orphaned"
            annotation.anchor_score = placed.score if paragraph else None
            if paragraph is not None:
                annotation.exact = text[paragraph.start : paragraph.end]
        elif annotation.target == AnnotationTarget.QUOTE:
            annotation.anchor, annotation.anchor_score = (
                annotation.quote.anchor,
                annotation.quote.anchor_score,
            )
            if annotation.quote.start is not None:
                annotation.exact = text[annotation.quote.start : annotation.quote.end]
        annotation.version += 1
    Annotation.objects.bulk_update(
        annotations,
        ["start", "end", "prefix", "suffix", "exact", "paragraph", "anchor", "anchor_score", "version"],
        batch_size=500,
    )
