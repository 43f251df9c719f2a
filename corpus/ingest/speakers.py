# Over 500 lines: the phrase rules (name runs, titles, descriptions, pronouns) and ArticleSpeakers,
# which applies them, are tuned together against the attribution gold files; they are to be split
# once that tuning settles, not moved under it.
"""Who is speaking: turn a noun phrase as written into one speaker of the article.

A phrase such as "Beijing-based independent analyst Wu Qiang", "Pang", "he",
"the report" or "the expert who declined to be named" is analysed by rules: titles
and role words in front of a name become the description, a surname alone finds
the full name used elsewhere in the article (or in the directory of speakers known
from other articles), pronouns take the most recent fitting speaker, documents
point at the organization that published them, and unnamed sources become an
anonymous speaker of this one article.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from .english import is_only_common_word
from .types import SpeakerDirectory, SpeakerRef


def wordset(text: str) -> frozenset[str]:
    """A word list written as running text, one entry per whitespace-separated word."""
    return frozenset(text.split())


# Words that introduce a name but are not part of it ("President Xi Jinping").
TITLE_WORDS = wordset(
    """
    president vice prime minister premier chancellor senator sen. rep. representative congressman
    congresswoman governor gov. mayor councillor councilor councilman councilwoman alderman judge justice
    magistrate coach manager captain capt. dr. dr mr. mr mrs. mrs ms. ms miss prof. professor general gen.
    lt. col. sgt. sergeant officer detective det. inspector chief secretary ambassador envoy commissioner
    superintendent sheriff attorney prosecutor king queen prince princess pope father rev. rabbi imam
    chairman chairwoman chair director spokesman spokeswoman spokesperson state foreign defence defense
    district u.s. us uk u.k. u.n. un eu chinese american british french german russian japanese indian
    deputy acting former head assistant associate lord lady sir dame county city executive mp mep ceo
    """
)

# The head of a phrase in front of a name that makes it a description ("independent analyst").
ROLE_NOUNS = wordset(
    """
    analyst professor chair chairman chairwoman president minister premier spokesman spokeswoman
    spokesperson agency director coach manager judge mayor councillor councilor senator governor officer
    chief secretary leader expert economist researcher scientist lawyer attorney prosecutor reporter editor
    founder owner executive head member candidate commissioner superintendent captain striker midfielder
    defender goalkeeper quarterback player teammate teacher principal resident activist campaigner official
    diplomat ambassador envoy adviser advisor strategist historian author writer novelist consultant
    partner investor trader doctor nurse detective sergeant inspector sheriff deputy commander general
    negotiator regulator broadcaster newspaper outlet defendant plaintiff witness juror student fan
    landlord tenant organiser organizer representative lawmaker legislator politician mp administrator
    forward guard winger pitcher batter shortstop scholar academic commentator pollster analyst
    economist sociologist lecturer dean rector chancellor treasurer clerk auditor inspector economist
    """
)

# Nouns in front of a name that say what someone is in a campaign or a newsroom ("GOP front-runner").
ROLE_NOUNS = ROLE_NOUNS | wordset(
    """
    front-runner frontrunner nominee hopeful challenger incumbent contender rival opponent host anchor
    pundit operative aide staffer billionaire businessman businesswoman mogul donor surrogate columnist
    correspondent blogger comedian actor actress singer rapper star veteran pastor preacher bishop
    cardinal priest chaplain entrepreneur developer filmmaker producer director-general
    """
)
# Party labels: "Republican Donald Trump" is Donald Trump, described as a Republican.
PARTY_WORDS = wordset(
    """
    republican republicans democrat democrats democratic gop libertarian independent conservative
    liberal progressive socialist labour tory tories green greens
    """
)
# Titles and roles written capitalized inside a name run ("Nurse Ada Bell", "House Speaker Paul Ryan"),
# less the role nouns that are also common first names ("Dean", "Guard").
RUN_TITLES = (
    TITLE_WORDS
    | PARTY_WORDS
    | (ROLE_NOUNS - wordset("dean forward guard partner member head fan winger trader general"))
    | wordset(
        """
        speaker leader majority minority whip house white senate del. del rev rev sen rep gov atty.
        attorney-general lt gen sgt supt. supt pres. pres rabbi first lady gentleman nominee
        """
    )
)
# Capitalized words that open sentences and headlines but are never part of a name: dropped from the
# front of a name run ("When Clinton", "Once Hillary Clinton").
SENTENCE_OPENERS = wordset(
    """
    a an the this that these those some any each every all both either neither no one other another
    many most much more few several such last next first second third
    as if when whenever while where whether why how what which who whom whose though although because
    unless until since once and or but nor so yet then than also still even just only not never again
    already however meanwhile moreover instead indeed perhaps maybe later earlier now today yesterday
    tonight here there thus hence otherwise nevertheless nonetheless besides rather asked told
    he she they we i it you his her their its our my your him them us me
    don't don’t doesn't doesn’t can't can’t won't won’t isn't isn’t wasn't wasn’t didn't didn’t
    did does do is are was were has have had will would could should can might must shall
    top senior former longtime well yes oh okay ok sure thanks please dear combine
    nobody none someone somebody anyone anybody everyone everybody whoever whatever nothing something
    anything everything
    """
)
# Prepositions: a name after one of them is its object, not the one speaking ("Against Trump").
PREPOSITIONS = wordset(
    """
    in on at by for from with without within into onto over under after before during about against
    among between through throughout toward towards across behind beyond despite like unlike via per
    following including regarding concerning amid amidst upon of to off near inside outside alongside
    given
    """
)
# Headline verbs after a name ("Obama Sees ...", "Trump Slams ..."): never part of it.
HEADLINE_VERBS = wordset(
    """
    says sees slams blasts rips hits calls wants warns vows urges backs claims denies defends
    admits insists pledges tells asks gets makes takes plans seeks faces leads loses drops rejects
    accepts responds touts mocks praises attacks knocks says: explains argues thinks believes knows
    admits predicts promises threatens suggests questions challenges announces reveals confirms
    say see slam blast want warn vow urge deny admit insist pledge tell ask plan seek
    """
)
# Names that stand alone for a company, a platform or an outlet ("Twitter said", "CNN reported").
KNOWN_ORGS = wordset(
    """
    twitter facebook google youtube instagram tiktok snapchat reddit microsoft apple amazon netflix uber
    cnn msnbc fox nbc abc cbs npr pbs bbc politico breitbart axios bloomberg reuters gallup quinnipiac
    rasmussen monmouth marist pew ipsos yougov wikileaks nasa fbi cia nsa doj dhs epa irs pentagon kremlin
    nato opec gop dnc rnc aclu nra naacp
    """
)

# A capitalized word of this list makes a name an organization ("International Federation of Journalists").
ORG_WORDS = wordset(
    """
    federation association agency ministry department council committee commission union university
    institute institution party office court police bank fund organization organisation bureau
    corporation corp corp. company co. inc inc. ltd ltd. llc group times post news network service services
    foundation center centre board authority league club fc united society academy school college hospital
    trust congress parliament senate assembly government administration reuters xinhua press journal herald
    tribune guardian forum alliance coalition watch amnesty daily gazette review magazine broadcasting
    television radio airlines holdings partners labs command army navy force forces conference politburo
    secretariat embassy consulate chamber exchange directorate tribunal federation cabinet council motors
    airways airlines energy pharmaceuticals technologies systems industries capital media foods steel oil
    team campaign camp partnership train research survey consortium patrol enforcement action insider
    beacon sentinel standard pollster studies usa international initiative project caucus corps pac pacs
    security report qaeda taliban hamas hezbollah committees convention church mosque synagogue temple
    petroleum telecom insurance entertainment studios records motor bancorp plc ag gmbh sa
    """
)
# Heads of a phrase in front of a name that make it an organization ("state news agency Xinhua").
ORG_PREMOD_HEADS = wordset(
    """
    agency newspaper broadcaster outlet company firm group organisation organization watchdog regulator
    tabloid network daily ministry body union charity ngo club team lab bank fund think-tank website
    """
)
# Single capitalized words that stand for a government when they "say" something.
PLACES = wordset(
    """
    china beijing washington moscow russia tokyo japan london britain taiwan taipei seoul pyongyang kyiv
    ukraine brussels paris france berlin germany india delhi iran tehran israel canberra australia ottawa
    canada europe america
    """
)
# Words that open the name of a place ("North Korea", "New Hampshire", "Las Vegas") or end it ("Wall
# Street", "Silicon Valley", "Islamic State"): such a name is a place or a body, never a person.
PLACE_LEADS = wordset("north south east west new san santa los las saint st. fort")
PLACE_HEADS = wordset("street valley belt strip state states county city island islands coast bay province")
# Names of things that say nothing themselves: laws, treaties, transcripts, days, months and numbers
# ("the Affordable Care Act", "Super Tuesday", "Thursday", "Six").
THING_WORDS = wordset("act agreement treaty amendment transcript tuesday dialogue election flight")
DATE_AND_NUMBER_WORDS = wordset(
    """
    monday tuesday wednesday thursday friday saturday sunday january february march april june july
    august september october november december two three four five six seven eight nine ten eleven
    twelve thirteen fourteen fifteen twenty thirty forty fifty hundred thousand million
    """
)
# US states and other places that open a run in front of a name ("In Wisconsin, Trump said" seen as
# "Wisconsin Trump"); states that are also first names (Virginia, Georgia) are left out.
PLACE_OPENERS = PLACES | wordset(
    """
    alabama alaska arizona arkansas california colorado connecticut delaware florida hawaii idaho illinois
    indiana iowa kansas kentucky louisiana maine maryland massachusetts michigan minnesota mississippi
    missouri montana nebraska nevada ohio oklahoma oregon pennsylvania tennessee texas utah vermont
    wisconsin wyoming iraq syria mexico cuba korea afghanistan pakistan belgium chile libya egypt greece
    italy spain turkey yemen venezuela brazil nigeria poland sweden netherlands ireland scotland england
    austria switzerland lebanon vietnam indonesia qatar kuwait argentina colombia philippines
    """
)
# Documents "say" things on behalf of whoever published them ("the report said").
DOC_HEADS = wordset(
    """
    report statement study survey document filing lawsuit complaint ruling judgment judgement indictment
    memo letter communique communiqué paper release analysis editorial order decision verdict affidavit
    brief motion petition tweet email notice guidance audit assessment
    """
)
# Generic institutions: "the court said" points at the named court of the article.
INSTITUTION_HEADS = wordset(
    """
    court ministry government company council committee agency department club team union board school
    district city hospital university federation association party police commission office bureau
    firm carmaker automaker group business retailer lender airline insurer manufacturer developer startup
    chain brand operator utility publisher broadcaster campaign
    """
)
# "The company said": heads that stand for the business the article is about.
COMPANY_HEADS = wordset(
    """
    company firm carmaker automaker business retailer lender airline insurer manufacturer developer
    startup chain brand operator utility publisher broadcaster
    """
)
# Nouns that can head an unnamed source ("a senior official", "the expert").
ANON_HEADS = wordset(
    """
    expert source official analyst diplomat person insider resident witness observer aide employee worker
    staffer executive officer spokesperson spokesman spokeswoman lawyer teacher student member scholar
    researcher academic adviser advisor investor banker trader manager player parent nurse doctor relative
    friend neighbour neighbor man woman fan juror deputy clerk colleague volunteer organiser organizer
    """
)
# Plural nouns that name an unnamed group even when capitalized at a sentence start ("Prosecutors said").
GROUP_NOUNS = wordset(
    """
    prosecutors officials residents analysts police experts critics observers investigators authorities
    lawmakers protesters witnesses doctors scientists researchers economists diplomats officers firefighters
    parents teachers students voters fans players organizers organisers workers employees citizens
    activists supporters opponents leaders sources neighbours neighbors shoppers commuters farmers unions
    ministers campaigners aides democrats republicans conservatives liberals progressives americans
    staffers donors delegates senators candidates advisers advisors allies insiders strategists pollsters
    evangelicals protestors immigrants proponents backers advocates detractors skeptics sceptics
    """
)
# Subjects that stand for someone, or some, of the article unnamed ("Another said", "the two write").
INDEFINITE_SUBJECTS = {
    **dict.fromkeys(("another", "someone", "somebody"), "anonymous"),
    **dict.fromkeys(
        ("some", "several", "others", "the others", "the two", "the three", "a few", "most", "many"), "group"
    ),
}
# A share of the people asked ("21 percent", "14%", "about four in 10", "nearly half").
_SHARE = re.compile(
    r"(?:(?:about|nearly|almost|roughly|some|over|under|just|only|more than|less than|fewer than)\s+)?"
    r"(?:\d[\d.,]*\s*(?:percent|per cent|%)|(?:one|two|three|four|five|six|seven|eight|nine)"
    r"(?:\s+(?:in|of|out of)\s+(?:10|ten))?|half|a third|a quarter|two-thirds)"
)
# The people a survey asked, named by how they were asked ("those surveyed", "voters polled").
_THOSE_ASKED = re.compile(
    r"(?:those|people|voters|adults|americans|residents)\s+(?:surveyed|polled|asked|interviewed|questioned)"
    r"|respondents"
)
PRONOUN_KINDS = {
    "he": ("person", "anonymous"),
    "she": ("person", "anonymous"),
    "i": ("person", "anonymous"),
    "they": ("group", "organization", "person", "anonymous"),
    "we": ("group", "organization", "person"),
    "it": ("organization", "group"),
}
_DETERMINERS = frozenset({"the", "a", "an", "one", "this", "that", "its", "their", "his", "her"})
_CONNECTIVES = frozenset(
    {"however", "but", "and", "yet", "still", "meanwhile", "also", "so", "then", "moreover", "instead"}
)
# Lowercase words allowed inside a capitalized name ("Federation of Journalists", "Ludwig van Beethoven").
_NAME_JOINERS = frozenset(
    {"of", "the", "for", "and", "de", "del", "der", "van", "von", "bin", "al", "la", "le"}
)
_HONORIFICS = frozenset({"mr", "mrs", "ms", "miss", "mx", "messrs"})
# A nickname in quotation marks inside a name (`Juan "Chico" Manriquez`): no part of the name.
_NICKNAME_IN_NAME = re.compile('(?<=[a-z]) ["\u201c][A-Z][\\w.\\-]*["\u201d](?= [A-Z][a-z])')
_RELATIVE = re.compile(r"\s(?:who|which|whose)\s")
_ANONYMITY = ("declined to be named", "anonymity", "not authorized", "not authorised", "asked not to be")


def load_alias_file(path: str | Path) -> list[SpeakerRef]:
    """Read the editable alias list: a JSON list of {"name", "kind", "description", "aliases"}."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    if not isinstance(data, list):
        raise ValueError(f"{path}: expected a JSON list of speaker objects, got {type(data).__name__}")
    speakers = []
    for number, item in enumerate(data):
        if not isinstance(item, dict) or not str(item.get("name", "")).strip():
            raise ValueError(f"{path}: entry {number} needs a non-empty 'name'")
        speakers.append(
            SpeakerRef(
                name=item["name"].strip(),
                kind=item.get("kind", "person"),
                description=item.get("description", ""),
                aliases=tuple(a.strip() for a in item.get("aliases", ()) if a.strip()),
            )
        )
    return speakers


