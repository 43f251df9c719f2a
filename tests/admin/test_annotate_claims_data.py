"""What the annotate screen embeds for claims, clusters and check-worthy sentences, and what it may do
with them: decided by the rules in annotations/access.py, in a fixed number of queries."""

from __future__ import annotations

import json

import pytest

from annotations import services
from annotations.annotate import annotate_page_data
from annotations.models import Claim, FactCheck
from corpus.models import Speaker
from tests.api.conftest import make_user
from tests.corpus.test_clusters import WALL, _ingest, _quote
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

CHECKABLE = (
    "Harbour repairs\n"
    "The council voted on Tuesday to spend 4.2 million euros on the harbour, 30% more than last year.\n"
    "Unemployment in the district rose to 12 percent in 2023, the highest level since 1998.\n"
    "I think the plan is lovely.\n"
)


def _staff(role: str, username: str | None = None):
    user = make_user(role, username)
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    user.get_all_permissions()  # cached on the user, as in a request
    return user


def test_a_clustered_quote_says_where_else_and_where_first_in_one_query():
    first = _ingest("https://a.example/1", WALL, published_at="2024-03-02T08:00:00Z")
    _ingest("https://b.example/2", f"Monday. {WALL}", published_at="2024-03-05T08:00:00Z")
    later = _ingest("https://c.example/3", f"Later. {WALL}", published_at="2024-03-09T08:00:00Z")
    editor = _staff("editor")
    data = annotate_page_data(article=later, user=editor)
    (quote,) = [q for q in data["quotes"] if q["id"] == _quote(later, "We cannot wait").pk]
    cluster = data["clusters"][quote["cluster"]]
    assert cluster["id"] == quote["cluster"] and cluster["articles"] == 3
    assert cluster["first"]["article"] == first.pk
    assert cluster["first"]["published_at"].startswith("2024-03-02")
    assert cluster["first"]["source"] == "tests"
    assert cluster["first"]["annotate"] == f"/admin/corpus/article/{first.pk}/annotate/"
    alone = ArticleFactory(body='Title\n"Nobody else said this at all, ever," said Jo Bloggs.')
    alone_data = annotate_page_data(article=alone, user=editor)
    assert all(q["cluster"] is None for q in alone_data["quotes"]) and alone_data["clusters"] == {}


def test_page_queries_stay_fixed_with_clusters_claims_fact_checks_and_suggestions(django_assert_num_queries):
    editor, checker = _staff("editor"), _staff("factchecker")
    for n in range(3):
        _ingest(f"https://x.example/{n}", f"Day {n}. {WALL}")
    article = _ingest("https://x.example/last", f"{WALL}\n\n{CHECKABLE.splitlines()[1]}")
    for n in range(3):
        claim = services.claim_create(article=article, text=f"claim {n}", created_by=editor)
        services.factcheck_create(claim=claim, author=checker if n else editor, verdict="mixed")
    # paragraphs, quotes, the article's own speakers, annotations, claims (with fact-checks), their
    # co-authors, tags, the clusters of the quotes, and the check-worthy dismissals
    with django_assert_num_queries(9):
        data = annotate_page_data(article=article, user=editor)
    assert len(data["claims"]) == 3 and data["suggestions"]
    assert all(q["cluster"] in data["clusters"] for q in data["quotes"])


def test_suggestions_leave_out_dismissed_sentences_and_claims_already_marked():
    editor = _staff("editor")
    article = ArticleFactory(body=CHECKABLE)
    texts = [s["text"] for s in annotate_page_data(article=article, user=editor)["suggestions"]]
    assert any("4.2 million euros" in t for t in texts) and any("12 percent" in t for t in texts)
    assert not any("lovely" in t for t in texts)
    euros = next(s for s in services.checkworthy_suggestions(article=article) if "euros" in s.text)
    services.checkworthy_dismiss(article=article, start=euros.start, end=euros.end, actor=editor)
    percent = next(t for t in texts if "12 percent" in t)
    services.claim_create(article=article, text=percent, created_by=editor)
    after = annotate_page_data(article=article, user=editor)["suggestions"]
    assert not any("euros" in s["text"] or "12 percent" in s["text"] for s in after)
    for suggestion in annotate_page_data(article=article, user=editor)["suggestions"]:
        assert article.text[suggestion["start"] : suggestion["end"]] == suggestion["text"]


