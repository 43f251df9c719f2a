"""The schema as a generated client reads it, and the server behaving as the schema says: one JSON body
per write, PATCH bodies without defaults, id lists and integer ids, declared response headers, open
reads, the index at /api/, the package's version."""

from __future__ import annotations

from importlib import metadata

import pytest
import yaml

from annotations import services
from tests.api.conftest import client_for, make_user
from tests.factories import AnnotationFactory, ArticleFactory

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


def _resolve(schema: dict, node: dict) -> dict:
    while "$ref" in node:
        node = schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[1]]
    return node


def _walk(schema: dict, node, seen=None):
    """Every schema object reachable from ``node``, references followed once."""
    seen = set() if seen is None else seen
    if isinstance(node, dict):
        ref = node.get("$ref")
        if ref:
            if ref in seen:
                return
            seen.add(ref)
            yield from _walk(schema, _resolve(schema, node), seen)
            return
        yield node
        for value in node.values():
            yield from _walk(schema, value, seen)
    elif isinstance(node, list):
        for value in node:
            yield from _walk(schema, value, seen)


def test_every_write_body_is_declared_once_as_json(schema):
    for path, method, operation in _operations(schema):
        if "requestBody" not in operation:
            continue
        media_types = set(operation["requestBody"]["content"])
        if (path, method) == ("/api/articles/", "post"):
            assert media_types == {"application/json", "text/html"}
            assert operation["requestBody"]["content"]["text/html"]["schema"]["format"] == "binary"
        elif path.startswith("/api/w3c/"):
            assert media_types == {"application/ld+json"}, (method, path)
        else:
            assert media_types == {"application/json"}, (method, path, media_types)


def test_patch_bodies_declare_no_defaults(schema):
    patches = [(path, op) for path, method, op in _operations(schema) if method == "patch"]
    assert len(patches) >= 5
    for path, operation in patches:
        body = operation["requestBody"]["content"]["application/json"]["schema"]
        for node in _walk(schema, body):
            for name, prop in node.get("properties", {}).items():
                assert "default" not in prop, (path, name, prop)
    # The creation body keeps its defaults: a new annotation is a draft unless told otherwise.
    create = schema["paths"]["/api/annotations/"]["post"]["requestBody"]["content"]["application/json"]
    assert _resolve(schema, create["schema"])["properties"]["status"]["default"] == "draft"


def test_a_patch_of_the_note_changes_nothing_else():
    editor = make_user("editor")
    article = ArticleFactory()
    paragraph = article.paragraphs.order_by("position")[1]
    annotation = services.annotation_create(
        article=article, author=editor, target="paragraph", paragraph=paragraph, note="a", status="published"
    )
    response = client_for(editor).patch(
        f"/api/annotations/{annotation.pk}/",
        {"note": "only this"},
        format="json",
        HTTP_IF_MATCH=f'"{annotation.pk}-{annotation.version}"',
    )
    assert response.status_code == 200, response.content
    annotation.refresh_from_db()
    assert (annotation.note, annotation.status, annotation.target) == ("only this", "published", "paragraph")
    assert annotation.paragraph_id == paragraph.pk


def test_id_lists_repeat_the_parameter_or_use_commas(client):
    first, second, third = ArticleFactory(), ArticleFactory(), ArticleFactory()
    for query in (f"id={first.pk}&id={third.pk}", f"id={first.pk},{third.pk}"):
        response = client.get(f"/api/articles/?{query}")
        assert response.status_code == 200
        assert sorted(a["id"] for a in response.json()["results"]) == [first.pk, third.pk], query
    assert second.pk not in {a["id"] for a in client.get(f"/api/articles/?id={first.pk}").json()["results"]}
    response = client.get(f"/api/articles/?id={first.pk}&id=abc")
    assert response.status_code == 400 and "id" in response.json()


def test_id_list_is_declared_as_an_exploded_array_of_integers(schema):
    (parameter,) = [p for p in schema["paths"]["/api/articles/"]["get"]["parameters"] if p["name"] == "id"]
    assert parameter["schema"]["type"] == "array" and parameter["schema"]["items"]["type"] == "integer"
    assert parameter.get("explode", True) is True and parameter.get("style", "form") == "form"


@pytest.mark.parametrize("path", ["/api/articles/", "/api/annotations/", "/api/quotes/"])
def test_a_speaker_is_an_integer(client, schema, path):
    (parameter,) = [p for p in schema["paths"][path]["get"]["parameters"] if p["name"] == "speaker"]
    assert parameter["schema"]["type"] == "integer"
    assert client.get(f"{path}?speaker=1.5").status_code == 400
    assert client.get(f"{path}?speaker=1").status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/api/annotations/?article=0",
        "/api/claims/?article=0",
        "/api/claims/?claimant=0",
        "/api/fact-checks/?article=0",
        "/api/fact-checks/?claim=0",
        "/api/paragraphs/?article=0",
        "/api/quotes/?article=0",
        "/api/quotes/?speaker=0",
        "/api/speakers/?article=0",
    ],
)
def test_an_id_that_names_nothing_matches_nothing(client, path):
    AnnotationFactory()
    response = client.get(path)
    assert response.status_code == 200, response.content
    assert response.json()["results"] == []


