"""Without SITE_URL the site's address is the request's: W3C ids, ClaimReview page urls (in a streamed
export too) and the W3C container's test of "an article of this site" follow the host a client used."""

from __future__ import annotations

import json

import pytest

from annotations import services, w3c
from config.site import DEFAULT_SITE_URL, site_url
from tests.api.conftest import client_for, make_user
from tests.factories import AnnotationFactory, ArticleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def unset(settings):
    settings.SITE_URL = ""
    settings.CLAIMREVIEW_PUBLISHER_URL = ""


def test_w3c_ids_name_the_host_that_was_asked(unset, client):
    annotation = AnnotationFactory()
    document = client.get(f"/api/w3c/annotations/{annotation.pk}/", HTTP_HOST="127.0.0.1:8104").json()
    assert document["id"] == f"http://127.0.0.1:8104/api/w3c/annotations/{annotation.pk}/"
    assert document["target"]["source"] == f"http://127.0.0.1:8104/api/articles/{annotation.article_id}/"
    container = client.get("/api/w3c/annotations/", HTTP_HOST="localhost:9000").json()
    assert container["id"] == "http://localhost:9000/api/w3c/annotations/"


def test_a_w3c_post_naming_the_served_host_is_accepted(unset):
    article = ArticleFactory()
    document = {
        "@context": w3c.CONTEXT,
        "type": "Annotation",
        "bodyValue": "which harbour?",
        "target": {
            "source": f"http://127.0.0.1:8104/api/articles/{article.pk}/",
            "selector": {"type": "TextQuoteSelector", "exact": "harbour"},
        },
    }
    client = client_for(make_user("editor"))
    response = client.post("/api/w3c/annotations/", document, format="json", HTTP_HOST="127.0.0.1:8104")
    assert response.status_code == 201, response.content
    assert response["Location"].startswith("http://127.0.0.1:8104/")
    elsewhere = client.post("/api/w3c/annotations/", document, format="json", HTTP_HOST="localhost:8000")
    assert elsewhere.status_code == 400 and "localhost:8000" in json.dumps(elsewhere.json())


def test_a_streamed_claimreview_export_names_the_host_that_was_asked(unset, client):
    editor, reviewer = make_user("factchecker", "ed"), make_user("factchecker", "rev")
    article = ArticleFactory()
    claim = services.claim_create(article=article, text="The council met.", created_by=editor)
    check = services.factcheck_create(claim=claim, author=editor, verdict="true")
    services.factcheck_submit(fact_check=check, expected_version=1, user=editor)
    services.factcheck_publish(fact_check=check, expected_version=2, user=reviewer)
    response = client.get("/api/exports/claimreview/", HTTP_HOST="127.0.0.1:8104")
    assert response.status_code == 200
    body = json.loads(b"".join(response.streaming_content))
    reviews = body if isinstance(body, list) else body.get("itemListElement", [body])
    text = json.dumps(reviews)
    assert f"http://127.0.0.1:8104/fact-checks/{check.pk}/" in text
    assert "127.0.0.1:8000" not in text


def test_outside_a_request_the_default_or_the_setting(settings):
    settings.SITE_URL = ""
    assert site_url() == DEFAULT_SITE_URL
    settings.SITE_URL = "https://news.example.org"
    assert site_url() == "https://news.example.org"
