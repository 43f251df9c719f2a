"""Find injected spam: foreign-script tokens, spam words, spam links. Spam is flagged, never removed.

Scrapers pick up tokens that spam networks inject into copied articles ("remarks at
토토사이트 study session": Korean for "toto site", a gambling-site lure, in place of "a").
Each finding is a span of ``text`` so an editor can see and judge it in place.

A token in a script foreign to the article's language is spam only by its context: it stands where a word
of the sentence should be, or spam words or spam links share its paragraph. A phrase quoted or glossed in
its own script ('the budget "예산 증액"', "Xi Jinping (习近平)") is content. Scripts are told apart by
their Unicode script property (the ``regex`` module), which covers every block of a script.
"""

from __future__ import annotations

import re
from functools import lru_cache

import regex

from .types import SpamSpec

# Letters of a script an article in each language is expected to use besides Latin (Unicode script
# names, as the ``regex`` module's \p{Script=...} knows them).
_LANGUAGE_SCRIPTS = {
    "ko": ("Hangul", "Han"),
    "zh": ("Han", "Bopomofo"),
    "ja": ("Han", "Hiragana", "Katakana"),
    "ru": ("Cyrillic",),
    "uk": ("Cyrillic",),
    "bg": ("Cyrillic",),
    "sr": ("Cyrillic",),
    "mk": ("Cyrillic",),
    "be": ("Cyrillic",),
    "kk": ("Cyrillic",),
    "el": ("Greek",),
    "ar": ("Arabic",),
    "fa": ("Arabic",),
    "ur": ("Arabic",),
    "he": ("Hebrew",),
    "yi": ("Hebrew",),
    "th": ("Thai",),
    "hi": ("Devanagari",),
    "mr": ("Devanagari",),
    "ne": ("Devanagari",),
}
_OPENING_MARKS = "\"'“‘„«‹「『《〈【(（["
_CLOSING_MARKS = "\"'”’»›」』》〉】)）]"
# Words after which English needs another word: a foreign token right after one, with the sentence going
# on in lowercase, stands where an English word was ("remarks at 토토사이트 study session").
_NEEDS_A_WORD = frozenset(
    [
        "a",
        "an",
        "the",
        "at",
        "in",
        "on",
        "of",
        "to",
        "for",
        "with",
        "from",
        "by",
        "about",
        "into",
        "onto",
        "over",
        "under",
        "this",
        "that",
        "these",
        "those",
        "its",
        "their",
        "his",
        "her",
        "our",
        "your",
        "my",
        "some",
        "any",
        "each",
        "every",
        "no",
        "and",
        "or",
    ]
)
_LATIN_WORD = regex.compile(r"\p{Script=Latin}[\p{Script=Latin}'’\-]*")


# Spam words in several languages; single ordinary words such as "casino" or "poker" are left alone
# because news covers casinos. Matched casefolded, on word boundaries.
SPAM_LEXICON = (
    "online casino",
    "casino online",
    "live casino",
    "casino bonus",
    "casino site",
    "viagra",
    "cialis",
    "levitra",
    "sportsbook bonus",
    "betting site",
    "toto site",
    "slot gacor",
    "judi online",
    "situs judi",
    "togel",
    "sbobet",
    "baccarat site",
    "kasino online",
    "casino en ligne",
    "apuestas deportivas",
    "casinò online",
    "scommesse online",
    "online-casino",
    "онлайн казино",
    "казино онлайн",
    "토토사이트",
    "토토",
    "카지노",
    "바카라",
    "먹튀",
    "슬롯",
    "博彩",
    "娱乐城",
    "赌场",
    "赌博",
    "百家乐",
    "オンラインカジノ",
    "buy cheap",
    "payday loan",
)
_LEXICON = re.compile(
    r"(?<!\w)(?:" + "|".join(re.escape(w) for w in sorted(SPAM_LEXICON, key=len, reverse=True)) + r")(?!\w)",
    re.IGNORECASE,
)
_URL = re.compile(r"(?:https?://|www\.)[^\s<>\"“”]{1,2000}", re.IGNORECASE)
_SPAM_TLDS = (".xyz", ".top", ".bet", ".casino", ".win", ".loan", ".click", ".vip", ".poker", ".bid")
_URL_WORDS = ("casino", "toto", "slot", "bet", "viagra", "cialis", "judi", "togel", "porn", "loan", "bacarat")

