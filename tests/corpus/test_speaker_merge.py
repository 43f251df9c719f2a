"""Editors merge speakers: through the service, the admin action and the API; quotes and claims move to
the target, the merged names stay as its aliases, history records it, and a re-run keeps it."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from rest_framework.test import APIClient

from annotations import services as annotation_services
from corpus.ingest.readers import ArticleInput
from corpus.models import Quote, Speaker, SpeakerAlias, SpeakerMerge
from corpus.selectors import speaker_directory
from corpus.services import article_ingest, article_reprocess, speakers_merge
from corpus.versioning import StaleVersion
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

# The article never gives the full name; a run from before ingest filed a surname under its person left
# its quotes under a record "Obama" (see ``two_records``).
SHORT = (
    "Obama defends the trade deal\n"
    '"This deal is good for workers," Obama said on Monday.\n'
    "The vote is expected next week.\n"
)
FULL = (
    "President backs new climate plan\n"
    '"We have no time to lose," Barack Obama said in a speech.\n'
    "Critics said the plan went too far.\n"
)


def ingest(body: str, url: str):
    record = ArticleInput(raw=body.encode(), body=body, url=url, origin="test")
    return article_ingest(record=record).article


@pytest.fixture
def two_records():
    full = ingest(FULL, "https://example.org/full")
    short = ingest(SHORT, "https://example.org/short")
    alias = Speaker.objects.create(name="Obama")
    short.quotes.update(speaker=alias)
    target = Speaker.objects.get(name="Barack Obama")
    return short, full, alias, target


@pytest.fixture
def editor():
    return UserFactory(username="ed", is_staff=True, groups=["Editor"])


def test_merge_moves_quotes_and_claims_keeps_the_alias_and_records_history(two_records, editor):
    short, _full, alias, target = two_records
    quote = short.quotes.get(speaker=alias)
    claim = annotation_services.claim_create(
        article=short, created_by=editor, text="This deal is good for workers", claimant=alias
    )
    speakers_merge(sources=[alias], target=target, actor=editor, expected_version=target.version)

    assert not Speaker.objects.filter(pk=alias.pk).exists()
    quote.refresh_from_db()
    claim.refresh_from_db()
    assert quote.speaker_id == target.pk and claim.claimant_id == target.pk
    assert SpeakerAlias.objects.filter(speaker=target, phrase="Obama").exists()
    target.refresh_from_db()
    assert target.version == 2
    merge = SpeakerMerge.objects.get()
    assert (merge.source_name, merge.target_id, merge.actor_id) == ("Obama", target.pk, editor.pk)
    assert merge.quotes == [quote.pk]
    latest = quote.history.first()
    assert latest.speaker_id == target.pk and latest.history_user_id == editor.pk
    assert "merged" in latest.history_change_reason


def test_a_rerun_keeps_the_merge(two_records, editor):
    short, _full, alias, target = two_records
    speakers_merge(sources=[alias], target=target, actor=editor)
    article_reprocess(article=short, directory=speaker_directory())
    assert set(short.quotes.values_list("speaker__name", flat=True)) == {"Barack Obama"}
    assert not Speaker.objects.filter(name="Obama").exists()
    # A new article with the bare surname is filed under the target too, and re-ingesting keeps it.
    other = ingest(SHORT.replace("Monday", "Tuesday"), "https://example.org/other")
    assert set(other.quotes.values_list("speaker__name", flat=True)) == {"Barack Obama"}
    call_command("reprocess", "--all", verbosity=0)
    assert not Speaker.objects.filter(name="Obama").exists()


def test_only_editors_merge_and_bad_merges_are_refused(two_records, editor):
    short, _full, alias, target = two_records
    viewer = UserFactory(username="vi", groups=["Viewer"])
    with pytest.raises(PermissionDenied):
        speakers_merge(sources=[alias], target=target, actor=viewer)
    with pytest.raises(ValidationError, match="into itself"):
        speakers_merge(sources=[target], target=target, actor=editor)
    local = Speaker.objects.create(name="the spokesman", kind="anonymous", article=short)
    with pytest.raises(ValidationError, match="belongs to article"):
        speakers_merge(sources=[alias], target=local, actor=editor)
    with pytest.raises(StaleVersion):
        speakers_merge(sources=[alias], target=target, actor=editor, expected_version=target.version + 5)
    assert Speaker.objects.filter(pk=alias.pk).exists()  # nothing written


def test_merge_through_the_admin_action(two_records, client):
    _short, _full, alias, target = two_records
    editor = UserFactory(username="ed2", is_staff=True, groups=["Editor"])
    client.force_login(editor)
    page = client.post(
        "/admin/corpus/speaker/",
        {"action": "merge_speakers", "_selected_action": [alias.pk, target.pk]},
    )
    assert page.status_code == 200 and "Barack Obama" in page.content.decode()
    client.post(
        "/admin/corpus/speaker/",
        {
            "action": "merge_speakers",
            "_selected_action": [alias.pk, target.pk],
            "apply": "1",
            "target": target.pk,
        },
    )
    assert not Speaker.objects.filter(pk=alias.pk).exists()
    assert Quote.objects.filter(speaker=target).count() == 2
    assert SpeakerMerge.objects.get().actor == editor


def test_merge_through_the_api(two_records, editor):
    _short, _full, alias, target = two_records
    client = APIClient()
    url = f"/api/speakers/{target.pk}/merge/"
    client.force_authenticate(UserFactory(username="vi", groups=["Viewer"]))
    assert client.post(url, {"sources": [alias.pk]}, format="json").status_code == 403
    client.force_authenticate(editor)
    assert client.post(url, {"sources": [alias.pk]}, format="json").status_code == 428
    stale = client.post(url, {"sources": [alias.pk]}, format="json", HTTP_IF_MATCH=f'"{target.pk}-9"')
    assert stale.status_code == 412
    response = client.post(
        url, {"sources": [alias.pk]}, format="json", HTTP_IF_MATCH=f'"{target.pk}-{target.version}"'
    )
    assert response.status_code == 200, response.content
    assert response["ETag"] == f'"{target.pk}-{target.version + 1}"'
    assert "Obama" in response.json()["aliases"] and response.json()["quote_count"] == 2
    missing = client.post(
        url, {"sources": [999999]}, format="json", HTTP_IF_MATCH=f'"{target.pk}-{target.version + 1}"'
    )
    assert missing.status_code == 400 and "999999" in missing.content.decode()
