"""What the extractor finds: a quote with its attribution, and the attribution a rule reads."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..speakers import Resolution

# The confidence of a speaker found by description alone.
DESCRIBED = 0.55


@dataclass(slots=True)
class Found:
    kind: str
    start: int
    end: int
    paragraph: int
    speaker: int | None = None
    mention: str = ""
    cue: str = ""
    via: int | None = None
    confidence: float = 0.0
    rule: str = ""
    continues: Found | None = None
    chain: list[Found] = field(default_factory=list)


@dataclass(slots=True)
class _Attribution:
    resolution: Resolution
    cue: str
    rule: str
    via: Resolution | None = None


def _trim(text: str, found: Found) -> None:
    """Keep a span tight: no surrounding spaces (its text must equal the text between offsets)."""
    while found.start < found.end and text[found.start].isspace():
        found.start += 1
    while found.end > found.start and (
        text[found.end - 1].isspace() or (text[found.end - 1] in ".;:" and found.kind == "indirect")
    ):
        found.end -= 1