def is_partial_name(phrase: str, name: str) -> bool:
    """ "Clinton", "Mrs. Clinton" for "Hillary Clinton": a form that other people with the name share,
    so not an alias to file for one person across articles (the surname rule decides those)."""
    split = split_name_run(phrase.split())
    if split is None or len(split[1]) != 1 or split[2]:
        return False
    word = split[1][0].casefold()
    parts = [p.casefold() for p in name.split()]
    if len(parts) == 1:
        return phrase.strip() != name.strip() and word == parts[0]  # "Mr. Trump" for a record "Trump"
    return word in parts


def shared_aliases(ref: SpeakerRef | Entity) -> tuple[str, ...]:
    """The aliases of a machine-found speaker worth keeping in the registry: not the surname-only
    forms ("Clinton", "Mrs. Clinton"), which other people share."""
    if ref.kind != "person":
        return tuple(ref.aliases)
    return tuple(a for a in ref.aliases if not is_partial_name(a, ref.name))


def title_of(description: str) -> str:
    """The last title word of a description ("Sen." of "Texas Sen."), or ""."""
    titles = [w for w in description.split() if _is_title(w)]
    return titles[-1] if titles else ""


def registry_file(directory: SpeakerDirectory, ref: SpeakerRef) -> SpeakerRef:
    """The registry's speaker for a shared ``ref``, filed the way ingest files it (``speakers_register``):
    a bare surname to the person it means (``person_by_surname``) unless an alias sends it elsewhere,
    then by name, then by alias; else ``ref`` is added."""
    known = None
    if ref.kind == "person" and " " not in ref.name.strip():
        known = directory.lookup(ref.name)
        if known is None or known.name.casefold() == ref.name.casefold().strip():
            known = directory.person_by_surname(ref.name, title_of(ref.description)) or known
    if known is None:
        known = directory.lookup(ref.name)
    if known is not None:
        if ref.description and not known.description:
            known = directory.describe(known, ref.description)  # as the store fills a missing description
        return known
    directory.add(SpeakerRef(ref.name, ref.kind, ref.description, shared_aliases(ref)))
    return directory.lookup(ref.name) or ref


