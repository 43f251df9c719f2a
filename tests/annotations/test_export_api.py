"""GET /api/exports/<format>/ streams; drafts only for readers with the view permission; export jobs."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from django.core.management import call_command

from annotations.models import ExportJob
from tests.api.conftest import client_for, make_user

pytestmark = pytest.mark.django_db


def _body(response) -> bytes:
    return b"".join(response.streaming_content)


@pytest.mark.parametrize(
    ("fmt", "content_type", "filename"),
    [
        ("jsonl", "application/x-ndjson", "newsdesk-jsonl.jsonl"),
        ("csv", "application/zip", "newsdesk-csv.zip"),
        ("parquet", "application/zip", "newsdesk-parquet.zip"),
        ("w3c", 'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"', "newsdesk-w3c.jsonld"),
        ("claimreview", "application/ld+json", "newsdesk-claimreview.jsonld"),
    ],
)
def test_each_format_streams_with_its_type_and_filename(corpus, fmt, content_type, filename):
    response = client_for(None).get(f"/api/exports/{fmt}/", HTTP_ACCEPT="*/*")
    assert response.status_code == 200 and response.streaming
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"] == f'attachment; filename="{filename}"'
    body = _body(response)
    if content_type == "application/zip":
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            assert "manifest.json" in archive.namelist()
            assert archive.testzip() is None
    else:
        assert body.endswith(b"\n")


def test_streamed_zip_equals_the_command_s_zip(tmp_path, corpus):
    body = _body(client_for(None).get("/api/exports/csv/"))
    out = tmp_path / "tables.zip"
    call_command("export", "--format", "csv", "--output", str(out), verbosity=0)
    assert body == out.read_bytes()


def test_streamed_jsonl_equals_the_command_s_file(tmp_path, corpus):
    body = _body(client_for(None).get("/api/exports/jsonl/?tag=claim"))
    out = tmp_path / "a.jsonl"
    call_command("export", "--format", "jsonl", "--output", str(out), "--tag", "claim", verbosity=0)
    assert body == out.read_bytes()


def test_drafts_need_the_view_permission(corpus):
    assert client_for(None).get("/api/exports/jsonl/?include_drafts=1").status_code == 403
    outsider = make_user("editor", "outsider")
    outsider.groups.clear()
    assert client_for(outsider).get("/api/exports/jsonl/?include_drafts=1").status_code == 403
    viewer = make_user("viewer")
    response = client_for(viewer).get("/api/exports/jsonl/?include_drafts=1")
    assert response.status_code == 200
    assert corpus.draft.note.encode() in _body(response)
    public = _body(client_for(viewer).get("/api/exports/jsonl/"))
    assert corpus.draft.note.encode() not in public


def test_bad_filters_are_a_400_before_any_byte(corpus):
    response = client_for(None).get("/api/exports/jsonl/?since=yesterday")
    assert response.status_code == 400 and "since" in json.dumps(response.json())
    assert client_for(None).get("/api/exports/jsonl/?status=draft").status_code == 400
    assert client_for(None).get("/api/exports/excel/").status_code == 404


def test_text_none_and_anonymized_over_the_api(corpus):
    body = _body(client_for(None).get("/api/exports/jsonl/?text=none&anonymize_authors=1"))
    records = [json.loads(line) for line in body.decode().splitlines()]
    assert all(r["text"] is None for r in records)
    assert '"ed"' not in body.decode()


# --- Jobs -----------------------------------------------------------------------------------


def test_export_job_runs_and_its_file_downloads(corpus, django_capture_on_commit_callbacks):
    user = make_user("viewer", "researcher")
    client = client_for(user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/api/exports/jobs/", {"format": "parquet", "tag": "claim"}, format="json")
    assert response.status_code == 202, response.content
    job_id = response.json()["id"]
    assert response["Location"].endswith(f"/api/exports/jobs/{job_id}/")
    status = client.get(f"/api/exports/jobs/{job_id}/").json()
    assert status["status"] == "done", status
    assert status["manifest"]["format"] == "parquet" and status["manifest"]["filters"] == {"tag": "claim"}
    download = client.get(f"/api/exports/jobs/{job_id}/download/")
    assert download.status_code == 200
    content = b"".join(download.streaming_content)
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        assert "annotations/annotations.parquet" in archive.namelist()
    job = ExportJob.objects.get(pk=job_id)
    assert job.requested_by == user and job.finished_at is not None and job.result.endswith(".zip")


def test_jobs_are_private_and_need_a_user(corpus):
    owner = make_user("viewer", "owner")
    job_id = client_for(owner).post("/api/exports/jobs/", {"format": "jsonl"}, format="json").json()["id"]
    assert client_for(make_user("viewer", "other")).get(f"/api/exports/jobs/{job_id}/").status_code == 404
    assert client_for(None).post("/api/exports/jobs/", {"format": "jsonl"}, format="json").status_code in (
        401,
        403,
    )
    assert client_for(owner).post("/api/exports/jobs/", {"format": "excel"}, format="json").status_code == 400
    anonymous_drafts = client_for(make_user("editor", "nodrafts"))
    anonymous_drafts.handler._force_user.groups.clear()
    assert (
        anonymous_drafts.post(
            "/api/exports/jobs/", {"format": "jsonl", "include_drafts": True}, format="json"
        ).status_code
        == 403
    )


# Committed for real, so the worker sees the job; serialized_rollback keeps the role groups for the
# transactional tests after this one.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_export_job_through_the_database_worker(settings, seeded):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    user = make_user("viewer", "queued")
    client = client_for(user)
    job_id = client.post("/api/exports/jobs/", {"format": "claimreview"}, format="json").json()["id"]
    assert client.get(f"/api/exports/jobs/{job_id}/").json()["status"] == "queued"
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    assert client.get(f"/api/exports/jobs/{job_id}/").json()["status"] == "done"
    assert client.get(f"/api/exports/jobs/{job_id}/download/").status_code == 200
