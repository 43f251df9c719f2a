"""Check-worthy sentences: the rules, the gold figures, the API and editors' dismissals."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command

from annotations import services
from corpus.ingest.checkworthy import evaluate, score_sentence
from corpus.services import article_ingest, article_input_from_json
from tests.api.conftest import client_for, make_user

GOLD = Path(__file__).resolve().parents[1] / "gold" / "checkworthy.json"


@pytest.mark.parametrize(
    ("sentence", "worth", "reason"),
    [
        ("Burglaries fell by 22 percent last year, police figures show.", True, "percentage"),
        ("The museum welcomed 1.8 million visitors last year, its busiest year ever.", True, "superlative"),
        ("Cycling deaths fell to two last year, the lowest number since counting began.", True, "record"),
        ("The rollout is two years behind schedule because of a shortage of engineers.", True, "causal"),
        ("Will it last?", False, "question (−)"),
        ("I think the nurses deserve the credit, the director said.", False, "opinion or promise (−)"),
        ("We will connect every home, the minister promised.", False, "opinion or promise (−)"),
        ("Workers gathered at the gates on Thursday.", False, None),
    ],
)
def test_rules(sentence, worth, reason):
    score, reasons = score_sentence(sentence)
    assert (score >= 1.0) is worth, (score, reasons)
    if reason:
        assert reason in reasons


def test_gold_precision_at_ten():
    scores = evaluate(json.loads(GOLD.read_text(encoding="utf-8")))
    assert scores.articles >= 20
    assert scores.precision_at_10 >= 0.8, scores
    assert scores.recall_at_10 >= 0.9, scores.misses


@pytest.mark.django_db
def test_command_prints_the_figures(capsys):
    call_command("evaluate_checkworthy", str(GOLD))
    assert "precision at 10 1.000" in capsys.readouterr().out


@pytest.fixture
def article(db):
    text = (
        "Energy bills\n\n"
        "Household energy bills rose 27 percent this winter. Families are cutting back.\n\n"
        "One in five households is now behind on payments, the regulator said. Will prices come down?"
    )
    data = {"url": "https://bills.example/1", "text": text}
    return article_ingest(record=article_input_from_json(data=json.dumps(data).encode(), origin="t")).article


@pytest.mark.django_db
def test_api_lists_ranked_suggestions_with_code_point_offsets(article, django_assert_num_queries):
    client = client_for(None)
    response = client.get(f"/api/articles/{article.pk}/check-worthy/")
    assert response.status_code == 200
    items = response.json()
    assert [i["text"] for i in items] == [
        "Household energy bills rose 27 percent this winter.",
        "One in five households is now behind on payments, the regulator said.",
    ]
    for item in items:
        assert article.text[item["start"] : item["end"]] == item["text"]
        assert item["reasons"] and item["score"] >= 1.0


@pytest.mark.django_db
def test_dismissal_is_an_editors_call_and_outlives_the_offsets(article):
    first = services.checkworthy_suggestions(article=article)[0]
    with pytest.raises(PermissionDenied):
        services.checkworthy_dismiss(
            article=article, start=first.start, end=first.end, actor=make_user("viewer")
        )
    viewer = client_for(make_user("viewer", "v2"))
    url = f"/api/articles/{article.pk}/check-worthy/dismiss/"
    assert viewer.post(url, {"start": first.start, "end": first.end}, format="json").status_code == 403
    editor = client_for(make_user("editor"))
    assert editor.post(url, {"start": 0, "end": 3}, format="json").status_code == 400
    assert editor.post(url, {"start": first.start, "end": first.end}, format="json").status_code == 204
    left = editor.get(f"/api/articles/{article.pk}/check-worthy/").json()
    assert first.text not in [i["text"] for i in left] and len(left) == 1
    # A revision that moves the sentence keeps it dismissed: dismissals hold the words, not the offsets.
    revised = {
        "url": "https://bills.example/1",
        "text": "Energy bills\n\nA new opening paragraph. " + article.text.split("\n\n", 1)[1],
    }
    article_ingest(record=article_input_from_json(data=json.dumps(revised).encode(), origin="t2"))
    article.refresh_from_db()
    assert first.text not in [s.text for s in services.checkworthy_suggestions(article=article)]
