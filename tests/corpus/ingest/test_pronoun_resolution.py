"""Who "he", "she" and a description stand for, on invented sentences in the shapes of real political news.

The candidates are the people an article names as subjects; gender comes from the article's own evidence.
"""

from __future__ import annotations

from corpus.ingest.pipeline import process
from corpus.ingest.quotes.pronouns import FEMALE, MALE, PersonMentions
from corpus.ingest.types import ProcessedArticle
from tests.corpus.ingest.articles import body, said


def mentions_of(text: str) -> PersonMentions:
    return PersonMentions.of_text(text, [(0, len(text))])


# -- gender evidence ----------------------------------------------------------------------------------------


def test_a_capitalized_word_between_a_name_and_its_pronoun_does_not_cut_the_vote():
    mentions = mentions_of("Nora Quill spoke during Tuesday's hearing, when she asked for a recount.")
    assert mentions.gender_of("quill") == FEMALE


def test_a_possessive_past_what_a_name_said_is_no_vote_for_it():
    # "her" is whoever the record is of: the sentence reports Brandt's words about someone else.
    mentions = mentions_of("Omar Brandt said the leak was only the latest blot on her record.")
    assert mentions.gender_of("brandt") is None


def test_a_subject_pronoun_right_after_said_is_a_vote():
    assert mentions_of("Nora Quill said Tuesday that she would run.").gender_of("quill") == FEMALE
    assert mentions_of("Nora Quill unveiled her plan on Monday.").gender_of("quill") == FEMALE


def test_another_name_before_the_pronoun_cuts_the_vote():
    mentions = mentions_of(
        "Rep. Ivo Marsh last week quipped to Harbor Bank Chair Dana Holt that luck did not want her to act."
    )
    assert mentions.gender_of("marsh") is None
    mentions = mentions_of("Ivo Marsh thanked Holt. Ann Holt spoke. Then Marsh praised Holt for her help.")
    assert mentions.gender_of("marsh") is None


def test_a_possessive_opening_an_appositive_is_someone_else_s():
    mentions = mentions_of("Idaho Democrat Lucy Fenn, his main pick, lost her primary.")
    assert mentions.gender_of("fenn") is None


def test_a_reflexive_after_the_name_is_a_vote():
    assert mentions_of("Ada Voss herself signaled a fight.").gender_of("voss") == FEMALE
    assert mentions_of("Omar Hale defended himself on Monday.").gender_of("hale") == MALE


def test_a_pronoun_opening_the_next_sentence_is_a_vote():
    assert mentions_of("Ivo Marsh left the hall. He did not return.").gender_of("marsh") == MALE


def test_a_plural_possessive_is_not_a_subject():
    mentions = mentions_of("Lee Park rejected Omar Sanders' plan. Then Sanders\u2019 aide left.")
    assert [m.name for m in mentions.mentions] == ["Lee Park"]


def test_a_pronoun_past_the_clause_a_subordinating_word_opens_is_no_vote():
    # "he" is whoever says what would happen if Voss won, not Voss.
    assert mentions_of("If Ada Voss is elected, he said, the plan is dead.").gender_of("voss") is None
    assert mentions_of("When Ada Voss arrived she waved.").gender_of("voss") == FEMALE


def test_nor_opening_a_sentence_is_no_person():
    mentions = mentions_of("Omar Hale has proposed a plan. Nor has he stood idle.")
    assert [m.name for m in mentions.mentions] == ["Omar Hale"]


# -- which names are subjects -------------------------------------------------------------------------------


def test_a_name_after_a_preposition_opening_the_sentence_is_not_a_subject():
    mentions = mentions_of("Of Omar Diaz, Rita Vance said little.")
    assert [m.name for m in mentions.mentions] == ["Rita Vance"]


def test_the_names_of_a_list_are_what_its_first_name_is():
    mentions = mentions_of(
        "Rita Berg said she would focus on Rubin and Cole. Kevin Moss, Ann Ruiz and Lee Park left."
    )
    assert [m.name for m in mentions.mentions] == ["Rita Berg", "Kevin Moss", "Ann Ruiz", "Lee Park"]
    mentions = mentions_of(
        "Said Harvey, who placed Vance behind Ed Lowe, Senator Ann Cole, and Senator Omar Hale."
    )
    assert "Omar Hale" not in [m.name for m in mentions.mentions]


def test_a_name_after_a_comma_that_opens_a_clause_is_no_list_item():
    mentions = mentions_of("Asked about Lee Park, Ann Ruiz said nothing.")
    assert [m.name for m in mentions.mentions] == ["Ann Ruiz"]


def test_a_role_before_a_name_makes_a_subject_only_where_a_clause_opens():
    mentions = mentions_of("Ann Ruiz also took swipes at fellow contender Jeb Ortiz.")
    assert [m.name for m in mentions.mentions] == ["Ann Ruiz"]
    mentions = mentions_of("On Friday, Republican candidate Jeb Ortiz spoke.")
    assert [m.name for m in mentions.mentions] == ["Jeb Ortiz"]


def test_after_and_as_open_a_clause_only_with_a_verb_after_the_name():
    mentions = mentions_of(
        "The crowd cheered after Zoe Marsh revealed her plan. She is known to fans as Notorious Zed."
    )
    assert [m.name for m in mentions.mentions] == ["Zoe Marsh"]


