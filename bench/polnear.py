# Over 500 lines: one scoring script, read top to bottom (the standoff files, offsets aligned, the
# gold speaker's name, the judgement, the tally), whose judging rules change with the attribution
# rules it scores.
"""Score quote attribution on a local copy of one split of the PolNeAR corpus.

    python -m bench.polnear PATH_TO_SPLIT [--misses KIND] [--limit N] [--persons]

``--misses`` takes an error kind of the table, ``all``, ``not found`` (the quotes no quote of ours
overlaps, whatever their kind) or ``no speaker`` (those found with no speaker).

PATH_TO_SPLIT is a folder with ``text/`` (one article per ``.txt``) and ``attributions/`` (brat standoff
``<article>_<annotator>.ann``; the first annotator in name order is used when there are several). The corpus
has no data licence: keep it outside the repository. Develop against ``train`` only; ``dev`` and ``test``
are for independent measurement. ``--persons`` lists every person record of the run with its quotes
(the records the junk figure reads), and the pipeline's CPU time per article is printed beside its rate.

Each article goes through the pure pipeline (no database). The gold quotes are PolNeAR attributions whose
content holds a quotation mark. How they are judged:

- *found*: one of our quotes (any kind) overlaps the quoted part of the gold content: from its first
  opening mark to its last closing mark, or to the content's end when the content stops before its
  closing mark (from its start when it starts after its opening mark);
- *fully quoted*: every piece of the gold content is one quotation, mark to mark; then our overlapping
  quote must be ``direct``;
- *strict speaker*: the resolved speaker of our quote (the one overlapping most) is the gold source's person
  or group. A named source is right when the last name word of our speaker's canonical name is the gold
  source's last name word (possessive left out) and, when both give a first name, the first names agree
  (accents and particles such as "de" or "Le" aside: "Francois" is "François", "De Blasio" is "Bill de
  Blasio"); the gold name is read from the source as written, and also as ``gold_name`` cleans it (its first part that
  ends in a capitalized run, without titles, roles, states or a possessive owner: "Governor Chris Christie -
  a Dallas Cowboys fan" is Chris Christie). A descriptive source (``the spokesperson``; one opening with an
  article or possessive whose capitalized words are only states, parties, roles or nationalities, "a Nevada
  Democrat", is one too, not a name, and so is one naming whom the person works for or is close to, "Ann
  Cole's spokeswoman" or "Cole's lawyers", which is never that owner) is right when our speaker is a
  description or group whose name shares its head noun (the last word before a modifier: "a spokesman for the campaign" is a spokesman, and so is
  "a spokesman for Ann Cole"; "a source close to the campaign" is a source; "one of the protesters" a
  protester; each part of "the senator and candidate" counts), or, as a description may stand
  for a person named before ("the senator"), when our speaker is the person a pronoun in its place would be
  judged to be (below); a document or a campaign (``a Clinton campaign ad``, ``a CNN poll``) is also right
  when our speaker shares a name word with it. A gold content that holds its own attribution of a
  quotation, next to it ("“...,” Ann Cole said, according to the Ledger", given to the Ledger), is also
  right when our speaker is the person that attribution names. A quote not found, or found without a
  speaker, counts as wrong. Sources PolNeAR leaves out (``Attribution-no-source``) are not counted; a source that is a verb of
  saying with a name for its cue ("said" and "Ann Cole") is read with its two labels swapped.
- *pronoun sources* (``he``, ``she``, ``I``...) have no gold antecedent in PolNeAR, so the judge reads the
  text, independently of the pipeline. The candidates are the mentions, outside quotation marks, of the
  people the gold names as sources in the article (``gold_name``; each full name also found by its last
  word, unless first names written before it are none of the person's: "his daughter Ivanka Trump" is not
  Donald Trump; people sharing a last word are told apart by first names, a bare last word by a courtesy
  title or gendered word right before it that agrees with one's gender, else it is the one whose full name
  was written last before it, else no one's; a one-word "name" the article also writes in lowercase, such
  as "Voters", is none, and one that is a plural or a common word, "Surveys" or "the Coles", is no he or
  she: the plural of a name the article writes bare, or a word it capitalizes only opening a sentence,
  unless English has no such common word and the article gives it a gender, "Cruz admitted that his").
  The pronoun stands for the latest candidate before it that opens a clause (at a sentence or paragraph
  start, after a comma, colon, dash or conjunction, capitalized or not, or right after a cue verb as in
  "said Ann Cole," with its titles and role words passed over; a name joined by "and" to a name before it
  only when that one does, "both Cole and Ross are"; a possessive does not, but at the very start of a paragraph,
  "Ann Cole's lawsuit demands ..."; after "after", "before", "as" or "since" only with a verb after it,
  not "went after Ann Cole, calling her"; the person asked a question, "asked Ann Cole whether", is one
  too, though no gender vote), else the latest candidate at all. For
  ``he`` and ``she`` a candidate counts only when the article does not give it the other gender: a courtesy
  title or gendered word right before the name or its first names and initials (Mr., Ms., Mrs., "spokeswoman
  Ann Cole", not "a spokeswoman for Cole"; not in a headline, where every word is capitalized) decides, else
  the majority of the first he/his or she/her after each of its mentions in the same sentence (an object
  "him" or "her" is someone else's: "Ann Cole thanked him"). Our
  speaker is right when it is that person (same rule as a named source); with no candidate, the quote counts
  as wrong. A relative ``who`` stands for the name right before it ("Ann Lowe, who called it ..."),
  and right after a lowercase noun for the people that noun names ("critics who say": our critics).

The error table files each gold quote under the first shape of the attribution that applies (dash,
?/! before the attribution, appositive or colon, name forms, pronoun, description, nested or noisy, cue
verb other than say, tell or add) and shows how many of each went wrong.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from corpus.ingest.english import is_only_common_word
from corpus.ingest.speakers import wordset

_OPENING = "\u201c\u201e\u00ab\u2018"
_CLOSING = "\u201d\u00bb\u2019"
_QUOTE_CHARS = '"' + "\u201c\u201d\u201e\u00ab\u00bb"
_PRONOUNS = wordset("he she i we they it him her us them")
_DASHES = "\u2015\u2014\u2013"
_NAME = re.compile(r"[A-Z][\w'\u2019.\-]*(?:\s+(?:[A-Z][\w'\u2019.\-]*|de|van|von|del|la))+")
_NOT_FIRST = wordset(
    """
    the a an in on at but and however yet so as if this that these those he she they we i his her their its
    our since after before when while for with from by to of mr mrs ms dr sen rep gov president former
    republican democrat democratic gop presidential candidate nominee senator representative governor
    secretary attorney general retired house senate speaker majority minority leader judge justice mayor
    chairman chairwoman chair ceo lt col gen rev del vice first lady white press state one another top
    about many some all both former u.s. us miss sir democrats republicans others millennials polls
    monday tuesday wednesday thursday friday saturday sunday january february march april june july
    august september october november december chief coach prof professor officer sheriff detective
    commissioner superintendent
    """
)
_ORG_WORDS = wordset(
    """
    center centre committee party news university institute association council department office house
    senate congress court times post journal network foundation group campaign state states street press
    research team watch
    """
)
# Documents and campaigns speak for the person or organization they name ("a Clinton campaign ad").
_DOCUMENTS = wordset(
    "ad ads poll survey report study statement release lawsuit suit complaint website tweet email memo "
    "letter video editorial book campaign analysis column paper"
)
_DESCRIPTION_LEADS = wordset("the a an one another some many several his her their its our")
_DEMONSTRATIVES = wordset("this that these those")
_LY_NOUNS = wordset("rally ally family assembly supply")  # nouns, not adverbs
_KINDS = (
    "dash attribution",
    "?/! before attribution",
    "appositive or colon",
    "names (tags, titles, initials)",
    "pronoun source",
    "description source",
    "nested or noise",
    "cue verb beyond say/tell/add",
    "other",
)


@dataclass(slots=True)
class Span:
    label: str
    pieces: list[tuple[int, int]]
    text: str

    @property
    def start(self) -> int:
        return self.pieces[0][0]

    @property
    def end(self) -> int:
        return self.pieces[-1][1]


@dataclass(slots=True)
class GoldQuote:
    content: Span
    source: Span | None
    cue: Span | None
    fully_quoted: bool = False


@dataclass(slots=True)
class Tally:
    gold: int = 0
    found: int = 0
    full: int = 0
    full_direct: int = 0
    sourced: int = 0
    speaker_right: int = 0
    pronoun_sourced: int = 0
    pronoun_right: int = 0
    by_kind: dict[str, list[int]] = field(default_factory=lambda: {k: [0, 0] for k in _KINDS})
    misses: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))


# -- reading the corpus -------------------------------------------------------------------------------------


def read_ann(path: Path) -> list[GoldQuote]:
    spans: dict[str, Span] = {}
    events: list[dict[str, str]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("T"):
            parts = line.split("\t")
            if len(parts) < 3:
                continue
            label, _, offsets = parts[1].partition(" ")
            pieces = []
            for piece in offsets.split(";"):
                a, _, b = piece.partition(" ")
                pieces.append((int(a), int(b)))
            spans[parts[0]] = Span(label, pieces, parts[2])
        elif line.startswith("E"):
            args = line.split("\t")[1].split()
            events.append(dict(arg.split(":", 1) for arg in args))
    quotes = []
    for event in events:
        content = spans.get(event.get("Content", ""))
        if content is None:
            continue
        source, cue = spans.get(event.get("Source", "")), spans.get(event.get("Cue", ""))
        if source is not None and cue is not None and _labelled_backwards(source.text, cue.text):
            source, cue = cue, source
        quotes.append(GoldQuote(content, source, cue))
    return quotes


def _labelled_backwards(source: str, cue: str) -> bool:
    """A few attributions have their two labels the wrong way round: the verb marked as the source and
    the name as the cue ("said" and "Ann Cole", "according to" and "Omar Hale")."""

    def is_cue(text: str) -> bool:
        lowered = text.strip().casefold()
        return lowered.startswith("according to") or lowered.partition(" ")[0] in _CUE_LEADS

    words = cue.split()
    names = bool(words) and (words[0][:1].isupper() or words[0].casefold() in _PRONOUNS)
    return is_cue(source) and not is_cue(cue) and names


_CUE_LEADS = wordset("said says say told tells added adds wrote writes asked asks stated states")


def quoted_part(raw: str, content: Span) -> tuple[int, int] | None:
    """The stretch of the gold content from its first opening mark up to its last closing mark.

    Annotators sometimes stop the content before its closing mark (the quotation runs on into the next
    paragraph, or the mark was left out of the span) or start it after its opening mark: the quoted
    words then run to the content's end, or from its start, not only to the one mark."""
    text = raw[content.start : content.end]
    marks = [n for n, ch in enumerate(text) if ch in _QUOTE_CHARS]
    if not marks:
        return None
    first, last = marks[0], marks[-1]
    start = content.start if _closes(text, first) else content.start + first
    end = content.start + last if _closes(text, last) else content.end
    return start, max(end, start + 1)