# Both patterns above ignore case, which makes ``re`` try them at every position of the text: slow. A
# text can only match them if its lowercase form holds a lexicon word (or "http", "www."), so most texts
# are passed over with a few substring tests. That holds for every character whose ``str.lower()`` is the
# lexicon letter ``re`` takes it for; these are the exceptions (dotted and dotless i, long s, Cyrillic
# wide o), and a text holding one of them is always searched. tests/corpus/ingest/test_spam.py checks
# the list against every code point.
CASE_EXCEPTIONS = ("\u0130", "\u0131", "\u017f", "\u1c82")
# Each lexicon word (lowercase) holds one of these, so a text holding none of them has no lexicon word.
_LEXICON_KEYS = (
    *("casin", "kasino", "viagra", "cialis", "levitra", "sportsbook", "betting", "toto", "slot", "judi"),
    *("togel", "sbobet", "baccarat", "apuestas", "scommesse", "buy cheap", "payday", "казино", "토토"),
    *("카지노", "바카라", "먹튀", "슬롯", "博彩", "娱乐城", "赌", "百家乐", "オンラインカジノ"),
)
assert all(any(key in word.lower() for key in _LEXICON_KEYS) for word in SPAM_LEXICON)


def spam_hints(text: str) -> tuple[bool, bool]:
    """(may hold a lexicon word, may hold a url): False only where the pattern cannot match in ``text``,
    nor in any part of it."""
    if not text.isascii() and any(c in text for c in CASE_EXCEPTIONS):
        return True, True
    lowered = text.lower()
    return any(key in lowered for key in _LEXICON_KEYS), "http" in lowered or "www." in lowered


@lru_cache(maxsize=64)
def _foreign_pattern(language: str) -> regex.Pattern[str]:
    allowed = ("Latin", *_LANGUAGE_SCRIPTS.get(language.split("-")[0].casefold(), ()))
    scripts = "".join(f"\\p{{Script={name}}}" for name in allowed)
    # Letters of any other script, however far out in Unicode (astral Han, Kana supplements, Cyrillic
    # extensions): the script property decides, not a hand-written list of ranges.
    return regex.compile(rf"[\p{{L}}--[{scripts}]]+", regex.V1)


def has_spam_words_or_links(block: str) -> bool:
    """Cheap test for a short block that is nothing but an injected ad or link."""
    words, links = spam_hints(block)
    if not (words or links):
        return False
    for match in _URL.finditer(block) if links else ():
        url = match.group().rstrip(".,;:)").casefold()
        host = url.split("//", 1)[-1].split("/", 1)[0]
        if host.endswith(_SPAM_TLDS) or any(word in url for word in _URL_WORDS):
            return True
    return words and _LEXICON.search(block) is not None


