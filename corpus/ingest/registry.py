"""Registry figures: how clean the shared speaker registry comes out of a run of articles.

The quotes' speakers are filed as ingest files them (``registry_file``: a bare surname to the person it
means, then by name, by alias; a record of a bare surname filed before its person was known joins that
person once it is the one the surname means, as ``registry_fold_surnames`` merges it in the store), then
two things are counted: person records whose name names
nobody (``is_junk_person_name``: "The", "Obama Sees", "Rev"; or, by the evaluation's own word lists,
``names_no_person``: a place, an organization, an event, a date or an all-capitals dateline), and quotes
filed off their person's main record ("Obama" or "Barack H. Obama" beside "Barack Obama").
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from .english import is_no_noun
from .speakers import is_junk_person_name, registry_file, wordset
from .types import LOCAL_SPEAKER_KINDS, ProcessedArticle, SpeakerDirectory, short_form


@dataclass(slots=True)
class RegistryFigures:
    persons: int = 0  # person records quoted at least once
    junk: list[str] = field(default_factory=list)  # junk person names, sorted
    quotes: int = 0  # quotes of person records
    off_main: int = 0  # of those, filed off their person's main record
    top: list[tuple[int, str, list[str]]] = field(default_factory=list)  # (quotes, main, every record)
    counts: dict[str, int] = field(default_factory=dict)  # quotes per person record
    local: int = 0  # article-local speakers (descriptions and groups) quoted at least once
    local_junk: list[str] = field(default_factory=list)  # of those, the names with no head noun, sorted

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
            "local_speakers": self.local,
            "junk_local_speaker_names": self.local_junk,
            "most_quoted": [{"quotes": q, "main": m, "records": r} for q, m, r in self.top],
        }


# The evaluation's own lists, kept apart from the attribution rules' on purpose: what counts as junk
# must not change when the rules it judges learn a word.
_JUDGE_PLACES = wordset(
    """
    alabama alaska arizona arkansas california colorado connecticut delaware florida georgia hawaii idaho
    illinois indiana iowa kansas kentucky louisiana maine maryland massachusetts michigan minnesota
    mississippi missouri montana nebraska nevada ohio oklahoma oregon pennsylvania tennessee texas utah
    vermont virginia washington wisconsin wyoming america europe asia africa afghanistan australia austria
    belgium brazil britain canada chile china cuba egypt england france germany greece india indonesia iran
    iraq ireland israel italy japan korea lebanon libya mexico netherlands nigeria pakistan poland
    russia scotland spain sweden switzerland syria turkey ukraine venezuela vietnam yemen atlanta baltimore
    beijing berlin boston brussels chicago cleveland columbus dallas denver detroit flint houston london
    louisville miami milwaukee moscow orlando paris philadelphia phoenix pittsburgh sacramento seattle
    tokyo wilmington worcester huntsville liverpool manchester benghazi ala. ariz. ark. calif. colo.
    conn. fla. ga. ill. ind. kan. ky. la. md. mass. mich. minn. miss. mo. mont. neb. nev. okla. ore. pa.
    tenn. tex. va. vt. wash. wis. wyo.
    """
)
# Words that open a place's name ("North Korea", "New Hampshire", "Las Vegas") or end it ("Wall Street").
_JUDGE_PLACE_LEADS = wordset("north south east west new san santa los las saint st. fort")
_JUDGE_PLACE_HEADS = wordset(
    "street valley belt state states city county island islands coast strip bay river district province"
)
# A word of these anywhere makes the name an organization, a body, an event or a document.
_JUDGE_NOT_PERSON_WORDS = wordset(
    """
    partnership party committee committees council institute foundation association campaign train
    coalition alliance agency department ministry university college school group fund bank corporation
    company inc. inc llc network news times post journal tribune sentinel standard beacon insider
    research survey patrol enforcement consortium action usa act agreement convention international
    studies development dialogue security protection report transcript church union society league club
    center centre board commission office bureau court congress administration government press media pac
    pacs pollster summit caucus primary debate rally flight
    """
)
_JUDGE_DATES_AND_NUMBERS = wordset(
    """
    monday tuesday wednesday thursday friday saturday sunday january february march april june july
    august september october november december one two three four five six seven eight nine ten eleven
    twelve thirteen twenty hundred thousand
    """
)
# Well-known names of groups, places and events that are written like a person's.
_JUDGE_KNOWN = frozenset(
    {
        "al qaeda",
        "islamic state",
        "sandy hook",
        "black lives matter",
        "capitol hill",
        "planned parenthood",
        "election day",
        "super tuesday",
    }
)
_JUDGE_CONTRACTION = re.compile("['\u2019](?:ve|d|ll|re|m)$")
_CAPITALS = re.compile(r"[A-Z][A-Z\-&.]*[A-Z]")
_ROMAN = re.compile(r"[IVX]+")


def names_no_person(name: str) -> bool:
    """True for a person record's name that, by the evaluation's own word lists, is no person's: a place
    ("North Korea", "Las Vegas"), an organization, body, event or document ("Investment Partnership",
    "Trump Train", "Super Tuesday"), a date or a number word alone, a word in capitals of three letters or
    more ("WASHINGTON", an outlet or a dateline run into a name), or a well-known group ("Al Qaeda")."""
    words = name.split()
    lowered = [w.casefold().strip(",") for w in words]
    if not words:
        return False
    if " ".join(lowered) in _JUDGE_KNOWN or " ".join(lowered) in _JUDGE_PLACES:
        return True
    if any(w in _JUDGE_NOT_PERSON_WORDS for w in lowered):
        return True
    if len(words) == 1 and lowered[0] in _JUDGE_PLACES | _JUDGE_DATES_AND_NUMBERS:
        return True
    if len(words) > 1 and (
        lowered[0] in _JUDGE_PLACE_LEADS
        or lowered[-1] in _JUDGE_PLACE_HEADS
        or all(w in _JUDGE_PLACES for w in lowered)
    ):
        return True
    if _JUDGE_CONTRACTION.search(lowered[-1]):
        return True  # "I've", "She'd"
    bare = [w.strip(".,") for w in words]
    return any(
        sum(c.isalpha() for c in w) >= 3 and _CAPITALS.fullmatch(w) and not _ROMAN.fullmatch(w) for w in bare
    )


def _is_junk_in_registry(name: str) -> bool:
    return is_junk_person_name(name) or names_no_person(name)


def written_as_a_name(text: str, word: str) -> bool:
    """Whether an article writes a one-word person name capitalized inside a sentence, outside a
    headline, as a name is written ("said Ross", "Ms. Ross", "“...,” Ross said"), not only where a
    sentence opens. The evaluation's own reading, apart from the attribution rules'. A word written
    so by no article that quotes it, and in lowercase anywhere in the run ("for hours"), is a common
    word ("Hours later, ..."), not a name. Where a paragraph opens, what follows tells: a reflexive of
    one person ("Ross herself") or a verb of saying agreeing with one speaker ("Ross says", and "Ross
    said" unless the word reads as a plural) is said only of a person, if the article never writes the
    word in lowercase ("Staff said" beside "the staff")."""
    for match in re.finditer(rf"(?<![\w'\u2019.-]){re.escape(word)}(?![\w-])", text):
        line_start = text.rfind("\n", 0, match.start()) + 1
        line_end = text.find("\n", match.end())
        if not _JUDGE_LOWER_WORD.search(text, line_start, len(text) if line_end < 0 else line_end):
            continue  # a headline
        after = _JUDGE_NEXT_WORD.match(text, match.end())
        following = after.group(1) if after else ""
        if (
            following in _JUDGE_ONE_PERSON or (following in _JUDGE_SAID and not _JUDGE_PLURAL.search(word))
        ) and not re.search(rf"\b{re.escape(word.casefold())}\b", text):
            return True  # and the article never writes it lowercase ("Staff said", "the staff")
        before = text[max(line_start, match.start() - 12) : match.start()].rstrip(" \u00a0")
        if not before:
            continue  # a paragraph opening
        if (
            before[-1].isalnum()
            or before[-1] == ","
            or before[-2:] in _JUDGE_COMMA_CLOSES
            or _JUDGE_TITLE.search(before)
        ):
            return True
    return False


_JUDGE_LOWER_WORD = re.compile(r"\b[a-z]{4,}\b")
_JUDGE_NEXT_WORD = re.compile(r"[ \u00a0]+([a-z]+)\b")
# After a word: a reflexive or a verb of saying for one speaker ("Ross herself", "Ross says"), and the
# past forms, which a plural shares ("Ross said", "Friends said").
_JUDGE_ONE_PERSON = frozenset({"himself", "herself", "says", "tells", "adds", "writes", "asks", "insists"})
_JUDGE_SAID = frozenset({"said", "told", "added", "wrote", "asked", "insisted"})
_JUDGE_PLURAL = re.compile(r"(?<![sui])s$")  # "Friends", not "Ross", "Cyrus", "Davis"
_JUDGE_WORD = re.compile(r"\b[a-z]+\b")
_JUDGE_COMMA_CLOSES = frozenset({',"', ",\u201d", ",'", ",\u2019"})
_JUDGE_TITLE = re.compile(r"\b(?:Mr|Mrs|Ms|Dr|Sen|Rep|Gov|Gen|Lt|Col|Rev|Del|Prof)\.$")


class RegistryRun:
    """Files the speakers of articles into one registry, as a run of ingests would."""

    def __init__(self, directory: SpeakerDirectory | None = None) -> None:
        self.directory = directory.copy() if directory is not None else SpeakerDirectory()
        self.records: Counter[tuple[str, str]] = Counter()
        # One-word person names: those an article quoting them writes as a name, and those one writes
        # in lowercase. A word only ever lowercase besides opening a sentence names no one ("Hours").
        self._as_name: set[str] = set()
        self._sentence_openers: set[str] = set()
        self._lowercase: set[str] = set()  # every lowercase word of the run

    def add(self, processed: ProcessedArticle) -> None:
        self._lowercase.update(_JUDGE_WORD.findall(processed.text))
        for quote in processed.quotes:
            ref = quote.speaker
            if ref is None:
                continue
            if ref.kind in LOCAL_SPEAKER_KINDS:
                self.records[(ref.name, ref.kind)] += 1
                continue
            filed = registry_file(self.directory, ref)
            self.records[(filed.name, filed.kind)] += 1
            if filed.kind == "person" and " " not in filed.name.strip() and filed.name not in self._as_name:
                if written_as_a_name(processed.text, filed.name):
                    self._as_name.add(filed.name)
                else:
                    self._sentence_openers.add(filed.name)
            self.directory.weights[filed.name] = self.directory.weights.get(filed.name, 0) + 1
            bare = self.directory.fold_surname(filed)
            if bare is not None:
                # As the store merges the bare surname's record into the person it now means.
                self.records[(filed.name, filed.kind)] += self.records.pop((bare.name, bare.kind), 0)

    def figures(self, top: int = 5) -> RegistryFigures:
        common = {
            name for name in self._sentence_openers - self._as_name if name.casefold() in self._lowercase
        }
        return registry_figures(self.records, top=top, common_words=common)


def _last_word(name: str) -> str:
    word = name.split()[-1] if name.split() else ""
    return word.removesuffix("'s").removesuffix("’s").rstrip("'’").casefold()


def _is_junk_local_name(name: str) -> bool:
    words = name.split()
    if not words or is_no_noun(words[-1]):
        return True
    return any(
        word.casefold() in ("who", "whom", "whose", "which")
        or (word == "that" and words[n - 1].endswith(","))
        for n, word in enumerate(words[1:], 1)
    )


def registry_figures(
    records: Counter[tuple[str, str]], *, top: int = 5, common_words: Iterable[str] = ()
) -> RegistryFigures:
    """Figures over ``records`` ((canonical name, kind) -> quotes). A person's main record is the
    most-quoted record of their surname and first name; a record with the same surname is the same
    person when it gives no first name or the same one ("Obama", "Barack H. Obama", "President Obama"),
    and a junk record is counted under the surname it ends with. ``common_words`` are one-word names
    that the articles quoting them write only as common words (``reads_as_common_word``): junk too."""
    common = frozenset(common_words)

    def is_junk_in_registry(name: str) -> bool:
        return name in common or _is_junk_in_registry(name)

    figures = RegistryFigures()
    persons = {name: n for (name, kind), n in records.items() if kind == "person" and name.split()}
    figures.persons = len(persons)
    figures.counts = persons
    figures.junk = sorted(name for name in persons if is_junk_in_registry(name))
    figures.quotes = sum(persons.values())
    local = sorted({name for (name, kind), n in records.items() if kind in LOCAL_SPEAKER_KINDS and n})
    figures.local = len(local)
    # "the was", "the here", "often thinks": a description or group whose last word heads no noun phrase;
    # "the agency, which missed the deadline": one that holds a relative clause, no part of a name.
    figures.local_junk = [name for name in local if _is_junk_local_name(name)]
    by_surname: dict[str, list[str]] = {}
    for name in persons:
        if not is_junk_in_registry(name):
            by_surname.setdefault(_last_word(name), []).append(name)
    for name in figures.junk:
        # "Obama Sees", "Railing Against Trump": under the surname they hold, else on their own.
        words = [w.removesuffix("'s").removesuffix("’s").casefold() for w in name.split()]
        held = next((w for w in reversed(words) if w in by_surname), _last_word(name))
        by_surname.setdefault(held, []).append(name)
    people: list[tuple[int, str, list[str]]] = []
    for names in by_surname.values():
        full = [n for n in names if len(n.split()) > 1 and not is_junk_in_registry(n)]
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
