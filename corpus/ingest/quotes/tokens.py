"""Tokens of a masked paragraph: words, punctuation, quotation marks and masked quotes."""

from __future__ import annotations

import re
from bisect import bisect_left
from operator import itemgetter
from typing import NamedTuple

from ..speakers import is_capitalized
from .lexicon import _ABBREVIATIONS
from .marks import _RUN_ON_STOP, MASK, run_on_stop

# Each kind of token in a group of its own: a word of word characters alone (most are: nothing to strip
# or split), any other word, punctuation, a quotation mark or masked quote.
_TOKEN = re.compile(
    "(\\w++)(?![\\w'\u2019.\\-])|(\\w[\\w'\u2019.\\-]*)|([,;:])"
    "|([\"\u201c\u201d\u201e\u00ab\u00bb\u2018\u2019']|" + MASK + "+)"
)


class Tok(NamedTuple):
    # A tuple: made from its values in one step, where a class with slots runs an __init__ per token.
    text: str
    low: str
    start: int
    end: int
    kind: str  # w (word), p (punctuation), q (quote mark or masked quote)


# The same tokens, each with the run before it that starts none (so one ``findall`` gives every token and
# where it is, without a match object for each).
_GAP_AND_TOKEN = re.compile(
    "([^\\w,;:\"\u201c\u201d\u201e\u00ab\u00bb\u2018\u2019'" + MASK + "]*+)(?:" + _TOKEN.pattern + ")"
)


def tokenize(masked: str, start: int, end: int, *, to_quote: bool = False) -> list[Tok]:
    """The tokens of ``masked[start:end]``; with ``to_quote``, only those before its first quotation mark
    or masked quote."""
    tokens: list[Tok] = []
    append = tokens.append
    make = tuple.__new__
    at = start
    for gap, word, other, punctuation, mark in _GAP_AND_TOKEN.findall(masked, start, end):
        at += len(gap)
        if word:
            upto = at + len(word)
            append(make(Tok, (word, word.casefold(), at, upto, "w")))
        elif not other:
            if mark:
                if to_quote:
                    break
                upto = at + len(mark)
                append(make(Tok, (mark, mark, at, upto, "q")))
            else:
                upto = at + 1
                append(make(Tok, (punctuation, punctuation, at, upto, "p")))
        else:
            text = other
            upto = at + len(text)
            if "." in text[:-1]:
                run_on = _RUN_ON_STOP.match(masked, at)
                if run_on is not None and run_on_stop(run_on):
                    # "said.Cole", "Hale.She": two words, a full stop with no space between them.
                    word = run_on.group(1)
                    append(make(Tok, (word, word.casefold(), run_on.start(), run_on.end() - 1, "w")))
                    tokens.extend(tokenize(masked, run_on.end(), upto))
                    at = upto
                    continue
            stripped = text
            if text[-1] in _WORD_TAIL:
                stripped = text.rstrip("'\u2019-")
                if (
                    stripped.endswith(".")
                    and stripped.count(".") == 1
                    and stripped[:-1].casefold() not in _ABBREVIATIONS
                ):
                    stripped = stripped[:-1]
                if not stripped:
                    at = upto
                    continue
            append(make(Tok, (stripped, stripped.casefold(), at, at + len(stripped), "w")))
        at = upto
    return tokens


_START = itemgetter(2)  # Tok.start

# A word token's match may end in these; the token itself leaves them out (all but an abbreviation's dot).
_WORD_TAIL = "'\u2019-."


class _TokenIndex:
    """One string tokenized once; any stretch of it is then a slice of that list.

    ``tokenize(s, a, b)`` equals the tokens whose matches lie within ``[a, b)``, because the token
    pattern looks neither behind nor ahead, unless a match straddles ``a`` or ``b``: then the stretch is
    tokenized on its own, as before.
    """

    __slots__ = ("starts", "text", "tokens")

    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = tokenize(text, 0, len(text))
        self.starts = list(map(_START, self.tokens))  # a token starts where its match does

    def _match_end(self, index: int) -> int:
        """Where the match of token ``index`` ends: a word's match runs on over the tail it left out."""
        tok = self.tokens[index]
        end = tok.end
        if tok.kind == "w":
            text = self.text
            while end < len(text) and text[end] in _WORD_TAIL:
                end += 1
        return end

    def between(self, start: int, end: int) -> list[Tok]:
        starts = self.starts
        first = bisect_left(starts, start)
        if first and self._match_end(first - 1) > start:
            return tokenize(self.text, start, end)
        last = bisect_left(starts, end, first)
        if last > first and self._match_end(last - 1) > end:
            return tokenize(self.text, start, end)
        return self.tokens[first:last]


def _is_cap(tok: Tok) -> bool:
    return tok.kind == "w" and is_capitalized(tok.text)
