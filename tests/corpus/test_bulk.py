"""Rows written in one statement (corpus.bulk): row types take their columns from the model, ids are
reserved before the rows are written and are the ones the rows get."""

from __future__ import annotations

import pytest
from django.core.exceptions import FieldDoesNotExist
from django.db import connection
from django.utils import timezone

from corpus.bulk import (
    UPDATE_ROWS,
    Ids,
    insert,
    insert_values,
    reserve_ids,
    row_from,
    row_type,
    update_column,
    update_rows,
)
from corpus.models import Quote, QuoteCluster, QuoteFingerprint, Speaker
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def test_a_row_type_names_the_model_s_columns_and_refuses_a_field_it_lacks():
    row = row_type(Quote, "id", "speaker", "via", "start")
    assert row.columns == ("id", "speaker_id", "via_id", "start")
    assert row(id=1, speaker=2, via=None, start=0) == (1, 2, None, 0)
    with pytest.raises(FieldDoesNotExist):
        row_type(Quote, "id", "speeker")


def test_rows_are_written_under_the_ids_reserved_for_them():
    Speaker.objects.create(name="Already there")
    SpeakerRow = row_type(Speaker, "id", "name", "kind", "description", "version", "created_at")
    first, second = reserve_ids(Speaker, 2)
    assert first > Speaker.objects.get().pk and second == first + 1
    now = timezone.now()
    insert(
        SpeakerRow,
        [
            SpeakerRow(id=second, name="Bo Lind", kind="person", description="", version=1, created_at=now),
            SpeakerRow(
                id=first, name="Ada Obi", kind="person", description="mayor", version=1, created_at=now
            ),
        ],
    )
    assert dict(Speaker.objects.filter(pk__in=[first, second]).values_list("pk", "name")) == {
        first: "Ada Obi",
        second: "Bo Lind",
    }
    assert reserve_ids(Speaker, 1)[0] > second


def test_ids_handed_out_one_by_one_continue_past_those_written():
    written = Speaker.objects.create(name="Written").pk
    ids = Ids()
    ids.begin({Speaker: 3})
    taken = [ids.take(Speaker) for _ in range(3)]
    assert taken == sorted(taken) and taken[0] > written and len(set(taken)) == 3


def test_a_row_from_an_instance_holds_what_the_database_stores():
    now = timezone.now()
    speaker = Speaker(name="Ada Obi", kind="anonymous", description="", created_at=now)
    SpeakerRow = row_type(Speaker, "name", "kind", "version", "created_at")
    row = row_from(SpeakerRow, speaker)
    assert row == SpeakerRow(
        name="Ada Obi",
        kind="anonymous",
        version=1,
        created_at=Speaker._meta.get_field("created_at").get_db_prep_save(now, connection),
    )


def test_a_row_from_an_instance_takes_the_values_already_prepared():
    now = timezone.now()
    speaker = Speaker(name="Ada Obi", kind="anonymous", description="", created_at=now)
    SpeakerRow = row_type(Speaker, "name", "kind", "version", "created_at")
    row = row_from(SpeakerRow, speaker, {"created_at": "given"})
    assert row == SpeakerRow(name="Ada Obi", kind="anonymous", version=1, created_at="given")


def test_a_row_from_an_instance_passes_over_preparing_only_values_that_preparing_leaves_as_they_are():
    from django.utils.translation import gettext_lazy

    from corpus.models import Article

    row = row_type(Article, *(f.name for f in Article._meta.concrete_fields if not f.primary_key))
    article = Article(
        url="https://example.com/a",
        external_id=gettext_lazy("lazy text"),  # not a str: prepared
        raw_text="Raw.",
        content_hash="0" * 64,
        text="Raw.",
        title="",
        byline="By Ann Lee",
        published_at=timezone.now(),
        metadata={"format": "text"},
        revision=2,
        version=3,
        ingested_at=timezone.now(),
        updated_at=timezone.now(),
    )
    expected = tuple(
        field.get_db_prep_save(getattr(article, field.attname), connection) for field in row.fields
    )
    made = row_from(row, article)

    def plain(value):  # PostgreSQL's JSON wrapper has no equality of its own: compare what it wraps
        return getattr(value, "obj", value)

    assert [plain(value) for value in made] == [plain(value) for value in expected]
    assert [type(value) for value in made] == [type(value) for value in expected]


def test_insert_values_writes_the_rows_in_the_statements_bulk_create_sends(django_assert_num_queries):
    quote = ArticleFactory().quotes.first()
    FingerprintRow = row_type(QuoteFingerprint, "quote", "value")
    rows = [FingerprintRow(quote=quote.pk, value=value) for value in range(-(2**63), -(2**63) + 5)]
    with django_assert_num_queries(3):  # as bulk_create(batch_size=2) would: 2 + 2 + 1 rows
        insert_values(FingerprintRow, rows, batch_size=2)
    assert sorted(QuoteFingerprint.objects.values_list("quote_id", "value")) == [tuple(r) for r in rows]
    with django_assert_num_queries(0):
        insert_values(FingerprintRow, [])


def _clusters(count: int) -> list[QuoteCluster]:
    return QuoteCluster.objects.bulk_create([QuoteCluster(size=n + 2, articles=2) for n in range(count)])


def test_update_rows_writes_what_bulk_update_writes_in_one_statement_and_leaves_the_timestamps(
    django_assert_num_queries,
):
    speaker = Speaker.objects.create(name="Ada Obi")
    ours, theirs = _clusters(3), _clusters(3)
    for mine, other, (size, disagree, who) in zip(
        ours, theirs, [(7, True, None), (0, False, speaker.pk), (2**31 - 1, False, None)], strict=True
    ):
        for cluster in (mine, other):
            cluster.size, cluster.speakers_disagree, cluster.speaker_id = size, disagree, who
    stamps = dict(QuoteCluster.objects.values_list("pk", "updated_at"))
    fields = ["size", "speakers_disagree", "speaker"]
    with django_assert_num_queries(1):
        update_rows(ours, fields)
    QuoteCluster.objects.bulk_update(theirs, fields)
    written = {c.pk: c for c in QuoteCluster.objects.all()}
    for mine, other in zip(ours, theirs, strict=True):
        assert (written[mine.pk].size, written[mine.pk].speakers_disagree, written[mine.pk].speaker_id) == (
            written[other.pk].size,
            written[other.pk].speakers_disagree,
            written[other.pk].speaker_id,
        )
        assert written[mine.pk].size == mine.size
    assert dict(QuoteCluster.objects.values_list("pk", "updated_at")) == stamps
    update_rows([], fields)  # nothing to write: no statement
    with pytest.raises(ValueError):
        update_rows(_clusters(UPDATE_ROWS + 1), ["size"])


def test_update_column_sets_one_column_of_the_rows_named_and_no_other(django_assert_num_queries):
    first, second, third = _clusters(3)
    speaker = Speaker.objects.create(name="Bo Lind")
    with django_assert_num_queries(1):
        update_column(QuoteCluster, "speaker", speaker.pk, [first.pk, third.pk])
    assert dict(QuoteCluster.objects.values_list("pk", "speaker_id")) == {
        first.pk: speaker.pk,
        second.pk: None,
        third.pk: speaker.pk,
    }
    update_column(QuoteCluster, "speaker", None, [first.pk])
    assert QuoteCluster.objects.get(pk=first.pk).speaker_id is None
    with django_assert_num_queries(0):
        update_column(QuoteCluster, "speaker", speaker.pk, [])