def directory_from(speakers: list[SpeakerRef]) -> SpeakerDirectory:
    directory = SpeakerDirectory()
    for speaker in speakers:
        directory.add(speaker)
    return directory


def is_capitalized(word: str) -> bool:
    """A name word: capital first letter, and not a hyphenated modifier such as "Beijing-based"."""
    if not word or not word[0].isupper():
        return False
    if "-" in word:
        return all(part[:1].isupper() or part[:1].isdigit() for part in word.split("-") if part)
    return True


_POSSESSIVE_END = re.compile("(?:['\u2019]s|s['\u2019])$")


def _strip_possessive(word: str) -> str:
    if word.endswith(("'s", "’s")):
        return word[:-2]
    return word.rstrip("'’")


@dataclass(slots=True)
class Entity:
    """A speaker while the article is being read; frozen into a SpeakerRef at the end."""

    key: int
    name: str
    kind: str
    description: str = ""
    aliases: list[str] = field(default_factory=list)

    def add_alias(self, phrase: str) -> None:
        phrase = phrase.strip()
        if phrase and phrase != self.name and phrase not in self.aliases:
            self.aliases.append(phrase)

    def ref(self) -> SpeakerRef:
        return SpeakerRef(self.name, self.kind, self.description, shared_aliases(self))


@dataclass(frozen=True, slots=True)
class Resolution:
    key: int | None
    mention: str
    confidence: float


