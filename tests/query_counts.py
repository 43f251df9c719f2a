"""The rows of the exact query-count tests, built once per module (and grown once per class), each
test running in a savepoint over them, as Django's ``setUpTestData`` does.

The rows are rolled back when the module (or the class) is done, so nothing is left for other tests.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver

from annotations import services
from annotations.exports.selection import ExportOptions
from annotations.exports.services import export_job_create
from annotations.models import ExportJob
from corpus.models import Article, Speaker
from tests.factories import ArticleFactory, TagFactory, UserFactory


@contextmanager
def rows_kept_until_exit(django_db_blocker) -> Iterator[None]:
    """Whatever is written inside stays for the tests that run meanwhile, and is rolled back after."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield
        transaction.set_rollback(True)


def named_routes(patterns=None, prefix: str = "") -> Iterator[tuple[str, str]]:
    """Every named route of the URLconf as (its path pattern, its name): what the exact-count
    tests check they cover."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            yield from named_routes(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield prefix + str(pattern.pattern), pattern.name


def throttle_statements(connection) -> int:
    """The statements of one request's throttle: on PostgreSQL the sweep of quiet clients is a CTE of
    the upsert, one statement; SQLite has no DELETE in a WITH clause, so it sweeps first (two)."""
    return 1 if connection.vendor == "postgresql" else 2


BODY = (
    "Harbour plan {n} approved\n"
    "The council voted on Tuesday to spend 4 million euros on the harbour, twice what it spent in 2019.\n"
    '"We cannot wait another winter," said council chair Helena Vasquez.\n'
    '"The plan was rushed and it costs too much," said opposition leader {critic}.\n'
    "Unemployment in the port district rose by 12 percent last year, the statistics office said.\n"
)
# Two more of each kind of paragraph and quote, for the article of the details when the rows grow.
MORE = (
    '"Repairs will start in May," said council chair Helena Vasquez.\n'
    "Fuel prices rose by 30 percent in a year, the port authority said.\n"
    '"Nobody asked the fishermen," said opposition leader Marco Diaz.\n'
)


DOWNLOAD = "done/newsdesk-csv.zip"


class Corpus:
    """The rows the requests read; ``article`` is the one the details show."""

    def __init__(self, *, editor, article: Article):
        self.editor = editor
        self.article = article


# The second speaker of each article is someone else, so speakers grow with articles.
CRITICS = ("Marco Diaz", "Ana Lopez", "Peter Novak", "Jonas Berg", "Maria Rossi", "Tomas Kral")


def _body(n: int) -> str:
    return BODY.format(n=n, critic=CRITICS[n % len(CRITICS)])


def _ingest(n: int, body: str, *, url: str | None = None) -> Article:
    return ArticleFactory(body=body, url=url or f"https://news.example.org/harbour/{n}", source=f"Source {n}")


def _annotate(article: Article, *, editor, checker, tags) -> None:
    """Two annotations (one a draft) with two tags each, and a claim on each with a fact-check: the
    one on the published annotation published, the other a draft."""
    paragraph = article.paragraphs.order_by("position")[1]
    for i, status in enumerate(("published", "draft")):
        annotation = services.annotation_create(
            article=article,
            author=editor,
            start=paragraph.start + i,
            end=paragraph.start + 8 + i,
            note=f"harbour budget {i}",
            status=status,
            tags=[tag.slug for tag in tags],
        )
        claim = services.claim_create(
            article=article,
            text=f"The harbour costs {i} million",
            created_by=editor,
            annotation=annotation,
            claimant=Speaker.objects.get(name="Helena Vasquez"),
        )
        fact_check = services.factcheck_create(claim=claim, author=editor, verdict="false", rationale="r")
        if status == "published":
            services.factcheck_submit(fact_check=fact_check, expected_version=1, user=editor)
            services.factcheck_publish(fact_check=fact_check, expected_version=2, user=checker)


def grow(round_: int, corpus: Corpus | None = None) -> Corpus:
    """Round 0 builds the corpus: two articles quoting the same words (a quote cluster), the first with
    two earlier revisions, two tags in a tree, annotations, claims and fact-checks on both, two export
    jobs. Each later round adds as many rows again to every relation."""
    editor = UserFactory(username="editor", groups=["Editor", "Fact-checker"])
    checker = UserFactory(username="checker", groups=["Fact-checker"])
    parent = TagFactory(slug=f"topic-{round_}")
    tags = [TagFactory(slug=f"claim-{round_}", parent=parent), TagFactory(slug=f"budget-{round_}")]
    first, second = 2 * round_, 2 * round_ + 1
    if corpus is None:
        corpus = Corpus(editor=editor, article=_ingest(first, _body(first)))
        articles = [corpus.article, _ingest(second, _body(second))]
    else:
        articles = [_ingest(first, _body(first)), _ingest(second, _body(second))]
        articles.append(corpus.article)
    # Two new revisions of the article of the details, each with more paragraphs and quotes.
    url, text = corpus.article.url, _body(0) + MORE * (round_ + 1)
    for update in range(2):
        _ingest(0, text + f"Update {round_}.{update}.\n", url=url)
    corpus.article.refresh_from_db()
    for article in articles:
        _annotate(article, editor=editor, checker=checker, tags=tags)
    export_jobs(editor)
    return corpus


def export_jobs(user) -> None:
    """Two export jobs asked for by ``user``, one of them finished, as the worker leaves it (its file is
    written by the test, in a folder of its own)."""
    for fmt in ("jsonl", "csv"):
        job = export_job_create(fmt=fmt, options=ExportOptions(), user=user)
    ExportJob.objects.filter(pk=job.pk).update(status="done", result=DOWNLOAD)
