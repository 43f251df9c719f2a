"""Quotation marks: pairing them in a paragraph, masking quoted stretches, and splitting sentences
on the masked text so that nothing inside a quote ends a sentence."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..english import is_only_common_word
from .givennames import FEMALE_NAMES, MALE_NAMES
from .lexicon import _ABBREVIATIONS, _WORK_WORDS, CUE_FINITE, CUE_VERBS, PHRASAL_CUES

MASK = "\u25a1"
_OPEN_DOUBLE = "\u201c\u201e\u00ab"
_CLOSE_DOUBLE = "\u201d\u00bb"
_SINGLES = "'\u2018\u2019"
_MARKS = re.compile("[\"\u201c\u201d\u201e\u00ab\u00bb'\u2018\u2019]")
_ALL_MARKS = '"' + _OPEN_DOUBLE + _CLOSE_DOUBLE + _SINGLES
_PRIMES = "'\u2032\u2019"
# Invisible direction marks pasted from social media ("\u202a”Sorry Sarah ...”"): a mark after one opens
# as after a space.
_DIRECTION_MARKS = "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_SENTENCE_END = re.compile("[.?!]+[\"\u201d\u2019')\\]\u00bb]*\\s+")
# The same where a text holds no "?" nor "!": opening with the full stop alone, a search for it runs
# through the text looking for that one character instead of trying a set of them at each.
_FULL_STOP_END = re.compile("\\.\\.*[\"\u201d\u2019')\\]\u00bb]*\\s+")


@dataclass(slots=True)
class Pair:
    """A quoted stretch of one paragraph: marks at ``open`` and ``close`` (``close`` = length if it runs on)."""

    open: int
    close: int
    runs_on: bool = False


def find_pairs(s: str, *, nesting: bool = True) -> list[Pair]:
    """Pair quotation marks in one linear pass; apostrophes, primes and nested marks never pair.

    An opening double mark inside an open quotation opens a quotation within it, closed by the next
    closing mark, and the outer one goes on; when that leaves the outer one unclosed (more likely a
    missing closing mark), the marks are read again without nesting: a new opening mark starts over.
    """
    if s.isascii() and '"' not in s and "'" not in s:
        return []  # no mark at all (the other marks are not ASCII): cheaper told so than searched for
    pairs: list[Pair] = []
    double: int | None = None
    depth = 0
    nested = False
    single: int | None = None
    n = len(s)
    for match in _MARKS.finditer(s):
        i = match.start()
        ch = s[i]
        prev = s[i - 1] if i and s[i - 1] not in _DIRECTION_MARKS else " "
        nxt = s[i + 1] if i + 1 < n else " "
        if ch in _SINGLES:
            if double is not None or (prev.isalnum() and nxt.isalnum()):
                continue
            if single is None:
                if ch != "\u2019" and _opens(prev, nxt) and not _elision(s, i):
                    single = i
            elif not prev.isspace() and not nxt.isalnum():
                pairs.append(Pair(single, i))
                single = None
            continue
        if ch in _OPEN_DOUBLE:
            if double is not None and not prev.isspace() and (nxt.isspace() or nxt in ",.;:"):
                # "“Is it over?“ he asked": an opening mark typed where the closing one belongs.
                pairs.append(Pair(double, i))
                double = None
                continue
            if double is not None and nesting:
                depth += 1
                nested = True
                continue
            double, single = i, None
            continue
        if ch in _CLOSE_DOUBLE:
            if double is not None and depth:
                depth -= 1
                continue
            if double is not None:
                pairs.append(Pair(double, i))
                double = None
            elif (prev.isspace() and nxt.isalnum()) or (
                (i == 0 or prev in ",:") and nxt.isspace() and _closes_next(s, i + 1)
            ):
                # `He said,” there is ...”` or a paragraph opening `” … if ...,” it read`: a closing
                # mark typed where the opening one belongs, when the next double mark closes.
                double, single = i, None
            continue
        if _is_inch_mark(s, i, double is not None):
            continue
        if double is None:
            if not nxt.isspace():
                double, single = i, None
        else:
            pairs.append(Pair(double, i))
            double = None
    if nested and (depth or double is not None):
        return find_pairs(s, nesting=False)
    if double is not None and double + 1 < n:
        pairs.append(Pair(double, n, runs_on=True))
    pairs.sort(key=lambda p: p.open)
    if any(p.close - p.open < 24 for p in pairs):
        # `Juan "Chico" Manriquez said`: a nickname inside a name is part of the name, not a quote.
        pairs = [p for p in pairs if not (p.close - p.open < 24 and nickname_at(s, p.open))]
    return pairs


_DOUBLE_MARK = re.compile('["\u201c\u201d\u201e\u00ab\u00bb]')


def _closes_next(s: str, at: int) -> bool:
    """Whether the next double mark from ``at`` is a closing one after a word or punctuation."""
    match = _DOUBLE_MARK.search(s, at)
    if match is None or match.group() not in '"\u201d\u00bb':
        return False
    i = match.start()
    return not s[i - 1].isspace() and (i + 1 == len(s) or not s[i + 1].isalnum())


# A nickname in quotation marks between a given name and a surname (`Juan "Chico" Manriquez`): the
# nickname and the surname from its opening mark, the given name before it.
_NICKNAME = re.compile('["\u201c]([A-Z][\\w.\\-]*)["\u201d] ([A-Z][a-z]+)\\b')
_GIVEN_NAME = re.compile(r"\b([A-Z][a-z]+) $")
# The same where a text holds no opening curly mark: searched for by its one opening character.
_NICKNAME_STRAIGHT = re.compile('"([A-Z][\\w.\\-]*)["\u201d] ([A-Z][a-z]+)\\b')


def nickname_at(s: str, at: int) -> bool:
    """Whether the quotation mark at ``at`` opens a nickname between a given name and a surname:
    `Juan "Chico" Manriquez` or `Ada “Bee” Lind`, not a quoted word between two common ones."""
    match = _NICKNAME.match(s, at)
    given = _GIVEN_NAME.search(s, max(0, at - 30), at) if match else None
    if given is None:
        return False
    first, surname = given.group(1), match.group(2)
    if first.casefold() in MALE_NAMES or first.casefold() in FEMALE_NAMES:
        return not is_only_common_word(surname)
    return not is_only_common_word(first) and not is_only_common_word(surname)


def _opens(prev: str, nxt: str) -> bool:
    return (prev.isspace() or prev in "([{\u2014\u2013-/") and (nxt.isalnum() or nxt in "[.")


def _elision(s: str, i: int) -> bool:
    """'90s, 'em, 'til, 'n': a mark that stands for missing letters, not a quote."""
    tail = s[i + 1 : i + 5].casefold()
    if tail[:2].isdigit():
        return True
    return tail.startswith(("em ", "til ", "n ", "n' ", "n\u2019 ", "cause ", "twas"))


