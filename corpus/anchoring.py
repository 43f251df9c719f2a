"""Finding a passage again after the text around it changed (re-anchoring).

Given the old text, a span in it (offsets plus the W3C TextQuoteSelector: exact, prefix, suffix) and the
new text, find where the passage now is:

1. **exact**: every occurrence of ``exact`` in the new text is a candidate; the one whose surrounding text
   agrees best with the stored prefix and suffix wins, then the one nearest where the old position maps
   to in the new text (a word-level diff of the two texts gives that mapping).
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
from difflib import SequenceMatcher

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

MAX_EDIT_RATIO = 0.2
MIN_FUZZY_LENGTH = 12
SHORT_EXACT = 24
_TOKEN = re.compile(r"\w+|[^\w\s]", re.UNICODE)


@dataclass(frozen=True, slots=True)
class Anchor:
    method: str  # exact | fuzzy | orphaned
    start: int | None = None
    end: int | None = None
    score: float = 0.0  # 1.0 for exact; similarity for fuzzy; 0 for orphaned


class PositionMap:
    """Maps code-point offsets of the old text to the new one, through a word-level diff."""

    def __init__(self, old: str, new: str):
        old_tokens = [(m.start(), m.group()) for m in _TOKEN.finditer(old)]
        new_tokens = [(m.start(), m.group()) for m in _TOKEN.finditer(new)]
        matcher = SequenceMatcher(
            None, [t for _, t in old_tokens], [t for _, t in new_tokens], autojunk=False
        )
        # Pairs of (old offset, new offset) at the start of every matching run of tokens.
        self._old: list[int] = []
        self._new: list[int] = []
        for block in matcher.get_matching_blocks():
            if block.size == 0:
                continue
            for i in range(block.size):
                self._old.append(old_tokens[block.a + i][0])
                self._new.append(new_tokens[block.b + i][0])
        self._new_length = len(new)
        self._old_length = len(old)

    def __call__(self, offset: int) -> int:
        if not self._old:
            return round(offset * self._new_length / max(1, self._old_length))
        index = bisect.bisect_right(self._old, offset) - 1
        if index < 0:
            return max(0, self._new[0] - (self._old[0] - offset))
        return min(self._new_length, self._new[index] + (offset - self._old[index]))


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


def _exact(new: str, exact: str, prefix: str, suffix: str, expected: int) -> Anchor | None:
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
    return Anchor("exact", start, end, 1.0)


def _fuzzy(new: str, exact: str, expected: int) -> Anchor | None:
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
            return Anchor("fuzzy", start, end, round(1 - distance / max(length, end - start), 4))
    return None


def _tighten(new: str, exact: str, start: int, end: int, budget: int) -> tuple[int, int]:
    """Move each end of a rough alignment to where the edit distance to ``exact`` is smallest."""

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
) -> Anchor:
    """Where the passage ``exact`` (at ``start:end`` of ``old_text``) is in ``new_text``."""
    if not exact:
        return Anchor("orphaned")
    mapping = position_map or PositionMap(old_text, new_text)
    expected = mapping(start)
    return (
        _exact(new_text, exact, prefix, suffix, expected)
        or _fuzzy(new_text, exact, expected)
        or Anchor("orphaned")
    )
