"""One record per person: what goes into a speaker's name, and what is never a person at all."""

from __future__ import annotations

import pytest

from corpus.ingest.pipeline import process
from corpus.ingest.speakers import ArticleSpeakers, directory_from, is_junk_person_name
from corpus.ingest.types import SpeakerRef
from tests.corpus.ingest.articles import body, said


def resolved(speakers: ArticleSpeakers, phrase: str):
    result = speakers.resolve(phrase)
    return None if result.key is None else speakers.entity(result.key)


@pytest.mark.parametrize(
    ("phrase", "name", "description"),
    [
        ("Republican Donald Trump", "Donald Trump", "Republican"),
        ("Democrat Hillary Clinton", "Hillary Clinton", "Democrat"),
        ("Nurse Ada Bell", "Ada Bell", "nurse"),
        ("Republican presidential candidate Ted Cruz", "Ted Cruz", "Republican presidential candidate"),
        ("GOP front-runner Donald Trump", "Donald Trump", "GOP front-runner"),
        ("Sen. Bernie Sanders", "Bernie Sanders", "Sen."),
        ("Rev. Al Sharpton", "Al Sharpton", "Rev."),
        ("Del. Eleanor Holmes Norton", "Eleanor Holmes Norton", "Del."),
    ],
)
def test_titles_roles_and_party_labels_go_to_the_description(phrase, name, description):
    entity = resolved(ArticleSpeakers(), phrase)
    assert (entity.name, entity.kind, entity.description) == (name, "person", description)


@pytest.mark.parametrize(
    "phrase",
    ["A", "As", "Once", "Following", "Del", "Rev", "G.K", "Republican", "Republicans Say", "Coach", "Rev."],
)
def test_words_and_fragments_are_not_people(phrase):
    entity = resolved(ArticleSpeakers(), phrase)
    assert entity is None or entity.kind != "person", entity


def test_sentence_initial_words_are_not_part_of_a_name():
    speakers = ArticleSpeakers()
    assert resolved(speakers, "Once Hillary Clinton").name == "Hillary Clinton"
    assert resolved(speakers, "When Clinton").name == "Hillary Clinton"
    # After a preposition the name is the object of a clause, not the speaker.
    assert resolved(speakers, "Following Clinton") is None
    assert resolved(speakers, "Against Trump") is None


def test_a_headline_fragment_is_not_a_name():
    speakers = ArticleSpeakers()
    speakers.resolve("Barack Obama")
    # A headline's verb after a known surname is not part of the name.
    assert resolved(speakers, "Obama Sees").name == "Barack Obama"
    railing = resolved(speakers, "Railing Against Trump")
    assert railing is None or railing.name not in ("Railing Against Trump", "Railing Against")


def test_a_platform_is_an_organization():
    entity = resolved(ArticleSpeakers(), "Twitter")
    assert entity is None or entity.kind == "organization"


def test_a_spokesman_for_an_organization_is_an_anonymous_source_with_an_affiliation():
    entity = resolved(ArticleSpeakers(), "A spokesman for the Department of Agriculture")
    assert entity.kind == "anonymous"
    assert entity.name == "the spokesman"
    assert "Department of Agriculture" in entity.description
    entity = resolved(ArticleSpeakers(), "a spokeswoman for Sen. Ann Cole")
    assert entity.kind == "anonymous"


def test_a_headline_coach_says_is_not_a_person_named_coach():
    processed = process("Coach says the team will bounce back\n\nThe season starts on Friday.")
    people = {q.speaker.name for q in processed.quotes if q.speaker and q.speaker.kind == "person"}
    assert "Coach" not in people


def test_a_surname_after_a_title_resolves_to_the_full_name_introduced_earlier():
    speakers = ArticleSpeakers()
    full = speakers.resolve("Hillary Clinton").key
    assert speakers.resolve("Mrs. Clinton").key == full
    assert speakers.resolve("Secretary Clinton").key == full
    assert speakers.resolve("Clinton").key == full


@pytest.mark.parametrize(
    "name",
    [
        "A",
        "As",
        "Once",
        "Following",
        "Del",
        "Rev",
        "G.K",
        "Republican",
        "Twitter",
        "Obama Sees",
        "Railing Against Trump",
        "Coach",
        "Agriculture",
    ],
)
def test_junk_person_names_are_recognised(name):
    assert is_junk_person_name(name)


