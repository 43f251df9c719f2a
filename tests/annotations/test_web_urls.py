"""Evidence URLs are http or https, whichever door they come through (service, API, import), and pages
link only those: a ``javascript:`` URL stored before the check existed shows as plain text."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from annotations import services
from annotations.imports.importer import dataset_import
from annotations.models import FactCheck
from corpus.models import Article
from tests.annotations.datasets import article_lines, rewrite_articles
from tests.annotations.test_import import _wipe
from tests.api.conftest import client_for, make_user
from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db

SCRIPT = "javascript:alert(document.cookie)"


def _evidence(url: str) -> list[dict]:
    return [{"url": url, "title": "The budget", "publisher": "Council", "accessed": "2024-05-01"}]


@pytest.mark.parametrize(
    "url", [SCRIPT, "data:text/html,<b>x</b>", "vbscript:x", " javascript:x", "ftp://a.org/"]
)
def test_the_service_refuses_evidence_that_is_no_web_url(url):
    editor = UserFactory(groups=["Editor"])
    claim = services.claim_create(article=ArticleFactory(), text="A claim.", created_by=editor)
    with pytest.raises(ValidationError) as caught:
        services.factcheck_create(claim=claim, author=editor, verdict="false", evidence=_evidence(url))
    assert "evidence" in caught.value.message_dict
    assert "item 0" in caught.value.message_dict["evidence"][0]
    assert "http" in caught.value.message_dict["evidence"][0]
    fact_check = services.factcheck_create(claim=claim, author=editor, verdict="false")
    with pytest.raises(ValidationError, match="item 1"):
        services.factcheck_update(
            fact_check=fact_check,
            expected_version=1,
            evidence=_evidence("https://example.org/ok") + _evidence(url),
            user=editor,
        )
    assert FactCheck.objects.get().evidence == []


def test_the_api_refuses_evidence_that_is_no_web_url():
    editor = make_user("editor", "writer")
    client = client_for(editor)
    claim = client.post("/api/claims/", {"article": ArticleFactory().pk, "text": "A claim."}, format="json")
    response = client.post(
        "/api/fact-checks/",
        {"claim": claim.json()["id"], "verdict": "false", "evidence": _evidence(SCRIPT)},
        format="json",
    )
    assert response.status_code == 400, response.content
    assert "evidence" in response.json()
    assert not FactCheck.objects.exists()


def test_import_refuses_urls_that_are_no_web_urls(tmp_path, corpus):
    path = tmp_path / "dataset"
    call_command("export", "--format", "jsonl", "--output", f"{path}/", "--include-drafts", verbosity=0)
    lines = article_lines(path)
    records = [json.loads(line) for line in lines]
    with_evidence = next(
        i for i, r in enumerate(records) if any((c["fact_check"] or {}).get("evidence") for c in r["claims"])
    )
    claim = next(c for c in records[with_evidence]["claims"] if (c["fact_check"] or {}).get("evidence"))
    claim["fact_check"]["evidence"][0]["url"] = SCRIPT
    records[1 - with_evidence]["url"] = "data:text/html,x"
    rewrite_articles(path, [json.dumps(r) + "\n" for r in records])
    _wipe()
    result = dataset_import(path=path)
    assert result.failed == 2, result.errors
    joined = "\n".join(result.errors)
    assert "field 'url'" in joined and "evidence[0].url" in joined, joined
    assert not Article.objects.exists()


def _published_with_bad_links(url: str = SCRIPT) -> FactCheck:
    """A published fact-check whose evidence and article link were stored before URLs were checked."""
    editor, checker = UserFactory(groups=["Editor"]), UserFactory(groups=["Fact-checker"])
    article = ArticleFactory(title="Harbour budget")
    claim = services.claim_create(article=article, text="Spending doubled.", created_by=editor)
    fact_check = services.factcheck_create(
        claim=claim, author=editor, verdict="false", evidence=_evidence("https://example.org/good")
    )
    services.factcheck_submit(fact_check=fact_check, expected_version=1, user=editor)
    services.factcheck_publish(fact_check=fact_check, expected_version=2, user=checker)
    # Written past the checks, as data stored before them would be.
    FactCheck.objects.filter(pk=fact_check.pk).update(
        evidence=[*_evidence("https://example.org/good"), {**_evidence(url)[0], "title": "Bad link"}]
    )
    Article.objects.filter(pk=article.pk).update(url=url)
    fact_check.refresh_from_db()
    return fact_check


@pytest.mark.parametrize("url", [SCRIPT, "data:text/html,<script>alert(1)</script>", "vbscript:x"])
def test_the_public_page_links_only_web_urls(client, url):
    fact_check = _published_with_bad_links(url)
    response = client.get(f"/fact-checks/{fact_check.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'href="https://example.org/good"' in html  # a good link stays a link
    scheme = url.split(":")[0]
    assert f'href="{scheme}' not in html and f"href='{scheme}" not in html
    assert "Bad link" in html  # shown, as plain text


def test_admin_pages_and_the_annotate_screen_link_no_script_urls(client):
    fact_check = _published_with_bad_links()
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    article = fact_check.claim.article
    for path in (
        f"/admin/annotations/factcheck/{fact_check.pk}/change/",
        f"/admin/annotations/claim/{fact_check.claim_id}/change/",
        f"/admin/corpus/article/{article.pk}/change/",
        f"/admin/corpus/article/{article.pk}/annotate/",
        "/admin/corpus/article/",
        "/admin/annotations/factcheck/",
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        assert 'href="javascript' not in response.content.decode(), path


def test_the_admin_refuses_evidence_that_is_no_web_url(client):
    editor = UserFactory(username="ed", groups=["Editor"], is_staff=True)
    claim = services.claim_create(article=ArticleFactory(), text="A claim.", created_by=editor)
    client.force_login(editor)
    response = client.post(
        "/admin/annotations/factcheck/add/",
        {
            "claim": claim.pk,
            "verdict": "false",
            "rationale": "Records.",
            "evidence": json.dumps(_evidence(SCRIPT)),
        },
        follow=True,
    )
    assert response.status_code == 200
    assert "is not an http:// or https:// URL" in response.content.decode()
    assert not FactCheck.objects.exists()
