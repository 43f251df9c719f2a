"""The fact-check form in the admin edits evidence as rows (url, title, publisher, accessed), not JSON."""

from __future__ import annotations

import pytest

from annotations import services
from annotations.models import FactCheck
from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db

SOURCE = {
    "url": "https://stats.example/2023",
    "title": "Unemployment 2023",
    "publisher": "Statistics Office",
    "accessed": "2024-03-10",
}


@pytest.fixture
def fact_check():
    author = UserFactory(username="author", is_staff=True, groups=["Fact-checker"])
    claim = services.claim_create(article=ArticleFactory(), text="The pier is older.", created_by=author)
    return services.factcheck_create(claim=claim, author=author, verdict="false", evidence=[SOURCE])


def _rows(**rows) -> dict:
    return {f"evidence-{key}": value for key, value in rows.items()}


def test_the_form_shows_each_source_as_a_row_and_an_empty_one_to_add(client, fact_check):
    client.force_login(fact_check.author)
    page = client.get(f"/admin/annotations/factcheck/{fact_check.pk}/change/").content.decode()
    assert 'name="evidence-0-url" value="https://stats.example/2023"' in page
    assert 'name="evidence-0-publisher" value="Statistics Office"' in page
    assert 'type="date" name="evidence-0-accessed" value="2024-03-10"' in page
    assert 'name="evidence-1-url" value=""' in page and 'name="evidence-TOTAL" value="2"' in page
    assert 'name="evidence-0-DELETE"' in page and 'name="evidence-1-DELETE"' not in page
    assert '<textarea name="evidence"' not in page
    assert "annotations/admin-evidence.js" in page


def test_rows_are_added_removed_and_saved_through_the_service(client, fact_check):
    client.force_login(fact_check.author)
    response = client.post(
        f"/admin/annotations/factcheck/{fact_check.pk}/change/",
        {
            "verdict": "mostly_false",
            "rationale": "Records.",
            "expected_version": 1,
            "evidence-TOTAL": "3",
            **_rows(**{"0-url": SOURCE["url"], "0-title": "old", "0-DELETE": "on"}),
            **_rows(**{"1-url": " https://port.example/ferries ", "1-publisher": "Port Authority"}),
            **_rows(**{"2-url": "", "2-title": ""}),  # the empty row adds nothing
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    fresh = FactCheck.objects.get(pk=fact_check.pk)
    assert fresh.evidence == [
        {"url": "https://port.example/ferries", "title": "", "publisher": "Port Authority", "accessed": ""}
    ]
    assert fresh.version == 2


def test_a_row_without_its_url_is_refused_with_the_rows_kept(client, fact_check):
    client.force_login(fact_check.author)
    response = client.post(
        f"/admin/annotations/factcheck/{fact_check.pk}/change/",
        {
            "verdict": "false",
            "rationale": "Records.",
            "expected_version": 1,
            "evidence-TOTAL": "2",
            **_rows(**{"0-url": SOURCE["url"]}),
            **_rows(**{"1-title": "A title and no link"}),
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "item 1 needs a url" in page
    assert 'name="evidence-1-title" value="A title and no link"' in page
    assert FactCheck.objects.get(pk=fact_check.pk).version == 1