class ArticleSpeakers:
    """The speakers of one article, with what the resolver needs to link mentions to them."""

    def __init__(
        self,
        directory: SpeakerDirectory | None = None,
        full_names: list[str] | None = None,
        org_names: list[str] | None = None,
        texts: list[str] | None = None,
    ) -> None:
        self.directory = directory
        self._org_names = org_names or []
        self._texts = texts  # the article's prose, read when a lone word is to become a person
        self.entities: list[Entity] = []
        self._by_alias: dict[str, int] = {}
        self._full_names = full_names or []
        self._salience: list[int] = []
        self._documents: dict[str, int] = {}

    # -- bookkeeping ---------------------------------------------------------------------------------

    def entity(self, key: int) -> Entity:
        return self.entities[key]

    def note(self, key: int | None) -> None:
        """Record that ``key`` just spoke or acted: pronouns look back along this list."""
        if key is None:
            return
        if self._salience and self._salience[-1] == key:
            return
        self._salience.append(key)
        if len(self._salience) > 64:
            del self._salience[:32]

    def note_document(self, head: str, key: int | None) -> None:
        if key is not None and head in DOC_HEADS:
            self._documents[head] = key

    def last_salient(self, kinds: tuple[str, ...]) -> int | None:
        for key in reversed(self._salience):
            if self.entities[key].kind in kinds:
                return key
        return None

    def _new(self, name: str, kind: str, description: str = "", aliases: tuple[str, ...] = ()) -> int:
        entity = Entity(len(self.entities), name, kind, description)
        self.entities.append(entity)
        self._index(entity.key, name)
        for alias in aliases:
            entity.add_alias(alias)
            self._index(entity.key, alias)
        return entity.key

    def _index(self, key: int, phrase: str) -> None:
        self._by_alias.setdefault(phrase.casefold().strip(), key)

    def _from_directory(self, phrase: str) -> int | None:
        if self.directory is None:
            return None
        ref = self.directory.lookup(phrase)
        if ref is None:
            return None
        key = self._by_alias.get(ref.name.casefold())
        if key is None:
            key = self._new(ref.name, ref.kind, ref.description, ref.aliases)
        self._index(key, phrase)
        return key

    # -- resolution ----------------------------------------------------------------------------------

    def resolve(self, phrase: str) -> Resolution:
        """Link a subject phrase as written to a speaker; key None when nothing fits."""
        phrase = _trim_phrase(phrase)
        if '"' in phrase or "\u201c" in phrase:  # a nickname's marks; the pattern needs one
            phrase = _NICKNAME_IN_NAME.sub("", phrase)
        if not phrase:
            return Resolution(None, "", 0.0)
        lowered = phrase.casefold()
        if lowered in PRONOUN_KINDS:
            return Resolution(self.last_salient(PRONOUN_KINDS[lowered]), phrase, 0.85)
        indefinite = lowered.removeprefix("yet ")
        if indefinite in INDEFINITE_SUBJECTS:
            # "Another said", "tweeted another", "Several said", "the two write": someone of this article
            # known only so, never a person named Another.
            return self._unnamed_as(indefinite, INDEFINITE_SUBJECTS[indefinite])
        if _SHARE.fullmatch(lowered) or _THOSE_ASKED.fullmatch(lowered):
            # "21 percent said", "About four in 10 said", "most said": a share of those asked; "those
            # surveyed said", "Respondents said": all of them.
            return self._unnamed_as(lowered, "group")

        relative = ""
        match = _RELATIVE.search(phrase)
        if match:
            phrase, relative = phrase[: match.start()].rstrip(" ,"), phrase[match.start() + 1 :]
        appositive = ""
        if ", " in phrase:
            head, _, rest = phrase.partition(", ")
            rest = rest.strip(" ,")
            if (
                head.split()
                and is_capitalized(head.split()[-1])
                # ("One, Lou Reyes": a word that only opens sentences is no name before the name.)
                and head.casefold() not in SENTENCE_OPENERS
            ):
                phrase, appositive = head, rest
                if appositive[:1].isdigit():
                    appositive = ""
            elif rest.split() and name_run_start(rest.split()) == 0:
                # "The developer, Greenline Partners": the name comes second.
                phrase, appositive = rest, head
        phrase = _cut_postmodifier(phrase)
        affiliated = _affiliated_source(phrase)
        if affiliated:
            # "A spokesman for the Department of Agriculture": an unnamed source; the organization is
            # where they work, kept in the description, not their name.
            return self._anonymous(affiliated, phrase, phrase)

        known, mention = self._known(phrase)
        if known is not None:
            return Resolution(known, mention, 0.9)

        words = phrase.split()
        if _is_capitalized_plural(words):
            # "the Saudis", "the Coles": a people or a family speaking, not a person named Saudis.
            return self._group(phrase)
        if _strip_possessive(words[-1]).casefold() in GROUP_NOUNS and not any(
            is_capitalized(w) and w.casefold() in ORG_WORDS for w in words
        ):
            return self._group(phrase)
        lone = _strip_possessive(words[0]) if len(words) == 1 and is_capitalized(words[0]) else ""
        if lone and (_is_title(lone) or is_junk_person_name(lone)):
            # "Bishop said", "Hannity said": a word that would be a role or no name alone (a title, an
            # "-ity" noun) is the surname of the person the article names in full ("Ruth Bishop").
            surnamed = self._lone_surname(lone, phrase)
            if surnamed is not None:
                return surnamed
        run_start = name_run_start(words)
        if run_start < len(words):
            resolution = self._named(words, run_start, appositive, relative)
        else:
            resolution = self._unnamed(phrase, words, relative)
        if resolution.key is None and lone:
            # ("Will wrote" after "George Will": a word that opens sentences.)
            resolution = self._lone_surname(lone, phrase) or resolution
        if resolution.key is None and _names_people(phrase):
            # "attorneys for the family", "Attorneys", "election clerks": people of the article named by
            # the plural of a role, never a person named Attorneys.
            return self._group(phrase)
        return resolution

    def _lone_surname(self, word: str, phrase: str) -> Resolution | None:
        key = self._person_by_last_name(word)
        if key is None:
            return None
        self.entities[key].add_alias(phrase)
        self._index(key, phrase)
        return Resolution(key, phrase, 0.95)

    def known_as(self, phrase: str) -> Resolution | None:
        """The speaker the article or the registry already has under this very phrase ("China's
        president" in the alias list), or None."""
        key, mention = self._known(_trim_phrase(phrase))
        return Resolution(key, mention, 0.9) if key is not None else None

    def _known(self, phrase: str) -> tuple[int | None, str]:
        """A speaker the article or the registry already has for ``phrase``, and the mention to record."""
        lowered = phrase.casefold()
        bare = lowered.removeprefix("the ")
        for candidate in (lowered, bare):
            key = self._by_alias.get(candidate)
            if key is not None:
                return key, phrase
        if _is_lone_surname(phrase):
            # "Clinton", "Mrs. Clinton": the article's own people come before the registry's (``_named``).
            return None, phrase
        for candidate in (phrase, phrase.removeprefix("the ").removeprefix("The ")):
            key = self._from_directory(candidate)
            if key is not None:
                # The mention is the one a first reading without the registry records ("the Northgate
                # Herald" as "Northgate Herald"), so a re-run with a fuller registry writes the same row.
                return key, candidate
        return None, phrase

    def _named(self, words: list[str], run_start: int, appositive: str, relative: str) -> Resolution:
        run = [_strip_possessive(w) for w in words[run_start:]]
        written = " ".join(run)
        split = split_name_run(run)
        if split is None:
            return Resolution(None, written, 0.0)
        titles, name_words, is_org = split
        premod = words[:run_start]
        name = " ".join(name_words)
        while premod and premod[0].casefold() in _DETERMINERS:
            premod = premod[1:]
        premod_head = premod[-1].casefold() if premod else ""
        is_org = is_org or premod_head in ORG_PREMOD_HEADS or _names_an_organization(appositive)
        if len(words) == 2 and words[0].casefold() == "the" and _in_capitals(run[-1]):
            # "the ACU", "the SVP": letters in capitals after "the" are an organization's, not initials.
            is_org = True
        if not is_org and len(name_words) == 1 and _is_title(name_words[0]):
            # "Coach says", "Republican": a role or a label with no name to it.
            head = name_words[0].casefold().rstrip(".")
            if head in ANON_HEADS or head in ROLE_NOUNS:
                return self._anonymous(head, " ".join([*premod, *run]), written)
            return Resolution(None, written, 0.0)
        description = appositive
        # "Mr." and "Mrs." say how someone is addressed, not what they are.
        role_words = [_described(w) for w in titles if w.casefold().rstrip(".") not in _HONORIFICS]
        if not description and premod and (premod_head in ROLE_NOUNS or premod_head in ORG_PREMOD_HEADS):
            description = " ".join(premod + role_words)
        elif not description and role_words:
            description = " ".join(role_words)

        if (
            not is_org
            and len(name_words) > 1
            and _is_title(name_words[-1])
            and is_place_name(name_words[:-1])
        ):
            # "a New Hampshire Republican": a label and where it is from, with no name to it.
            head = name_words[-1].casefold().rstrip(".")
            return self._anonymous(head, " ".join([*premod, *run]), written)

        lowered_words = [w.casefold() for w in name_words]
        is_place = len(name_words) == 1 and name.casefold() in PLACES
        if not is_org and not is_place and is_place_name(name_words):
            # "North Korea", "Las Vegas", "Ohio": a place speaks for its government or its people, unless
            # the article names a person by that word ("Dallas" after "Dallas Ross").
            is_place = len(name_words) > 1 or (
                self._by_surname(name) is None and not self._full_name_for(name)
            )
        if is_org or is_place:
            kind = "organization"
        elif "and" in lowered_words:
            kind = "group"  # "Jeb Bush and Chris Christie": two people, not one
        else:
            kind = "person"
            if is_junk_person_name(name):
                return Resolution(None, written, 0.0)
            if self._texts is not None and len(name_words) > 1 and names_no_one(self._texts, name_words):
                kind = "organization"  # "Cedar Hollow changed the county", "Quiet Lanes Matter said"

        key = self._by_alias.get(name.casefold())
        single = kind == "person" and len(name_words) == 1
        full = None
        if key is None and single:
            # A lone surname: the article's own people first (named so far, then anywhere in it), then
            # the registry: an alias an editor gave, then the one person who carries the surname.
            key = self._by_surname(name)
            if key is None:
                full = self._full_name_for(name)
                if full:
                    key = self._by_alias.get(full.casefold())
        in_article = key is not None
        if key is None and full:
            key = self._from_directory(full)
        if key is None and full is None:
            key = self._from_directory(written)
            if key is None and single and self.directory is not None:
                # An alias an editor gave ("Obama" -> Barack Obama) first; a registry record of the bare
                # surname itself is where unresolved mentions wait, so the surname rule comes before it.
                known = self.directory.lookup(name)
                if known is not None and known.name.casefold() != name.casefold():
                    key = self._from_directory(name)
                else:
                    ref = self.directory.person_by_surname(name, titles[-1] if titles else "")
                    if ref is not None:
                        key = self._from_directory(ref.name)
            if key is None:
                key = self._from_directory(name)
        if (
            single
            and not in_article
            and full is None
            and self._texts is not None
            and (key is None or " " not in self.entities[key].name)
            and is_common_word(self._texts, name)
        ):
            # "Signs pointed elsewhere", "Hours later, ...", "Wait, there is more:": a word
            # capitalized only where a sentence opens is a common word, not someone's name, even when
            # an earlier article left a record of that word in the registry.
            return Resolution(None, written, 0.0)
        if key is None:
            key = self._new(full or name, kind)
        # How sure the attribution is follows from what the article says, never from whether the registry
        # already knew the name: ingesting and re-processing the same text give the same confidence.
        confidence = 0.95 if in_article or not single else 0.9 if full else 0.85
        entity = self.entities[key]
        if description and not entity.description:
            entity.description = description
        for alias in (name, written):
            entity.add_alias(alias)
            self._index(key, alias)
        return Resolution(key, written, confidence)

    def _by_surname(self, word: str) -> int | None:
        """A lone surname or given name matches a person of the article whose name holds it: the first
        one named, the article's main person of that name ("Sanders" after "Bernie Sanders" and his wife
        "Jane Sanders")."""
        lowered = word.casefold()
        people = [
            (entity.key, entity.name.casefold().split())
            for entity in self.entities
            if entity.kind == "person" and " " in entity.name.strip()
        ]
        # A full name that ends in the word before one that opens with it ("Trump" is Donald Trump, not
        # a headline's "Trump Supporter Screams").
        for place in (-1, 0):
            for key, parts in people:
                if parts[place] == lowered:
                    return key
        return None

    def _person_by_last_name(self, word: str) -> int | None:
        """The first person of the article whose full name ends in ``word``: one named so far, else one
        named anywhere in it (then resolved as written in full); None when there is none."""
        lowered = word.casefold()
        for entity in self.entities:
            parts = entity.name.casefold().split()
            if entity.kind == "person" and len(parts) > 1 and parts[-1] == lowered:
                return entity.key
        full = next((f for f in self._full_names if f.casefold().split()[-1] == lowered), None)
        if full is None:
            return None
        key = self.resolve(full).key
        return key if key is not None and self.entities[key].kind == "person" else None

    def _full_name_for(self, word: str) -> str | None:
        lowered = word.casefold()
        for place in (-1, 0):
            for full in self._full_names:
                if full.casefold().split()[place] == lowered:
                    return full
        return None

    def _unnamed(self, phrase: str, words: list[str], relative: str) -> Resolution:
        head = _strip_possessive(words[-1]).casefold()
        first = words[0].casefold()
        if head in _OUTLET_KINDS and 1 < len(words) <= 4 and all(is_capitalized(w) for w in words[:-1]):
            # "Time magazine", "the Harbor Ledger newspaper": the outlet named before its kind.
            return self.organization(" ".join(words), phrase)
        anonymous_marked = any(marker in relative for marker in _ANONYMITY)
        if head in DOC_HEADS:
            key = self._documents.get(head)
            return Resolution(key, phrase, 0.75 if key is not None else 0.0)
        if head in INSTITUTION_HEADS and not anonymous_marked:
            for entity in reversed(self.entities):
                if entity.kind == "organization" and head in entity.name.casefold():
                    return Resolution(entity.key, phrase, 0.75)
            if head in COMPANY_HEADS:
                # "the company", "the firm": the business the story is about, named first.
                key = self.last_salient(("organization",))
                if key is None and self._org_names:
                    key = self._by_alias.get(self._org_names[0].casefold())
                    if key is None:
                        key = self._new(self._org_names[0], "organization")
                if key is not None:
                    return Resolution(key, phrase, 0.6)
        if (first in ("a", "an", "one") or anonymous_marked) and head in ANON_HEADS:
            indefinite = first in ("a", "an", "one")
            description = f"{phrase} {relative}".strip() if indefinite else relative
            return self._anonymous(head, description, phrase)
        if head in ANON_HEADS and first == "the":
            for entity in reversed(self.entities):
                if entity.kind == "anonymous" and entity.name == f"the {head}":
                    return Resolution(entity.key, phrase, 0.8)
            # "the minister" most often means the person of that role named earlier.
            for key in reversed(self._salience):
                entity = self.entities[key]
                if entity.kind == "person" and head in entity.description.casefold():
                    return Resolution(key, phrase, 0.7)
            return Resolution(None, phrase, 0.0)
        if (
            _is_plural(head)
            and first not in ("a", "an", "one")
            and not _reads_as_clause(words)
            and _may_head_group(_strip_possessive(words[-1]))
        ):
            return self._group(phrase)
        return Resolution(None, phrase, 0.0)

    def _group(self, phrase: str) -> Resolution:
        """An unnamed group of this article ("prosecutors", "Chinese observers")."""
        words = phrase.split()
        name = phrase
        if len(words) == 1 or words[0].casefold() in _DETERMINERS:
            name = phrase[0].lower() + phrase[1:]
        key = self._by_alias.get(name.casefold())
        if key is None:
            key = self._new(name, "group")
        return Resolution(key, phrase, 0.75)

    def _unnamed_as(self, name: str, kind: str) -> Resolution:
        """The one speaker of this article known only as ``name`` ("another", "the two")."""
        key = self._by_alias.get(name)
        if key is None or self.entities[key].kind != kind:
            key = self._new(name, kind)
        return Resolution(key, name, 0.6)

    def _anonymous(self, head: str, description: str, mention: str) -> Resolution:
        name = f"the {head}"
        for entity in reversed(self.entities):
            if entity.kind == "anonymous" and entity.name == name:
                if not entity.description:
                    entity.description = description
                return Resolution(entity.key, mention, 0.8)
        return Resolution(self._new(name, "anonymous", description), mention, 0.8)

    def organization(self, name: str, mention: str) -> Resolution:
        """The organization of this name ("Ada Voss campaign"): the article's, the registry's or a new one."""
        key = self._by_alias.get(name.casefold())
        if key is None:
            key = self._from_directory(name)
        if key is None:
            key = self._new(name, "organization")
        return Resolution(key, mention, 0.75)

    def describe(self, head: str, description: str, mention: str) -> Resolution:
        """A speaker of this article known only by a description ("the spokesperson at the door",
        "the 52-year-old retired welder"): kept as an unnamed speaker, or a group when the head is plural
        or an institution ("the teachers' federation"). A document ("the statement", "the survey") is
        asked of ``resolve`` first, which knows who published it; one nobody is known to have published
        is a source of this article as the other descriptions are."""
        if head in INSTITUTION_HEADS or head in _GATHERED:
            return self._group(_without_relative(description, head))
        if _is_plural(head):
            # ("the leaked documents", "measures": things, no one's words.)
            if not _may_head_group(head):
                return Resolution(None, mention, 0.0)
            return self._group(_without_relative(description, head))
        return self._anonymous(head, description, mention)


