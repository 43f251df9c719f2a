"""Descriptions as speakers: who "a woman in Salem, Oregon", "the leader of the Harbor League, Jon Greer"
or "one of the firm's executives, Lou Reyes" is, and the phrases that are no speaker at all."""

from __future__ import annotations

from corpus.ingest.pipeline import process
from tests.corpus.ingest.articles import body, quote


def speaker_of(article, text):
    found = quote(article, text)
    assert found is not None, f"no quote starting {text!r}"
    return (found.speaker.name, found.speaker.kind) if found.speaker else None


def test_a_description_from_a_town_and_its_state_is_the_described_person_not_the_town():
    article = process(
        body(
            "Voss says she is tough enough after a woman in Millbrook, Oregon, told her she worries she is "
            '"too nice" to win.'
        )
    )
    assert speaker_of(article, "too nice") == ("the woman", "anonymous")


def test_a_name_in_commas_after_a_role_of_an_organization_is_the_person():
    article = process(
        body(
            'The leader of the Harbor League, Jonathan Greer, warned that the ban would be "unacceptable to us."'
        )
    )
    assert speaker_of(article, "unacceptable to us") == ("Jonathan Greer", "person")


def test_a_name_in_commas_after_one_of_a_group_is_the_person():
    article = process(
        body(
            'One of the firm\'s top executives, Lou Reyes, later said that "none of the staff" were chosen by him.'
        )
    )
    assert speaker_of(article, "none of the staff") == ("Lou Reyes", "person")


def test_so_called_is_no_cue_and_no_one_speaks_by_it():
    article = process(body('The so called "Harbor Plan" was called by the council a way to force a vote.'))
    found = quote(article, "Harbor Plan")
    assert found is None or found.speaker is None or found.speaker.name != "the so"


def test_a_participle_is_no_head_of_a_description():
    article = process(
        body(
            'The film shows Bob hoping to remain and portrays one of the nurses asking, "Why, so we can rescue you?"'
        )
    )
    found = quote(article, "Why, so")
    assert found.speaker is None or not found.speaker.name.endswith("wanting")


def test_the_agent_of_a_passive_verb_of_naming_after_a_quote_is_whose_words_they_are():
    article = process(body('The so called "Harbor Plan" was called by Ada Voss a way to force a vote.'))
    assert speaker_of(article, "Harbor Plan") == ("Ada Voss", "person")


def test_a_surname_that_is_also_a_modal_stays_the_name_before_its_verb():
    article = process(
        body(
            'Columnist Dana Will wrote that the plan was "a disaster for the valley."',
            'Instead, Will urged voters to "look elsewhere" this year.',
            '"It cannot stand," Will wrote.',
        )
    )
    assert speaker_of(article, "a disaster") == ("Dana Will", "person")
    assert speaker_of(article, "look elsewhere") == ("Dana Will", "person")
    assert speaker_of(article, "It cannot stand") == ("Dana Will", "person")


def test_a_plural_of_a_role_or_a_person_noun_is_a_group_of_the_article():
    article = process(
        body(
            '"We will appeal at once," attorneys for the family said.',
            'Attorneys for the family said they would "appeal at once" too.',
            '"The count is fair," election clerks told reporters.',
        )
    )
    assert speaker_of(article, "We will appeal") == ("attorneys for the family", "group")
    assert speaker_of(article, "appeal at once") == ("attorneys", "group")
    assert speaker_of(article, "The count is fair") == ("election clerks", "group")


def test_a_clause_ending_in_a_plural_is_no_group():
    article = process(
        body('Ada Voss sharply rebuked critics who say the plan is "a giveaway to developers."')
    )
    found = quote(article, "a giveaway")
    assert found.speaker is None or "rebuked" not in found.speaker.name


def test_a_share_of_those_asked_is_a_group_of_the_article():
    article = process(
        body(
            'Nine of 10 voters were worried; most said they were "very worried" about the mill.',
            'About three in 10 said they were "angry" at the council.',
            'Asked about the race, 18 percent said "not too likely" and 9 percent said "not at all likely."',
        )
    )
    assert speaker_of(article, "very worried") == ("most", "group")
    assert speaker_of(article, "angry") == ("about three", "group")
    assert speaker_of(article, "not too likely") == ("18 percent", "group")
    assert speaker_of(article, "not at all likely") == ("9 percent", "group")


def test_a_clause_read_as_a_subject_is_no_group():
    article = process(
        body('Voss has long been regretting what the editors called "a lost decade" for the town.')
    )
    found = quote(article, "a lost decade")
    assert found is None or found.speaker is None or found.speaker.name != "regretting what the editors"


