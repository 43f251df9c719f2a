"""Timestamps read for the exports as text (``records.Rfc3339``: written by PostgreSQL, SQLite's stored
text cut in Python) come out as the datetime a model instance holds would: UTC, whole seconds cut and
never rounded, on both databases, for the JSONL's ``published_at`` and the W3C ``created``/``modified``."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from annotations import w3c
from annotations.exports.records import Rfc3339, rfc3339
from annotations.exports.w3c import _timestamp
from corpus.models import Article, Source

pytestmark = pytest.mark.django_db

MOMENTS = [
    datetime(2026, 12, 7, 9, 20, 1, tzinfo=UTC),
    datetime(2026, 12, 31, 23, 59, 59, 999999, tzinfo=UTC),  # cut, not rounded into the next year
    datetime(2024, 2, 29, 0, 0, 0, 500000, tzinfo=UTC),
    datetime(2026, 6, 1, 1, 30, 0, 123, tzinfo=timezone(timedelta(hours=2))),  # stored as UTC
    datetime(1000, 1, 1, 0, 0, 0, tzinfo=UTC),
    datetime(999, 12, 31, 23, 59, 59, 1, tzinfo=UTC),  # below 1000 %Y has no fixed width
    datetime(1, 1, 1, 0, 0, 0, 7, tzinfo=UTC),
]


def test_timestamps_read_as_text_match_the_datetimes():
    source = Source.objects.create(name="Timestamps")
    for index, moment in enumerate(MOMENTS):
        Article.objects.create(
            source=source,
            url=f"https://example.org/t/{index}",
            title="t",
            text="t",
            content_hash=f"{index:064x}",
            published_at=moment,
        )
    Article.objects.create(source=source, url="https://example.org/t/none", title="t", text="t")
    rows = Article.objects.filter(source=source).order_by("id")
    read = [rfc3339(text) for text in rows.values_list(Rfc3339("published_at"), flat=True)]
    expected = [m.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ") for m in MOMENTS] + [None]
    assert read == expected
    # The W3C mapping, from the text and from the instance's datetime alike (the API's path).
    as_text = [_timestamp(text) for text in rows.values_list(Rfc3339("published_at"), flat=True)[:7]]
    assert as_text == [w3c._timestamp(a.published_at) for a in rows[:7]] == expected[:7]
