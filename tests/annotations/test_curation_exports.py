"""What the exports carry of curation: the curated layer (or every finished layer with --layers all),
which layer each annotation is in, and the agreement in their manifest; never an open article's layers."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from annotations import projects, services
from annotations.models import Annotation
from tests.annotations.projects_setup import curation_picks
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def _export(tmp_path, *extra) -> tuple[list[dict], dict]:
    out = tmp_path / "out.jsonl"
    call_command("export", "--format", "jsonl", "--output", str(out), *extra, verbosity=0)
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    manifest = json.loads((tmp_path / "out.jsonl.manifest.json").read_text(encoding="utf-8"))
    return records, manifest


def _notes_and_exacts(records) -> list[tuple[str, str, str]]:
    return sorted((a["exact"], a["author"], a["status"]) for r in records for a in r["annotations"])


def _curated(setup) -> None:
    article = setup.articles[0]
    setup.close(article)
    picks = curation_picks(
        setup,
        {"The city council": {"take": "ann1"}, "Opponents": {"take": "ann2"}, "the harbour": {"leave": True}},
    )
    projects.curation_publish(
        project=setup.project, article=article, curator=setup.people["curator"], picks=picks
    )


def test_exports_carry_the_curated_layer_by_default_and_every_finished_layer_on_request(tmp_path, layered):
    setup = layered
    _curated(setup)
    records, manifest = _export(tmp_path, "--include-drafts")
    assert _notes_and_exacts(records) == [
        ("Opponents", "curator", "published"),
        ("The city council", "curator", "published"),
    ]
    assert manifest["options"]["layers"] == "curated"
    (project,) = manifest["projects"]
    assert (project["name"], project["articles"]) == (
        "Blame in harbour coverage",
        {"open": 1, "closed": 0, "curated": 1},
    )
    rows = {(r["tag"], r["unit"]): r for r in project["agreement"]["rows"]}
    exact = rows[(None, "span_exact")]["cohen_kappa"]
    # The city council: blame/blame; Opponents: praise/blame; the harbour: none/praise.
    assert (exact["items"], exact["observed"]) == (3, round(1 / 3, 6))
    assert project["agreement"]["annotators"] == ["ann1", "ann2"]

    everything, manifest = _export(tmp_path, "--layers", "all")
    exacts = _notes_and_exacts(everything)
    assert ("the harbour", "ann2", "draft") in exacts and ("Opponents", "ann1", "draft") in exacts
    assert manifest["options"]["layers"] == "all"
    # The second article is still open: its layer is in no export.
    assert all("open layer" not in a["note"] for r in everything for a in r["annotations"])


def test_w3c_exports_and_the_api_say_which_layer_an_annotation_is_in(tmp_path, layered):
    setup, article = layered, layered.articles[0]
    _curated(setup)
    desk = services.annotation_create(
        article=ArticleFactory(), author=setup.people["outsider"], start=0, end=3, tags=["elsewhere"]
    )
    out = tmp_path / "w3c.jsonld"
    call_command(
        "export", "--format", "w3c", "--layers", "all", "--include-drafts", "--output", str(out), verbosity=0
    )
    items = json.loads(out.read_text(encoding="utf-8"))["first"]["items"]
    annotations = {
        item["id"].rstrip("/").rsplit("/", 1)[1]: item for item in items if "/w3c/annotations/" in item["id"]
    }
    project_iri = f"http://127.0.0.1:8000/api/projects/{setup.project.pk}/"
    layers = {}
    for row in Annotation.objects.filter(project=setup.project, article=article):
        document = annotations[str(row.pk)]
        assert document["annotationProject"] == project_iri
        layers[(row.exact, row.author.username)] = document["layer"]
    assert layers[("Opponents", "curator")] == "curated"
    assert layers[("Opponents", "ann1")] == layers[("the harbour", "ann2")] == "annotator"
    assert "annotationProject" not in annotations[str(desk.pk)] and "layer" not in annotations[str(desk.pk)]
    # The API's document of an annotation is the export's (one mapping).
    curated = Annotation.objects.get(project=setup.project, curated=True, exact="Opponents")
    client = APIClient()
    client.force_authenticate(setup.people["curator"])
    answer = client.get(f"/api/w3c/annotations/{curated.pk}/").json()
    assert (answer["annotationProject"], answer["layer"]) == (project_iri, "curated")


def test_anonymized_exports_name_the_annotators_of_the_agreement_by_pseudonym(tmp_path, layered):
    layered.close(layered.articles[0])
    _, manifest = _export(tmp_path, "--anonymize-authors")
    agreement = manifest["projects"][0]["agreement"]
    assert all(name.startswith("annotator-") for name in agreement["annotators"])
    assert "ann1" not in json.dumps(manifest)


def test_every_layer_through_the_api_needs_the_view_permission(layered):
    assert APIClient().get("/api/exports/jsonl/", {"layers": "all"}).status_code == 403
    viewer = APIClient()
    viewer.force_authenticate(layered.people["viewer"])
    response = viewer.get("/api/exports/jsonl/", {"layers": "all"})
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode()
    assert "open layer" not in body


def test_every_exported_annotation_says_which_layer_it_is_in(tmp_path, layered):
    import csv

    import pyarrow.parquet as pq

    setup = layered
    # The curator also annotates: the author alone no longer tells the layers apart.
    setup.project.annotators.add(setup.people["curator"])
    setup.span(setup.articles[0], "curator", "the harbour", "blame")
    _curated(setup)
    desk = services.annotation_create(
        article=setup.articles[0], author=setup.people["outsider"], target="article", note="desk"
    )
    project = setup.project.pk
    expected = {
        ("Opponents", "curator", project, "curated"),
        ("The city council", "curator", project, "curated"),
        ("Opponents", "ann1", project, "annotator"),
        ("Opponents", "ann2", project, "annotator"),
        ("The city council", "ann1", project, "annotator"),
        ("The city council", "ann2", project, "annotator"),
        ("the harbour", "ann2", project, "annotator"),
        ("the harbour", "curator", project, "annotator"),
        (None, "outsider", None, None),
    }
    records, _ = _export(tmp_path, "--layers", "all", "--include-drafts")
    annotations = [a for r in records for a in r["annotations"]]
    assert {(a["exact"] or None, a["author"], a["project"], a["layer"]) for a in annotations} == expected
    assert list(annotations[0])[-3:] == ["author", "project", "layer"]
    assert any(a["id"] == desk.pk and a["layer"] is None for a in annotations)

    for fmt in ("csv", "parquet"):
        folder = tmp_path / fmt
        call_command(
            "export",
            "--format",
            fmt,
            "--output",
            str(folder),
            "--layers",
            "all",
            "--include-drafts",
            verbosity=0,
        )
        if fmt == "csv":
            with (folder / "annotations" / "annotations.csv").open(encoding="utf-8", newline="") as stream:
                rows = list(csv.DictReader(stream))
            found = {
                (
                    r["exact"] or None,
                    r["author"],
                    int(r["project_id"]) if r["project_id"] else None,
                    r["layer"] or None,
                )
                for r in rows
            }
        else:
            rows = pq.read_table(folder / "annotations" / "annotations.parquet").to_pylist()
            found = {(r["exact"] or None, r["author"], r["project_id"], r["layer"]) for r in rows}
        assert found == expected, fmt
        package = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
        (table,) = [r for r in package["resources"] if r["name"] == "annotations"]
        fields = {f["name"]: f for f in table["schema"]["fields"]}
        assert fields["project_id"]["type"] == "integer" and fields["layer"]["type"] == "string"
        assert "curated" in fields["layer"]["description"]
        assert "`layer`" in (folder / "README.md").read_text(encoding="utf-8")


def test_a_filtered_export_s_manifest_holds_the_projects_of_its_articles_only(tmp_path, layered):
    """The manifest's projects and their counts come from the exported articles' entries: all of them
    for a whole export, those of the chosen articles for a filtered one, none for an article of no
    project."""
    setup = layered
    _curated(setup)
    _, whole = _export(tmp_path)
    assert [p["articles"] for p in whole["projects"]] == [{"open": 1, "closed": 0, "curated": 1}]
    _, first = _export(tmp_path, "--article", str(setup.articles[0].pk))
    assert [p["articles"] for p in first["projects"]] == [{"open": 0, "closed": 0, "curated": 1}]
    _, second = _export(tmp_path, "--article", str(setup.articles[1].pk))
    assert [p["articles"] for p in second["projects"]] == [{"open": 1, "closed": 0, "curated": 0}]
    elsewhere = ArticleFactory(body='Elsewhere\n"Not in any project," said Ben Adler.\n')
    _, none = _export(tmp_path, "--article", str(elsewhere.pk))
    assert none["projects"] == [] and none["counts"]["articles"] == 1
