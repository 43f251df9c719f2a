"""Quote extraction is measured against hand-written gold, and the figures must hold."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from corpus.ingest.evaluate import GoldError, evaluate, load_gold
from corpus.ingest.speakers import directory_from, load_alias_file

REPO = Path(__file__).resolve().parents[3]
SEEDS_GOLD = REPO / "tests" / "gold" / "seeds.json"
STYLES_GOLD = REPO / "tests" / "gold" / "styles.json"
DIRECTORY = directory_from(load_alias_file(REPO / "seeds" / "speaker_aliases.json"))


@pytest.mark.parametrize("directory", [None, DIRECTORY], ids=["no-directory", "alias-directory"])
def test_seed_gold_figures(directory):
    result = evaluate([SEEDS_GOLD], root=REPO, directory=directory)
    assert result.direct_recall == 1.0
    assert result.speaker_accuracy >= 0.95
    assert result.direct_precision >= 0.95
    assert result.partial_recall >= 0.9
    assert result.indirect_recall >= 0.9
    assert result.role_accuracy == 1.0


def test_other_styles_gold_figures():
    result = evaluate([STYLES_GOLD], root=REPO, directory=DIRECTORY)
    assert result.direct_recall >= 0.95
    assert result.direct_precision >= 0.95
    assert result.partial_recall >= 0.9
    assert result.indirect_recall >= 0.9
    assert result.speaker_accuracy >= 0.9
    assert result.role_accuracy >= 0.95


def test_gold_files_cover_every_kind_and_role():
    articles = load_gold(SEEDS_GOLD) + load_gold(STYLES_GOLD)
    kinds = {q.kind for a in articles for q in a.quotes}
    roles = {role for a in articles for role, _ in a.roles}
    assert kinds == {"direct", "partial", "indirect"}
    assert roles == {"title", "standfirst", "byline", "body", "caption", "boilerplate"}
    assert len(articles) >= 5


def test_seed_copies_are_the_shipped_demo_corpus():
    paths = {a.path for a in load_gold(SEEDS_GOLD)}
    assert paths == {"seeds/articles/000_45b6e82e8c75fc43.txt", "seeds/articles/001_ffed51e739879c25.txt"}


def test_misses_are_reported(tmp_path):
    gold = json.loads(SEEDS_GOLD.read_text(encoding="utf-8"))
    article = gold["articles"][0]
    article["quotes"].append({"kind": "direct", "text": "Words nobody said.", "speaker": "Nobody"})
    article["quotes"][0]["speaker"] = "Someone Else"
    article["roles"][1]["role"] = "body"
    path = tmp_path / "gold.json"
    path.write_text(json.dumps(gold), encoding="utf-8")
    result = evaluate([path], root=REPO)
    [first, _second] = result.articles
    assert {"kind": "direct", "text": "Words nobody said.", "speaker": "Nobody"} in first.missed
    assert first.wrong_speakers[0]["expected"] == "Someone Else"
    assert first.wrong_roles == [
        {"paragraph": 1, "expected": "body", "got": "standfirst", "rule": "summary-after-title"}
    ]
    assert result.direct_recall < 1.0
    assert set(result.figures()) >= {
        "direct_recall",
        "direct_precision",
        "speaker_accuracy",
        "strict_speaker_accuracy",
        "role_accuracy",
    }


def test_strict_speaker_accuracy_counts_missed_and_misattributed_quotes(tmp_path):
    gold = json.loads(SEEDS_GOLD.read_text(encoding="utf-8"))
    article = gold["articles"][0]
    spoken = [q for q in article["quotes"] if q.get("speaker")]
    spoken[0]["speaker"] = "Someone Else"
    article["quotes"].append({"kind": "direct", "text": "Words nobody said.", "speaker": "Nobody"})
    path = tmp_path / "gold.json"
    path.write_text(json.dumps({**gold, "articles": [article]}), encoding="utf-8")
    result = evaluate([path], root=REPO, directory=DIRECTORY)
    [first] = result.articles
    assert first.strict_total == len(spoken) + 1
    # The quote nobody said is missed, the other one goes to its real speaker: both count against it.
    assert first.strict_correct == len(spoken) - 1
    assert result.strict_speaker_accuracy == (len(spoken) - 1) / (len(spoken) + 1)


def test_strict_speaker_accuracy_on_the_gold_files():
    result = evaluate([SEEDS_GOLD, STYLES_GOLD], root=REPO, directory=DIRECTORY)
    assert result.strict_speaker_accuracy == 1.0


def test_gold_out_of_step_with_the_text_is_an_error(tmp_path):
    gold = json.loads(SEEDS_GOLD.read_text(encoding="utf-8"))
    gold["articles"][0]["roles"].pop()
    path = tmp_path / "gold.json"
    path.write_text(json.dumps(gold), encoding="utf-8")
    with pytest.raises(GoldError, match="14 paragraphs"):
        evaluate([path], root=REPO)


def test_wrong_format_is_an_error(tmp_path):
    path = tmp_path / "gold.json"
    path.write_text(json.dumps({"articles": []}), encoding="utf-8")
    with pytest.raises(GoldError, match="quote-gold/1"):
        load_gold(path)