@pytest.mark.parametrize(
    "name",
    ["Barack Obama", "Donald J. Trump", "Obama", "Xi Jinping", "J.R. Smith", "Beto O'Rourke", "Ted Cruz"],
)
def test_real_names_are_not_junk(name):
    assert not is_junk_person_name(name)


# -- across articles -----------------------------------------------------------------------------------


def registry(*names: str):
    return directory_from([SpeakerRef(name) for name in names])


def test_a_bare_surname_joins_the_one_registry_person_with_it():
    speakers = ArticleSpeakers(registry("Barack Obama", "Xi Jinping"))
    assert resolved(speakers, "Obama").name == "Barack Obama"
    assert resolved(speakers, "President Obama").name == "Barack Obama"


def test_a_shared_surname_is_left_alone_rather_than_guessed():
    speakers = ArticleSpeakers(registry("Hillary Clinton", "Bill Clinton"))
    entity = resolved(speakers, "Clinton")
    assert entity.name == "Clinton"
    # The article's own full name still wins.
    speakers = ArticleSpeakers(registry("Hillary Clinton", "Bill Clinton"))
    speakers.resolve("Bill Clinton")
    assert resolved(speakers, "Clinton").name == "Bill Clinton"


def test_an_alias_an_editor_gave_outranks_the_surname_rule():
    directory = registry("Hillary Clinton", "Bill Clinton")
    directory.add(SpeakerRef("Hillary Clinton", aliases=("Clinton",)))
    speakers = ArticleSpeakers(directory)
    assert resolved(speakers, "Clinton").name == "Hillary Clinton"


def test_surname_forms_are_not_filed_as_registry_aliases():
    processed = process(
        "Obama talks trade\n\nBarack Obama said on Monday that talks would go on.\n\n"
        "Mrs. Clinton said she agreed.\n\nHillary Clinton, the secretary of state, said the same."
        '\n\n"We will see," Obama said.'
    )
    refs = {q.speaker.name: q.speaker for q in processed.quotes if q.speaker}
    assert "Barack Obama" in refs
    assert not {"Obama", "President Obama"} & set(refs["Barack Obama"].aliases)


def test_a_title_picks_the_one_registry_person_it_describes():
    directory = directory_from(
        [
            SpeakerRef("Barack Obama", description="President"),
            SpeakerRef("Michelle Obama", description="first lady"),
        ]
    )
    assert resolved(ArticleSpeakers(directory), "President Obama").name == "Barack Obama"
    assert resolved(ArticleSpeakers(directory), "Obama").name == "Obama"
    assert resolved(ArticleSpeakers(directory), "Mr. Obama").name == "Obama"


# -- places, organizations, datelines and dates are not people ----------------------------------------------


@pytest.mark.parametrize(
    "phrase",
    ["North Korea", "New Hampshire", "Las Vegas", "Wall Street", "Ohio", "Houston", "Belgium", "Calif."],
)
def test_a_place_speaks_as_an_organization_not_a_person(phrase):
    entity = resolved(ArticleSpeakers(), phrase)
    assert (entity.name, entity.kind) == (phrase.rstrip("."), "organization")


def test_a_city_that_names_a_person_of_the_article_is_that_person():
    speakers = ArticleSpeakers(full_names=["Dallas Ross"])
    assert (resolved(speakers, "Dallas").name, resolved(speakers, "Dallas").kind) == ("Dallas Ross", "person")


@pytest.mark.parametrize(
    "phrase",
    [
        "Harbor Investment Partnership",
        "Trump Train",
        "Keystone Research",
        "Liberty Action",
        "KING-TV",
        "Reformation Church",
    ],
)
def test_organization_head_words_and_call_signs_make_an_organization(phrase):
    assert resolved(ArticleSpeakers(), phrase).kind == "organization"


def test_a_run_with_a_word_in_capitals_is_an_outlet_not_a_person():
    entity = resolved(ArticleSpeakers(), "NEWSBEAT Florida")
    assert (entity.name, entity.kind) == ("NEWSBEAT Florida", "organization")


@pytest.mark.parametrize(
    ("phrase", "name", "description"),
    [("CNN Lena Moreau", "Lena Moreau", "CNN"), ("NTU President Mara Quill", "Mara Quill", "NTU President")],
)
def test_an_outlet_or_union_before_a_full_name_goes_to_the_description(phrase, name, description):
    entity = resolved(ArticleSpeakers(), phrase)
    assert (entity.name, entity.kind, entity.description) == (name, "person", description)