def test_a_name_set_off_after_a_possessive_role_is_a_subject_only_where_the_role_opens_a_clause():
    text = "Lee Park thanked his parents, as well as his campaign manager, Omar Hale, and his aide, Ivo Ruiz."
    assert [m.name for m in mentions_of(text).mentions] == ["Lee Park"]
    assert [m.name for m in mentions_of("His opponent, Ann Cole, won Ohio.").mentions] == ["Ann Cole"]
    text = "\u201cWe will win,\u201d said his spokesman, Omar Hale."
    assert [m.name for m in mentions_of(text).mentions] == ["Omar Hale"]


def test_a_titled_name_governed_by_a_preposition_or_a_verb_is_not_a_subject():
    mentions = mentions_of(
        "Lee Park faced attacks from Senator Omar Diaz. Park has used real estate developer Ivo Brand in ads."
    )
    assert [m.name for m in mentions.mentions] == ["Lee Park", "Lee Park"]


def test_a_relative_named_after_a_possessive_is_not_a_subject():
    text = "Sandy Reed, who lost her daughter Jessie Moss in the fire, spoke first."
    mentions = mentions_of(text)
    assert [m.name for m in mentions.mentions] == ["Sandy Reed"]


def test_a_name_with_a_describing_number_after_a_comma_is_a_subject_when_a_verb_follows():
    mentions = mentions_of(
        "At a rally in Dayton, Ohio, 62-year-old Brenda Marsh also railed against the plan."
    )
    assert [m.name for m in mentions.mentions] == ["Brenda Marsh"]


def test_a_pronoun_in_a_capitalized_run_is_no_name():
    mentions = mentions_of("Had I known, I would have stayed. Nora Quill said so.")
    assert [m.name for m in mentions.mentions] == ["Nora Quill"]


# -- in articles --------------------------------------------------------------------------------------------


def test_she_skips_a_man_named_as_the_object_of_her_claim():
    article = process(
        body(
            "Senator Hana Ito bent the facts at the forum, when she argued that the group has shown "
            "shipping broker Ivo Brand in its flyers.",
            '"He is their best recruiter," she said.',
        )
    )
    assert said(article, "He is their best recruiter") == "Hana Ito"


def test_she_after_of_someone_goes_to_the_woman_speaking():
    article = process(
        body(
            "Omar Diaz has been touring the state. He spoke in Akron on Monday.",
            "Of Diaz, Rita Vance said people in her county would find him hard to trust.",
            '"He is highlighting the right issues," she said.',
        )
    )
    assert said(article, "He is highlighting") == "Rita Vance"


def test_he_goes_to_the_subject_not_to_the_contender_it_attacked():
    article = body(
        "Dana Ruiz also took swipes at fellow contender Omar Hale.",
        "\u201cHe is finished,\u201d she wrote.",
    )
    assert said(process(article), "He is finished") == "Dana Ruiz"


def test_he_after_a_list_goes_to_the_speaker_before_it():
    article = body(
        "\u201cWe show anger,\u201d said Carl Harvey, who put Omar Hale fourth, behind Ann Ruiz, Senator Lee Park,"
        " and Senator Ted Hill.",
        "\u201cWe are alive,\u201d he said.",
    )
    assert said(process(article), "We are alive") == "Carl Harvey"


def test_he_goes_to_a_man_a_her_about_someone_else_did_not_make_a_woman():
    article = body(
        "\u201cShe broke the law,\u201d Omar Brandt said.",
        "Omar Brandt said the leak was only the latest blot on her record.",
        "\u201cIt captures the whole charge sheet on her,\u201d he said.",
    )
    assert said(process(article), "It captures the") == "Omar Brandt"


def test_he_after_a_description_of_no_person_goes_to_the_person_named():
    article = body(
        "Omar Hale toured Ohio on Monday.",
        '"Four more years," the crowd chanted.',
        '"It is close," he said.',
    )
    assert said(process(article), "It is close") == "Omar Hale"


def test_he_after_an_unnamed_spokesman_is_the_spokesman():
    article = body(
        "Omar Hale toured Ohio on Monday.",
        '"We will win," a spokesman said.',
        '"It is close," he added.',
    )
    assert said(process(article), "It is close") == "the spokesman"


def test_she_later_in_a_sentence_goes_to_the_woman_named_as_its_subject():
    article = body(
        "Senator Omar Hale spoke first.",
        "Meanwhile, Ada Voss backed the deal, though she made plain that she has \u201cserious doubts\u201d "
        "about parts of it.",
    )
    assert said(process(article), "serious doubts") == "Ada Voss"


def test_a_pronoun_opening_its_sentence_still_looks_before_it():
    article = body(
        "Senator Omar Hale spoke first.",
        "He argued that while the field stays split, Ted Moss would prevail, which he called "
        "\u201ca disaster\u201d for his party.",
    )
    assert said(process(article), "a disaster") == "Omar Hale"


def test_he_after_a_question_goes_to_the_person_asked():
    article = body(
        "Senator Omar Hale spoke on Monday.",
        "The host then asked Ted Moss which states he could win.",
        "\u201cWe like our odds in all of them,\u201d he said.",
    )
    assert said(process(article), "We like our") == "Ted Moss"


# -- people who share a surname -----------------------------------------------------------------------------


def test_relatives_who_share_a_surname_keep_their_own_gender():
    text = "Donald Vance opened the rally. Ivy Vance said she was proud. Vance said he would not quit."
    mentions = mentions_of(text)
    assert [m.name for m in mentions.mentions] == ["Donald Vance", "Ivy Vance", "Donald Vance"]
    assert (mentions.gender_of("Donald Vance"), mentions.gender_of("Ivy Vance")) == (MALE, FEMALE)


