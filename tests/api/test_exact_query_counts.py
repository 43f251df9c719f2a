"""The exact number of queries of every read outside the admin (the API, its exports, the public
fact-check page, the front page and the health check), for an anonymous reader, a signed-in editor and a
signed-in viewer (the Viewer role: reads everything, drafts included, and writes nothing).

Each count is pinned with ``django_assert_num_queries`` on a corpus with more than one row in every
relation, and pinned again (the same number) once every relation has as many rows again: more
articles, and more paragraphs, quotes, revisions, annotations, claims and fact-checks on the article
the details show. An N+1 shows as a different number on the grown corpus; one query more on every
request fails every pin.

The numbers are PostgreSQL's. Before its view runs, a request costs:

- the throttles (api/throttling.py): the anonymous are counted by the anon and the user throttle
  both (DRF's rule, so that the stricter rate applies to them), a signed-in user by the user throttle.
  Each is one statement on PostgreSQL and two on SQLite, which sweeps quiet clients in a statement of
  its own (no DELETE in a WITH clause): SQLite counts two more for the anonymous, one more for a user.
- an export, on PostgreSQL: it reads in one transaction, so that every table sees the same snapshot
  (annotations/exports/pipeline.py), and plans for whole results: under the test's transaction that is
  a SAVEPOINT, SET LOCAL cursor_tuple_fraction and a RELEASE, three statements SQLite does not run (it
  streams without a transaction, which there would take the write lock). In a server the transaction
  is a real one: SET TRANSACTION ISOLATION LEVEL and the SET LOCAL, two statements.
- a signed-in user: the session and the user; the first permission asked loads the user's and the
  groups' permissions in one query, kept on the user for the rest of the request.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

import pytest
from django.db import connection
from rest_framework.test import APIClient

from annotations.models import Annotation, ExportJob, FactCheck
from corpus.models import Paragraph, Quote, QuoteCluster, Source, Speaker
from tests.factories import UserFactory
from tests.query_counts import (
    DOWNLOAD,
    Corpus,
    export_jobs,
    grow,
    named_routes,
    rows_kept_until_exit,
    throttle_statements,
)


@pytest.fixture(scope="module")
def corpus(django_db_setup, django_db_blocker):
    with rows_kept_until_exit(django_db_blocker):
        corpus = grow(0)
        corpus.viewer = UserFactory(username="viewer", groups=["Viewer"])
        export_jobs(corpus.viewer)  # the viewer's own, as the editor has theirs
        yield corpus


@pytest.fixture(autouse=True)
def _export_folder(settings, tmp_path):
    """The finished job's file, where downloads look for it."""
    settings.EXPORTS_DIR = str(tmp_path)
    (tmp_path / DOWNLOAD).parent.mkdir()
    (tmp_path / DOWNLOAD).write_bytes(b"PK\x05\x06" + bytes(18))


@pytest.fixture(scope="class")
def grown(corpus, django_db_blocker):
    with rows_kept_until_exit(django_db_blocker):
        grow(1, corpus)
        export_jobs(corpus.viewer)
        yield corpus


def _one(model, **filters):
    return model.objects.filter(**filters).order_by("pk").first()


def _cluster(c: Corpus) -> QuoteCluster:
    return _one(QuoteCluster, quotes__article=c.article)


class Read(NamedTuple):
    path: Callable[[Corpus], str]
    anonymous: int | None  # None: not for anonymous readers (401)
    editor: int
    throttled: bool = True  # the public page is no API request: no throttle
    snapshot: bool = False  # an export, read on PostgreSQL in one transaction


def _project(c: Corpus):
    from annotations.models import AnnotationProject, Tag

    found = _one(AnnotationProject)
    return found or AnnotationProject.objects.create(name="a project", tag_root=_one(Tag))


def _published(c: Corpus) -> FactCheck:
    return _one(FactCheck, claim__article=c.article, status="published")


def _annotation(c: Corpus) -> Annotation:
    return _one(Annotation, article=c.article, status="published")


