"""Turn raw input into the normalized paragraphs that ``Article.text`` is made of.

The rule (docs/contract.md): each block becomes a paragraph; Unicode NFC; invisible
format characters removed (U+200B, U+2060, U+FEFF, soft hyphen; never
U+200C/U+200D, which emoji and many scripts need); other control characters
removed; runs of spaces and tabs folded to one space; ends trimmed. Paragraphs
are joined by a blank line. Quotation marks, dashes and spam tokens are kept.
"""

from __future__ import annotations

import re
import unicodedata

PARAGRAPH_SEPARATOR = "\n\n"

# Invisible characters that carry no meaning in running text. U+200C (ZWNJ)
# and U+200D (ZWJ) are deliberately absent: emoji sequences and Indic or
# Persian scripts need them.
_INVISIBLE = "\u00ad\u200b\u2060\ufeff"
# C0 and C1 controls; the tab is kept here and folded to a space below.
_CONTROL = "".join(chr(c) for c in [*range(0x00, 0x09), *range(0x0A, 0x20), *range(0x7F, 0xA0)])
_DROP = str.maketrans("", "", _INVISIBLE + _CONTROL)
# Finding one is much cheaper than translating a block that holds none, the usual case.
_DROPPED = re.compile("[" + "".join(f"\\u{ord(c):04x}" for c in _INVISIBLE + _CONTROL) + "]")
_SPACES = re.compile(r"[ \t]+")
# A block ends at one or more line breaks (CRLF, CR, LF, and the Unicode line
# and paragraph separators, which some scrapers emit). A run of them is one break.
_BLOCK_BREAK = re.compile(r"[\r\n\u2028\u2029\x0b\x0c\x85]+")
# The breaks other than the line feed: looking for each is much cheaper than splitting at the pattern.
_OTHER_BREAKS = ("\r", "\x0b", "\x0c", "\x85", "\u2028", "\u2029")


def normalize_block(block: str) -> str:
    """Normalize one block; the result may be empty (a block of only invisibles)."""
    block = unicodedata.normalize("NFC", block)
    # (Printable ASCII holds none of them, and telling so is cheaper than the search.)
    if not (block.isascii() and block.isprintable()) and _DROPPED.search(block):
        block = block.translate(_DROP)
    if "\t" in block or "  " in block:
        block = _SPACES.sub(" ", block)
    return block.strip(" ")


def is_blank(text: str) -> bool:
    """Whether ``text`` shows a reader nothing: only spaces, line breaks, controls and the invisible format
    characters that normalization removes. Such text is refused wherever words are required."""
    return not normalize_block(_BLOCK_BREAK.sub(" ", text)).strip()


def split_blocks(raw: str) -> list[str]:
    """Split raw text into blocks at line breaks, dropping blocks that normalize to nothing."""
    # Where the line feed is the only break, splitting at each one is the same: the empty parts between
    # two of them are dropped below, as blocks of nothing.
    parts = _BLOCK_BREAK.split(raw) if any(brk in raw for brk in _OTHER_BREAKS) else raw.split("\n")
    blocks = (normalize_block(part) for part in parts)
    return [b for b in blocks if b]


def join_paragraphs(paragraphs: list[str]) -> str:
    return PARAGRAPH_SEPARATOR.join(paragraphs)
