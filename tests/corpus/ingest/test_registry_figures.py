"""Registry figures: junk person names, and quotes filed off their person's main record."""

from __future__ import annotations

from collections import Counter

import pytest
from django.core.management import call_command

from corpus.ingest.pipeline import process
from corpus.ingest.registry import RegistryRun, names_no_person, registry_figures
from corpus.ingest.types import ProcessedArticle, QuoteSpec, SpeakerRef


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


def test_a_run_folds_a_bare_surname_filed_before_its_person():
    run = RegistryRun()
    run.add(process('Deal praised\n\n"It is good," Obama said on Tuesday.'))
    run.add(process('Deal announced\n\n"It is done," Barack Obama said on Monday.'))
    run.add(process('Deal signed\n\n"It is signed," Obama said on Friday.'))
    figures = run.figures()
    assert figures.off_main == 0 and figures.top[0][:2] == (3, "Barack Obama")
    assert figures.top[0][2] == ["Barack Obama"]


def test_a_run_files_a_surname_under_the_person_quoted_far_more():
    run = RegistryRun()
    for n in range(6):
        run.add(process(f'Rally {n}\n\n"We will win," Dana Whitlock said on day {n}.'))
    run.add(process('Gala\n\n"Thank you all," Rosa Whitlock said.'))
    run.add(process('Debate\n\n"Nonsense," Whitlock said.'))
    assert run.figures().counts == {"Dana Whitlock": 7, "Rosa Whitlock": 1}


def test_a_run_leaves_a_surname_two_people_share_evenly():
    run = RegistryRun()
    run.add(process('Rally\n\n"We will win," Hillary Clinton said.'))
    run.add(process('Gala\n\n"Thank you all," Bill Clinton said.'))
    run.add(process('Debate\n\n"Nonsense," Clinton said.'))
    assert run.figures().counts == {"Hillary Clinton": 1, "Bill Clinton": 1, "Clinton": 1}


@pytest.mark.parametrize(
    "name",
    [
        "North Korea",
        "New Hampshire",
        "Ohio",
        "Fla.",
        "Wall Street",
        "Investment Partnership",
        "Trump Train",
        "Harbor Institute",
        "WASHINGTON",
        "CNN Dana Lee",
        "Thursday",
        "Six",
        "Al Qaeda",
        "Super Tuesday",
    ],
)
def test_the_registry_figures_count_places_organizations_datelines_and_dates_as_junk(name):
    assert names_no_person(name)
    figures = registry_figures(Counter({(name, "person"): 2, ("Dana Lee", "person"): 1}))
    assert figures.junk == [name] and figures.persons == 2


@pytest.mark.parametrize(
    "name",
    [
        "J.R. Smith",
        "G.K. Butterfield",
        "Brent Bozell III",
        "Kristen Day",
        "April Mellody",
        "George Washington",
    ],
)
def test_the_registry_figures_leave_real_names_alone(name):
    assert not names_no_person(name)


def _quoted_by(name: str, text: str) -> ProcessedArticle:
    """An article whose one quote (its first word) is filed under the person ``name``."""
    return ProcessedArticle(
        text=text,
        title=text.split("\n", 1)[0],
        quotes=[QuoteSpec("direct", 0, 4, 0, SpeakerRef(name, "person"))],
    )


def test_a_one_word_person_written_only_opening_sentences_and_in_lowercase_in_the_run_is_junk():
    run = RegistryRun()
    run.add(_quoted_by("Hours", "Vote held\n\nHours later, the mayor spoke again."))
    run.add(_quoted_by("Okafor", "Plan signed\n\nOkafor confirmed the plan on Monday."))
    run.add(process("Debate\n\nThe debate ran for hours."))
    figures = run.figures()
    # "Okafor" is never written in lowercase: a surname met only where sentences open stays a name.
    assert figures.junk == ["Hours"]


@pytest.mark.parametrize(
    "text",
    [
        "Vote held\n\nThe budget was backed by Hours and the mayor.",
        "Vote held\n\nThe budget was backed, Hours said.",
        "Vote held\n\nThe budget was backed by Ms. Hours.",
        "Vote held\n\n“The budget is backed,” Hours said.",
    ],
)
def test_a_one_word_person_written_as_a_name_in_an_article_quoting_it_is_not_junk(text):
    run = RegistryRun()
    run.add(_quoted_by("Hours", text))
    run.add(process("Debate\n\nThe debate ran for hours."))
    assert run.figures().junk == []


def test_a_headline_is_no_evidence_of_a_name():
    run = RegistryRun()
    run.add(_quoted_by("Signs", "Mayor Signs Budget\n\nSigns of a deal were there, and signs of doubt."))
    assert run.figures().junk == ["Signs"]


def test_a_contraction_is_no_name():
    assert names_no_person("I've") and names_no_person("She\u2019d")


@pytest.mark.parametrize(
    "text",
    [
        "Plan signed\n\nRoss says the plan is ready.\n\nRoss said the vote was close.",
        "Plan signed\n\nRoss said the vote was close.",
        "Plan signed\n\nRoss herself signed the plan on Monday.",
    ],
)
def test_a_surname_met_only_opening_paragraphs_as_one_speaker_is_a_name(text):
    run = RegistryRun()
    run.add(_quoted_by("Ross", text))
    run.add(process("Garden\n\nThe ross grew by the wall."))
    assert run.figures().junk == []


@pytest.mark.parametrize(
    "text",
    [
        "Plan signed\n\nFriends said the plan was ready.",  # a plural shares "said"
        "Plan signed\n\nStaff said the plan was ready, and the staff agreed.",  # written lowercase too
    ],
)
def test_a_common_word_opening_a_paragraph_before_said_stays_common(text):
    word = text.split("\n\n")[1].split()[0]
    run = RegistryRun()
    run.add(_quoted_by(word, text))
    run.add(process(f"Debate\n\nThe {word.lower()} were there."))
    assert run.figures().junk == [word]
