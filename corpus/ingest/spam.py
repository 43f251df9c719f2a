"""Find injected spam: foreign-script tokens, spam words, spam links. Spam is flagged, never removed.

Scrapers pick up tokens that spam networks inject into copied articles ("remarks at
토토사이트 study session": Korean for "toto site", a gambling-site lure, in place of "a").
Each finding is a span of ``text`` so an editor can see and judge it in place.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .types import SpamSpec

# Unicode blocks by script; the ranges cover the letters spam tokens use.
_SCRIPT_RANGES = {
    "hangul": "\u1100-\u11ff\u3130-\u318f\uac00-\ud7af",
    "han": "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff",
    "kana": "\u3040-\u30ff\u31f0-\u31ff",
    "cyrillic": "\u0400-\u04ff",
    "greek": "\u0370-\u03ff",
    "arabic": "\u0600-\u06ff\u0750-\u077f",
    "hebrew": "\u0590-\u05ff",
    "thai": "\u0e00-\u0e7f",
    "devanagari": "\u0900-\u097f",
}
# Scripts an article in each language is expected to use besides Latin letters, digits and punctuation.
_LANGUAGE_SCRIPTS = {
    "ko": {"hangul", "han"},
    "zh": {"han"},
    "ja": {"han", "kana"},
    "ru": {"cyrillic"},
    "uk": {"cyrillic"},
    "bg": {"cyrillic"},
    "sr": {"cyrillic"},
    "el": {"greek"},
    "ar": {"arabic"},
    "fa": {"arabic"},
    "ur": {"arabic"},
    "he": {"hebrew"},
    "th": {"thai"},
    "hi": {"devanagari"},
}

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
def _foreign_pattern(language: str) -> re.Pattern[str] | None:
    allowed = _LANGUAGE_SCRIPTS.get(language.split("-")[0].casefold(), set())
    ranges = "".join(r for script, r in _SCRIPT_RANGES.items() if script not in allowed)
    return re.compile(f"[{ranges}]+") if ranges else None


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


def find_spam(text: str, *, language: str = "en", hints: tuple[bool, bool] | None = None) -> list[SpamSpec]:
    """Every spam span in ``text``, sorted, one finding per span. ``hints``: ``spam_hints(text)``, when
    the caller has it already."""
    found: dict[tuple[int, int], SpamSpec] = {}
    pattern = _foreign_pattern(language)
    if pattern is not None:
        last_end = -1
        for match in pattern.finditer(text):
            if match.start() < last_end:
                continue
            start, end = _token_bounds(text, match.start(), match.end())
            last_end = end
            if _is_gloss(text, start, end):
                continue
            found[(start, end)] = SpamSpec(start, end, "foreign-script", text[start:end])
    words, links = hints if hints is not None else spam_hints(text)
    for match in _LEXICON.finditer(text) if words else ():
        span = (match.start(), match.end())
        if not any(s <= span[0] and span[1] <= e for s, e in found):
            found[span] = SpamSpec(*span, "spam-lexicon", match.group())
    for match in _URL.finditer(text) if links else ():
        url = match.group().rstrip(".,;:)")
        host = url.split("//", 1)[-1].split("/", 1)[0].casefold()
        lowered = url.casefold()
        if host.endswith(_SPAM_TLDS) or any(word in lowered for word in _URL_WORDS):
            span = (match.start(), match.start() + len(url))
            found.setdefault(span, SpamSpec(*span, "spam-url", url))
    return sorted(found.values(), key=lambda s: (s.start, s.end))


def _is_gloss(text: str, start: int, end: int) -> bool:
    """A name in its own script in parentheses ("Xi Jinping (习近平)") is a gloss, not spam."""
    return start > 0 and text[start - 1] == "(" and end < len(text) and text[end] == ")"
