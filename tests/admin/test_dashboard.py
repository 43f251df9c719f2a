"""The dashboard's numbers against the database, counted again here in Python, with and without the
filter; each chart's table shows its numbers; the page runs a fixed number of queries."""

from __future__ import annotations

import re
from collections import Counter
from datetime import timedelta

import pytest
from django.utils import timezone

from annotations import services
from annotations.models import Annotation, FactCheck
from corpus.models import Article, Quote
from corpus.services import quote_correct
from tests.factories import ArticleFactory, TagFactory, UserFactory

pytestmark = pytest.mark.django_db

BODY = (
    "Harbour works begin {n}\n"
    '"We cannot wait another winter," said council chair Helena Vasquez.\n'
    '"The plan is rushed," said opposition leader Marco Diaz.\n'
    "Diaz said the council had not consulted the fishermen.\n"
)


@pytest.fixture
def desk():
    editor = UserFactory(username="editor", is_staff=True, groups=["Editor"])
    checker = UserFactory(username="checker", is_staff=True, groups=["Fact-checker"])
    claim_tag = TagFactory(slug="claim")
    framing = TagFactory(slug="framing")
    harbour = [ArticleFactory(body=BODY.format(n=n), source="Harbour Times") for n in range(3)]
    other = [ArticleFactory(body=BODY.format(n=10 + n), source="Other Post") for n in range(2)]
    quotes = list(Quote.objects.filter(article__in=harbour).order_by("id"))
    quote_correct(quote=quotes[0], expected_version=quotes[0].version, user=editor, verified=True)
    quote_correct(quote=quotes[1], expected_version=quotes[1].version, user=editor, kind="partial")
    removed = quotes[2]
    removed._history_user = editor
    removed.delete()
    for article in (*harbour, *other[:1]):
        start = article.text.index("council")
        services.annotation_create(
            article=article, author=editor, start=start, end=start + 7, tags=[claim_tag.slug, framing.slug]
        )
    services.annotation_create(
        article=harbour[0], author=checker, target="article", note="check all", status="published"
    )
    for article, verdict in ((harbour[0], "false"), (harbour[1], "mixed"), (other[0], "false")):
        claim = services.claim_create(article=article, text="The plan is rushed.", created_by=editor)
        services.factcheck_create(claim=claim, author=editor, verdict=verdict, rationale="r")
    waiting = FactCheck.objects.get(claim__article=harbour[1])
    services.factcheck_submit(fact_check=waiting, expected_version=waiting.version, user=editor)
    FactCheck.objects.filter(pk=waiting.pk).update(updated_at=timezone.now() - timedelta(days=2))
    return {"editor": editor, "checker": checker, "harbour": harbour, "other": other}


def _charts(client, **params):
    response = client.get("/admin/dashboard/", params)
    assert response.status_code == 200
    return {chart.slug: chart for chart in response.context["charts"]}, response.content.decode()


def _expected(articles):
    ids = {a.pk for a in articles}
    quotes = Quote.objects.filter(article_id__in=ids).select_related("speaker")
    speakers = Counter(q.speaker.name for q in quotes if q.speaker_id)
    tags: dict[str, Counter] = {}
    for annotation in Annotation.objects.filter(article_id__in=ids).prefetch_related("tags"):
        for slug in [t.slug for t in annotation.tags.all()] or ["(no tag: a note only)"]:
            tags.setdefault(slug, Counter())[annotation.status] += 1
    verdicts = Counter(fc.verdict for fc in FactCheck.objects.filter(claim__article_id__in=ids))
    quality: dict[str, list[int]] = {}
    for quote in quotes.filter(origin="machine"):
        row = quality.setdefault(quote.rule, [0, 0, 0, 0])
        if quote.corrected_by_id:
            row[1] += 1
        elif quote.verified:
            row[0] += 1
        else:
            row[3] += 1
    for record in Quote.history.filter(history_type="-", article_id__in=ids, history_user__isnull=False):
        quality.setdefault(record.rule, [0, 0, 0, 0])[2] += 1
    return speakers, tags, verdicts, quality


@pytest.fixture
def staff_client(client, desk):
    client.force_login(desk["editor"])
    return client


