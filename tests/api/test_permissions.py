"""Every endpoint x every role: anonymous, viewer, editor, fact-checker, superuser.

The editor authored the annotation and the fact-checks below, so the matrix also shows the object
rules: editors change their own annotations; a second person, a fact-checker, reviews.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from annotations import services
from annotations.w3c import article_iri
from tests.api.conftest import ROLES, client_for
from tests.factories import AnnotationFactory, ArticleFactory

pytestmark = pytest.mark.django_db


@dataclass
class World:
    article: Any
    annotation: Any
    draft: Any
    paragraph: Any
    quote: Any
    claim: Any
    bare_claim: Any
    draft_check: Any
    review_check: Any


def _world(users) -> World:
    editor = users["editor"]
    article = ArticleFactory()
    annotation = AnnotationFactory(article=article, author=editor, status="published")
    draft = AnnotationFactory(article=article, author=editor, status="draft", note="a draft")
    claim = services.claim_create(article=article, text="a claim", created_by=editor)
    draft_check = services.factcheck_create(claim=claim, author=editor, verdict="false")
    other = services.claim_create(article=article, text="another claim", created_by=editor)
    review_check = services.factcheck_create(claim=other, author=editor, verdict="true")
    services.factcheck_submit(fact_check=review_check, expected_version=1, user=editor)
    review_check.refresh_from_db()
    bare_claim = services.claim_create(article=article, text="unchecked", created_by=editor)
    return World(
        article=article,
        annotation=annotation,
        draft=draft,
        paragraph=article.paragraphs.order_by("position").last(),
        quote=article.quotes.first(),
        claim=claim,
        bare_claim=bare_claim,
        draft_check=draft_check,
        review_check=review_check,
    )


def _etag(obj) -> str:
    return f'"{obj.pk}-{obj.version}"'


def _span_body(w: World) -> dict:
    start = w.article.text.index("The city council")
    return {"article": w.article.pk, "start": start, "end": start + 8, "note": "n"}


def _w3c_body(w: World) -> dict:
    start = w.article.text.index("The city council")
    return {
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "type": "Annotation",
        "bodyValue": "a note",
        "target": {
            "source": article_iri(w.article.pk),
            "selector": {"type": "TextPositionSelector", "start": start, "end": start + 8},
        },
    }


A, V, E, F, S = ROLES
ALL_200 = dict.fromkeys(ROLES, 200)


def _codes(anonymous, viewer, editor, factchecker, superuser) -> dict[str, int]:
    return {A: anonymous, V: viewer, E: editor, F: factchecker, S: superuser}


# (name, method, url, body, if-match object, expected status by role)
CASES = [
    ("articles list", "get", lambda w: "/api/articles/", None, None, ALL_200),
    ("article detail", "get", lambda w: f"/api/articles/{w.article.pk}/", None, None, ALL_200),
    (
        "article ingest",
        "post",
        lambda w: "/api/articles/",
        lambda w: {"text": "New story.\n\nBody."},
        None,
        _codes(401, 403, 201, 201, 201),
    ),
    (
        "article delete",
        "delete",
        lambda w: f"/api/articles/{w.article.pk}/",
        None,
        None,
        _codes(401, 403, 403, 403, 405),
    ),
    ("paragraphs list", "get", lambda w: "/api/paragraphs/", None, None, ALL_200),
    ("paragraph detail", "get", lambda w: f"/api/paragraphs/{w.paragraph.pk}/", None, None, ALL_200),
    (
        "paragraph role",
        "patch",
        lambda w: f"/api/paragraphs/{w.paragraph.pk}/",
        lambda w: {"role": "caption"},
        lambda w: w.paragraph,
        _codes(401, 403, 200, 200, 200),
    ),
    ("quotes list", "get", lambda w: "/api/quotes/", None, None, ALL_200),
    ("quote detail", "get", lambda w: f"/api/quotes/{w.quote.pk}/", None, None, ALL_200),
    (
        "quote correct",
        "patch",
        lambda w: f"/api/quotes/{w.quote.pk}/",
        lambda w: {"verified": True},
        lambda w: w.quote,
        _codes(401, 403, 200, 200, 200),
    ),
    ("speakers list", "get", lambda w: "/api/speakers/", None, None, ALL_200),
    ("speaker quotes", "get", lambda w: f"/api/speakers/{w.quote.speaker_id}/quotes/", None, None, ALL_200),
    ("sources list", "get", lambda w: "/api/sources/", None, None, ALL_200),
    ("tags list", "get", lambda w: "/api/tags/", None, None, ALL_200),
    ("annotations list", "get", lambda w: "/api/annotations/", None, None, ALL_200),
    ("published annotation", "get", lambda w: f"/api/annotations/{w.annotation.pk}/", None, None, ALL_200),
    (
        "draft annotation",
        "get",
        lambda w: f"/api/annotations/{w.draft.pk}/",
        None,
        None,
        _codes(404, 200, 200, 200, 200),
    ),
    (
        "annotation create",
        "post",
        lambda w: "/api/annotations/",
        _span_body,
        None,
        _codes(401, 403, 201, 201, 201),
    ),
    (
        "annotation patch",
        "patch",
        lambda w: f"/api/annotations/{w.annotation.pk}/",
        lambda w: {"note": "x"},
        lambda w: w.annotation,
        _codes(401, 403, 200, 403, 200),
    ),
    (
        "annotation put",
        "put",
        lambda w: f"/api/annotations/{w.annotation.pk}/",
        _span_body,
        lambda w: w.annotation,
        _codes(401, 403, 200, 403, 200),
    ),
    (
        "annotation delete",
        "delete",
        lambda w: f"/api/annotations/{w.annotation.pk}/",
        None,
        lambda w: w.annotation,
        _codes(401, 403, 204, 403, 204),
    ),
    ("claims list", "get", lambda w: "/api/claims/", None, None, ALL_200),
    (
        "claim create",
        "post",
        lambda w: "/api/claims/",
        lambda w: {"article": w.article.pk, "text": "c"},
        None,
        _codes(401, 403, 201, 201, 201),
    ),
    (
        "claim patch",
        "patch",
        lambda w: f"/api/claims/{w.bare_claim.pk}/",
        lambda w: {"text": "reworded"},
        lambda w: w.bare_claim,
        _codes(401, 403, 200, 403, 200),
    ),
    (
        "claim delete",
        "delete",
        lambda w: f"/api/claims/{w.bare_claim.pk}/",
        None,
        lambda w: w.bare_claim,
        _codes(401, 403, 204, 403, 204),
    ),
    ("fact-checks list", "get", lambda w: "/api/fact-checks/", None, None, ALL_200),
    (
        "draft fact-check",
        "get",
        lambda w: f"/api/fact-checks/{w.draft_check.pk}/",
        None,
        None,
        _codes(404, 200, 200, 200, 200),
    ),
    (
        "fact-check create",
        "post",
        lambda w: "/api/fact-checks/",
        lambda w: {"claim": w.bare_claim.pk, "verdict": "mixed"},
        None,
        _codes(401, 403, 201, 201, 201),
    ),
    (
        "fact-check patch",
        "patch",
        lambda w: f"/api/fact-checks/{w.draft_check.pk}/",
        lambda w: {"rationale": "because"},
        lambda w: w.draft_check,
        _codes(401, 403, 200, 403, 200),
    ),
    (
        "fact-check submit",
        "post",
        lambda w: f"/api/fact-checks/{w.draft_check.pk}/submit/",
        None,
        lambda w: w.draft_check,
        _codes(401, 403, 200, 403, 200),
    ),
    (
        "fact-check publish",
        "post",
        lambda w: f"/api/fact-checks/{w.review_check.pk}/publish/",
        None,
        lambda w: w.review_check,
        _codes(401, 403, 403, 200, 200),
    ),
    (
        "fact-check send back",
        "post",
        lambda w: f"/api/fact-checks/{w.review_check.pk}/send-back/",
        lambda w: {"comment": "more sources"},
        lambda w: w.review_check,
        _codes(401, 403, 403, 200, 200),
    ),
    ("w3c container", "get", lambda w: "/api/w3c/annotations/", None, None, ALL_200),
    ("w3c annotation", "get", lambda w: f"/api/w3c/annotations/{w.annotation.pk}/", None, None, ALL_200),
    (
        "w3c create",
        "post",
        lambda w: "/api/w3c/annotations/",
        _w3c_body,
        None,
        _codes(401, 403, 201, 201, 201),
    ),
    (
        "w3c replace",
        "put",
        lambda w: f"/api/w3c/annotations/{w.annotation.pk}/",
        _w3c_body,
        lambda w: w.annotation,
        _codes(401, 403, 200, 403, 200),
    ),
    (
        "w3c delete",
        "delete",
        lambda w: f"/api/w3c/annotations/{w.annotation.pk}/",
        None,
        lambda w: w.annotation,
        _codes(401, 403, 204, 403, 204),
    ),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("name", "method", "url", "body", "precondition", "expected"), CASES, ids=[c[0] for c in CASES]
)
def test_permission_matrix(users, role, name, method, url, body, precondition, expected):
    world = _world(users)
    client = client_for(users[role])
    kwargs: dict = {"format": "json"}
    if body is not None:
        kwargs["data"] = body(world)
    if precondition is not None:
        kwargs["HTTP_IF_MATCH"] = _etag(precondition(world))
    response = getattr(client, method)(url(world), **kwargs)
    assert response.status_code == expected[role], (name, role, response.content[:300])