def test_a_poll_or_report_named_for_its_author_is_the_subject_that_found_the_words():
    article = process(
        body(
            'A 2014 Harbor Oversight Committee report found "no trace of any command to halt work at the pier."',
            'A Millbrook University poll found that voters "strongly oppose the plan for the riverfront."',
        )
    )
    assert speaker_of(article, "no trace") == ("Harbor Oversight Committee", "organization")
    assert speaker_of(article, "strongly oppose") == ("Millbrook University", "organization")


def test_an_outlet_named_before_its_kind_is_an_organization():
    article = process(body('"The ship sailed a long time ago," wrote Harbor magazine on Friday.'))
    assert speaker_of(article, "The ship") == ("Harbor magazine", "organization")


def test_a_group_of_people_opening_a_sentence_is_a_group_not_a_person_in_it():
    article = process(
        body(
            "A group of 52 Nordic painters, poets and dancers this month signed a public letter "
            'and urged readers to "recall the drives against other minorities."'
        )
    )
    speaker = speaker_of(article, "recall the drives")
    assert speaker is not None and speaker[1] == "group" and speaker[0].startswith("a group of")


def _group_names(article):
    return {q.speaker.name for q in article.quotes if q.speaker is not None and q.speaker.kind == "group"}


def test_a_plural_of_things_is_no_group_of_the_article():
    article = process(
        body(
            'Harbor Council members blocked the grant because of "rider" clauses slipped in by the mayor.',
            '"The vote was never held," the leaked documents said.',
            'Marsh County will have "full employment" by spring, according to calculations in the plan.',
            'The river plan was, the budget tables show, "the costliest in a decade."',
        )
    )
    names = _group_names(article)
    for thing in ("measures", "documents", "calculations", "tables"):
        assert not any(thing in name for name in names), names


def test_a_plural_of_people_not_in_the_role_lists_is_still_a_group():
    article = process(
        body(
            '"We stayed until dawn," the organizers said.',
            '"The road is closed," investigators told reporters.',
            '"It was a fair count," the attendees said.',
            '"Build it now," the Millbrook marchers demanded.',
            '"Nobody asked us," Harbor economists wrote.',
        )
    )
    assert speaker_of(article, "We stayed") == ("the organizers", "group")
    assert speaker_of(article, "The road is closed") == ("investigators", "group")
    assert speaker_of(article, "It was a fair count") == ("the attendees", "group")
    assert speaker_of(article, "Build it now") == ("the Millbrook marchers", "group")
    assert speaker_of(article, "Nobody asked us") == ("Harbor economists", "group")


def test_which_plurals_name_people():
    from corpus.ingest.speakers import names_people_plural

    people = ["organizers", "shoppers", "investigators", "attendees", "participants", "Europeans", "Israelis"]
    things = ["measures", "calculations", "documents", "letters", "centers", "checklists", "results", "finds"]
    assert [w for w in people if not names_people_plural(w)] == []
    assert [w for w in things if names_people_plural(w)] == []


def test_a_fraction_of_those_asked_is_still_a_group():
    article = process(body('Asked about the levy, three-quarters said it was "far too high."'))
    assert speaker_of(article, "far too high") == ("three-quarters", "group")


def _local_speakers(article) -> set[str]:
    return {q.speaker.name for q in article.quotes if q.speaker and q.speaker.kind in ("anonymous", "group")}


def test_an_auxiliary_after_the_subject_is_no_head_of_a_description():
    article = process(
        body('The plan was labeled "a swindle" and "a trap" by Dana Moss on Sunday, and "a disgrace" later.')
    )
    assert "the was" not in _local_speakers(article)
    assert speaker_of(article, "a disgrace") != ("the was", "anonymous")


def test_the_subject_of_a_passive_is_no_description_ending_in_was():
    article = process(
        body(
            'And the bureau was warned about the driver, but the bureau somehow managed to "lose" the file '
            "after the crash."
        )
    )
    assert speaker_of(article, "lose") != ("the was", "anonymous")


def test_an_auxiliary_after_why_is_no_head_of_a_description():
    article = process(
        body('The singer explained why being called such is really a "left-handed compliment."')
    )
    assert "the being" not in _local_speakers(article)


def test_an_adverb_after_a_description_is_passed_over_to_its_head_noun():
    article = process(
        body(
            'But Lena Ortiz entered the final week as the only serious contender here to call the rivals "weak."'
        )
    )
    assert "the here" not in _local_speakers(article)
    assert speaker_of(article, "weak") in (None, ("the contender", "anonymous"), ("Lena Ortiz", "person"))


def test_a_quote_after_a_sentence_whose_subject_is_a_description_is_the_described_speakers():
    article = process(
        body(
            "The flood reached the mill on Monday.",
            "The retired welder further recalled that the water rose within an hour. "
            '"I had never seen the river move that fast in sixty years."',
        )
    )
    assert speaker_of(article, "I had never seen") == ("the welder", "anonymous")


