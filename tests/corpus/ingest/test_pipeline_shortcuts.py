"""The shortcuts that make the text pipeline fast give exactly what the plain way gives."""

from __future__ import annotations

import random

from corpus.ingest.normalize import _BLOCK_BREAK, normalize_block, split_blocks
from corpus.ingest.quotes.extractor import _WORD_RUN, _may_report
from corpus.ingest.quotes.lexicon import _ABBREVIATIONS, _TRIGGERS
from corpus.ingest.quotes.marks import (
    _RUN_ON_STOP,
    MASK,
    Pair,
    find_pairs,
    mask,
    run_on_stop,
    split_sentences,
)
from corpus.ingest.quotes.tokens import _TOKEN, Tok, _TokenIndex, tokenize

ALPHABET = (
    "ab Said  said. SAID'x-y said\u2019 told, \"\u201c\u201d'\u2018\u2019;:  \u00e9\u0130\u0131\u017f" + MASK
)


def _strings(count: int, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    pieces = [*ALPHABET, "according to", "quoted as saying", "report", "U.S.", "Mr.", " 6'5\" "]
    return ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 40))) for _ in range(count)]


def test_a_stretch_of_the_token_index_is_that_stretch_tokenized():
    for text in _strings(300):
        index = _TokenIndex(text)
        for start in range(len(text) + 1):
            for end in range(start, len(text) + 2, 3):
                assert index.between(start, end) == tokenize(text, start, end), (text, start, end)


def _tokenize_match_by_match(masked: str, start: int, end: int, to_quote: bool = False) -> list[Tok]:
    """The tokens read from one match object of ``_TOKEN`` at a time."""
    tokens = []
    for match in _TOKEN.finditer(masked, start, end):
        text, at = match.group(), match.start()
        if match.lastindex == 4 and to_quote:
            break
        if match.lastindex > 2:
            tokens.append(Tok(text, text, at, match.end(), "q" if match.lastindex == 4 else "p"))
            continue
        run_on = _RUN_ON_STOP.match(masked, at) if "." in text[:-1] else None
        if run_on is not None and run_on_stop(run_on):
            word = run_on.group(1)
            tokens.append(Tok(word, word.casefold(), at, run_on.end() - 1, "w"))
            tokens.extend(_tokenize_match_by_match(masked, run_on.end(), match.end()))
            continue
        stripped = text.rstrip("'\u2019-")
        if (
            stripped.endswith(".")
            and stripped.count(".") == 1
            and stripped[:-1].casefold() not in _ABBREVIATIONS
        ):
            stripped = stripped[:-1]
        if stripped:
            tokens.append(Tok(stripped, stripped.casefold(), at, at + len(stripped), "w"))
    return tokens


def test_tokens_read_in_one_findall_are_those_read_match_by_match():
    for text in [*_strings(1000, seed=19), "Hale said.Cole claimed", "the U.S. and Mr. Lee.She said"]:
        for start in range(0, len(text) + 1, 2):
            for to_quote in (False, True):
                expected = _tokenize_match_by_match(text, start, len(text), to_quote)
                assert tokenize(text, start, len(text), to_quote=to_quote) == expected, (text, start)


def test_a_paragraph_ruled_out_for_reported_speech_has_no_trigger_token():
    texts = _strings(3000, seed=11)
    for text in [*texts, *(t.encode("ascii", "ignore").decode() for t in texts)]:
        if not _may_report(text):
            for start, end in split_sentences(text):
                assert not [t for t in tokenize(text, start, end) if t.low in _TRIGGERS], text
    assert all(_WORD_RUN.fullmatch(word) for word in _TRIGGERS)


def _mask_one_by_one(s: str, pairs: list[Pair]) -> str:
    chars = list(s)
    for pair in pairs:
        end = pair.close
        keep = end - 1 if not pair.runs_on and end - 1 > pair.open and s[end - 1] in ".,?!" else -1
        for k in range(pair.open + 1, end):
            if k != keep:
                chars[k] = MASK
    return "".join(chars)


def test_masking_blanks_the_same_characters_as_one_by_one():
    for text in _strings(2000, seed=5):
        pairs = find_pairs(text)
        assert mask(text, pairs) == _mask_one_by_one(text, pairs)
    overlapping = [Pair(0, 6), Pair(2, 9), Pair(8, 12, runs_on=True)]
    text = "'ab.'c,d!'e f."
    assert mask(text, overlapping) == _mask_one_by_one(text, overlapping)


def test_normalization_shortcuts_change_nothing():
    import re
    import unicodedata

    from corpus.ingest.normalize import _DROP

    breaks = re.compile(r"(?:\r\n|[\r\n\u2028\u2029\x0b\x0c\x85])+")
    rng = random.Random(3)
    alphabet = "ab \t\r\n\u2028\u2029\x0b\x0c\x85\u200b\x00\x7f\u00ad\u00e9e\u0301"
    for _ in range(20000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12)))
        assert _BLOCK_BREAK.split(text) == breaks.split(text)
        plain = re.sub(r"[ \t]+", " ", unicodedata.normalize("NFC", text).translate(_DROP)).strip(" ")
        assert normalize_block(text) == plain
        assert split_blocks(text) == [b for b in map(normalize_block, _BLOCK_BREAK.split(text)) if b]
        only_feeds = text.replace("\r", "\n").replace("\u2028", "\n")
        assert split_blocks(only_feeds) == [
            b for b in map(normalize_block, _BLOCK_BREAK.split(only_feeds)) if b
        ]
    assert split_blocks("One\r\n\r\nTwo\u2028\nThree") == ["One", "Two", "Three"]


