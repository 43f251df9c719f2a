"""The OpenAPI schema describes every endpoint truthfully, errors included; schemathesis checks that
the running server keeps to it."""

from __future__ import annotations

import pytest
import yaml
from rest_framework.authtoken.models import Token

from tests.api.conftest import make_user
from tests.factories import AnnotationFactory, ArticleFactory, TagFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def schema(client) -> dict:
    response = client.get("/api/schema/")
    assert response.status_code == 200
    return yaml.safe_load(response.content)


def _operations(schema: dict):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            yield path, method, operation


def test_every_operation_documents_its_errors(schema):
    for path, method, operation in _operations(schema):
        codes = set(operation["responses"])
        assert {"401", "429"} <= codes, (method, path, codes)
        if "{" in path:
            assert "404" in codes, (method, path)
        if method in ("post", "put", "patch", "delete"):
            assert {"400", "403"} <= codes or method == "delete", (method, path, codes)
        if method in ("put", "patch", "delete") or path.endswith(("submit/", "publish/", "send-back/")):
            assert {"412", "428"} <= codes, (method, path, codes)
            names = {p["name"] for p in operation.get("parameters", []) if p["in"] == "header"}
            assert "If-Match" in names, (method, path)


def test_schema_lists_every_endpoint(schema):
    expected = {
        "/api/articles/": {"get", "post"},
        "/api/annotations/{id}/": {"get", "put", "patch", "delete"},
        "/api/quotes/{id}/": {"get", "patch"},
        "/api/paragraphs/{id}/": {"get", "patch"},
        "/api/claims/": {"get", "post"},
        "/api/fact-checks/{id}/": {"get", "patch"},
        "/api/fact-checks/{id}/publish/": {"post"},
        "/api/fact-checks/{id}/send-back/": {"post"},
        "/api/fact-checks/{id}/submit/": {"post"},
        "/api/speakers/{id}/quotes/": {"get"},
        "/api/w3c/annotations/": {"get", "post"},
        "/api/w3c/annotations/{id}/": {"get", "put", "delete"},
    }
    for path, methods in expected.items():
        assert methods <= set(schema["paths"][path]), path
    list_parameters = {p["name"] for p in schema["paths"]["/api/articles/"]["get"]["parameters"]}
    assert {"q", "expand", "cursor", "page", "page_size", "tag", "source", "ordering"} <= list_parameters


@pytest.mark.slow
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_schemathesis_finds_no_server_errors_or_schema_violations(live_server, settings):
    schemathesis = pytest.importorskip("schemathesis")
    from hypothesis import HealthCheck, Phase, given
    from hypothesis import settings as hypothesis_settings
    from schemathesis import checks

    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": None, "user": None},
    }
    TagFactory(slug="budget")
    author = make_user("editor", "author")
    for _ in range(2):
        AnnotationFactory(article=ArticleFactory(), author=author, tags=["budget"])
    token = Token.objects.create(user=make_user("superuser")).key

    schema = schemathesis.openapi.from_url(f"{live_server.url}/api/schema/")
    selected = [
        checks.not_a_server_error,
        checks.status_code_conformance,
        checks.content_type_conformance,
        checks.response_schema_conformance,
        checks.response_headers_conformance,
    ]
    failures: list[str] = []

    def fuzz(operation, headers: dict):
        @given(case=operation.as_strategy())
        @hypothesis_settings(
            max_examples=10,
            deadline=None,
            database=None,
            derandomize=True,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        def run(case):
            case.call_and_validate(base_url=live_server.url, headers=headers, checks=selected)

        run()

    for result in schema.get_all_operations():
        operation = result.ok()
        for who, headers in (("anonymous", {}), ("superuser", {"Authorization": f"Token {token}"})):
            try:
                fuzz(operation, headers)
            except Exception as error:  # collect every operation's failure, then report them together
                failures.append(f"{operation.label} as {who}: {error}")
    assert not failures, "\n\n".join(failures)