def _closes(text: str, at: int) -> bool:
    """Whether the mark at ``at`` closes a quotation: a closing mark, or a straight one after a word
    (an opening straight mark starts the text or follows a space or an opening bracket)."""
    ch = text[at]
    if ch == '"':
        return at > 0 and not text[at - 1].isspace() and text[at - 1] not in "([{\u2014\u2013"
    return ch in _CLOSING


def is_fully_quoted(raw: str, content: Span) -> bool:
    for a, b in content.pieces:
        piece = raw[a:b].strip().rstrip(".,;:?!")
        if len(piece) < 3 or piece[0] not in '"\u201c' or piece[-1] not in '"\u201d':
            return False
        inner = piece[1:-1]
        if any(ch in '"\u201c\u201d' for ch in inner):
            return False
    return True


def align(raw: str, text: str) -> list[int]:
    """Offset in the pipeline's normalized text of each offset of the raw file (one past the end too).

    Normalizing folds spaces, drops invisible and control characters and composes accents (NFC), so the
    two are walked side by side: a character the text lacks is skipped, a space the text added is passed
    over, and two characters that differ (an accent composed) stand for each other.
    """
    mapping = [0] * (len(raw) + 1)
    i = j = 0
    while i < len(raw):
        if j < len(text) and (raw[i] == text[j] or (raw[i].isspace() and text[j].isspace())):
            mapping[i] = j
            i += 1
            j += 1
        elif j >= len(text) or (i + 1 < len(raw) and raw[i + 1] == text[j]):
            mapping[i] = j
            i += 1
        elif text[j].isspace() and not raw[i].isspace():
            j += 1
        elif raw[i].isspace():
            mapping[i] = j
            i += 1
        else:
            mapping[i] = j
            i += 1
            j += 1
    mapping[len(raw)] = j
    return mapping


# -- judging speakers ---------------------------------------------------------------------------------------


def _name_words(phrase: str) -> list[str]:
    words = [w.strip('.,;:()"\u201c\u201d') for w in phrase.split()]
    words = [re.sub("['\u2019]s?$", "", w) for w in words if w]
    return [w for w in words if w[:1].isupper()]


def same_person(ours: str, gold_words: list[str]) -> bool:
    """Whether our speaker's name is the gold name: the same last word and, when both give others, a
    shared one; a gold name of one word may be our first word instead. Accents are no difference ("Francois" is "François"), and neither is a particle, written
    capitalized or not ("De Blasio" is "Bill de Blasio")."""
    words = _name_words(ours)
    mine = [_plain(w) for w in words[:-1] if not _is_particle(w)] + [_plain(w) for w in words[-1:]]
    gold = [_plain(w) for w in gold_words[:-1] if not _is_particle(w)] + [_plain(w) for w in gold_words[-1:]]
    if not mine or not gold:
        return False
    if len(gold) == 1 and len(mine) > 1 and gold[0] == mine[0]:
        return True  # "Ann shot back" is Ann Cole ("Xi" is Xi Jinping, his name written surname first)
    if mine[-1] != gold[-1]:
        return False
    # Titles and places may stand before a first name ("Texas Sen Ted Cruz"): any shared word will do.
    others = set(mine[:-1])
    return not others or len(gold) == 1 or bool(others & set(gold[:-1]))


# A title with "of" before a name, capitalized to its end ("Chief of Staff Katie Walsh", "Director of
# National Intelligence James Clapper"): what follows "of" holds the name.
_TITLE_OF = re.compile(
    r".*\b(?:Chief|Secretary|Director|Attorney|Minister|Speaker|Chairman|Chairwoman|Head|President"
    r"|Governor|Mayor|Commissioner|Deputy|Administrator)\s+of\s+((?:[A-Z][\w.'\u2019-]*\s+)+[A-Z][\w.'\u2019-]*)$"
)


