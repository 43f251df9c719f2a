"""The exact number of queries of the admin's add pages and delete confirmations, for every registered
model, and of a confirmed delete where one goes through: the sibling of test_exact_query_counts.py, on
the same corpus (built once, grown once, each test in a savepoint over it).

Each is asked as a superuser and as a signed-in editor (staff in the Editor group, deleting an
annotation of their own where the rules let them). A page the user may not open is pinned too: the
refusal (403) costs what the permission check reads. A confirmed delete (POST) is pinned where it
deletes; it runs in a savepoint that is rolled back, so the rows stay for the next test.

Every page starts with the session and the user; a non-superuser's first permission check adds the
user's and the groups' permissions. An add page reads nothing more unless a form field offers rows
(a select); a delete confirmation reads the object and, to list what goes with it, each relation that
holds rows (so the number depends on which relations hold rows, never on how many). A confirmed delete
also writes the admin's log, the versions' history rows where the model keeps history, and deletes. The
counts are the same on SQLite and PostgreSQL.
"""

from __future__ import annotations

import pytest
from django.db import transaction
from django.test import Client

from annotations.models import Annotation
from tests.admin.test_exact_query_counts import MODELS, _desk, _first, _pk
from tests.query_counts import Corpus, grow, named_routes, rows_kept_until_exit


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


class Refused(int):
    """The count of a page answered 403: the user may not open it."""


# What the editor deletes where the first object of MODELS is not theirs to delete.
EDITOR_OBJECTS = {"annotations/annotation": lambda c: _first(Annotation, author=c.desk)}

R = Refused
# model path: ((add page), (delete confirmation), (confirmed delete) or None), each (superuser, editor);
# None where nothing is pinned (a delete the rules refuse, or that the protected rows stop).
COUNTS: dict[str, tuple[tuple, tuple, tuple | None]] = {
    "auth/group": ((3, R(4)), (5, R(5)), (11, None)),
    "auth/user": ((2, R(4)), (21, R(5)), None),
    "authtoken/tokenproxy": ((3, R(4)), (4, R(6)), (9, None)),
    "corpus/source": ((2, R(4)), (4, R(5)), None),
    "corpus/articlerevision": ((R(2), R(2)), (R(3), R(3)), None),
    # A confirmed delete also reads the clusters of the speaker's quotes, in a savepoint of its own (3).
    "corpus/speaker": ((2, 4), (4, R(5)), (17, None)),
    "corpus/speakeralias": ((2, 4), (3, R(5)), (7, None)),
    "corpus/quotecluster": ((R(2), R(2)), (R(3), R(3)), None),
    "annotations/tag": ((2, R(4)), (R(4), R(4)), None),
    "annotations/annotation": ((2, 4), (6, 8), (14, 22)),
    "annotations/orphanedannotation": ((R(2), R(2)), (6, 8), (19, 21)),
    "annotations/claim": ((2, 4), (5, R(5)), (13, None)),
    "annotations/factcheck": ((2, 4), (5, R(5)), (13, None)),
    "annotations/factcheckinreview": ((R(2), R(2)), (5, R(5)), (13, None)),
    # Its assignment's assignee and its project entry's project are read with them (NamesInBulk), not
    # a query each as before (23).
    "corpus/article": ((2, 4), (21, R(5)), None),
    "corpus/quote": ((R(2), R(2)), (5, R(5)), (14, None)),
    "corpus/paragraph": ((2, R(4)), (5, R(5)), (11, None)),
    "annotations/assignment": ((R(2), R(2)), (3, R(5)), (7, None)),
    "django_tasks_database/dbtaskresult": ((R(2), R(2)), (R(3), R(3)), None),
    "annotations/annotationproject": ((4, R(4)), (R(3), R(3)), None),
    "webhooks/webhook": ((2, R(4)), (4, R(5)), (11, None)),
    "webhooks/delivery": ((R(2), R(2)), (R(3), R(3)), None),
    "axes/accessattempt": ((R(2), R(2)), (4, R(5)), (9, None)),
    "axes/accesslog": ((R(2), R(2)), (3, R(5)), (7, None)),
    "axes/accessfailurelog": ((R(2), R(2)), (3, R(5)), (7, None)),
}
KINDS = ("add", "delete", "delete confirmed")


def test_every_add_and_delete_page_has_its_count():
    routes = {
        name
        for route, name in named_routes()
        if route.startswith("admin/") and name.endswith(("_add", "_delete"))
    }
    counted = {f"{path.replace('/', '_')}_{kind}" for path in COUNTS for kind in ("add", "delete")}
    assert routes == counted, sorted(routes ^ counted)
    assert set(COUNTS) == set(MODELS)


CASES = [
    (path, kind, role)
    for path, pins in COUNTS.items()
    for kind, pin in zip(KINDS, pins, strict=True)
    if pin is not None
    for role, count in zip(("superuser", "editor"), pin, strict=True)
    if count is not None
]


def _url(path: str, kind: str, role: str, corpus: Corpus) -> str:
    if kind == "add":
        return f"/admin/{path}/add/"
    first = EDITOR_OBJECTS.get(path, MODELS[path][0]) if role == "editor" else MODELS[path][0]
    return f"/admin/{path}/{_pk(first(corpus))}/delete/"


def _rolled_back(request):
    """The response to ``request()``, with what it wrote rolled back."""
    with transaction.atomic():
        response = request()
        transaction.set_rollback(True)
    return response


def _pin(path: str, kind: str, role: str, corpus: Corpus, django_assert_num_queries) -> None:
    pin = COUNTS[path][KINDS.index(kind)]
    count = pin[0] if role == "superuser" else pin[1]
    client = Client()
    client.force_login(corpus.root if role == "superuser" else corpus.desk)
    url = _url(path, kind, role, corpus)
    if kind == "delete confirmed":
        status = 302
        # Once before, rolled back: per-process caches (content types) warm, as in a server.
        assert _rolled_back(lambda: client.post(url, {"post": "yes"})).status_code == status, url
        with transaction.atomic():
            with django_assert_num_queries(count):
                response = client.post(url, {"post": "yes"})
            transaction.set_rollback(True)
    else:
        status = 403 if isinstance(count, Refused) else 200
        assert client.get(url).status_code == status, url
        with django_assert_num_queries(count):
            response = client.get(url)
    assert response.status_code == status, url


@pytest.mark.django_db
class TestExactCounts:
    @pytest.mark.parametrize(("path", "kind", "role"), CASES)
    def test_count(self, path, kind, role, corpus, django_assert_num_queries):
        _pin(path, kind, role, corpus, django_assert_num_queries)


@pytest.mark.django_db
class TestTheSameCountsWithMoreRows:
    @pytest.mark.parametrize(("path", "kind", "role"), CASES)
    def test_count(self, path, kind, role, grown, django_assert_num_queries):
        _pin(path, kind, role, grown, django_assert_num_queries)
