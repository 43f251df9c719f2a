"""The annotate screen's data is the API's: what it embeds of the article, paragraphs, speakers, tags,
annotations and check-worthy sentences is what the API answers for the same rows, field for field (the
screen's own additions aside), so the screen's script and API clients read one shape."""

from __future__ import annotations

import json
import re

import pytest
from django.contrib.auth.models import User
from rest_framework.test import APIClient

from annotations import services
from corpus.models import Speaker
from tests.api.conftest import make_user
from tests.factories import ArticleFactory, TagFactory, UserFactory

pytestmark = pytest.mark.django_db

DATA = re.compile(r'<script id="annotate-data" type="application/json">(.*?)</script>', re.S)
BODY = (
    "Harbour 🌊 repairs: council says 네 to the plan\n"
    "The council voted on Tuesday to spend 4 million euros on the harbour, twice what it spent in 2019.\n"
    '"We cannot wait another winter 🥶," said council chair Helena Vasquez.\n'
    "Unemployment in the port district rose by 12 percent last year, the statistics office said.\n"
)


@pytest.fixture
def page_and_api(client):
    editor = UserFactory(username="editor", is_staff=True, groups=["Editor"])
    article = ArticleFactory(body=BODY)
    TagFactory(slug="claim")
    paragraph = article.paragraphs.order_by("position")[1]
    services.annotation_create(
        article=article,
        author=editor,
        start=paragraph.start,
        end=paragraph.start + 7,
        tags=["claim"],
        note="n",
    )
    services.annotation_create(
        article=article, author=editor, target="paragraph", paragraph=paragraph, note="p"
    )
    Speaker.objects.create(name="a port worker", kind="anonymous", article=article)
    client.force_login(editor)
    page = json.loads(
        DATA.search(client.get(f"/admin/corpus/article/{article.pk}/annotate/").content.decode())[1]
    )
    api = APIClient()
    api.force_login(editor)
    return article, page, api


def _same_as(item: dict, answer: dict, *, own: set[str] = frozenset()) -> None:
    """Every field the API answers, with the API's value; nothing else but the screen's ``own``."""
    assert {key: item[key] for key in answer} == answer
    assert set(item) - set(answer) <= own, set(item) - set(answer)


def test_article_header_is_the_apis(page_and_api):
    article, page, api = page_and_api
    answer = api.get(f"/api/articles/{article.pk}/").json()
    assert set(page["article"]) == {"id", "title", "text", "language", "version"}
    assert page["article"] == {key: answer[key] for key in page["article"]}
    assert page["article"]["text"] == article.text


def test_tags_are_the_apis_with_their_path_drawn_colour_and_key_beside_them(page_and_api):
    _article, page, api = page_and_api
    assert "claim" in {tag["slug"] for tag in page["tags"]}
    for item in page["tags"]:
        answer = api.get(f"/api/tags/{item['slug']}/").json()
        _same_as(item, answer, own={"path", "display_colour", "shortcut"})


def test_paragraphs_are_the_apis(page_and_api):
    article, page, api = page_and_api
    answer = api.get(f"/api/articles/{article.pk}/?expand=paragraphs").json()["paragraphs"]
    assert len(page["paragraphs"]) == len(answer) == 4
    for item, expected in zip(page["paragraphs"], answer, strict=True):
        _same_as(item, expected)


def test_speakers_are_the_apis_less_aliases_and_counts(page_and_api):
    _article, page, api = page_and_api
    assert {speaker["name"] for speaker in page["speakers"]} >= {"Helena Vasquez", "a port worker"}
    for item in page["speakers"]:
        answer = api.get(f"/api/speakers/{item['id']}/").json()
        del answer["aliases"], answer["quote_count"]  # read by queries of their own; the screen has no use
        _same_as(item, answer)


def test_annotations_are_the_apis(page_and_api):
    article, page, api = page_and_api
    answer = {row["id"]: row for row in api.get(f"/api/annotations/?article={article.pk}").json()["results"]}
    assert len(page["annotations"]) == len(answer) == 2
    for item in page["annotations"]:
        expected = dict(answer[item["id"]])
        expected.pop("snippet")  # a search hit's passage: the list's own
        _same_as(item, expected, own={"rule"})