def _is_particle(word: str) -> bool:
    """ "de", "van", "Le" ("Marine Le Pen"), but not a first name such as Al."""
    return word.casefold() in _NAME_PARTICLES


def gold_name(phrase: str) -> list[str]:
    """The name words of the person a gold source names, or [] when it names no one person.

    The source is cut into its parts (commas, dashes, brackets); the first part that ends in a capitalized
    run gives the name: the run, cut before ``of``/``in``/``at``/``for``/``who``... (not the ``of`` of a
    title before the name, "Chief of Staff Katie Walsh"), without a possessive owner ("Fox News' Bret
    Baier"), leading titles, parties, roles and states ("Former Attorney General Eric Holder", "South
    Carolina Sen. Lindsey Graham"). A part ending in a lowercase word is a
    description ("a spokesman for the campaign"); a run with an organization word, an all-capitals
    headline and a plural people word ("Palestinians") name no person.
    """
    for part in _PARTS.split(_TAG.sub("", phrase)):
        titled = _TITLE_OF.match(part.strip())
        if titled is not None:
            part = titled.group(1)  # "RNC Chief of Staff Katie Walsh": the "of" is the title's
        part = _CUT.split(f" {part.strip()} ")[0].strip().strip('"\u201c\u201d.')
        words = part.split()
        if not words or not words[-1][:1].isupper():
            continue
        run: list[str] = []
        for word in reversed(words):
            bare = word.strip('"\u201c\u201d')
            if bare.endswith(("'s", "\u2019s", "'", "\u2019")) and run:
                break  # "The New Republic's Jeet Heer": the owner is not the name
            if not (bare[:1].isupper() or bare.casefold() in _PARTICLES):
                break
            run.insert(0, re.sub("['\u2019]s?$", "", bare).rstrip(".,"))
        titled = [n for n, w in enumerate(run[:-1]) if w.casefold() in _NOT_FIRST]
        if titled:
            run = run[titled[-1] + 1 :]  # "Media Research Center President Brent Bozell"
        while run and (
            run[0].casefold() in _NOT_FIRST or run[0].casefold() in _STATES or run[0][:1].islower()
        ):
            run = run[1:]
        if not run:
            continue
        if len(run) > 4:
            return []
        lowered = {w.casefold() for w in run}
        if lowered & _ORG_WORDS or (len(run) > 1 and all(w.isupper() and len(w) > 3 for w in run)):
            return []
        if len(run) == 1 and (run[0].casefold().endswith(("ians", "icans", "ans")) or run[0].isupper()):
            return []
        return run
    return []


def source_name_mentions(text: str, golds: list[GoldQuote]) -> list[tuple[int, str, str | None, bool]]:
    """Mentions, outside quotation marks, of the people the gold names as sources in this article, each
    with the gender the article gives that person (below).

    Each named (not pronoun, not descriptive) gold source gives a full name (``gold_name``); an
    occurrence of its last word stands for that person, unless first names written before it are none of
    the person's ("his daughter Ivanka Trump" is not Donald Trump). People who share a last word are told
    apart by their first names; a bare last word as ``_one_of`` tells. Limiting
    the candidates to people the annotators marked as sources keeps places, parties and organizations out
    of the antecedents.
    """
    people: dict[str, list[list[str]]] = {}  # last word -> the full names of the people it may stand for
    for gold in golds:
        if gold.source is None or gold.source.text.casefold().strip() in _PRONOUNS:
            continue
        words = gold_name(gold.source.text)
        if not words or (len(words) == 1 and re.search(rf"\b{re.escape(words[0].casefold())}\b", text)):
            continue  # "Voters", "Critics": a word the article also writes in lowercase names no one
        same = people.setdefault(words[-1], [])
        known = next((n for n, name in enumerate(same) if _may_be_same(name, words)), None)
        if known is None:
            same.append(words)
        elif len(words) > 1 and (len(same[known]) == 1 or len(words) < len(same[known])):
            # Of the forms of a name, the shortest full one ("Susan Sarandon", not "Liberal Oscar-winner
            # Sarandon"); a surname alone only while no full form is known.
            same[known] = words
    if not people:
        return []
    outside = _blank_quotes(text)
    pattern = re.compile(r"\b(" + "|".join(re.escape(w) for w in people) + r")\b")
    known = {w for same in people.values() for name in same for w in _givens(name[:-1])}
    found: list[tuple[int, int, str]] = []
    shared: list[tuple[int, int, list[str], str | None]] = []  # bare last words two people bear
    latest: dict[str, str] = {}  # last word -> the person whose full name was written last
    for match in pattern.finditer(outside):
        last = match.group(1)
        names = people[last]
        firsts = _firsts_before(outside, match.start(), known)
        if firsts:
            names = [name for name in names if not _givens(name[:-1]) or firsts & _givens(name[:-1])]
            if not names:
                continue  # someone else of that name
        if len(names) > 1:
            shared.append((match.start(), match.end(), [" ".join(n) for n in names], latest.get(last)))
            continue
        if firsts:
            latest[last] = " ".join(names[0])
        found.append((match.start(), match.end(), " ".join(names[0])))
    # Genders come from the mentions that name one person only: a bare last word told apart below
    # gives no vote ("Clinton herself" after "Bill Clinton" does not make him female).
    genders = _genders(outside, found)
    for at, end, names, recent in shared:
        person = _one_of(names, _title_gender(outside, at, end), recent, genders)
        if person is not None:
            found.append((at, end, person))
    found.sort()
    for same in people.values():
        word = same[0][0] if len(same) == 1 and len(same[0]) == 1 else ""
        if word and _not_a_surname(text, word) and not (genders.get(word) and not is_only_common_word(word)):
            # "Analysts", "the Ebelings": no he or she ("Moss freely conceded that his ..." is a surname:
            # no English common word, and the article gives it a gender)
            genders[word] = _PLURAL
    return [(at, name, genders.get(name), _is_subject(outside, at, end)) for at, end, name in found]


def _one_of(names: list[str], title: str | None, recent: str | None, genders: dict[str, str]) -> str | None:
    """Which of the people sharing a last word its bare mention stands for: the one whose gender agrees
    with a courtesy title or gendered word right before it ("Mrs. Cole"), else the one whose full name
    was written last before it; None when neither tells them apart."""
    if title is None:
        return recent
    fits = [name for name in names if genders.get(name) in (None, title)]
    sure = [name for name in fits if genders.get(name) == title]
    if len(sure) == 1:
        return sure[0]
    if len(fits) == 1:
        return fits[0]
    return recent if recent in fits else None


def _not_a_surname(text: str, word: str) -> bool:
    """Whether a one-word gold name is a plural or a common word, not a surname: the plural of a name
    the article also writes bare ("the Coles" beside "Cole said"), or a word it writes capitalized only
    where any word is (opening a sentence, a line or a quotation; in a headline), never inside a sentence
    as a surname is ("said Cole", "Sen. Cole")."""
    if word.endswith("s") and re.search(rf"\b{re.escape(word[:-1])}\b(?![ \u00a0]+[A-Z])", text):
        return True
    for match in re.finditer(rf"\b{re.escape(word)}\b", text):
        line_start = text.rfind("\n", 0, match.start()) + 1
        line_end = text.find("\n", match.end())
        if not _LOWER_WORD.search(text[line_start : None if line_end < 0 else line_end]):
            continue  # a headline
        before = text[line_start : match.start()].rstrip(" \u00a0")
        words = before.split()
        # "Sen. Cole", "Ann B. Cole" and '"Why?" Cole asked' are inside a sentence.
        ended = (before.rstrip('"\u201d\u2019')[-1:] == "." or before[-1:] in "?!") and not (
            words and (_TITLE.fullmatch(words[-1]) or _INITIALS.fullmatch(words[-1]))
        )
        if not (
            not before
            or before[-1] in "\u201c\u2018("
            or (before[-1] == '"' and before[-2:-1] in ("", " "))
            or ended
        ):
            return False
    return True


