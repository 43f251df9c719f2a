"""The W3C export checked against the web-platform-tests schemas, and ClaimReview against the fact-check
markup properties; the public fact-check page that the ClaimReview's url names."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from annotations.exports.claimreview import RATING_VALUES, VERDICT_WORDS, rating
from annotations.models import Verdict
from config.site import site_url
from tests.api.test_w3c import assert_valid_annotation, assert_valid_collection, wpt  # noqa: F401

pytestmark = pytest.mark.django_db

CONFORMANCE = Path(__file__).resolve().parents[1] / "conformance"  # third-party fixtures, see its README


def _w3c(tmp_path, *extra) -> dict:
    out = tmp_path / "annotations.jsonld"
    call_command("export", "--format", "w3c", "--output", str(out), *extra, verbosity=0)
    return json.loads(out.read_text(encoding="utf-8"))


def test_w3c_collection_and_every_item_pass_the_wpt_schemas(wpt, tmp_path, corpus):  # noqa: F811
    document = _w3c(tmp_path)
    assert_valid_collection(wpt, document, kind="annotationCollection")
    page = document["first"]
    assert_valid_collection(wpt, page, kind="annotationPage")
    items = page["items"]
    assert document["total"] == len(items)
    for item in items:
        assert_valid_annotation(wpt, item)
    by_id = {item["id"]: item for item in items}
    mine = next(i for i in items if i["id"].endswith(f"/w3c/annotations/{corpus.published.pk}/"))
    selectors = {s["type"]: s for s in mine["target"]["selector"]}
    assert selectors["TextPositionSelector"] == {
        "type": "TextPositionSelector",
        "start": corpus.published.start,
        "end": corpus.published.end,
    }
    assert selectors["TextQuoteSelector"]["exact"] == corpus.published.exact
    purposes = {b.get("purpose") for b in mine["body"]}
    assert purposes == {"tagging", "commenting", "assessing"}
    review = next(b for b in mine["body"] if b.get("purpose") == "assessing")
    assert review["type"] == "ClaimReview" and review["verdict"] == "mostly_false"
    quotes = [i for i in items if i["motivation"] == "identifying"]
    assert quotes and all(q["body"]["purpose"] == "identifying" for q in quotes if "body" in q)
    assert any(
        q["body"]["type"] in {"Person", "Organization", "Group", "AnonymousSource"}
        for q in quotes
        if "body" in q
    )
    assert not any(corpus.draft.note in json.dumps(i) for i in by_id.values())
    assert document["@context"][1].endswith("/static/annotations/context.jsonld")


def test_an_annotation_reads_the_same_from_the_api_and_the_export(wpt, tmp_path, client, corpus):  # noqa: F811
    """One mapping: the API's document of each exported annotation equals the export's item with its id,
    motivation and ClaimReview body included; paragraph and quote targets name their paragraph or quote."""
    items = [i for i in _w3c(tmp_path)["first"]["items"] if "/w3c/annotations/" in i["id"]]
    assert len(items) >= 4
    for item in items:
        served = client.get(urlsplit(item["id"]).path)
        assert served.status_code == 200, item["id"]
        assert served.json() == item
        assert_valid_annotation(wpt, served.json())
    published = client.get(f"/api/w3c/annotations/{corpus.published.pk}/").json()
    assert published["motivation"] == ["assessing", "commenting", "tagging"]
    assert [b["type"] for b in published["body"]].count("ClaimReview") == 1
    by_target = {a.target: a for a in corpus.articles[1].annotations.select_related("paragraph", "quote")}
    paragraph = client.get(f"/api/w3c/annotations/{by_target['paragraph'].pk}/").json()["target"]
    assert paragraph["id"].endswith(f"/api/paragraphs/{by_target['paragraph'].paragraph_id}/")
    quote = client.get(f"/api/w3c/annotations/{by_target['quote'].pk}/").json()["target"]
    assert quote["id"].endswith(f"/api/quotes/{by_target['quote'].quote_id}/")


def test_a_document_read_from_the_api_can_be_put_back(client, corpus):
    """The ClaimReview bodies of a document are read-only: a client that sends the document back with a
    changed note changes the note, and the fact-check stays as it was."""
    editor_client = APIClient()
    editor_client.force_authenticate(corpus.editor)
    path = f"/api/w3c/annotations/{corpus.published.pk}/"
    read = editor_client.get(path)
    document = read.json()
    for body in document["body"]:
        if body.get("purpose") == "commenting":
            body["value"] = "a changed note"
    response = editor_client.put(path, document, format="json", HTTP_IF_MATCH=read["ETag"])
    assert response.status_code == 200, response.content
    corpus.published.refresh_from_db()
    assert corpus.published.note == "a changed note"
    assert any(b.get("type") == "ClaimReview" for b in response.json()["body"])


def test_w3c_without_text_keeps_positions_only(wpt, tmp_path, corpus):  # noqa: F811
    document = _w3c(tmp_path, "--text", "none", "--anonymize-authors")
    for item in document["first"]["items"]:
        assert_valid_annotation(wpt, item)
        target = item["target"]
        if isinstance(target, dict):
            assert {s["type"] for s in target["selector"]} == {"TextPositionSelector"}
        creator = item.get("creator", {})
        assert creator.get("nickname", "annotator-").startswith("annotator-")
    assert '"exact"' not in json.dumps(document) and '"prefix"' not in json.dumps(document)
    assert '"nickname": "ed"' not in json.dumps(document)


def test_our_jsonld_context_is_a_served_static_file(client):
    from django.contrib.staticfiles import finders

    path = finders.find("annotations/context.jsonld")
    assert path
    context = json.loads(Path(path).read_text())["@context"]
    assert {"ClaimReview", "verdict", "speakerKind", "quoteKind", "AnonymousSource"} <= set(context)


def test_w3c_export_to_stdout(capsys, corpus):
    capsys.readouterr()
    call_command("export", "--format", "w3c", "--output", "-")
    document = json.loads(capsys.readouterr().out)
    assert document["type"] == "AnnotationCollection"


# --- ClaimReview ------------------------------------------------------------------------------


def _properties() -> dict:
    return json.loads((CONFORMANCE / "claimreview" / "google-factcheck-properties.json").read_text())


def _claimreviews(tmp_path, *extra) -> list[dict]:
    out = tmp_path / "claimreview.jsonld"
    call_command("export", "--format", "claimreview", "--output", str(out), *extra, verbosity=0)
    document = json.loads(out.read_text(encoding="utf-8"))
    assert document["@context"] == "https://schema.org"
    return document["@graph"]


def test_claimreview_has_the_required_and_recommended_properties(tmp_path, corpus, settings):
    properties = _properties()
    [review] = _claimreviews(tmp_path, "--include-drafts")  # drafts included: still published ones only
    assert review["@type"] == "ClaimReview"
    for name in properties["ClaimReview"]["required"] + properties["ClaimReview"]["recommended"]:
        assert name in review, name
    for name in properties["Rating (reviewRating)"]["required"]:
        assert name in review["reviewRating"]
    claim = review["itemReviewed"]
    assert claim["@type"] == "Claim" and claim["author"]["@type"] in {"Person", "Organization"}
    assert claim["appearance"]["@type"] == "CreativeWork"
    assert review["reviewRating"] == {
        "@type": "Rating", "alternateName": "Mostly false", "ratingValue": 2, "bestRating": 5, "worstRating": 1,
    }  # fmt: skip
    assert review["url"] == f"{site_url()}/fact-checks/{corpus.fact_check.pk}/"
    assert review["author"]["name"] == settings.CLAIMREVIEW_PUBLISHER_NAME
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", review["datePublished"])
    assert "mostly" not in review["claimReviewed"].lower()  # the claim, not the verdict


def test_claimreview_shape_follows_the_schemaorg_example(tmp_path, corpus):
    example = json.loads((CONFORMANCE / "claimreview" / "schemaorg-eg-0324.jsonld").read_text())
    [review] = _claimreviews(tmp_path)
    assert set(example) - {"@context"} <= set(review) | {"@context"}
    assert set(example["reviewRating"]) - {"@type", "image"} <= set(rating("false"))


def test_rating_scale():
    assert [RATING_VALUES[Verdict(v)] for v in ("false", "mostly_false", "mixed", "mostly_true", "true")] == [
        1,
        2,
        3,
        4,
        5,
    ]
    for verdict in ("misleading", "unverifiable", "not_a_claim"):
        assert rating(verdict) == {"@type": "Rating", "alternateName": VERDICT_WORDS[Verdict(verdict)]}
    assert rating("true")["alternateName"] == "True"


def test_public_page_embeds_the_claimreview_safely(client, corpus):
    response = client.get(f"/fact-checks/{corpus.fact_check.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    review = json.loads(match.group(1))
    assert review["@context"] == "https://schema.org" and review["url"].endswith(
        f"/fact-checks/{corpus.fact_check.pk}/"
    )
    assert "Mostly false" in html and "Opinion" in html and "https://example.org/a" in html
    assert "<script>alert(1)</script>" not in html  # the rationale is escaped in the page
    assert html.count("</script>") == 1


def test_public_page_is_404_for_unpublished(client, corpus):
    assert client.get(f"/fact-checks/{corpus.draft_fact_check.pk}/").status_code == 404
    assert client.get("/fact-checks/999999/").status_code == 404


def test_drafts_and_orphans_included_keep_the_claims_on_annotations(tmp_path, corpus):
    """With drafts and orphans both included, nothing leaves a claim out: a claim on an annotation is
    exported, and its published fact-check still makes the one ClaimReview."""
    [review] = _claimreviews(tmp_path, "--include-drafts", "--include-orphans")
    assert review["url"] == f"{site_url()}/fact-checks/{corpus.fact_check.pk}/"
    out = tmp_path / "corpus.jsonl"
    call_command("export", "--format", "jsonl", "--output", str(out), "--include-drafts", "--include-orphans")
    claims = [c for line in out.read_text().splitlines() for c in json.loads(line)["claims"]]
    assert corpus.fact_check.claim_id in {c["id"] for c in claims}
