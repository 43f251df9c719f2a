"""Quote rules on small constructed texts: what is a quote, what is not, and who said it."""

from __future__ import annotations

from corpus.ingest.pipeline import process
from corpus.ingest.quotes import find_pairs
from corpus.ingest.types import ProcessedArticle
from tests.corpus.ingest.articles import body


def texts(article: ProcessedArticle, kind: str | None = None) -> list[str]:
    return [article.text[q.start : q.end] for q in article.quotes if kind in (None, q.kind)]


def speakers(article: ProcessedArticle, kind: str | None = None) -> list[str | None]:
    return [q.speaker.name if q.speaker else None for q in article.quotes if kind in (None, q.kind)]


def test_apostrophes_never_open_or_close_a_quote():
    s = "China's people's leaders' plans and the '90s rock 'n' roll of Xi's era"
    assert find_pairs(s) == []


def test_measurement_is_not_a_quote():
    article = process(body('The 6\'5" forward scored 20. "We won," Smith said.'))
    assert texts(article) == ["We won,"]


def test_curly_and_straight_marks_pair():
    pairs = find_pairs('“One,” he said. "Two." ‘Three’')
    assert [(p.open, p.close) for p in pairs] == [(0, 5), (16, 21), (23, 29)]


def test_single_quotes_inside_double_quotes_belong_to_the_outer_quote():
    article = process(body("\"They called it 'a disgrace' and left,\" said Mayor Ann Lee."))
    assert texts(article) == ["They called it 'a disgrace' and left,"]
    assert speakers(article) == ["Ann Lee"]


def test_title_of_a_work_is_not_a_quote():
    article = process(
        body('Park, whose memoir "Full Court Press" came out in May, said the book was honest.')
    )
    assert "Full Court Press" not in texts(article)


def test_scare_quotes_without_speech_are_dropped():
    article = process(body('The city has almost none of the so-called "missing middle" housing.'))
    assert article.quotes == []


def test_short_quote_a_cue_gives_to_someone_unresolved_is_kept_without_speaker():
    # "He" names no one here, but the words are his all the same: a partial quote with no speaker.
    article = process(body('He said the plan was "on track" after the vote.'))
    assert [(q.kind, q.speaker) for q in article.quotes] == [("partial", None)]
    assert texts(article) == ["on track"]


def test_short_quote_beside_a_cue_read_in_passing_is_still_dropped():
    # "said" in an idiom gives no one to say the words: a scare quote.
    assert process(body('But "going green" is easier said than done in the old town.')).quotes == []


def test_bracketed_insertion_stays_in_the_quote():
    article = process(body('"[The envoys] must be good at making friends," he said.'))
    assert texts(article) == ["[The envoys] must be good at making friends,"]


def test_multi_sentence_direct_quote():
    article = process(
        body('"It was a plan. It ran for years. Nobody stopped it," the prosecutor Ann Kim said.')
    )
    assert texts(article, "direct") == ["It was a plan. It ran for years. Nobody stopped it,"]
    assert speakers(article, "direct") == ["Ann Kim"]


def test_attribution_before_the_quote():
    article = process(body('Coach Dana Ruiz told reporters: "We were not good enough tonight."'))
    [q] = article.quotes
    assert (q.kind, q.speaker.name, q.cue) == ("direct", "Dana Ruiz", "told reporters")


def test_verb_first_attribution_with_title():
    article = process(body('"We owe it to the people in this room," said council chair Helena Vasquez.'))
    [q] = article.quotes
    assert q.speaker.name == "Helena Vasquez"
    assert q.speaker.description == "council chair"


def test_ap_multi_paragraph_quote_continues():
    article = process(
        body(
            '"We had them in the fourth quarter," Ortega said. "We stopped defending.',
            '"You cannot do that against a team like this."',
        )
    )
    assert texts(article) == [
        "We had them in the fourth quarter,",
        "We stopped defending.",
        "You cannot do that against a team like this.",
    ]
    assert article.quotes[2].continues == 1
    assert speakers(article) == ["Ortega"] * 3


