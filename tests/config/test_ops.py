"""Operations: the health endpoint checks the database; structured logs are JSON without secrets."""

from __future__ import annotations

import json
import logging

import pytest

from config.logs import JsonFormatter


@pytest.mark.django_db
def test_health_endpoint_checks_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok" and body["databases"]["default"]["ok"] is True
    assert response["Cache-Control"].startswith("max-age=0")


@pytest.mark.django_db
def test_health_endpoint_reports_a_broken_database(client, monkeypatch):
    from django.db import DatabaseError
    from django.db.backends.utils import CursorWrapper

    def broken(self, sql, params=None):
        raise DatabaseError("down")

    monkeypatch.setattr(CursorWrapper, "execute", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["databases"]["default"] == {"ok": False, "error": "DatabaseError"}


def test_json_logs_keep_extras_and_redact_secrets():
    record = logging.LogRecord("newsdesk", logging.INFO, __file__, 1, "exported %s articles", (3,), None)
    record.article_count = 3
    record.password = "hunter2"
    record.Authorization = "Token abc"
    line = JsonFormatter().format(record)
    entry = json.loads(line)
    assert entry["message"] == "exported 3 articles" and entry["level"] == "INFO"
    assert entry["article_count"] == 3
    assert entry["password"] == "[redacted]" and entry["Authorization"] == "[redacted]"
    assert "hunter2" not in line and "abc" not in line