def test_a_party_label_after_a_place_is_an_unnamed_source():
    entity = resolved(ArticleSpeakers(), "New Hampshire Republican")
    assert (entity.name, entity.kind, entity.description) == (
        "the republican",
        "anonymous",
        "New Hampshire Republican",
    )


@pytest.mark.parametrize(
    "name", ["Thursday", "March", "Six", "Affordable Care Act", "Super Tuesday", "Economic Dialogue"]
)
def test_dates_numbers_laws_and_events_are_junk(name):
    assert is_junk_person_name(name)


@pytest.mark.parametrize(
    "name", ["Kristen Day", "April Mellody", "Brent Bozell III", "Mo Ellis", "Dallas Ross"]
)
def test_names_with_such_words_in_them_are_still_names(name):
    assert not is_junk_person_name(name)
    assert resolved(ArticleSpeakers(), name).kind == "person"


def test_a_full_name_used_later_leaves_its_title_and_union_out():
    article = process(
        "Union backs bill\n\nThe members cheered, and powerful NTU President Mara Quill hugged the senator.\n\n"
        '"Public schools matter," Quill declared.'
    )
    assert [(q.speaker.name, q.speaker.description) for q in article.quotes] == [("Mara Quill", "")]


def test_a_full_stop_inside_a_capitalized_run_ends_the_sentence_before_a_name():
    article = process(
        "Fund under fire\n\nCritics call the fund a scam PAC. Dan Whitby, its treasurer, rejects the label.\n\n"
        '"It costs money to raise money," Whitby says.'
    )
    assert article.quotes[0].speaker.name == "Dan Whitby"


def test_he_after_a_sentence_about_a_country_is_not_the_country():
    article = process(
        "Missile test\n\nSenator Ray Olund spoke first.\n\nNorth Korea tested a missile on Sunday.\n\n"
        '"It is a threat," he said.'
    )
    speaker = article.quotes[0].speaker
    assert speaker is None or (speaker.kind == "person" and speaker.name != "North Korea")


# -- a word capitalized only where a sentence opens ------------------------------------------------------


def _article_speakers(*paragraphs: str) -> ArticleSpeakers:
    return ArticleSpeakers(texts=["Headline for the test article", *paragraphs])


def test_a_word_capitalized_only_opening_sentences_and_written_in_lowercase_is_no_person():
    speakers = _article_speakers(
        "Wait, the vote is not over.", "The council said it would wait for the audit before it voted."
    )
    assert resolved(speakers, "Wait") is None


@pytest.mark.parametrize("word", ["Sanders", "Manning", "Kelly", "Reed"])
def test_a_surname_that_reads_like_a_plural_a_participle_or_an_adverb_stays_a_name(word):
    speakers = _article_speakers(f"{word} spoke first.", f"{word} asked the crowd to stay.")
    assert resolved(speakers, word).kind == "person"


@pytest.mark.parametrize(
    "text",
    [
        "The plan was signed on Monday by Mayor Okafor.",  # inside a sentence
        "The plan was signed on Monday, Okafor said.",  # after a comma
        "The plan was signed on Monday by Ms. Okafor.",  # after a title
        "“The plan is signed,” Okafor said.",  # after a quotation closed on a comma
        "Okafor confirmed the plan on Monday.",  # a surname met only opening sentences, never lowercase
    ],
)
def test_a_name_written_as_one_stays_a_person(text):
    speakers = _article_speakers("Okafor spoke first.", text)
    entity = resolved(speakers, "Okafor")
    assert (entity.name, entity.kind) == ("Okafor", "person")


def test_a_capitalized_word_in_a_headline_is_no_evidence_of_a_name():
    speakers = ArticleSpeakers(
        texts=["Mayor Signs Budget On Time", "Signs of a deal were there, and signs of doubt."]
    )
    assert resolved(speakers, "Signs") is None


@pytest.mark.parametrize("phrase", ["Someone", "Nobody", "None", "Whatever", "Given", "I've", "She'd"])
def test_indefinite_pronouns_a_preposition_and_contractions_are_not_people(phrase):
    entity = resolved(ArticleSpeakers(), phrase)
    assert entity is None or entity.kind != "person", entity


def test_a_common_word_opening_a_colon_introduction_speaks_no_quote():
    article = process(
        "Headline for the test article\n"
        "Signs of a shift were there, and signs of doubt:\n"
        '"Turnout rose in every county we surveyed this winter."'
    )
    assert [q.speaker for q in article.quotes] == [None]


