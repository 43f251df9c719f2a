"""The admin as an editor meets it: Newsdesk's name and icon, the desk on the index, the article list
with annotation counts and an Annotate link, orphans and revisions readable, filters told apart."""

from __future__ import annotations

import re

import pytest
from django.contrib.staticfiles import finders

from annotations import services
from annotations.models import Annotation
from corpus.ingest.readers import ArticleInput
from corpus.services import article_ingest
from tests.factories import AnnotationFactory, ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db


def _login(client, username: str, group: str):
    user = UserFactory(username=username, is_staff=True, groups=[group])
    client.force_login(user)
    return user


def test_the_admin_is_newsdesk_with_its_own_icon(client):
    _login(client, "editor", "Editor")
    page = client.get("/admin/").content.decode()
    assert "Newsdesk" in page and "Django administration" not in page
    assert 'rel="icon"' in page and "annotations/favicon.svg" in page
    assert finders.find("annotations/favicon.svg")
    assert client.get("/favicon.ico").status_code == 301
    # "View site" leads to the API's documentation, which exists
    assert 'href="/api/docs/"' in page
    assert client.get("/api/docs/").status_code == 200


def test_the_index_shows_the_review_queue_and_my_queue(client, django_assert_num_queries):
    author = UserFactory(username="author", groups=["Fact-checker"])
    article = ArticleFactory()
    for text in ("The pier is old.", "The pier is new."):
        claim = services.claim_create(article=article, text=text, created_by=author)
        fact_check = services.factcheck_create(claim=claim, author=author, verdict="false", rationale="r")
        services.factcheck_submit(fact_check=fact_check, expected_version=1, user=author)
    me = _login(client, "checker", "Fact-checker")
    AnnotationFactory(author=me, article=article, status="draft")
    client.get("/admin/")  # warm the per-process caches
    # session, user, the user's and the groups' permissions, the fact-check aggregate, the annotation
    # aggregate, the assignments' aggregate, the recent actions
    with django_assert_num_queries(8):
        page = client.get("/admin/").content.decode()
    assert "2 waiting" in page and "(2 by others, for you to review)" in page
    assert "1 draft annotation" in page


def test_article_list_counts_annotations_in_one_query_and_links_the_annotate_screen(
    client, django_assert_num_queries
):
    _login(client, "boss", "Editor")
    article = ArticleFactory()
    AnnotationFactory(article=article)
    AnnotationFactory(article=article)
    ArticleFactory()
    client.get("/admin/corpus/article/")
    # session, user, two of permissions, sources, two counts, the rows with theirs, the date range and
    # years, the languages
    with django_assert_num_queries(11):
        response = client.get("/admin/corpus/article/")
    counts = {a.pk: a.annotation_count for a in response.context["cl"].result_list}
    assert counts[article.pk] == 2 and sorted(counts.values()) == [0, 2]
    assert f'href="/admin/corpus/article/{article.pk}/annotate/"' in response.content.decode()


def test_view_on_site_opens_the_annotate_screen(client):
    _login(client, "editor", "Editor")
    article = ArticleFactory()
    page = client.get(f"/admin/corpus/article/{article.pk}/change/").content.decode()
    link = re.search(r'<a href="([^"]+)" class="viewsitelink">', page)
    assert link and link.group(1) == f"/admin/corpus/article/{article.pk}/annotate/"


def test_paragraph_table_shows_each_paragraph_own_words(client):
    _login(client, "editor", "Editor")
    article = ArticleFactory(body="user's avatar\nShort title\nA body paragraph that follows.\n")
    page = client.get(f"/admin/corpus/article/{article.pk}/change/").content.decode()
    cells = [cell.strip() for cell in re.findall(r'<td class="field-excerpt">\s*<p>(.*?)</p>', page, re.S)]
    assert cells == ["user&#x27;s avatar", "Short title", "A body paragraph that follows."]


def test_orphan_queue_names_the_orphan_and_links_its_article(client):
    editor = _login(client, "editor", "Editor")
    orphan = AnnotationFactory(author=editor, note="lost its words")
    Annotation.objects.filter(pk=orphan.pk).update(anchor="orphaned", start=None, end=None)
    page = client.get("/admin/annotations/orphanedannotation/").content.decode()
    assert "None-None" not in page
    assert f"Annotation {orphan.pk} (was on a span)" in page
    assert f'href="/admin/corpus/article/{orphan.article_id}/annotate/"' in page
    assert "None-None" not in client.get("/admin/annotations/annotation/").content.decode()


def test_quote_filters_have_distinct_titles(client):
    _login(client, "editor", "Editor")
    page = client.get("/admin/corpus/quote/").content.decode()
    assert page.count("By kind") == 1 and "By speaker kind" in page


def test_editors_read_revisions_with_a_wrapping_diff(client):
    def ingest(body: str):
        record = ArticleInput(raw=body.encode(), body=body, url="https://example.org/r", origin="t")
        return article_ingest(record=record).article

    ingest("Headline\nThe vote was seven to four.\nUnchanged paragraph.")
    article = ingest("Headline\nThe vote was eight to three.\nUnchanged paragraph.")
    revision = article.revisions.get()
    _login(client, "editor", "Editor")
    response = client.get(f"/admin/corpus/articlerevision/{revision.pk}/change/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "-The vote was seven to four." in page and "white-space: pre-wrap" in page
    assert client.get("/admin/corpus/articlerevision/").status_code == 200