def test_a_courtesy_title_picks_the_relative_of_its_gender():
    text = "Ivy Vance spoke first. Donald Vance said he agreed. Mr. Vance left early."
    assert mentions_of(text).mentions[-1].name == "Donald Vance"


def test_he_after_a_relative_spoke_goes_to_the_man_of_the_family():
    article = process(
        body(
            "Senator Donald Vance opened the rally in Akron.",
            "His daughter, Ivy Vance, said she was proud of the campaign.",
            "Later Vance said he would not quit.",
            '"We will win this state," he said.',
        )
    )
    assert said(article, "We will win this state") == "Donald Vance"


# -- what is no subject, and what is no part of a name ------------------------------------------------------


def test_a_surname_after_a_lowercase_title_and_of_is_a_subject():
    mentions = mentions_of(
        "Ada Voss won. Former secretary of State Voss was for the plan before she was against it."
    )
    assert [m.name for m in mentions.mentions] == ["Ada Voss", "Ada Voss"]
    assert mentions.gender_of("voss") == FEMALE


def test_a_title_inside_a_capitalized_run_ends_what_comes_before_the_full_name():
    mentions = mentions_of("Circuit Court Judge Dana Moss, writing for the majority, said the law stands.")
    assert [m.name for m in mentions.mentions] == ["Dana Moss"]


def test_a_party_word_inside_a_capitalized_run_ends_what_comes_before_the_full_name():
    mentions = mentions_of(
        "Senate Budget Democrat Lena Marsh (D-Ore.), who has read the memo, agreed. House Ethics "
        "Republican Tom Reyes disagreed."
    )
    assert [m.name for m in mentions.mentions] == ["Lena Marsh", "Tom Reyes"]


def test_a_name_after_a_verb_that_takes_it_as_object_is_no_subject():
    mentions = mentions_of(
        "Nora Quill pledged her vote early to end the primary and allow Dana Hale to focus on the fall."
    )
    assert [m.name for m in mentions.mentions] == ["Nora Quill"]


def test_a_name_a_colon_introduces_at_the_end_of_its_sentence_is_no_subject():
    mentions = mentions_of(
        "Omar Hale spoke for an hour. He spent most of it mocking a familiar target: Ted Moss. Then "
        "he left. The winner: Ann Cole, who took the stage."
    )
    assert [m.name for m in mentions.mentions] == ["Omar Hale", "Ann Cole"]


def test_a_war_is_no_person():
    mentions = mentions_of("Omar Hale spoke. World War II ended the old order, he said.")
    assert [m.name for m in mentions.mentions] == ["Omar Hale"]
    assert mentions.antecedent("he", len("Omar Hale spoke. World War II ended")).name == "Omar Hale"


def test_a_gendered_role_word_is_a_vote_the_pronouns_may_outweigh_and_a_courtesy_title_decides():
    text = (
        "Lena Park spoke first. Campaign spokesman Dana Reyes confirmed the plan. "
        "\u201cWe are ready,\u201d she said. She left."
    )
    mentions = mentions_of(text)
    assert mentions.antecedent("she", text.index("she said")).name == "Dana Reyes"
    article = process(body(text))
    assert said(article, "We are ready") == "Dana Reyes"
    # With no pronoun against it, the role word still gives the gender.
    mentions = mentions_of("Lena Park spoke first. Campaign spokesman Dana Reyes confirmed the plan.")
    assert mentions.gender_of("reyes") == MALE
    # A courtesy title is not outweighed.
    mentions = mentions_of("Mr. Dana Reyes confirmed the plan. She left.")
    assert mentions.gender_of("reyes") == MALE


def test_a_title_with_of_and_a_country_in_capitals_still_describes_the_name_at_a_clause_start():
    text = (
        "Dana Hale has many famous friends.\n\nFormer US secretary of state Ada Moss, a Hale backer, "
        "drew fire over her remark."
    )
    mentions = mentions_of(text)
    assert [m.name for m in mentions.mentions] == ["Dana Hale", "Ada Moss"]
    assert mentions.antecedent("she", text.index("her remark")).name == "Ada Moss"


def test_a_subordinate_clause_s_subject_with_an_irregular_past_verb_is_a_subject():
    mentions = mentions_of(
        "Two weeks after Ann Cole lost her temper on a rope line, the campaign changed. Soon after Ted "
        "Moss, the staff left."
    )
    assert [m.name for m in mentions.mentions] == ["Ann Cole"]


def test_a_possessive_opening_a_paragraph_is_a_subject_and_one_inside_a_sentence_is_not():
    text = "Omar Vell spoke first.\n\nTed Moss's lawsuit demands his reinstatement. Later Vell's aide left."
    people = PersonMentions.of_text(text, [(0, 22), (24, len(text))])
    assert [m.name for m in people.mentions] == ["Omar Vell", "Ted Moss"]
    article = process(
        body(
            "Dana Hale spoke first.",
            "Ted Moss\u2019s lawsuit demands his reinstatement and lost wages.",
            "He also seeks \u201ca permanent order barring the chairman from repeating false claims.\u201d",
        )
    )
    assert said(article, "a permanent order") == "Ted Moss"


def test_a_name_inside_a_hyphenated_word_is_not_a_subject():
    mentions = mentions_of(
        "Omar Hale won. Ted Moss said there are already 22 anti-Hale members on the committee."
    )
    assert [m.name for m in mentions.mentions] == ["Omar Hale", "Ted Moss"]