def test_an_appositive_headed_by_an_organization_word_makes_the_name_an_organization():
    article = process(
        "Headline for the test article\n"
        "Forge, the region\u2019s largest union, said it would fight the closure.\n"
        "Dana Kell, the head of the union, said the talks had failed."
    )
    speakers = {(q.speaker.name, q.speaker.kind) for q in article.quotes if q.speaker}
    assert ("Forge", "organization") in speakers and ("Dana Kell", "person") in speakers


def test_an_appositive_headed_by_a_role_that_is_also_an_organization_word_keeps_the_name_a_person():
    # "pollster" ends the names of polling firms too, but a pollster in an appositive is a person, whom
    # a later "he" may stand for.
    article = process(
        "Headline for the test article\n"
        "Omar Vell, a Democratic pollster, said the primaries had hardened views of the field.\n"
        "But he also said the race \u201cwill tighten by the fall.\u201d"
    )
    speakers = {(q.speaker.name, q.speaker.kind) for q in article.quotes if q.speaker}
    assert speakers == {("Omar Vell", "person")}


def test_a_common_word_a_registry_record_was_made_of_stays_no_person_where_the_article_shows_it():
    directory = directory_from([SpeakerRef("Hours", "person")])
    speakers = ArticleSpeakers(
        directory, texts=["Vote held", "Hours later, the vote was held.", "It took hours."]
    )
    assert resolved(speakers, "Hours") is None


def test_a_plural_whose_singular_the_article_writes_in_lowercase_is_no_person():
    speakers = _article_speakers("Attorneys for the city said the suit was weak.", "The attorney left early.")
    # (The plural of a role is a group of the article instead.)
    assert (resolved(speakers, "Attorneys").name, resolved(speakers, "Attorneys").kind) == (
        "attorneys",
        "group",
    )


# -- common words that open sentences, and names of places and movements ------------------------------


@pytest.mark.parametrize(
    ("word", "paragraph"),
    [
        ("Hastily", "Hastily rewriting the plan, Voss told the board it was ready."),  # an adverb
        ("Adding", "Voss praised the plan. Adding, \u201cWe will build it this year.\u201d"),  # a participle
        ("Friends", "Friends say Voss still keeps a boat at the marina."),  # a plural noun
        ("Politicos", "Politicos have a word for this."),
        ("Sad", "Sad though it was, the council voted the plan down."),  # an adjective
        ("Legal", "Legal scholars doubt the plan changes much."),
        ("Wait", "Wait, there is more:"),  # an imperative
        ("Name", "Name: Dana Voss, a welder from the east side."),
    ],
)
def test_a_common_word_only_opening_sentences_is_no_person_though_the_article_never_writes_it_lowercase(
    word, paragraph
):
    speakers = _article_speakers(paragraph, "Voss spoke to the council on Monday.")
    entity = resolved(speakers, word)
    # ("Friends say", the plural of a person noun, is a group of the article instead.)
    assert entity is None or (word, entity.kind) == ("Friends", "group")


@pytest.mark.parametrize("word", ["Rice", "Bush", "Love"])
def test_a_surname_that_is_also_a_common_word_stays_a_name(word):
    speakers = _article_speakers(f"{word} spoke first.", f"{word} asked the crowd to stay.")
    assert resolved(speakers, word).kind == "person"


@pytest.mark.parametrize("name", ["Cedar Hollow", "Quiet Lanes Matter"])
def test_a_name_written_only_in_full_ending_in_a_common_word_is_no_person(name):
    speakers = _article_speakers(
        f"{name} changed the county.", f"Everyone here remembers {name} and the weeks after."
    )
    entity = resolved(speakers, name)
    assert entity is not None and entity.kind == "organization"


def test_a_person_whose_surname_is_a_common_word_is_still_a_person_when_named_by_it_again():
    speakers = _article_speakers(
        "Lena Hook changed the county.",
        "Lena Hook spoke first.",
        "Hook asked the crowd to stay.",
    )
    entity = resolved(speakers, "Lena Hook")
    assert (entity.name, entity.kind) == ("Lena Hook", "person")


def test_he_after_a_place_written_like_a_name_is_the_person_quoted_before():
    article = process(
        "Headline for the test article\n"
        "\u201cThe town changed me,\u201d said Senator Omar Reyes.\n"
        "For the county, Cedar Hollow became a turning point. \u201cNothing was the same after,\u201d "
        "he added.\n"
        "The families of Cedar Hollow met him again in May."
    )
    assert [q.speaker.name if q.speaker else None for q in article.quotes] == ["Omar Reyes", "Omar Reyes"]