def _without_relative(description: str, head: str) -> str:
    """A group's name is its description without the relative clause after its head noun: "the agency,
    which missed the deadline" and "the union that represents dock workers" are the agency and the
    union. ("the people of that town" keeps its "that", which follows no head noun.)"""
    words = description.split()
    for n, word in enumerate(words[:-1]):
        if n and _strip_possessive(word.rstrip(",")).casefold() == head and words[n + 1] in _RELATIVE_WORDS:
            return " ".join(words[: n + 1]).rstrip(",")
    return description


_RELATIVE_WORDS = frozenset(("who", "whom", "whose", "which", "that"))


# Cities that are in the news as places far more often than as anyone's name.
CITIES = wordset(
    """
    chicago houston dallas miami atlanta boston denver phoenix philadelphia detroit cleveland baltimore
    milwaukee sacramento louisville seattle pittsburgh orlando columbus flint huntsville worcester
    wilmington liverpool manchester
    """
)
# The states whose names are two words, for place tests here and in the attribution rules.
MULTIWORD_STATES = frozenset(
    (
        "new hampshire",
        "new jersey",
        "new mexico",
        "new york",
        "north carolina",
        "north dakota",
        "rhode island",
        "south carolina",
        "south dakota",
        "west virginia",
    )
)


def is_place_name(words: list[str]) -> bool:
    """A capitalized run that names a place: a country, a state or a city (less those that are also
    first names, such as Virginia), a run opened by North, New, Las... or ended by Street, Valley, State...
    ("North Korea", "Wall Street", "Islamic State"), or places side by side ("Turkey, Syria")."""
    if not words:
        return False
    lowered = [w.casefold().strip(",") for w in words]
    if len(words) == 1:
        word = lowered[0].rstrip(".")
        return word in PLACE_OPENERS or word in CITIES or f"{word}." in _STATE_ABBREVIATIONS
    if " ".join(lowered) in MULTIWORD_STATES:
        return True
    if lowered[0] in PLACE_LEADS or lowered[-1] in PLACE_HEADS:
        return all(is_capitalized(w) for w in words)
    return all(w in PLACE_OPENERS or w in CITIES for w in lowered)


_STATE_ABBREVIATIONS = wordset(
    """
    ala. ariz. ark. calif. colo. conn. fla. ill. ind. kan. ky. md. mass. mich. minn. miss. mo. mont. neb.
    nev. okla. ore. pa. tenn. tex. vt. wis. wyo.
    """
)


def name_run_start(words: list[str]) -> int:
    """Index where the trailing capitalized name of ``words`` starts ("of the" may join its parts)."""
    start = len(words)
    while start > 0:
        word = words[start - 1]
        if is_capitalized(word):
            start -= 1
            continue
        if word in _NAME_JOINERS and start < len(words):
            if start >= 2 and is_capitalized(words[start - 2]):
                start -= 1
                continue
            if start >= 3 and words[start - 2] in _NAME_JOINERS and is_capitalized(words[start - 3]):
                start -= 2
                continue
        break
    return start


def _is_lone_surname(phrase: str) -> bool:
    """A person named by one name word, with or without a title ("Clinton", "Mrs. Clinton")."""
    words = phrase.split()
    start = name_run_start(words)
    if start >= len(words):
        return False
    split = split_name_run([_strip_possessive(w) for w in words[start:]])
    return split is not None and not split[2] and len(split[1]) == 1 and not _is_title(split[1][0])


def _is_title(word: str) -> bool:
    lowered = word.casefold()
    return lowered in RUN_TITLES or lowered.rstrip(".") in RUN_TITLES


def _described(word: str) -> str:
    """A role noun capitalized in front of a name is written lowercase in the description ("nurse")."""
    lowered = word.casefold()
    if lowered in ROLE_NOUNS and lowered not in TITLE_WORDS and lowered not in PARTY_WORDS:
        return lowered
    return word


def _is_participle(word: str) -> bool:
    """A sentence-initial participle ("Following", "Railing") opens a clause, never a name."""
    return len(word) >= 7 and word.casefold().endswith("ing")


def _is_sentence_adverb(word: str) -> bool:
    return len(word) >= 7 and word.casefold().endswith(_ADVERB_ENDINGS)


