"""Score the pipeline against hand-written gold, so that quote extraction is measured, not assumed.

Gold file (JSON)::

    {
      "format": "quote-gold/1",
      "articles": [
        {
          "id": "seed-000",
          "path": "seeds/articles/000_45b6e82e8c75fc43.txt",   # relative to the repository root
          "title": null,                                        # a separately given title, if any
          "language": "en",
          "roles": [{"role": "title", "starts": "President Xi Jinping urges"}, ...],   # every paragraph
          "quotes": [
            {"kind": "partial", "text": "defy strong powers", "paragraph": 0,
             "speaker": "Xi Jinping", "speaker_kind": "person"},
            ...
          ]
        }
      ]
    }

A quote matches when kind, exact span text and paragraph agree (``paragraph`` may be
left out). Speaker accuracy counts matched quotes of every kind whose speaker's
canonical name equals the gold one (``null`` when nobody is speaking).

Strict speaker accuracy asks whether the right person was found for every gold quote that
has a speaker: a quote missed, found with another kind but no speaker, or given to anyone
else counts against it. The gold names the person a pronoun or a description stands for, so
"she said" is right only when it resolved to her.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from .pipeline import process
from .registry import RegistryFigures, RegistryRun
from .types import ProcessedArticle, SpeakerDirectory

GOLD_FORMAT = "quote-gold/1"
KINDS = ("direct", "partial", "indirect")


class GoldError(ValueError):
    """The gold file itself is wrong (missing article, role list out of step with the text)."""


@dataclass(frozen=True, slots=True)
class GoldQuote:
    kind: str
    text: str
    speaker: str | None
    paragraph: int | None = None
    speaker_kind: str | None = None


@dataclass(frozen=True, slots=True)
class GoldArticle:
    id: str
    path: str
    title: str | None
    language: str
    roles: tuple[tuple[str, str], ...]
    quotes: tuple[GoldQuote, ...]


@dataclass(slots=True)
class Tally:
    gold: int = 0
    predicted: int = 0
    matched: int = 0

    @property
    def recall(self) -> float:
        return self.matched / self.gold if self.gold else 1.0

    @property
    def precision(self) -> float:
        return self.matched / self.predicted if self.predicted else 1.0

    def add(self, other: Tally) -> None:
        self.gold += other.gold
        self.predicted += other.predicted
        self.matched += other.matched


@dataclass(slots=True)
class ArticleResult:
    id: str
    path: str
    tallies: dict[str, Tally] = field(default_factory=lambda: {kind: Tally() for kind in KINDS})
    speakers_correct: int = 0
    speakers_total: int = 0
    strict_correct: int = 0
    strict_total: int = 0
    roles_correct: int = 0
    roles_total: int = 0
    missed: list[dict] = field(default_factory=list)
    spurious: list[dict] = field(default_factory=list)
    wrong_speakers: list[dict] = field(default_factory=list)
    wrong_roles: list[dict] = field(default_factory=list)


@dataclass(slots=True)
class Evaluation:
    articles: list[ArticleResult]
    registry: RegistryFigures = field(default_factory=RegistryFigures)

    def _tally(self, kind: str) -> Tally:
        total = Tally()
        for article in self.articles:
            total.add(article.tallies[kind])
        return total

    @property
    def direct_recall(self) -> float:
        return self._tally("direct").recall

    @property
    def direct_precision(self) -> float:
        return self._tally("direct").precision

    @property
    def partial_recall(self) -> float:
        return self._tally("partial").recall

    @property
    def indirect_recall(self) -> float:
        return self._tally("indirect").recall

    @property
    def speaker_accuracy(self) -> float:
        total = sum(a.speakers_total for a in self.articles)
        return sum(a.speakers_correct for a in self.articles) / total if total else 1.0

    @property
    def strict_speaker_accuracy(self) -> float:
        total = sum(a.strict_total for a in self.articles)
        return sum(a.strict_correct for a in self.articles) / total if total else 1.0

    @property
    def role_accuracy(self) -> float:
        total = sum(a.roles_total for a in self.articles)
        return sum(a.roles_correct for a in self.articles) / total if total else 1.0

    def figures(self) -> dict[str, float]:
        figures = {}
        for kind in KINDS:
            tally = self._tally(kind)
            figures[f"{kind}_recall"] = round(tally.recall, 4)
            figures[f"{kind}_precision"] = round(tally.precision, 4)
        figures["speaker_accuracy"] = round(self.speaker_accuracy, 4)
        figures["strict_speaker_accuracy"] = round(self.strict_speaker_accuracy, 4)
        figures["role_accuracy"] = round(self.role_accuracy, 4)
        figures["junk_person_names"] = len(self.registry.junk)
        figures["quotes_off_main_record"] = self.registry.off_main
        return figures

    def as_dict(self) -> dict:
        return {
            "figures": self.figures(),
            "articles": [asdict(a) for a in self.articles],
            "registry": self.registry.as_dict(),
        }


def load_gold(path: str | Path) -> list[GoldArticle]:
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise GoldError(f"{path}: cannot read gold file: {exc}") from None
    if data.get("format") != GOLD_FORMAT:
        raise GoldError(f'{path}: expected "format": "{GOLD_FORMAT}", got {data.get("format")!r}')
    articles = []
    for number, item in enumerate(data.get("articles", [])):
        try:
            quotes = tuple(
                GoldQuote(
                    kind=q["kind"],
                    text=q["text"],
                    speaker=q.get("speaker"),
                    paragraph=q.get("paragraph"),
                    speaker_kind=q.get("speaker_kind"),
                )
                for q in item.get("quotes", [])
            )
            roles = tuple((r["role"], r.get("starts", "")) for r in item.get("roles", []))
            articles.append(
                GoldArticle(
                    id=item.get("id", item["path"]),
                    path=item["path"],
                    title=item.get("title"),
                    language=item.get("language", "en"),
                    roles=roles,
                    quotes=quotes,
                )
            )
        except (KeyError, TypeError) as exc:
            raise GoldError(f"{path}: article {number}: missing or malformed field {exc}") from None
    return articles


def evaluate_article(gold: GoldArticle, processed: ProcessedArticle) -> ArticleResult:
    result = ArticleResult(gold.id, gold.path)
    text = processed.text
    _score_roles(gold, processed, result)

    predicted = [
        (q.kind, text[q.start : q.end], q.paragraph, q.speaker.name if q.speaker else None)
        for q in processed.quotes
    ]
    unmatched = list(range(len(predicted)))
    for quote in gold.quotes:
        if quote.kind not in KINDS:
            raise GoldError(f"{gold.path}: unknown quote kind {quote.kind!r}")
        result.tallies[quote.kind].gold += 1
        if quote.speaker is not None:
            result.strict_total += 1
            # Any of our quotes with this text will do, whatever its kind: the question is who spoke.
            spoken = [
                p[3]
                for p in predicted
                if p[1] == quote.text and (quote.paragraph is None or p[2] == quote.paragraph)
            ]
            if any(_same_speaker(got, quote.speaker) for got in spoken):
                result.strict_correct += 1
        hit = next(
            (
                n
                for n in unmatched
                if predicted[n][0] == quote.kind
                and predicted[n][1] == quote.text
                and (quote.paragraph is None or predicted[n][2] == quote.paragraph)
            ),
            None,
        )
        if hit is None:
            result.missed.append({"kind": quote.kind, "text": quote.text, "speaker": quote.speaker})
            continue
        unmatched.remove(hit)
        result.tallies[quote.kind].matched += 1
        result.speakers_total += 1
        got = predicted[hit][3]
        if _same_speaker(got, quote.speaker):
            result.speakers_correct += 1
        else:
            result.wrong_speakers.append(
                {"kind": quote.kind, "text": quote.text, "expected": quote.speaker, "got": got}
            )
    for kind, _text, _paragraph, _speaker in predicted:
        result.tallies[kind].predicted += 1
    for n in unmatched:
        kind, quote_text, paragraph, speaker = predicted[n]
        result.spurious.append({"kind": kind, "text": quote_text, "paragraph": paragraph, "speaker": speaker})
    return result


def _same_speaker(got: str | None, expected: str | None) -> bool:
    if got is None or expected is None:
        return got is expected
    return got.casefold() == expected.casefold()


def _score_roles(gold: GoldArticle, processed: ProcessedArticle, result: ArticleResult) -> None:
    if not gold.roles:
        return
    if len(gold.roles) != len(processed.paragraphs):
        raise GoldError(
            f"{gold.path}: gold lists {len(gold.roles)} paragraph roles but the text has "
            f"{len(processed.paragraphs)} paragraphs; fix the gold file"
        )
    for paragraph, (role, starts) in zip(processed.paragraphs, gold.roles, strict=True):
        block = processed.text[paragraph.start : paragraph.end]
        if starts and not block.startswith(starts):
            raise GoldError(
                f"{gold.path}: paragraph {paragraph.position} starts {block[:40]!r}, gold says {starts!r}"
            )
        result.roles_total += 1
        if paragraph.role == role:
            result.roles_correct += 1
        else:
            result.wrong_roles.append(
                {
                    "paragraph": paragraph.position,
                    "expected": role,
                    "got": paragraph.role,
                    "rule": paragraph.rule,
                }
            )


def evaluate(
    gold_paths: Iterable[str | Path], *, root: str | Path, directory: SpeakerDirectory | None = None
) -> Evaluation:
    """Run the pure pipeline over every article named in the gold files and score it.

    Article paths in a gold file are relative to ``root`` (the repository root).
    """
    root = Path(root)
    results = []
    registry = RegistryRun(directory)
    for gold_path in gold_paths:
        for gold in load_gold(gold_path):
            article_path = root / gold.path
            try:
                body = article_path.read_text(encoding="utf-8")
            except OSError as exc:
                raise GoldError(f"{gold_path}: article {gold.id}: cannot read {gold.path}: {exc}") from None
            # Each article gets its own copy so that one article's speakers do not leak into the next.
            local = directory.copy() if directory is not None else None
            processed = process(body, title=gold.title, language=gold.language, directory=local)
            results.append(evaluate_article(gold, processed))
            registry.add(processed)
    return Evaluation(results, registry.figures())