_GIVEN = re.compile(r"[A-Z][^\W\d_]*(?:-[A-Z][^\W\d_]*)?")


def _givens(words: list[str]) -> set[str]:
    """The words of a run before a last name that may be first names (not titles, ranks, roles, parties,
    states, particles, initials or function words), casefolded without accents."""
    return {
        _plain(w)
        for w in words
        if _GIVEN.fullmatch(w)
        and len(w) > 1
        and not {w.casefold()} & (_NOT_FIRST | _ROLES | _STATES | _ORG_WORDS | _RANKS | _PARTICLES)
    }


def _plain(word: str) -> str:
    return "".join(
        ch for ch in unicodedata.normalize("NFKD", word.casefold()) if not unicodedata.combining(ch)
    )


_RANKS = wordset("admiral adm captain capt colonel sergeant sgt lieutenant major commander pres")


def _may_be_same(known: list[str], words: list[str]) -> bool:
    """Whether two gold names with the same last word may be one person: one of them has no first name
    right before its last word ("Liberal Oscar-winner Sarandon"), or they share one."""
    if not _givens(known[-2:-1]) or not _givens(words[-2:-1]):
        return True
    return bool(_givens(known[:-1]) & _givens(words[:-1]))


def _firsts_before(outside: str, at: int, known: set[str]) -> set[str]:
    """The first names written right before a last name at ``at`` ("Sen. Ann B. Cole" gives ann), on its
    line and after any abbreviated title or owner ("Later Mr. Cole", "the Center's Cole" give none). None
    in a headline, where every word is capitalized; a word opening the sentence ("Later Cole said") only
    when it is among the ``known`` first names of the article's sources."""
    line_end = outside.find("\n", at)
    line = outside[outside.rfind("\n", 0, at) + 1 : None if line_end < 0 else line_end]
    if not _LOWER_WORD.search(line):
        return set()
    head = outside[max(0, at - 60) : at].rsplit("\n", 1)[-1]
    run = _RUN_BEFORE.search(head)
    if run is None:
        return set()
    words = run.group(0).split()
    cut = [n for n, word in enumerate(words) if _TITLE.fullmatch(word) or _POSSESSIVE.search(word)]
    if cut:
        words = words[cut[-1] + 1 :]
    elif words[0].casefold() not in known:
        opening = head[: run.start()].rstrip(" \u00a0")
        if not opening or opening[-1] in '.?!:"\u201d':
            words = words[1:]
    return _givens(words)


_TITLE = re.compile(r"[A-Z][a-z]{1,3}\.")
_INITIALS = re.compile(r"(?:[A-Z]\.)+")
_POSSESSIVE = re.compile("['\u2019]s?$")


# The first names, initials and titles right before a surname ("Sen. Ann B. Cole"), on one line.
_RUN_BEFORE = re.compile(
    r"(?:(?:[A-Z][\w\u2019'-]*|[A-Z][a-z]{0,3}\.|[A-Z]\.|de|van|von|del|la|le|da|bin|al)[ \u00a0])+$"
)
_CLAUSE_WORDS = wordset("and but while as because when then so although though since after before")
# Clause words that are prepositions too: a name after them opens a clause only with a verb after it
# ("after Hale dropped out", not "went after Hale, calling him").
_PREPOSITIONS_TOO = wordset("after before as since")
_JOINED_NAME = re.compile(r"\b([A-Z][\w\u2019'-]*)[ \u00a0]+(?:and|or)$")
_VERB_NEXT = re.compile(r"[ \u00a0]+[a-z]")
_ASKED_ABOUT = re.compile(r",?[ \u00a0]+(?:which|what|whether|if|about|why|how|who|when|where)\b")


def _is_subject(outside: str, at: int, end: int, asked: bool = True) -> bool:
    """Whether the mention opens a clause: at the start of a paragraph or sentence, or after a comma, a
    colon, a dash or a conjunction, its first name and titles passed over; a possessive is not, but at
    the very start of a paragraph, where what the person owns is what the paragraph is about. With
    ``asked``, the person asked a question is one too ("Hale asked Cole whether ..."), as the one who
    answers next, though the question's pronouns may be anyone's."""
    possessive = outside[end : end + 2] in ("'s", "\u2019s") or outside[end : end + 1] in ("'", "\u2019")
    head = outside[max(0, at - 80) : at]
    if possessive:
        # "Podliska's lawsuit demands his reinstatement. He also seeks ...": the owner of what opens a
        # paragraph is what it goes on about; an owner inside a sentence is not.
        run = _RUN_BEFORE.search(head)
        opening = (head[: run.start()] if run else head).rstrip(" \u00a0")
        return not opening or opening[-1] == "\n"
    run = _RUN_BEFORE.search(head)
    before = (head[: run.start()] if run else head).rstrip(" \u00a0")
    words = before.split()
    while words and words[-1].casefold() in _ROLES:  # "former Florida governor Jeb Bush"
        before = before[: before.rfind(words[-1])]
        run = _RUN_BEFORE.search(before)
        before = (before[: run.start()] if run else before).rstrip(" \u00a0")
        words = before.split()
    if not before:
        return True
    last = words[-1].casefold() if words else ""
    if last in _PREPOSITIONS_TOO and not _VERB_NEXT.match(outside, end):
        return False  # "Voss went after Hale, calling him": no clause, the object of "after"
    joined = _JOINED_NAME.search(before) if last in ("and", "or") else None
    if joined is not None:
        # "both Lopez and Weller are newcomers": a name joined to the name before it opens a clause only
        # when that one does ("Sen. Ann Lopez and Gov. Dan Weller have ...").
        at = max(0, at - 80) + joined.start()
        return _is_subject(outside, at, at + len(joined.group(1)), asked)
    if before[-1] in '.?!,;:\n\u2014\u2013"\u201d' or last in _CLAUSE_WORDS:
        return True
    if asked and last in ("asked", "asks") and _ASKED_ABOUT.match(outside, end):
        return True  # "Hale asked Cole whether ...": the one asked answers next
    # "Chess great Ann Cole", "Voss campaign manager Omar Hale", "Republican presidential
    # candidate Marco Rubio": a few words describing the name, back to the start of a clause.
    lead = _DESCRIBED.match(before if at > 80 else "\n" + before)
    if lead is not None:
        described = lead.group(1).split()
        first = described[0]
        if (first[:1].isupper() or first.casefold() in _ROLES) and all(_describes(w) for w in described):
            return True
    # "..., said Dan Moss, a retiree": the subject after its verb.
    return bool(words) and words[-1].casefold() in _CUES_BEFORE and outside[end : end + 1] in (",", ".")


