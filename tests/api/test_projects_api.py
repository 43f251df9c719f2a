"""/api/projects/ and /api/projects/{id}/agreement/: the set-up of each project, and its agreement
figures, each with its unit and counts; query counts pinned."""

from __future__ import annotations

from contextlib import contextmanager

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from tests.annotations.projects_setup import project_setup

pytestmark = pytest.mark.django_db


@contextmanager
def exactly(n: int):
    """Exactly ``n`` queries besides the throttles' (two statements on SQLite, one on PostgreSQL, per
    throttle: they are the throttles' own, pinned in test_throttle_counts.py)."""
    with CaptureQueriesContext(connection) as context:
        yield
    ours = [q["sql"] for q in context.captured_queries if "annotations_throttlecount" not in q["sql"]]
    assert len(ours) == n, "\n\n".join(ours)


def test_projects_list_their_setup():
    setup = project_setup()
    setup.close(setup.articles[0])
    client = APIClient()
    # The page's count, the projects with their root tag, their articles, annotators and curators, and
    # the vocabulary.
    with exactly(6):
        body = client.get("/api/projects/").json()
    (project,) = body["results"]
    assert project == {
        "id": setup.project.pk,
        "name": "Blame in harbour coverage",
        "guidelines": "Mark who is blamed or praised for the harbour.",
        "tag_root": "framing",
        "tags": ["blame", "framing", "praise"],
        "articles": [
            {"id": setup.articles[0].pk, "state": "closed"},
            {"id": setup.articles[1].pk, "state": "open"},
        ],
        "annotators": ["ann1", "ann2"],
        "curators": ["curator"],
        "annotators_per_article": 2,
    }


def test_projects_list_costs_the_same_with_more_projects():
    from annotations import projects

    setup = project_setup()
    for n in range(3):
        projects.project_save(
            user=setup.people["chief"],
            name=f"project {n}",
            tag_root=setup.project.tag_root,
            annotators=[setup.people["ann1"], setup.people["ann2"]],
        )
    with exactly(6):
        assert len(APIClient().get("/api/projects/").json()["results"]) == 4


def test_agreement_gives_each_figure_with_its_unit_and_counts():
    setup = project_setup()
    first = setup.articles[0]
    setup.span(first, "ann1", "The city council", "blame")
    setup.span(first, "ann2", "The city council", "blame")
    setup.span(first, "ann1", "Opponents", "praise")
    setup.close(first)
    client = APIClient()
    # The project, the closed articles, their assignments, the layers and their tags, the paragraphs, the
    # texts, the project's tags (the vocabulary walked in memory, then its slugs).
    with exactly(10):
        body = client.get(f"/api/projects/{setup.project.pk}/agreement/").json()
    assert (body["project"], body["articles"], body["annotators"]) == (setup.project.pk, 1, ["ann1", "ann2"])
    units = {row["unit"] for row in body["rows"]}
    assert units == {"article", "paragraph", "token", "span_exact", "span_overlap"}
    assert {row["tag"] for row in body["rows"]} == {None, "framing", "blame", "praise"}
    exact = next(row for row in body["rows"] if row["tag"] is None and row["unit"] == "span_exact")
    # ann1: blame, praise; ann2: blame, none. p_o = 1/2, p_e = (1 x 1) / 4, kappa = 0.25 / 0.75.
    assert exact["cohen_kappa"] == {
        "value": 0.333333,
        "items": 2,
        "observed": 0.5,
        "expected": 0.25,
        "categories": {"(none)": 1, "blame": 2, "praise": 1},
    }
    assert exact["fleiss_kappa"]["raters_per_item"] == 2
    assert exact["krippendorff_alpha"]["values"] == 4
    assert [(p["a"], p["b"], p["cohen_kappa"]["items"]) for p in body["pairs"]["span_exact"]] == [
        ("ann1", "ann2", 2)
    ]


def test_annotations_made_in_a_project_carry_it():
    setup = project_setup()
    made = setup.span(setup.articles[0], "ann1", "The city council", "blame")
    client = APIClient()
    client.force_authenticate(setup.people["ann1"])
    assert client.get(f"/api/annotations/{made.pk}/").json()["project"] == setup.project.pk


def test_unknown_project_is_a_404():
    assert APIClient().get("/api/projects/999/agreement/").status_code == 404