_ADVERB_ENDINGS = ("ally", "ately", "ently", "ously", "ively", "antly", "ingly", "ularly", "ilarly")
_INITIALS = re.compile(r"(?:[A-Z]\.?){1,3}")
_COMMON_NOUN_ENDINGS = ("tion", "sion", "ture", "ness", "ism", "ship", "ity")


def split_name_run(run: list[str]) -> tuple[list[str], list[str], bool] | None:
    split = _split_name_run(tuple(run))
    return None if split is None else (list(split[0]), list(split[1]), split[2])


@lru_cache(maxsize=16384)
def _split_name_run(run: tuple[str, ...]) -> tuple[tuple[str, ...], tuple[str, ...], bool] | None:
    """A capitalized run as (titles, name words, is an organization), or None when it names nobody.

    Sentence openers go ("When Clinton"); a run opened by a preposition or a participle names the
    object of a clause, not a speaker ("Against Trump", "Railing Against Trump"); a headline verb after
    the name goes ("Obama Sees"); titles, roles and party labels in front of a person's name become
    the description ("Republican Donald Trump", "Nurse Ada Bell"); organizations keep their whole name.
    """
    words = [w.rstrip(",:;") for w in run if w.rstrip(",:;")]
    while words and (
        words[0].casefold() in SENTENCE_OPENERS
        or _is_sentence_adverb(words[0])
        or (len(words) > 1 and words[0].casefold() in PLACE_OPENERS)
    ):
        words = words[1:]
    if not words or words[0].casefold() in PREPOSITIONS or words[0] in _NAME_JOINERS:
        return None
    if _is_participle(words[0]) and len(words) > 1:
        return None
    while len(words) > 1 and words[-1].casefold() in HEADLINE_VERBS:
        words = words[:-1]
    shouted = 0
    while shouted < len(words) and _all_capitals(words[shouted]):
        shouted += 1
    if shouted > 1 and len(words) - shouted >= 2 and not any(_all_capitals(w) for w in words[shouted:]):
        # "AT LEAST 10 KILLED IN ISTANBUL Turkish President Recep Tayyip Erdogan": a headline in capitals
        # run into the sentence after it is no part of the name.
        words = words[shouted:]
    # "CNN Jake Tapper", "AFT President Randi Weingarten": an outlet or a union before a full name says
    # where the person works; it goes to the description as a title does.
    lead = int(
        len(words) >= 3
        and (words[0].casefold() in KNOWN_ORGS or _in_capitals(words[0]))
        and all(is_capitalized(w) and not _in_capitals(w) for w in words[1:])
    )
    lowered = {w.casefold().rstrip(".") for w in words[lead:]}
    if (
        lowered & ORG_WORDS
        # "the White House", "the House": a run that ends in "House" is the institution; before a name
        # the word is a title ("House Speaker Paul Ryan").
        or words[-1].casefold() == "house"
        or (len(words) == 1 and _is_acronym_org(words[0]))
        or (
            not lead
            and len(words) > 1
            and any(_in_capitals(w) and not _ROMAN.fullmatch(w) and not _is_title(w) for w in words)
        )
    ):
        # An organization's name; a run with a word in capitals ("POLITICO Florida", "WEEKLY STANDARD")
        # is an outlet's or a dateline's, not a person's.
        named = _named_after_title(words)
        if named:
            # "Judicial Watch President Tom Fitton": the organization and the title say what the person
            # named after them is, as a title alone does.
            return tuple(words[:named]), tuple(words[named:]), False
        return (), tuple(words), True
    cut = lead
    for index in range(lead, len(words) - 1):
        if _is_title(words[index]):
            cut = index + 1
    while cut < len(words) - 1 and words[cut] in _NAME_JOINERS:
        cut += 1
    return tuple(words[:cut]), tuple(words[cut:]), False


def _named_after_title(words: list[str]) -> int:
    """Where the name after an organization's name and a capitalized title starts ("Harbor Fund President
    Ada Voss" -> 3): one to three capitalized words that are no title, no organization word and not in
    capitals; 0 when the run ends otherwise."""
    for index in range(len(words) - 2, 0, -1):
        word = words[index]
        if not _is_title(word) or not word[:1].isupper():
            continue
        rest = words[index + 1 :]
        if len(rest) > 3 or any(
            not is_capitalized(w)
            or _is_title(w)
            or w.casefold().rstrip(".") in ORG_WORDS
            or w.casefold() == "house"
            or _in_capitals(w)
            for w in rest
        ):
            return 0
        return index + 1
    return 0


def _in_capitals(word: str) -> bool:
    """ "CNN", "AFT", "KING-TV": three letters or more, every one a capital, and no full stop (not
    initials such as "J.R.")."""
    letters = [c for c in word if c.isalpha()]
    return len(letters) >= 3 and "." not in word and all(c.isupper() for c in letters)


_ROMAN = re.compile(r"[IVX]+")


def _all_capitals(word: str) -> bool:
    """A word of a headline in capitals: "KILLED", "IN", or a number."""
    letters = [c for c in word if c.isalpha()]
    return (not letters and word[:1].isdigit()) or (
        len(letters) >= 2 and "." not in word and all(c.isupper() for c in letters)
    )


def _is_acronym_org(word: str) -> bool:
    """ "CNN", "Twitter", "FBI": a single word that stands for an outlet, a platform or an agency."""
    letters = word.replace(".", "").replace("-", "")
    if word.casefold() in KNOWN_ORGS or letters.casefold() in KNOWN_ORGS:
        return True
    return len(letters) >= 2 and letters.isalpha() and letters.isupper() and not _INITIALS.fullmatch(word)


@lru_cache(maxsize=16384)
def is_junk_person_name(name: str) -> bool:
    """True for a "person" name that names nobody: a word, a title, a fragment of a sentence.

    Used to keep such names out of the registry and to count the ones that got in.
    """
    words = name.split()
    if not words:
        return True
    lowered = [w.casefold() for w in words]
    if not any(len(w.strip(".")) >= 2 and not _INITIALS.fullmatch(w) for w in words):
        return True  # "A", "G.K"
    # ("Dana Will": a modal ending a full name is its surname; "Voss Will Win" is a headline's verb.)
    named = lowered[:-1] if len(lowered) > 1 and lowered[-1] in _SURNAME_MODALS else lowered
    if any(w in SENTENCE_OPENERS or w in PREPOSITIONS or w in HEADLINE_VERBS for w in named):
        return True  # "Once", "Obama Sees", "Railing Against Trump"
    if any(not is_capitalized(w) and w not in _NAME_JOINERS for w in words):
        return True
    if "and" in lowered or (len(words) > 1 and _is_participle(words[0])):
        return True
    if _CONTRACTION.search(lowered[-1]):
        return True  # "I've", "She'd": a pronoun and a verb
    if any(w in THING_WORDS for w in lowered):
        return True  # "Affordable Care Act", "Super Tuesday"

    if len(words) == 1:
        word = words[0]
        low = lowered[0].rstrip(".")
        return (
            _is_title(word)
            or low in ORG_WORDS
            or low in PLACES
            or low in GROUP_NOUNS
            or low in DATE_AND_NUMBER_WORDS
            or _is_acronym_org(word)
            or _is_sentence_adverb(word)
            or (len(low) >= 6 and low.endswith(_COMMON_NOUN_ENDINGS))
        )
    return False


# Modals that are surnames too ("George Will").
_SURNAME_MODALS = frozenset({"will"})
_CONTRACTION = re.compile("['\u2019](?:ve|d|ll|re|m)$")
_AFFILIATION_LINKS = frozenset({"for", "at", "of", "with", "from", "to", "in"})


def _affiliated_source(phrase: str) -> str:
    """The head noun of "a spokesman for X", "an aide to Y", "the spokeswoman at Z"; "" otherwise."""
    words = phrase.split()
    if len(words) < 4 or words[0].casefold() not in ("a", "an", "one", "the"):
        return ""
    for index in range(1, min(len(words) - 2, 5)):
        word = words[index].casefold()
        if word in ANON_HEADS or word in ("aide", "spokesperson", "representative"):
            if words[index + 1].casefold() in _AFFILIATION_LINKS:
                return word
            return ""
        if is_capitalized(words[index]):
            return ""
    return ""


