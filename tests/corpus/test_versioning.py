"""Optimistic concurrency on any versioned row: the conditional update and delete in corpus.versioning."""

from __future__ import annotations

import pytest

from corpus.ingest.types import LOCAL_SPEAKER_KINDS
from corpus.models import Speaker, SpeakerKind
from corpus.versioning import NOT_GIVEN, StaleVersion, versioned_delete, versioned_update

pytestmark = pytest.mark.django_db


def test_a_delete_at_a_stale_version_is_refused_and_names_the_current_one():
    speaker = Speaker.objects.create(name="Ada Obi")
    versioned_update(speaker, expected_version=1, fields={"description": "mayor"})
    with pytest.raises(StaleVersion) as refused:
        versioned_delete(speaker, expected_version=1)
    assert (refused.value.expected, refused.value.current) == (1, 2)
    assert Speaker.objects.filter(pk=speaker.pk).exists()
    versioned_delete(speaker, expected_version=2)
    assert not Speaker.objects.filter(pk=speaker.pk).exists()


def test_a_delete_of_a_row_already_gone_says_so():
    speaker = Speaker.objects.create(name="Ada Obi")
    versioned_delete(speaker, expected_version=1)
    with pytest.raises(StaleVersion, match="no longer exists"):
        versioned_delete(speaker, expected_version=1)


def test_the_not_given_marker_is_neither_none_nor_a_value():
    assert NOT_GIVEN is not None and repr(NOT_GIVEN) == "NOT_GIVEN"


def test_the_article_local_speaker_kinds_are_speaker_kinds():
    assert {SpeakerKind.ANONYMOUS, SpeakerKind.GROUP} == LOCAL_SPEAKER_KINDS