def _token_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen a run of foreign letters to the whole whitespace-delimited token, without punctuation."""
    left = start
    while left > 0 and not text[left - 1].isspace() and start - left < 64:
        left -= 1
    right = end
    while right < len(text) and not text[right].isspace() and right - end < 64:
        right += 1
    while left < start and not text[left].isalnum():
        left += 1
    while right > end and not text[right - 1].isalnum():
        right -= 1
    return left, right


def _lexicon_matches(text: str) -> list[re.Match[str]]:
    """``_LEXICON.finditer(text)`` as a list, searched only over the lines from the first to the last one
    whose lowercase form holds a lexicon key: no lexicon word holds a line break, so none can be elsewhere,
    and the pattern ignoring case makes every character it passes over costly (a spam word in one
    paragraph would otherwise have the whole article searched)."""
    lowered = text.lower()
    if len(lowered) != len(text) or (not text.isascii() and any(c in text for c in CASE_EXCEPTIONS)):
        return list(_LEXICON.finditer(text))
    first, last = len(text), -1
    for key in _LEXICON_KEYS:
        at = lowered.find(key)
        if at >= 0:
            first = min(first, at)
            last = max(last, lowered.rfind(key) + len(key))
    if last < 0:
        return []
    start = text.rfind("\n", 0, first) + 1
    end = text.find("\n", last)
    return list(_LEXICON.finditer(text, start, len(text) if end < 0 else end))


def find_spam(text: str, *, language: str = "en", hints: tuple[bool, bool] | None = None) -> list[SpamSpec]:
    """Every spam span in ``text``, sorted, one finding per span. ``hints``: ``spam_hints(text)``, when
    the caller has it already."""
    found: dict[tuple[int, int], SpamSpec] = {}
    words, links = hints if hints is not None else spam_hints(text)
    lexicon = _lexicon_matches(text) if words else []
    urls = [m for m in _URL.finditer(text) if _is_spam_url(m.group())] if links else []
    for start, end in _foreign_runs(text, language):
        if _is_gloss(text, start, end) or _is_quoted(text, start, end):
            continue
        if _replaces_a_word(text, start, end) or _near_spam(text, start, end, lexicon, urls):
            found[(start, end)] = SpamSpec(start, end, "foreign-script", text[start:end])
    words, links = hints if hints is not None else spam_hints(text)
    for match in lexicon:
        span = (match.start(), match.end())
        if not any(s <= span[0] and span[1] <= e for s, e in found):
            found[span] = SpamSpec(*span, "spam-lexicon", match.group())
    for match in urls:
        url = match.group().rstrip(".,;:)")
        span = (match.start(), match.start() + len(url))
        found.setdefault(span, SpamSpec(*span, "spam-url", url))
    return sorted(found.values(), key=lambda s: (s.start, s.end))


def _is_gloss(text: str, start: int, end: int) -> bool:
    """A name in its own script in parentheses ("Xi Jinping (习近平)") is a gloss, not spam."""
    return start > 0 and text[start - 1] == "(" and end < len(text) and text[end] == ")"


def _is_spam_url(found: str) -> bool:
    url = found.rstrip(".,;:)")
    host = url.split("//", 1)[-1].split("/", 1)[0].casefold()
    lowered = url.casefold()
    return host.endswith(_SPAM_TLDS) or any(word in lowered for word in _URL_WORDS)


def _foreign_runs(text: str, language: str) -> list[tuple[int, int]]:
    """Whitespace-delimited tokens holding letters of a script foreign to ``language`` (at least two
    such letters: a lone Greek letter in "α-helix" is notation), with neighbouring such tokens joined
    into one run ("예산 증액")."""
    if text.isascii():
        return []
    runs: list[tuple[int, int]] = []
    last_end = -1
    for match in _foreign_pattern(language).finditer(text):
        if match.start() < last_end:
            continue
        start, end = _token_bounds(text, match.start(), match.end())
        last_end = end
        if match.end() - match.start() < 2 and not _more_foreign(text, match.end(), end, language):
            continue
        if runs and text[runs[-1][1] : start].isspace() and "\n" not in text[runs[-1][1] : start]:
            runs[-1] = (runs[-1][0], end)
        else:
            runs.append((start, end))
    return runs


def _more_foreign(text: str, after: int, end: int, language: str) -> bool:
    return _foreign_pattern(language).search(text, after, end) is not None


def _is_quoted(text: str, start: int, end: int) -> bool:
    """Inside quotation marks or brackets of its own ("예산 증액", «Мы победим», 「平和」)."""
    before = text[start - 1] if start > 0 else ""
    after = text[end] if end < len(text) else ""
    return before in _OPENING_MARKS or after in _CLOSING_MARKS


def _replaces_a_word(text: str, start: int, end: int) -> bool:
    """The run stands where an English word was: after a word that needs one ("at", "the"), with the
    sentence going on in lowercase ("remarks at 토토사이트 study session")."""
    line_start = text.rfind("\n", 0, start) + 1
    before = text[line_start:start].rstrip()
    previous = before.rsplit(maxsplit=1)[-1] if before and before[-1:].isalpha() else ""
    if previous.casefold() not in _NEEDS_A_WORD:
        return False
    following = _LATIN_WORD.match(text, end + 1) if text[end : end + 1] == " " else None
    return following is not None and following.group()[:1].islower()


def _near_spam(text: str, start: int, end: int, lexicon: list, urls: list) -> bool:
    """A spam word or a spam link in the same paragraph."""
    paragraph_start = text.rfind("\n", 0, start) + 1
    paragraph_end = text.find("\n", end)
    paragraph_end = len(text) if paragraph_end < 0 else paragraph_end
    return any(
        paragraph_start <= m.start() < paragraph_end and not (start <= m.start() < end) for m in lexicon
    ) or any(paragraph_start <= m.start() < paragraph_end for m in urls)