def test_what_each_user_may_do_with_a_fact_check_comes_from_the_rules():
    author, other, checker = _staff("editor"), _staff("editor", "other"), _staff("factchecker")
    article = ArticleFactory(body=CHECKABLE)
    claim = services.claim_create(article=article, text="4.2 million euros", created_by=author)
    fact_check = services.factcheck_create(claim=claim, author=author, verdict="false", rationale="r")

    def may(user) -> dict:
        (found,) = annotate_page_data(article=article, user=user)["claims"]
        return {"claim": found["may_change"], **found["fact_check"]["may"]}

    assert may(author) == {"claim": True, "change": True, "submit": True, "review": False}
    assert may(other) == {"claim": False, "change": False, "submit": False, "review": False}
    fact_check = services.factcheck_submit(fact_check=fact_check, expected_version=1, user=author)
    assert may(checker) == {"claim": False, "change": True, "submit": False, "review": True}
    # In review the claim is frozen, even for the editor who marked it.
    assert may(author) == {"claim": False, "change": True, "submit": False, "review": False}
    services.factcheck_send_back(fact_check=fact_check, expected_version=2, user=checker, comment="Source?")
    assert may(author) == {"claim": True, "change": True, "submit": True, "review": False}
    # Someone who changed its content is a co-author: they edit it but may not approve it.
    fresh = FactCheck.objects.get(pk=fact_check.pk)
    fresh = services.factcheck_submit(fact_check=fresh, expected_version=3, user=author)
    services.factcheck_update(fact_check=fresh, expected_version=4, user=checker, rationale="checked")
    assert may(checker) == {"claim": False, "change": True, "submit": False, "review": False}


def test_the_claims_view_answers_what_the_page_holds_in_fixed_queries(client, django_assert_num_queries):
    author, checker = _staff("editor"), _staff("factchecker")
    article = ArticleFactory(body=CHECKABLE)
    claim = services.claim_create(article=article, text="4.2 million euros", created_by=author)
    client.force_login(author)
    response = client.get(f"/admin/corpus/article/{article.pk}/annotate/claims/")
    assert response.status_code == 200
    (found,) = json.loads(response.content)["claims"]
    assert found["id"] == claim.pk and found["may_change"] is True and found["fact_check"] is None
    for n in range(4):
        other = services.claim_create(article=article, text=f"claim {n}", created_by=author)
        services.factcheck_create(claim=other, author=checker, verdict="false")
    # session, user, the user's group permissions and own permissions, the article, the claims with
    # their fact-checks, and the fact-checks' co-authors
    with django_assert_num_queries(7):
        response = client.get(f"/admin/corpus/article/{article.pk}/annotate/claims/")
    assert len(json.loads(response.content)["claims"]) == 5


def test_a_claimant_described_in_words_becomes_a_speaker_of_the_article_through_the_api(client):
    author = _staff("editor")
    article = ArticleFactory(body=CHECKABLE)
    claim = services.claim_create(article=article, text="4.2 million euros", created_by=author)
    client.force_login(author)
    url = f"/api/claims/{claim.pk}/"
    body = {"new_claimant": "  a council official   who declined to be named "}
    response = client.patch(url, body, content_type="application/json", HTTP_IF_MATCH=f'"{claim.pk}-1"')
    assert response.status_code == 200, response.content
    speaker = Speaker.objects.get(pk=response.json()["claimant_id"])
    assert (speaker.name, speaker.kind, speaker.article_id) == (
        "a council official who declined to be named",
        "anonymous",
        article.pk,
    )
    assert response.json()["claimant"] == speaker.name
    # The same words again find the same speaker; both a speaker and words at once are refused.
    again = client.patch(
        url,
        {"new_claimant": "a council official who declined to be named"},
        content_type="application/json",
        HTTP_IF_MATCH=f'"{claim.pk}-2"',
    )
    assert again.status_code == 200 and again.json()["claimant_id"] == speaker.pk
    both = client.post(
        "/api/claims/",
        {"article": article.pk, "text": "12 percent", "claimant": speaker.pk, "new_claimant": "someone"},
        content_type="application/json",
    )
    assert both.status_code == 400 and "new_claimant" in both.json()
    assert Claim.objects.filter(article=article).count() == 1


def test_a_viewer_may_not_describe_a_claimant():
    viewer, editor = _staff("viewer"), _staff("editor")
    article = ArticleFactory(body=CHECKABLE)
    data = annotate_page_data(article=article, user=viewer)
    assert data["can"]["describe_claimant"] is False and data["can"]["dismiss_suggestion"] is False
    assert annotate_page_data(article=article, user=editor)["can"]["describe_claimant"] is True


def test_an_undated_first_appearance_comes_with_its_ingest_time():
    """No article of the cluster has a publication date: the first is the earliest ingested, and the
    screen has its ingest time to say so ("first ingested on ..., undated")."""
    first = _ingest("https://a.example/1", WALL)
    later = _ingest("https://b.example/2", f"Monday. {WALL}")
    data = annotate_page_data(article=later, user=_staff("editor"))
    (quote,) = [q for q in data["quotes"] if q["id"] == _quote(later, "We cannot wait").pk]
    shown = data["clusters"][quote["cluster"]]["first"]
    assert shown["article"] == first.pk and shown["published_at"] is None
    assert shown["ingested_at"] == first.ingested_at.isoformat()