def test_quote_after_caption_goes_to_the_last_speaker_not_the_caption():
    article = process(
        body(
            "Eastport coach Luis Ortega said his team had stopped defending in the final minutes.",
            "Guard Marcus Rivers celebrates the winning shot on Saturday. (Photo by Kim Lee/Getty Images)",
            '"He has earned the right to take that shot," he said.',
        )
    )
    assert [p.role for p in article.paragraphs][2] == "caption"
    assert speakers(article) == ["Luis Ortega", "Luis Ortega"]


def test_colon_introduction_and_next_paragraph_attribution():
    article = process(
        body(
            "Marta Okafor, who has lived on River Street for 31 years, put it bluntly:",
            '"The floodplain maps they are using are from 1998."',
            '"Half of this site was underwater two springs ago."',
            "Said Tom Reyes, her neighbour.",
        )
    )
    assert speakers(article) == ["Marta Okafor", "Tom Reyes"]
    assert [q.rule for q in article.quotes] == ["colon-introduction", "next-paragraph-attribution"]


def test_partial_inside_indirect_is_stored_twice():
    article = process(body('The mayor, Ann Lee, said the plan was "dead on arrival" and would be withdrawn.'))
    assert texts(article, "partial") == ["dead on arrival"]
    assert texts(article, "indirect") == ['the plan was "dead on arrival" and would be withdrawn']
    assert set(speakers(article)) == {"Ann Lee"}


def test_indirect_forms():
    article = process(
        body(
            "According to Dr. Nadia Osei, the clinic cut emergency visits by a fifth.",
            "The clinic relies on grants to stay open, Brooks said on Tuesday.",
            "Angela Brooks echoed that view, saying the state should pay more of the cost.",
        )
    )
    assert texts(article, "indirect") == [
        "the clinic cut emergency visits by a fifth",
        "The clinic relies on grants to stay open",
        "the state should pay more of the cost",
    ]
    assert speakers(article) == ["Nadia Osei", "Angela Brooks", "Angela Brooks"]
    assert [q.cue for q in article.quotes] == ["according to", "said", "saying"]


def test_data_sources_are_not_speakers():
    article = process(body("Sales fell 18 percent last year, according to industry figures."))
    assert article.quotes == []


def test_an_author_after_by_in_what_a_sentence_is_according_to_is_its_source():
    article = process(
        body(
            'A "living wage" in Marsh County is $14 an hour, according to calculations by Ada Brandt of the '
            "Harbor Institute.",
            "According to estimates by Omar Reyes, the levy will fall by a tenth.",
        )
    )
    assert speakers(article) == ["Ada Brandt", "Ada Brandt", "Omar Reyes"]
    assert [q.kind for q in article.quotes] == ["indirect", "partial", "indirect"]


def test_anonymous_source_belongs_to_the_article():
    article = process(
        body(
            "A city employee who asked not to be named said the review would take months.",
            '"Nobody wants to approve the next flood," the employee said.',
        )
    )
    [indirect, direct] = article.quotes
    assert indirect.speaker == direct.speaker
    assert direct.speaker.kind == "anonymous" and direct.speaker.name == "the employee"


def test_groups_are_speakers():
    article = process(body("Prosecutors said Lint moved money into accounts he controlled."))
    [q] = article.quotes
    assert (q.speaker.name, q.speaker.kind) == ("prosecutors", "group")


def test_title_prefixes_are_not_part_of_the_name():
    article = process(
        body("Local MP Sarah Quinn said she had asked for an urgent meeting with the minister.")
    )
    [q] = article.quotes
    assert q.speaker.name == "Sarah Quinn"
    assert "Local MP Sarah Quinn" in q.speaker.aliases


def test_quotes_are_never_found_in_captions_or_boilerplate():
    article = process(
        body(
            'A resident holds a sign reading "Save the Floodplain" on Tuesday. Photo: Jordan Reyes',
            'Related: Mayor says "no more delays" on housing',
        )
    )
    assert [p.role for p in article.paragraphs] == ["title", "caption", "boilerplate"]
    assert article.quotes == []
