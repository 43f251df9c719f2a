"""Foreign-script spam is decided by context: a token put in place of a word, spam words, links. A
phrase quoted or glossed in its own script is the article's content, not spam."""

from __future__ import annotations

import pytest

from corpus.ingest.pipeline import process
from corpus.ingest.spam import find_spam


@pytest.mark.parametrize(
    "text",
    [
        'Lawmakers in Seoul approved the budget "예산 증액" after a long night of talks.',
        "The banner read “北京欢迎你” as the delegation arrived.",
        "The characters 北京, which mean northern capital, were painted on the gate.",
        "Signs reading 北京 hung over the station.",
        "She repeated the slogan «Мы победим» twice before leaving.",
        "The word 「平和」 appears in the first line of the constitution.",
        "The α-helix and the β-sheet are common folds.",
    ],
)
def test_a_quoted_or_named_foreign_phrase_is_not_spam(text):
    assert find_spam(text, language="en") == []


@pytest.mark.parametrize(
    ("text", "token"),
    [
        ("Xi Jinping's remarks at 토토사이트 study session of the Politburo", "토토사이트"),
        ("The minister spoke at \U00020000\U00020001 study session on Monday.", "\U00020000\U00020001"),
        ("The minister spoke at казино study session on Monday.", "казино"),
        ("The minister spoke at カジノ study session on Monday.", "カジノ"),
        ("The minister spoke at ｶｼﾞﾉ study session on Monday.", "ｶｼﾞﾉ"),
        ("The minister spoke at ԁԃԅ study session on Monday.", "ԁԃԅ"),
    ],
)
def test_a_foreign_token_in_place_of_a_word_is_spam(text, token):
    [spam] = find_spam(text, language="en")
    assert (spam.rule, spam.token, text[spam.start : spam.end]) == ("foreign-script", token, token)


def test_a_foreign_phrase_beside_spam_words_or_links_is_spam():
    text = "Visit 最好的网站 at www.best-toto-site.xyz/promo today."
    rules = {(s.rule, s.token) for s in find_spam(text, language="en")}
    assert ("foreign-script", "最好的网站") in rules and ("spam-url", "www.best-toto-site.xyz/promo") in rules
    text = "Online casino bonus: 最好的网站 tonight."
    assert ("foreign-script", "最好的网站") in {(s.rule, s.token) for s in find_spam(text, language="en")}


def test_the_article_language_decides_what_is_foreign():
    assert find_spam("서울시는 예산 증액을 발표했다.", language="ko") == []
    assert find_spam("Москва объявила о бюджете.", language="ru") == []


def test_the_seed_token_is_still_flagged_through_the_pipeline():
    article = process('Headline\nRemarks at 토토사이트 study session.\nHe cited the budget "예산 증액" plan.')
    assert [article.text[s.start : s.end] for s in article.spam] == ["토토사이트"]
