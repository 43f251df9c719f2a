"""Attribution shapes around a quote that name its speaker without a plain "X said": "as X put it",
"in X's words", "is how X put it" (invented sentences and names)."""

from __future__ import annotations

from corpus.ingest.pipeline import process
from tests.corpus.ingest.articles import body
from tests.corpus.ingest.articles import first_words as speakers


def test_as_someone_put_it_before_a_whole_quotation_names_its_speaker():
    found = speakers(
        body(
            'But at the time, as prosecutor Ann Cole put it, "apart from a late bus and a loud dog, '
            'there was little left to grumble over."'
        )
    )
    assert found == {"apart from a": ("direct", "Ann Cole")}


def test_as_someone_puts_it_gives_the_fragments_of_the_sentence_to_that_person():
    found = speakers(
        body(
            "Mayor Omar Hale wants a vote this month. As columnist Dana Moss puts it, Hale is trying "
            'to make the council "an offer it cannot refuse."'
        )
    )
    assert found == {"an offer it": ("partial", "Dana Moss")}


def test_in_someones_words_names_the_speaker_of_the_quotation():
    found = speakers(
        body(
            "The summit moved to Lisbon because, in Lena Park's words, "
            '"it is the most inventive city on the continent by far."'
        )
    )
    assert found == {"it is the": ("direct", "Lena Park")}


def test_is_how_someone_put_it_names_the_one_after_how():
    article = process(
        body(
            "The river board met on Monday.",
            '"We will not back down from this fight," was how critics of the board put it.',
            '"We have waited long enough for a vote," is how Lena Park put it.',
        )
    )
    first, second = (q for q in article.quotes if q.kind == "direct")
    assert first.speaker_mention == "critics of the board"
    assert first.speaker is None or "how" not in first.speaker.name
    assert second.speaker is not None and second.speaker.name == "Lena Park"


def test_a_name_with_an_appositive_between_dashes_is_the_subject_of_its_verb():
    found = speakers(
        body(
            '"It is a close race and will stay one," Geoff Garin \u2014 a pollster from Dayton \u2014 said on Monday.',
            'Ann Lowe - a teacher from Mount Pleasant - said: "We have been waiting for this vote for years."',
            "Jason Sims \u2014 a welder from Mount Pleasant \u2014 says he made a late decision, and that the "
            'mayor\'s backing was "a big deal."',
        )
    )
    assert found == {
        "It is a": ("direct", "Geoff Garin"),
        "We have been": ("direct", "Ann Lowe"),
        "a big deal.": ("partial", "Jason Sims"),
    }


def test_from_someone_before_a_colon_names_the_source_of_the_quotation():
    article = process(
        body(
            "The signs of a shift were there all along - More from Dana Cole: "
            '"The figures we gathered suggest that both worries mattered."',
            'From Ada Voss\'s Facebook post: "For the good of our party, we must let this go."',
            'From the audit: "In general, the offices with longer reviews kept better records."',
        )
    )
    found = {article.text[q.start : q.end].split()[1]: q for q in article.quotes if q.kind == "direct"}
    assert found["figures"].speaker.name == "Dana Cole"
    assert found["the"].speaker.name == "Ada Voss"
    assert found["general,"].speaker is not None and found["general,"].speaker_mention == "the audit"


def reported(text: str) -> list[tuple[str, str | None]]:
    article = process(text)
    return [
        (article.text[q.start : q.end], q.speaker.name if q.speaker else None)
        for q in article.quotes
        if q.kind == "indirect"
    ]


def test_reported_speech_ends_before_a_later_clause_with_a_speaker_of_its_own():
    text = body(
        "Tom Reyes said he would make the river glow at night, and Ada Voss vowed to drain it by May.",
        "While not everything Voss says is true, Lena Park said Voss is telling voters what they want.",
        "Omar Hale said the budget is balanced; Dana Cole argued that it is not.",
    )
    assert reported(text) == [
        ("he would make the river glow at night", "Tom Reyes"),
        ("Voss is telling voters what they want", "Lena Park"),
        ("the budget is balanced", "Omar Hale"),
        ("it is not", "Dana Cole"),
    ]


def test_reported_speech_keeps_a_clause_that_is_part_of_what_was_said():
    text = body("Tom Reyes said the plan failed and that the council never voted on it at all.")
    assert reported(text) == [("the plan failed and that the council never voted on it at all", "Tom Reyes")]


