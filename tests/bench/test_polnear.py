"""The PolNeAR judge (bench/polnear.py) on invented mini-documents in the corpus's brat standoff format:
a ``text/`` file per article and ``attributions/<article>_<annotator>.ann`` with Content, Source and Cue
spans joined by an Attribution event."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

from bench import polnear


def _split(tmp_path: Path, text: str, attributions: list[dict[str, str]]) -> Path:
    """A split folder holding one article whose gold attributions are given by their exact words (each
    the first occurrence at or after the previous span of the same attribution)."""
    (tmp_path / "text").mkdir()
    (tmp_path / "attributions").mkdir()
    (tmp_path / "text" / "story.txt").write_text(text, encoding="utf-8")
    lines, events, n = [], [], 0
    for number, attribution in enumerate(attributions, start=1):
        args = [f"Attribution:A{number}"]
        for role in ("Content", "Source", "Cue"):
            words = attribution.get(role)
            if words is None:
                continue
            n += 1
            at = text.index(words, attribution.get("after", 0))
            lines.append(f"T{n}\t{role} {at} {at + len(words)}\t{words}")
            args.append(f"{role}:T{n}")
        events.append(f"E{number}\t{' '.join(args)}")
    ann = tmp_path / "attributions" / "story_ann1.ann"
    ann.write_text("\n".join(lines + events) + "\n", encoding="utf-8")
    return tmp_path


def _span(text: str, words: str, after: int = 0) -> polnear.Span:
    at = text.index(words, after)
    return polnear.Span("Source", [(at, at + len(words))], words)


def _person(name: str, kind: str = "person") -> SimpleNamespace:
    return SimpleNamespace(name=name, kind=kind)


# -- 1. a gold content that stops before its closing mark ---------------------------------------------------


def test_content_stopping_before_its_closing_mark_is_the_quoted_words_not_the_mark(tmp_path):
    text = (
        "Bridge vote delayed\n\n"
        "\u201cWe will build the bridge and we will pay for it,\u201d Mayor Ann Cole said on Monday.\n\n"
        "The council meets again next week.\n"
    )
    # The annotator's content stops before the closing mark (it runs to the comma).
    content = "\u201cWe will build the bridge and we will pay for it,"
    folder = _split(tmp_path, text, [{"Content": content, "Source": "Mayor Ann Cole", "Cue": "said"}])
    raw = (folder / "text" / "story.txt").read_text(encoding="utf-8")
    gold = polnear.read_ann(folder / "attributions" / "story_ann1.ann")[0]
    start, end = polnear.quoted_part(raw, gold.content)
    assert raw[start:end] == content

    tally = polnear.score(folder)["tally"]
    assert (tally.gold, tally.found) == (1, 1)
    assert tally.speaker_right == 1


def test_content_starting_after_its_opening_mark_runs_from_its_start():
    raw = 'The plan is "a waste of money," she said.'
    at = raw.index("a waste")
    content = polnear.Span("Content", [(at, raw.index(" she"))], raw[at : raw.index(" she")])
    start, end = polnear.quoted_part(raw, content)
    assert raw[start:end] == "a waste of money,"


def test_content_from_mark_to_mark_is_unchanged():
    raw = 'He said: "It is done." Then he left.'
    at = raw.index('"')
    content = polnear.Span("Content", [(at, raw.index(" Then"))], raw[at : raw.index(" Then")])
    start, end = polnear.quoted_part(raw, content)
    assert raw[start:end] == '"It is done.'


# -- 2. the gender a name is given ---------------------------------------------------------------------------


def _gold(text: str, source: str, after: int = 0) -> polnear.GoldQuote:
    return polnear.GoldQuote(content=_span(text, source, after), source=_span(text, source, after), cue=None)


def _genders(text: str, *sources: str) -> dict[str, str | None]:
    mentions = polnear.source_name_mentions(text, [_gold(text, source) for source in sources])
    return {name: gender for _, name, gender, _ in mentions}


def test_a_gendered_word_before_a_preposition_does_not_give_the_name_its_gender():
    text = (
        "A spokeswoman for Trump said the rally would go ahead.\n\n"
        "Donald Trump arrived late, and he spoke for an hour.\n\n"
        '"We will win," she said.'
    )
    assert _genders(text, "Donald Trump") == {"Donald Trump": "m"}


def test_a_gendered_word_or_title_before_the_first_names_gives_the_gender():
    text = "Campaign spokeswoman Ann B. Cole said the rally would go ahead. Later Ms. Dee Ross said so too."
    assert _genders(text, "Ann B. Cole", "Dee Ross") == {"Ann B Cole": "f", "Dee Ross": "f"}


def test_a_sentence_ending_name_is_not_passed_over_to_the_title_before_it():
    text = "The report was read by Mr. Smith. Dana Kim said she had not seen it."
    assert _genders(text, "Dana Kim")["Dana Kim"] == "f"


def test_particles_are_passed_over_but_a_title_case_headline_is_not():
    text = (
        "Senator's Daughter Slams Trump\n\n"
        "Donald Trump spoke in Ohio on Monday, and he took no questions. Pierre de Vos, a lawyer, agreed. "
        "Later Mr. de Vos spoke."
    )
    assert _genders(text, "Donald Trump", "Pierre de Vos") == {"Donald Trump": "m", "Pierre de Vos": "m"}


def test_no_vote_goes_past_another_source_s_name_nor_comes_from_an_owner_or_an_object():
    text = (
        "Omar Vance and Lena Gorsky spoke on Monday.\n\n"
        "Gorsky attacked Dana Hill and her record. Hill campaign manager Tom Reyes said he was calm. "
        "Voters cheered Vance, and his aides left."
    )
    genders = _genders(text, "Omar Vance", "Lena Gorsky", "Dana Hill", "Tom Reyes")
    # Hill's "her" is no vote for Gorsky; Reyes's "he" none for Hill, whose manager he is; the object
    # Vance gets no vote from "his aides".
    assert genders == {"Omar Vance": None, "Lena Gorsky": None, "Dana Hill": None, "Tom Reyes": "m"}


def test_an_object_pronoun_after_a_name_is_someone_else_s_and_no_vote():
    text = (
        "Nadia Ferris met the mayor on Friday, and Ferris thanked him for the grant. "
        "Ferris also greeted him at the door. Ferris then said her plan was ready."
    )
    # "thanked him" and "greeted him" are the mayor's: only "her plan" is a vote.
    assert _genders(text, "Nadia Ferris") == {"Nadia Ferris": "f"}
    text = "Rolf Adair called her to the stage. Adair thanked her."
    assert _genders(text, "Rolf Adair") == {"Rolf Adair": None}


def test_a_name_after_words_describing_it_at_a_clause_start_is_a_subject():
    for text, name in (
        ("Tennis great Billie Jean Kong remembered him fondly.", "Kong"),
        ("Then, Vance campaign manager Jeff Weller said so.", "Weller"),
        ("The vote.\nRepublican presidential candidate Marco Rubin says he will stay.", "Rubin"),
    ):
        at = text.index(name)
        assert polnear._is_subject(text, at, at + len(name)), text
    for text, name in (
        ("Don Tramp attacks Marco Rubin daily.", "Rubin"),
        ("He praised the campaign manager Jeff Weller.", "Weller"),
        ("Choosing between Ann Cole and Dana Hill is hard.", "Cole"),
    ):
        at = text.index(name)
        assert not polnear._is_subject(text, at, at + len(name)), text


def test_a_pronoun_after_a_described_subject_is_that_person_s():
    text = (
        "Omar Vance spoke in Ohio.\n\n"
        "Vance campaign manager Jeff Weller said Monday the race was close.\n\n"
        '"It is a long road," he said.'
    )
    mentions = polnear.source_name_mentions(
        text, [_gold(text, "Omar Vance"), _gold(text, "Vance campaign manager Jeff Weller")]
    )
    assert polnear.antecedent(mentions, "he", text.index("he said")) == "Jeff Weller"


# -- 3. a mention is a person's, not any bearer of the surname ------------------------------------------


def _mentions(text: str, *sources: str) -> list[tuple[str, str]]:
    found = polnear.source_name_mentions(text, [_gold(text, source) for source in sources])
    return [(text[at : at + 12], name) for at, name, _, _ in found]


def test_a_relative_with_another_first_name_is_not_a_mention_of_the_person():
    text = (
        "Donald Trump spoke first in Ohio. His daughter Ivanka Trump followed, and she praised the crowd. "
        "Later Trump left the stage."
    )
    assert [name for _, name in _mentions(text, "Donald Trump")] == ["Donald Trump", "Donald Trump"]
    # Her "she" is not a vote that makes him female, so a "he" after it can still stand for him.
    mentions = polnear.source_name_mentions(text, [_gold(text, "Donald Trump")])
    assert polnear.antecedent(mentions, "he", len(text)) == "Donald Trump"


def test_people_sharing_a_last_name_are_told_apart_by_their_first_names():
    text = (
        "Hillary Clinton spoke in Iowa. Former President Bill Clinton stood beside her, "
        "and Chelsea Clinton did not attend. Clinton took questions."
    )
    assert [name for _, name in _mentions(text, "Hillary Clinton", "Bill Clinton")] == [
        "Hillary Clinton",
        "Bill Clinton",
        "Bill Clinton",  # a bare last name: the one whose full name was written last
    ]


def test_a_bare_shared_last_name_goes_by_its_title_else_the_latest_full_name_else_to_no_one():
    text = (
        "Vance opened the meeting. Omar Vance said he would run. Lena Vance said she would not. "
        "Later Mr. Vance left, and Mrs. Vance stayed. Vance waved."
    )
    assert [name for _, name in _mentions(text, "Omar Vance", "Lena Vance")] == [
        # The first "Vance": no title and no full name before it, so no one.
        "Omar Vance",
        "Lena Vance",
        "Omar Vance",  # Mr.
        "Lena Vance",  # Mrs.
        "Lena Vance",  # the latest full name
    ]
    mentions = polnear.source_name_mentions(text, [_gold(text, "Omar Vance"), _gold(text, "Lena Vance")])
    assert polnear.antecedent(mentions, "he", text.index("Mrs.")) == "Omar Vance"
    assert polnear.antecedent(mentions, "she", len(text)) == "Lena Vance"


def test_a_title_that_no_known_gender_contradicts_leaves_the_latest_full_name():
    text = "Omar Vance and Lena Vance spoke. Ms. Vance smiled."
    # No gender is known for either, so Ms. cannot tell them apart; the latest full name does.
    assert [name for _, name in _mentions(text, "Omar Vance", "Lena Vance")] == [
        "Omar Vance",
        "Lena Vance",
        "Lena Vance",
    ]


def test_a_plural_or_common_one_word_name_is_no_he_or_she():
    text = (
        "Dana Hill spoke in Ohio on Monday.\n\n"
        "Surveys show the race is close.\n\n"
        '"It is over," she said.\n\n'
        '"It is not," they said.'
    )
    mentions = polnear.source_name_mentions(text, [_gold(text, "Dana Hill"), _gold(text, "Surveys")])
    assert polnear.antecedent(mentions, "she", text.index("she said")) == "Dana Hill"
    assert polnear.antecedent(mentions, "they", text.index("they said")) == "Surveys"


def test_a_one_word_name_written_inside_a_sentence_is_a_surname():
    for text in (
        '"We will win," Cole said on Monday. Cole left.',
        "The report was read by Sen. Cole.",
        "The report was read by Ann B. Cole.",
        '"Why now?" Cole asked.',
    ):
        assert not polnear._not_a_surname(text, "Cole"), text
    # Only opening sentences, a quotation and a headline; the plural of a name the article writes bare.
    text = 'Surveys Show A Gap\n\nSurveys show a gap. He said, "Surveys lie."'
    assert polnear._not_a_surname(text, "Surveys")
    assert polnear._not_a_surname("The Coles spoke, and Cole left.", "Coles")


# -- 4. a description is not a name, and its head is its noun ----------------------------------------------


def _judge(ours, text: str, source: str) -> bool:
    return polnear.judge(ours, _span(text, source), text, [])


def test_a_description_with_capitalized_words_is_not_a_name():
    text = '"The gap is too wide," said a Nevada Democrat.'
    assert _judge(_person("the democrat", "anonymous"), text, "a Nevada Democrat")
    # A person record named after the description is not the source's person.
    assert not _judge(_person("Nevada Democrat"), text, "a Nevada Democrat")


def test_a_description_is_judged_by_its_head_noun_not_its_last_word():
    text = '"We are confident," said a spokesman for the campaign.'
    assert _judge(_person("the spokesman", "anonymous"), text, "a spokesman for the campaign")
    assert not _judge(_person("the campaign", "organization"), text, "a spokesman for the campaign")


def test_a_description_ending_in_the_name_of_whom_it_works_for_is_still_a_description():
    text = '"He never listens," said a longtime adviser to Ada Voss.'
    assert _judge(_person("the adviser", "anonymous"), text, "a longtime adviser to Ada Voss")
    assert not _judge(_person("Ada Voss"), text, "a longtime adviser to Ada Voss")


def test_an_adjective_before_the_modifier_is_not_the_head():
    assert polnear._heads("a source close to the campaign") == {"source"}
    assert polnear._heads("one Democrat familiar with the talks") == {"democrat"}
    text = '"They are worried," said a source close to the campaign.'
    assert _judge(_person("the source", "anonymous"), text, "a source close to the campaign")


def test_each_part_of_a_joined_description_has_its_head():
    text = '"The harbor plan is run by amateurs," the Florida senator and Republican presidential candidate said.'
    source = "the Florida senator and Republican presidential candidate"
    assert _judge(_person("the candidate", "anonymous"), text, source)
    assert _judge(_person("the senator", "anonymous"), text, source)


def test_a_participle_before_the_modifier_is_not_the_head():
    text = 'A legal opinion prepared for the council concluded that it was a "regional authority".'
    assert polnear._heads("A legal opinion prepared for the council") == {"opinion"}
    assert _judge(_person("the opinion", "anonymous"), text, "A legal opinion prepared for the council")


def test_a_document_or_campaign_source_is_right_for_the_person_or_organization_it_names():
    text = 'A Voss campaign ad says she "will fight for you," and a fresh NBC poll found voters "tired."'
    assert _judge(_person("Ada Voss campaign", "organization"), text, "A Voss campaign ad")
    assert _judge(_person("NBC", "organization"), text, "a fresh NBC poll")
    # A speaker sharing no name word with it is still wrong.
    assert not _judge(_person("Karl Brandt"), text, "A Voss campaign ad")
    assert not _judge(_person("CBS", "organization"), text, "a fresh NBC poll")


def test_another_opens_a_description_as_a_does():
    text = '"It is over," added another Nevada Democrat.'
    assert _judge(_person("the democrat", "anonymous"), text, "another Nevada Democrat")


def test_a_description_modified_by_inside_is_judged_by_its_head_noun():
    text = '"It is not a big deal," said one operative inside Harbor Tower.'
    source = "one operative inside Harbor Tower"
    assert polnear._heads(source) == {"operative"}
    assert _judge(_person("the operative", "anonymous"), text, source)
    assert not _judge(_person("Harbor Tower", "organization"), text, source)


def test_an_age_as_a_description_matches_the_same_age_written_with_hyphens():
    text = '"The plan was ours," said the 46-year-old.'
    assert _judge(_person("the 46-year-old", "anonymous"), text, "the 46-year-old")
    assert not _judge(_person("the voter", "anonymous"), text, "the 46-year-old")


def test_adjectives_split_by_a_comma_stay_one_description():
    text = '"Rivers came first," the soft-spoken, 64-year-old envoy said.'
    source = "the soft-spoken, 64-year-old envoy"
    assert _judge(_person("the envoy", "anonymous"), text, source)
    # A comma before an appositive or a relative clause still ends the description.
    text = '"We are done," said a woman in Salem, Oregon, who asked not to be named.'
    assert _judge(
        _person("the woman", "anonymous"), text, "a woman in Salem, Oregon, who asked not to be named"
    )
    # Nor does a participle's phrase belong to it.
    assert polnear._first_part("One such memo, obtained by The Ledger,") == "One such memo"


# -- 5. the same person, however the name is written ---------------------------------------------------------


def test_accents_and_particles_do_not_make_another_person():
    assert polnear.same_person("Fran\u00e7ois Dubreuil", ["Francois", "Dubreuil"])
    assert polnear.same_person("Francois Dubreuil", ["Fran\u00e7ois", "Dubreuil"])
    assert polnear.same_person("Pieter de Wit", ["De", "Wit"])
    assert polnear.same_person("Pieter de Wit", ["Pieter", "de", "Wit"])
    # Another first name is still another person.
    assert not polnear.same_person("Marc Dubreuil", ["Francois", "Dubreuil"])
    assert not polnear.same_person("Anna de Wit", ["Pieter", "De", "Wit"])
    # "Al" is a first name, not a particle.
    assert not polnear.same_person("Tipper Gore", ["Al", "Gore"])
    assert polnear.same_person("Odile Le Gall", ["Le", "Gall"])


def test_a_group_named_by_the_same_common_word_as_the_source_is_right_whatever_its_capital():
    # A plural opening the sentence is capitalized there; our group writes it as the common word it is.
    text = '"It is over," Aides say. "We are done," Others shouted.'
    assert _judge(_person("aides", "group"), text, "Aides")
    assert _judge(_person("others", "group"), text, "Others")
    assert _judge(_person("the aides", "group"), text, "Aides")
    # Another group is not the same.
    assert not _judge(_person("critics", "group"), text, "Aides")


def test_a_relative_who_is_judged_as_the_name_it_follows():
    text = 'Dana Cole praised Ann Lowe, who called the plan "a disaster" on Monday.'
    assert _judge(_person("Ann Lowe"), text, "who")
    assert not _judge(_person("Dana Cole"), text, "who")
    text = 'Sen. Ann Lowe of Ohio, who called the plan "a disaster," spoke.'
    assert _judge(_person("Ann Lowe"), text, "who")
    assert not _judge(_person("Ohio"), text, "who")
    text = 'A reporter asked a voter who called the plan "a disaster" on Monday.'
    assert not _judge(_person("Dana Cole"), text, "who")


def test_a_group_named_by_the_source_s_words_before_its_modifier_is_right():
    text = '"It is over," Republicans on Capitol Hill said. "We appeal," Attorneys for Voss said.'
    assert _judge(_person("republicans", "group"), text, "Republicans on Capitol Hill")
    assert _judge(_person("attorneys", "group"), text, "Attorneys for Voss")
    # Not a person of the name the modifier gives, nor another group.
    assert not _judge(_person("lawyers", "group"), text, "Attorneys for Voss")


# -- 6. who a pronoun is judged to stand for ---------------------------------------------------------------


def test_a_name_after_a_preposition_that_opens_clauses_too_is_a_subject_only_with_its_verb():
    text = (
        "Omar Vance spoke in Ohio.\n\n"
        "Later Vance went after Lee Hale, calling him a fraud.\n\n"
        '"He is done," he said.\n\n'
        "After Hale dropped out, the race changed."
    )
    at = text.index("Hale, calling")
    assert not polnear._is_subject(text, at, at + len("Hale"))
    at = text.index("Hale dropped")
    assert polnear._is_subject(text, at, at + len("Hale"))
    mentions = polnear.source_name_mentions(text, [_gold(text, "Omar Vance"), _gold(text, "Lee Hale")])
    assert polnear.antecedent(mentions, "he", text.index("he said")) == "Omar Vance"


def test_the_person_asked_a_question_answers_next_but_gets_no_vote_from_the_question():
    text = (
        "Omar Vance hosted the forum.\n\n"
        "Vance asked Lena Hale whether Tom Reyes had hurt him.\n\n"
        '"Not at all," she said.'
    )
    mentions = polnear.source_name_mentions(text, [_gold(text, "Omar Vance"), _gold(text, "Lena Hale")])
    assert polnear.antecedent(mentions, "she", text.index("she said")) == "Lena Hale"
    # The "him" of the question is no vote that makes her a man.
    assert {name: gender for _, name, gender, _ in mentions}["Lena Hale"] is None


def test_a_possessive_opening_a_paragraph_is_whom_the_paragraph_goes_on_about():
    text = (
        "Omar Vance spoke in Ohio.\n\n"
        "Lena Hale's lawsuit demands her reinstatement.\n\n"
        '"I was wronged," she said. Then Vance\'s aide left.'
    )
    at = text.index("Hale's")
    assert polnear._is_subject(text, at, at + len("Hale"))
    at = text.index("Vance's")
    assert not polnear._is_subject(text, at, at + len("Vance"))  # inside a sentence
    mentions = polnear.source_name_mentions(text, [_gold(text, "Omar Vance"), _gold(text, "Lena Hale")])
    assert polnear.antecedent(mentions, "she", text.index("she said")) == "Lena Hale"


def test_a_one_word_name_only_opening_sentences_is_a_surname_when_the_article_gives_it_a_gender():
    text = (
        "Omar Vance spoke in Ohio.\n\n"
        "Vasko freely conceded that his choice was tactical.\n\n"
        '"Keeping the final in mind," he said.\n\n'
        "Surveys show that he leads."
    )
    mentions = polnear.source_name_mentions(
        text, [_gold(text, "Omar Vance"), _gold(text, "Vasko"), _gold(text, "Surveys")]
    )
    assert polnear.antecedent(mentions, "he", text.index("he said")) == "Vasko"
    # A common word stays no he or she, whatever pronoun follows it.
    assert {name: gender for _, name, gender, _ in mentions}["Surveys"] == "p"


def test_a_title_with_of_before_a_name_does_not_cut_the_name_off():
    assert polnear.gold_name("Harbor Party Chief of Staff Lena Hale")[-2:] == ["Lena", "Hale"]
    assert polnear.gold_name("Secretary of State Omar Vance") == ["Omar", "Vance"]
    # A place after a name is still cut off, and a title alone names no one.
    assert polnear.gold_name("Sen. Omar Vance of Ohio") == ["Omar", "Vance"]
    assert polnear.gold_name("the head of the union") == []
    text = '"We are ready," said Harbor Party Chief of Staff Lena Hale.'
    assert _judge(_person("Lena Hale"), text, "Harbor Party Chief of Staff Lena Hale")


# -- article-local speakers whose name has no head noun -----------------------------------------------------


def test_the_registry_figures_count_article_local_speakers_with_no_head_noun_as_junk():
    from collections import Counter

    from corpus.ingest.registry import registry_figures

    figures = registry_figures(
        Counter(
            {
                ("the was", "anonymous"): 2,
                ("the here", "anonymous"): 1,
                ("the agency, which missed the deadline by a month", "group"): 1,
                ("the union, that represents dock workers", "group"): 1,
                ("the people of that town", "group"): 1,
                ("often thinks", "group"): 1,
                ("the spokeswoman", "anonymous"): 3,
                ("some", "group"): 1,
                ("election clerks", "group"): 2,
                ("Dana Moss", "person"): 4,
            }
        )
    )
    assert figures.local == 9
    assert figures.local_junk == [
        "often thinks",
        "the agency, which missed the deadline by a month",
        "the here",
        "the union, that represents dock workers",
        "the was",
    ]
    assert figures.junk == []


def test_the_table_prints_the_junk_article_local_speakers(tmp_path, capsys):
    text = (
        "Harbor plan stalls\n\n"
        "\u201cWe will not pay for it,\u201d a spokeswoman for the council said on Monday.\n\n"
        "The council meets again next week.\n"
    )
    folder = _split(
        tmp_path,
        text,
        [
            {
                "Content": "\u201cWe will not pay for it,",
                "Source": "a spokeswoman for the council",
                "Cue": "said",
            }
        ],
    )
    polnear.main([str(folder)])
    out = capsys.readouterr().out
    assert "article-local speakers: 1; junk article-local speaker names: 0" in out


def test_a_source_and_cue_labelled_the_other_way_round_are_read_as_swapped(tmp_path):
    text = (
        "Bridge vote delayed\n\n"
        "\u201cWe will pay for it,\u201d said Ann Cole, a council member.\n\n"
        "\u201cNot this year,\u201d according to Omar Hale.\n"
    )
    # The annotator marked the verb as the source and the name as the cue.
    folder = _split(
        tmp_path,
        text,
        [
            {"Content": "\u201cWe will pay for it,\u201d", "Source": "said", "Cue": "Ann Cole"},
            {"Content": "\u201cNot this year,\u201d", "Source": "according to", "Cue": "Omar Hale"},
        ],
    )
    first, second = polnear.read_ann(folder / "attributions" / "story_ann1.ann")
    assert (first.source.text, first.cue.text) == ("Ann Cole", "said")
    assert (second.source.text, second.cue.text) == ("Omar Hale", "according to")
    assert polnear.score(folder)["tally"].speaker_right == 2


def test_a_one_word_source_that_is_our_speaker_s_first_name_is_the_same_person():
    # "Ann shot back": the source gives the first name only (or, in a name written surname first, the
    # surname: "Xi" is Xi Jinping).
    assert polnear.same_person("Ann Cole", ["Ann"])
    assert polnear.same_person("Xi Jinping", ["Xi"])
    assert not polnear.same_person("Ann Cole", ["Dana"])


def test_after_a_capitalized_conjunction_the_described_name_is_the_subject():
    text = (
        "Omar Vance spoke in Ohio.\n\n"
        "But Vance campaign manager Jeff Weller said Monday the race was close, and he took questions."
    )
    weller = text.index("Weller")
    assert polnear._is_subject(text, weller, weller + len("Weller"))
    mentions = polnear.source_name_mentions(
        text, [_gold(text, "Omar Vance"), _gold(text, "Vance campaign manager Jeff Weller")]
    )
    assert polnear.antecedent(mentions, "he", text.index("he took")) == "Jeff Weller"


def test_a_name_joined_to_another_by_and_opens_no_clause():
    text = "Omar Vance spoke first. Vance said both Lopez and Weller are newcomers, but he praised them."
    weller = text.index("Weller")
    assert not polnear._is_subject(text, weller, weller + len("Weller"))
    mentions = polnear.source_name_mentions(
        text, [_gold(text, "Omar Vance"), _gold(text, "Lopez"), _gold(text, "Weller")]
    )
    assert polnear.antecedent(mentions, "he", text.index("he praised")) == "Omar Vance"
    text = "Sen. Ann Lopez and Gov. Dan Weller have much in common."
    weller = text.index("Weller")
    assert polnear._is_subject(text, weller, weller + len("Weller"))


def test_an_organization_named_with_of_keeps_its_whole_name():
    text = '"We will not back down," the Harbor Federation of Anglers said.'
    source = "the Harbor Federation of Anglers"
    assert _judge(_person("Harbor Federation of Anglers", "organization"), text, source)
    # A person's "of" still gives a place, not the name.
    text = '"We will not back down," said Sen. Tom Carver of Delaware.'
    assert _judge(_person("Tom Carver"), text, "Sen. Tom Carver of Delaware")
    assert not _judge(_person("Delaware", "organization"), text, "Sen. Tom Carver of Delaware")


def _content(text: str, words: str) -> polnear.Span:
    at = text.index(words)
    return polnear.Span("Content", [(at, at + len(words))], words)


def test_an_attribution_nested_in_the_gold_content_names_whose_words_they_are():
    # The annotators give the quote to the outlet that reported it; the words are still Ann Cole's.
    text = "\u201cWe will fight this,\u201d Ann Cole said Monday, according to the Harbor Ledger."
    content = _content(text, "\u201cWe will fight this,\u201d Ann Cole said Monday")
    assert polnear.speaks_inside(_person("Ann Cole"), content, text)
    assert not polnear.speaks_inside(_person("Omar Hale"), content, text)
    text = "\u201cWe will fight this,\u201d said Sen. Ann Cole, reports the Ledger."
    assert polnear.speaks_inside(_person("Ann Cole"), _content(text, text[:-20]), text)


def test_a_name_with_a_verb_of_saying_away_from_the_quotation_is_no_nested_attribution():
    # Cole's saying something else is no attribution of the quoted words, which are the source's.
    text = "When Ann Cole said she would not run, she \u201clost the room,\u201d said Omar Hale."
    content = _content(text, "When Ann Cole said she would not run, she \u201clost the room,\u201d")
    assert not polnear.speaks_inside(_person("Ann Cole"), content, text)
    # Paragraphs quoted from another article are that article's, whoever they quote.
    text = "\u201cThe mayor spoke late.\n\u201cWe won,\u201d Ann Cole said.\u201d"
    assert not polnear.speaks_inside(_person("Ann Cole"), _content(text, text), text)


def test_someone_described_by_whom_they_work_for_is_not_that_person():
    text = '"The plan is dead," Ada Voss\u2019s spokeswoman said after Voss left.'
    source = "Ada Voss\u2019s spokeswoman"
    assert not _judge(_person("Ada Voss"), text, source)
    assert _judge(_person("the spokeswoman", "anonymous"), text, source)
    text = '"We will appeal," Cole\'s lawyers said.'
    assert not _judge(_person("Dana Cole"), text, "Cole's lawyers")
    assert _judge(_person("Cole's lawyers", "group"), text, "Cole's lawyers")
    # What a person runs or writes still speaks for that person.
    text = '"We will win," Cole\'s campaign said.'
    assert _judge(_person("Dana Cole campaign", "organization"), text, "Cole's campaign")


def test_a_restrictive_who_stands_for_the_noun_right_before_it():
    text = 'Mayor Ada Voss scolded skeptics who say she should call the plan "a giveaway."'
    source = _span(text, "who")
    assert polnear.judge(_person("skeptics", "group"), source, text, [])
    assert not polnear.judge(_person("Ada Voss"), source, text, [(0, "Ada Voss", None, True)])


def test_a_description_s_head_comes_before_its_modifier_even_with_and_in_the_modifier():
    text = "A joint vigil by the town's civic and church elders had one message."
    assert polnear._heads("A joint vigil by the town's civic and church elders") == {"vigil"}
    assert _judge(_person("the vigil", "anonymous"), text, "A joint vigil by the town's civic")
    # "over" opens a modifier as "for" does ("a voice over", "a fight over the levy").
    assert polnear._heads("a voice over") == {"voice"}
    assert polnear._heads("a fight over the levy") == {"fight"}


def test_a_demonstrative_opens_a_description_as_an_article_does():
    text = '"We love the town," this Hale look-alike declared.'
    assert _judge(_person("the look-alike", "anonymous"), text, "this Hale look-alike")


def test_a_source_that_runs_on_into_the_quotation_is_read_up_to_its_mark():
    text = 'Omar Hale "He should run a better campaign."'
    assert _judge(_person("Omar Hale"), text, 'Hale "He should run a better campaign."')


def test_a_paper_speaks_for_the_organization_it_is_from():
    text = 'A paper from the Harbor Institute had this to say: "Tolls fall hardest on the poor."'
    assert _judge(_person("Harbor Institute", "organization"), text, "A paper from the Harbor Institute")


def test_more_titles_before_a_name_are_not_first_names():
    for source in ("Chief Williams", "Coach Dana Williams", "Prof. Dana Williams", "Officer Williams"):
        assert polnear.same_person("Dana Williams", polnear.gold_name(source)), source


def test_the_misses_not_found_and_no_speaker_list_those_quotes_whatever_their_kind(tmp_path, capsys):
    text = (
        "Harbor plan stalls\n\n"
        "\u201cWe will not pay for it,\u201d Ann Cole said on Monday.\n\n"
        "The plan is called \u201cHarbor First\u201d in the papers.\n\n"
        "\u201cWe cannot wait any longer for the harbor to be rebuilt.\u201d\n"
    )
    folder = _split(
        tmp_path,
        text,
        [
            {"Content": "\u201cWe will not pay for it,", "Source": "Ann Cole", "Cue": "said"},
            {"Content": "\u201cHarbor First\u201d", "Source": "The plan", "Cue": "called"},
            {"Content": "\u201cWe cannot wait any longer", "Source": "Ann Cole"},
        ],
    )

    def listed(kind: str) -> list[str]:
        polnear.main([str(folder), "--misses", kind])
        return [line for line in capsys.readouterr().out.splitlines() if line.startswith("story.txt: ")]

    assert listed("not found") == ["story.txt: not found; as nothing; speaker None () for 'The plan'"]
    assert listed("no speaker") == ["story.txt: speaker None (unattributed) for 'Ann Cole'"]