def test_promo_phrases_sought_once_per_article_classify_every_block_alike():
    from corpus.ingest.roles import _PROMO_STRONG, _PROMO_WEAK, _promo_phrases, classify_boilerplate

    rng = random.Random(13)
    pieces = [
        *_PROMO_STRONG,
        *_PROMO_WEAK,
        "Sign",
        " Up",
        "NEWS",
        "letter",
        "the council met",
        ", ",
        "\u0130",
    ]
    for _ in range(500):
        blocks = [
            "".join(rng.choice(pieces) for _ in range(rng.randint(1, 4))) for _ in range(rng.randint(1, 6))
        ]
        strong, weak = _promo_phrases(blocks)
        for block in blocks:
            assert classify_boilerplate(block, strong=strong, weak=weak) == classify_boilerplate(block), block


def test_the_spam_lexicon_sought_between_its_keys_finds_what_the_whole_text_holds():
    from corpus.ingest.spam import _LEXICON, SPAM_LEXICON, _lexicon_matches

    rng = random.Random(17)
    pieces = [*SPAM_LEXICON, "CASINO", "Toto", "slots", "x", " ", "\n", "\n\n", "\u0130", "\u017f", "a.b"]
    for _ in range(3000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 12)))
        assert [m.span() for m in _lexicon_matches(text)] == [m.span() for m in _LEXICON.finditer(text)], text


def test_an_article_sent_back_by_a_worker_is_the_article_the_worker_read():
    """Worker processes pickle what they read as plain tuples: the writing process gets equal paragraphs,
    quotes (with their speakers and intermediaries) and spam, of the same types, and a speaker named by
    several quotes of an article is still one object there."""
    import pickle

    from corpus.ingest.pipeline import process
    from corpus.ingest.types import ParagraphSpec, QuoteSpec, SpamSpec, SpeakerRef

    body = (
        "Harbour wall to be rebuilt\n\n"
        '"We cannot wait another winter," said council chair Helena Vasquez. "Nobody will pay twice."\n\n'
        "Xinhua quoted Vasquez as saying the work would start in May.\n\n"
        '"It is about time," a fisherman said. Visit www.best-casino-bonus.example for a free casino bonus.'
    )
    read = process(body)
    assert read.paragraphs and read.spam
    assert any(q.via is not None for q in read.quotes)
    assert len({id(q.speaker) for q in read.quotes if q.speaker}) < sum(1 for q in read.quotes if q.speaker)
    sent = pickle.loads(pickle.dumps(read, protocol=pickle.HIGHEST_PROTOCOL))
    assert sent == read
    assert {type(p) for p in sent.paragraphs} == {ParagraphSpec}
    assert {type(q) for q in sent.quotes} == {QuoteSpec}
    assert {type(s) for s in sent.spam} == {SpamSpec}
    assert {type(r) for q in sent.quotes for r in (q.speaker, q.via) if r is not None} == {SpeakerRef}

    def sharing(article):
        ids: dict[int, int] = {}
        return [ids.setdefault(id(r), len(ids)) for q in article.quotes for r in (q.speaker, q.via) if r]

    assert sharing(sent) == sharing(read)


def test_patterns_for_texts_without_some_characters_match_as_the_whole_ones_there():
    from corpus.ingest.quotes.marks import (
        _FULL_STOP_END,
        _MARK_RUN_ON,
        _NICKNAME,
        _NICKNAME_STRAIGHT,
        _SENTENCE_END,
    )

    rng = random.Random(23)
    pieces = [
        *". .. ?! ! \" \u201c \u201d \u2019 ' ) ] \u00bb \n a Ab Lee \u201cBee\u201d",
        ' "Chico" ',
        MASK,
    ]
    for _ in range(20000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 16)))
        if "?" not in text and "!" not in text:
            assert [m.span() for m in _FULL_STOP_END.finditer(text)] == [
                m.span() for m in _SENTENCE_END.finditer(text)
            ]
        if "\u201c" not in text:
            assert [m.span() for m in _NICKNAME_STRAIGHT.finditer(text)] == [
                m.span() for m in _NICKNAME.finditer(text)
            ]
        if MASK not in text:
            assert _MARK_RUN_ON.search(text) is None


def test_every_related_link_opens_with_one_of_the_openers_looked_for_first():
    from corpus.ingest.roles import _RELATED, _RELATED_OPENERS

    phrases = _RELATED.pattern.split("(?:", 1)[1].split(")", 1)[0].split("|")
    rng = random.Random(29)
    for _ in range(5000):
        block = rng.choice(phrases) + rng.choice(["", " ", "  "]) + rng.choice(":|>-\u2014 x")
        block = "".join(c.upper() if rng.random() < 0.3 else c for c in block)
        if block.isascii() and _RELATED.match(block):
            assert block.casefold().startswith(_RELATED_OPENERS), block
