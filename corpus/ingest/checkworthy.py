"""Check-worthy sentences: which body sentences state something a fact-checker can check.

Rules, not a model: a sentence earns points for what makes a statement checkable — a percentage, an
amount of money, a count or a year, a comparison or a superlative, a record ("the first ever", "the worst
since"), a cause ("because of", "led to"), a statistic someone gave ("according to", "figures show") —
and loses them for what makes it an opinion, a promise or a question. Each suggestion carries the
reasons it scored, so an editor sees why it was suggested. Offsets are code points into the article's
text, like every span.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from .quotes.marks import split_sentences

MIN_SCORE = 1.0  # below this a sentence is not suggested
MIN_WORDS = 6


@dataclass(frozen=True, slots=True)
class Suggestion:
    start: int
    end: int
    text: str
    score: float
    reasons: tuple[str, ...]


def _words(*words: str) -> re.Pattern:
    return re.compile(r"\b(?:" + "|".join(words) + r")\b", re.IGNORECASE)


_NUMBER = r"\d[\d,.]*"
_RULES: tuple[tuple[str, float, re.Pattern], ...] = (
    ("percentage", 2.0, re.compile(rf"{_NUMBER}\s?(?:%|percent\b|per cent\b)|\bpercentage points?\b", re.I)),
    (
        "amount",
        1.5,
        re.compile(
            rf"[$€£¥]\s?{_NUMBER}|{_NUMBER}\s?(?:million|billion|trillion|euros?|dollars?|pounds?|yen)\b",
            re.I,
        ),
    ),
    ("number", 1.0, re.compile(rf"(?<![\w.]){_NUMBER}(?![\w])")),
    (
        "number in words",
        0.8,
        _words(
            "half",
            "a third",
            "a quarter",
            "one in (?:two|three|four|five|ten)",
            "twice",
            "doubled?",
            "tripled?",
            "(?:two|three|four|five|ten)fold",
            "fivefold",
            "hundreds",
            "thousands",
            "millions",
            "twenty",
            "thirty",
            "forty",
            "fifty",
            "a decade",
        ),
    ),
    (
        "comparison",
        1.0,
        _words(
            "more than",
            "less than",
            "fewer than",
            "fewer",
            "higher than",
            "lower than",
            "faster than",
            "slower than",
            "larger than",
            "smaller than",
            "compared with",
            "compared to",
            "up from",
            "down from",
            "rose",
            "risen",
            "rise",
            "fell",
            "fallen",
            "dropped",
            "increased?",
            "decreased?",
            "grown",
            "grew",
            "shrunk",
            "shrank",
            "cuts?",
            "exceeded",
            "exceeds",
            "above",
            "below",
        ),
    ),
    (
        "superlative",
        1.2,
        _words(
            "highest",
            "lowest",
            "largest",
            "biggest",
            "smallest",
            "oldest",
            "newest",
            "busiest",
            "worst",
            "best",
            "fewest",
            "most",
            "least",
            "fastest",
            "slowest",
        ),
    ),
    (
        "record",
        1.5,
        _words(
            "record",
            "on record",
            "ever recorded",
            "first time",
            "first ever",
            "since records began",
            "since counting began",
            "all-time",
            "unprecedented",
            "than ever",
            "ever before",
        ),
    ),
    (
        "causal",
        0.8,
        _words("because of", "because", "caused", "causes", "led to", "due to", "as a result", "driven by"),
    ),
    (
        "source",
        0.8,
        _words(
            "according to",
            "figures show",
            "data show",
            "survey",
            "study",
            "report(?:ed|s)?",
            "statistics",
            "estimates?",
            "found",
            "says?",
            "said",
            "claims?",
            "in a row",
            "behind schedule",
        ),
    ),
)
_OPINION = _words(
    "i think", "i believe", "i feel", "in my view", "should", "must", "ought to", "we will", "will be",
    "promised?", "hope", "deserve", "proud", "scared", "betrayed", "disaster", "good news", "pleased",
)  # fmt: skip
_FIRST_PERSON = _words("i", "we", "us", "our", "my")


def score_sentence(sentence: str) -> tuple[float, tuple[str, ...]]:
    reasons: list[str] = []
    score = 0.0
    for name, weight, pattern in _RULES:
        if pattern.search(sentence):
            score += weight
            reasons.append(name)
    stripped = sentence.rstrip(" \"'”’)")
    if stripped.endswith("?"):
        score -= 3.0
        reasons.append("question (−)")
    if _OPINION.search(sentence):
        score -= 1.5
        reasons.append("opinion or promise (−)")
    if _FIRST_PERSON.search(sentence) and not any(r in reasons for r in ("percentage", "amount", "number")):
        score -= 0.5
        reasons.append("first person (−)")
    if len(sentence.split()) < MIN_WORDS:
        score -= 1.0
        reasons.append("short (−)")
    return round(score, 2), tuple(reasons)


def suggestions(text: str, paragraphs: Iterable[tuple[int, int]]) -> list[Suggestion]:
    """The check-worthy sentences of the given paragraph spans of ``text``, best first (then in reading
    order)."""
    found = []
    for p_start, p_end in paragraphs:
        paragraph = text[p_start:p_end]
        for s_start, s_end in split_sentences(paragraph):
            raw = paragraph[s_start:s_end]
            lead = len(raw) - len(raw.lstrip())
            sentence = raw.strip()
            if not sentence:
                continue
            score, reasons = score_sentence(sentence)
            if score >= MIN_SCORE:
                start = p_start + s_start + lead
                found.append(Suggestion(start, start + len(sentence), sentence, score, reasons))
    found.sort(key=lambda s: (-s.score, s.start))
    return found


@dataclass(frozen=True)
class CheckWorthyScores:
    articles: int
    precision_at_10: float  # mean over articles of the share of the top ten (or fewer) that gold marks
    recall_at_10: float  # share of gold sentences found in their article's top ten
    misses: tuple[str, ...]


def evaluate(gold: dict) -> CheckWorthyScores:
    """Score the rules on gold articles (``tests/gold/checkworthy.json``): each article's text, title
    first, and the sentences a person marked as worth checking. Pure Python, no database."""
    from .pipeline import process

    precisions, found, total, misses = [], 0, 0, []
    for entry in gold["articles"]:
        title, _, body = entry["text"].partition("\n\n")
        processed = process(body, title=title, language=entry.get("language", "en"))
        spans = [(p.start, p.end) for p in processed.paragraphs if p.role in ("body", "standfirst")]
        top = suggestions(processed.text, spans)[:10]
        marked = set(entry["checkworthy"])
        right = sum(s.text in marked for s in top)
        precisions.append(right / len(top) if top else 0.0)
        found += right
        total += len(marked)
        misses.extend(f"{entry['key']}: {m}" for m in sorted(marked - {s.text for s in top}))
    return CheckWorthyScores(
        articles=len(precisions),
        precision_at_10=sum(precisions) / len(precisions) if precisions else 0.0,
        recall_at_10=found / total if total else 1.0,
        misses=tuple(misses),
    )