def test_he_after_a_common_plural_opening_a_sentence_is_the_person_quoted_before():
    article = process(
        "Headline for the test article\n"
        "\u201cThe budget is fine,\u201d Voss said. Eyebrows arched, he asked, \u201cDid anyone read it?\u201d"
    )
    assert [q.speaker.name if q.speaker else None for q in article.quotes] == ["Voss", "Voss"]


def test_a_surname_that_looks_like_a_title_or_a_common_word_is_the_person_named_in_full():
    article = process(
        body(
            "Radio host Sam Trinity, reporter Ruth Bishop and analyst Tom Green met on Monday.",
            '"We need him back," Trinity said.',
            '"The plan is weak," Bishop said.',
            '"It is easy," Green said. The green benches were empty.',
            'Trinity asked whether the city would close "the old pier" this year.',
        )
    )
    assert [said(article, text) for text in ("We need", "The plan", "It is easy", "the old pier")] == [
        "Sam Trinity",
        "Ruth Bishop",
        "Tom Green",
        "Sam Trinity",
    ]


def test_a_title_or_common_word_no_one_of_the_article_bears_as_a_surname_stays_unresolved():
    article = process(
        body(
            "Radio host Sam Trinity met the board on Monday.",
            '"We need him back," Trinity said.',
            '"The plan is weak," Charity said.',
        )
    )
    assert said(article, "The plan") is None


def test_a_lone_surname_is_the_full_name_ending_in_it_before_a_headline_run_opening_with_it():
    article = process(
        "Okafor Supporter Shouts Slur\n"
        "Ruth Okafor spoke to a packed hall in Dayton on Monday.\n"
        '"That was a terrible thing to hear," Okafor said.'
    )
    assert said(article, "That was a terrible") == "Ruth Okafor"


@pytest.mark.parametrize(
    ("phrase", "name"),
    [
        ("the White House", "White House"),
        ("The Lund White House", "Lund White House"),
        ("the House", "House"),
    ],
)
def test_a_run_ending_in_house_is_the_institution_not_a_title(phrase, name):
    entity = resolved(ArticleSpeakers(), phrase)
    assert (entity.name, entity.kind) == (name, "organization")


def test_the_white_house_speaks_a_quote_and_a_fragment():
    article = process(
        body(
            'During their phone call, Ada Voss and Lee Park "renewed their pledge to the region," the White House said.',
            'The White House says the trip was a "respectful arrangement" for everyone.',
        )
    )
    assert said(article, "renewed their pledge") == "White House"
    assert said(article, "respectful arrangement") == "White House"


@pytest.mark.parametrize("phrase", ["the ACU", "The VFL"])
def test_a_word_in_capitals_after_the_is_an_organization_not_initials(phrase):
    entity = resolved(ArticleSpeakers(), phrase)
    assert (entity.name, entity.kind) == (phrase.split()[-1], "organization")


def test_initials_alone_stay_no_organization():
    entity = resolved(ArticleSpeakers(), "JFK")
    assert entity is None or entity.kind != "organization"


def test_a_modal_ending_a_full_name_is_a_surname_not_junk():
    assert not is_junk_person_name("Dana Will")
    assert is_junk_person_name("Will")
    assert is_junk_person_name("Voss Will Win")


@pytest.mark.parametrize(
    ("phrase", "name", "description"),
    [
        ("Harbor Fund President Ada Voss", "Ada Voss", "Harbor Fund President"),
        ("Valley Party Chairman Tom Reyes", "Tom Reyes", "Valley Party Chairman"),
        ("Oversight Committee Chairman Rep. Lena Park", "Lena Park", "Oversight Committee Chairman Rep."),
        ("Senate Majority Leader Omar Diaz", "Omar Diaz", "Senate Majority leader"),
    ],
)
def test_a_title_and_a_name_after_an_organization_are_a_person_of_it(phrase, name, description):
    entity = resolved(ArticleSpeakers(), phrase)
    assert (entity.name, entity.kind, entity.description) == (name, "person", description)


@pytest.mark.parametrize(
    "phrase", ["Harbor Fund", "White House Press Secretary", "President Voss Foundation"]
)
def test_an_organization_with_no_name_after_its_title_stays_one(phrase):
    assert resolved(ArticleSpeakers(), phrase).kind == "organization"
