"""An annotation project in a real browser: two annotators annotate the same article from their queue, each
unable to see the other's layer; the curator resolves the disagreement on the annotate screen itself, by
keyboard (the layers side by side, the agreement pre-accepted, the disagreement marked in words and in the
text); the export carries the curated layer and the agreement in its manifest. axe checks the annotate
screen in curation mode and the curation page."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command

from annotations.models import Annotation, CurationDecision
from tests.annotations.projects_setup import project_setup
from tests.browser.helpers import SELECT_PASSAGE
from tests.browser.test_accessibility import _assert_no_serious_violations

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

    # The second annotator is no curator: no layers side by side for them.
    second.reload()
    second.wait_for_selector("#annotate-root[data-ready=true]")
    assert second.locator("#curation-panel, #curation-form").count() == 0

    curator = annotate_page(setup.people["curator"], article)
    curator.wait_for_selector("#curation-form[data-ready=true]")
    panel = curator.locator("#curation-panel")
    assert panel.locator("thead th").all_text_contents()[1:3] == ["ann1", "ann2"]
    agreed = panel.locator("tr.curation-unit.agreed")
    assert agreed.count() == 1 and agreed.locator("input:checked").get_attribute("value") == "take:ann1"
    disagreement = panel.locator("tr.curation-unit.disagreed")
    assert disagreement.count() == 1
    assert "Opponents" in disagreement.inner_text() and "disagreement" in disagreement.inner_text()
    # Both passages are marked in the text, each with its sign.
    marked = curator.evaluate(
        """() => ["cur-agreed", "cur-disagreed"].map((name) =>
             [...document.querySelectorAll(`#annotate-article .seg.${name}`)].map((s) => s.textContent).join(""))"""
    )
    assert marked == ["The city council", "Opponents"]
    _assert_no_serious_violations(curator)

    # By keyboard: from the agreement, j goes to the disagreement (its passage becomes the current one),
    # an arrow takes the second annotator's version, whose tags fill the edit field.
    agreed.locator("input:checked").focus()
    curator.keyboard.press("j")
    assert curator.evaluate("document.activeElement.value") == "take:ann1"
    current = curator.locator("#annotate-article .seg.cur-current")
    assert "".join(current.all_inner_texts()) == "Opponents"
    curator.keyboard.press("ArrowRight")
    assert disagreement.locator("input:checked").get_attribute("value") == "take:ann2"
    assert disagreement.locator("input.curation-tags").input_value() == "blame"

    # The same layers on the curation page of their own pass axe too.
    annotate_url = curator.url
    curator.goto(annotate_url.replace("/annotate/", f"/curate/{setup.project.pk}/"))
    curator.locator("#curation").wait_for()
    _assert_no_serious_violations(curator)
    curator.go_back()
    curator.wait_for_selector("#curation-form[data-ready=true]")
    disagreement.locator('input[value="take:ann2"]').check()

    panel.locator("input[type=submit]").press("Enter")
    curator.locator(".messagelist li.success", has_text="Curated: 2 annotation(s) published").wait_for()
    curator.wait_for_selector("#annotate-root[data-ready=true]")
    assert curator.url == annotate_url
    assert curator.locator("#curation-panel").count() == 0

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


def test_the_curator_widens_a_passage_and_the_export_carries_the_new_words(annotate_page, tmp_path):
    setup = project_setup()
    article = setup.articles[0]
    setup.span(article, "ann1", "Opponents", "praise")
    setup.span(article, "ann2", "Opponents", "blame")
    setup.close(article)
    start = article.text.index("Opponents")
    wider = "Opponents said the plan"
    assert article.text[start : start + len(wider)] == wider

    curator = annotate_page(setup.people["curator"], article)
    curator.wait_for_selector("#curation-form[data-ready=true]")
    row = curator.locator("#curation-panel tr.curation-unit.disagreed")
    words = row.locator("output.curation-words")
    assert words.inner_text() == "“Opponents”"
    # By keyboard: take the second version, tab on to the bounds and move the end; the words follow live.
    row.locator('input[value="take:ann2"]').check()
    assert row.locator("input.curation-tags").input_value() == "blame"
    end = row.locator("input.curation-end")
    assert end.input_value() == str(start + len("Opponents"))
    end.focus()
    curator.keyboard.press("Control+a")
    curator.keyboard.type(str(start))
    assert "end must be after start" in words.inner_text()
    assert row.locator('input[value="edit"]').is_checked()
    curator.keyboard.press("Control+a")
    curator.keyboard.type(str(start + len(wider)))
    assert words.inner_text() == f"“{wider}”"
    curator.keyboard.press("Enter")  # submits the form
    curator.locator(".messagelist li.success", has_text="Curated: 1 annotation(s) published").wait_for()

    (decision,) = CurationDecision.objects.select_related("result")
    assert (decision.choice, decision.curator.username) == ("edited", "curator")
    assert (decision.result.start, decision.result.end, decision.result.exact) == (
        start,
        start + len(wider),
        wider,
    )
    out = tmp_path / "dataset.jsonl"
    call_command(
        "export", "--format", "jsonl", "--output", str(out), "--article", str(article.pk), verbosity=0
    )
    (record,) = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    (annotation,) = record["annotations"]
    assert (annotation["exact"], annotation["start"], annotation["end"], annotation["tags"]) == (
        wider,
        start,
        start + len(wider),
        ["blame"],
    )
    assert decision.result.suffix.startswith(" was rushed")
    assert curator.script_errors == []
