"""The W3C Web Annotation container: output checked against the web-platform-tests JSON Schemas,
every invalid fixture of the working group refused, and the protocol's headers and preconditions."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotations import w3c
from annotations.models import Annotation
from tests.api.conftest import client_for, make_user
from tests.factories import AnnotationFactory, ArticleFactory, TagFactory

pytestmark = pytest.mark.django_db

CONFORMANCE = Path(__file__).resolve().parents[1] / "conformance"  # third-party fixtures, see its README
PROFILE = 'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"'


# --- Validating against the wpt schemas -------------------------------------------------------------


def _load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def wpt():
    """Validators for the MUST assertions, the selector checks and the collection checks."""
    jsonschema = pytest.importorskip("jsonschema")
    referencing = pytest.importorskip("referencing")
    from referencing.jsonschema import DRAFT4

    model = CONFORMANCE / "wpt-annotation-model"
    resources = [
        (path.name, referencing.Resource.from_contents(_load(path), default_specification=DRAFT4))
        for path in sorted((model / "definitions").glob("*.json"))
    ]
    registry = referencing.Registry().with_resources(resources)
    checker = jsonschema.Draft4Validator.FORMAT_CHECKER

    def validator(schema: dict):
        return jsonschema.Draft4Validator(schema, registry=registry, format_checker=checker)

    musts = _load(model / "annotations" / "annotationMusts.test")["assertions"]
    assertions = {name: validator(_load(model / name)) for name in musts}
    selector_defs = _load(model / "definitions" / "specificResource.json")["definitions"]
    selectors = {
        name: validator({"$ref": f"specificResource.json#/definitions/{name}"})
        for name in selector_defs
        if name.endswith("SelectorTypeValidIfPresent")
    }
    collection_defs = _load(model / "definitions" / "collections.json")["definitions"]
    collections = {
        name: validator({"$ref": f"collections.json#/definitions/{name}"})
        for name in collection_defs
        if name.endswith(("ValidIfPresent", "Definition"))
    }
    return {
        "assertions": assertions,
        "selectors": selectors,
        "collections": collections,
        "validator": validator,
    }


def assert_valid_annotation(wpt, document: dict) -> None:
    for name, validator in wpt["assertions"].items():
        errors = [e.message for e in validator.iter_errors(document)]
        assert not errors, f"{name}: {errors}"
    target = document["target"]
    for selector in target.get("selector", []) if isinstance(target, dict) else []:
        for name, validator in wpt["selectors"].items():
            errors = [e.message for e in validator.iter_errors(selector)]
            assert not errors, f"{name} on {selector}: {errors}"


def assert_valid_collection(wpt, document: dict, *, kind: str) -> None:
    for name, validator in wpt["collections"].items():
        errors = [e.message for e in validator.iter_errors(document)]
        assert not errors, f"{name}: {errors}"
    recognized = wpt["validator"](
        {
            "anyOf": [
                {"$ref": f"collections.json#/definitions/{kind}TypeValueRecognized"},
                {"$ref": f"collections.json#/definitions/{kind}TypeValueInArrayRecognized"},
            ]
        }
    )
    assert not list(recognized.iter_errors(document["type"]))


@pytest.fixture
def annotations_of_every_kind():
    author = make_user("editor", "writer")
    TagFactory(slug="budget")
    TagFactory(slug="claim")
    span = AnnotationFactory(author=author, tags=["budget", "claim"], note="a note")
    article = span.article
    from annotations import services

    paragraph = article.paragraphs.order_by("position")[1]
    services.annotation_create(
        article=article, author=author, target="paragraph", paragraph=paragraph, tags=["budget"]
    )
    services.annotation_create(
        article=article, author=author, target="quote", quote=article.quotes.first(), note="who said it?"
    )
    services.annotation_create(article=article, author=author, target="article", note="about the whole piece")
    Annotation.objects.update(status="published")
    return article


def test_served_annotations_pass_the_must_assertions(wpt, client, annotations_of_every_kind):
    container = client.get("/api/w3c/annotations/")
    assert container.status_code == 200
    items = container.json()["first"]["items"]
    assert len(items) == 4
    for document in items:
        assert_valid_annotation(wpt, document)
        single = client.get(
            document["id"].removeprefix(w3c.container_iri().removesuffix("/api/w3c/annotations/"))
        )
        assert single.json() == document


def test_container_and_pages_pass_the_collection_checks(wpt, client, annotations_of_every_kind):
    container = client.get("/api/w3c/annotations/").json()
    assert_valid_collection(wpt, container, kind="annotationCollection")
    assert_valid_collection(wpt, container["first"], kind="annotationPage")
    page = client.get("/api/w3c/annotations/?page=0").json()
    assert_valid_collection(wpt, page, kind="annotationPage")


def test_validator_refuses_the_incorrect_fixtures(wpt):
    """The validator itself is sound: what the working group calls invalid, it finds invalid."""
    refused = 0
    fixtures = sorted((CONFORMANCE / "spec-examples" / "incorrect").glob("*.json"))
    for path in fixtures:
        try:
            document = _load(path)
        except json.JSONDecodeError:
            refused += 1
            continue
        try:
            assert_valid_annotation(wpt, document)
        except (AssertionError, KeyError, TypeError, AttributeError):
            refused += 1
    assert refused == len(fixtures)


@pytest.mark.parametrize(
    "name", sorted(p.name for p in (CONFORMANCE / "spec-examples" / "incorrect").glob("*.json"))
)
def test_container_refuses_every_incorrect_fixture(name):
    client = client_for(make_user("editor"))
    raw = (CONFORMANCE / "spec-examples" / "incorrect" / name).read_bytes()
    response = client.post("/api/w3c/annotations/", raw, content_type=PROFILE)
    assert response.status_code == 400, response.content
    assert not Annotation.objects.exists()


def test_spec_example_with_quote_selector_is_accepted_when_it_targets_our_article(wpt):
    """Example 23 of the Recommendation (a TextQuoteSelector), pointed at one of our articles."""
    article = ArticleFactory()
    example = _load(CONFORMANCE / "spec-examples" / "rec-2017-02-23" / "example23.json")
    example["target"]["source"] = w3c.article_iri(article.pk)
    example["target"]["selector"] = {
        "type": "TextQuoteSelector",
        "exact": "harbour",
        "prefix": "more on the ",
    }
    example["bodyValue"] = "the harbour"
    example.pop("body", None)
    response = client_for(make_user("editor")).post("/api/w3c/annotations/", example, format="json")
    assert response.status_code == 201, response.content
    created = Annotation.objects.get()
    assert article.text[created.start : created.end] == "harbour"
    assert created.start == article.text.index("more on the harbour") + len("more on the ")
    assert_valid_annotation(wpt, response.json())


def test_quote_selector_that_matches_too_often_is_a_400_saying_how_to_narrow_it():
    article = ArticleFactory(body="Headline\n" + "the tide " * 3_000 + "\n")
    client = client_for(make_user("editor"))
    document = {
        "@context": w3c.CONTEXT,
        "type": "Annotation",
        "bodyValue": "too common",
        "target": {
            "type": "SpecificResource",
            "source": w3c.article_iri(article.pk),
            "selector": {"type": "TextQuoteSelector", "exact": " "},
        },
    }
    response = client.post("/api/w3c/annotations/", document, format="json")
    assert response.status_code == 400, response.content
    (message,) = response.json()["target.selector"]
    assert f"more than {w3c.MAX_QUOTE_CANDIDATES} places" in message and "prefix" in message
    assert not Annotation.objects.exists()
    # With its context it is found.
    document["target"]["selector"] = {
        "type": "TextQuoteSelector",
        "exact": "tide",
        "prefix": "Headline\n\nthe ",
    }
    response = client.post("/api/w3c/annotations/", document, format="json")
    assert response.status_code == 201, response.content
    assert Annotation.objects.get().start == len("Headline\n\nthe ")


# --- The mapping ----------------------------------------------------------------------------------


def test_round_trip_keeps_span_tags_and_note(annotations_of_every_kind):
    annotation = Annotation.objects.filter(target="span").select_related("author").first()
    document = w3c.to_w3c(annotation)
    selectors = {s["type"]: s for s in document["target"]["selector"]}
    assert selectors["TextPositionSelector"] == {
        "type": "TextPositionSelector",
        "start": annotation.start,
        "end": annotation.end,
    }
    assert selectors["TextQuoteSelector"]["exact"] == annotation.exact
    kwargs = w3c.from_w3c(document)
    assert kwargs["article_id"] == annotation.article_id
    assert (kwargs["start"], kwargs["end"], kwargs["exact"]) == (
        annotation.start,
        annotation.end,
        annotation.exact,
    )
    assert sorted(kwargs["tags"]) == ["budget", "claim"] and kwargs["note"] == "a note"


def test_offsets_are_code_points():
    article = ArticleFactory(body="Headline\n\U0001f600 Émoji first, then the harbour.\n")
    start = article.text.index("harbour")
    author = make_user("editor")
    from annotations import services

    annotation = services.annotation_create(
        article=article, author=author, start=start, end=start + 7, note="n"
    )
    selector = w3c.to_w3c(annotation)["target"]["selector"][1]
    assert (selector["start"], selector["end"]) == (start, start + 7)
    assert article.text[selector["start"] : selector["end"]] == "harbour"


# --- The protocol -------------------------------------------------------------------------------------


def test_container_headers_and_content_negotiation(client):
    AnnotationFactory()
    response = client.get("/api/w3c/annotations/", HTTP_ACCEPT=PROFILE)
    assert response.status_code == 200
    assert response["Content-Type"] == PROFILE
    assert 'rel="type"' in response["Link"] and "ldp#BasicContainer" in response["Link"]
    assert "constrainedBy" in response["Link"]
    assert "POST" in response["Allow"] and response["Accept-Post"] == PROFILE
    assert "Accept" in response["Vary"]
    assert response["ETag"]
    plain_ld = client.get("/api/w3c/annotations/", HTTP_ACCEPT="application/ld+json")
    assert plain_ld["Content-Type"] == PROFILE
    assert (
        client.get("/api/w3c/annotations/", HTTP_ACCEPT="application/json")["Content-Type"]
        == "application/json"
    )
    assert client.get("/api/w3c/annotations/", HTTP_ACCEPT="text/html").status_code == 406


def test_prefer_iris_and_minimal_container(client):
    annotation = AnnotationFactory()
    iris = client.get(
        "/api/w3c/annotations/",
        HTTP_PREFER='return=representation; include="http://www.w3.org/ns/oa#PreferContainedIRIs"',
    ).json()
    assert iris["first"]["items"] == [w3c.annotation_iri(annotation.pk)]
    minimal = client.get(
        "/api/w3c/annotations/",
        HTTP_PREFER='return=representation; include="http://www.w3.org/ns/ldp#PreferMinimalContainer"',
    ).json()
    assert minimal["first"] == w3c.container_iri() + "?page=0"


def test_pages_link_to_each_other(client):
    author = make_user("editor")
    article = ArticleFactory()
    for _ in range(25):
        AnnotationFactory(article=article, author=author)
    first = client.get("/api/w3c/annotations/?page=0").json()
    second = client.get("/api/w3c/annotations/?page=1").json()
    assert len(first["items"]) == 20 and len(second["items"]) == 5
    assert first["next"].endswith("?page=1") and second["prev"].endswith("?page=0") and "next" not in second
    assert second["startIndex"] == 20 and second["partOf"] == w3c.container_iri()
    assert client.get("/api/w3c/annotations/?page=2").status_code == 404
    assert client.get("/api/w3c/annotations/?page=x").status_code == 400


def test_create_replace_delete_with_preconditions():
    article = ArticleFactory()
    TagFactory(slug="budget")
    client = client_for(make_user("editor"))
    start = article.text.index("harbour")
    document = {
        "@context": w3c.CONTEXT,
        "type": "Annotation",
        "body": [
            {"type": "TextualBody", "purpose": "tagging", "value": "budget"},
            {"type": "TextualBody", "purpose": "commenting", "value": "which harbour?"},
        ],
        "target": {
            "type": "SpecificResource",
            "source": w3c.article_iri(article.pk),
            "selector": {"type": "TextPositionSelector", "start": start, "end": start + 7},
        },
    }
    created = client.post("/api/w3c/annotations/", document, format="json")
    assert created.status_code == 201, created.content
    assert created["Content-Type"] == PROFILE and "ldp#Resource" in created["Link"]
    iri = created.json()["id"]
    assert created["Location"] == iri
    path = iri.removeprefix(w3c.container_iri().removesuffix("/api/w3c/annotations/"))
    stored = Annotation.objects.get()
    assert (stored.exact, stored.note, [t.slug for t in stored.tags.all()]) == (
        "harbour",
        "which harbour?",
        ["budget"],
    )

    replacement = {**created.json(), "body": {"type": "TextualBody", "value": "the old harbour"}}
    assert client.put(path, replacement, format="json").status_code == 428
    replaced = client.put(path, replacement, format="json", HTTP_IF_MATCH=created["ETag"])
    assert replaced.status_code == 200, replaced.content
    stored.refresh_from_db()
    assert stored.note == "the old harbour" and not stored.tags.exists() and stored.version == 2
    assert client.put(path, replacement, format="json", HTTP_IF_MATCH=created["ETag"]).status_code == 412
    wrong_id = {**replacement, "id": "http://example.org/elsewhere"}
    assert client.put(path, wrong_id, format="json", HTTP_IF_MATCH=replaced["ETag"]).status_code == 400

    assert client.delete(path).status_code == 428
    assert client.delete(path, HTTP_IF_MATCH=created["ETag"]).status_code == 412
    assert client.delete(path, HTTP_IF_MATCH=replaced["ETag"]).status_code == 204
    assert not Annotation.objects.exists()


def test_target_outside_this_site_is_refused():
    client = client_for(make_user("editor"))
    document = {
        "@context": w3c.CONTEXT,
        "type": "Annotation",
        "bodyValue": "x",
        "target": "http://example.org/page",
    }
    response = client.post("/api/w3c/annotations/", document, format="json")
    assert response.status_code == 400 and "target" in response.json()
