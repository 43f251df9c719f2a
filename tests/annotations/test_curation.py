"""Curation turns a closed article's layers into the project's published layer, recording who chose
what, on its own page and on the annotate screen (what the exports carry of it: test_curation_exports)."""

from __future__ import annotations

import json
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from annotations import projects, services
from annotations.models import Annotation, CurationDecision, ProjectArticleState
from tests.annotations.projects_setup import curation_picks

pytestmark = pytest.mark.django_db


def _units(setup):
    return {u["exact"]: u for u in projects.curation_units(project=setup.project, article=setup.articles[0])}


def test_units_put_the_layers_side_by_side_and_mark_agreement(layered):
    units = _units(layered)
    assert units["The city council"]["layers"] == {"ann1": ["blame"], "ann2": ["blame"]}
    assert units["The city council"]["agreed"] is True
    assert units["Opponents"]["layers"] == {"ann1": ["praise"], "ann2": ["blame"]}
    assert units["Opponents"]["agreed"] is False
    assert units["the harbour"]["agreed"] is False


def test_curation_publishes_the_chosen_layer_and_records_who_chose_what(layered):
    setup, article = layered, layered.articles[0]
    curator = setup.people["curator"]
    with pytest.raises(PermissionDenied, match="still open"):
        projects.curation_publish(project=setup.project, article=article, curator=curator, picks=[])
    setup.close(article)
    with pytest.raises(PermissionDenied, match="not a curator"):
        projects.curation_publish(
            project=setup.project, article=article, curator=setup.people["ann1"], picks=[]
        )
    picks = curation_picks(
        setup,
        {
            "The city council": {"take": "ann1"},
            "Opponents": {"take": "ann2"},
            "the harbour": {"leave": True},
        },
    )
    assert (
        projects.curation_publish(project=setup.project, article=article, curator=curator, picks=picks) == 2
    )
    curated = Annotation.objects.filter(project=setup.project, curated=True).order_by("start")
    assert [(a.exact, sorted(t.slug for t in a.tags.all()), a.status, a.author) for a in curated] == [
        ("The city council", ["blame"], "published", curator),
        ("Opponents", ["blame"], "published", curator),
    ]
    decisions = {
        d.choice: (d.curator.username, sorted(s.author.username for s in d.sources.all()), d.result)
        for d in CurationDecision.objects.filter(article=article)
    }
    assert decisions["agreed"][:2] == ("curator", ["ann1", "ann2"])
    assert decisions["picked"][:2] == ("curator", ["ann2"])
    assert decisions["rejected"] == ("curator", ["ann2"], None)
    assert setup.project.entries.get(article=article).state == ProjectArticleState.CURATED
    # The curated layer is public; the layers stay what they were, unpublished.
    public = Annotation.objects.visible_to(None).filter(article=article)
    assert sorted(a.exact for a in public) == ["Opponents", "The city council"]


def test_an_undecided_disagreement_publishes_nothing(layered):
    setup, article = layered, layered.articles[0]
    setup.close(article)
    picks = curation_picks(
        setup,
        {"The city council": {"take": "ann1"}, "Opponents": {"take": ""}, "the harbour": {"leave": True}},
    )
    with pytest.raises(ValidationError, match="choose a version"):
        projects.curation_publish(
            project=setup.project, article=article, curator=setup.people["curator"], picks=picks
        )
    assert not Annotation.objects.filter(curated=True).exists()
    assert not CurationDecision.objects.exists()


def test_the_curation_page_shows_the_layers_and_publishes_the_edit(client, layered):
    setup, article = layered, layered.articles[0]
    setup.close(article)
    client.force_login(setup.people["curator"])
    annotate = client.get(f"/admin/corpus/article/{article.pk}/annotate/").content.decode()
    url = f"/admin/corpus/article/{article.pk}/curate/{setup.project.pk}/"
    assert url in annotate
    page = client.get(url).content.decode()
    assert (
        page.count('class="curation-unit disagreed"') == 2 and page.count('class="curation-unit agreed"') == 1
    )
    assert "the harbour" in page
    units = projects.curation_units(project=setup.project, article=article)
    form = {}
    for index, unit in enumerate(units):
        if unit["exact"] == "Opponents":
            form[f"unit-{index}"], form[f"tags-{index}"] = "edit", "blame praise"
        elif unit["exact"] == "the harbour":
            form[f"unit-{index}"] = "leave"
        else:
            form[f"unit-{index}"] = "take:ann2"
    response = client.post(url, form, follow=True)
    assert "Curated: 2 annotation(s) published" in response.content.decode()
    edited = CurationDecision.objects.get(choice="edited").result
    assert sorted(t.slug for t in edited.tags.all()) == ["blame", "praise"]
    # Another annotator is no curator: sent back with the reason.
    client.force_login(setup.people["ann1"])
    refused = client.get(url, follow=True).content.decode()
    assert "not a curator" in refused


# --- Curating on the annotate screen ------------------------------------------------------------

DATA = re.compile(r'<script id="annotate-data" type="application/json">(.*?)</script>', re.S)