def test_dashboard_numbers_match_the_database(staff_client, desk):
    charts, page = _charts(staff_client)
    articles = list(Article.objects.all())
    speakers, tags, verdicts, quality = _expected(articles)

    by_source = Counter()
    for _, values in charts["articles"].rows:
        for source, value in zip(charts["articles"].series, values, strict=True):
            by_source[source] += value
    assert by_source == Counter({"Harbour Times": 3, "Other Post": 2})
    assert dict((label, values[0]) for label, values in charts["speakers"].rows) == dict(speakers)
    statuses = charts["tags"].series
    assert {
        label: Counter(dict(zip(statuses, values, strict=True))) - Counter()
        for label, values in charts["tags"].rows
    } == tags
    assert {label: sum(values) for label, values in charts["verdicts"].rows} == dict(verdicts)
    assert dict(charts["queue"].rows)["1–3 days"] == [1] and sum(sum(v) for _, v in charts["queue"].rows) == 1
    assert dict(charts["throughput"].rows) == {"editor": [4, 1, 3, 0], "checker": [1, 0, 0, 0]}
    assert dict(charts["quality"].rows) == quality
    assert sum(values[2] for values in quality.values()) == 1  # the quote the editor deleted
    # every chart is drawn as SVG beside a table of the same numbers
    assert page.count('<svg xmlns="http://www.w3.org/2000/svg" class="chart"') == len(charts)
    # Nothing loaded from elsewhere: no script, stylesheet or image from another host. (Not a search
    # for "cdn" in the page: the form's random CSRF token may hold those letters.)
    assert not re.search(r"<(?:script|link|img)\b[^>]*\b(?:src|href)=[\"'](?:https?:)?//", page, re.I)
    helena = speakers["Helena Vasquez"]
    assert helena >= 4
    assert (
        f'<tr data-label="Helena Vasquez"><th scope="row">Helena Vasquez</th><td>{helena}</td></tr>' in page
    )


def test_dashboard_filter_by_source_and_date(staff_client, desk):
    source = desk["harbour"][0].source
    charts, _ = _charts(staff_client, source=source.pk)
    speakers, _, verdicts, quality = _expected(desk["harbour"])
    assert sum(sum(values) for _, values in charts["articles"].rows) == 3
    assert dict((label, values[0]) for label, values in charts["speakers"].rows) == dict(speakers)
    assert {label: sum(values) for label, values in charts["verdicts"].rows} == dict(verdicts)
    assert dict(charts["quality"].rows) == quality
    assert dict(charts["throughput"].rows)["editor"] == [3, 1, 2, 0]

    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    charts, _ = _charts(staff_client, ingested_from=tomorrow)
    assert all(not chart.rows or chart.slug == "queue" for chart in charts.values())
    today = timezone.localdate().isoformat()
    charts, _ = _charts(staff_client, ingested_from=today, ingested_to=today)
    assert charts["articles"].rows == [(today, [3, 2])]  # by day for a short range

    response = staff_client.get("/admin/dashboard/", {"ingested_from": tomorrow, "ingested_to": today})
    assert "The first day comes after the last." in response.content.decode()


@pytest.mark.parametrize(
    ("params", "queries"),
    [
        # session, user, two of permissions, the sources for the filter's choices, then one query per
        # chart (the editors' work four, the machine's quotes two); a chosen source is read once more
        ({}, 5 + 5 + 4 + 2),
        ({"source": "SOURCE"}, 6 + 5 + 4 + 2),
    ],
)
def test_dashboard_query_count(staff_client, desk, django_assert_num_queries, params, queries):
    if params.get("source"):
        params = {"source": desk["harbour"][0].source_id}
    staff_client.get("/admin/dashboard/", params)
    with django_assert_num_queries(queries):
        staff_client.get("/admin/dashboard/", params)
    ArticleFactory(body=BODY.format(n=99), source="Third Source")
    with django_assert_num_queries(queries):
        staff_client.get("/admin/dashboard/", params)


def test_readers_without_the_article_permission_are_refused(client):
    client.force_login(UserFactory(username="plain", is_staff=True))
    assert client.get("/admin/dashboard/").status_code == 403