def test_an_owner_before_a_full_name_is_no_part_of_it():
    mentions = mentions_of("River News\u2019 Dana Moss noticed the change. She said so.")
    assert [m.name for m in mentions.mentions] == ["Dana Moss"]
    assert mentions.gender_of("moss") == FEMALE
    mentions = mentions_of("The Harbor Post's Omar Hale asked the mayor about it.")
    assert [m.name for m in mentions.mentions] == ["Omar Hale"]


def test_a_focus_adverb_before_a_name_keeps_it_a_subject():
    mentions = mentions_of(
        "Ann Cole and Ted Moss agreed. And even Omar Hale tried to help, noting that he would wait."
    )
    assert [m.name for m in mentions.mentions] == ["Ann Cole", "Ted Moss", "Omar Hale"]
    assert mentions.gender_of("hale") == MALE


def test_a_name_after_an_article_is_a_description_not_a_subject():
    mentions = mentions_of(
        "Todd Wiley, a Dayton Republican who started a bakery, spoke. Lee Park, a Park supporter, left."
    )
    assert [m.name for m in mentions.mentions] == ["Todd Wiley", "Lee Park"]


def test_a_place_after_says_in_a_clause_is_no_speaker():
    mentions = mentions_of("Omar Diaz, an expert at the institute, says Ohio is the hardest state to hold.")
    assert [m.name for m in mentions.mentions] == ["Omar Diaz"]


def test_the_subject_of_a_subordinate_clause_is_no_candidate():
    mentions = mentions_of(
        "Ohio Gov. Ray Hollis predicted the party would win if Dana Cole wins the primary."
    )
    assert [m.name for m in mentions.mentions] == ["Ray Hollis"]


def test_a_state_and_a_role_before_a_name_are_no_part_of_it():
    mentions = mentions_of("Comedian Sarah Quill spoke. Then Virginia Gov. Terry Hale spoke.")
    assert [m.name for m in mentions.mentions] == ["Sarah Quill", "Terry Hale"]


def test_a_party_word_describing_a_name_keeps_it_a_subject():
    mentions = mentions_of("On Monday, Democratic presidential front-runner Hana Ito stretched the truth.")
    assert [m.name for m in mentions.mentions] == ["Hana Ito"]


# -- descriptions that name a role of a person introduced earlier -------------------------------------------


def test_a_role_written_as_an_appositive_is_evidence_for_the_description():
    article = process(
        body(
            "Hana Ito, the former secretary of state, toured the plant on Monday.",
            "Omar Diaz spoke next.",
            '"We can do better," the former secretary of state said.',
        )
    )
    assert said(article, "We can do better") == "Hana Ito"


def test_a_role_with_of_before_a_name_is_evidence_and_keeps_the_name_a_subject():
    article = process(
        body(
            "Former Secretary of State Hana Ito toured the plant on Monday.",
            '"We can do better," the former secretary of state said.',
        )
    )
    assert said(article, "We can do better") == "Hana Ito"


def test_a_description_with_a_state_skips_a_person_of_another_state():
    article = process(
        body(
            "Florida Sen. Marco Reyes spoke first.",
            "Then Vermont Sen. Bernard Sands spoke.",
            '"We will win this state," the Florida senator said.',
        )
    )
    assert said(article, "We will win this state") == "Marco Reyes"


def test_an_office_goes_to_the_untitled_person_this_paragraph_is_about():
    # A senator named paragraphs before is not "the senator" of a paragraph about someone the article
    # never titled.
    article = process(
        body(
            "Sen. Bernard Sands toured the valley.",
            "Dana Ruiz faltered in the debate.",
            'Ruiz visited the office. Walking in, the senator said the race was "closing really strong."',
        )
    )
    assert said(article, "closing really strong") == "Dana Ruiz"
    # A role the paragraph's person holds is no title that rules them out either.
    article = process(
        body(
            "Actress Mina Sol spoke at the gala.",
            '"Bright Lights" star Lena Vance spoke about a fan letter. The actress explained why it was "a backhanded compliment."',
        )
    )
    assert said(article, "a backhanded compliment") == "Lena Vance"


def test_a_name_after_a_word_quoted_inside_a_sentence_is_no_subject():
    # "urged the crowd to \u201cresist\u201d Vance in that vote": Vance is the object, and the "he" after it
    # is still the one who urged.
    mentions = mentions_of("Omar Diaz urged the crowd to \u201cresist\u201d Peter Vance in that vote.")
    assert [m.name for m in mentions.mentions] == ["Omar Diaz"]
    article = process(
        body(
            'Omar Diaz urged the crowd to "resist" Peter Vance in that vote.',
            'He has also called the plan "a disgrace to the county."',
        )
    )
    assert said(article, "a disgrace to the county") == "Omar Diaz"
    # A quotation that ends with its own punctuation is followed by its speaker as ever.
    mentions = mentions_of("\u201cWe will win,\u201d Peter Vance said.")
    assert [m.name for m in mentions.mentions] == ["Peter Vance"]


def test_an_office_after_a_colon_introduction_goes_to_the_person_introducing():
    # "Ruiz defends her record on TV: “...,” the senator says": the one the colon introduction names.
    article = process(
        body(
            "Sen. Bernard Sands toured the valley.",
            'Dana Ruiz defends her record in a new ad: "We kept every promise," the senator says.',
        )
    )
    assert said(article, "We kept every promise") == "Dana Ruiz"


