"""Registry figures: junk person names, and quotes filed off their person's main record."""

from __future__ import annotations

from collections import Counter

from django.core.management import call_command

from corpus.ingest.pipeline import process
from corpus.ingest.registry import RegistryRun, registry_figures


def test_junk_names_and_quotes_off_the_main_record():
    figures = registry_figures(
        Counter(
            {
                ("Barack Obama", "person"): 10,
                ("Obama", "person"): 3,
                ("Barack H. Obama", "person"): 2,
                ("Obama Sees", "person"): 1,
                ("Michelle Obama", "person"): 4,
                ("The", "person"): 2,
                ("Ted Cruz", "person"): 5,
                ("the spokesman", "anonymous"): 7,
            }
        )
    )
    assert figures.junk == ["Obama Sees", "The"]
    assert figures.quotes == 27 and figures.off_main == 6
    quotes, main, records = figures.top[0]
    assert (quotes, main) == (16, "Barack Obama")
    assert set(records) == {"Barack Obama", "Obama", "Barack H. Obama", "Obama Sees"}
    assert ("Michelle Obama", ["Michelle Obama"]) in [(m, r) for _q, m, r in figures.top]
    assert figures.top_on_one_record == 3  # Michelle Obama, Ted Cruz, The


def test_a_run_files_a_later_bare_surname_under_the_one_person():
    run = RegistryRun()
    run.add(process('Deal announced\n\n"It is done," Barack Obama said on Monday.'))
    run.add(process('Deal praised\n\n"It is good," Obama said on Tuesday.'))
    figures = run.figures()
    assert figures.off_main == 0 and figures.top[0][1:] == ("Barack Obama", ["Barack Obama"])


def test_evaluate_quotes_prints_the_registry_figures(capsys):
    call_command("evaluate_quotes", "tests/gold/seeds.json")
    out = capsys.readouterr().out
    assert "0 junk person name(s)" in out and "off their person's main record" in out
