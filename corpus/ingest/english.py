"""A word-class lexicon of English: the words that are only ever common words.

Read by the speaker rules where the article itself gives no evidence: a capitalized word that only
opens sentences ("Friends say", "Hastily rewriting ...", "Wait, there is more:") is a common word
when English spells it in lowercase and never capitalized as a name; one that is a name too ("Rice",
"Bush", "Sanders") is left to the article's evidence. The list and where it comes from:
``data/README.md``.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

_COMMON_WORDS = Path(__file__).with_name("data") / "common-words.txt"


@cache
def _common_words() -> frozenset[str]:
    return frozenset(_COMMON_WORDS.read_text(encoding="utf-8").split())


def _bare(word: str) -> str:
    """``word`` casefolded, without a possessive's "'s" or a trailing apostrophe or punctuation."""
    return word.removesuffix("'s").removesuffix("\u2019s").rstrip("'\u2019.,:;").casefold()


def is_only_common_word(word: str) -> bool:
    """Whether ``word`` (in any case, possessive or not) is an English common word that is never
    anyone's name: "Attorneys", "Sad", "Adding", "Politicos"; not "Rice", which names people too."""
    return _bare(word) in _common_words()


# The closed classes of English that never head a noun phrase: forms of "be", "have" and "do", the
# modals, the pronouns, the articles and demonstratives (with the "al" of Arabic names: "the al Qaeda
# leader"), the conjunctions, the adverbs of place, time, frequency and degree, and the verb forms of
# saying and thinking that are never nouns. A description whose last word is one of these ("the plan
# was", "the contender here", "often thinks") has no head noun and describes nobody.
_NO_NOUN_WORDS = """
    be am is are was were been being has have had having do does did doing will would shall should can
    could may might must ought
    i me my mine you your yours he him his she her hers it its we us our ours they them their theirs
    myself yourself himself herself itself ourselves themselves who whom whose what which that
    the a an this these those al
    and or but nor so yet if because although though while whereas unless until than whether
    here there now then today tonight yesterday tomorrow often never always ever sometimes usually also
    too very just only even still already again soon later earlier once ago instead perhaps maybe
    probably rather quite almost nearly somehow however meanwhile indeed thus hence therefore anyway
    says said saying thinks believes knows seems appears feels wants
"""
_NO_NOUNS = frozenset(_NO_NOUN_WORDS.split())


def is_no_noun(word: str) -> bool:
    """Whether ``word`` (in any case, possessive or not) belongs to a class that never heads a noun
    phrase: an auxiliary ("was", "being"), a pronoun, an article, a conjunction ("and"), an adverb
    ("here", "often") or a verb of saying or thinking ("thinks")."""
    return _bare(word) in _NO_NOUNS