def _job(c: Corpus) -> ExportJob:
    """The first of the reader's own export jobs."""
    return _one(ExportJob, requested_by=c.reader)


def _done_job(c: Corpus) -> ExportJob:
    return ExportJob.objects.filter(status="done", requested_by=c.reader).order_by("pk").last()


def _helena(c: Corpus) -> Speaker:
    return _one(Speaker, name="Helena Vasquez")


# The view's own queries are named beside each; the editor adds the session and the user (and, where a
# permission is asked, the permissions: "perms"), the anonymous reader a second throttle.
READS: dict[str, Read] = {
    # nothing but the throttles (and the editor's session and user)
    "root": Read(lambda c: "/api/", 2, 3),
    # perms (the annotations the reader may count); count, page with its counts
    "article-list": Read(lambda c: "/api/articles/", 4, 6),
    # ... and one query per nested list: paragraphs, quotes, annotations, their tags, claims
    "article-list expanded": Read(
        lambda c: "/api/articles/?expand=paragraphs,quotes,annotations,claims", 9, 11
    ),
    "article-list annotations": Read(lambda c: "/api/articles/?expand=annotations", 6, 8),  # + tags
    "article-list searched": Read(lambda c: "/api/articles/?q=harbour&expand=quotes", 5, 7),
    "article-list searched alone": Read(
        lambda c: "/api/articles/?q=harbour", 4, 6
    ),  # the search in the count
    # ... the tag asked for, the tag tree (for its descendants)
    "article-list filtered": Read(lambda c: "/api/articles/?tag=claim-0&verdict=false&role=body", 6, 8),
    "article-list cursor": Read(lambda c: "/api/articles/?cursor=", 3, 5),  # a cursor page has no count
    # perms; the article, paragraphs, quotes, annotations, their tags, claims
    "article-detail": Read(lambda c: f"/api/articles/{c.article.pk}/", 8, 10),
    "article-detail quotes": Read(lambda c: f"/api/articles/{c.article.pk}/?expand=quotes", 4, 6),
    # the article's text, its body paragraphs, the dismissed sentences, the claims the reader sees (for an
    # editor, whether they see drafts: their permissions)
    "article-check-worthy": Read(lambda c: f"/api/articles/{c.article.pk}/check-worthy/", 6, 8),
    # the article, its revisions
    "article-revisions": Read(lambda c: f"/api/articles/{c.article.pk}/revisions/", 4, 5),
    # the revision, the text of the one that replaced it (for the diff)
    "article-revision": Read(lambda c: f"/api/articles/{c.article.pk}/revisions/1/", 4, 5),
    "paragraph-list": Read(lambda c: "/api/paragraphs/", 4, 5),  # count, page
    "paragraph-list filtered": Read(lambda c: f"/api/paragraphs/?article={c.article.pk}&role=body", 4, 5),
    "paragraph-detail": Read(lambda c: f"/api/paragraphs/{_one(Paragraph, article=c.article).pk}/", 3, 4),
    "quote-list": Read(lambda c: "/api/quotes/", 4, 5),  # count, page with speakers
    "quote-list filtered": Read(lambda c: "/api/quotes/?kind=direct&cursor=", 3, 4),
    "quote-detail": Read(lambda c: f"/api/quotes/{_one(Quote, article=c.article).pk}/", 3, 4),
    # the quote's cluster id, the cluster with its first quote, the members, the speakers of all members
    "quote-cluster": Read(
        lambda c: f"/api/quotes/{_one(Quote, article=c.article, cluster__isnull=False).pk}/cluster/", 6, 7
    ),
    # count, page with quote counts, aliases
    "speaker-list": Read(lambda c: "/api/speakers/", 5, 6),
    "speaker-list filtered": Read(lambda c: "/api/speakers/?name=vasquez&kind=person", 5, 6),
    "speaker-detail": Read(lambda c: f"/api/speakers/{_helena(c).pk}/", 4, 5),
    # the speaker, count, page of quotes with their articles and paragraphs
    "speaker-quotes": Read(lambda c: f"/api/speakers/{_helena(c).pk}/quotes/", 5, 6),
    "source-list": Read(lambda c: "/api/sources/", 4, 5),
    "source-detail": Read(lambda c: f"/api/sources/{_one(Source).pk}/", 3, 4),
    "quote-cluster-list": Read(lambda c: "/api/quote-clusters/", 4, 5),  # count, page with first quotes
    # + members, the speakers of all members
    "quote-cluster-detail": Read(lambda c: f"/api/quote-clusters/{_cluster(c).pk}/", 5, 6),
    "tag-list": Read(lambda c: "/api/tags/", 4, 5),  # count, page with parents
    "tag-detail": Read(lambda c: "/api/tags/claim-0/", 3, 4),
    # perms (drafts); count, page, tags
    "annotation-list": Read(lambda c: "/api/annotations/", 5, 7),
    "annotation-list searched": Read(lambda c: "/api/annotations/?q=budget", 5, 7),
    "annotation-list filtered": Read(lambda c: "/api/annotations/?tag=claim-0&status=published", 7, 9),
    "annotation-detail": Read(lambda c: f"/api/annotations/{_annotation(c).pk}/", 4, 6),
    # perms (drafts); count, page with fact-checks, claimants and articles
    "claim-list": Read(lambda c: "/api/claims/", 4, 6),
    "claim-list filtered": Read(lambda c: "/api/claims/?verdict=false", 4, 6),
    "claim-detail": Read(lambda c: f"/api/claims/{_published(c).claim_id}/", 3, 5),
    "factcheck-list": Read(lambda c: "/api/fact-checks/", 4, 6),
    "factcheck-list filtered": Read(lambda c: "/api/fact-checks/?status=published", 4, 6),
    "factcheck-detail": Read(lambda c: f"/api/fact-checks/{_published(c).pk}/", 3, 5),
    # perms; the container's total and ETag, the first page, its tags, its claims
    "w3c-annotation-list": Read(lambda c: "/api/w3c/annotations/", 6, 8),
    "w3c-annotation-list page": Read(lambda c: "/api/w3c/annotations/?page=0", 6, 8),
    "w3c-annotation-detail": Read(lambda c: f"/api/w3c/annotations/{_annotation(c).pk}/", 5, 7),
    # the signed-in user's jobs: count, page
    "exportjob-list": Read(lambda c: "/api/exports/jobs/", None, 5),
    "exportjob-detail": Read(lambda c: f"/api/exports/jobs/{_job(c).pk}/", None, 4),
    # the job; the file is read from disk
    "exportjob-download": Read(lambda c: f"/api/exports/jobs/{_done_job(c).pk}/download/", None, 4),
    # The exports count their snapshot's three statements (see above), the manifest's annotation
    # projects (none here: one query), then: articles, paragraphs,
    # quotes, annotations, claims, check-worthy dismissals: one query each per chunk of articles (one
    # chunk at this size; a larger corpus takes a query more per chunk, never per row); the speakers
    # local to the articles, and the shared speakers the chunk's quotes name (dataset.SpeakerNames:
    # a query for a chunk that names some not read before)
    "export-stream jsonl": Read(lambda c: "/api/exports/jsonl/", 14, 15, snapshot=True),
    # a file per table: articles, paragraphs and the articles' texts to cut them from, quotes and the
    # texts again, annotations, their tags, claims, fact-checks, evidence, speakers, aliases, tags,
    # check-worthy dismissals
    "export-stream csv": Read(lambda c: "/api/exports/csv/", 20, 21, snapshot=True),
    "export-stream parquet": Read(lambda c: "/api/exports/parquet/", 20, 21, snapshot=True),
    # the annotations' and quotes' totals, annotations, their claims, quotes
    "export-stream w3c": Read(lambda c: "/api/exports/w3c/", 11, 12, snapshot=True),
    # the published fact-checks with their claims, the quotes the claims were found in
    "export-stream claimreview": Read(lambda c: "/api/exports/claimreview/", 8, 9, snapshot=True),
    "export-stream with drafts": Read(
        lambda c: "/api/exports/jsonl/?include_drafts=1", None, 16, snapshot=True
    ),  # + perms
    # the page's count, projects, their articles, annotators, curators, the vocabulary
    "project-list": Read(lambda c: (_project(c), "/api/projects/")[1], 8, 9),
    "project-detail": Read(lambda c: f"/api/projects/{_project(c).pk}/", 7, 8),
    # the project, its closed articles and what is read of them, the project's tags
    "project-agreement": Read(lambda c: f"/api/projects/{_project(c).pk}/agreement/", 7, 8),
    # the front page reads nothing; the health check asks each database for SELECT 1
    "home": Read(lambda c: "/", 0, 0, throttled=False),
    "healthz": Read(lambda c: "/healthz", 1, 1, throttled=False),
    # the fact-check with its claim and article, the quotes the claim was found in; the page never asks
    # who is reading, so a session is not even loaded
    "factcheck-public": Read(lambda c: f"/fact-checks/{_published(c).pk}/", 2, 2, throttled=False),
}