# Up to four words after the last mark or conjunction that opens a clause.
_DESCRIBED = re.compile(
    r".*(?:[.?!,;:\n\u2014\u2013\"\u201d]|\b(?i:and|but|while|as|because|when|then|so|although|though|since))"
    r"[ \u00a0]*((?:[\w\u2019'.\-]+[ \u00a0]+){0,3}[\w\u2019'.\-]+)$",
    re.S,
)
_NOT_DESCRIBING = wordset(
    """
    a an the of in at for from with who which that on to by about over than and or but is was are were be
    has had have said says told tells added adds will would can could may might he she they it his her
    their its our we i you this these those not no also just if whether unless until once after before
    where how why what whom between against among into through during under like including behind
    toward towards without within upon despite
    """
)


def _describes(word: str) -> bool:
    """Whether a word before a name may describe the person ("great", "campaign", "Sanders", "Fox
    News'"), not a function word or a verb ("attacks", "praised")."""
    low = word.casefold()
    if low in _NOT_DESCRIBING:
        return False
    if low.endswith(("ed", "ing", "ly")):
        return low in _DESCRIBING_FORMS  # not "Choosing between Cole", "praised Cole"
    if word[:1].isupper() or low in _ROLES:
        return True
    return not low.endswith("s") or low.endswith(("ss", "is"))


# Words in -ed and -ing that describe a person rather than act on one.
_DESCRIBING_FORMS = wordset(
    "retired embattled indicted elected acclaimed renowned noted longtime leading ranking"
)
_ROLES = wordset(
    """
    former governor spokesman spokeswoman spokesperson chairman chairwoman senator candidate nominee rival
    adviser aide president secretary director strategist pollster analyst professor manager leader host
    anchor chief executive official lawmaker congressman congresswoman representative mayor judge
    """
)
# Words after a name that make it the owner of someone or something ("Cole spokesman", "Cole campaign").
_OWNED = _ROLES | wordset("campaign aides aide staff supporters allies")
_CUES_BEFORE = wordset("said says added told asked wrote explained noted")


_MALE, _FEMALE = "m", "f"
_PLURAL = "p"  # a group or a thing, for "they" only
_GENDERED = {
    **dict.fromkeys(
        wordset(
            "mr mr. he him his spokesman congressman chairman businessman father husband son brother king "
            "prince sir actor"
        ),
        _MALE,
    ),
    **dict.fromkeys(
        wordset(
            "mrs mrs. ms ms. miss she her hers spokeswoman congresswoman chairwoman businesswoman mother wife "
            "daughter sister queen princess lady actress"
        ),
        _FEMALE,
    ),
}
_LOWER_WORD = re.compile(r"\b[a-z]{4,}\b")
_PRONOUN_GENDER = {"he": _MALE, "him": _MALE, "his": _MALE, "she": _FEMALE, "her": _FEMALE}
# A first name, an initial, a particle or an abbreviated title ("Ann", "B.", "de", "Sen."), not a word
# that ends a sentence.
_NAME_PART = re.compile(r"[A-Z][\w'\u2019-]*|[A-Z][a-z]{0,3}\.|(?:[A-Z]\.)+|de|van|von|del|la|le|da|bin|al")


def _title_gender(outside: str, at: int, end: int) -> str | None:
    """The gender a courtesy title or a gendered word right before a name gives it ("Mr. Ross")."""
    # The word before the name, its first names, initials and titles passed over ("Ms. Ann Cole",
    # "spokeswoman Ann B. Cole"); any other word between ("a spokeswoman for Cole") ends the look.
    before = outside[max(0, at - 40) : at].rsplit("\n", 1)[-1].split()
    # At most three such words, none of them a function word; not in a headline ("Reagan's Daughter
    # Slams Trump"), where every word is capitalized.
    line_end = outside.find("\n", end)
    if not _LOWER_WORD.search(outside[outside.rfind("\n", 0, at) + 1 : None if line_end < 0 else line_end]):
        return None
    for passed, word in enumerate(reversed(before)):
        gender = _GENDERED.get(word.casefold())
        if gender is not None and word.casefold() not in _PRONOUN_GENDER:
            return gender
        if passed == 3 or not _NAME_PART.fullmatch(word) or word.casefold() in _NOT_FIRST:
            return None
    return None


def _genders(outside: str, found: list[tuple[int, int, str]]) -> dict[str, str]:
    """The gender the article itself gives each name: a courtesy title or a gendered word right before it
    or its first names ("Mr. Ross", "spokeswoman Ann Cole", not "a spokeswoman for Cole") decides; else
    the first he/his or she/her after a mention, in the rest of its sentence, is a vote, and the
    majority decides; an object "him" or "her" ends the look, as it is never the subject's own ("Cole
    thanked him", "Cole called her to": that would be "himself", "herself"). Only a subject's mention votes ("Cole spokesman Dan Ross said he" is no vote for
    Cole), and no vote goes past another source's name ("Cole thanked Ross for her help"). Quoted words
    are left out."""
    titled: dict[str, str] = {}
    votes: dict[str, list[int]] = {}
    surnames = {outside[at:end] for at, end, _ in found}
    for at, end, last in found:
        gender = _title_gender(outside, at, end)
        if gender is not None:
            titled.setdefault(last, gender)
        rest = re.split(r"[.?!](?:\s|$)", outside[end : end + 300], maxsplit=1)[0]
        following = rest.split()[:1]
        if not _is_subject(outside, at, end, asked=False) or (
            following and following[0].casefold() in _OWNED
        ):
            continue  # "attacked Cole, and her aides ...", "Cole spokesman Dan Ross said he": not Cole's
        words = re.findall(r"[A-Za-z]+", rest)
        for n, word in enumerate(words):
            if word in surnames:
                break  # "Cole denounced Ann Ross and her record": the pronoun may be the other's
            low = word.casefold()
            gender = _PRONOUN_GENDER.get(low)
            if gender is None:
                continue
            if low == "him" or (
                low == "her" and (n + 1 == len(words) or words[n + 1].casefold() in _NOT_OWNED)
            ):
                # "Cole thanked him", "Cole called her to": an object pronoun is never the subject's own
                # (that is "himself", "herself"), so it is someone else's
                break
            tally = votes.setdefault(last, [0, 0])
            tally[gender == _FEMALE] += 1
            break
    genders = dict(titled)
    for last, (male, female) in votes.items():
        if last not in genders and male != female:
            genders[last] = _MALE if male > female else _FEMALE
    return genders


# Words after "her" that make it an object ("called her to", "gave her the"), not a possessive ("her plan").
_NOT_OWNED = wordset(
    "to that the a an and or for in on at with about as from by into over of back up out off again down if "
    "when because after before while but so than"
)


def antecedent(mentions: list[tuple[int, str, str | None, bool]], pronoun: str, before: int) -> str | None:
    """The person a pronoun at offset ``before`` is judged to stand for: the nearest earlier mention that
    opens a clause (a subject), else the nearest mention at all; for he or she, only mentions whose
    gender, as the article gives it, is not the other one count."""
    wanted = _PRONOUN_GENDER.get(pronoun.casefold())
    agreeing = [
        (name, subject)
        for at, name, gender, subject in mentions
        if at < before and (wanted is None or gender is None or gender == wanted)
    ]
    subjects = [name for name, subject in agreeing if subject]
    if subjects:
        return subjects[-1]
    return agreeing[-1][0] if agreeing else None


def _blank_quotes(text: str) -> str:
    chars = list(text)
    inside = False
    for n, ch in enumerate(chars):
        if ch == '"':
            inside = not inside
            continue
        if ch in "\u201c\u201d":
            inside = ch == "\u201c"
            continue
        if inside and ch != "\n":
            chars[n] = " "
        if ch == "\n":
            inside = False
    return "".join(chars)