def test_list_items_keep_their_expanded_fields(client, schema):
    item = _resolve(schema, {"$ref": "#/components/schemas/ArticleListItem"})
    assert {"paragraphs", "quotes", "annotations", "claims"} <= set(item["properties"])
    assert not {"paragraphs", "quotes", "annotations", "claims"} & set(item.get("required", []))
    ArticleFactory()
    (result,) = client.get("/api/articles/?expand=paragraphs").json()["results"]
    assert result["paragraphs"] and "quotes" not in result


def _headers(schema: dict, path: str, method: str, code: str) -> set[str]:
    return set(schema["paths"][path][method]["responses"][code].get("headers", {}))


def test_response_headers_are_declared(schema):
    assert "ETag" in _headers(schema, "/api/annotations/{id}/", "get", "200")
    assert "ETag" in _headers(schema, "/api/annotations/{id}/", "patch", "200")
    assert {"ETag", "Location"} <= _headers(schema, "/api/annotations/", "post", "201")
    assert {"ETag", "Location"} <= _headers(schema, "/api/claims/", "post", "201")
    assert {"ETag", "Location"} <= _headers(schema, "/api/fact-checks/", "post", "201")
    assert {"ETag", "Location"} <= _headers(schema, "/api/articles/", "post", "201")
    for action in ("submit", "publish", "send-back"):
        assert "ETag" in _headers(schema, f"/api/fact-checks/{{id}}/{action}/", "post", "200")
    for path in ("/api/articles/{id}/", "/api/paragraphs/{id}/", "/api/quotes/{id}/", "/api/claims/{id}/"):
        assert "ETag" in _headers(schema, path, "get", "200"), path
    assert {"ETag", "Link"} <= _headers(schema, "/api/w3c/annotations/", "get", "200")
    assert {"Location", "ETag", "Link"} <= _headers(schema, "/api/w3c/annotations/", "post", "201")
    assert {"ETag", "Link"} <= _headers(schema, "/api/w3c/annotations/{id}/", "get", "200")
    assert "Location" in _headers(schema, "/api/exports/jobs/", "post", "202")
    assert "ETag" not in _headers(schema, "/api/articles/", "get", "200")


def test_declared_headers_are_sent(client):
    editor = make_user("editor")
    article = ArticleFactory()
    api = client_for(editor)
    start = article.text.index("The city council")
    created = api.post("/api/claims/", {"article": article.pk, "text": "The city council"}, format="json")
    assert created.status_code == 201
    assert created["Location"] == f"/api/claims/{created.json()['id']}/" and created["ETag"]
    fact_check = api.post(
        "/api/fact-checks/", {"claim": created.json()["id"], "verdict": "true"}, format="json"
    )
    assert fact_check.status_code == 201
    assert fact_check["Location"] == f"/api/fact-checks/{fact_check.json()['id']}/" and fact_check["ETag"]
    assert start >= 0


def test_reads_need_no_account_and_writes_do(schema):
    for path, method, operation in _operations(schema):
        open_read = {} in operation.get("security", [])
        if path.startswith("/api/exports/jobs/"):
            assert not open_read, (method, path)
        elif method == "get":
            assert open_read, (method, path)
        else:
            assert not open_read, (method, path)


def test_format_jsonld_answers_the_annotation_profile(client):
    annotation = AnnotationFactory()
    for path in ("/api/w3c/annotations/", f"/api/w3c/annotations/{annotation.pk}/"):
        response = client.get(f"{path}?format=jsonld")
        assert response.status_code == 200, (path, response.content)
        assert response["Content-Type"].startswith(
            'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"'
        )


def test_export_stream_declares_its_400_and_403_and_answers_them(client, schema):
    operation = schema["paths"]["/api/exports/{fmt}/"]["get"]
    assert "400" in operation["responses"]
    assert set(operation["responses"]["200"]["content"]) >= {"application/x-ndjson", "application/zip"}
    response = client.get("/api/exports/jsonl/?since=yesterday")
    assert response.status_code == 400
    assert "403" in operation["responses"]
    assert client.get("/api/exports/jsonl/?include_drafts=true").status_code == 403


def test_the_api_root_lists_every_endpoint(client, schema):
    response = client.get("/api/")
    assert response.status_code == 200
    index = response.json()
    assert index["articles"] == "http://testserver/api/articles/"
    assert index["w3c-annotations"] == "http://testserver/api/w3c/annotations/"
    assert index["exports"] == "http://testserver/api/exports/{format}/"
    for url in index.values():
        if "{" not in url:
            assert (
                url.replace("http://testserver", "") in schema["paths"]
                or url.endswith("/docs/")
                or url.endswith("/schema/")
            ), url
    assert "/api/" in schema["paths"]


def test_schema_version_is_the_package_version(schema):
    assert schema["info"]["version"] == metadata.version("newsdesk")
