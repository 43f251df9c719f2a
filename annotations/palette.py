"""Colours of the tags on the annotate screen, kept apart from each other and from the screen's own marks.

A tag keeps its stored colour when that colour is far enough (CIE76 distance in Lab) from the quote
underline, the spam mark, the browser's selection and every tag coloured before it; otherwise it gets
the first colour of a fixed palette that is. Deterministic: the same vocabulary is drawn the same way
on every page, and the label bar shows the colours the highlights use.
"""

from __future__ import annotations

from collections.abc import Iterable

QUOTE_COLOUR = "#7e57c2"
SPAM_COLOUR = "#c62828"
# Chromium's selection highlight, and the focus ring of the admin.
SELECTION_COLOURS = ("#b4d7ff", "#3390ff")
RESERVED = (QUOTE_COLOUR, SPAM_COLOUR, *SELECTION_COLOURS)

MIN_DISTANCE = 20.0

# Saturated and mid-tone colours spread over the hue circle, then lighter and darker variants.
PALETTE = (
    "#e6a100",
    "#2e7d32",
    "#00897b",
    "#d81b60",
    "#6d4c41",
    "#827717",
    "#ef6c00",
    "#00838f",
    "#558b2f",
    "#ad1457",
    "#5d4037",
    "#f9a825",
    "#1b5e20",
    "#004d40",
    "#880e4f",
    "#bf360c",
    "#9e9d24",
    "#ff8a65",
    "#4db6ac",
    "#aed581",
    "#f48fb1",
    "#ffd54f",
    "#a1887f",
    "#26a69a",
    "#795548",
    "#c0ca33",
    "#8bc34a",
    "#ff7043",
    "#ec407a",
    "#ffca28",
    "#006064",
    "#33691e",
    "#263238",
    "#9e9e9e",
    "#e65100",
    "#01579b",
    "#80deea",
    "#fff176",
    "#c5e1a5",
    "#3e2723",
    "#ff6f00",
    "#f06292",
    "#b0bec5",
    "#1a237e",
    "#e0e0e0",
    "#607d8b",
    "#d4e157",
    "#ffab91",
)


def _linear(channel: float) -> float:
    return channel / 12.92 if channel <= 0.04045 else ((channel + 0.055) / 1.055) ** 2.4


def lab(colour: str) -> tuple[float, float, float]:
    """CIE Lab (D65) of a ``#rrggbb`` colour."""
    value = colour.lstrip("#")
    r, g, b = (_linear(int(value[i : i + 2], 16) / 255) for i in (0, 2, 4))
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116

    fx, fy, fz = f(x), f(y), f(z)
    return 116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)


def distance(one: str, other: str) -> float:
    a, b = lab(one), lab(other)
    return sum((p - q) ** 2 for p, q in zip(a, b, strict=True)) ** 0.5


def _valid(colour: str) -> bool:
    value = colour.lstrip("#") if isinstance(colour, str) else ""
    return len(value) == 6 and all(c in "0123456789abcdefABCDEF" for c in value)


def display_colours(colours: Iterable[str]) -> list[str]:
    """The colour to draw each tag with, in the order given (the vocabulary's order)."""
    taken: list[str] = list(RESERVED)
    chosen: list[str] = []
    for colour in colours:
        wanted = colour.lower() if _valid(colour) else None
        if wanted is None or min(distance(wanted, other) for other in taken) < MIN_DISTANCE:
            free = [c for c in PALETTE if c not in taken]
            # The palette colour farthest from everything taken (the first on a tie).
            wanted = (
                max(free, key=lambda c: min(distance(c, other) for other in taken)) if free else "#9e9e9e"
            )
        taken.append(wanted)
        chosen.append(wanted)
    return chosen
