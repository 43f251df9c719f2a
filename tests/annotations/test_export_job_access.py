"""Export jobs belong to whoever asked for them: only the owner and administrators (superusers) see a
job, its filters and its file, through every door. Every role is staff, so staff is no exemption."""

from __future__ import annotations

import pytest
from django.db import connection
from rest_framework.test import APIClient

from annotations.models import ExportJob
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ROLES = ("owner", "editor", "viewer", "factchecker", "administrator")
SEES = {"owner", "administrator"}


@pytest.fixture
def people(db) -> dict:
    return {
        "owner": UserFactory(username="owner", groups=["Editor"], is_staff=True),
        "editor": UserFactory(username="ed2", groups=["Editor"], is_staff=True),
        "viewer": UserFactory(username="viewer", groups=["Viewer"], is_staff=True),
        "factchecker": UserFactory(username="fc", groups=["Fact-checker"], is_staff=True),
        "administrator": UserFactory(username="root", is_superuser=True, is_staff=True),
    }


@pytest.fixture
def draft_job(people, settings, tmp_path) -> ExportJob:
    """A finished job with drafts in it, its file on disk."""
    settings.EXPORTS_DIR = str(tmp_path)
    job = ExportJob.objects.create(
        format="jsonl",
        filters={"filters": {}, "include_drafts": True},
        requested_by=people["owner"],
        status="done",
        result="1/newsdesk-jsonl.zip",
    )
    (tmp_path / "1").mkdir()
    (tmp_path / "1" / "newsdesk-jsonl.zip").write_bytes(b"draft bytes")
    return job


def _api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.mark.parametrize("role", ROLES)
def test_job_detail_and_download_only_for_owner_and_administrators(role, people, draft_job):
    client = _api(people[role])
    detail = client.get(f"/api/exports/jobs/{draft_job.pk}/")
    download = client.get(f"/api/exports/jobs/{draft_job.pk}/download/")
    if role in SEES:
        assert detail.status_code == 200 and detail.json()["filters"]["include_drafts"] is True
        assert download.status_code == 200 and b"".join(download.streaming_content) == b"draft bytes"
    else:
        assert (detail.status_code, download.status_code) == (404, 404)
        assert "draft bytes" not in detail.content.decode() + download.content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_job_list_shows_only_ones_own_jobs_or_all_to_administrators(
    role, people, draft_job, django_assert_num_queries
):
    own = ExportJob.objects.create(format="csv", requested_by=people[role])
    client = _api(people[role])
    # The throttle's count (one statement on PostgreSQL, a sweep and an upsert on SQLite), the
    # jobs' count, the page with each owner joined.
    throttle = 1 if connection.vendor == "postgresql" else 2
    with django_assert_num_queries(throttle + 2):
        response = client.get("/api/exports/jobs/")
    assert response.status_code == 200
    ids = {row["id"] for row in response.json()["results"]}
    expected = {own.pk, draft_job.pk} if role in SEES else {own.pk}
    assert ids == expected


def test_job_list_needs_a_user(draft_job):
    assert APIClient().get("/api/exports/jobs/").status_code in (401, 403)


@pytest.mark.parametrize("role", ROLES)
def test_job_downloads_through_the_session_of_the_admin(role, people, draft_job, client):
    # The admin's session is the other door to the same files.
    client.force_login(people[role])
    download = client.get(f"/api/exports/jobs/{draft_job.pk}/download/")
    assert download.status_code == (200 if role in SEES else 404)
    # The admin has no page of its own that lists jobs.
    assert client.get("/admin/annotations/exportjob/").status_code == 404