def test_an_office_is_not_the_person_named_in_its_own_sentence():
    # "Ruiz has a plan, the senator said": the senator is someone else, the one named with that title.
    article = process(
        body(
            "Sen. Bernard Sands toured the valley.",
            'Dana Ruiz shares one trait with the voters, the senator said: "a deep fatigue."',
        )
    )
    assert said(article, "a deep fatigue") == "Bernard Sands"
    # A person the article titled otherwise is no senator of the paragraph.
    article = process(
        body(
            "Sen. Bernard Sands toured the valley.",
            'Gov. Dana Ruiz faltered in the debate. Walking in, the senator said the race was "closing fast."',
        )
    )
    assert said(article, "closing fast") == "Bernard Sands"


def test_a_description_no_one_fits_stays_a_description():
    article = process(
        body(
            "Vermont Sen. Bernard Sands spoke.",
            '"We will win this state," the Florida senator said.',
        )
    )
    assert said(article, "We will win this state") != "Bernard Sands"


def test_the_word_after_a_title_and_of_is_no_part_of_the_name():
    mentions = mentions_of("Chief of Staff Katie Warsh explained the plan.")
    assert [m.name for m in mentions.mentions] == ["Katie Warsh"]
    mentions = mentions_of("Secretary of State John F. Kerry said the vote was flawed.")
    assert [m.name for m in mentions.mentions] == ["John F. Kerry"]


def test_the_former_president_is_no_vice_president():
    article = process(
        body(
            "Former President Ray Hollis spoke in Akron.",
            "Vice President Omar Diaz spoke next.",
            '"We will carry this state," the former president said.',
            '"We will not," the vice president said.',
        )
    )
    assert said(article, "We will carry") == "Ray Hollis"
    assert said(article, "We will not") == "Omar Diaz"


# -- capitalized runs that name no person -------------------------------------------------------------------


def test_runs_that_name_no_person_are_no_candidates():
    text = (
        "ATLANTIC CITY was quiet. Super Tuesday came. The White House said nothing. Several Cruz aides left. "
        "Presumptive Democratic nominee Hana Ito spoke. Congressional Republicans balked. "
        "Neither candidate spoke. Ohio Secretary of State Jon Husted spoke."
    )
    assert [m.name for m in mentions_of(text).mentions] == ["Hana Ito", "Jon Husted"]


def test_a_weekday_after_a_name_is_no_part_of_it():
    mentions = mentions_of("Senator Ted Moss Wednesday said the plan would fail.")
    assert [m.name for m in mentions.mentions] == ["Ted Moss"]


def test_a_single_name_with_a_who_clause_is_a_person():
    article = process(
        body(
            '"Keep the faith," Ana Ruiz said.',
            "Meanwhile Zola, who was honored with the top award, spoke about self-love.",
            '"Love yourself first," she said.',
        )
    )
    assert said(article, "Love yourself first") == "Zola"


def test_an_office_before_a_name_is_no_part_of_it_and_a_title_may_be_a_surname():
    text = (
        "Then House Speaker Paul Rowan spoke, and House Majority Leader Kevin Moss and Billie Jean King left."
    )
    assert [m.name for m in mentions_of(text).mentions] == ["Paul Rowan", "Kevin Moss", "Billie Jean King"]


# -- descriptions kept as speakers of the article -----------------------------------------------------------


def kinds(article: ProcessedArticle, text: str) -> tuple[str | None, str | None]:
    quote = next(q for q in article.quotes if article.text[q.start : q.end].startswith(text))
    return (quote.speaker.name, quote.speaker.kind) if quote.speaker else (None, None)


def test_a_description_with_a_relative_clause_after_it_is_a_described_speaker():
    article = process(
        body('"We cannot deal with them," said the New York businessman, who campaigned in Akron on Monday.')
    )
    assert kinds(article, "We cannot deal") == ("the businessman", "anonymous")


def test_two_roles_joined_by_and_find_the_person_named_with_the_first():
    article = body(
        "Sen. Omar Hale responded first.",
        '"The test is a provocation," the Ohio senator and Republican presidential candidate said.',
        '"We need new leadership," he said.',
    )
    article = process(article)
    assert kinds(article, "The test is") == ("Omar Hale", "person")
    assert kinds(article, "We need new") == ("Omar Hale", "person")


def test_a_campaign_role_no_one_was_named_with_is_the_person_the_story_is_about():
    article = process(
        body(
            "Republican candidate Omar Hale spoke in Iowa on Monday.", '"We will win," the front-runner said.'
        )
    )
    assert kinds(article, "We will win") == ("Omar Hale", "person")


def test_a_campaign_role_stays_a_description_when_the_latest_person_is_not_the_story_s():
    article = process(
        body(
            "Omar Hale spoke in Iowa. Omar Hale left.",
            "Then Lee Park arrived.",
            '"We will win," the candidate said.',
        )
    )
    assert kinds(article, "We will win") == ("the candidate", "anonymous")
    article = process(body("Omar Hale spoke in Iowa.", '"We will win," the other candidate said.'))
    assert kinds(article, "We will win") == ("the candidate", "anonymous")


def test_an_office_no_one_was_named_with_stays_a_description():
    article = process(body("Omar Hale spoke in Iowa.", '"We will win," the senator said.'))
    assert kinds(article, "We will win") == ("the senator", "anonymous")
    # A hyphenated role is a head like any other.
    article = process(body('"We will win," the GOP front-runner said.'))
    assert kinds(article, "We will win") == ("the front-runner", "anonymous")


