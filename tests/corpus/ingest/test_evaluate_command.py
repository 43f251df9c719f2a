"""The evaluate_quotes command: a table of figures, and a failure below the given minimums."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

REPO = Path(__file__).resolve().parents[3]
SEEDS_GOLD = str(REPO / "tests" / "gold" / "seeds.json")
STYLES_GOLD = str(REPO / "tests" / "gold" / "styles.json")


def test_prints_figures_for_the_seed_gold():
    out = StringIO()
    call_command(
        "evaluate_quotes",
        SEEDS_GOLD,
        STYLES_GOLD,
        "--min-direct-recall",
        "1.0",
        "--min-speaker-accuracy",
        "0.95",
        stdout=out,
    )
    text = out.getvalue()
    assert "direct R" in text and "speaker" in text and "strict" in text
    assert "seed-000" in text and "seed-001" in text
    assert "Evaluated" in text


def test_fails_below_the_minimum(tmp_path):
    gold = (
        Path(SEEDS_GOLD)
        .read_text(encoding="utf-8")
        .replace('"speaker": "Wu Qiang"', '"speaker": "Somebody Else"')
    )
    path = tmp_path / "gold.json"
    path.write_text(gold, encoding="utf-8")
    with pytest.raises(CommandError, match="speaker accuracy"):
        call_command("evaluate_quotes", str(path), "--min-speaker-accuracy", "0.99", stdout=StringIO())


def test_fails_below_the_strict_minimum(tmp_path):
    gold = Path(SEEDS_GOLD).read_text(encoding="utf-8").replace('"speaker": "Wu Qiang"', '"speaker": "Wu Q"')
    path = tmp_path / "gold.json"
    path.write_text(gold, encoding="utf-8")
    with pytest.raises(CommandError, match="strict speaker accuracy"):
        call_command("evaluate_quotes", str(path), "--min-strict-speaker-accuracy", "0.99", stdout=StringIO())


def test_bad_gold_file_is_a_command_error(tmp_path):
    path = tmp_path / "gold.json"
    path.write_text("{}", encoding="utf-8")
    with pytest.raises(CommandError, match="quote-gold/1"):
        call_command("evaluate_quotes", str(path), stdout=StringIO())