def _annotate(client, article) -> tuple[str, dict]:
    response = client.get(f"/admin/corpus/article/{article.pk}/annotate/")
    assert response.status_code == 200
    page = response.content.decode()
    return page, json.loads(DATA.search(page).group(1))


def test_the_curator_resolves_the_layers_on_the_annotate_screen(client, layered):
    setup, article = layered, layered.articles[0]
    setup.close(article)
    client.force_login(setup.people["curator"])
    page, data = _annotate(client, article)
    curation = data["curation"]
    assert curation["project"] == {"id": setup.project.pk, "name": "Blame in harbour coverage"}
    assert curation["annotators"] == ["ann1", "ann2"]
    assert curation["action"] == f"/admin/corpus/article/{article.pk}/curate/{setup.project.pk}/"
    units = {u["exact"]: u for u in curation["units"]}
    assert units["Opponents"]["layers"] == {"ann1": ["praise"], "ann2": ["blame"]}
    assert [units[e]["agreed"] for e in ("The city council", "Opponents", "the harbour")] == [
        True,
        False,
        False,
    ]
    start = article.text.index("Opponents")
    assert (units["Opponents"]["start"], units["Opponents"]["end"]) == (start, start + len("Opponents"))
    # The layers side by side on the screen itself: a column per annotator, agreements pre-accepted,
    # disagreements said in words as well as drawn.
    form = re.search(r'<form[^>]*id="curation-form".*?</form>', page, re.S).group(0)
    assert f'action="{curation["action"]}"' in form
    assert re.findall(r'<th scope="col">(\w+)</th>', form)[1:3] == ["ann1", "ann2"]
    assert (
        form.count('class="curation-unit agreed"') == 1 and form.count('class="curation-unit disagreed"') == 2
    )
    assert form.count(">disagreement<") == 2
    agreed_index = curation["units"].index(units["The city council"])
    assert re.search(rf'name="unit-{agreed_index}" value="take:ann1"[^>]* checked', form)
    # The choices go through the same service as the curation page, and come back to this screen.
    choices = {}
    for index, unit in enumerate(curation["units"]):
        if unit["exact"] == "Opponents":
            choices[f"unit-{index}"] = "take:ann2"
        elif unit["exact"] == "the harbour":
            choices[f"unit-{index}"] = "leave"
        else:
            choices[f"unit-{index}"] = "take:ann1"
    response = client.post(curation["action"], {**choices, "next": "annotate"})
    assert response.status_code == 302
    assert response.url == f"/admin/corpus/article/{article.pk}/annotate/"
    decisions = {d.sources.first().exact: d for d in CurationDecision.objects.filter(article=article)}
    assert {exact: (d.choice, d.curator.username) for exact, d in decisions.items()} == {
        "The city council": ("agreed", "curator"),
        "Opponents": ("picked", "curator"),
        "the harbour": ("rejected", "curator"),
    }
    assert [a.author.username for a in decisions["Opponents"].sources.all()] == ["ann2"]
    # Curated: the screen shows the published layer and no longer curates.
    page, data = _annotate(client, article)
    assert data["curation"] is None and 'id="curation-form"' not in page
    curated = {a["exact"]: a for a in data["annotations"] if a["status"] == "published"}
    assert curated["Opponents"]["tags"] == ["blame"] and curated["Opponents"]["author"] == "curator"


def test_only_a_curator_gets_the_layers_side_by_side(client, layered):
    setup, article = layered, layered.articles[0]
    client.force_login(setup.people["ann2"])
    page, data = _annotate(client, article)
    assert data["curation"] is None
    assert {a["author"] for a in data["annotations"]} == {"ann2"}
    setup.close(article)
    for who in ("ann1", "ann2", "outsider", "viewer"):
        client.force_login(setup.people[who])
        page, data = _annotate(client, article)
        assert data["curation"] is None and 'id="curation-form"' not in page, who
        with pytest.raises(PermissionDenied):
            projects.curation_layers(project=setup.project, article=article, user=setup.people[who])
    # The annotate screen's data endpoint carries no layer either.
    claims = client.get(f"/admin/corpus/article/{article.pk}/annotate/claims/").json()
    assert "praise" not in json.dumps(claims)
    # A choice posted by someone else is refused by the service: nothing published, nothing recorded.
    client.force_login(setup.people["ann1"])
    url = f"/admin/corpus/article/{article.pk}/curate/{setup.project.pk}/"
    client.post(url, {"unit-0": "take:ann1", "unit-1": "take:ann1", "unit-2": "leave", "next": "annotate"})
    assert not CurationDecision.objects.exists() and not Annotation.objects.filter(curated=True).exists()


