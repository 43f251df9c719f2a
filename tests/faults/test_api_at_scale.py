"""The API under gunicorn: schemathesis at a few thousand requests (no 5xx, no answer outside the schema),
and the permission matrix of tests/api/test_permissions.py over real HTTP with tokens (no forbidden
success)."""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from tests.faults.conftest import gunicorn

pytestmark = pytest.mark.slow

EXAMPLES = int(
    os.environ.get("FUZZ_EXAMPLES", "15")
)  # per operation, identity and mode: about 3,000 requests

FUZZ_SETUP = r"""
from rest_framework.authtoken.models import Token
from tests.api.conftest import make_user
from tests.factories import AnnotationFactory, ArticleFactory, TagFactory

TagFactory(slug="budget")
author = make_user("editor", "author")
for status in ("published", "draft", "published"):
    AnnotationFactory(article=ArticleFactory(), author=author, tags=["budget"], status=status)
result = Token.objects.create(user=make_user("superuser")).key
"""

# One fresh world per (case, role), built with the matrix's own code, so writes never meet each other.
MATRIX_SETUP = r"""
from rest_framework.authtoken.models import Token
from tests.api.conftest import ROLES, make_user
from tests.api.test_permissions import CASES, _etag, _world

users = {role: make_user(role) for role in ROLES}
tokens = {role: Token.objects.create(user=u).key for role, u in users.items() if u is not None}
calls = []
for name, method, url, body, precondition, expected in CASES:
    for role in ROLES:
        world = _world(users)
        data = body(world) if body else None
        if name == "article ingest":  # the same bytes again would be the idempotent 200
            data["text"] += f" {len(calls)}"
        calls.append({
            "name": name, "role": role, "method": method, "url": url(world),
            "body": data,
            "if_match": _etag(precondition(world)) if precondition else None,
            "expected": expected[role],
        })
result = {"tokens": tokens, "calls": calls}
"""


def test_schemathesis_at_scale_runs_every_check(child_db, tmp_path):
    """Every schemathesis check, on valid and on invalid requests, as anonymous and as a superuser. What
    remains is written down in KNOWN with its reason; anything else fails the test."""
    schemathesis = pytest.importorskip("schemathesis")
    from hypothesis import HealthCheck, Phase, given
    from hypothesis import settings as hypothesis_settings
    from schemathesis import GenerationMode, checks

    checks.load_all_checks()
    every_check = checks.CHECKS.get_all()
    token = child_db.script(FUZZ_SETUP)
    found: dict[tuple[str, str], str] = {}
    calls = 0
    limits = {"API_THROTTLE_ANON": "1000000/minute", "API_THROTTLE_USER": "1000000/minute"}
    with gunicorn(child_db, tmp_path, workers=4, **limits) as server:
        schema = schemathesis.openapi.from_url(f"{server.url}/api/schema/")

        def fuzz(operation, headers: dict, mode) -> None:
            @given(case=operation.as_strategy(generation_mode=mode))
            @hypothesis_settings(
                max_examples=EXAMPLES,
                deadline=None,
                database=None,
                derandomize=True,
                phases=[Phase.explicit, Phase.generate],
                suppress_health_check=list(HealthCheck),
            )
            def run(case):
                nonlocal calls
                calls += 1
                case.call_and_validate(base_url=server.url, headers=headers, checks=every_check, timeout=60)

            run()

        for result in schema.get_all_operations():
            operation = result.ok()
            for who, headers in (("anonymous", {}), ("superuser", {"Authorization": f"Token {token}"})):
                for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
                    try:
                        fuzz(operation, headers, mode)
                    # Collect every operation's failures, then report them together. Schemathesis raises a
                    # BaseExceptionGroup, which `except Exception` would let through at the first failure.
                    except (Exception, BaseExceptionGroup) as error:
                        for failure in getattr(error, "exceptions", [error]):
                            key = (type(failure).__name__, operation.label)
                            text = f"{getattr(failure, 'title', failure)}: {getattr(failure, 'message', '')}"
                            found.setdefault(key, f"as {who}, {mode.value}: {text}"[:3000])
        assert server.alive()
        assert requests.get(f"{server.url}/healthz", timeout=30).status_code == 200
        logs = server.logs()
    unexplained = {key: text for key, text in found.items() if not _known(*key)}
    assert not unexplained, "\n\n".join(
        f"{kind} {label} {text}" for (kind, label), text in unexplained.items()
    )
    assert calls > 1500, calls
    assert '" 500 ' not in logs and "Traceback" not in logs


# What every check still reports, by kind of failure, with the reason it is not a fault. Any other kind
# (a server error, an undocumented status code or header, a body outside its schema...) fails the test.
KNOWN: dict[str, str] = {
    "RejectedPositiveData": (
        "A request the schema allows but whose values the server checks against the data: writes that name "
        "ids that do not exist (article, paragraph, quote, claim), offsets outside the article's text, an "
        "If-Match that is not the current version, a W3C target that is not an article of this site, an "
        "ingest body with fields the ingest format does not know (refused, as manage.py ingest refuses "
        "them); reads with strings the server parses (expand names, ordering fields, cursors, the export's "
        "since/until dates and article id lists). Each is a 4xx naming the field."
    ),
    "AcceptedNegativeData": (
        "page_size outside 1..100 is clamped and a page that is not a whole number is read leniently until "
        "the hostile-input work of issue 13 makes both a 400; an empty filter value (?source=) is no filter, "
        "on every list and export alike."
    ),
    "Unsatisfiable": (
        "Nothing to make invalid: GET /api/ takes no parameters, and any string is a schema-valid tag slug."
    ),
}


def _known(kind: str, label: str) -> bool:
    return kind in KNOWN


def test_a_lookup_with_a_dot_gets_the_json_404(child_db, tmp_path):
    with gunicorn(child_db, tmp_path, workers=1) as server:
        for path in ("/api/tags/a.b/", "/api/articles/1.5/"):
            response = requests.get(f"{server.url}{path}", headers={"Accept": "application/json"}, timeout=30)
            assert response.status_code == 404
            assert response.headers["Content-Type"].startswith("application/json"), path


def test_permission_matrix_over_http(child_db, tmp_path):
    setup = child_db.script(MATRIX_SETUP, timeout=600)
    tokens = setup["tokens"]
    limits = {"API_THROTTLE_ANON": "1000000/minute", "API_THROTTLE_USER": "1000000/minute"}
    with gunicorn(child_db, tmp_path, workers=4, **limits) as server:

        def call(spec: dict) -> tuple[dict, int, str]:
            headers = {"Accept": "application/json"}
            if spec["role"] in tokens:
                headers["Authorization"] = f"Token {tokens[spec['role']]}"
            if spec["if_match"]:
                headers["If-Match"] = spec["if_match"]
            response = requests.request(
                spec["method"], f"{server.url}{spec['url']}", json=spec["body"], headers=headers, timeout=60
            )
            return spec, response.status_code, response.text[:300]

        with ThreadPoolExecutor(max_workers=4) as pool:
            results = list(pool.map(call, setup["calls"]))
    wrong = [
        f"{spec['name']} as {spec['role']}: {status} (expected {spec['expected']}) {text}"
        for spec, status, text in results
        if status != spec["expected"]
    ]
    assert not wrong, "\n".join(wrong)
    assert len(results) == len(setup["calls"]) > 100
