"""The review screen: one fact-check in review as the reviewer will approve it.

It shows the claim in its article's words, the claimant, the verdict, rationale and evidence being
approved and how they differ from the last published version, with approve and send-back forms that
carry the version shown. The services decide; a fact-check changed since it was shown is refused.
"""

from __future__ import annotations

import difflib

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse

from corpus.admin.actions import refusal_text
from corpus.versioning import StaleVersion

from . import access, services
from .models import FactCheck, FactCheckInReview, FactCheckStatus

CONTEXT_CHARACTERS = 300


class ReviewForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    decision = forms.ChoiceField(choices=[("approve", "approve"), ("send_back", "send back")])
    comment = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))


def _content_lines(verdict: str, rationale: str, evidence: list[dict]) -> list[str]:
    lines = [f"verdict: {verdict}", "rationale:"]
    lines += [f"  {line}" for line in (rationale or "").splitlines()] or ["  "]
    lines.append("evidence:")
    for item in evidence or []:
        lines.append(f"  {item.get('url', '')} {item.get('title', '')} {item.get('accessed', '')}".rstrip())
    return lines


def last_published(fact_check: FactCheck) -> dict | None:
    """The content of the last published version: the fact-check itself while a revision of it waits,
    else the newest published row of its history (one withdrawn or sent back to draft), else none."""
    if fact_check.status == FactCheckStatus.PUBLISHED:
        return {
            "verdict": fact_check.verdict,
            "rationale": fact_check.rationale,
            "evidence": fact_check.evidence,
        }
    row = (
        fact_check.history.filter(status=FactCheckStatus.PUBLISHED)
        .order_by("-history_date", "-history_id")
        .values("verdict", "rationale", "evidence")
        .first()
    )
    return row


def review_diff(fact_check: FactCheck) -> tuple[dict | None, list[str]]:
    working = fact_check.working
    published = last_published(fact_check)
    before = _content_lines(**published) if published else []
    after = _content_lines(**working)
    diff = list(
        difflib.unified_diff(
            before,
            after,
            fromfile="last published" if published else "never published",
            tofile="to approve",
            lineterm="",
        )
    )
    return published, diff


def claim_context(fact_check: FactCheck) -> dict:
    """The claim's words in its article: the highlight of its annotation, else the first place the
    claim's words appear, with some text either side."""
    claim = fact_check.claim
    text = claim.article.text
    start = end = None
    annotation = claim.annotation
    if annotation is not None and annotation.start is not None:
        start, end = annotation.start, annotation.end
    else:
        found = text.find(claim.text)
        if found >= 0:
            start, end = found, found + len(claim.text)
    if start is None:
        return {"found": False}
    return {
        "found": True,
        "before": ("…" if start > CONTEXT_CHARACTERS else "")
        + text[max(0, start - CONTEXT_CHARACTERS) : start],
        "span": text[start:end],
        "after": text[end : end + CONTEXT_CHARACTERS] + ("…" if end + CONTEXT_CHARACTERS < len(text) else ""),
    }


def review_view(request, object_id: int, *, admin_site):
    if not access.is_reviewer(request.user):
        raise PermissionDenied("Only fact-checkers review fact-checks.")
    fact_check = get_object_or_404(
        FactCheck.objects.select_related(
            "author", "claim", "claim__claimant", "claim__annotation", "claim__article"
        ).defer("claim__article__raw_text", "claim__article__metadata"),
        pk=object_id,
    )
    queue = reverse("admin:annotations_factcheckinreview_changelist")
    if request.method == "POST":
        form = ReviewForm(request.POST)
        if form.is_valid():
            version, decision = form.cleaned_data["version"], form.cleaned_data["decision"]
            try:
                if decision == "approve":
                    services.factcheck_publish(
                        fact_check=fact_check, expected_version=version, user=request.user
                    )
                    messages.success(request, f"Published: {fact_check.claim}.")
                else:
                    services.factcheck_send_back(
                        fact_check=fact_check,
                        expected_version=version,
                        user=request.user,
                        comment=form.cleaned_data["comment"],
                    )
                    messages.success(request, f"Sent back: {fact_check.claim}.")
                return HttpResponseRedirect(queue)
            except (ValidationError, PermissionDenied, StaleVersion) as exc:
                messages.error(request, f"Not done: {refusal_text(exc)}")
                return HttpResponseRedirect(request.get_full_path())
    published, diff = review_diff(fact_check)
    context = {
        **admin_site.each_context(request),
        "title": f"Review: {fact_check.claim}",
        "opts": FactCheckInReview._meta,
        "fact_check": fact_check,
        "claim": fact_check.claim,
        "article": fact_check.claim.article,
        "working": fact_check.working,
        "context": claim_context(fact_check),
        "published": published,
        "diff": diff,
        "in_review": fact_check.awaits_review,
        "co_authors": list(fact_check.co_authors.values_list("username", flat=True)),
        "may_review": access.can_factcheck_review(request.user, fact_check),
        "version": fact_check.version,
    }
    return TemplateResponse(request, "admin/annotations/review.html", context)