def is_common_word(texts: list[str], word: str) -> bool:
    """Whether a lone capitalized word of the article is a common word rather than a name: the article
    never writes it capitalized inside a sentence (``written_as_name``) and writes it in lowercase too
    ("Hours later, ..." and "for hours"), or its singular ("Attorneys said" and "an attorney"). A surname
    met only where sentences open ("Hayek confirmed",
    "Sanders asks") stays a name."""
    if written_as_name(texts, word):
        return False
    if is_only_common_word(word):
        return True  # English writes it only as a common word ("Politicos have", "Sad though it was")
    lowered = word.casefold()
    # A plural is common when its singular is ("Attorneys for the city said" beside "the attorney").
    forms = f"{re.escape(lowered)}|{re.escape(lowered[:-1])}" if _is_plural(lowered) else re.escape(lowered)
    pattern = re.compile(rf"\b(?:{forms})\b")
    return any(pattern.search(text) for text in texts)


def names_no_one(texts: list[str], words: list[str]) -> bool:
    """Whether a name of several words is a place's, an event's or a movement's, not a person's: it
    ends in a word English writes only in lowercase ("Cedar Hollow", "Quiet Lanes Matter"), and the
    article writes it in full at least twice but never that last word alone, as it would a person's
    surname on second mention ("Hook said" after "Lena Hook")."""
    last = words[-1]
    if not is_only_common_word(last) or any(w.casefold() in _NAME_JOINERS for w in words):
        return False
    name = " ".join(words)
    full = sum(text.count(name) for text in texts)
    if full < 2:
        return False
    alone = re.compile(rf"(?<![\w'\u2019.-]){re.escape(last)}(?![\w-])")
    return sum(len(alone.findall(text)) for text in texts) == full


def _names_an_organization(appositive: str) -> bool:
    """ "Unite, the country's largest union, said": an appositive whose head (before any "of", "for"...)
    is an organization's ("union", "group", "agency"), not a person's role ("the head of the union")."""
    if not appositive:
        return False
    words = _APPOSITIVE_MODIFIER.split(appositive, maxsplit=1)[0].split()
    if len(words) < 2 or words[0].casefold() not in _DETERMINERS:
        return False
    head = _strip_possessive(words[-1]).casefold()
    # ("Ann Cole, a Democratic pollster, said": a pollster is a person, though a polling firm's name
    # may end in the word.)
    return head in ORG_PREMOD_HEADS or (head in ORG_WORDS and head not in ROLE_NOUNS)


_APPOSITIVE_MODIFIER = re.compile(r"\s(?:of|for|at|in|with|from|to|on|who|which|that)\s")


def written_as_name(texts: list[str], word: str) -> bool:
    """Whether the article writes ``word`` capitalized where a common word would be lowercase: inside a
    sentence, after a word, a comma, a title or a quotation closed on a comma ("said Ross", "and Ross",
    "Ms. Ross", "“...,” Ross said"), in a paragraph that is not a headline (where every word is
    capitalized)."""
    pattern = None
    for text in texts:
        if word not in text:
            continue
        if pattern is None:
            pattern = re.compile(rf"(?<![\w'\u2019.-]){re.escape(word)}(?![\w-])")
        for match in pattern.finditer(text):
            before = text[max(0, match.start() - 12) : match.start()].rstrip(" \u00a0")
            if before and (
                before[-1].isalnum()
                or before[-1] == ","
                or before[-2:] in _QUOTE_CLOSED_ON_COMMA
                or _TITLE_BEFORE.search(before)
            ):
                if _LOWER_WORD.search(text):
                    return True
                break  # a headline
    return False


_QUOTE_CLOSED_ON_COMMA = frozenset({',"', ",\u201d", ",'", ",\u2019"})
_TITLE_BEFORE = re.compile(r"\b(?:Mr|Mrs|Ms|Dr|Sen|Rep|Gov|Gen|Lt|Col|Sgt|Capt|Rev|Del|Prof|Pres)\.$")
_LOWER_WORD = re.compile(r"\b[a-z]{4,}\b")


_OUTLET_KINDS = frozenset({"magazine", "newspaper", "tabloid", "website", "weekly", "blog"})


def _reads_as_clause(words: list[str]) -> bool:
    """Whether the words before a plural read as a clause rather than a group's name: a participle
    opening them or a function word inside them ("regretting what the editors", "the excuse these
    habitual fibbers")."""
    first = words[0].casefold()
    return (first.endswith("ing") and len(first) > 5) or any(w.casefold() in _CLAUSE_WORDS for w in words[1:])


_CLAUSE_WORDS = frozenset({"what", "which", "who", "these", "those", "this", "that"})


def _names_people(phrase: str) -> bool:
    """Whether a phrase is headed, before any "for", "of", "at"..., by the plural of a role or a person
    noun ("attorneys for the family", "election clerks"), with no organization's name in it."""
    words = _APPOSITIVE_MODIFIER.split(f" {phrase} ", maxsplit=1)[0].split()
    if not 1 <= len(words) <= 3 or any(
        (is_capitalized(w) and n) or w.casefold().endswith(("ed", "ly")) for n, w in enumerate(words)
    ):
        return False  # ("Voss passionately rebuked critics who ...": a clause, not a group's name)
    low = _strip_possessive(words[-1]).casefold()
    if low in GROUP_NOUNS:
        return True
    if len(low) < 4 or not low.endswith("s") or low.endswith("ss"):
        return False
    singulars = (low[:-3] + "y", low[:-2], low[:-1]) if low.endswith("ies") else (low[:-2], low[:-1])
    return any(word in ROLE_NOUNS or word in ANON_HEADS for word in singulars)


def _is_capitalized_plural(words: list[str]) -> bool:
    """Whether a phrase is "the" and one capitalized plural that names no organization ("the Saudis",
    "the Coles"; not "the Times" or "the Post")."""
    if len(words) != 2 or words[0].casefold() != "the" or not is_capitalized(words[1]):
        return False
    word = words[1]
    low = word.casefold()
    return (
        word[1:].islower()
        and _is_plural(low)
        and low not in ORG_WORDS
        and low not in KNOWN_ORGS
        and low not in GROUP_NOUNS
        and not low.endswith(("'s", "’s"))
    )


# Plurals of people that neither the role lists nor the shape of an agent noun give.
_PEOPLE_PLURALS = wordset(
    """
    people men women children kids folks families others staff public media users hands sides troops
    soldiers relatives individuals professionals nationals skeptics sceptics majorities minorities crowds
    advocates associates proponents elders spectators heavyweights hawks
    """
)


def names_people_plural(word: str) -> bool:
    """Whether a plural noun names people, so that it may head a group of the article: a plural of a role
    or a person noun ("attorneys", "aides"), of an institution ("the unions"), a people's or a family's
    name ("Israelis", "the Coles"), or an agent noun made from a verb ("organizers", "investigators",
    "economists", "Republicans", "attendees"); not a thing ("measures", "calculations", "documents",
    "letters of support") nor a verb read as a plural ("Gallup finds")."""
    bare = _strip_possessive(word)
    low = bare.casefold()
    if low in GROUP_NOUNS or low in _PEOPLE_PLURALS or low in ("police", "prosecutors", "authorities"):
        return True
    if bare[:1].isupper() and not is_only_common_word(bare) and low.endswith("s") and not low.endswith("ss"):
        return True  # "Israelis", "New Yorkers", "the Coles"
    if len(low) < 4 or not low.endswith("s") or low.endswith("ss"):
        return False
    one = low[:-3] + "y" if low.endswith("ies") else low[:-1]
    if one in ROLE_NOUNS or one in ANON_HEADS or one in INSTITUTION_HEADS or low[:-2] in ROLE_NOUNS:
        return True
    if len(one) >= 6 and one.endswith(("ist", "ian", "ean", "ican", "crat")):
        # "economists", "technicians", "Europeans", "Americans", "bureaucrats"; not "checklists"
        return not (one.endswith("list") and is_only_common_word(one[:-4]))
    return _is_agent_noun(one)


# Findings that speak for those asked or counted ("exit polls found", "according to pool reports").
_FINDINGS = frozenset({"reports", "polls", "surveys", "studies"})


def _may_head_group(word: str) -> bool:
    """Whether a plural may head a group of the article: people, a share of them, or the findings they
    are counted in."""
    low = word.casefold()
    # ("three-quarters", "two-fifths": a share of those asked.)
    return low in _FINDINGS or low.rpartition("-")[2] in _FRACTIONS or names_people_plural(word)