def test_read_after_a_quotation_is_its_cue():
    article = process(
        body(
            '"If she wants to be mayor, Ada Voss should act like one," the editorial read.',
            '"Our movement has already forced the council to change its mind," read the email.',
            'The sign at the gate read: "We need the plant back, every one of us."',
            'At the fair, Dana Cole read "The Raven" aloud to the crowd.',
        )
    )
    found = {article.text[q.start : q.end].split()[0]: q for q in article.quotes if q.kind != "indirect"}
    assert found["If"].speaker_mention == "the editorial" and found["If"].speaker is not None
    assert found["Our"].speaker_mention == "the email" and found["Our"].speaker is not None
    assert found["We"].speaker_mention.casefold().startswith("the sign")
    assert "The" not in found


def test_read_as_a_name_a_gloss_or_a_relative_clause_verb_is_no_cue():
    found = speakers(
        body(
            "Ian Read runs the company.",
            '"We think this merger is a fine bargain for our owners," Read said.',
            "Ada Voss retweeted a message from her adviser that read: "
            '"Public health emergencies are not the place for this."',
            'At the rally, Tom Reyes hoisted a sign that read "Voss for mayor!"',
        )
    )
    assert found == {
        "We think this": ("direct", "Ian Read"),
        "Public health emergencies": ("direct", "Ada Voss"),
        "Voss for mayor!": ("direct", "Tom Reyes"),
    }


def test_a_role_of_an_owner_before_a_name_in_commas_is_that_named_person():
    article = process(
        body(
            "Omar Hale's Ohio state director, Mike Ruiz, reached out to the firm, writing in an email: "
            '"We want to use this as soon as we can."',
            "Omar Hale's Ohio state director reached out to the firm again, writing in an email: "
            '"We are still waiting for an answer."',
        )
    )
    first, second = (q for q in article.quotes if q.kind == "direct")
    assert first.speaker is not None and first.speaker.name == "Mike Ruiz"
    assert second.speaker is None or second.speaker.name != "Omar Hale Ohio"


def test_a_colon_introduction_after_an_opening_phrase_names_the_subject_after_its_comma():
    found = speakers(
        body(
            "In early October, Mike Ruiz reached out to the firm, writing in an email: "
            '"We want to use this soon."',
            'In a statement: "Nobody on the board knew about the deal."',
        )
    )
    assert found == {"We want to": ("direct", "Mike Ruiz"), "Nobody on the": ("direct", None)}


def test_an_attribution_that_introduces_the_next_quotation_leaves_the_one_before_to_its_own():
    found = speakers(
        body(
            'Ada Voss answered Tom Reyes with, "Why today? Was that not settled?" Reyes then wrote back, '
            '"You look fine."',
            '"Why not?" Lena Park asked, "and why here, of all places?"',
        )
    )
    assert found == {
        "Why today? Was": ("direct", "Ada Voss"),
        "You look fine.": ("direct", "Tom Reyes"),
        "Why not?": ("direct", "Lena Park"),
        "and why here,": ("direct", "Lena Park"),
    }


def test_a_name_right_before_a_participle_is_its_own_subject():
    found = speakers(
        body(
            "Both men issued a statement about working together, Omar Hale saying he was "
            '"very encouraged" and Dana Cole calling it a "great meeting."',
            'Lena Park thanked Omar Hale, calling him "a true friend" of the town.',
        )
    )
    assert found == {
        "very encouraged": ("partial", "Omar Hale"),
        "great meeting.": ("partial", "Dana Cole"),
        "a true friend": ("partial", "Lena Park"),
    }


def test_an_aside_later_in_the_clause_names_the_agent_of_a_described_fragment():
    found = speakers(
        body(
            'Dana Cole has been accused of being "extremely careless" in the handling of records '
            "- as described by Judge Omar Hale - and of hiding them.",
        )
    )
    assert found == {"extremely careless": ("partial", "Omar Hale")}


def test_the_bare_form_of_a_cue_after_a_plural_of_people_is_its_present():
    found = speakers(
        body(
            'Legal observers note the city would not truly "close" the old prison.',
            'Critics describe the plan as "a whole other kettle of fish" from the last one.',
            'His comments praise the "new spirit" of the town.',
        )
    )
    assert found["close"][1] is not None and "observers" in found["close"][1].casefold()
    assert found["a whole other"][1] is not None and "critics" in found["a whole other"][1].casefold()
    assert "new spirit" not in found


