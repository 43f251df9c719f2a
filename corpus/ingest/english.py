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


def is_only_common_word(word: str) -> bool:
    """Whether ``word`` (in any case, possessive or not) is an English common word that is never
    anyone's name: "Attorneys", "Sad", "Adding", "Politicos"; not "Rice", which names people too."""
    bare = word.removesuffix("'s").removesuffix("\u2019s").rstrip("'\u2019.,:;").casefold()
    return bare in _common_words()
