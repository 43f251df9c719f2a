"""Injected spam is found on its exact span and never removed from the text."""

from __future__ import annotations

import re

from corpus.ingest.pipeline import process
from corpus.ingest.spam import (
    _LEXICON,
    _LEXICON_KEYS,
    _URL,
    CASE_EXCEPTIONS,
    SPAM_LEXICON,
    find_spam,
    spam_hints,
)


def test_foreign_script_token_in_english_sentence():
    text = "Xi Jinping's remarks at 토토사이트 study session of the Politburo"
    [spam] = find_spam(text, language="en")
    assert (spam.rule, spam.token, text[spam.start : spam.end]) == (
        "foreign-script",
        "토토사이트",
        "토토사이트",
    )


def test_same_script_is_not_foreign():
    assert find_spam("한국어 기사 본문입니다.", language="ko") == []


def test_gloss_in_parentheses_is_not_spam():
    assert find_spam("Xi Jinping (习近平) spoke on Monday.", language="en") == []


def test_spam_lexicon_in_several_languages():
    text = "Best online casino bonus here, viagra cheap, and kasino online, казино онлайн."
    rules = [(s.rule, s.token.casefold()) for s in find_spam(text, language="en")]
    assert ("spam-lexicon", "online casino") in rules
    assert ("spam-lexicon", "viagra") in rules
    assert ("spam-lexicon", "kasino online") in rules
    assert any(rule == "foreign-script" for rule, _ in rules)


def test_news_about_casinos_is_not_spam():
    assert find_spam("The casino on the riverfront will close, the city said.", language="en") == []


def test_spam_urls_but_not_news_links():
    text = "See https://www.reuters.com/world/ and www.best-toto-site.xyz/promo today."
    [spam] = find_spam(text, language="en")
    assert spam.rule == "spam-url"
    assert spam.token == "www.best-toto-site.xyz/promo"
    assert text[spam.start : spam.end] == spam.token


def test_pipeline_offsets_point_into_text():
    article = process("Headline\nRemarks at 토토사이트 study session.")
    [spam] = article.spam
    assert article.text[spam.start : spam.end] == "토토사이트"


def test_the_case_exceptions_are_every_character_lowercasing_differently_from_re():
    """``spam_hints`` looks for the lexicon in ``text.lower()``; characters that ``re.IGNORECASE`` takes for a
    letter of the lexicon (or of "http", "www.") while ``str.lower()`` gives something else must be listed."""
    letters = sorted(set("".join(SPAM_LEXICON)) | set("https://www."))
    any_letter = re.compile("[" + "".join(re.escape(c) for c in letters) + "]", re.IGNORECASE)
    each = {c: re.compile(re.escape(c), re.IGNORECASE) for c in letters}
    exceptions = set()
    for code in range(0x110000):
        char = chr(code)
        if any_letter.fullmatch(char):
            exceptions.update(char for c in letters if each[c].fullmatch(char) and char.lower() != c)
    assert exceptions == set(CASE_EXCEPTIONS)
    assert all(word == word.lower() for word in SPAM_LEXICON)
    assert all(any(key in word for key in _LEXICON_KEYS) for word in SPAM_LEXICON)


def test_spam_hints_never_rule_out_a_match():
    samples = [
        "Buy CHEAP pills at VIAGRA.example or www.best-casino.bet",
        "HTTPS://Example.org/path and Casino Online tonight",
        "ſlot gacor at ſbobet, vıagra, \u0130nline",
        "онлайн КАЗИНО and 토토사이트 and カジノ",
        "The council met on Tuesday to discuss the budget.",
    ]
    for text in samples:
        words, links = spam_hints(text)
        assert words or not _LEXICON.search(text)
        assert links or not _URL.search(text)
    assert spam_hints("The council met on Tuesday to discuss the budget.") == (False, False)
