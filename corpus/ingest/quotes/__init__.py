"""Find direct, partial and indirect quotations and who said them, by rules an editor can follow.

Each paragraph is scanned once for quotation marks (``marks``); quoted stretches are then masked
so that sentence splitting and cue finding never look inside a quote. Attribution (``subjects``,
``clauses``, ``extractor`` and its reported-speech rules in ``reported``) reads a bounded window of
tokens (``tokens``) around each quote or cue, with the words of ``lexicon``, which keeps the whole pass
linear in the length of the text, however hostile the input.
"""

from .extractor import Found, QuoteExtractor
from .lexicon import PARTIAL_VERBS, SPEECH_VERBS
from .marks import MASK, Pair, find_pairs, mask, split_sentences
from .tokens import Tok, tokenize

__all__ = [
    "MASK",
    "PARTIAL_VERBS",
    "SPEECH_VERBS",
    "Found",
    "Pair",
    "QuoteExtractor",
    "Tok",
    "find_pairs",
    "mask",
    "split_sentences",
    "tokenize",
]
