"""Fact-checks and their workflow: written and revised by their author, submitted, published by a
second person or sent back, withdrawn with a reason."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from corpus.events import event_send
from corpus.ingest.normalize import is_blank
from corpus.versioning import StaleVersion, versioned_update
from corpus.weburls import web_url_problem

from .. import access
from ..models import (
    Claim,
    FactCheck,
    FactCheckStatus,
    Verdict,
)


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