def test_a_quote_after_a_sentence_whose_subject_is_an_organization_is_the_organizations():
    article = process(
        body(
            "The vote on the new quota was held on Monday.",
            "The Harbor Anglers Federation later apologized to the fishermen for the delay. "
            '"We should have told every member of the club before the vote."',
        )
    )
    assert speaker_of(article, "We should have told") == ("Harbor Anglers Federation", "organization")


def test_someone_named_by_whom_they_work_for_is_not_that_person():
    article = process(
        body(
            "Ada Voss toured the valley on Monday.",
            '"The plan is dead on arrival," Ada Voss\'s spokeswoman said.',
            'Voss\'s campaign manager said she would stay in the race "until the last vote is counted."',
        )
    )
    assert speaker_of(article, "The plan is dead") == ("the spokeswoman", "anonymous")
    assert speaker_of(article, "until the last vote") == ("the manager", "anonymous")


def test_the_owners_role_is_the_person_the_article_named_with_it():
    article = process(
        body(
            "Voss spokeswoman Rita Crane spoke to reporters in Reno on Monday.",
            '"The plan is dead on arrival," Voss\'s spokeswoman said later.',
        )
    )
    assert speaker_of(article, "The plan is dead") == ("Rita Crane", "person")


def test_a_subject_that_names_its_owner_first_is_the_one_described():
    article = process(
        body(
            "Ada Voss spoke in Reno on Monday.",
            'Ada Voss\'s right-hand woman cheered on volunteers, saying: "We must be set to block him."',
        )
    )
    assert speaker_of(article, "We must be set") == ("the woman", "anonymous")


def test_who_before_a_cue_stands_for_the_people_named_right_before_it():
    article = process(
        body(
            "Mayor Dana Cole is among those raising concerns, echoing outside experts who say the "
            'town\'s records "have been quietly altered for years."'
        )
    )
    assert speaker_of(article, "have been quietly") == ("outside experts", "group")


def test_a_description_cut_off_by_a_quoted_title_ends_before_its_dangling_words():
    article = process(
        body(
            '"If new voters are to join us, we must reach out to them," wrote the authors of the '
            '"Harbor Growth Plan," citing the last race.'
        )
    )
    assert speaker_of(article, "If new voters are") == ("the authors", "group")


def test_the_people_a_survey_asked_are_a_group_of_the_article():
    article = process(
        body(
            "Dana Cole leads the field in the new county survey.",
            'Those surveyed said Cole has the "best experience," though Hale is trusted more.',
            'Respondents added: "We want the budget fixed before any new spending."',
        )
    )
    assert speaker_of(article, "best experience") == ("those surveyed", "group")
    assert speaker_of(article, "We want the budget") == ("respondents", "group")


def test_a_phrase_opening_with_alongside_and_a_focusing_even_leave_the_described_subject():
    article = process(
        body(
            "Dana Cole spoke in Reno on Monday.",
            "Alongside pleas for a decision, even a senior county strategist said Cole must pick a side, "
            'saying, "Sooner or later, she will need to show where she stands."',
        )
    )
    assert speaker_of(article, "Sooner or later") == ("the strategist", "anonymous")


def test_a_quotation_going_on_in_the_next_paragraph_is_the_direct_quotes_not_the_reported_speech_after_it():
    article = process(
        body(
            "Dana Cole spoke in Reno on Monday, and so did Omar Hale.",
            "\u201cAs far as the town is concerned it is anything but the mall,\u201d Cole told the Ledger in an "
            "interview when asked which plan she would back.",
            "\u201cIt is everything but the mall because the mall means debt.\u201d",
        )
    )
    assert speaker_of(article, "It is everything") == ("Dana Cole", "person")


def test_an_institution_or_group_described_with_a_relative_clause_is_named_without_it():
    article = process(
        body(
            "“We worked hard to finish the docks on time,” said the agency, which missed the deadline by a month.",
            "“Nobody asked us,” said the union that represents dock workers.",
            "“The count was fair,” the clerks, who worked through the night, said.",
        )
    )
    assert speaker_of(article, "We worked hard") == ("the agency", "group")
    assert speaker_of(article, "Nobody asked us") == ("the union", "group")
    assert speaker_of(article, "The count was fair") == ("the clerks", "group")


def test_the_one_told_is_not_the_speaker_of_what_follows():
    article = process(
        body(
            "Ada Voss spoke in Salem on Monday.",
            "Voss's campaign manager, Tom Reyes, told reporters that she would not debate again.",
            "When asked which plan she backed, Voss told the Ledger the second one was best.",
        )
    )
    assert speaker_of(article, "she would not debate") == ("Tom Reyes", "person")
    assert speaker_of(article, "the second one was best") == ("Ada Voss", "person")