def test_a_party_word_describes_a_speaker():
    article = process(
        body(
            "Republican presidential candidate Ben Osei toured Ohio.",
            '"It pushes the rents higher," the Republican said.',
            '"The campaign has been reluctant," one senior Democrat said.',
        )
    )
    assert said(article, "It pushes the rents higher") == "Ben Osei"
    assert kinds(article, "The campaign has been") == ("the democrat", "anonymous")


def test_a_description_with_a_name_after_its_comma_is_no_description():
    article = process(body('"It recalls the 1920s," the birth of the club, Brent Bowman says.'))
    assert said(article, "It recalls the") == "Brent Bowman"


def test_a_description_with_an_adjective_after_its_head_keeps_the_head():
    article = process(body('"They are nervous," said one Democrat familiar with the talks.'))
    assert kinds(article, "They are nervous") == ("the democrat", "anonymous")


def test_a_party_description_with_a_state_needs_the_state():
    article = process(
        body(
            "Republican nominee Don Tramp spoke first.",
            '"We will win," the Wisconsin Republican said.',
        )
    )
    assert said(article, "We will win") != "Don Tramp"


def test_a_possessive_role_and_this_source_are_described_speakers():
    article = process(
        body(
            '"He taught me everything," his colleague wrote on Facebook.',
            '"The staff have no time for him," this source told the paper.',
        )
    )
    assert kinds(article, "He taught me") == ("the colleague", "anonymous")
    assert kinds(article, "The staff have no") == ("the source", "anonymous")


def test_a_name_describing_a_role_is_no_mention_of_that_person():
    mentions = mentions_of(
        "Ito spokesman Brian Fell spoke. The Independent Vermont senator left. Maybe Trent won."
    )
    assert [m.name for m in mentions.mentions] == ["Brian Fell"]


def test_a_gendered_role_before_an_appositive_name_gives_its_gender():
    mentions = mentions_of("Don Tramp thanked his spokeswoman, Hope Hix, for the work.")
    assert mentions.gender_of("Hope Hix") == FEMALE


def test_a_bare_surname_is_the_first_person_of_that_name():
    article = process(
        body(
            '"The plan works," Bernard Sands said in Ohio.',
            '"I am proud of him," his wife, Jane Sands, said.',
            '"We will win," Sands said.',
        )
    )
    assert said(article, "We will win") == "Bernard Sands"


def test_what_stands_before_a_title_inside_a_run_is_no_part_of_the_name():
    text = "Labor Secretary Tom Perez spoke. Then New Jersey Steve Lone spoke. FBI Director Jim Combe left."
    assert [m.name for m in mentions_of(text).mentions] == ["Tom Perez", "Steve Lone", "Jim Combe"]


def test_a_lone_surname_that_said_or_told_is_a_subject():
    mentions = mentions_of("Harbor officials met on Monday. Vantreel said he understood the anger.")
    assert [m.name for m in mentions.mentions] == ["Vantreel"]
    assert mentions.gender_of("vantreel") == MALE
    assert [m.name for m in mentions_of("Then Okonjo told reporters about it.").mentions] == ["Okonjo"]


def test_a_mayor_inside_a_run_ends_what_comes_before_the_name():
    article = process(
        body(
            '"We need the visitors," said Port Harbor City Mayor Don Vantreel in an interview.',
            "But Vantreel, the first mayor of his party in years, stopped short of praise for Ann Roe's plan.",
            '"The town has suffered enough," he said.',
        )
    )
    assert said(article, "The town has suffered") == "Don Vantreel"


def test_a_lone_name_with_who_after_a_no_break_space_is_a_subject():
    mentions = mentions_of("Meanwhile Zolanne,\u00a0who was honored with a prize, spoke about courage.")
    assert [m.name for m in mentions.mentions] == ["Zolanne"]


def test_a_titled_name_after_a_postposed_cue_is_a_subject():
    for text in (
        "\u201cWe will win,\u201d said Sen. Ann Cole, a Democrat.",
        "\u201cWe will win,\u201d said campaign spokeswoman Ann Cole.",
    ):
        assert [m.name for m in mentions_of(text).mentions] == ["Ann Cole"]
    # The name after a verb that follows a subject is the reported clause's; after "told", the listener's.
    assert [m.name for m in mentions_of("Rita Warren said Sen. Ann Cole was wrong.").mentions] == [
        "Rita Warren"
    ]
    assert mentions_of("\u201cNo,\u201d he told Sen. Ann Cole.").mentions == []


def test_a_name_set_off_after_an_object_s_role_is_no_subject():
    text = "Ben Carlo took on a new campaign manager, retired Navy captain Rob Dane, late last month."
    assert [m.name for m in mentions_of(text).mentions] == ["Ben Carlo"]
    # Opening the sentence, the role and its name are the subject.
    assert [m.name for m in mentions_of("A longtime aide, Ann Cole, said so.").mentions] == ["Ann Cole"]
    article = process(
        body(
            "Ben Carlo took on a new campaign manager, retired Navy captain Rob Dane, last month. "
            'He praised the staff but said, "We are playing a new game now."'
        )
    )
    assert said(article, "We are playing a new") == "Ben Carlo"


