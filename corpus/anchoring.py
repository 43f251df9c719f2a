"""Finding a passage again after the text around it changed (re-anchoring).

Given the old text, a span in it (offsets plus the W3C TextQuoteSelector: exact, prefix, suffix) and the
new text, find where the passage now is:

1. **exact**: every occurrence of ``exact`` in the new text is a candidate; the one whose surrounding text
   agrees best with the stored prefix and suffix wins, then the one nearest where the old position maps
   to in the new text (a word-level diff of the two texts gives that mapping, see ``PositionMap``).
2. **fuzzy**: otherwise, the best approximate occurrence near the mapped position, accepted only when its
   edit distance is at most ``MAX_EDIT_RATIO`` of the passage's length; its ends are then tightened to
   the closest match. Short passages are never placed fuzzily: a few letters match too many places.
3. **orphaned**: otherwise. The caller keeps the item, flagged, for an editor to re-place.

A placed passage always reads (almost) the same words as before; when unsure, it is an orphan.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

MAX_EDIT_RATIO = 0.2
MIN_FUZZY_LENGTH = 12
SHORT_EXACT = 24
_TOKEN = re.compile(r"\w+|[^\w\s]", re.UNICODE)
# rapidfuzz is imported where a passage is placed: the modules importing this one (corpus.services, so
# every command) need not load it to start.


@dataclass(frozen=True, slots=True)
class Placement:
    method: str  # exact | fuzzy | orphaned
    start: int | None = None
    end: int | None = None
    score: float = 0.0  # 1.0 for exact; similarity for fuzzy; 0 for orphaned


class PositionMap:
    """Maps code-point offsets of the old text to the new one, through a word-level diff.

    The diff is rapidfuzz's longest common subsequence, in two passes: the lines of the two texts first
    (a line found unchanged maps as a whole), then the words of each stretch of lines that changed. A
    revision that edits a few paragraphs of a long article is then a few small diffs, not one of every
    word against every word (which grows with the square of the length)."""

    def __init__(self, old: str, new: str):
        from rapidfuzz.distance import LCSseq

        old_lines = _lines(old)
        new_lines = _lines(new)
        # Pairs of (old offset, new offset) where the same text starts in both: an unchanged line, or a
        # word the two versions of a changed stretch share. Offsets between two pairs follow the first.
        self._old: list[int] = []
        self._new: list[int] = []
        ids: dict[str, int] = {}
        old_keys = [ids.setdefault(line, len(ids)) for _, line in old_lines]
        new_keys = [ids.setdefault(line, len(ids)) for _, line in new_lines]
        # Runs of equal lines, and between them the stretches that changed (LCSseq reports a changed
        # stretch as a deletion next to an insertion), as (equal, old lines, new lines).
        stretches: list[tuple[bool, int, int, int, int]] = []
        for op in LCSseq.opcodes(old_keys, new_keys):
            equal = op.tag == "equal"
            if stretches and not equal and not stretches[-1][0]:
                _, a1, _, b1, _ = stretches.pop()
                stretches.append((False, a1, op.src_end, b1, op.dest_end))
            else:
                stretches.append((equal, op.src_start, op.src_end, op.dest_start, op.dest_end))
        for equal, a1, a2, b1, b2 in stretches:
            if equal:
                self._old.extend(start for start, _ in old_lines[a1:a2])
                self._new.extend(start for start, _ in new_lines[b1:b2])
            elif a1 < a2 and b1 < b2:
                old_words = _words(old_lines[a1:a2])
                new_words = _words(new_lines[b1:b2])
                words: dict[str, int] = {}
                a = [words.setdefault(word, len(words)) for _, word in old_words]
                b = [words.setdefault(word, len(words)) for _, word in new_words]
                for op in LCSseq.opcodes(a, b):
                    if op.tag == "equal":
                        self._old.extend(start for start, _ in old_words[op.src_start : op.src_end])
                        self._new.extend(start for start, _ in new_words[op.dest_start : op.dest_end])
        self._new_length = len(new)
        self._old_length = len(old)

    def __call__(self, offset: int) -> int:
        if not self._old:
            return round(offset * self._new_length / max(1, self._old_length))
        index = bisect.bisect_right(self._old, offset) - 1
        if index < 0:
            return max(0, self._new[0] - (self._old[0] - offset))
        return min(self._new_length, self._new[index] + (offset - self._old[index]))


def _lines(text: str) -> list[tuple[int, str]]:
    """The lines of ``text`` holding a word or a sign, with their offsets."""
    lines = []
    start = 0
    for line in text.split("\n"):
        if line and not line.isspace():
            lines.append((start, line))
        start += len(line) + 1
    return lines


def _words(lines: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """The tokens (words and signs) of ``lines`` with their offsets: no token spans a line break."""
    return [(start + m.start(), m.group()) for start, line in lines for m in _TOKEN.finditer(line)]


def _common_suffix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(reversed(a), reversed(b), strict=False):
        if x != y:
            break
        n += 1
    return n


def _common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def _exact(new: str, exact: str, prefix: str, suffix: str, expected: int) -> Placement | None:
    best: tuple | None = None
    position = new.find(exact)
    while position != -1:
        end = position + len(exact)
        context = _common_suffix(prefix, new[max(0, position - len(prefix)) : position]) + _common_prefix(
            suffix, new[end : end + len(suffix)]
        )
        distance = abs(position - expected)
        key = (-(context // 8), distance)
        if best is None or key < best[0]:
            best = (key, position, end, context, distance)
        position = new.find(exact, position + 1)
    if best is None:
        return None
    _, start, end, context, distance = best
    if len(exact) <= SHORT_EXACT and context < 4 and distance > 4 * len(exact) + 40:
        # A short phrase with nothing around it agreeing, far from where it was: probably other words.
        return None
    return Placement("exact", start, end, 1.0)


def _fuzzy(new: str, exact: str, expected: int) -> Placement | None:
    from rapidfuzz import fuzz
    from rapidfuzz.distance import Levenshtein

    length = len(exact)
    if length < MIN_FUZZY_LENGTH:
        return None
    budget = max(1, int(length * MAX_EDIT_RATIO))
    radius = max(600, 4 * length)
    windows = [(max(0, expected - radius), min(len(new), expected + length + radius)), (0, len(new))]
    for lo, hi in windows:
        alignment = fuzz.partial_ratio_alignment(
            exact, new[lo:hi], score_cutoff=100 * (1 - 2 * MAX_EDIT_RATIO)
        )
        if alignment is None:
            continue
        start, end = lo + alignment.dest_start, lo + alignment.dest_end
        start, end = _tighten(new, exact, start, end, budget)
        distance = Levenshtein.distance(exact, new[start:end])
        if distance <= budget:
            return Placement("fuzzy", start, end, round(1 - distance / max(length, end - start), 4))
    return None


def _tighten(new: str, exact: str, start: int, end: int, budget: int) -> tuple[int, int]:
    """Move each end of a rough alignment to where the edit distance to ``exact`` is smallest."""
    from rapidfuzz.distance import Levenshtein

    def cost(s: int, e: int) -> int:
        return Levenshtein.distance(exact, new[s:e]) if s < e else len(exact)

    best_start = min(
        range(max(0, start - budget), min(end, start + budget) + 1),
        key=lambda s: (cost(s, end), abs(s - start)),
    )
    best_end = min(
        range(max(best_start + 1, end - budget), min(len(new), end + budget) + 1),
        key=lambda e: (cost(best_start, e), abs(e - end)),
    )
    return best_start, best_end


def reanchor(
    *,
    old_text: str,
    new_text: str,
    start: int,
    end: int,
    exact: str,
    prefix: str = "",
    suffix: str = "",
    position_map: PositionMap | None = None,
) -> Placement:
    """Where the passage ``exact`` (at ``start:end`` of ``old_text``) is in ``new_text``."""
    if not exact:
        return Placement("orphaned")
    mapping = position_map or PositionMap(old_text, new_text)
    expected = mapping(start)
    return (
        _exact(new_text, exact, prefix, suffix, expected)
        or _fuzzy(new_text, exact, expected)
        or Placement("orphaned")
    )