_FRACTIONS = frozenset({"thirds", "quarters", "fourths", "fifths", "sixths", "eighths", "tenths"})


def _is_agent_noun(one: str) -> bool:
    """Whether a singular noun is an English verb with an agent's ending: "organizer" (organize),
    "shopper" (shop), "investigator" (investigate), "attendee" (attend), "participant" (participate),
    "survivor" (survive). The verb must be one of four letters or more ("letter", "center" are no agents)."""
    stems: tuple[str, ...] = ()
    if one.endswith("er") and not one.endswith("eer"):
        base = one[:-2]
        stems = (base, base + "e")
        if len(base) > 2 and base[-1] == base[-2]:
            stems += (base[:-1],)
        if base.endswith("i"):
            stems += (base[:-1] + "y",)
    elif one.endswith(("ator", "itor", "ivor", "ee")):
        stems = (one[:-2], one[:-2] + "e")
    elif one.endswith(("ant", "ent")) and not one.endswith("ment"):
        stems = (one[:-3], one[:-3] + "e", one[:-3] + "ate")
    return any(len(stem) >= 4 and _is_verb(stem) for stem in stems)


def _is_verb(word: str) -> bool:
    """Whether English has a past of ``word`` ("vote" voted, "shop" shopped, "attend" attended; not
    "cent" or "lett")."""
    if word.endswith("e"):
        past = (word + "d",)
    elif word.endswith("y"):
        past = (word[:-1] + "ied", word + "ed")
    else:
        past = (word + "ed", word + word[-1] + "ed")
    # (The past alone: "march" is a month's name too, "marched" only a verb.)
    return any(is_only_common_word(p) for p in past)


# Singular nouns for many people gathered ("the crowd chanted"): a group, as their plurals are.
_GATHERED = wordset("crowd audience")


def _is_plural(head: str) -> bool:
    if head in ("police", "people", "staff", "media", "public", "prosecutors", "authorities"):
        return True
    return len(head) > 3 and head.endswith("s") and not head.endswith(("ss", "us", "is"))


def _trim_phrase(phrase: str) -> str:
    phrase = phrase.strip(" ,;:.\u2014\u2013-")
    words = phrase.split()
    while words and words[0].casefold().rstrip(",") in _CONNECTIVES and len(words) > 1:
        words = words[1:]
    while len(words) > 1 and words[-1].casefold() in _DANGLING:
        words = words[:-1]  # "the authors of the" before a title in quotation marks, masked
    return " ".join(words).strip(" ,")


# Words that cannot end a subject phrase: what followed them was cut off (a quoted title, masked).
_DANGLING = wordset("of the a an for to and or in on at with from by")


def _cut_postmodifier(phrase: str) -> str:
    """Drop "from Nanjing University" or "of Oklahoma" after a name: an affiliation or a place, not part
    of it."""
    for marker in (" from ", " at "):
        index = phrase.find(marker)
        if index > 0 and is_capitalized(phrase[:index].split()[-1]):
            return phrase[:index]
    index = phrase.find(" of ")
    if index > 0 and is_capitalized(phrase[:index].split()[-1]):
        words = phrase[:index].split()
        split = split_name_run(words[name_run_start(words) :])
        if is_place_name(phrase[index + 4 :].split()) and split and not split[2] and len(split[1]) >= 2:
            return phrase[:index]  # "Sen. Tom Carper of Delaware", not "the Bank of England"
    return phrase


# (A dot before a capitalized word and a lowercase one ends the run: "Ann Hale.She said".)
# Possessive: a word's letters, or its dotted parts, given back one by one could only be followed by a
# space or a dot that is not there; trying so at every capital was most of the cost of collecting names.
_NAME_WORD = r"[A-Z][\w'’\-]*+(?:\.(?![A-Z][a-z])[\w'’\-]*+)*+"
_NAME_RUN = re.compile(rf"{_NAME_WORD}(?:[ ]{_NAME_WORD})+")
# Capitalized words that start sentences or name places and things, never people.
_NOT_NAME = wordset(
    """
    the a an it in on at but and however yet so as if this that these those he she they we i his her their
    its our since after before when while for with from by to of us u.s. sea river province street road
    city county state island islands hall day week month year january february march april may june july
    august september october november december monday tuesday wednesday thursday friday saturday sunday
    covid-19 hong kong new south north east west central
    """
)


def _opens_run(word: str) -> bool:
    lowered = word.casefold()
    return (
        lowered in _NOT_NAME
        or lowered in SENTENCE_OPENERS
        or lowered in PREPOSITIONS
        or _is_title(word)
        or _is_participle(word)
        or _is_sentence_adverb(word)
        or _is_acronym_org(word)
        or lowered in PLACE_OPENERS
    )


def _ends_sentence(word: str) -> bool:
    """A word of three letters or more with a full stop, not a title ("PAC.", not "Sen." or "J.")."""
    return word.endswith(".") and len(word.rstrip(".").replace(".", "")) >= 3 and not _is_title(word)


def collect_names(texts: list[str]) -> tuple[list[str], list[str]]:
    """Person-like names of two or three words, and organization names (a capitalized run with an
    organization word), used anywhere in the article, each in order of first use: a headline or an early
    sentence may say only "Xi"; the full name appears later."""
    full: list[str] = []
    orgs: list[str] = []
    seen_full: set[str] = set()
    seen_orgs: set[str] = set()
    for text in texts:
        for match in _NAME_RUN.finditer(text):
            org, person = _names_in_run(match.group())
            if org is not None and org not in seen_orgs:
                seen_orgs.add(org)
                orgs.append(org)
            if person is not None and person not in seen_full:
                seen_full.add(person)
                full.append(person)
    return full, orgs


@lru_cache(maxsize=1 << 14)
def _names_in_run(run: str) -> tuple[str | None, str | None]:
    """The organization name and the person name a capitalized run gives (None for none), from the run
    alone: remembered, since an article repeats its names and a corpus its people."""
    written = run.split()
    words = [_strip_possessive(w) for w in written]
    if len(words[-1]) > 3 and words[-1].endswith(".") and words[-1][-2].islower():
        words[-1] = words[-1][:-1]  # "... Bernie Sanders." ends a sentence
    ends = [n for n, w in enumerate(words[:-1]) if _ends_sentence(w)]
    if ends:
        words = words[ends[-1] + 1 :]  # "... a scam PAC. Dan Backer, its lawyer": a new sentence
    owner = next(
        (n for n in range(len(words) - 3, -1, -1) if _POSSESSIVE_END.search(written[-len(words) + n])), -1
    )
    if owner >= 0:
        # "Harbor News' Dana Charity", "Clinton's State Department": the owner, then the person or
        # organization it owns.
        owned, person = _names_in_run(" ".join(words[owner + 1 :]))
        return owned or _names_in_run(" ".join(words[: owner + 1]))[0], person
    start = 0
    while start < len(words) and words[start].casefold() in _NOT_NAME:
        start += 1
    # Organizations: the run less sentence-initial words, with an organization word in it.
    org = words[start:]
    org_name = (
        " ".join(org) if len(org) >= 2 and not {w.casefold() for w in org}.isdisjoint(ORG_WORDS) else None
    )
    # People: "When Angela Brooks ...": a sentence-initial word or a title is not part of the name.
    start = 0
    while start < len(words) and _opens_run(words[start]):
        start += 1
    person = words[start:]
    while person and person[-1].casefold() in HEADLINE_VERBS:
        person = person[:-1]
    split = split_name_run(person) if len(person) >= 2 else None
    if split is not None and not split[2]:
        person = split[1]  # "AFT President Randi Weingarten": the title is not the name
    if not 2 <= len(person) <= 4:
        return org_name, None
    lowered = [w.casefold() for w in person]
    if any(w in ORG_WORDS or w in _NOT_NAME or w in PLACES for w in lowered) or is_place_name(person):
        return org_name, None
    if any(w.endswith(".") and not _INITIALS.fullmatch(w) for w in person):
        return org_name, None
    if any(not is_capitalized(w) for w in person) or is_junk_person_name(" ".join(person)):
        return org_name, None
    return org_name, " ".join(person)