def test_a_name_joined_by_and_to_an_object_is_no_subject():
    text = "Don Tramp cast himself as an outsider and Hilda Clayton as a keeper of old habits."
    assert [m.name for m in mentions_of(text).mentions] == ["Don Tramp"]
    assert [m.name for m in mentions_of("Rita Berg spoke, and Ann Cole said no.").mentions] == [
        "Rita Berg",
        "Ann Cole",
    ]
    article = process(
        body(
            "Throughout his remarks, Don Tramp cast himself as an outsider and Hilda Clayton as a caretaker.",
            '"I stepped into the ring for the people," he said.',
        )
    )
    assert said(article, "I stepped into the ring") == "Don Tramp"


def test_a_name_after_a_verb_of_its_object_is_no_subject():
    text = (
        "Tom Bivers hopes Hilda Clayton and other Democrats learn. Rita Ames had her staff tell Clayton no."
    )
    assert [m.name for m in mentions_of(text).mentions] == ["Tom Bivers", "Rita Ames"]


def test_an_object_pronoun_is_no_vote_for_the_subject():
    # "her" as an object ("called her to") is someone else; "her plan" is the subject's.
    assert mentions_of("Bill Clayton called her to meet once more.").gender_of("clayton") is None
    assert mentions_of("Bill Clayton thanked him for it.").gender_of("clayton") is None
    assert mentions_of("Nora Quill unveiled her plan.").gender_of("quill") == FEMALE


def test_a_pronoun_in_a_relative_clause_of_someone_else_is_no_vote():
    assert mentions_of("Don Tramp is the man who saved her farm.").gender_of("tramp") is None
    assert mentions_of("Tramp recalled the widow, Anita, who he helped.").gender_of("anita") is None
    # A relative clause of the name itself still carries its pronoun.
    assert mentions_of("Zola Quill, who lost her seat, spoke.").gender_of("quill") == FEMALE


def test_a_name_owning_the_word_after_it_is_no_subject():
    text = "Bern Saunders spoke. Hilda Clayton won. The Saunders campaign was the first to call."
    assert [m.name for m in mentions_of(text).mentions] == ["Bern Saunders", "Hilda Clayton"]
    text = "Bern Saunders spoke. Hilda Clayton won. Saunders supporters cheered."
    assert [m.name for m in mentions_of(text).mentions] == ["Bern Saunders", "Hilda Clayton"]


def test_a_pronoun_no_subject_fits_goes_to_a_person_named_just_before_with_that_gender():
    article = process(
        body(
            "The plainest pledge Mrs. Hilda Clayton has made is that she will not oversell. "
            '"We have had plenty of that," she has said.'
        )
    )
    assert said(article, "We have had plenty") == "Hilda Clayton"
    # A person of the other gender, or of none the article gives, stays no one's.
    article = process(
        body(
            "The clearest promise Mr. Tom Clayton has made is to stay. "
            '"We have had plenty of that," she has said.'
        )
    )
    assert said(article, "We have had plenty") is None


def test_a_lone_surname_after_a_postposed_cue_ending_the_sentence_is_a_subject():
    article = process(
        body(
            "Former governor Madra Kunsel campaigned for Hilda Clayton in Vermont.",
            "Hilda Clayton spoke in Ohio on Monday.",
            "\u201cThis will be an uphill climb\u201d for Clayton, said Kunsel. "
            "\u201cShe can never be as bold as Voss,\u201d she said.",
        )
    )
    assert said(article, "She can never be") == "Madra Kunsel"


def test_a_lone_surname_after_a_personal_title_is_a_person():
    mentions = mentions_of("The question came up, so President Obamo, in need of a change, brought it up.")
    assert [m.name for m in mentions.mentions] == ["Obamo"]


def test_a_subject_after_a_colon_gets_no_vote_from_the_next_sentence():
    text = "Hilda Clayton issued a plan: President Obamo later adopted it. She has called for more."
    mentions = mentions_of(text)
    assert mentions.gender_of("obamo") is None
    assert mentions_of("President Obamo later adopted it. He has called for more.").gender_of("obamo") == MALE


def test_a_person_described_between_a_name_and_its_pronoun_cuts_the_vote():
    text = "Don Tramp mocked the Democratic front-runner, saying she would be a weak leader."
    assert mentions_of(text).gender_of("tramp") is None
    assert mentions_of("Nora Quill met a woman who said she was tired.").gender_of("quill") is None
    # A thing described is no one: the pronoun after it is still the name's.
    assert mentions_of("Nora Quill unveiled the plan she wrote.").gender_of("quill") == FEMALE


# -- a given name, when the article says nothing of the gender ----------------------------------------------


def test_a_given_name_written_for_one_gender_decides_when_the_article_gives_no_evidence():
    text = (
        "Omar Vell was deported in 2011. Emily Kessel, a director at the Harbor Center, has followed "
        "such cases for years. \u201cI am banned for life,\u201d he said."
    )
    mentions = mentions_of(text)
    assert mentions.gender_of("Emily Kessel") is None  # the article itself says nothing
    assert mentions.likely_gender("Emily Kessel") == FEMALE
    assert mentions.antecedent("he", text.index("he said")).name == "Omar Vell"
    assert said(process(body(text)), "I am banned") == "Omar Vell"


def test_the_article_s_evidence_outweighs_a_given_name_and_a_name_for_either_gender_decides_nothing():
    mentions = mentions_of("Emily Vance unveiled his plan on Monday. Dana Hale spoke.")
    assert mentions.likely_gender("Emily Vance") == MALE
    assert mentions.likely_gender("Dana Hale") is None