def test_an_edit_with_new_bounds_publishes_them_and_records_them_in_the_decision(layered):
    setup, article = layered, layered.articles[0]
    setup.close(article)
    start = article.text.index("Opponents")
    end = start + len("Opponents") + 4  # widened by the next four code points
    picks = curation_picks(
        setup,
        {
            "The city council": {"take": "ann1"},
            "Opponents": {"tags": ["blame"], "start": start, "end": end},
            "the harbour": {"leave": True},
        },
    )
    curator = setup.people["curator"]
    assert (
        projects.curation_publish(project=setup.project, article=article, curator=curator, picks=picks) == 2
    )
    decision = CurationDecision.objects.get(choice="edited")
    edited = decision.result
    assert (decision.curator, sorted(s.author.username for s in decision.sources.all())) == (
        curator,
        ["ann1", "ann2"],
    )
    assert (edited.start, edited.end, edited.exact) == (start, end, article.text[start:end])
    assert edited.exact != "Opponents" and edited.exact.startswith("Opponents")
    assert edited.prefix == article.text[max(0, start - len(edited.prefix)) : start]
    assert edited.suffix == article.text[end : end + len(edited.suffix)] and edited.suffix
    assert edited.status == "published" and edited.curated


@pytest.mark.parametrize(
    ("bounds", "field", "message"),
    [
        ({"start": -1}, "start", "negative"),
        ({"end": 10**6}, "end", "past the end"),
        ({"start": 5, "end": 5}, "end", "greater than start"),
        ({"start": "five"}, "start", "whole number"),
    ],
)
def test_bad_bounds_are_refused_naming_the_field_and_nothing_is_written(layered, bounds, field, message):
    setup, article = layered, layered.articles[0]
    setup.close(article)
    picks = curation_picks(
        setup,
        {
            "The city council": {"take": "ann1"},
            "Opponents": {"tags": ["blame"], **bounds},
            "the harbour": {"leave": True},
        },
    )
    with pytest.raises(ValidationError, match=message) as refused:
        projects.curation_publish(
            project=setup.project, article=article, curator=setup.people["curator"], picks=picks
        )
    assert field in refused.value.message_dict
    assert not Annotation.objects.filter(curated=True).exists()
    assert not CurationDecision.objects.exists()
    assert setup.project.entries.get(article=article).state == ProjectArticleState.CLOSED


def test_the_curation_post_sets_new_bounds_from_both_screens(client, layered):
    setup, article = layered, layered.articles[0]
    setup.close(article)
    client.force_login(setup.people["curator"])
    url = f"/admin/corpus/article/{article.pk}/curate/{setup.project.pk}/"
    units = projects.curation_units(project=setup.project, article=article)
    index = next(i for i, u in enumerate(units) if u["exact"] == "Opponents")
    annotate = client.get(f"/admin/corpus/article/{article.pk}/annotate/").content.decode()
    page = client.get(url).content.decode()
    for screen in (annotate, page):
        assert f'name="start-{index}"' in screen and f'value="{units[index]["start"]}"' in screen
        assert f'name="end-{index}"' in screen and f'value="{units[index]["end"]}"' in screen

    def form(start, end, via=None):
        data = {f"unit-{i}": "take:ann2" for i in range(len(units))}
        data[f"unit-{index}"], data[f"tags-{index}"] = "edit", "praise"
        data[f"start-{index}"], data[f"end-{index}"] = str(start), str(end)
        if via:
            data["next"] = via
        return data

    start = units[index]["start"]
    # A bad end from the annotate screen: back to it with the field named, nothing published.
    refused = client.post(url, form(start, 10**6, via="annotate"), follow=True).content.decode()
    assert "Not published" in refused and "end=1000000 is past the end" in refused
    assert not CurationDecision.objects.exists()
    # From the curation page: start after end is refused there.
    refused = client.post(url, form(start + 3, start + 1)).content.decode()
    assert "Not published" in refused and "must be greater than start" in refused
    assert not Annotation.objects.filter(curated=True).exists()
    # Widened by the curator: the published annotation carries the new bounds and words.
    response = client.post(url, form(start, units[index]["end"] + 4, via="annotate"), follow=True)
    assert "Curated: 3 annotation(s) published" in response.content.decode()
    edited = CurationDecision.objects.get(choice="edited").result
    assert (edited.start, edited.end) == (start, units[index]["end"] + 4)
    assert edited.exact == article.text[start : units[index]["end"] + 4]
    assert [t.slug for t in edited.tags.all()] == ["praise"]


def test_an_edit_with_no_tags_and_an_invisible_note_is_refused_as_every_door_refuses_it(layered):
    setup, article = layered, layered.articles[0]
    setup.close(article)
    start = article.text.index("Opponents")
    with pytest.raises(ValidationError, match="at least one tag or a note"):
        projects.curation_decide(
            project=setup.project,
            article=article,
            curator=setup.people["curator"],
            choice="edited",
            target="span",
            start=start,
            end=start + len("Opponents"),
            tags=[],
            note="\u200b",
        )
    assert not Annotation.objects.filter(curated=True).exists()
    # The same note through the annotation service, the door of the API, the admin and the annotate screen.
    with pytest.raises(ValidationError, match="at least one tag or a note"):
        services.annotation_create(
            article=article, author=setup.people["outsider"], start=0, end=3, note="\u200b"
        )
