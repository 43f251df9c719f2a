"""An annotation project in a real browser: two annotators annotate the same article from their queue, each
unable to see the other's layer; the curator resolves the disagreement on the curation page; the export
carries the curated layer and the agreement in its manifest."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command

from annotations.models import Annotation, CurationDecision
from tests.annotations.projects_setup import project_setup
from tests.browser.helpers import SELECT_PASSAGE

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _tag(page, passage: str, tag_path: str) -> None:
    assert page.evaluate(SELECT_PASSAGE, passage) == passage
    panel = page.locator("#annotate-panel")
    panel.wait_for()
    panel.locator(".tag-input").fill(tag_path.split(" › ")[-1])
    panel.locator(".tag-suggestions li", has_text=tag_path).wait_for()
    panel.locator(".tag-input").press("Enter")
    saved = page.locator("#annotate-messages li.success", has_text="Annotation saved").count()
    panel.locator(".save-button").click()
    page.locator("#annotate-messages li.success", has_text="Annotation saved").nth(saved).wait_for()


def test_two_layers_are_curated_and_exported_with_their_agreement(annotate_page, tmp_path):
    setup = project_setup()
    article = setup.articles[0]

    first = annotate_page(setup.people["ann1"], article)
    assert "your own layer" in first.locator("#project-bar").inner_text()
    _tag(first, "The city council", "framing › blame")
    _tag(first, "Opponents", "framing › praise")
    mine = Annotation.objects.filter(author=setup.people["ann1"]).order_by("start")
    assert [(a.exact, a.project_id, a.status) for a in mine] == [
        ("The city council", setup.project.pk, "draft"),
        ("Opponents", setup.project.pk, "draft"),
    ]

    second = annotate_page(setup.people["ann2"], article)
    # The first annotator's layer is nowhere on the second's screen.
    for annotation in mine:
        assert second.locator(f'[data-annotation-id="{annotation.pk}"]').count() == 0
        assert second.locator(f'.seg[data-items~="a{annotation.pk}"]').count() == 0
    _tag(second, "The city council", "framing › blame")
    _tag(second, "Opponents", "framing › blame")

    setup.close(article)

    curator = annotate_page(setup.people["curator"], article)
    curator.locator(".curation-link a").click()
    curator.locator("#curation").wait_for()
    assert curator.locator("tr.curation-unit.agreed").count() == 1
    disagreement = curator.locator("tr.curation-unit.disagreed")
    assert disagreement.count() == 1 and "Opponents" in disagreement.inner_text()
    disagreement.locator('input[value="take:ann2"]').check()
    curator.locator("#curation input[type=submit]").click()
    curator.locator(".messagelist li.success", has_text="Curated: 2 annotation(s) published").wait_for()

    curated = Annotation.objects.filter(project=setup.project, curated=True).order_by("start")
    assert [(a.exact, [t.slug for t in a.tags.all()], a.status) for a in curated] == [
        ("The city council", ["blame"], "published"),
        ("Opponents", ["blame"], "published"),
    ]
    assert sorted(CurationDecision.objects.values_list("choice", flat=True)) == ["agreed", "picked"]

    out = tmp_path / "dataset.jsonl"
    call_command(
        "export", "--format", "jsonl", "--output", str(out), "--article", str(article.pk), verbosity=0
    )
    (record,) = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert sorted((a["exact"], a["tags"][0], a["author"]) for a in record["annotations"]) == [
        ("Opponents", "blame", "curator"),
        ("The city council", "blame", "curator"),
    ]
    manifest = json.loads((tmp_path / "dataset.jsonl.manifest.json").read_text(encoding="utf-8"))
    (project,) = manifest["projects"]
    rows = {(r["tag"], r["unit"]): r for r in project["agreement"]["rows"]}
    exact = rows[(None, "span_exact")]["cohen_kappa"]
    # Two passages: blame/blame agreed, praise/blame not.
    assert (exact["items"], exact["observed"]) == (2, 0.5)
    assert project["articles"] == {"open": 0, "closed": 0, "curated": 1}
    for page in (first, second, curator):
        assert page.script_errors == []
