"""Plain data passed between the ingestion stages.

Nothing here touches the database: the text pipeline is pure Python so that it
can be tested, benchmarked and re-run (``reprocess``) on stored raw text.
All offsets are Unicode code points into ``ProcessedArticle.text``; ends are
exclusive.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import partial
from typing import NamedTuple

# Kinds of speaker that belong to one article (an anonymous source, an unnamed group) rather than to the
# shared registry: values of ``corpus.models.SpeakerKind``.
LOCAL_SPEAKER_KINDS = frozenset({"anonymous", "group"})

# The pipeline's findings are named tuples: immutable, hashed and compared by value as frozen dataclasses
# are, but made several times faster, and pickled as a class and a tuple of values, which counts when the
# pipeline's worker processes send whole articles back to the one that writes them.


class SpeakerRef(NamedTuple):
    """Who said something, as the extractor resolved it.

    ``name`` is the canonical name ("Xi Jinping"); for an anonymous source it
    is a short label ("the expert"). ``kind`` is one of ``person``,
    ``organization``, ``group``, ``anonymous``. Anonymous sources and unnamed
    groups belong to the one article they appear in.
    """

    name: str
    kind: str = "person"
    description: str = ""
    aliases: tuple[str, ...] = ()


class ParagraphSpec(NamedTuple):
    position: int
    role: str  # title | standfirst | byline | body | caption | boilerplate
    rule: str  # name of the rule that decided the role
    start: int
    end: int


class QuoteSpec(NamedTuple):
    kind: str  # direct | partial | indirect
    start: int
    end: int
    paragraph: int  # position of the paragraph holding the span
    speaker: SpeakerRef | None = None
    speaker_mention: str = ""  # as written: "he", "Pang", "the expert"
    cue: str = ""  # "said", "told the Politburo", "was quoted as saying"
    via: SpeakerRef | None = None  # intermediary: Xinhua in "Xinhua quoted Xi as saying"
    continues: int | None = None  # index in ProcessedArticle.quotes of the quote this one continues
    confidence: float = 1.0
    rule: str = ""


class SpamSpec(NamedTuple):
    start: int
    end: int
    rule: str  # e.g. "foreign-script", "spam-lexicon", "spam-url"
    token: str


@dataclass(slots=True)
class ProcessedArticle:
    text: str
    title: str
    standfirst: str = ""
    byline: str = ""
    paragraphs: list[ParagraphSpec] = field(default_factory=list)
    quotes: list[QuoteSpec] = field(default_factory=list)
    spam: list[SpamSpec] = field(default_factory=list)
    pipeline_version: str = ""

    def __reduce__(self):
        """Pickled as plain tuples of values: a worker process sends every article it reads to the
        writing process, where unpickling named tuples one by one (each through its class's ``__new__``)
        cost more than making them. A quote's speakers stay in it as they are: the pickler writes each
        speaker once and refers back to it, so that one speaker stays one object."""
        head = (self.text, self.title, self.standfirst, self.byline, self.pipeline_version)
        return _unpickle_processed, (
            head,
            list(map(tuple, self.paragraphs)),
            list(map(tuple, self.quotes)),
            list(map(tuple, self.spam)),
        )


# Each a named tuple's ``_make`` without its length check, called from C by ``map``.
_make_paragraph = partial(tuple.__new__, ParagraphSpec)
_make_quote = partial(tuple.__new__, QuoteSpec)
_make_spam = partial(tuple.__new__, SpamSpec)


def _unpickle_processed(head, paragraphs, quotes, spam) -> ProcessedArticle:
    text, title, standfirst, byline, version = head
    return ProcessedArticle(
        text,
        title,
        standfirst,
        byline,
        list(map(_make_paragraph, paragraphs)),
        list(map(_make_quote, quotes)),
        list(map(_make_spam, spam)),
        version,
    )


_HONORIFICS = frozenset({"mr", "mrs", "ms", "miss", "mx", "sir", "dame"})
# A bare surname means the one of several people carrying it who is quoted this many times as often as
# all the others together, and at least DOMINANT_MIN times.
DOMINANT = 5
DOMINANT_MIN = 5
_SUFFIXES = frozenset({"jr.", "jr", "sr.", "sr", "ii", "iii", "iv"})


def short_form(name: str) -> str:
    """A person's first and last name without middle names, initials or suffixes: "James B. Comey",
    "Hillary Rodham Clinton" and "Martin Luther King Jr." are "James Comey", "Hillary Clinton" and
    "Martin King", the key under which the forms of one name meet."""
    words = name.split()
    while len(words) > 2 and words[-1].casefold() in _SUFFIXES:
        words = words[:-1]
    if len(words) > 2:
        words = [words[0], words[-1]]
    return " ".join(words)


@dataclass(slots=True)
class SpeakerDirectory:
    """Speakers known before this article: alias phrase (casefolded) -> speaker.

    Filled from the database (named speakers and their aliases, including the
    editable role-phrase list such as "china's president" -> Xi Jinping).
    """

    by_alias: dict[str, SpeakerRef] = field(default_factory=dict)
    # Surname (casefolded last word) -> the names of the persons that carry it.
    surnames: dict[str, set[str]] = field(default_factory=dict)
    # Name -> the quotes the registry files under it: which of several people a bare surname means.
    weights: dict[str, int] = field(default_factory=dict)

    def lookup(self, phrase: str) -> SpeakerRef | None:
        key = phrase.casefold().strip()
        found = self.by_alias.get(key)
        if found is None and key.count(" ") > 1:
            found = self.by_alias.get(short_form(key))
        return found

    def add(self, speaker: SpeakerRef, weight: int = 0) -> None:
        for phrase in (speaker.name, *speaker.aliases):
            self.by_alias.setdefault(phrase.casefold().strip(), speaker)
        if weight:
            self.weights[speaker.name] = self.weights.get(speaker.name, 0) + weight
        words = speaker.name.split()
        if speaker.kind == "person" and len(words) > 1:
            self.surnames.setdefault(words[-1].casefold(), set()).add(speaker.name)
            short = short_form(speaker.name)
            if short != speaker.name:
                self.by_alias.setdefault(short.casefold(), speaker)

    def person_by_surname(self, surname: str, title: str = "") -> SpeakerRef | None:
        """The one person whose name ends with ``surname``; None when none or several do (two
        registry persons named Clinton: a bare "Clinton" is not guessed). The forms of one name
        ("Donald J. Trump", "Donald Trump") are one person. Among several, a title ("President Obama")
        picks the one person whose description holds it; without a title, or with a title no
        description holds, one person quoted at least ``DOMINANT`` times as often as all the others
        together is the one the surname means ("Trump" beside a "Melania Trump" quoted a few times). A
        courtesy title alone ("Mr. Clinton") never picks among several: it may mean either."""
        names = self.surnames.get(surname.casefold().strip())
        if not names:
            return None
        people: dict[str, list[str]] = {}
        for name in sorted(names):
            people.setdefault(short_form(name).casefold(), []).append(name)
        if len(people) == 1:
            return self.lookup(max(names, key=lambda n: (self.weights.get(n, 0), n)))
        word = title.casefold().strip(" .")
        if word in _HONORIFICS:
            return None
        if word:
            fitting = [
                ref
                for name in sorted(names)
                if (ref := self.lookup(name)) is not None
                and word in ref.description.casefold().replace(".", " ").split()
            ]
            if len({short_form(ref.name).casefold() for ref in fitting}) == 1:
                return fitting[0]
        weights = sorted(
            ((sum(self.weights.get(n, 0) for n in forms), forms) for forms in people.values()),
            key=lambda pair: -pair[0],
        )
        best, forms = weights[0]
        rest = sum(weight for weight, _forms in weights[1:])
        if best >= DOMINANT_MIN and best >= DOMINANT * rest:
            return self.lookup(max(forms, key=lambda n: (self.weights.get(n, 0), n)))
        return None

    def fold_surname(self, speaker: SpeakerRef) -> SpeakerRef | None:
        """When ``speaker`` (a person with a full name) is now the one its bare surname means, the
        registry's record of the bare surname, if any, is filed under it: the record is returned and
        the surname finds ``speaker`` from now on."""
        words = speaker.name.split()
        if speaker.kind != "person" or len(words) < 2:
            return None
        surname = words[-1].casefold()
        bare = self.by_alias.get(surname)
        if bare is None or bare.kind != "person" or bare.name.casefold() != surname:
            return None
        meant = self.person_by_surname(surname)
        if meant is None or meant.name != speaker.name:
            return None
        for key, ref in list(self.by_alias.items()):
            if ref.name == bare.name and ref.kind == bare.kind:
                self.by_alias[key] = meant
        self.weights[speaker.name] = self.weights.get(speaker.name, 0) + self.weights.pop(bare.name, 0)
        return bare

    def describe(self, speaker: SpeakerRef, description: str) -> SpeakerRef:
        """``speaker`` with ``description``, under every key that led to it."""
        described = SpeakerRef(speaker.name, speaker.kind, description, speaker.aliases)
        for key, ref in self.by_alias.items():
            if ref is speaker:
                self.by_alias[key] = described
        return described

    def copy(self) -> SpeakerDirectory:
        return SpeakerDirectory(
            dict(self.by_alias),
            {surname: set(names) for surname, names in self.surnames.items()},
            dict(self.weights),
        )
