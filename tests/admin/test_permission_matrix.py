"""Every admin write × every role: anonymous, viewer, editor, another editor, fact-checker, another
fact-checker, administrator. Beside the API's matrix (tests/api/test_permissions.py): the editor wrote
the annotations, claims and fact-checks below, so the matrix also shows the object rules. Each case
says who may; "done" reads the database, so a door that answers 200 but writes nothing, or 302 after
a refusal, is judged by what it did. Nobody gets a server error."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from annotations import services
from annotations.models import Annotation, Claim, FactCheck, Tag
from tests.factories import AnnotationFactory, ArticleFactory, TagFactory, UserFactory

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "viewer", "editor", "editor2", "checker", "checker2", "administrator")
GROUPS = {
    "viewer": "Viewer",
    "editor": "Editor",
    "editor2": "Editor",
    "checker": "Fact-checker",
    "checker2": "Fact-checker",
}
ADMIN = "/admin/annotations"


@dataclass
class World:
    users: dict
    article: Any
    annotation: Any
    draft: Any
    machine: Any
    claim: Any
    draft_check: Any
    review_check: Any
    published_check: Any
    tag: Any
    other_tag: Any


def _world() -> World:
    users = {role: UserFactory(username=role, is_staff=True, groups=[GROUPS[role]]) for role in GROUPS}
    users["administrator"] = UserFactory(username="administrator", is_staff=True, is_superuser=True)
    editor, reviewer = users["editor"], UserFactory(username="outsider", groups=["Fact-checker"])
    article = ArticleFactory()
    annotation = AnnotationFactory(article=article, author=editor, status="published", note="published")
    draft = AnnotationFactory(article=article, author=editor, status="draft", note="draft")
    machine = services.annotation_create(
        article=article, target="article", note="machine", origin="machine", rule="r"
    )
    claim = services.claim_create(article=article, text="bare claim", created_by=editor)
    drafted = services.claim_create(article=article, text="drafted", created_by=editor)
    draft_check = services.factcheck_create(claim=drafted, author=editor, verdict="false")
    in_review = services.claim_create(article=article, text="in review", created_by=editor)
    review_check = services.factcheck_create(claim=in_review, author=editor, verdict="true")
    services.factcheck_submit(fact_check=review_check, expected_version=1, user=editor)
    public = services.claim_create(article=article, text="public", created_by=editor)
    published_check = services.factcheck_create(claim=public, author=editor, verdict="mixed")
    services.factcheck_submit(fact_check=published_check, expected_version=1, user=editor)
    services.factcheck_publish(fact_check=published_check, expected_version=2, user=reviewer)
    return World(
        users=users,
        article=article,
        annotation=annotation,
        draft=draft,
        machine=machine,
        claim=claim,
        draft_check=draft_check,
        review_check=review_check,
        published_check=published_check,
        tag=TagFactory(slug="unused"),
        other_tag=TagFactory(slug="kept"),
    )


def _fresh(obj):
    return type(obj)._default_manager.filter(pk=obj.pk).first()


def _version(obj) -> int:
    return _fresh(obj).version


def _action(url: str, action: str, objects: Callable[[World], list], **extra):
    def body(w: World) -> dict:
        chosen = objects(w)
        data = {"action": action, "_selected_action": [o.pk for o in chosen], **extra}
        if extra.get("apply"):
            data.update({f"version-{o.pk}": _version(o) for o in chosen if hasattr(o, "version")})
        return data

    return lambda w: url, body


def _span(w: World) -> dict:
    start = w.article.text.index("The city council")
    return {
        "article": w.article.pk,
        "target": "span",
        "start": start,
        "end": start + 8,
        "note": "new",
        "status": "draft",
    }


def _annotation_form(w: World) -> dict:
    a = w.annotation
    return {
        "target": "span",
        "start": a.start,
        "end": a.end,
        "exact": a.exact,
        "note": "changed",
        "status": a.status,
        "expected_version": _version(a),
    }


def _claim_form(w: World, **changes) -> dict:
    return {
        "article": w.article.pk,
        "text": "changed claim",
        "claimant": "",
        "annotation": "",
        "expected_version": _version(w.claim),
        "fact_check-TOTAL_FORMS": "0",
        "fact_check-INITIAL_FORMS": "0",
        "fact_check-MIN_NUM_FORMS": "0",
        "fact_check-MAX_NUM_FORMS": "1",
        **changes,
    }


E, E2, F, F2, A = "editor", "editor2", "checker", "checker2", "administrator"
WRITERS = {E, E2, F, F2, A}
OWNER = {E, A}
REVIEWERS = {F, F2, A}

# name: (url, body, done, roles that may)
CASES: dict[str, tuple[Callable, Callable | None, Callable[[World], bool], set[str]]] = {
    "annotation add": (
        lambda w: f"{ADMIN}/annotation/add/",
        _span,
        lambda w: Annotation.objects.filter(note="new").exists(),
        WRITERS,
    ),
    "annotation change": (
        lambda w: f"{ADMIN}/annotation/{w.annotation.pk}/change/",
        _annotation_form,
        lambda w: _fresh(w.annotation).note == "changed",
        OWNER,
    ),
    "annotation delete": (
        lambda w: f"{ADMIN}/annotation/{w.annotation.pk}/delete/",
        lambda w: {"post": "yes"},
        lambda w: _fresh(w.annotation) is None,
        OWNER,
    ),
    "annotation bulk publish": (
        *_action(f"{ADMIN}/annotation/", "publish_selected", lambda w: [w.draft]),
        lambda w: _fresh(w.draft).status == "published",
        OWNER,
    ),
    "annotation bulk reject": (
        *_action(f"{ADMIN}/annotation/", "reject_selected", lambda w: [w.draft]),
        lambda w: _fresh(w.draft).status == "rejected",
        OWNER,
    ),
    "annotation bulk delete": (
        *_action(f"{ADMIN}/annotation/", "delete_selected", lambda w: [w.draft], post="yes"),
        lambda w: _fresh(w.draft) is None,
        OWNER,
    ),
    "machine annotation publish": (
        *_action(f"{ADMIN}/annotation/", "publish_selected", lambda w: [w.machine]),
        lambda w: _fresh(w.machine).status == "published",
        REVIEWERS,
    ),
    "machine annotation change": (
        lambda w: f"{ADMIN}/annotation/{w.machine.pk}/change/",
        lambda w: {
            "target": "article",
            "note": "changed",
            "status": "draft",
            "expected_version": _version(w.machine),
        },
        lambda w: _fresh(w.machine).note == "changed",
        REVIEWERS,
    ),
    "claim add": (
        lambda w: f"{ADMIN}/claim/add/",
        lambda w: {**_claim_form(w), "text": "a new claim"},
        lambda w: Claim.objects.filter(text="a new claim").exists(),
        WRITERS,
    ),
    "claim change": (
        lambda w: f"{ADMIN}/claim/{w.claim.pk}/change/",
        _claim_form,
        lambda w: _fresh(w.claim).text == "changed claim",
        OWNER,
    ),
    "claim delete": (
        lambda w: f"{ADMIN}/claim/{w.claim.pk}/delete/",
        lambda w: {"post": "yes"},
        lambda w: _fresh(w.claim) is None,
        OWNER,
    ),
    "claim bulk delete": (
        *_action(f"{ADMIN}/claim/", "delete_selected", lambda w: [w.claim], post="yes"),
        lambda w: _fresh(w.claim) is None,
        OWNER,
    ),
    "fact-check add": (
        lambda w: f"{ADMIN}/factcheck/add/",
        lambda w: {"claim": w.claim.pk, "verdict": "mixed", "rationale": "new", "evidence": "[]"},
        lambda w: FactCheck.objects.filter(claim=w.claim).exists(),
        WRITERS,
    ),
    "fact-check change": (
        lambda w: f"{ADMIN}/factcheck/{w.draft_check.pk}/change/",
        lambda w: {
            "verdict": "true",
            "rationale": "changed",
            "evidence": "[]",
            "expected_version": _version(w.draft_check),
        },
        lambda w: _fresh(w.draft_check).rationale == "changed",
        OWNER,
    ),
    "fact-check change in review": (
        lambda w: f"{ADMIN}/factcheck/{w.review_check.pk}/change/",
        lambda w: {
            "verdict": "false",
            "rationale": "fixed",
            "evidence": "[]",
            "expected_version": _version(w.review_check),
        },
        lambda w: _fresh(w.review_check).rationale == "fixed",
        {E, F, F2, A},
    ),
    "fact-check delete": (
        lambda w: f"{ADMIN}/factcheck/{w.draft_check.pk}/delete/",
        lambda w: {"post": "yes"},
        lambda w: _fresh(w.draft_check) is None,
        OWNER,
    ),
    "fact-check bulk delete published": (
        *_action(f"{ADMIN}/factcheck/", "delete_selected", lambda w: [w.published_check], post="yes"),
        lambda w: _fresh(w.published_check) is None,
        set(),
    ),
    "fact-check submit": (
        *_action(f"{ADMIN}/factcheck/", "submit_selected", lambda w: [w.draft_check]),
        lambda w: _fresh(w.draft_check).status == "in_review",
        OWNER,
    ),
    "fact-check approve": (
        *_action(f"{ADMIN}/factcheck/", "publish_selected", lambda w: [w.review_check], apply="1"),
        lambda w: _fresh(w.review_check).status == "published",
        REVIEWERS,
    ),
    "fact-check send back": (
        *_action(
            f"{ADMIN}/factcheck/", "send_back_selected", lambda w: [w.review_check], apply="1", comment="c"
        ),
        lambda w: _fresh(w.review_check).status == "draft",
        REVIEWERS,
    ),
    "fact-check withdraw": (
        *_action(
            f"{ADMIN}/factcheck/", "withdraw_selected", lambda w: [w.published_check], apply="1", reason="r"
        ),
        lambda w: _fresh(w.published_check).status == "draft",
        REVIEWERS,
    ),
    "review queue approve": (
        *_action(f"{ADMIN}/factcheckinreview/", "publish_selected", lambda w: [w.review_check], apply="1"),
        lambda w: _fresh(w.review_check).status == "published",
        REVIEWERS,
    ),
    "review queue change": (
        lambda w: f"{ADMIN}/factcheckinreview/{w.review_check.pk}/change/",
        lambda w: {
            "verdict": "false",
            "rationale": "fixed",
            "evidence": "[]",
            "expected_version": _version(w.review_check),
        },
        lambda w: _fresh(w.review_check).rationale == "fixed",
        {E, F, F2, A},
    ),
    "review screen approve": (
        lambda w: f"{ADMIN}/factcheckinreview/{w.review_check.pk}/review/",
        lambda w: {"version": _version(w.review_check), "decision": "approve"},
        lambda w: _fresh(w.review_check).status == "published",
        REVIEWERS,
    ),
    "review screen send back": (
        lambda w: f"{ADMIN}/factcheckinreview/{w.review_check.pk}/review/",
        lambda w: {"version": _version(w.review_check), "decision": "send_back", "comment": "c"},
        lambda w: _fresh(w.review_check).status == "draft",
        REVIEWERS,
    ),
    "tag add": (
        lambda w: f"{ADMIN}/tag/add/",
        lambda w: {"name": "New", "slug": "new", "description": "", "colour": "#ffd54f"},
        lambda w: Tag.objects.filter(slug="new").exists(),
        {A},
    ),
    "tag change": (
        lambda w: f"{ADMIN}/tag/{w.tag.pk}/change/",
        lambda w: {"name": "Renamed", "slug": "unused", "description": "", "colour": "#ffd54f"},
        lambda w: _fresh(w.tag).name == "Renamed",
        {A},
    ),
    "tag delete": (
        lambda w: f"{ADMIN}/tag/{w.tag.pk}/delete/",
        lambda w: {"post": "yes"},
        lambda w: _fresh(w.tag) is None,
        {A},
    ),
    "tag bulk delete": (
        *_action(f"{ADMIN}/tag/", "delete_selected", lambda w: [w.tag], post="yes"),
        lambda w: _fresh(w.tag) is None,
        {A},
    ),
    "tag merge": (
        *_action(f"{ADMIN}/tag/", "merge_selected", lambda w: [w.tag], apply="1", target=0),
        lambda w: _fresh(w.tag) is None,
        {A},
    ),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", list(CASES))
def test_admin_permission_matrix(client, role, name):
    world = _world()
    url, body, done, allowed = CASES[name]
    if role != "anonymous":
        client.force_login(world.users[role])
    data = body(world) if body else {}
    if name == "tag merge":
        data["target"] = world.other_tag.pk
    response = client.post(url(world), data)
    assert response.status_code < 500, (name, role, response.status_code)
    assert done(world) is (role in allowed), (
        name,
        role,
        response.status_code,
        response.content.decode()[:300],
    )