def _is_inch_mark(s: str, i: int, quote_open: bool) -> bool:
    """6'5" or a 12" screen: a double prime after a number, not a quotation mark."""
    prev = s[i - 1] if i else " "
    if not prev.isdigit():
        return False
    j = i - 1
    while j > 0 and s[j - 1].isdigit() and i - j < 4:
        j -= 1
    if j > 0 and s[j - 1] in _PRIMES and j > 1 and s[j - 2].isdigit():
        return True
    return not quote_open


def mask(s: str, pairs: list[Pair]) -> str:
    """Blank out quoted content (keeping marks and a final punctuation mark) so rules see its shape only."""
    if (_NICKNAME if "\u201c" in s else _NICKNAME_STRAIGHT).search(s) is None:
        # The usual case, pairs one after the other and no nickname: the text put together from slices,
        # much cheaper than a list of its characters (one new string for each one masked).
        parts = []
        done = 0
        for pair in pairs:
            first, end = pair.open + 1, pair.close
            if end <= first:
                continue
            if first < done:
                break  # overlapping pairs: one character at a time, below
            parts.append(s[done:first])
            if not pair.runs_on and end - 1 > pair.open and s[end - 1] in ".,?!":
                parts.append(MASK * (end - 1 - first) + s[end - 1])
            else:
                parts.append(MASK * (end - first))
            done = end
        else:
            parts.append(s[done:])
            return "".join(parts)
    chars = list(s)
    for match in _NICKNAME.finditer(s):
        if nickname_at(s, match.start()):
            # A nickname reads as a word of the name: its marks are blanked.
            chars[match.start()] = chars[match.start(2) - 2] = " "
    for pair in pairs:
        first, end = pair.open + 1, pair.close
        if end <= first:
            continue
        keep = end - 1 if not pair.runs_on and end - 1 > pair.open and s[end - 1] in ".,?!" else -1
        kept = chars[keep]
        chars[first:end] = MASK * (end - first)
        if keep >= 0:
            chars[keep] = kept
    return "".join(chars)