_TAG = re.compile(r"\s*\([^)]*\)|,\s[RDI]-[A-Z][\w.]*(?:\s[A-Z][\w.]*)?(?=,|$)")
_PARTS = re.compile(r"[,:;]|\s[\u2013\u2014-]+\s|[()]")
_CUT = re.compile(r"\s(?:of|in|inside|outside|at|for|from|with|who|which|that|on|to|and|along|as|over)\s")
# The words that open a modifier after a description's head ("a rally by ...", "a voice over").
_MODIFIER = re.compile(r"\s(?:of|in|inside|outside|at|for|from|with|who|which|that|on|to|along|as|over|by)\s")
_PARTICLES = wordset("de van von del la le da bin al")
_NAME_PARTICLES = _PARTICLES - wordset("al")
_STATES = wordset(
    """
    alabama alaska arizona arkansas california colorado connecticut delaware florida georgia hawaii idaho
    illinois indiana iowa kansas kentucky louisiana maine maryland massachusetts michigan minnesota
    mississippi missouri montana nebraska nevada ohio oklahoma oregon pennsylvania tennessee texas utah
    vermont virginia washington wisconsin wyoming new north south west carolina dakota hampshire jersey
    mexico york rhode island
    """
)
_OF_PLACE = re.compile(r"\s+of\s+[A-Z][\w.]*(?:\s+[A-Z][\w.]*)?$")


def _first_part(source: str) -> str:
    """The source up to its first comma, except, in a description, a comma between adjectives ("the
    soft-spoken, 64-year-old envoy"): one followed by two or more words that open with a lowercase
    word or a number (no article, possessive or relative pronoun) and end in a lowercase word."""
    parts = source.split(",")
    first = parts[0]
    if first.split()[:1] and first.split()[0].casefold() not in _DESCRIPTION_LEADS:
        return first  # a name: "Dana Kim, former adviser to the governor"
    for part in parts[1:]:
        words = part.split()
        if (
            len(words) < 2
            or not (words[0][:1].islower() or words[0][:1].isdigit())
            or words[-1][:1].isupper()
        ):
            break  # ("One such memo, seen by the Harbor Ledger": a participle's phrase)
        if words[0].casefold() in _DESCRIPTION_LEADS or words[0].casefold() in _RELATIVES:
            break
        first = f"{first},{part}"
    return first


_RELATIVES = wordset("who whom whose which that")


def judge(ours, source: Span, raw: str, mentions: list[tuple[int, str]]) -> bool:
    if ours is None:
        return False
    mark = next((n for n, ch in enumerate(source.text) if ch in _QUOTE_CHARS), 0)
    if source.text[:mark].strip():
        # 'Hale "He should run ..."': a source span run on into the quotation is the words before it.
        source = Span(source.label, source.pieces, source.text[:mark].strip())
    # "Rep. Ann Cole (D-Ore.)", "Sen. Tom Carper of Delaware": the tag and the state are not the name.
    whole = _first_part(_TAG.sub("", source.text))
    text = _OF_PLACE.sub("", whole).strip() or source.text.strip()
    lowered = text.casefold().strip(".,")
    if lowered in _PRONOUNS:
        name = antecedent(mentions, lowered, source.start)
        return name is not None and same_person(ours.name, _name_words(name))
    if lowered == "who":
        # "... Ann Lowe, who called it ...": a relative pronoun stands for the name right before it.
        before = _NAME_BEFORE_WHO.search(raw[max(0, source.start - 80) : source.start])
        if before is not None:
            return same_person(ours.name, _name_words(before.group(1)))
        noun = _NOUN_BEFORE_WHO.search(raw[max(0, source.start - 40) : source.start])
        if noun is not None:
            # "scolded skeptics who say ...": the people named by the noun right before it, not whoever
            # was named last.
            letters = re.sub("[^a-z ]", "", ours.name.casefold()).split()
            return ours.kind in ("group", "anonymous") and bool(letters) and letters[-1] == noun.group(1)
    if ours.kind in ("group", "anonymous") and _bare(ours.name) in (
        _bare(text),
        _bare(_CUT.split(f" {text} ", maxsplit=1)[0]),
    ):
        # "Aides say" is our group "aides": the same words, capitalized where a sentence opens; so is
        # "Attorneys for Voss" our "attorneys": the group before its modifier.
        return True
    gold_words = _name_words(text)
    if gold_words and not _is_description(text):
        named = gold_name(source.text)
        return (
            same_person(ours.name, gold_words)
            or same_person(ours.name, _name_words(text.split(",")[0]))
            or (bool(named) and same_person(ours.name, named))
            # "the American Federation of Teachers", "the Department of Justice": an organization's
            # name runs on past "of", which for a person gives a place ("Tom Carper of Delaware").
            or (
                ours.kind == "organization"
                and same_person(ours.name, _name_words(whole))
                and gold_words[-1] in _name_words(ours.name)
            )
        )
    named = gold_name(source.text)
    if named and ours.kind == "person" and same_person(ours.name, named):
        return True  # "her senior policy adviser, Jake Sullivan,": the description names the person
    # A description: our speaker is one too, with the same head noun, or it stands for a person
    # ("the senator") and is judged as a pronoun is.
    letters = re.sub("[^a-z ]", "", ours.name.casefold())  # ("the 46-year-old": heads keep letters only)
    if ours.kind in ("anonymous", "group", "organization") and any(
        head[:5] in letters for head in _heads(text)
    ):
        return True
    if _heads(text) & _DOCUMENTS and {w.casefold() for w in _name_words(ours.name)} & {
        w.casefold() for w in _name_words(text) if len(w) > 2
    }:
        return True  # "a Clinton campaign ad", "a CNN poll": the campaign or the outlet it names
    owner = _owner_of_role(text)
    if owner and same_person(ours.name, owner):
        return False  # (the person the one described works for, whoever was named last)
    name = antecedent(mentions, "", source.start)
    return ours.kind == "person" and name is not None and same_person(ours.name, _name_words(name))


def speaks_inside(ours, content: Span, raw: str) -> bool:
    """Whether the gold content holds its own attribution of a quotation to our speaker, next to that
    quotation and outside any other: "“...,” Ann Cole said, according to the Ledger" is one attribution
    nested in another, annotated as the Ledger's, and the quoted words are Ann Cole's all the same. Our
    speaker's last name word stands right before a verb of saying or right after one ("said Ann Cole"),
    the two right after the closing mark (titles and first names between) or right before the opening
    one."""
    if ours is None or ours.kind != "person" or "\n" in raw[content.start : content.end]:
        # (Paragraphs quoted from another article, "“...,” Cole said" among them, are that article's.)
        return False
    words = _name_words(ours.name)
    if not words:
        return False
    last = re.escape(words[-1])
    name = rf"(?:[A-Z][\w.'\u2019-]*\s+){{0,3}}{last}"
    nested = re.compile(
        rf"[\u201d\"],?\s+(?:{name}\s+(?:[a-z]+\s+)?{_SAYING}|{_SAYING}\s+{name})\b"
        rf"|\b{last}\s+(?:[a-z]+\s+)?{_SAYING}[,:]?\s+[\u201c\"]"
    )
    for a, b in content.pieces:
        text = raw[a:b]
        for match in nested.finditer(text):
            if _depth(text, match.start() + (1 if text[match.start()] in _QUOTE_CHARS else 0)) == 0:
                return True
    return False