def test_check_worthy_sentences_are_the_apis(page_and_api):
    article, page, api = page_and_api
    answer = api.get(f"/api/articles/{article.pk}/check-worthy/").json()
    answer = answer["results"] if isinstance(answer, dict) else answer
    assert page["suggestions"] and page["suggestions"] == answer[: len(page["suggestions"])]


def test_a_sentence_made_a_claim_is_suggested_by_neither_the_screen_nor_the_api(page_and_api, client):
    """Once an editor turns a suggested sentence into a claim it is no longer a suggestion: the API lists
    what the screen shows, not the sentence again."""
    article, page, api = page_and_api
    sentence = page["suggestions"][0]
    editor = User.objects.get(username="editor")
    services.claim_create(article=article, text=sentence["text"], created_by=editor)
    page = json.loads(
        DATA.search(client.get(f"/admin/corpus/article/{article.pk}/annotate/").content.decode())[1]
    )
    answer = api.get(f"/api/articles/{article.pk}/check-worthy/").json()
    assert sentence["text"] not in [s["text"] for s in page["suggestions"]]
    assert sentence["text"] not in [s["text"] for s in answer]
    assert page["suggestions"] == answer[: len(page["suggestions"])]


def test_quotes_are_the_apis_with_their_clusters_beside_them(page_and_api):
    article, page, api = page_and_api
    answer = api.get(f"/api/articles/{article.pk}/?expand=quotes").json()["quotes"]
    assert len(page["quotes"]) == len(answer) >= 1
    for item, expected in zip(page["quotes"], answer, strict=True):
        _same_as(item, expected)
    # Where else a quote's words appear: by the cluster's id, as the quote names it.
    assert set(page["clusters"]) == {str(q["cluster"]) for q in page["quotes"] if q["cluster"] is not None}


def test_claims_and_fact_checks_are_the_apis_with_what_the_screen_adds_beside_them(page_and_api):
    article, _page, api = page_and_api
    editor = User.objects.get(username="editor")
    checker = make_user("factchecker", "checker")
    bare = services.claim_create(article=article, text="4 million euros", created_by=editor)
    claim = services.claim_create(article=article, text="rose by 12 percent", created_by=editor)
    fact_check = services.factcheck_create(claim=claim, author=editor, verdict="false", rationale="r")
    fact_check = services.factcheck_submit(fact_check=fact_check, expected_version=1, user=editor)
    fact_check = services.factcheck_publish(fact_check=fact_check, expected_version=2, user=checker)
    # A change to the published verdict waits in its revision: that is the verdict the screen edits.
    services.factcheck_update(
        fact_check=fact_check, expected_version=3, user=editor, verdict="true", rationale="later"
    )
    page = json.loads(
        DATA.search(api.get(f"/admin/corpus/article/{article.pk}/annotate/").content.decode())[1]
    )
    answer = {row["id"]: row for row in api.get(f"/api/claims/?article={article.pk}").json()["results"]}
    assert {item["id"] for item in page["claims"]} == set(answer) == {bare.pk, claim.pk}
    for item in page["claims"]:
        expected = dict(answer[item["id"]])
        expected.pop("snippet", None)
        found, fact = dict(item), item["fact_check"]
        if fact is not None:
            found["fact_check"] = {key: value for key, value in fact.items() if key not in {"may", "working"}}
            assert set(fact) - set(expected["fact_check"]) == {"may", "working"}
        _same_as(found, expected, own={"may_change"})
    fact = next(item for item in page["claims"] if item["id"] == claim.pk)["fact_check"]
    assert fact["verdict"] == "false" and fact["revision"]["verdict"] == "true"
    assert fact["working"] == {"verdict": "true", "rationale": "later", "evidence": []}
    # The claims endpoint the screen reads again after each change answers the same rows.
    again = api.get(f"/admin/corpus/article/{article.pk}/annotate/claims/").json()["claims"]
    assert again == page["claims"]
