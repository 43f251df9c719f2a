"""Claims: who made them (a speaker, or one described in words), the highlight they stand on, and
their withdrawal."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from corpus.events import event_send
from corpus.ingest.normalize import is_blank
from corpus.models import Article, Speaker, SpeakerKind
from corpus.versioning import NOT_GIVEN, NotGiven, versioned_delete, versioned_update

from .. import access
from ..models import (
    Annotation,
    Claim,
    FactCheck,
    FactCheckStatus,
)
from .annotations import username_of


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
    event_send(name="claim.deleted", data=[{"claim": gone, "deleted_by": username_of(user)}])