def split_sentences(masked: str) -> list[tuple[int, int]]:
    spans = []
    start = 0
    ends = _SENTENCE_END if "?" in masked or "!" in masked else _FULL_STOP_END
    for match in ends.finditer(masked):
        nxt = masked[match.end() : match.end() + 1]
        if not nxt or not (nxt.isupper() or nxt.isdigit() or nxt in _ALL_MARKS or nxt == MASK):
            continue
        word_start = match.start()
        while word_start > start and not masked[word_start - 1].isspace() and match.start() - word_start < 24:
            word_start -= 1
        word = masked[word_start : match.start()].casefold().strip("\"'(\u201c\u2018")
        if word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha()) or _INITIALS.fullmatch(word):
            continue
        if _ATTRIBUTION_AFTER_QUOTE.match(match.group()) and _names_cue(masked, match.end()):
            continue  # "“Why now?” Lee asked.": the question ends the quote, not the sentence
        if _STOP_IN_QUOTE.match(match.group()) and _bare_attribution(masked, match.end()):
            continue  # "“We won the vote.” Lee said.": a full stop inside the marks, the cue after them
        spans.append((start, match.end()))
        start = match.end()
    if start < len(masked):
        spans.append((start, len(masked)))
    if _STOP_BEFORE_CAPITAL.search(masked) and _RUN_ON_STOP.search(masked):
        spans = [part for a, b in spans for part in _split_run_on(masked, a, b)]
    if MASK in masked and _MARK_RUN_ON.search(masked):  # (each match is next to a masked quote)
        spans = [part for a, b in spans for part in _split_mark_run_on(masked, a, b)]
    return spans


# A quotation mark with no space after it at a sentence's end: a closing one before a capitalized word
# ("... so do voters!”After the rally"), or an opening one after a full stop ("the council.“We
# got nothing").
# (It opens with the stop, so that a search scans for the stop alone.)
_MARK_RUN_ON = re.compile(
    f'[.?!](?:(?<={MASK}[.?!])["\u201d](?=[A-Z][a-z])|(?<=[\\w)][.?!])(?=["\u201c]{MASK}))'
)


def _split_mark_run_on(masked: str, start: int, end: int) -> list[tuple[int, int]]:
    parts = []
    for match in _MARK_RUN_ON.finditer(masked, start, end):
        at = match.end()
        if len(match.group()) == 2 and (_names_cue(masked, at) or _bare_attribution(masked, at)):
            continue  # "“Why now?”Lee asked.": the quote's own attribution
        parts.append((start, at))
        start = at
    parts.append((start, end))
    return parts


# A full stop with no space after it between a word in lowercase and a capitalized word ("Hale
# said.Cole claimed"), or between a capitalized word and a common word that opens the next sentence
# ("Ann Hale.She said"); not in a domain or a web address ("Example.com", "site.org/news.Today"), a
# word with dots ("U.S.", "J.R.") or an abbreviation ("approx.", "Gen.").
_RUN_ON_STOP = re.compile(
    "(?<![^\\s(\"'\u201c\u2018\u2014])([a-z]{2,}|[A-Z][a-z]+)\\.(?=([A-Z]\\w*)(?![\\w@/]|\\.\\w))"
)
# What every match of ``_RUN_ON_STOP`` holds: a search for it alone is ten times cheaper than one for
# the whole pattern, whose look-behind is tried at every character.
_STOP_BEFORE_CAPITAL = re.compile(r"\.[A-Z]")


def run_on_stop(match: re.Match) -> bool:
    """Whether a match of ``_RUN_ON_STOP`` ends a sentence: its word before the stop is no abbreviation,
    and a capitalized one is followed by a word English writes only in lowercase ("She", "The"), not by
    a name ("Ann Hale.Omar Cole")."""
    word = match.group(1)
    if word.casefold() in _ABBREVIATIONS:
        return False
    return word.islower() or is_only_common_word(match.group(2))


