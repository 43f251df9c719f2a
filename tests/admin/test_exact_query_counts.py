# Over 500 lines: one corpus fixture and one table of counts for every admin page, so that a new route
# fails the coverage check here until it is pinned; split by app, the table and the fixture would drift.
"""The exact number of queries of every admin page: each changelist (plain, searched and filtered),
change page and history page, the old versions the history shows, the autocomplete endpoints, the
export page, the annotate and review screens, the dashboard, the work queue and the index, for a
superuser and for a signed-in editor (staff in the Editor group).

Each count is pinned with ``django_assert_num_queries`` over a corpus with more than one row in every
relation, and pinned again (the same number) once every relation has more rows. The counts are the
same on SQLite and PostgreSQL: the admin has no throttle and reads no export.

Every page starts with the session and the user; a non-superuser's first permission check adds the
user's and the groups' permissions (one query, kept on the user for the request). A changelist then
counts its rows (with a search or a filter, also the unfiltered total), reads its page, and asks what
its filters offer.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.auth.models import Group, Permission
from django.test import Client
from django_tasks_db.models import DBTaskResult
from rest_framework.authtoken.models import Token

from annotations import projects, services, work_queue
from annotations.exports.tasks import export_job_task
from annotations.models import Annotation, AnnotationProject, Assignment, Claim, ExportJob, FactCheck, Tag
from corpus import registry
from corpus import services as corpus_services
from corpus.models import (
    Article,
    ArticleRevision,
    Paragraph,
    Quote,
    QuoteCluster,
    Source,
    Speaker,
    SpeakerAlias,
)
from tests.factories import UserFactory
from tests.query_counts import Corpus, grow, named_routes, rows_kept_until_exit
from webhooks import services as webhook_services
from webhooks.models import Delivery, Webhook


def _desk(round_: int, corpus: Corpus) -> None:
    """What only the admin shows, as much again each round: a queue of articles for the editor,
    orphaned annotations, fact-checks waiting for review, tokens, sign-in records, queued tasks, groups."""
    root = UserFactory(username="root", is_staff=True, is_superuser=True)
    desk = UserFactory(username="desk", is_staff=True, groups=["Editor"])
    checker = UserFactory(username="checker")
    type(checker).objects.filter(pk=checker.pk).update(is_staff=True)
    corpus.root, corpus.desk = root, desk
    articles = list(Article.objects.order_by("-id")[:2])
    work_queue.assignments_create(article_ids=[a.pk for a in articles], assignee=desk, user=root)
    for article in articles:
        paragraph = article.paragraphs.order_by("position")[2]
        orphan = services.annotation_create(
            article=article, author=desk, start=paragraph.start, end=paragraph.start + 5, note="gone"
        )
        # As a revision leaves one whose words are gone.
        Annotation.objects.filter(pk=orphan.pk).update(anchor="orphaned", start=None, end=None)
    for quote in Quote.objects.filter(article__in=articles, verified=False).order_by("pk")[:2]:
        corpus_services.quote_correct(quote=quote, expected_version=quote.version, verified=True, user=desk)
    for fact_check in FactCheck.objects.filter(status="draft", author=corpus.editor):
        services.factcheck_submit(
            fact_check=fact_check, expected_version=fact_check.version, user=corpus.editor
        )
    for user in (root, desk) if round_ == 0 else (corpus.editor, checker):
        Token.objects.get_or_create(user=user)
    for n in range(2):
        address = f"203.0.113.{10 * round_ + n}"
        AccessAttempt.objects.create(
            username=f"guess{round_}{n}", ip_address=address, user_agent="curl", failures_since_start=3
        )
        AccessLog.objects.create(username=f"guess{round_}{n}", ip_address=address, user_agent="curl")
        AccessFailureLog.objects.create(
            username=f"guess{round_}{n}", ip_address=address, user_agent="curl", locked_out=False
        )
        group = Group.objects.create(name=f"Desk {round_}.{n}")
        group.permissions.add(*Permission.objects.filter(codename__in=["view_article", "view_quote"]))
    for job in ExportJob.objects.filter(task_id=""):
        export_job_task.enqueue(job_id=job.pk)
    # A project over this round's articles, with an annotator and a curator.
    project = projects.project_save(
        user=root,
        name=f"Project {round_}",
        tag_root=_first(Tag, slug="topic-0"),
        annotators=[desk],
        annotators_per_article=1,
        curators=[root],
    )
    projects.project_articles_add(project=project, article_ids=[a.pk for a in articles], user=root)
    projects.project_assign(project=project, user=root)
    # The annotator's layer on the first: two passages, for the curator to resolve.
    for paragraph in articles[0].paragraphs.order_by("position")[1:3]:
        services.annotation_create(
            article=articles[0],
            author=desk,
            start=paragraph.start,
            end=paragraph.start + 4,
            tags=["topic-0"],
            project=project,
        )
    # The first is closed for curation, so the curator's page opens.
    projects.project_article_close(project=project, article=articles[0], user=root)
    # A webhook and two deliveries in its log.
    webhook, _secret = webhook_services.webhook_create(
        user=root, url=f"https://hooks.example.org/{round_}", events=["article.ingested"]
    )
    for n in range(2):
        Delivery.objects.create(webhook=webhook, event="ping", body=f'{{"n": {n}}}')
    # Two speakers named in this round's articles become aliases of another.
    named = list(
        Speaker.objects.filter(article__isnull=True).exclude(name="Helena Vasquez").order_by("-id")[:2]
    )
    if len(named) == 2:
        registry.speakers_merge(sources=[named[0]], target=named[1], actor=root)


@pytest.fixture(scope="module")
def corpus(django_db_setup, django_db_blocker):
    with rows_kept_until_exit(django_db_blocker):
        corpus = grow(0)
        _desk(0, corpus)
        yield corpus


@pytest.fixture(scope="class")
def grown(corpus, django_db_blocker):
    with rows_kept_until_exit(django_db_blocker):
        grow(1, corpus)
        _desk(1, corpus)
        yield corpus


def _first(model, **filters):
    return model.objects.filter(**filters).order_by("pk").first()


def _history(model, **filters) -> str:
    obj = _first(model, **filters)
    return f"{obj.pk}/history/{obj.history.order_by('history_id').first().history_id}/"


def _pk(obj) -> object:
    return getattr(obj, "pk", obj)


def _range(field: str) -> str:
    # As the date filter's links write it: aware times.
    return f"?{field}__gte=2000-01-01+00%3A00%3A00%2B00%3A00&{field}__lt=2100-01-01+00%3A00%3A00%2B00%3A00"


# (model path, first object, search term, filter)
MODELS: dict[str, tuple[Callable[[Corpus], object], str | None, Callable[[Corpus], str] | None]] = {
    "auth/group": (lambda c: _first(Group), "Desk", None),
    "auth/user": (lambda c: c.desk, "desk", lambda c: "?is_staff__exact=1"),
    "authtoken/tokenproxy": (lambda c: _first(Token).user_id, "desk", lambda c: _range("created")),
    "corpus/source": (lambda c: _first(Source), "Source", None),
    "corpus/articlerevision": (lambda c: _first(ArticleRevision), "harbour", None),
    "corpus/speaker": (
        lambda c: _first(Speaker, name="Helena Vasquez"),
        "Vasquez",
        lambda c: "?kind__exact=person",
    ),
    "corpus/speakeralias": (lambda c: _first(SpeakerAlias), "a", None),
    "corpus/quotecluster": (lambda c: _first(QuoteCluster), None, lambda c: "?speakers_disagree__exact=0"),
    "annotations/tag": (
        lambda c: _first(Tag, slug="claim-0"),
        "claim",
        lambda c: f"?parent__id__exact={_first(Tag, slug='topic-0').pk}",
    ),
    "annotations/annotation": (
        lambda c: _first(Annotation, article=c.article),
        "harbour",
        lambda c: "?status__exact=published",
    ),
    "annotations/orphanedannotation": (
        lambda c: _first(Annotation, anchor="orphaned"),
        "gone",
        lambda c: "?status__exact=published",
    ),
    "annotations/claim": (lambda c: _first(Claim, article=c.article), "harbour", None),
    "annotations/factcheck": (
        lambda c: _first(FactCheck, claim__article=c.article),
        "harbour",
        lambda c: "?status__exact=published",
    ),
    "annotations/factcheckinreview": (
        lambda c: _first(FactCheck, status="in_review"),
        "harbour",
        lambda c: "?verdict__exact=false",
    ),
    "corpus/article": (lambda c: c.article, "harbour", lambda c: "?language__exact=en"),
    "corpus/quote": (lambda c: _first(Quote, verified=True), "winter", lambda c: "?kind__exact=direct"),
    "corpus/paragraph": (
        lambda c: _first(Paragraph, article=c.article),
        "harbour",
        lambda c: "?role__exact=body",
    ),
    "annotations/assignment": (lambda c: _first(Assignment), "desk", lambda c: "?state__exact=todo"),
    "django_tasks_database/dbtaskresult": (
        lambda c: _first(DBTaskResult),
        None,
        lambda c: "?queue_name__exact=default",
    ),
    "annotations/annotationproject": (lambda c: _first(AnnotationProject), "Project", None),
    "webhooks/webhook": (lambda c: _first(Webhook), "hooks", lambda c: "?is_active__exact=1"),
    "webhooks/delivery": (lambda c: _first(Delivery), None, lambda c: "?status__exact=pending"),
    "axes/accessattempt": (lambda c: _first(AccessAttempt), "guess", lambda c: _range("attempt_time")),
    "axes/accesslog": (lambda c: _first(AccessLog), "guess", lambda c: _range("attempt_time")),
    "axes/accessfailurelog": (lambda c: _first(AccessFailureLog), "guess", lambda c: "?locked_out__exact=0"),
}
HISTORIES = {
    "annotations/annotation": lambda c: _history(Annotation, article=c.article),
    "annotations/orphanedannotation": lambda c: _history(Annotation, anchor="orphaned"),
    "annotations/claim": lambda c: _history(Claim, article=c.article),
    "annotations/factcheck": lambda c: _history(FactCheck, claim__article=c.article),
    "annotations/factcheckinreview": lambda c: _history(FactCheck, status="in_review"),
    "corpus/quote": lambda c: _history(Quote, verified=True),
}


def _pages() -> dict[str, Callable[[Corpus], str]]:
    pages: dict[str, Callable[[Corpus], str]] = {}
    for path, (first, term, filtered) in MODELS.items():
        base = f"/admin/{path}/"
        name = path.replace("/", "_")
        pages[f"{name}_changelist"] = lambda c, base=base: base
        if term:
            pages[f"{name}_changelist searched"] = lambda c, base=base, term=term: f"{base}?q={term}"
        if filtered:
            pages[f"{name}_changelist filtered"] = lambda c, base=base, filtered=filtered: base + filtered(c)
        pages[f"{name}_change"] = lambda c, base=base, first=first: f"{base}{_pk(first(c))}/change/"
        pages[f"{name}_history"] = lambda c, base=base, first=first: f"{base}{_pk(first(c))}/history/"
        if path in HISTORIES:
            pages[f"{name}_simple_history"] = lambda c, base=base, path=path: base + HISTORIES[path](c)
    return pages


PAGES = _pages()


def _review(c: Corpus) -> str:
    return f"/admin/annotations/factcheckinreview/{_first(FactCheck, status='in_review').pk}/review/"


def _autocomplete(app: str, model: str, field: str, term: str) -> Callable[[Corpus], str]:
    return lambda c: f"/admin/autocomplete/?app_label={app}&model_name={model}&field_name={field}&term={term}"


PAGES.update(
    {
        "index": lambda c: "/admin/",
        "app_list corpus": lambda c: "/admin/corpus/",
        "app_list annotations": lambda c: "/admin/annotations/",
        "password_change": lambda c: "/admin/password_change/",
        "corpus_article_export": lambda c: "/admin/corpus/article/export/",
        "corpus_article_annotate": lambda c: f"/admin/corpus/article/{c.article.pk}/annotate/",
        # The curator's annotate screen of an article closed for curation: the layers side by side.
        "corpus_article_annotate curating": lambda c: (
            f"/admin/corpus/article/{_first(AnnotationProject).entries.filter(state='closed').first().article_id}"
            "/annotate/"
        ),
        "annotations_factcheckinreview_review": _review,
        "corpus_article_annotate_claims": lambda c: f"/admin/corpus/article/{c.article.pk}/annotate/claims/",
        "corpus_article_curate": lambda c: (
            f"/admin/corpus/article/{_first(AnnotationProject).entries.filter(state='closed').first().article_id}"
            f"/curate/{_first(AnnotationProject).pk}/"
        ),
        "admin-dashboard": lambda c: "/admin/dashboard/",
        "work queue": lambda c: "/admin/annotations/assignment/?mine=1",
        "autocomplete tags": _autocomplete("annotations", "annotation", "tags", "cl"),
        "autocomplete tag parent": _autocomplete("annotations", "tag", "parent", "to"),
        "autocomplete claimant": _autocomplete("annotations", "claim", "claimant", "a"),
        "autocomplete alias speaker": _autocomplete("corpus", "speakeralias", "speaker", "a"),
        "autocomplete quote speaker": _autocomplete("corpus", "quote", "speaker", "a"),
        "autocomplete quote via": _autocomplete("corpus", "quote", "via", "a"),
    }
)
# The queues over proxy models send their history pages to the record's own.
REDIRECTS = {
    "annotations_orphanedannotation_history",
    "annotations_orphanedannotation_simple_history",
    "annotations_factcheckinreview_history",
    "annotations_factcheckinreview_simple_history",
}

# name: (superuser, editor); None where the editor may not open the page. What every page costs: the
# session and the user, and for the editor the permissions; a changelist's count and page (a searched or
# filtered one also counts all rows, for "n of m"), and what its filters offer.
COUNTS: dict[str, tuple[int, int | None]] = {
    "admin-dashboard": (14, 16),
    "annotations_annotation_change": (7, 8),
    "annotations_annotation_changelist": (7, 9),
    "annotations_annotation_changelist filtered": (7, 9),
    "annotations_annotation_changelist searched": (7, 9),
    "annotations_annotation_history": (6, 8),
    "annotations_annotation_simple_history": (9, 11),
    "annotations_assignment_change": (3, 5),
    "annotations_assignment_changelist": (6, 8),
    "annotations_assignment_changelist filtered": (6, 8),
    "annotations_assignment_changelist searched": (6, 8),
    "annotations_assignment_history": (4, 6),
    "annotations_claim_change": (11, 13),
    "annotations_claim_changelist": (5, 7),
    "annotations_claim_changelist searched": (5, 7),
    "annotations_claim_history": (5, 7),
    "annotations_claim_simple_history": (7, 9),
    "annotations_factcheck_change": (6, 9),
    "annotations_factcheck_changelist": (5, 7),
    "annotations_factcheck_changelist filtered": (5, 7),
    "annotations_factcheck_changelist searched": (5, 7),
    "annotations_factcheck_history": (9, 11),
    "annotations_factcheck_simple_history": (5, 8),
    "annotations_factcheckinreview_change": (5, 8),
    "annotations_factcheckinreview_changelist": (5, 7),
    "annotations_factcheckinreview_changelist filtered": (5, 7),
    "annotations_factcheckinreview_changelist searched": (5, 7),
    "annotations_factcheckinreview_history": (2, 2),  # session, user: the redirect
    "annotations_factcheckinreview_simple_history": (2, 2),  # session, user: the redirect
    "annotations_orphanedannotation_change": (6, 8),
    "annotations_orphanedannotation_changelist": (6, 8),
    "annotations_orphanedannotation_changelist filtered": (5, 7),
    "annotations_orphanedannotation_changelist searched": (6, 8),
    "annotations_orphanedannotation_history": (2, 2),  # session, user: the redirect
    "annotations_orphanedannotation_simple_history": (2, 2),  # session, user: the redirect
    "annotations_tag_change": (5, 7),
    "annotations_tag_changelist": (6, 8),
    "annotations_tag_changelist filtered": (6, 8),
    "annotations_tag_changelist searched": (6, 8),
    "annotations_tag_history": (4, 6),
    "app_list annotations": (5, 7),
    "app_list corpus": (5, 7),
    "auth_group_change": (5, None),
    "auth_group_changelist": (5, None),
    "auth_group_changelist searched": (5, None),
    "auth_group_history": (4, None),
    "auth_user_change": (7, None),
    "auth_user_changelist": (6, None),
    "auth_user_changelist filtered": (6, None),
    "auth_user_changelist searched": (6, None),
    "auth_user_history": (4, None),
    "authtoken_tokenproxy_change": (5, None),
    "authtoken_tokenproxy_changelist": (5, None),
    "authtoken_tokenproxy_changelist filtered": (5, None),
    "authtoken_tokenproxy_changelist searched": (5, None),
    "authtoken_tokenproxy_history": (5, None),
    "autocomplete alias speaker": (4, 6),
    "autocomplete claimant": (4, 6),
    "autocomplete quote speaker": (4, 6),
    "autocomplete quote via": (4, 6),
    "autocomplete tag parent": (4, 6),
    "autocomplete tags": (4, 6),
    "axes_accessattempt_change": (4, None),
    "axes_accessattempt_changelist": (8, None),
    "axes_accessattempt_changelist filtered": (8, None),
    "axes_accessattempt_changelist searched": (8, None),
    "axes_accessattempt_history": (4, None),
    "axes_accessfailurelog_change": (3, None),
    "axes_accessfailurelog_changelist": (8, None),
    "axes_accessfailurelog_changelist filtered": (8, None),
    "axes_accessfailurelog_changelist searched": (8, None),
    "axes_accessfailurelog_history": (4, None),
    "axes_accesslog_change": (3, None),
    "axes_accesslog_changelist": (8, None),
    "axes_accesslog_changelist filtered": (8, None),
    "axes_accesslog_changelist searched": (8, None),
    "axes_accesslog_history": (4, None),
    "corpus_article_annotate": (15, 18),
    "corpus_article_annotate curating": (20, 18),  # the editor is the annotator, no curator
    "corpus_article_change": (7, 8),
    "corpus_article_changelist": (9, 11),
    "corpus_article_changelist filtered": (9, 11),
    "corpus_article_changelist searched": (9, 11),
    "corpus_article_export": (4, 6),
    "corpus_article_history": (4, 6),
    "corpus_articlerevision_change": (5, 7),
    "corpus_articlerevision_changelist": (5, 7),
    "corpus_articlerevision_changelist searched": (5, 7),
    "corpus_articlerevision_history": (4, 6),
    "corpus_paragraph_change": (4, 6),
    "corpus_paragraph_changelist": (6, 8),
    "corpus_paragraph_changelist filtered": (6, 8),
    "corpus_paragraph_changelist searched": (6, 8),
    "corpus_paragraph_history": (4, 6),
    "corpus_quote_change": (6, 8),
    "corpus_quote_changelist": (5, 7),
    "corpus_quote_changelist filtered": (5, 7),
    "corpus_quote_changelist searched": (5, 7),
    "corpus_quote_history": (5, 7),
    "corpus_quote_simple_history": (7, 9),
    "corpus_quotecluster_change": (5, 7),
    "corpus_quotecluster_changelist": (5, 7),
    "corpus_quotecluster_changelist filtered": (5, 7),
    "corpus_quotecluster_history": (4, 6),
    "corpus_source_change": (3, 5),
    "corpus_source_changelist": (5, 7),
    "corpus_source_changelist searched": (5, 7),
    "corpus_source_history": (4, 6),
    "corpus_speaker_change": (4, 6),
    "corpus_speaker_changelist": (5, 7),
    "corpus_speaker_changelist filtered": (5, 7),
    "corpus_speaker_changelist searched": (5, 7),
    "corpus_speaker_history": (4, 6),
    "corpus_speakeralias_change": (4, 6),
    "corpus_speakeralias_changelist": (5, 7),
    "corpus_speakeralias_changelist searched": (5, 7),
    "corpus_speakeralias_history": (4, 6),
    "django_tasks_database_dbtaskresult_change": (3, None),
    "django_tasks_database_dbtaskresult_changelist": (7, None),
    "django_tasks_database_dbtaskresult_changelist filtered": (7, None),
    "django_tasks_database_dbtaskresult_history": (4, None),
    "index": (6, 8),
    "password_change": (2, 4),
    "annotations_factcheckinreview_review": (6, 8),  # the non-superuser is a fact-checker here
    "work queue": (6, 8),
    "annotations_annotationproject_changelist": (5, 7),
    "annotations_annotationproject_changelist searched": (5, 7),
    "annotations_annotationproject_change": (20, 16),
    "annotations_annotationproject_history": (4, 6),
    "webhooks_webhook_changelist": (5, None),
    "webhooks_webhook_changelist searched": (5, None),
    "webhooks_webhook_changelist filtered": (5, None),
    "webhooks_webhook_change": (4, None),
    "webhooks_webhook_history": (4, None),
    "webhooks_delivery_changelist": (7, None),
    "webhooks_delivery_changelist filtered": (7, None),
    "webhooks_delivery_change": (3, None),
    "webhooks_delivery_history": (4, None),
    "corpus_article_annotate_claims": (5, 7),
    "corpus_article_curate": (10, None),
}
# Only fact-checkers review: on the review screen the non-superuser is one.
FACT_CHECKER_PAGES = {"annotations_factcheckinreview_review"}

# Admin routes with no page counted here: the add pages and delete confirmations (counted in
# test_exact_query_counts_add_delete.py), the sign-in and -out, the script catalogue, the redirects
# of "view on site", the annotate screen's POST-only step, the catch-all.
NOT_PAGES_SUFFIXES = ("_add", "_delete", "_password_change")
NOT_PAGES = {
    "login",
    "logout",
    "password_change_done",
    "jsi18n",
    "view_on_site",
    "autocomplete",
    "app_list",
    "corpus_article_annotate_step",
    "webhooks_webhook_test",  # the change form's POST-only "Send a test event"
}


def test_every_admin_page_has_its_count():
    pages = {
        name
        for route, name in named_routes()
        if route.startswith("admin/") and name not in NOT_PAGES and not name.endswith(NOT_PAGES_SUFFIXES)
    }
    counted = {name.split()[0] for name in COUNTS}
    assert pages - {"admin-dashboard", "index"} <= counted, sorted(pages - counted)
    assert set(COUNTS) == set(PAGES)


CASES = [
    (name, role)
    for name, counts in COUNTS.items()
    for role, count in zip(("superuser", "editor"), counts, strict=True)
    if count is not None
]


def _pin(name: str, role: str, corpus: Corpus, django_assert_num_queries) -> None:
    superuser, editor = COUNTS[name]
    if role == "superuser":
        user, count = corpus.root, superuser
    else:
        user = (
            type(corpus.root).objects.get(username="checker") if name in FACT_CHECKER_PAGES else corpus.desk
        )
        count = editor
    client = Client()
    client.force_login(user)
    url = PAGES[name](corpus)
    status = 302 if name in REDIRECTS else 200
    assert client.get(url).status_code == status, url  # per-process caches (content types) warm
    with django_assert_num_queries(count):
        response = client.get(url)
    assert response.status_code == status


@pytest.mark.django_db
class TestExactCounts:
    @pytest.mark.parametrize(("name", "role"), CASES)
    def test_count(self, name, role, corpus, django_assert_num_queries):
        _pin(name, role, corpus, django_assert_num_queries)


@pytest.mark.django_db
class TestTheSameCountsWithMoreRows:
    @pytest.mark.parametrize(("name", "role"), CASES)
    def test_count(self, name, role, grown, django_assert_num_queries):
        _pin(name, role, grown, django_assert_num_queries)


@pytest.mark.django_db
def test_the_tag_autocomplete_pages_through_tags_in_slug_order(client, corpus):
    client.force_login(corpus.root)
    response = client.get(_autocomplete("annotations", "annotation", "tags", "")(corpus))
    slugs = [item["text"] for item in response.json()["results"]]
    assert slugs == sorted(slugs) and len(slugs) >= 3
