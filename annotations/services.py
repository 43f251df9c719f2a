"""Every write to tags, annotations, claims and fact-checks goes through these functions.

Each takes the acting user (``user``; on the create functions, the ``author`` / ``created_by`` it
records) and asks ``access`` whether that user may, before anything is written: the admin, the API,
the annotate screen and the commands all come through here, so a rule holds whichever door is used.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterable, Sequence
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from corpus.events import event_send
from corpus.ingest.normalize import is_blank
from corpus.ingest.types import ProcessedArticle
from corpus.models import Anchor, Article, Origin, Paragraph, ParagraphRole, Quote, Speaker, SpeakerKind
from corpus.spans import span_context, span_validate
from corpus.versioning import NOT_GIVEN, NotGiven, StaleVersion, versioned_delete, versioned_update
from corpus.weburls import web_url_problem

from . import access, projects
from .access import REVIEW_PERMISSION  # noqa: F401 (the doors read it from here)
from .models import (
    Annotation,
    AnnotationProject,
    AnnotationStatus,
    AnnotationTarget,
    CheckWorthyDismissal,
    Claim,
    FactCheck,
    FactCheckStatus,
    Tag,
    Verdict,
)

SPAM_TAG = "injected-spam"


# --- Tags ------------------------------------------------------------------------


@transaction.atomic
def tag_vocabulary_load(*, path: Path) -> tuple[int, int]:
    """Load a vocabulary file (a JSON list of {slug, name, description, colour, parent}); parents may
    come after children. Existing tags are updated. Returns (created, updated)."""
    try:
        entries = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValidationError(
            f"{path}: cannot read the vocabulary: {exc}", code="invalid_vocabulary"
        ) from None
    if not isinstance(entries, list):
        raise ValidationError(f"{path}: expected a JSON list of tags.", code="invalid_vocabulary")
    created = updated = 0
    tags: dict[str, Tag] = {}
    for index, entry in enumerate(entries):
        if not isinstance(entry, dict) or not entry.get("slug") or not entry.get("name"):
            raise ValidationError(
                f"{path}: entry {index} needs 'slug' and 'name'.", code="invalid_vocabulary"
            )
        tag, was_created = Tag.objects.update_or_create(
            slug=entry["slug"],
            defaults={
                "name": entry["name"],
                "description": entry.get("description", ""),
                "colour": entry.get("colour", "#ffd54f"),
            },
        )
        tag.full_clean(exclude=["parent", "slug"])
        tags[tag.slug] = tag
        created += was_created
        updated += not was_created
    for entry in entries:
        parent_slug = entry.get("parent")
        if parent_slug:
            parent = tags.get(parent_slug) or Tag.objects.filter(slug=parent_slug).first()
            if parent is None:
                raise ValidationError(
                    f"{path}: tag {entry['slug']!r} names an unknown parent {parent_slug!r}.",
                    code="unknown_parent",
                )
            Tag.objects.filter(slug=entry["slug"]).update(parent=parent)
    return created, updated


def _tags_resolve(tags: Iterable[Tag | str]) -> list[Tag]:
    resolved: list[Tag] = []
    slugs = [t for t in tags if isinstance(t, str)]
    found = {t.slug: t for t in Tag.objects.filter(slug__in=slugs)} if slugs else {}
    missing = sorted(set(slugs) - set(found))
    if missing:
        raise ValidationError({"tags": f"unknown tag(s): {', '.join(missing)}."}, code="unknown_tag")
    for tag in tags:
        resolved.append(found[tag] if isinstance(tag, str) else tag)
    return resolved


# --- Annotations -------------------------------------------------------------------


def _target_fields(
    *,
    article: Article,
    target: str,
    start: int | None,
    end: int | None,
    exact: str | None,
    paragraph: Paragraph | None,
    quote: Quote | None,
) -> dict:
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
    resolved_tags = _tags_resolve(tags)
    if project is not None:
        if author is None:
            raise ValidationError({"project": "a project's layers are its annotators'."})
        projects.layer_write_check(
            project=project, article_id=article.pk, user=author, tags=resolved_tags, status=status
        )
    if not resolved_tags and is_blank(note):
        raise ValidationError({"tags": "give at least one tag or a note."}, code="empty_annotation")
    annotation = Annotation(
        article=article,
        author=author,
        note=note,
        status=status,
        origin=origin,
        rule=rule,
        project=project,
        **_target_fields(
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
    new_tags = _tags_resolve(tags) if tags is not None else None
    _project_check(annotation, user=user, tags=new_tags, status=status)
    fields: dict = {}
    moves = any(v is not NOT_GIVEN for v in (start, end, paragraph, quote)) or target is not None
    if moves:
        fields.update(
            _target_fields(
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
    event_send(name="annotation.deleted", data=[{"annotation": gone, "deleted_by": _username(user)}])


def _username(user) -> str | None:
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


# --- Claims and fact-checks ------------------------------------------------------------


def _claimant_described(*, article_id: int, description: str, user) -> Speaker:
    """A claimant no speaker stands for yet, known by how the article describes it ("a senior official
    who declined to be named"): a speaker of that article only, found again by the same words."""
    access.access_claimant_describe(user)
    words = " ".join(description.split())
    if not words:
        raise ValidationError({"new_claimant": "describe the claimant in a few words."})
    if len(words) > 300:
        raise ValidationError(
            {"new_claimant": f"at most 300 characters (this is {len(words)}); put the rest in a note."}
        )
    speaker, _ = Speaker.objects.get_or_create(
        article_id=article_id,
        name=words,
        defaults={"kind": SpeakerKind.ANONYMOUS, "description": words},
    )
    return speaker


def _one_claimant(claimant, new_claimant) -> None:
    if claimant not in (None, NOT_GIVEN) and new_claimant:
        raise ValidationError(
            {"new_claimant": "choose a speaker or describe a new claimant, not both."}, code="two_claimants"
        )


@transaction.atomic
def claim_create(
    *,
    article: Article,
    text: str,
    created_by,
    claimant: Speaker | None = None,
    annotation: Annotation | None = None,
    new_claimant: str = "",
) -> Claim:
    """Mark a claim; ``created_by`` is the acting user, who may change and withdraw it later. The
    claimant is a speaker, or ``new_claimant``: a description that becomes a speaker of the article."""
    access.access_claim_create(created_by)
    _one_claimant(claimant, new_claimant)
    _annotation_seen_check(annotation, created_by)
    if new_claimant:
        claimant = _claimant_described(article_id=article.pk, description=new_claimant, user=created_by)
    if annotation is not None and annotation.article_id != article.pk:
        raise ValidationError({"annotation": "the annotation belongs to another article."})
    if claimant is not None and claimant.article_id not in (None, article.pk):
        raise ValidationError({"claimant": "that speaker belongs to another article."})
    if is_blank(text):
        raise ValidationError({"text": "a claim needs its words."})
    claim = Claim(
        article=article, text=text.strip(), claimant=claimant, annotation=annotation, created_by=created_by
    )
    claim.full_clean()
    claim.save()
    event_send(name="claim.created", ids=[claim.pk])
    return claim


def _annotation_seen_check(annotation: Annotation | None, user) -> None:
    """A claim names only an annotation its author may see: another annotator's hidden project layer
    is answered as if it did not exist, so a claim cannot even tell that it is there."""
    if annotation is not None and not Annotation.objects.visible_to(user).filter(pk=annotation.pk).exists():
        raise ValidationError({"annotation": f"no annotation {annotation.pk}."}, code="does_not_exist")


def _claim_fact_check(claim: Claim) -> FactCheck | None:
    # Locked, so a review cannot start between the check below and the write.
    return FactCheck.objects.select_for_update().filter(claim=claim).first()


@transaction.atomic
def claim_update(
    *,
    claim: Claim,
    expected_version: int,
    user,
    text: str | None = None,
    article: Article | NotGiven = NOT_GIVEN,
    claimant: Speaker | NotGiven | None = NOT_GIVEN,
    annotation: Annotation | NotGiven | None = NOT_GIVEN,
    new_claimant: str | None = None,
) -> Claim:
    """Change a claim's wording, article, claimant or annotation, only if nobody changed it since
    ``expected_version``. Only the editor who marked it (or an administrator) changes it. A claimant
    described in words (``new_claimant``) becomes a speaker of the claim's article.

    A claim moves to another article only with its annotation (one on the new article, or none): a
    claim is never left pointing at a highlight in another text.

    A claim under review stays as the reviewer reads it: changes are refused until the fact-check is
    published or sent back. Changing the claim of a published fact-check sends that fact-check back to
    draft, as changing its verdict does: what was published is no longer what it checked.
    """
    access.access_claim_change(user, claim)
    fields: dict = {}
    if text is not None:
        if is_blank(text):
            raise ValidationError({"text": "a claim needs its words."})
        if text.strip() != claim.text:
            fields["text"] = text.strip()
    article_id = claim.article_id
    if article is not NOT_GIVEN and article.pk != claim.article_id:
        article_id = article.pk
        fields["article"] = article
    _one_claimant(claimant, new_claimant)
    if new_claimant:
        claimant = _claimant_described(article_id=article_id, description=new_claimant, user=user)
    if claimant is not NOT_GIVEN:
        if claimant is not None and claimant.article_id not in (None, article_id):
            raise ValidationError({"claimant": "that speaker belongs to another article."})
        if getattr(claimant, "pk", None) != claim.claimant_id or "article" in fields:
            fields["claimant"] = claimant
    elif "article" in fields and claim.claimant is not None and claim.claimant.article_id is not None:
        raise ValidationError({"claimant": "that speaker belongs to the claim's first article."})
    stays_behind = ValidationError(
        {
            "article": "the claim's annotation stays on its first article; choose an annotation "
            "on the new article (or none) when moving it."
        }
    )
    if annotation is not NOT_GIVEN:
        _annotation_seen_check(annotation, user)
        if annotation is not None and annotation.article_id != article_id:
            if "article" in fields and annotation.pk == claim.annotation_id:
                raise stays_behind
            raise ValidationError({"annotation": "the annotation belongs to another article."})
        if getattr(annotation, "pk", None) != claim.annotation_id or "article" in fields:
            fields["annotation"] = annotation
    elif "article" in fields and claim.annotation_id is not None:
        raise stays_behind
    if not fields:
        return versioned_update(claim, expected_version=expected_version, user=user, fields={})
    fact_check = _claim_fact_check(claim)
    if fact_check is not None and fact_check.awaits_review:
        raise ValidationError(
            {"claim": "its fact-check is in review; change the claim after it is published or sent back."}
        )
    claim = versioned_update(claim, expected_version=expected_version, user=user, fields=fields)
    event_send(name="claim.changed", ids=[claim.pk])
    if fact_check is not None and fact_check.status == FactCheckStatus.PUBLISHED:
        versioned_update(
            fact_check,
            expected_version=fact_check.version,
            user=user,
            fields={
                **fact_check.working,
                "status": FactCheckStatus.DRAFT,
                "published_at": None,
                "reviewer": None,
                "revision": None,
                "revision_status": "",
                "modified_at": None,
            },
        )
    return claim


@transaction.atomic
def claim_delete(*, claim: Claim, expected_version: int, user) -> None:
    """Withdraw a claim, only if nobody changed it since ``expected_version``.

    A claim whose fact-check is in review or published stays (the record of what was checked); a draft
    fact-check goes with its claim only when it is the same person's.
    """
    access.access_claim_change(user, claim)
    fact_check = _claim_fact_check(claim)
    if fact_check is not None:
        if fact_check.status != FactCheckStatus.DRAFT:
            raise ValidationError(
                {"claim": f"its fact-check is {fact_check.status.replace('_', ' ')}; it cannot be withdrawn."}
            )
        if fact_check.author_id != getattr(user, "pk", None) and not getattr(user, "is_superuser", False):
            raise ValidationError({"claim": "someone else has a draft fact-check of it."})
    gone = {"id": claim.pk, "article": claim.article_id, "version": claim.version}
    versioned_delete(claim, expected_version=expected_version)
    event_send(name="claim.deleted", data=[{"claim": gone, "deleted_by": _username(user)}])


def evidence_clean(evidence: list) -> list[dict]:
    """A fact-check's evidence as stored: each item a web url with its title, publisher and accessed
    date (strings); the forms check with it too, so a bad row is shown where it was typed."""
    if not isinstance(evidence, list):
        raise ValidationError({"evidence": "a list of {url, title, publisher, accessed}."})
    cleaned = []
    for index, item in enumerate(evidence):
        if not isinstance(item, dict) or not item.get("url"):
            raise ValidationError({"evidence": f"item {index} needs a url."})
        unknown = set(item) - {"url", "title", "publisher", "accessed"}
        if unknown:
            raise ValidationError(
                {"evidence": f"item {index} has unknown key(s) {', '.join(sorted(unknown))}."}
            )
        if problem := web_url_problem(item["url"]):
            raise ValidationError({"evidence": f"item {index}: url {problem}."})
        cleaned.append({k: str(item.get(k) or "") for k in ("url", "title", "publisher", "accessed")})
    return cleaned


@transaction.atomic
def factcheck_create(
    *, claim: Claim, author, verdict: str, rationale: str = "", evidence: list | None = None
) -> FactCheck:
    """Write a draft fact-check; ``author`` is the acting user."""
    access.access_factcheck_create(author)
    if verdict not in Verdict.values:
        raise ValidationError({"verdict": f"{verdict!r} is not one of {', '.join(Verdict.values)}."})
    fact_check = FactCheck(
        claim=claim,
        author=author,
        verdict=verdict,
        rationale=rationale,
        evidence=evidence_clean(evidence or []),
    )
    fact_check.full_clean()
    fact_check.save()
    return fact_check


CONTENT_FIELDS = ("verdict", "rationale", "evidence")


@transaction.atomic
def factcheck_update(
    *,
    fact_check: FactCheck,
    expected_version: int,
    user,
    verdict: str | None = None,
    rationale: str | None = None,
    evidence: list | None = None,
) -> FactCheck:
    """Change the verdict, rationale or evidence of the version being worked on.

    A published fact-check stays public as it was approved: the change becomes (or amends) its pending
    revision, which goes to review; the public page and the exports keep the approved version until a
    reviewer approves the revision. Whoever changes the content without being its author becomes a
    co-author, and a co-author cannot approve it.
    """
    access.access_factcheck_change(user, fact_check)
    changes: dict = {}
    if verdict is not None:
        if verdict not in Verdict.values:
            raise ValidationError({"verdict": f"{verdict!r} is not one of {', '.join(Verdict.values)}."})
        changes["verdict"] = verdict
    if rationale is not None:
        changes["rationale"] = rationale
    if evidence is not None:
        changes["evidence"] = evidence_clean(evidence)
    working = fact_check.working
    changes = {name: value for name, value in changes.items() if working[name] != value}
    fields: dict = {}
    if fact_check.status == FactCheckStatus.PUBLISHED and changes:
        fields["revision"] = {**working, **changes}
        if fact_check.revision is None:
            fields["revision_status"] = FactCheckStatus.IN_REVIEW
    else:
        fields.update(changes)
    fact_check = versioned_update(fact_check, expected_version=expected_version, user=user, fields=fields)
    if changes and user.pk != fact_check.author_id:
        fact_check.co_authors.add(user)
        fact_check._co_author_ids = None
    return fact_check


@transaction.atomic
def factcheck_submit(*, fact_check: FactCheck, expected_version: int, user) -> FactCheck:
    """Send a draft (or a sent-back revision of a published fact-check) to review."""
    access.access_factcheck_submit(user, fact_check)
    if fact_check.status == FactCheckStatus.PUBLISHED and fact_check.revision_status == FactCheckStatus.DRAFT:
        fields = {"revision_status": FactCheckStatus.IN_REVIEW}
    elif fact_check.status == FactCheckStatus.DRAFT:
        fields = {"status": FactCheckStatus.IN_REVIEW}
    else:
        raise ValidationError(
            {"status": f"only a draft can be submitted for review; this one is {_state(fact_check)}."}
        )
    fact_check = versioned_update(fact_check, expected_version=expected_version, user=user, fields=fields)
    event_send(name="factcheck.submitted", ids=[fact_check.pk])
    return fact_check


def _state(fact_check: FactCheck) -> str:
    if fact_check.status == FactCheckStatus.PUBLISHED and fact_check.revision_status:
        return f"published, with a revision {fact_check.revision_status.replace('_', ' ')}"
    return fact_check.status.replace("_", " ")


@transaction.atomic
def factcheck_publish(*, fact_check: FactCheck, expected_version: int, user) -> FactCheck:
    """Approve and publish exactly the version the reviewer read (``expected_version``): a fact-checker
    who neither wrote nor co-wrote it. Approving a revision of a published fact-check replaces the
    published verdict, rationale and evidence, and dates the change (``modified_at``)."""
    access.access_factcheck_review(user, fact_check)
    now = timezone.now()
    if fact_check.status == FactCheckStatus.IN_REVIEW:
        fields = {"status": FactCheckStatus.PUBLISHED, "reviewer": user, "published_at": now}
    elif (
        fact_check.status == FactCheckStatus.PUBLISHED
        and fact_check.revision_status == FactCheckStatus.IN_REVIEW
    ):
        fields = {
            **{name: fact_check.revision[name] for name in CONTENT_FIELDS},
            "revision": None,
            "revision_status": "",
            "reviewer": user,
            "modified_at": now,
        }
    else:
        raise ValidationError(
            {"status": f"only a fact-check in review can be published; this one is {_state(fact_check)}."}
        )
    fact_check = versioned_update(fact_check, expected_version=expected_version, user=user, fields=fields)
    event_send(name="factcheck.published", ids=[fact_check.pk])
    return fact_check


@transaction.atomic
def factcheck_send_back(*, fact_check: FactCheck, expected_version: int, user, comment: str) -> FactCheck:
    """Return a fact-check (or a revision) in review to its writers with what needs to change."""
    access.access_factcheck_send_back(user, fact_check)
    if fact_check.status == FactCheckStatus.IN_REVIEW:
        fields: dict = {"status": FactCheckStatus.DRAFT}
    elif (
        fact_check.status == FactCheckStatus.PUBLISHED
        and fact_check.revision_status == FactCheckStatus.IN_REVIEW
    ):
        fields = {"revision_status": FactCheckStatus.DRAFT}
    else:
        raise ValidationError(
            {"status": f"only a fact-check in review can be sent back; this one is {_state(fact_check)}."}
        )
    if is_blank(comment):
        raise ValidationError({"review_comment": "say what needs to change."})
    fields["review_comment"] = comment.strip()
    fact_check = versioned_update(fact_check, expected_version=expected_version, user=user, fields=fields)
    event_send(name="factcheck.sent_back", ids=[fact_check.pk])
    return fact_check


@transaction.atomic
def factcheck_withdraw(*, fact_check: FactCheck, expected_version: int, user, reason: str) -> FactCheck:
    """Take a published fact-check off the public record: it becomes a draft again (with its pending
    revision, if any, as the working text), the reason is kept as the review comment, and the history
    records who withdrew it. Only then may the highlight of its claim be deleted."""
    access.access_factcheck_withdraw(user, fact_check)
    if fact_check.status != FactCheckStatus.PUBLISHED:
        raise ValidationError(
            {"status": f"only a published fact-check can be withdrawn; this one is {_state(fact_check)}."}
        )
    if not reason.strip():
        raise ValidationError({"review_comment": "say why it is withdrawn."})
    fields = {
        **fact_check.working,
        "status": FactCheckStatus.DRAFT,
        "revision": None,
        "revision_status": "",
        "reviewer": None,
        "published_at": None,
        "modified_at": None,
        "review_comment": f"Withdrawn: {reason.strip()}",
    }
    fact_check = versioned_update(fact_check, expected_version=expected_version, user=user, fields=fields)
    event_send(name="factcheck.withdrawn", ids=[fact_check.pk])
    return fact_check


@transaction.atomic
def factcheck_delete(*, fact_check: FactCheck, expected_version: int, user) -> None:
    """Delete a draft fact-check, only if nobody changed it since ``expected_version``; one that was
    submitted or published stays on the record (withdraw a published one first)."""
    access.access_factcheck_delete(user, fact_check)
    locked = FactCheck.objects.select_for_update().filter(pk=fact_check.pk, version=expected_version)
    row = locked.values_list("status", flat=True).first()
    if row is None:
        current = FactCheck.objects.filter(pk=fact_check.pk).values_list("version", flat=True).first()
        raise StaleVersion(model=FactCheck, pk=fact_check.pk, expected=expected_version, current=current)
    if row != FactCheckStatus.DRAFT:
        raise ValidationError(
            {"status": f"only a draft fact-check can be deleted; this one is {row.replace('_', ' ')}."}
        )
    FactCheck.objects.filter(pk=fact_check.pk, version=expected_version).delete()


# --- Revisions -----------------------------------------------------------------------------


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


# --- Vocabulary upkeep --------------------------------------------------------------------


@transaction.atomic
def tag_save(*, tag: Tag, user) -> Tag:
    """Add or change a term of the vocabulary (administrators)."""
    if tag.pk is None:
        access.access_tag_add(user)
    else:
        access.access_tag_change(user)
    tag.full_clean()
    tag.save()
    return tag


@transaction.atomic
def tag_merge(*, sources: Sequence[Tag], target: Tag, user) -> int:
    """Move every annotation of ``sources`` to ``target`` and remove the sources. Children of a source
    move under the target. Returns the number of annotations that gained the target tag."""
    access.access_tag_change(user)
    access.access_tag_delete(user)
    sources = [t for t in sources if t.pk != target.pk]
    if not sources:
        return 0
    if any(
        t.pk in {s.pk for s in sources} for t in Tag.objects.descendants_of(sources[0]).filter(pk=target.pk)
    ):
        raise ValidationError({"target": "a tag cannot be merged into one of its own descendants."})
    Through = Annotation.tags.through
    source_ids = [t.pk for t in sources]
    tagged = set(Through.objects.filter(tag_id__in=source_ids).values_list("annotation_id", flat=True))
    already = set(
        Through.objects.filter(tag_id=target.pk, annotation_id__in=tagged).values_list(
            "annotation_id", flat=True
        )
    )
    Through.objects.bulk_create(
        [Through(annotation_id=a, tag_id=target.pk) for a in sorted(tagged - already)]
    )
    Through.objects.filter(tag_id__in=source_ids).delete()
    Tag.objects.filter(parent_id__in=source_ids).update(parent=target)
    Tag.objects.filter(pk__in=source_ids).delete()
    return len(tagged - already)


def tag_delete(*, tag: Tag, user) -> None:
    """Delete an unused tag. A tag in use is refused: merge it into another instead."""
    access.access_tag_delete(user)
    if tag.annotations.exists():
        raise ValidationError(
            {
                "tag": f"tag {tag.slug!r} is used by {tag.annotations.count()} annotation(s); merge it into another tag."
            },
            code="tag_in_use",
        )
    if tag.children.exists():
        raise ValidationError({"tag": f"tag {tag.slug!r} has narrower tags; move or merge them first."})
    tag.delete()


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


# --- Check-worthy suggestions ----------------------------------------------------------------


def checkworthy_suggestions(*, article: Article, limit: int | None = None) -> list:
    """The article's check-worthy sentences (body and standfirst), best first, less those an editor
    dismissed."""
    from corpus.ingest.checkworthy import suggestions

    # Plain tuples: model instances loaded with only() through the related manager would each read
    # their deferred article_id back, one query per paragraph.
    spans = list(
        article.paragraphs.filter(role__in=[ParagraphRole.BODY, ParagraphRole.STANDFIRST])
        .order_by("position")
        .values_list("start", "end")
    )
    dismissed = set(article.checkworthy_dismissals.order_by().values_list("text", flat=True))
    found = [s for s in suggestions(article.text, spans) if s.text not in dismissed]
    return found[:limit] if limit is not None else found


@transaction.atomic
def checkworthy_dismiss(*, article: Article, start: int, end: int, actor) -> CheckWorthyDismissal:
    """Dismiss the suggested sentence at ``start``-``end``: it is not suggested again, whatever the offsets
    become. Only a sentence the machine suggests can be dismissed."""
    access.access_checkworthy_dismiss(actor)
    sentence = next(
        (s for s in checkworthy_suggestions(article=article) if (s.start, s.end) == (start, end)), None
    )
    if sentence is None:
        raise ValidationError(
            {"start": f"no check-worthy sentence is suggested at {start}-{end} of article {article.pk}."}
        )
    dismissal, _ = CheckWorthyDismissal.objects.get_or_create(
        article=article, text=sentence.text, defaults={"dismissed_by": actor}
    )
    return dismissal
