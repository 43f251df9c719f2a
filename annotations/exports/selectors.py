"""Reads of export jobs: who may see which."""

from __future__ import annotations

from django.db.models import QuerySet

from ..models import ExportJob


def export_job_list(*, user) -> QuerySet[ExportJob]:
    """The jobs ``user`` may see: their own; every job for an administrator (a superuser). A job may hold
    drafts and pseudonymized authors chosen by whoever asked for it, so being staff (every role is) or
    seeing drafts oneself is no reason to read someone else's."""
    jobs = ExportJob.objects.select_related("requested_by").order_by("-created_at", "-id")
    if user is None or not user.is_authenticated:
        return jobs.none()
    if user.is_superuser:
        return jobs
    return jobs.filter(requested_by=user)