def _depth(text: str, at: int) -> int:
    """How many quotations are open at offset ``at`` of ``text`` (a straight mark closes an open one)."""
    stack: list[str] = []
    for ch in text[:at]:
        if ch in "\u201c\u201e":
            stack.append(ch)
        elif ch == "\u201d":
            if stack:
                stack.pop()
        elif ch == '"':
            if stack and stack[-1] == '"':
                stack.pop()
            else:
                stack.append(ch)
    return len(stack)


# The verbs of saying an attribution nested inside a gold content uses.
_SAYING = (
    "(?:said|says|say|told|tells|added|adds|wrote|writes|asked|asks|replied|explained|recalled|noted|"
    "stated|continued|insisted|argued|declared|tweeted)"
)


def _bare(phrase: str) -> str:
    """A phrase casefolded without a leading "the" or its edge punctuation."""
    return phrase.casefold().strip(" .,;:").removeprefix("the ")


# A capitalized run (a name) that ends right before a relative "who", after its comma or not.
# ("Sen. Marco Rubio of Florida, who": the name before its place.)
_NAME_BEFORE_WHO = re.compile(
    r"((?:[A-Z][\w'\u2019.\-]*\s+){0,3}[A-Z][\w'\u2019.\-]*)"
    r"(?:\s+of\s+(?:the\s+)?[A-Z][\w'\u2019.\-]*(?:\s+[A-Z][\w'\u2019.\-]*)*)?,?\s*$"
)


# A lowercase noun right before a restrictive relative "who" ("critics who"; after a comma, "the
# chamber's strategist, who", the relative may look further back).
_NOUN_BEFORE_WHO = re.compile(r"\b([a-z][a-z-]+)\s+$")


def _is_description(text: str) -> bool:
    """Whether a source that opens with an article or possessive describes rather than names: it ends
    in a lowercase word ("the spokesperson"), or its capitalized words are only states, parties, roles
    and nationalities ("a Nevada Democrat", "an American")."""
    words = text.split()
    if _owner_of_role(text):
        return True  # "Ann Cole's spokeswoman" is not Ann Cole
    if not words or words[0].casefold() not in _DESCRIPTION_LEADS | _DEMONSTRATIVES:
        return False
    # The head comes before a modifier: "a longtime adviser to Ann Cole" is an adviser, not Ann Cole.
    head_part = _AFFILIATION.split(f" {text} ")[0].split()
    if not (head_part or words)[-1][:1].isupper():
        return True
    return all(
        w.casefold() in _STATES
        or w.casefold() in _NOT_FIRST
        or w.casefold() in _ROLES
        or _NATIONALITY.search(w)
        for w in (re.sub(r"['\u2019]s?$|[^\w'\u2019-]", "", word) for word in _name_words(text))
    )


def _owner_of_role(text: str) -> list[str]:
    """The name words of the owner in a source that describes someone by whom they work for or are
    close to ("Ann Cole's spokeswoman", "Omar Hale's campaign manager", "Cole's lawyers"); [] for any
    other source, such as what a person runs or writes ("Cole's campaign", "Hale's office")."""
    owned = _OWNER_AND_ROLE.fullmatch(text.strip())
    if owned is None:
        return []
    head = owned.group(2).casefold()
    if head not in _PERSON_HEADS and not (head.endswith("s") and head[:-1] in _PERSON_HEADS):
        return []
    return _name_words(owned.group(1))


_OWNER_AND_ROLE = re.compile(
    r"((?:[A-Z][\w.\-]*\s+){0,3}[A-Z][\w.\-]*['\u2019]s?)\s+(?:[a-z][\w\-]*\s+){0,3}([a-z][\w\-]*)"
)
_PERSON_HEADS = wordset(
    """
    spokesman spokeswoman spokesperson aide adviser advisor lawyer attorney counsel manager director
    chief staffer assistant secretary deputy wife husband son daughter father mother brother sister friend
    man woman doctor physician questioner supporter ally critic rival opponent biographer
    """
)
_AFFILIATION = re.compile(r"\s(?:of|in|inside|outside|at|for|from|with|to|on)\s")
_NOT_HEADS = wordset("just familiar close knowledgeable involved aware")
_NATIONALITY = re.compile(r"(?:an|ian|ese|ish|i)s?$")
_PARTITIVE = wordset("one some many several all most each both none few any two three four five")


def _heads(description: str) -> set[str]:
    """The head nouns of a description: its last word before a modifier ("a spokesman for the campaign"
    is a spokesman, "the spokesperson at the door" a spokesperson, "a legal opinion drafted for the
    project" an opinion); after "of" for a part of a group ("one of the protesters"); one for each part
    joined by "and" ("the Florida senator and Republican presidential candidate")."""
    heads = set()
    # The modifier goes first ("a rally by the town's political and religious leaders" is a rally), then
    # each part joined by "and" has its head.
    pieces = [p.strip() for p in _MODIFIER.split(f" {description} ", maxsplit=2)]
    first = pieces[0].split()
    if len(pieces) > 1 and first and all(w.casefold() in _PARTITIVE | _DESCRIPTION_LEADS for w in first):
        pieces = pieces[1:]  # "one of the protesters": the head after "of"
    for part in re.split(r"\s(?:and|&)\s", f" {pieces[0]} "):
        words = part.split()
        if len(pieces) > 1:
            # A participle, an adverb or an adjective before the modifier ("drafted for", "speaking on",
            # "familiar with", "close to") is not the head.
            while len(words) > 2 and (
                (words[-1].endswith(("ed", "ing", "ly")) and words[-1].casefold() not in _LY_NOUNS)
                or words[-1].casefold() in _NOT_HEADS
            ):
                words = words[:-1]
        head = re.sub("[^a-z]", "", words[-1].casefold()) if words else ""
        if head:
            heads.add(head)
    return heads


def kind_of(raw: str, quote: GoldQuote, cue_words: frozenset[str]) -> str:
    content = quote.content
    after = raw[content.end : content.end + 4]
    if any(d in after for d in _DASHES) and quote.source is not None and quote.source.start >= content.end:
        return "dash attribution"
    last = raw[content.start : content.end].rstrip()
    if last[-2:-1] in "?!" and last[-2:-1] and quote.cue is not None and quote.cue.start > content.end:
        return "?/! before attribution"
    if quote.source is not None and quote.cue is not None:
        gap = raw[min(quote.source.end, quote.cue.end) : max(quote.source.start, quote.cue.start)]
        if "," in gap or raw[content.start - 2 : content.start].strip() == ":":
            return "appositive or colon"
        if re.search(r"\([RD]-|\b(?:Del|Rev|Lt|Sen|Rep|Gov)\.|\b[A-Z]\.[A-Z]?\.?\s", quote.source.text):
            return "names (tags, titles, initials)"
        lowered = quote.source.text.casefold().strip()
        if lowered in _PRONOUNS:
            return "pronoun source"
        if lowered.split()[:1] and lowered.split()[0] in _DESCRIPTION_LEADS:
            return "description source"
    text = raw[content.start : content.end]
    if "\u2018" in text or "@" in text or "(" in text:
        return "nested or noise"
    cue = quote.cue.text.split() if quote.cue is not None else []
    if cue and not any(w.casefold().strip(",.:") in cue_words for w in cue):
        return "cue verb beyond say/tell/add"
    return "other"


# -- scoring ------------------------------------------------------------------------------------------------