def _split_run_on(masked: str, start: int, end: int) -> list[tuple[int, int]]:
    parts = []
    for match in _RUN_ON_STOP.finditer(masked, start, end):
        if run_on_stop(match):
            parts.append((start, match.end()))
            start = match.end()
    parts.append((start, end))
    return parts


_STOP_IN_QUOTE = re.compile('[.]["\u201d]')
# A sentence that is only an attribution: a name or a pronoun, a cue verb, a few words of no clause.
_BARE_ATTRIBUTION = re.compile(
    r"((?:[A-Z][\w\u2019'\-]*\.?\s+){1,4}|(?:he|she|they|He|She|They)\s+)(\w+)((?:\s+[\w\u2019'\-]+){0,6})\.(?:\s|$)"
)


def _bare_attribution(masked: str, at: int) -> bool:
    """Whether the words at ``at`` are a sentence of their own that only attributes ("Lee said.", "Ann
    Cole added on Monday."): no "that" and no quote after the cue."""
    match = _BARE_ATTRIBUTION.match(masked, at)
    if match is None or match.group(2).casefold() not in CUE_FINITE:
        return False
    return not {w.casefold() for w in match.group(3).split()} & _NOT_BARE


_NOT_BARE = frozenset({"that", "it", "he", "she", "they", "we", "i", "you", "the", "a", "an"})
_INITIALS = re.compile(r"(?:[a-z]\.)+[a-z]")  # "J.R" of "J.R. Smith" (its last dot is the match's)
_ATTRIBUTION_AFTER_QUOTE = re.compile("[?!]+[\"\u201d\u2019']")
_NEXT_WORDS = re.compile(r"[\w\u2019'.\-]+")
_NAME_APPOSITIVE = re.compile(
    r"(?:[A-Z][\w\u2019'.\-]*\s){0,3}[A-Z][\w\u2019'.\-]*,[^,.?!\"\u201c\u201d]{1,80},\s"
)


def _names_cue(masked: str, at: int) -> bool:
    """Whether one of the next five words is a cue verb ("Lee asked", "asked Lee", "the mayor shouted",
    "Lee went on")."""
    previous = ""
    appositive = _NAME_APPOSITIVE.match(masked, at)
    if appositive is not None:
        # "“Why now?” Lee Park, the mayor, asked": the verb after the appositive.
        at = appositive.end()
    for n, match in enumerate(_NEXT_WORDS.finditer(masked, at, at + 120)):
        if n >= 6:
            return False
        word = match.group().casefold().rstrip(".")
        if (word in CUE_FINITE and n < 5) or PHRASAL_CUES.get(previous) == word:
            return True
        if word in CUE_VERBS and word.endswith("ing") and previous in ("heard", "seen", "caught"):
            return True  # "“Stop!” Lee was heard shouting."
        previous = word
    return False


def _first_mark(s: str) -> int:
    return 0 if s[:1] in _ALL_MARKS else -1


def _names_a_work(before: str) -> bool:
    """ "the film “...”", "his book, “...”": a work word among the last words before the mark, with no
    cue verb or linking verb after it ("Holding a book, Lee said, “...”" quotes Lee) nor a verb that
    names the work before it ("called the show “...”" says what the show is)."""
    tail = [w.strip(",:") for w in before[-60:].casefold().split()[-3:]]
    for n in range(len(tail) - 1, -1, -1):
        if tail[n] in CUE_VERBS:
            return False
        if tail[n] in _WORK_WORDS:
            # ("the album is “nearly done”": what the work is, a predicate, not its title; "to show
            # that “...”", "writes in the column that the “...”": a clause after the word, no title.)
            return not any(w in _CALLING for w in tail[max(0, n - 2) : n]) and not any(
                w in _LINKING or w == "that" for w in tail[n + 1 :]
            )
    return False


_LINKING = frozenset(("is", "was", "are", "were", "remains", "seems", "looks", "sounds"))


_CALLING = frozenset(("called", "calls", "calling", "dubbed", "labeled", "labelled", "branded"))


def _title_case(words: list[str]) -> bool:
    """ "Full Court Press", "Wolf Warrior": names and titles, not speech."""
    letters = [w for w in words if w[:1].isalpha()]
    if not letters or len(letters) > 6:
        return False
    minor = {"of", "the", "a", "an", "and", "in", "on", "for", "to", "at"}
    return all(w[0].isupper() or w in minor for w in letters) and letters[0][0].isupper()
