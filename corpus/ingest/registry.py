"""Registry figures: how clean the shared speaker registry comes out of a run of articles.

The quotes' speakers are filed as ingest files them (``registry_file``: a bare surname to the person it
means, then by name, by alias; a record of a bare surname filed before its person was known joins that
person once it is the one the surname means, as ``registry_fold_surnames`` merges it in the store), then
two things are counted: person records whose name names
nobody (``is_junk_person_name``: "The", "Obama Sees", "Rev"), and quotes filed off their person's main
record ("Obama" or "Barack H. Obama" beside "Barack Obama").
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from .speakers import is_junk_person_name, registry_file
from .types import LOCAL_SPEAKER_KINDS, ProcessedArticle, SpeakerDirectory, short_form


@dataclass(slots=True)
class RegistryFigures:
    persons: int = 0  # person records quoted at least once
    junk: list[str] = field(default_factory=list)  # junk person names, sorted
    quotes: int = 0  # quotes of person records
    off_main: int = 0  # of those, filed off their person's main record
    top: list[tuple[int, str, list[str]]] = field(default_factory=list)  # (quotes, main, every record)
    counts: dict[str, int] = field(default_factory=dict)  # quotes per person record

    @property
    def top_on_one_record(self) -> int:
        """How many of the most-quoted people have all their quotes under one record."""
        return sum(1 for _quotes, _main, records in self.top if len(records) == 1)

    def as_dict(self) -> dict:
        return {
            "persons": self.persons,
            "junk_person_names": self.junk,
            "person_quotes": self.quotes,
            "quotes_off_main_record": self.off_main,
            "most_quoted": [{"quotes": q, "main": m, "records": r} for q, m, r in self.top],
        }


class RegistryRun:
    """Files the speakers of articles into one registry, as a run of ingests would."""

    def __init__(self, directory: SpeakerDirectory | None = None) -> None:
        self.directory = directory.copy() if directory is not None else SpeakerDirectory()
        self.records: Counter[tuple[str, str]] = Counter()

    def add(self, processed: ProcessedArticle) -> None:
        for quote in processed.quotes:
            ref = quote.speaker
            if ref is None:
                continue
            if ref.kind in LOCAL_SPEAKER_KINDS:
                self.records[(ref.name, ref.kind)] += 1
                continue
            filed = registry_file(self.directory, ref)
            self.records[(filed.name, filed.kind)] += 1
            self.directory.weights[filed.name] = self.directory.weights.get(filed.name, 0) + 1
            bare = self.directory.fold_surname(filed)
            if bare is not None:
                # As the store merges the bare surname's record into the person it now means.
                self.records[(filed.name, filed.kind)] += self.records.pop((bare.name, bare.kind), 0)

    def figures(self, top: int = 5) -> RegistryFigures:
        return registry_figures(self.records, top=top)


def _last_word(name: str) -> str:
    word = name.split()[-1] if name.split() else ""
    return word.removesuffix("'s").removesuffix("’s").rstrip("'’").casefold()


def registry_figures(records: Counter[tuple[str, str]], *, top: int = 5) -> RegistryFigures:
    """Figures over ``records`` ((canonical name, kind) -> quotes). A person's main record is the
    most-quoted record of their surname and first name; a record with the same surname is the same
    person when it gives no first name or the same one ("Obama", "Barack H. Obama", "President Obama"),
    and a junk record is counted under the surname it ends with."""
    figures = RegistryFigures()
    persons = {name: n for (name, kind), n in records.items() if kind == "person" and name.split()}
    figures.persons = len(persons)
    figures.counts = persons
    figures.junk = sorted(name for name in persons if is_junk_person_name(name))
    figures.quotes = sum(persons.values())
    by_surname: dict[str, list[str]] = {}
    for name in persons:
        if not is_junk_person_name(name):
            by_surname.setdefault(_last_word(name), []).append(name)
    for name in figures.junk:
        # "Obama Sees", "Railing Against Trump": under the surname they hold, else on their own.
        words = [w.removesuffix("'s").removesuffix("’s").casefold() for w in name.split()]
        held = next((w for w in reversed(words) if w in by_surname), _last_word(name))
        by_surname.setdefault(held, []).append(name)
    people: list[tuple[int, str, list[str]]] = []
    for names in by_surname.values():
        full = [n for n in names if len(n.split()) > 1 and not is_junk_person_name(n)]
        # One person per first name; the bare surname and junk forms go to the most-quoted of them.
        firsts: dict[str, list[str]] = {}
        for name in sorted(full, key=lambda n: (-persons[n], n)):
            firsts.setdefault(short_form(name).split()[0].casefold(), []).append(name)
        groups = sorted(firsts.values(), key=lambda g: -sum(persons[n] for n in g))
        strays = [n for n in names if n not in full]
        if groups:
            groups[0] = groups[0] + strays
        elif strays:
            groups = [sorted(strays, key=lambda n: (-persons[n], n))]
        for group in groups:
            main = max(group, key=lambda n: (persons[n], n not in strays))
            quotes = sum(persons[n] for n in group)
            figures.off_main += quotes - persons[main]
            people.append((quotes, main, sorted(group, key=lambda n: (-persons[n], n))))
    people.sort(key=lambda p: (-p[0], p[1]))
    figures.top = people[:top]
    return figures


def figures_of(
    articles: Iterable[ProcessedArticle], directory: SpeakerDirectory | None = None
) -> RegistryFigures:
    run = RegistryRun(directory)
    for processed in articles:
        run.add(processed)
    return run.figures()