def pairs_of(folder: Path) -> list[tuple[Path, Path]]:
    annotations: dict[str, list[Path]] = defaultdict(list)
    for ann in sorted((folder / "attributions").glob("*.ann")):
        annotations[ann.stem.rsplit("_", 1)[0]].append(ann)
    return [
        (text, annotations[text.stem][0])
        for text in sorted((folder / "text").glob("*.txt"))
        if annotations.get(text.stem)
    ]


def _missed_as(show: str, best) -> bool:
    """Whether ``--misses`` asks for quotes of any kind that were not found (``not found``) or were
    found with no speaker (``no speaker``), and this one is such."""
    if show == "not found":
        return best is None
    return show == "no speaker" and best is not None and best.speaker is None


def score(folder: Path, *, limit: int | None = None, show: str | None = None) -> dict:
    from corpus.ingest.pipeline import process
    from corpus.ingest.registry import RegistryRun

    # A fixed list, so that the kinds stay the same whatever the lexicon learns.
    cue_words = wordset("say says said saying tell tells told telling add adds added adding according to")
    tally = Tally()
    seconds = cpu = 0.0
    articles = pairs_of(folder)[:limit]
    # The articles are filed into one registry in turn, as ingesting them one after the other would, and
    # each is read against the registry as it stands (the directory ingest hands the pipeline).
    registry = RegistryRun()
    for text_path, ann_path in articles:
        raw = text_path.read_text(encoding="utf-8")
        directory = registry.directory.copy()
        started, cpu_started = time.perf_counter(), time.process_time()
        processed = process(raw, directory=directory)
        seconds += time.perf_counter() - started
        cpu += time.process_time() - cpu_started
        registry.add(processed)
        mapping = align(raw, processed.text)
        ours = [(q.start, q.end, q) for q in processed.quotes]
        golds = read_ann(ann_path)
        mentions = source_name_mentions(raw, golds)
        for gold in golds:
            part = quoted_part(raw, gold.content)
            if part is None:
                continue
            tally.gold += 1
            a, b = mapping[part[0]], mapping[part[1]]
            best, overlap = None, 0
            for start, end, q in ours:
                shared = min(end, b) - max(start, a)
                if shared > overlap:
                    best, overlap = q, shared
            kind = kind_of(raw, gold, cue_words)
            wrong = []
            if best is not None:
                tally.found += 1
            else:
                wrong.append("not found")
            if is_fully_quoted(raw, gold.content):
                tally.full += 1
                if best is not None and best.kind == "direct":
                    tally.full_direct += 1
                else:
                    wrong.append(f"as {best.kind if best else 'nothing'}")
            if gold.source is not None and gold.source.text.strip():
                tally.sourced += 1
                right = judge(best.speaker if best else None, gold.source, raw, mentions) or (
                    best is not None and speaks_inside(best.speaker, gold.content, raw)
                )
                tally.speaker_right += right
                if gold.source.text.casefold().strip() in _PRONOUNS:
                    tally.pronoun_sourced += 1
                    tally.pronoun_right += right
                if not right:
                    got = best.speaker.name if best is not None and best.speaker else None
                    rule = best.rule if best is not None else ""
                    wrong.append(f"speaker {got!r} ({rule}) for {gold.source.text!r}")
            tally.by_kind[kind][0] += 1
            if wrong:
                tally.by_kind[kind][1] += 1
                if show and (show in ("all", kind) or _missed_as(show, best)):
                    context = raw[max(0, gold.content.start - 120) : gold.content.end + 120].replace(
                        "\n", " "
                    )
                    tally.misses[kind].append(f"{text_path.name}: {'; '.join(wrong)}\n    {context}")
    return {
        "tally": tally,
        "registry": registry.figures(),
        "articles": len(articles),
        "seconds": seconds,
        "cpu": cpu,
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Score quote attribution on a PolNeAR split folder.")
    parser.add_argument("folder", type=Path, help="the split's folder (with text/ and attributions/)")
    parser.add_argument("--limit", type=int, default=None, help="score only the first N articles")
    parser.add_argument(
        "--misses",
        default=None,
        help='list the wrong quotes of one error kind, "not found", "no speaker", or all',
    )
    parser.add_argument("--persons", action="store_true", help="list every person record with its quotes")
    args = parser.parse_args(argv)
    if not (args.folder / "text").is_dir() or not (args.folder / "attributions").is_dir():
        sys.exit(f"{args.folder}: expected a split folder holding text/ and attributions/")
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    result = score(args.folder, limit=args.limit, show=args.misses)
    tally: Tally = result["tally"]

    def ratio(a: int, b: int) -> str:
        return f"{a / b:.3f}" if b else "-"

    rows = [
        ("articles", str(result["articles"]), ""),
        ("gold quotes (content with a quotation mark)", str(tally.gold), ""),
        ("quotes found", ratio(tally.found, tally.gold), f"{tally.found}/{tally.gold}"),
        ("fully quoted as direct", ratio(tally.full_direct, tally.full), f"{tally.full_direct}/{tally.full}"),
        (
            "strict speaker accuracy",
            ratio(tally.speaker_right, tally.sourced),
            f"{tally.speaker_right}/{tally.sourced}",
        ),
        (
            "  of which pronoun sources",
            ratio(tally.pronoun_right, tally.pronoun_sourced),
            f"{tally.pronoun_right}/{tally.pronoun_sourced}",
        ),
        (
            "pipeline articles/s",
            f"{result['articles'] / result['seconds']:.0f}" if result["seconds"] else "-",
            "",
        ),
        (
            "pipeline CPU ms/article",
            f"{1000 * result['cpu'] / result['articles']:.2f}" if result["articles"] else "-",
            "",
        ),
    ]
    width = max(len(r[0]) for r in rows)
    for label, value, detail in rows:
        print(f"{label:<{width}}  {value:>7}  {detail}")
    print()
    print(f"{'error kind':<32} {'quotes':>7} {'wrong':>6} {'right':>6}")
    for kind in _KINDS:
        total, wrong = tally.by_kind[kind]
        print(f"{kind:<32} {total:>7} {wrong:>6} {ratio(total - wrong, total):>6}")
    registry = result["registry"]
    print()
    print(f"person records: {registry.persons}; junk person names: {len(registry.junk)}")
    if registry.junk:
        print("  " + ", ".join(registry.junk[:40]))
    print(
        f"article-local speakers: {registry.local}; junk article-local speaker names: {len(registry.local_junk)}"
    )
    if registry.local_junk:
        print("  " + ", ".join(registry.local_junk[:40]))
    print(f"quotes off their person's main record: {registry.off_main}/{registry.quotes}")
    print(f"most quoted people under one record: {registry.top_on_one_record}/{len(registry.top)}")
    for quotes, name, records in registry.top:
        also = ", ".join(f"{r} {registry.counts[r]}" for r in records[1:4]) + (
            " ..." if len(records) > 4 else ""
        )
        others = f": also {also}" if records[1:] else ""
        print(f"  {quotes:>5}  {name}  ({len(records)} record{'s' if len(records) > 1 else ''}{others})")
    if args.persons:
        print()
        for name, quotes in sorted(registry.counts.items(), key=lambda item: (-item[1], item[0])):
            print(f"  person {quotes:>5}  {name}")
    for kind, lines in tally.misses.items():
        print(f"\n-- {kind} --")
        for line in lines:
            print(line)


if __name__ == "__main__":
    main()