# API routes with nothing to read: the writes (POST only), and the schema and its docs page, which are
# built from the code and read no rows.
NOT_READS = {
    "schema",
    "api-docs",
    "speaker-merge",
    "quote-cluster-merge",
    "quote-cluster-split",
    "article-check-worthy-dismiss",
    "factcheck-submit",
    "factcheck-publish",
    "factcheck-send-back",
    "factcheck-withdraw",
}


def test_every_read_outside_the_admin_has_its_count():
    doors = {name for route, name in named_routes() if not route.startswith("admin/")}
    assert doors - NOT_READS == {name.split()[0] for name in READS}


def _count(name: str, role: str) -> int | None:
    """A viewer's read costs what an editor's does: the same session, user and permissions, and the
    same rows (both see drafts); the export jobs they read are their own."""
    read = READS[name]
    return read.anonymous if role == "anonymous" else read.editor


CASES = [
    (name, role)
    for name in READS
    for role in ("anonymous", "editor", "viewer")
    if _count(name, role) is not None
]


def _client(role: str, corpus: Corpus) -> APIClient:
    client = APIClient()
    if role != "anonymous":
        client.force_login(corpus.editor if role == "editor" else corpus.viewer)
    return client


def _expected(read: Read, role: str, count: int) -> int:
    """The count on this database: on SQLite the throttles take a statement more each, and an export
    takes three fewer (see above)."""
    if connection.vendor == "postgresql":
        return count
    throttles = (2 if role == "anonymous" else 1) if read.throttled else 0
    return count + throttles * (throttle_statements(connection) - 1) - (3 if read.snapshot else 0)


def _pin(name: str, role: str, corpus: Corpus, django_assert_num_queries) -> None:
    read = READS[name]
    count = _count(name, role)
    client = _client(role, corpus)
    corpus.reader = {"editor": corpus.editor, "viewer": corpus.viewer}.get(role)
    url = read.path(corpus)
    warm = client.get(url)  # per-process caches (content types) warm, as in a server
    assert warm.status_code == 200, warm.content[:300] if not warm.streaming else url
    if warm.streaming:
        b"".join(warm.streaming_content)
    with django_assert_num_queries(_expected(read, role, count)):
        response = client.get(url)
        if response.streaming:  # an export is written as it is read: its queries run now
            b"".join(response.streaming_content)
    assert response.status_code == 200, response.content[:300]


@pytest.mark.django_db
class TestExactCounts:
    @pytest.mark.parametrize(("name", "role"), CASES)
    def test_count(self, name, role, corpus, django_assert_num_queries):
        _pin(name, role, corpus, django_assert_num_queries)


@pytest.mark.django_db
class TestTheSameCountsWithTwiceTheRows:
    @pytest.mark.parametrize(("name", "role"), CASES)
    def test_count(self, name, role, grown, django_assert_num_queries):
        _pin(name, role, grown, django_assert_num_queries)
