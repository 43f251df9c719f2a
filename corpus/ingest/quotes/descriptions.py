"""Descriptions of people: the words an article uses for a person besides the name ("the senator",
"the former secretary of state", "one senior Democrat", "his colleague"), read before a name, in an
appositive after it, and in a subject phrase that describes a speaker instead of naming one.

``pronouns.PersonMentions`` keeps these words per person so that a later description can find whom it
means; the extractor asks ``is_description`` whether a subject phrase is a description at all.
"""

from __future__ import annotations

import re

from ..speakers import PLACE_OPENERS, ROLE_NOUNS, TITLE_WORDS, wordset
from .marks import MASK
from .subjects import _STATES

# Capitalized words that open sentences or name things, never people, at the start of a run.
_NOT_NAME_START = wordset(
    """
    the a an it in on at but and however yet so as if this that these those he she they we i his her their
    its our since after before when while for with from by to of us u.s. then there here what why how who
    where which many some most more both all each every no not one two three four five six seven eight
    nine ten monday tuesday wednesday thursday friday saturday sunday january february march april may june
    july august september october november december republican republicans democrat democrats democratic
    gop speaking asked meanwhile maybe perhaps whether probably indeed still also even though although because unless until later earlier
    last next following once during despite instead according like just
    """
)


# Abbreviated titles and the nouns a later description uses for them ("Sen. Cruz" ... "the senator").
_ROLE_OF = {
    "sen": "senator",
    "rep": "congressman",
    "representative": "congressman",
    "congresswoman": "congressman",
    "gov": "governor",
    "pres": "president",
    "dr": "doctor",
    "gen": "general",
    "lt": "lieutenant",
    "republicans": "republican",
    "democratic": "democrat",
    "democrats": "democrat",
    "gop": "republican",
    "spokeswoman": "spokesman",
    "spokesperson": "spokesman",
}


_RANKS = wordset("former vice")


_PARTY_ROLES = wordset("republican democrat democratic")


_ROLES = frozenset(_ROLE_OF.values()) | wordset(
    "nominee front-runner frontrunner billionaire mogul businessman"
)


def is_description(phrase: str) -> bool:
    """Whether a subject phrase describes a speaker rather than names one: "the New York developer, who
    ...", "one senior Democrat", "the 46-year-old", "his colleague", "this source"."""
    head = _DESCRIPTION_END.split(phrase.strip(), maxsplit=1)[0].split()
    if not 2 <= len(head) <= 12:
        return False
    # "the former secretary of State", "one operative inside Trump Tower": the head comes before its
    # modifier, whatever the modifier names.
    cut = next((n for n, w in enumerate(head) if n > 1 and w in _MODIFIER_OPENERS), len(head))
    head = head[:cut]
    first, last = head[0].casefold(), head[-1]
    if first in _POSSESSIVES:
        return last.casefold() in ROLE_NOUNS or last.casefold() in _RELATIVES
    return first in _DESCRIPTION_LEADS and (last.islower() or last.casefold() in _PARTY_WORDS)


# A relative clause after a description ("the New York businessman, who ..."); a comma alone may lead to
# a name ("“...,” the dawn of the movement, Bozell says").
_DESCRIPTION_END = re.compile(r",?\s(?:who|whom|whose|which|that)\s")


_DESCRIPTION_LEADS = wordset("the a an one another this")


# Lowercase prepositions that open a modifier after a description's head noun.
_MODIFIER_OPENERS = wordset("of at in for from with inside outside near on to")


_RELATIVES = wordset("wife husband son daughter father mother brother sister friend colleague spouse partner")


def is_role_word(word: str) -> bool:
    """Whether "the <word>" may stand for a person named with that title or role ("the senator")."""
    word = _ROLE_OF.get(word, word)
    return word in ROLE_NOUNS or word in TITLE_WORDS or word in _PARTY_ROLES or word in _ROLES


def _described_before(masked: str, at: int) -> list[str]:
    """The words describing a name right before it ("former Florida governor", "Former Secretary of
    State"): titles, roles, places, parties and a few describing words, back to the first other word."""
    words = masked[max(0, at - 60) : at].split()[-5:]
    words.reverse()
    found: list[str] = []
    for n, word in enumerate(words):
        if word[-1] in _CLAUSE_MARKS:
            break
        low = word.casefold().rstrip(".")
        if low == "of" and n + 1 < len(words) and _is_title_word(words[n + 1]):
            continue  # "Secretary of State"
        if not _describes(low, word):
            break
        found.append(low)
    return found


def _appositive_after(masked: str, end: int) -> list[str]:
    """ "Ann Cole, the former secretary of state, said": the words of an appositive after a name, up to
    its closing comma or relative clause; a clause ("Cole, the candidate stated that ...") is none."""
    if masked[end : end + 2] != ", ":
        return []
    tail = masked[end + 2 : end + 90]
    words = tail.split(None, 1)
    if not words or words[0].casefold() not in _ARTICLES:
        return []
    stops = [n for n in (tail.find(","), tail.find(" who ")) if n >= 0]
    if not stops:
        return []
    found = [w.casefold().rstrip(".") for w in tail[: min(stops)].split()[1:]]
    if len(found) > 8 or not all(w == "of" or _describes(w, w) for w in found):
        return []
    return found


def _describes(low: str, word: str) -> bool:
    """Whether a word may describe a person by title, role, place or party ("former", "Florida",
    "senator", "Democratic", "presidential")."""
    return (
        is_role_word(low)
        or low in _STATES
        or low in PLACE_OPENERS
        or low in _DESCRIBING
        or low in _PARTY_WORDS
        or (word[:1].isupper() and low not in _NOT_NAME_START)
    )


def _is_title_word(word: str) -> bool:
    low = word.casefold()
    return word[:1].isupper() and (low in TITLE_WORDS or low in ROLE_NOUNS)


_CLAUSE_MARKS = ',;:(\u2014\u2013.?!"\u201d' + MASK


_ARTICLES = wordset("a an the")


_PARTY_WORDS = wordset("republican republicans democrat democrats democratic gop")


_POSSESSIVES = wordset("his her their its our my your whose")


# Words in -ed and -ing that describe a person rather than act on one ("former embattled governor").
_DESCRIBING = wordset(
    "former presidential congressional state federal senior top chief deputy assistant acting interim "
    "retired embattled indicted elected acclaimed unnamed renowned noted famed celebrated longtime "
    "leading ranking outgoing incoming governing sitting reigning presiding disgraced"
)