def test_a_person_named_as_an_object_with_a_given_name_of_the_gender_is_the_fallback():
    text = (
        "The best line came from student Sarah Quill, who forced the panel to think when she called "
        "the plan \u201ca relic.\u201d"
    )
    mentions = mentions_of(text)
    assert mentions.mentions == []
    assert mentions.antecedent("she", text.index("she called")).name == "Sarah Quill"


def test_a_pronoun_in_the_relative_clause_of_a_person_named_as_an_object_is_a_vote_for_that_person():
    # "Zuri" is a given name no list holds: the relative clause tells the gender, and the fallback takes her.
    text = (
        "The best line came from student Zuri Quill, who forced the panel to think when she called "
        "the plan \u201ca relic.\u201d\n\nNo one answered.\n\n\u201cA relic,\u201d she said again."
    )
    mentions = mentions_of(text)
    assert mentions.gender_of("Zuri Quill") == FEMALE
    assert mentions.antecedent("she", text.index("she said")).name == "Zuri Quill"
    assert said(process(body(text)), "A relic,") == "Zuri Quill"
    # The relative clause is the name's only to its end, and not when its pronoun is its object.
    assert mentions_of("Ed Moss praised Zuri Quill, who won, and she left.").gender_of("Zuri Quill") is None
    assert mentions_of("Ed Moss praised Zuri Quill, who she met in May.").gender_of("Zuri Quill") is None


def test_the_attribution_of_a_quotation_right_after_a_name_is_no_vote_for_that_name():
    # The quoted words are said of Quill, by whoever "he" is.
    text = "Ivo Marsh spoke on Monday. Nora Quill \u201cwrecked the budget,\u201d he said."
    mentions = mentions_of(text)
    assert mentions.gender_of("quill") is None
    assert said(process(body(text)), "wrecked the budget") == "Ivo Marsh"
    # A quotation after the name's verb is the name's own: its attribution still votes.
    assert mentions_of("Nora Quill called it \u201ca shame,\u201d she said.").gender_of("quill") == FEMALE


def test_a_lone_surname_never_introduced_after_a_postposed_cue_is_a_person():
    text = (
        "Ed Moss wrote the first draft.\n\n"
        "\u201cThe draft is a start,\u201d said Quarles. \u201cWe will do more.\u201d\n\n"
        "He continued, \u201cThere is no deadline.\u201d"
    )
    assert [m.name for m in mentions_of(text).mentions] == ["Ed Moss", "Quarles"]
    assert said(process(body(text)), "There is no deadline") == "Quarles"
    # A day or a place after the verb is no one.
    assert [m.name for m in mentions_of("\u201cIt is a start,\u201d said Tuesday.").mentions] == []


def test_a_name_set_off_after_a_family_word_in_an_object_is_no_subject():
    text = (
        "Rita Okafor recounted the meeting on the radio. She has spoken out again as Ed Moss has emerged "
        "to take a bigger part in the race of his wife, Dana Moss, as she seeks office.\n\n"
        "\u201cI was shocked,\u201d she said."
    )
    assert [m.name for m in mentions_of(text).mentions] == ["Rita Okafor", "Ed Moss"]
    assert said(process(body(text)), "I was shocked") == "Rita Okafor"
    # Opening a clause, the name is its subject.
    text = "Ed Moss lost. But his wife, Dana Moss, won."
    assert [m.name for m in mentions_of(text).mentions] == ["Ed Moss", "Dana Moss"]


def test_a_pronoun_right_after_the_sentence_of_an_object_of_its_gender_is_that_person_s():
    # Vale is no "she"; the only woman of the last sentence is the object, not Moss, named a paragraph before.
    text = (
        "Ada Moss wrote the first memo.\n\n"
        "Ed Vale kept his wife, Nora, from selling a painting. She had signed a contract, and "
        "\u201cit was a mistake,\u201d she said."
    )
    mentions = mentions_of(text)
    assert mentions.antecedent("she", text.index("she said")).name == "Nora"
    assert said(process(body(text)), "it was a mistake") == "Nora"
    # A subject of that gender in the object's own sentence or after it is still the one meant.
    text = "Ada Moss wrote the first memo.\n\nAda Moss praised Mrs. Nora Vale. \u201cIt was a mistake,\u201d she said."
    assert mentions_of(text).antecedent("she", text.index("she said")).name == "Ada Moss"
    text = "Ada Moss praised Mrs. Nora Vale in May. Then Moss left. \u201cIt was a mistake,\u201d she said."
    assert mentions_of(text).antecedent("she", text.index("she said")).name == "Ada Moss"


def test_a_name_opening_a_clause_inside_what_someone_said_is_no_subject():
    text = (
        "Ed Moss spoke in Ohio.\n\n"
        "Dan Vale, in Kentucky, said Tuesday that Ann Cole was \u201ca lightweight\u201d while Ed Moss is "
        "\u201ca liar.\u201d Still, he went easy on Tom Reed, calling him \u201ca nice guy.\u201d"
    )
    assert [m.name for m in mentions_of(text).mentions] == ["Ed Moss", "Dan Vale"]
    assert said(process(body(text)), "a nice guy") == "Dan Vale"
    # Out of the reported clause, the name opens a clause of its own.
    text = "Dan Vale said Tuesday that he would run. Later, while Ed Moss spoke, Vale left."
    assert [m.name for m in mentions_of(text).mentions] == ["Dan Vale", "Ed Moss", "Dan Vale"]