def test_the_bare_form_of_a_cue_after_a_plural_of_people_outside_the_role_lists_is_its_present():
    found = speakers(
        body(
            'Local attendees describe the fair as "a festival of noise" every year.',
            'The new measures call for "a bridge by spring" on the river.',
        )
    )
    assert found["a festival of"][1] is not None and "attendees" in found["a festival of"][1]
    assert found.get("a bridge by", (None, None))[1] is None


def test_a_name_in_commas_after_a_description_after_the_verb_is_the_speaker():
    found = speakers(
        body(
            '"This town is overdue for a woman in charge," exhorted Voss\'s introducer, actress Lena Park.',
            '"We will be back next year with more," said the mayor\'s chief of staff, Omar Hale, on Monday.',
            '"Nobody asked us about the plan," said a spokesman for the council.',
        )
    )
    assert found == {
        "This town is": ("direct", "Lena Park"),
        "We will be": ("direct", "Omar Hale"),
        "Nobody asked us": ("direct", found["Nobody asked us"][1]),
    }
    assert found["Nobody asked us"][1] is not None and "spokesman" in found["Nobody asked us"][1]


def test_a_name_before_an_age_and_an_appositive_is_the_subject():
    found = speakers(
        body(
            "Dana Cole, 31, a Dayton freelance photographer, said the convention was the "
            '"perfect opportunity" to speak up.',
        )
    )
    assert found == {"perfect opportunity": ("partial", "Dana Cole")}


def test_call_after_an_article_is_a_noun_not_a_cue():
    found = speakers(
        body(
            'Citing last week\'s blaze as an alarm bell for the town and its "daydreams about safety," '
            "Omar Hale urged the council to act.",
            'Voters in the towns call the plan "a total mess" for the valley.',
        )
    )
    assert found["daydreams about safety,"] == ("partial", "Omar Hale")
    assert found["a total mess"][1] is not None


def test_a_colon_introduction_is_from_the_subject_of_the_verb_that_ends_it():
    article = process(
        body(
            "The Harbor Post ran the claims in May, and River News responded:",
            '"If there are people who believe this, they are wrong about the town."',
            "The calendar was so strange that a spokesman for Ada Voss could only joke:",
            '"I guess the holiday was booked by someone else this year."',
            'But polls did predict the council race - Harbor Pollster: "Most pollsters fared better this time."',
        )
    )
    assert quotes_of(article, "Most").speaker.name == "Harbor Pollster"
    quotes = {article.text[q.start : q.end].split()[0]: q for q in article.quotes}
    assert quotes["If"].speaker is not None and quotes["If"].speaker.name == "River News"
    assert quotes["I"].speaker is not None and "spokesman" in quotes["I"].speaker.name
    assert [q.kind for q in article.quotes] == ["direct", "direct", "direct"]


def quotes_of(article, first_word: str):
    return next(q for q in article.quotes if article.text[q.start : q.end].split()[0] == first_word)


def test_a_participle_opening_the_sentence_has_the_main_clauses_subject():
    found = speakers(
        body(
            'Acknowledging that Voss "says a lot of odd stuff," though, Dana Allen did suggest that her '
            "wealth gives her an edge.",
            'Calling the plan "a disaster," Omar Hale walked out of the meeting.',
        )
    )
    assert found == {
        "says a lot": ("partial", "Dana Allen"),
        "a disaster,": ("partial", "Omar Hale"),
    }


def test_a_participle_after_and_shares_the_subject_of_the_participle_before_it():
    found = speakers(
        body(
            "Council members rushed to weigh in, with Ada Voss tweeting that it was a "
            '"disaster" for the town and asking, "Why should a person with such poor sense lead us?"',
        )
    )
    assert found == {
        "disaster": ("partial", "Ada Voss"),
        "Why should a": ("direct", "Ada Voss"),
    }


def test_a_bare_cue_after_a_modal_after_a_quotation_is_its_attribution():
    found = speakers(
        body(
            '"We will win this race in the fall," Ada Voss could only repeat.',
            '"We have it," Tom Reyes did concede, "but not this year."',
        )
    )
    assert found == {
        "We will win": ("direct", "Ada Voss"),
        "We have it,": ("direct", "Tom Reyes"),
        "but not this": ("direct", "Tom Reyes"),
    }


def test_a_question_put_to_the_speaker_after_the_cue_is_no_part_of_what_was_said():
    text = body(
        "Ada Voss spoke in Salem on Monday.",
        "Voss told the Ledger when asked which plan she backed that the second one was best.",
        "Voss said when pressed about that vote that she would cut nothing.",
    )
    assert reported(text) == [
        ("the second one was best", "Ada Voss"),
        ("she would cut nothing", "Ada Voss"),
    ]
