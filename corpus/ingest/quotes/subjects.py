"""Phrases around a cue: the subject before or after a speech verb, the cue as written, and whether
what follows a cue is reported content."""

from __future__ import annotations

import re

from ..english import is_no_noun
from ..speakers import (
    ANON_HEADS,
    GROUP_NOUNS,
    INSTITUTION_HEADS,
    MULTIWORD_STATES,
    ORG_PREMOD_HEADS,
    ORG_WORDS,
    ROLE_NOUNS,
    TITLE_WORDS,
    is_capitalized,
    wordset,
)
from .lexicon import (
    _ADVERBIAL_STARTS,
    _AUX_ADV,
    _CLAUSE_VERBS,
    _CONNECTIVES,
    _PREPOSITIONS,
    _PRONOUNS,
    _REFLEXIVES,
    _SUBORDINATORS,
    _TIME_LEADS,
    _TIME_NOUNS,
    CUE_VERBS,
    IRREGULAR_PAST,
    SPEECH_VERBS,
)
from .marks import MASK
from .tokens import Tok, _is_cap


def _dash_in(gap: str) -> bool:
    return any(d in gap for d in _DASHES) or " - " in f"{gap} "


def dash_aside(s: str, tokens: list[Tok]) -> int:
    """Where an aside between dashes that ends ``tokens`` opens ("Geoff Garin — a pollster from
    Dayton —", the index of "a"), when a capitalized word stands before it and the aside opens
    with a lowercase word or a number; 0 otherwise."""
    if len(tokens) < 3 or not _dash_in(s[tokens[-1].end : tokens[-1].end + 3]):
        return 0
    for k in range(len(tokens) - 1, max(0, len(tokens) - 25), -1):
        if tokens[k].kind != "w" and tokens[k].text != ",":
            return 0
        if _dash_in(s[tokens[k - 1].end : tokens[k].start]):
            opening = tokens[k].text[:1]
            return k if _is_cap(tokens[k - 1]) and (opening.islower() or opening.isdigit()) else 0
    return 0


def _skip_back_adverbials(tokens: list[Tok], i: int) -> int:
    while i >= 0:
        low = tokens[i].low
        if tokens[i].text == "Will":
            break  # "George Will wrote", "Will urged": capitalized right before its verb, a name, not a modal
        if low in _AUX_ADV or low in _REFLEXIVES or _is_adverb(tokens[i]):
            i -= 1
        elif low in _TIME_NOUNS and i >= 1 and tokens[i - 1].low in _TIME_LEADS:
            i -= 2
        elif (
            low in _TIME_NOUNS
            and i >= 2
            and tokens[i - 1].low in _DETERMINERS
            and tokens[i - 2].low in _DURING
        ):
            i -= 3  # "Lee during a Sunday thanked ..."
        elif (
            low in _MEDIA
            and i >= 2
            and tokens[i - 1].low in _DETERMINERS
            and tokens[i - 2].low in ("in", "on")
        ):
            i -= 3  # "Dana Moss is backing Hale and in a statement credited him ...": the medium goes
        elif low == "ago":
            # "The agency barely a week ago said", "Lee a year ago wrote": the time goes.
            if i < 2 or tokens[i - 1].low.rstrip("s") not in _AGO_UNITS:
                break
            j = i - 2
            while j >= 0 and i - j <= 6 and (tokens[j].low in _AGO_AMOUNTS or tokens[j].low.isdigit()):
                j -= 1
            if j == i - 2:
                break  # no amount before the unit: no time phrase
            i = j
        else:
            break
    return i


_AGO_UNITS = wordset("minute hour day week month year decade")
_MEDIA = wordset("statement interview tweet letter email post video speech release")
_AGO_AMOUNTS = wordset(
    "a an one two three four five six seven eight nine ten few several many less more than just only about "
    "nearly almost some"
)
_DURING = wordset("during on in at")


def _is_adverb(tok: Tok) -> bool:
    """ "similarly", "openly", "repeatedly": a lowercase -ly word between a subject and its verb."""
    low = tok.low
    return (
        tok.kind == "w"
        and len(low) >= 6
        and low.endswith("ly")
        and tok.text[0].islower()
        and low not in _LY_NOUNS
    )


_DETERMINERS = wordset("the a an")
_HAVE = wordset("had has have")
_HEAD_NOUNS = (
    ROLE_NOUNS | ANON_HEADS | INSTITUTION_HEADS | GROUP_NOUNS | ORG_PREMOD_HEADS | wordset("campaign")
)
# Nouns for a person someone employs or is close to ("Voss's spokeswoman", "Cole's lawyers"): a subject
# that names its owner first is that person, not the owner; not an organization, a document or a place
# ("Voss's campaign", "Cole's office"), which speaks for its owner.
PERSON_ROLES = (ANON_HEADS | ROLE_NOUNS | wordset("counsel wife husband son daughter")) - wordset(
    "agency newspaper outlet broadcaster head member owner candidate nominee star resident"
)


def is_person_role(word: str) -> bool:
    """Whether a lowercase noun, or its plural, is one of ``PERSON_ROLES``."""
    return word in PERSON_ROLES or (word.endswith("s") and word[:-1] in PERSON_ROLES)


_LY_NOUNS = wordset("family assembly monopoly anomaly supply rally ally butterfly homily")


_GOING = wordset("went goes go going")
_CLOSING = frozenset('"\u201d')


def subject_before(s: str, tokens: list[Tok]) -> str:
    """The subject phrase that ends just before a cue verb ("Beijing-based analyst Wu Qiang", "he")."""
    aside = dash_aside(s, tokens)
    if aside:
        # "Geoff Garin — a pollster from Dayton — said": the name before the aside.
        return subject_before(s, tokens[:aside])
    i = _skip_back_adverbials(tokens, len(tokens) - 1)
    if i < 0:
        return ""
    tok = tokens[i]
    if tok.text == ",":
        return _appositive_subject(s, tokens, i)
    unclosed = _unclosed_appositive(tokens, i)
    if unclosed:
        return s[tokens[0].start : tokens[unclosed - 1].end]
    if _title_closes_appositive(s, tokens, i):
        # `Lee, the author of "Going Viral," said`: the comma closing the appositive sits inside the
        # quotation marks of the title it ends with.
        return _appositive_subject(s, tokens, i - 1)
    if tok.kind != "w":
        return ""
    if tok.low in _PRONOUNS:
        return tok.text
    if tok.low == "to" and i > 2 and tokens[i - 1].low == "on" and tokens[i - 2].low in _GOING:
        # "Pence went on to say", "Lee goes on to call it ...": the subject of "went on".
        return subject_before(s, tokens[: i - 2])
    if tok.low == "to" and i > 1 and tokens[i - 1].low.endswith("ed") and tokens[i - 1].kind == "w":
        # "O'Malley interjected to say", "Lee rushed to say": the subject of the verb before "to".
        return subject_before(s, tokens[: i - 1])
    if tok.low == "to" and (
        had := next((n for n in range(i - 1, max(0, i - 4), -1) if tokens[n].low in _HAVE), 0)
    ):
        # "Vale had this to say", "Hale has harsh words to say": the subject of "had".
        return subject_before(s, tokens[:had])
    if tok.low in ("and", "but") and i > 0:
        # "Quinn called the move ... and said ...": both verbs share the sentence's subject, or the
        # clause's ("There were attacks, as when Quinn faulted Ruiz and called him ...").
        lead = next(
            (
                n
                for n in range(i - 1, max(-1, i - 30), -1)
                if tokens[n].text == "," or tokens[n].low in _CLAUSE_OPENERS
            ),
            -1,
        )
        if lead >= 0 and tokens[lead].text != "," and lead + 1 < i and _opens_subject(tokens[lead + 1]):
            return sentence_subject(s, tokens[lead + 1 : i])
        return sentence_subject(s, tokens[:i])
    if tok.low == "who" and i > 0:
        # "Omar Diaz, who called the plan ...", "it was Diaz who pressed for ...": the name before.
        j = i - 2 if tokens[i - 1].text == "," else i - 1
        if j >= 0 and _is_cap(tokens[j]):
            k = j
            while k > 0 and _is_cap(tokens[k - 1]):
                k -= 1
            return s[tokens[_premodifier_start(tokens, k)].start : tokens[j].end]
        if j == i - 1 and tokens[j].kind == "w" and _plural(tokens[j].low):
            # "echoing outside experts who say ...": "who" is the verb's subject, and it stands for
            # the people named right before it, not for the clause around them. (One person so
            # described, "from a candidate who promised", is more often no attribution at all.)
            return _noun_phrase_before(s, tokens, j)
    relative = "" if _is_cap(tok) else _relative_subject(s, tokens, i)
    if relative:
        return relative
    if _is_cap(tok):
        j = i
        while j > 0 and (
            _is_cap(tokens[j - 1])
            or (tokens[j - 1].low in ("of", "for", "and", "the") and j > 1 and _is_cap(tokens[j - 2]))
        ):
            j -= 1
        if (
            j > 2
            and tokens[j - 1].low == "the"
            and tokens[j - 2].low in ("of", "at")
            and _is_cap(tokens[j - 3])
        ):
            # "Lena Moreau of the Atlantic Survey Institute": a person and her affiliation.
            k = j - 3
            while k > 0 and _is_cap(tokens[k - 1]):
                k -= 1
            if j - 2 - k >= 2:
                j = k
        if (
            j > 1
            and tokens[j - 1].text == ","
            and _is_cap(tokens[j - 2])
            and " ".join(t.low for t in tokens[j : i + 1]) in _STATES
        ):
            # "Lena Park of Columbia, South Carolina says": a person from a town, and its state.
            town = _name_start(tokens, j - 2)
            if any(t.low in ("of", "from") for t in tokens[town : j - 1]):
                return s[tokens[_premodifier_start(tokens, town)].start : tokens[j - 2].end]
        if j == 0 or tokens[j - 1].low not in _PREPOSITIONS:
            first = _premodifier_start(tokens, j)
            return s[tokens[first].start : tok.end]
        if j > 1 and _is_cap(tokens[j - 2]) and (role := _role_before_name(tokens, j, i)) >= 0:
            # "The Council on Civic Relations National Executive Director Omar Hale said": the person
            # at the end of an organization's name and a title, not the organization.
            return s[tokens[role].start : tok.end]
    return _general_subject(s, tokens, i)


def _plural(word: str) -> bool:
    return len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is"))


def _noun_phrase_before(s: str, tokens: list[Tok], end: int) -> str:
    """The lowercase noun phrase ending at ``tokens[end]`` ("security experts", "the young voters"):
    back over nouns and adjectives to a determiner, which it keeps, or to a preposition, a verb, a
    participle or a punctuation mark, which it does not; "" when ``tokens[end]`` heads none."""
    k = end
    while k >= 0 and end - k < 6:
        tok = tokens[k]
        if tok.kind != "w" or not tok.text.islower():
            break
        if tok.low in _DETERMINERS or tok.low in _DESCRIPTION_LEADS:
            return s[tok.start : tokens[end].end] if k < end else ""
        if (
            tok.low in _PREPOSITIONS
            or tok.low in _CLAUSE_VERBS
            or tok.low in _SUBORDINATORS
            or tok.low in _PRONOUNS
            or tok.low in ("and", "or", "but")
            or (k < end and tok.low.endswith(("ing", "ed")) and len(tok.low) > 4)
        ):
            break
        k -= 1
    return s[tokens[k + 1].start : tokens[end].end] if k < end and not is_no_noun(tokens[end].low) else ""


def _unclosed_appositive(tokens: list[Tok], i: int) -> int:
    """ "Ada Brandt, president and CEO of the Harbor Association said", "Gary Byrne, a former guard for
    Mayor Hale has written": a name opening ``tokens``, then an appositive of a role and whom it is for,
    whose closing comma was left out before the verb. The index of the comma after the name, else 0."""
    comma = next((n for n, t in enumerate(tokens[: i + 1]) if t.text == ","), 0)
    if not 2 <= comma <= 4 or not all(_is_cap(t) for t in tokens[:comma]):
        return 0
    role = tokens[comma + 1 : i + 1]
    if (
        len(role) < 3
        or len(role) > 12
        or any(t.kind != "w" for t in role)
        or not (role[0].low in _DESCRIPTION_ARTICLES or role[0].low in ROLE_NOUNS or role[0].low == "former")
        or not any(t.low in _AFFILIATIONS for t in role[1:])
    ):
        return 0
    return comma


_AFFILIATIONS = wordset("of for at with")


def _role_before_name(tokens: list[Tok], j: int, i: int) -> int:
    """The first of the role words right before a name of two words or more that ends the capitalized
    run ``tokens[j : i + 1]``, or -1."""
    roles = ROLE_NOUNS | TITLE_WORDS
    r = next((n for n in range(i - 2, j - 1, -1) if tokens[n].low in roles), -1)
    if r < 0 or any(t.low in roles for t in tokens[r + 1 : i + 1]):
        return -1
    while r > j and tokens[r - 1].low in roles:
        r -= 1
    return r


def _title_closes_appositive(s: str, tokens: list[Tok], i: int) -> bool:
    """Whether ``tokens[i]`` closes a short quotation ending in a comma that follows a word of an
    appositive (`Lee, the author of "Going Viral,"`), not a quotation of its own (`(“...,” said`)."""
    if not (tokens[i].text in _CLOSING and i >= 4 and tokens[i - 1].text == ","):
        return False
    opening, word = tokens[i - 3], tokens[i - 4]
    return (
        tokens[i - 2].kind == "q"
        and opening.kind == "q"
        and word.kind == "w"
        and not s[word.end : opening.start].strip()
        and any(t.text == "," for t in tokens[: i - 4])
    )


def _appositive_subject(s: str, tokens: list[Tok], comma: int) -> str:
    """ "Pang Zhongying, a chair professor ... University, said": the name with its appositive.

    Also "The developer, Greenline Partners, has promised" and "One of them, a clerk who ..., said".
    """
    k, inner = _segment_before(tokens, comma)
    if k <= 0:
        return ""
    if k >= 3 and tokens[k - 1].text.isdigit() and tokens[k - 2].text == "," and _is_cap(tokens[k - 3]):
        # "Omar Hale, 31, a freelance welder, said": the name before the age and the appositive.
        j = _name_start(tokens, k - 3)
        return s[tokens[_premodifier_start(tokens, j)].start : tokens[k - 3].end]
    if _parenthetical(inner):
        # "Lee, during a forum in Akron, Ohio, said", "Kirby, 41, of Hamden, Conn., said", "Hale,
        # meanwhile, who leads the union, said", "The lawmaker, who represents ..., said": the subject
        # is before the asides.
        while True:
            earlier, aside = _segment_before(tokens, k)
            if earlier <= 0 or not _parenthetical(aside):
                # (With its closing mark when the comma is a title's: `of "Going Viral," about ...`.)
                closed = k + 1 < len(tokens) and tokens[k + 1].text in _CLOSING
                return subject_before(s, tokens[: k + 2 if closed else k])
            k = earlier
    if k != _comma_before(tokens, comma) and _is_cap(tokens[k - 1]):
        # "Dana Cole, a welder from Dayton, Ohio, said": the appositive holds a town and its state.
        return s[tokens[_name_start(tokens, k - 1)].start : tokens[comma - 1].end]
    k = _comma_before(tokens, comma)
    if _is_cap(tokens[k - 1]):
        j = _name_start(tokens, k - 1)
        inner = tokens[k + 1 : comma]
        described = _description_before(tokens, j)
        if described >= 0 and _is_place(inner):
            # "a woman in Millbrook, Vermont, told him": the town and its state say where the
            # described person is from; the description is the subject.
            return s[tokens[described].start : tokens[comma - 1].end]
        if (
            2 <= len(inner) <= 4
            and all(_is_cap(t) and t.low not in ORG_WORDS for t in inner)
            and _after_preposition(tokens, j)
            and _role_before_preposition(tokens, j)
        ):
            # "The leader of the Harbor League, Jonathan Greer, warned": the name in commas after a role
            # of an organization is who speaks.
            return s[inner[0].start : inner[-1].end]
        earlier = _comma_before(tokens, j) if j > 0 else -1
        if (
            earlier > 0
            and _is_cap(tokens[earlier - 1])
            and _after_preposition(tokens, j)
            and inner
            and (inner[0].low in ("a", "an", "the") or all(_is_cap(t) for t in inner))
        ):
            # "Ann Cole, a pollster who works with Harbor Group, a research firm, said", "Tom Reyes,
            # director of the Harbor Fund, the city's largest charity, said": the name after the
            # preposition is the appositive's object; the subject is the name before the comma that
            # opens the appositive.
            first = _premodifier_start(tokens, _name_start(tokens, earlier - 1))
            return s[tokens[first].start : tokens[comma - 1].end]
        # "Rep. Ann Moss of Ohio, a friend of ..., said": the name with its place.
        return s[tokens[_premodifier_start(tokens, j)].start : tokens[comma - 1].end]
    if (
        inner
        and all(_is_cap(t) for t in inner)
        and (earlier := _comma_before(tokens, k)) > 0
        and tokens[earlier + 1].low in ("who", "whose")
        and _is_cap(tokens[earlier - 1])
    ):
        # "Ed Stone, who lives outside the state capital, Salem, said": the name before the relative
        # clause, not the place that ends it.
        return s[tokens[_name_start(tokens, earlier - 1)].start : tokens[earlier - 1].end]
    inner = tokens[k + 1 : comma]
    if inner and inner[0].low in ("who", "whose") and _is_cap(tokens[k - 1]):
        # "O'Malley, who signed the gun laws, interjected": the name before the relative clause.
        j = k - 1
        while j > 0 and _is_cap(tokens[j - 1]):
            j -= 1
        return s[tokens[_premodifier_start(tokens, j)].start : tokens[k - 1].end]
    if inner and (inner[0].low in ("a", "an") or all(_is_cap(t) for t in inner)):
        head = _general_subject(s, tokens[:k], k - 1) if tokens[k - 1].kind == "w" else ""
        appositive = s[inner[0].start : inner[-1].end]
        if inner[0].low in ("a", "an"):
            return appositive
        if head and _introduces(tokens, s, head, k):
            # "After winning Ohio in the primary, Gov. Sam Ortiz (R-Ohio), said": the phrase before the
            # comma opens the sentence; the name after it is the subject.
            return appositive
        return f"{head}, {appositive}" if head else appositive
    return ""


def _name_start(tokens: list[Tok], j: int) -> int:
    """The first word of the capitalized run ending at ``tokens[j]``, through "of", "from" or "for"
    between capitalized words ("Tom Cole of Oklahoma")."""
    while j > 0 and (
        _is_cap(tokens[j - 1])
        or (tokens[j - 1].low in ("of", "from", "for") and j > 1 and _is_cap(tokens[j - 2]))
    ):
        j -= 1
    return j


def _description_before(tokens: list[Tok], j: int) -> int:
    """Index of the article opening a description right before "in", "from", "of" or "at" and the
    capitalized run at ``tokens[j]`` ("a woman in Worcester", "a retired teacher from Dayton"); -1 when
    there is none."""
    at = j - 1
    if at < 2 or tokens[at].low not in _PLACE_LINKS:
        return -1
    for d in range(at - 1, max(-1, at - 5), -1):
        tok = tokens[d]
        if tok.kind != "w":
            return -1
        if tok.low in _DESCRIPTION_ARTICLES:
            return d if d < at - 1 else -1
        if not tok.text.islower():
            return -1
    return -1


_PLACE_LINKS = wordset("in from of at")
_DESCRIPTION_ARTICLES = wordset("a an one the")


def _role_before_preposition(tokens: list[Tok], j: int) -> bool:
    """Whether the run at ``tokens[j]`` follows a lowercase noun and its preposition ("the leader of the
    Harbor League"), not a name ("Tom Cole of Oklahoma")."""
    at = j - 1
    if at > 0 and tokens[at].low == "the":
        at -= 1
    return (
        at > 0
        and tokens[at - 1].kind == "w"
        and tokens[at - 1].text.islower()
        and tokens[at - 1].low.isalpha()
    )


def _after_preposition(tokens: list[Tok], j: int) -> bool:
    """Whether the capitalized run starting at ``tokens[j]`` is the object of a preposition ("with
    Harbor Group", "of the Harbor Fund")."""
    before = j - 1
    if before > 0 and tokens[before].low == "the":
        before -= 1
    return before >= 0 and tokens[before].low in _PREPOSITIONS


def skip_aside(tokens: list[Tok]) -> list[Tok]:
    """The words after an aside between commas that opens ``tokens`` (", during an interview on
    Thursday, referred to ..." -> "referred to ..."); ``tokens`` when they open with no such aside."""
    if not tokens or tokens[0].text != ",":
        return tokens
    close = next((n for n in range(1, min(len(tokens), 40)) if tokens[n].text == ","), None)
    if close is None or not _parenthetical(tokens[1:close]):
        return tokens
    rest = tokens[close:]
    after = skip_aside(rest)  # "..., meanwhile, who leads the union, ..."
    return after if after is not rest else rest[1:]


def _introduces(tokens: list[Tok], s: str, head: str, comma: int) -> bool:
    """Whether ``head``, the words before ``tokens[comma]``, is a phrase that opens a sentence: a
    participle, or words after a preposition or a subordinator."""
    first = next((n for n in range(comma) if tokens[n].start >= s.rfind(head, 0, tokens[comma].start)), None)
    if first is None:
        return False
    if tokens[first].low.endswith("ing") and len(tokens[first].low) > 5:
        return True
    return first > 0 and (tokens[first - 1].low in _SUBORDINATORS or tokens[first - 1].low in _PREPOSITIONS)


def _comma_before(tokens: list[Tok], at: int) -> int:
    """Index of the comma before ``tokens[at]`` within 40 tokens; -1 when there is none."""
    k = at - 1
    while k >= 0 and tokens[k].text != "," and at - k < 40:
        k -= 1
    return k if k >= 0 and tokens[k].text == "," else -1


def _segment_before(tokens: list[Tok], comma: int) -> tuple[int, list[Tok]]:
    """The comma before ``tokens[comma]`` and the words between them; a state or town after a place
    ("of Hamden, Conn.") goes with that place."""
    k = _comma_before(tokens, comma)
    inner = tokens[k + 1 : comma] if k > 0 else []
    if (
        _is_place(inner)
        and _is_cap(tokens[k - 1])
        and (earlier := _comma_before(tokens, k)) > 0
        and any(t.low in _PREPOSITIONS for t in tokens[earlier + 1 : k - 1])
    ):
        return earlier, tokens[earlier + 1 : comma]
    return k, inner


def _is_place(inner: list[Tok]) -> bool:
    """ "Ohio", "Conn.", "New Mexico": one to three capitalized words between commas."""
    return 1 <= len(inner) <= 3 and all(_is_cap(t) for t in inner)


def _parenthetical(inner: list[Tok]) -> bool:
    """An aside between commas that is not the subject: an age, a phrase opened by a preposition or a
    participle, a relative clause, or a connective ("meanwhile")."""
    if inner and inner[0].text in _CLOSING:
        inner = inner[1:]  # (after a title closed on its comma: `of "Going Viral," about ...`)
    if not inner or inner[0].kind != "w":
        return False
    first = inner[0]
    if len(inner) == 1 and first.text.isdigit():
        return True
    if not first.text[0].islower():
        return False
    return (
        (first.low in _PREPOSITIONS and first.low != "of")
        or (first.low == "of" and len(inner) > 1 and _is_cap(inner[1]))
        or first.low in ("who", "whose", "which", "when", "while", "if", "as")
        or (first.low.endswith("ing") and len(first.low) > 5)
        or (len(inner) == 1 and (first.low in _CONNECTIVES or first.low in _AUX_ADV or _is_adverb(first)))
    )


def _relative_subject(s: str, tokens: list[Tok], i: int) -> str:
    """ "A city employee who asked not to be named because ... said": the head with its relative clause."""
    for w in range(i, max(0, i - 30), -1):
        tok = tokens[w]
        if tok.kind != "w":
            return ""
        if tok.low in ("who", "whose") and w > 0:
            head = subject_before(s, tokens[:w])
            if head and head.casefold() not in _PRONOUNS:
                return f"{head} {s[tok.start : tokens[i].end]}"
            return ""
    return ""


def _premodifier_start(tokens: list[Tok], name_start: int) -> int:
    """Include a role phrase before a name ("independent analyst Wu Qiang") when its head is a role noun."""
    if name_start == 0:
        return name_start
    head = tokens[name_start - 1]
    if head.kind != "w" or head.low not in ROLE_NOUNS | ORG_PREMOD_HEADS | TITLE_WORDS:
        return name_start
    k = name_start - 1
    while k > 0 and name_start - k < 6:
        prev = tokens[k - 1]
        if (
            prev.kind != "w"
            or prev.low in _SUBORDINATORS
            or prev.low in _CLAUSE_VERBS
            or prev.low in _PREPOSITIONS
        ):
            break
        if prev.low in _PRONOUNS or prev.low in _CONNECTIVES:
            break
        k -= 1
    return k


def _general_subject(s: str, tokens: list[Tok], i: int) -> str:
    """A lowercase-headed subject: walk back to the clause boundary, then drop trailing modifiers."""
    k = i
    commas = 0
    while k > 0:
        prev = tokens[k - 1]
        if prev.kind == "q":
            break
        if prev.kind == "p":
            if prev.text == "," and commas < 3 and _list_continues(tokens, k, i):
                commas += 1
                k -= 1
                continue
            break
        if prev.low in _SUBORDINATORS or prev.low in _CLAUSE_VERBS or prev.low in _PRONOUNS:
            break
        if prev.low in ("and", "or") and not (k > 1 and (tokens[k - 2].low.endswith("s") or commas)):
            break
        k -= 1
    while k <= i and tokens[k].kind == "p":
        k += 1
    if k > i:
        return ""
    by = next((m for m in range(k + 2, i) if tokens[m].low == "by" and _authored_by(tokens, k, m, i)), 0)
    if by:
        # "a fundraising email sent out by Omar Hale": a document and its author, who speaks.
        end = by + 1
        while end < i and _is_cap(tokens[end + 1]):
            end += 1
        return s[tokens[k].start : tokens[end].end]
    end = i
    for m in range(k + 1, i + 1):
        low = tokens[m].low
        if low == "of" and m == k + 1 and tokens[k].low in QUANTITIES:
            continue  # "Hundreds of union members": the people, not the number
        if low in ("who", "which", "whose") or low in _PREPOSITIONS or (low.endswith("ing") and len(low) > 5):
            end = m - 1
            break
    while end >= k and tokens[end].kind == "p":
        end -= 1
    if end < k:
        return ""
    return s[tokens[k].start : tokens[end].end]


def _authored_by(tokens: list[Tok], k: int, by: int, i: int) -> bool:
    """Whether "by" at ``by`` follows a participle of writing or sending after a subject opened by an
    article ("a memo sent out by", "the letter signed by"), not of obtaining ("a letter obtained by The
    Associated Press"), and comes before a capitalized name."""
    verb = by - 1 if tokens[by - 1].low not in ("out", "up") else by - 2
    return (
        tokens[k].low in _DETERMINERS
        and k < verb
        and tokens[verb].low in _AUTHORED
        and by < i
        and _is_cap(tokens[by + 1])
    )


_AUTHORED = wordset("sent written signed issued released posted published penned authored drafted tweeted")


def _list_continues(tokens: list[Tok], after_comma: int, last: int) -> bool:
    """ "leaders, officials and diplomats": the part after the comma ends a list of nouns."""
    first = tokens[after_comma]
    if first.kind != "w" or first.low in _PRONOUNS or first.low in _SUBORDINATORS:
        return False
    if after_comma < 2 or tokens[after_comma - 2].kind != "w":
        return False
    return any(t.low in ("and", "or") for t in tokens[after_comma : last + 1])


def subject_after(s: str, tokens: list[Tok]) -> str:
    """The subject after a cue verb ("said council chair Helena Vasquez", "said the expert who ...")."""
    if not tokens or tokens[0].kind != "w":
        return ""
    end = len(tokens) - 1
    relative = next((n for n, t in enumerate(tokens) if t.low in ("who", "which", "whose")), None)
    if relative is None:
        for n, tok in enumerate(tokens[1:], start=1):
            if (
                tok.kind == "q"
                or (tok.low in _ADVERBIAL_STARTS and tok.low != "of")
                # ("said Voss as he wrapped up": a clause after the name, but "known as Bob" names)
                or (tok.low in _CLAUSE_LEADS and not (n + 1 < len(tokens) and _is_cap(tokens[n + 1])))
            ):
                end = n - 1
                break
            if tok.text == "," and not (n + 1 < len(tokens) and tokens[n + 1].low in ("a", "an", "the")):
                named = _name_in_commas(tokens, n) if not _is_cap(tokens[n - 1]) else None
                if named is not None:
                    # "said the mayor's chief of staff, Lena Park", "exhorted Voss's introducer,
                    # actress Lena Park": the name after the description says who it is.
                    return s[tokens[named[0]].start : tokens[named[1]].end]
                end = n - 1
                break
    while end > 0 and tokens[end].kind != "w":
        end -= 1
    return s[tokens[0].start : tokens[end].end]


def _name_in_commas(tokens: list[Tok], comma: int) -> tuple[int, int] | None:
    """The first and last index of a full name (two to four capitalized words, a role word before it
    allowed) right after the comma at ``comma`` and ending the tokens or closed by a comma; None."""
    first = comma + 1
    m = first
    while m < len(tokens) and m - first < 2 and tokens[m].low in ROLE_NOUNS and tokens[m].text.islower():
        m += 1
    k = m
    while k < len(tokens) and k - m < 4 and tokens[k].kind == "w" and _is_cap(tokens[k]):
        k += 1
    if k - m < 2 or (k < len(tokens) and tokens[k].text not in ",."):
        return None
    return first, k - 1


def with_subject(s: str, tokens: list[Tok]) -> str:
    """ "..., with Ruiz reportedly yelling", "with Sen. Ann Cole calling it": the subject that "with"
    gives a participle at the end of ``tokens`` (no comma or quote between); "" when the words
    before the participle are no such phrase."""
    i = _skip_back_adverbials(tokens, len(tokens) - 1)
    # A name, or a title or description with its name ("with Sen. Ann Cole", "with the Teachers Union").
    j = i
    while j >= 0 and i - j < 9 and tokens[j].low != "with":
        if tokens[j].text in (",", ";", ":") or tokens[j].kind == "q":
            return ""
        j -= 1
    if j == i or j < 0 or tokens[j].low != "with" or tokens[j].text[0].isupper():
        return ""
    return s[tokens[j + 1].start : tokens[i].end]


def absolute_subject(s: str, tokens: list[Tok]) -> str:
    """ "..., Omar Hale saying he was ... and Dana Cole calling it ...": a name right before a
    participle at the end of ``tokens``, after a comma, "and" or a dash, is the participle's own
    subject; "" otherwise."""
    i = _skip_back_adverbials(tokens, len(tokens) - 1)
    if i < 1 or not _is_cap(tokens[i]):
        return ""
    j = i
    while j > 0 and i - j < 3 and _is_cap(tokens[j - 1]):
        j -= 1
    if j == 0:
        return ""
    before = tokens[j - 1]
    if (
        before.text == ","
        or before.low in ("and", "but")
        or any(d in s[before.end : tokens[j].start] for d in _DASHES)
    ):
        return s[tokens[j].start : tokens[i].end]
    return ""


def sentence_subject(s: str, tokens: list[Tok]) -> str:
    """The subject at the start of a sentence, for "..., saying ..." ("Gu from Nanjing University")."""
    k = 0
    # A quote opening the sentence is passed over (`“...,” Graham said on radio, adding, ...`).
    while k < len(tokens) and (
        tokens[k].low in _CONNECTIVES
        or tokens[k].kind in ("p", "q")
        or (tokens[k].low == "then" and (k or (k + 1 < len(tokens) and tokens[k + 1].low in _PRONOUNS)))
    ):
        k += 1  # ("And then Voss went on the attack, saying ...", "Then he tore into Hale, calling ...")
    if k < len(tokens) and _in_capitals(tokens[k].text):
        # "WASHINGTON, Dec. 8 (UPI) — Lee said ...": a dateline, and the sentence after its dash.
        after = next(
            (
                n
                for n in range(k + 1, min(len(tokens), k + 12))
                if tokens[n].text in _DASHES
                or any(d in s[tokens[n - 1].end : tokens[n].start] for d in _DASHES)
            ),
            None,
        )
        if after is not None:
            return sentence_subject(s, tokens[after + (tokens[after].text in _DASHES) :])
    if k + 2 < len(tokens) and tokens[k + 1].text == "," and tokens[k].low in _SENTENCE_ADVERBS:
        # "First, Reyes attacked ...", "Finally, she ...": an adverb of the writer's opens the sentence.
        return sentence_subject(s, tokens[k + 2 :])
    time = next((n for n in range(k + 1, min(len(tokens), k + 7)) if tokens[n].kind != "w"), None)
    if time is not None and tokens[time].text == "," and tokens[time - 1].low in _TIME_AFTER:
        # "Hours later, Cole returned ...", "But a few days later, he ...": the subject follows the comma.
        return sentence_subject(s, tokens[time + 1 :])
    # After a conjunction that opens the sentence, its next word opens it too, capitalized or not ("And
    # although he thanked them, he ...", "But back home, he ...").
    opening = k > 0 and tokens[0].low in _CONNECTIVES and tokens[0].text[0].isupper()
    if (
        k < len(tokens)
        and _opens_with_a_phrase(tokens[k], tokens[k + 1] if k + 1 < len(tokens) else None, opening)
        and (tokens[k].low not in _TIME_OPENERS or _numbers_a_time(tokens, k))
    ):
        # "Speaking at a fair in Millbrook, Voss went after Hale": the subject follows the comma.
        commas = [
            n
            for n in range(k + 1, min(len(tokens), k + 30))
            if tokens[n].text == "," and not _state_follows(tokens, n)
        ]
        # "In a wide-ranging, in-prison interview, Lazar said": the comma the subject follows.
        comma = next(
            (n for n in commas if n + 1 < len(tokens) and _opens_subject(tokens[n + 1])),
            commas[0] if commas else None,
        )
        if comma is not None:
            return sentence_subject(s, tokens[comma + 1 :])
    if k >= len(tokens):
        return ""
    if tokens[k].low in _PRONOUNS:
        return tokens[k].text
    end = k
    if (
        (tokens[k].low in _DETERMINERS or tokens[k].low in _DESCRIPTION_LEADS)
        and k + 1 < len(tokens)
        and _is_cap(tokens[k + 1])
    ):
        # "The Clinton Foundation", "the Democrat convention committee": the name after its article,
        # and a head noun after the name ("One Democratic official", "His Republican rival").
        end = k + 1
        while end + 1 < len(tokens) and _is_cap(tokens[end + 1]):
            end += 1
        for j in range(end + 1, min(len(tokens), end + 4)):
            word = tokens[j]
            if word.kind != "w" or word.low in _CLAUSE_VERBS or word.low in CUE_VERBS or _is_cap(word):
                break
            if word.low in _HEAD_NOUNS:
                end = j
        return s[tokens[k].start : tokens[end].end]
    # "His chief aide", "One operative", "The retired surgeon": a lead before lowercase words opens a
    # description, read as the lowercase subjects are.
    described = k + 1 < len(tokens) and (
        (tokens[k].low in _DESCRIPTION_LEADS and tokens[k + 1].text.islower())
        # "Dozens of nurses", "Hundreds of union members": a number of people.
        or (tokens[k].low in QUANTITIES and tokens[k + 1].low == "of")
    )
    if (
        _is_cap(tokens[end])
        and tokens[end].low not in _DETERMINERS
        and tokens[end].low not in _NUMBERS
        and not described
    ):
        while end + 1 < len(tokens) and (
            _is_cap(tokens[end + 1])
            or (
                tokens[end + 1].low in ("of", "from", "at")
                and end + 2 < len(tokens)
                and _is_cap(tokens[end + 2])
            )
        ):
            end += 1
        end = _through_role_and_name(tokens, end)
        owner = next((n for n in range(k, end + 1) if _OWNED.search(tokens[n].text)), None)
        if owner is not None:
            # "Omar Hale's Ohio state director, Mike Ruiz, reached out": a role of the owner's, then the
            # name in commas that says who holds it; "Omar Hale's Ohio office" without one.
            head = None
            for n in range(end + 1, min(len(tokens), end + 5)):
                tok = tokens[n]
                if tok.kind != "w" or not tok.text.islower() or tok.low in _CLAUSE_VERBS:
                    break
                if tok.low in _HEAD_NOUNS or is_person_role(tok.low):
                    head = n
                elif head is not None:
                    break  # ("Voss's right-hand woman rallied supporters": the verb ends the head)
            if head is not None:
                named = _named_after(tokens, head)
                if named > head:
                    return s[tokens[head + 2].start : tokens[named].end]
                if owner < end or is_person_role(tokens[head].low):
                    # (a capitalized word after the owner is no part of the owner's name; "Voss's
                    # right-hand woman" is the woman)
                    end = head
    else:
        # Right after the lead, a word in -ed or -ly modifies the noun ("the retired surgeon", "the
        # famously gruff senator"): no verb follows an article.
        modifying = described
        while end + 1 < len(tokens) and end - k < 4:
            nxt = tokens[end + 1]
            if nxt.kind != "w" or nxt.low in _CLAUSE_VERBS or nxt.low in SPEECH_VERBS or nxt.low in _AUX_ADV:
                break
            if not modifying and (
                nxt.low.endswith("ed")
                or nxt.low in IRREGULAR_PAST
                or _is_adverb(nxt)
                or _verb_before_object(tokens, end + 1)
            ):
                break
            modifying = modifying and _is_adverb(nxt)
            end += 1
            if (
                described
                and nxt.low in _HEAD_NOUNS
                and end + 1 < len(tokens)
                and tokens[end + 1].low not in _OF
                and tokens[end + 1].low not in _HEAD_NOUNS
            ):
                break  # "His office put out ...": the description ends at its head noun ("chief aide")
        if described:
            end = _named_after(tokens, end)
    return s[tokens[k].start : tokens[end].end]


def _named_after(tokens: list[Tok], end: int) -> int:
    """ "Her campaign manager, Lou Reyes, put it ...": the name set off by commas after a description
    (``end`` is its last word) is part of the subject, and names who it is; ``end`` when none follows."""
    n = end + 2
    if n >= len(tokens) or tokens[end + 1].text != "," or not _is_cap(tokens[n]):
        return end
    while n + 1 < len(tokens) and n - end < 6 and _is_cap(tokens[n + 1]):
        n += 1
    if n - end < 3 or n + 1 >= len(tokens) or tokens[n + 1].text != ",":
        return end  # a full name of two words or more, closed by its comma
    return n


def _verb_before_object(tokens: list[Tok], n: int) -> bool:
    """ "The ad targets a ...", "the survey asks whether ...": a word in -s after the noun it follows,
    with an article, a pronoun or a clause opener after it, is the verb, not part of the subject."""
    word = tokens[n].low
    if n + 1 >= len(tokens) or not word.endswith("s") or word.endswith(("ss", "us", "is", "'s", "\u2019s")):
        return False
    if tokens[n - 1].low in _DETERMINERS:
        return False
    after = tokens[n + 1]
    return after.kind == "q" or after.low in _OBJECT_OPENERS


_DESCRIPTION_LEADS = wordset("the a an his her their its our one another")
_OWNED = re.compile("(?:['\u2019]s|s['\u2019])$")
QUANTITIES = wordset("dozens hundreds thousands scores millions")
_OF = wordset("of for at inside")
_OBJECT_OPENERS = wordset("the a an that whether if how what why his her their its our him them it us to")


_DASHES = "\u2015\u2014\u2013"


def _in_capitals(word: str) -> bool:
    return len(word) >= 3 and word.isalpha() and word.isupper()


def _through_role_and_name(tokens: list[Tok], end: int) -> int:
    """ "Republican presidential front-runner Donald Trump": past a capitalized label, up to three
    lowercase words ending in a role noun and the name after them; ``end`` when they are not there."""
    j = end + 1
    # "Former prosecutor and city mayor Ada Lund": roles joined by "and" before the name.
    while (
        j < len(tokens)
        and j - end < 6
        and tokens[j].text.islower()
        and not (tokens[j].low in ROLE_NOUNS and j + 1 < len(tokens) and _is_cap(tokens[j + 1]))
    ):
        if (
            tokens[j].kind != "w"
            or tokens[j].low in _CLAUSE_VERBS
            or tokens[j].low in CUE_VERBS
            or tokens[j].low in _PREPOSITIONS
            or tokens[j].low in _DETERMINERS
            or tokens[j].low.endswith("ed")
        ):
            return end
        if tokens[j].low in ROLE_NOUNS and tokens[j + 1 : j + 2] and tokens[j + 1].low != "and":
            return end
        j += 1
    if not (
        j + 1 < len(tokens)
        and tokens[j].text.islower()
        and tokens[j].low in ROLE_NOUNS
        and _is_cap(tokens[j + 1])
    ):
        return end
    end = j + 1
    while end + 1 < len(tokens) and _is_cap(tokens[end + 1]):
        end += 1
    return end


def _state_follows(tokens: list[Tok], comma: int) -> bool:
    """ "in Millbrook, Vermont, Voss ...": the comma before a state that goes with the town before it
    (a state's name or abbreviation, closed by a comma of its own)."""
    close = next((n for n in range(comma + 1, min(len(tokens), comma + 5)) if tokens[n].text == ","), None)
    if close is None or not _is_cap(tokens[comma - 1]):
        return False
    words = tokens[comma + 1 : close]
    named = " ".join(t.low for t in words).rstrip(".")
    return named in _STATES or (len(words) <= 2 and all(t.text.endswith(".") for t in words[-1:]))


def _opens_subject(tok: Tok) -> bool:
    return tok.kind == "w" and (_is_cap(tok) or tok.low in _PRONOUNS or tok.low in _DETERMINERS)


def _opens_with_a_phrase(tok: Tok, following: Tok | None = None, opening: bool = False) -> bool:
    """A sentence opened by a participle ("Speaking at ...", "Citing ...") or a preposition ("In a
    statement to ..."), whose subject comes after the first comma; ``opening`` when ``tok`` opens the
    sentence though written in lowercase (after "And", "But")."""
    if (
        tok.low == "about"
        and following is not None
        and (following.text[:1].isdigit() or following.low in _NUMBERS)
    ):
        return False  # "About 200 protesters gathered ...": a number of people, not a phrase
    initial = opening or _is_cap(tok)
    return tok.kind == "w" and (
        (tok.low.endswith("ing") and len(tok.low) > 5 and _is_cap(tok))
        or tok.low in _PREPOSITIONS
        or (tok.low in _CLAUSE_LEADS and initial)
        # "Flanked by the sheriff, Trump ...", "Informed of the result, Early ...": a participle's phrase.
        or (
            _is_cap(tok)
            and tok.low.endswith("ed")
            and following is not None
            and following.low in _PREPOSITIONS
        )
        # "Here in Millbrook, Cole ...", "Asked which county ..., he demurred", "Last month, ..."
        or (initial and tok.low in _PHRASE_LEADS)
        # "Monday evening, Hale scoffed ...", "Nine years before, he had argued ...".
        or (_is_cap(tok) and tok.low in _TIME_OPENERS)
    )


def _numbers_a_time(tokens: list[Tok], k: int) -> bool:
    """ "Thirteen years earlier, ...", not "Two council members, however, ...": a number word opens a
    time phrase only when a word of time comes before the first comma."""
    if tokens[k].low in _DAYS_AND_MONTHS:
        return True
    for tok in tokens[k + 1 : k + 8]:
        if tok.text == ",":
            return False
        if tok.low.rstrip("s") in _TIME_UNITS or tok.low in _TIME_AFTER:
            return True
    return False


# Subordinators that open a sentence with a clause of their own ("While the donor ..., he said").
_PHRASE_LEADS = wordset(
    "here even asked last meanwhile instead indeed nevertheless early later earlier immediately shortly soon"
    " outside inside amid back alongside beside throughout unlike despite"
)
_SENTENCE_ADVERBS = wordset(
    "first second third finally next then still moreover furthermore likewise similarly ultimately eventually "
    "afterward afterwards again instead besides otherwise now today yesterday"
)
_TIME_AFTER = wordset("later earlier ago afterward afterwards before")
_NUMBERS = wordset(
    """
    two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen twenty thirty forty
    fifty
    """
)
_TIME_OPENERS = (
    wordset("monday tuesday wednesday thursday friday saturday sunday january february march july september")
    | wordset("october november december")
    | _NUMBERS
)
_DAYS_AND_MONTHS = _TIME_NOUNS
_TIME_UNITS = wordset("second minute hour day night week weekend month year decade century morning evening")
_CLAUSE_LEADS = wordset("while when although though because since if as once unless until whereas")
# The same but "as", which is as often a preposition ("slammed the shift as a conversion and ...").
_CLAUSE_OPENERS = _CLAUSE_LEADS - {"as"}


def _object_of_told(tokens: list[Tok], v: int) -> int:
    """Index just past the object of "told" ("told the Politburo", "told reporters")."""
    n = v + 1
    if n < len(tokens) and tokens[n].low in ("the", "a", "an"):
        n += 1
        while n < len(tokens) and _is_cap(tokens[n]):
            n += 1
        if n == v + 2 and n < len(tokens) and tokens[n].kind == "w":
            n += 1
        return n
    if n < len(tokens) and _is_cap(tokens[n]):
        while n < len(tokens) and _is_cap(tokens[n]):
            n += 1
        return n
    if n < len(tokens) and tokens[n].kind == "w":
        return n + 1
    return n


def _cue_text(s: str, tokens: list[Tok], v: int) -> tuple[str, int]:
    """The cue as written and the index after it ("told the Politburo")."""
    if tokens[v].low in ("told", "tells", "tell", "telling"):
        after = _object_of_told(tokens, v)
        return s[tokens[v].start : tokens[after - 1].end], after
    return tokens[v].text, v + 1


def _only_adverbials(tokens: list[Tok]) -> bool:
    """After a trailing "X said": nothing, time and place ("on Wednesday"), then perhaps ", ending ..."."""
    comma = next((n for n, t in enumerate(tokens) if t.text == ","), None)
    if comma is not None and comma + 1 < len(tokens):
        following = tokens[comma + 1].low
        # ", ending ..." or ", and the clinic ...": the attribution was a parenthesis.
        if following.endswith("ing") or following in ("and", "but", "or", "while", "as", "although"):
            tokens = tokens[:comma]
    words = [t for t in tokens if t.kind == "w"]
    return not words or (words[0].low in _ADVERBIAL_STARTS and len(words) <= 8)


def _content_after(tokens: list[Tok], n: int) -> int | None:
    """Index of the first token of reported content after a cue, or None when only adverbials follow."""
    if n < len(tokens) and tokens[n].low in _ADVERBIAL_STARTS:
        that = next((m for m in range(n, min(len(tokens), n + 10)) if tokens[m].low == "that"), None)
        if that is None:
            return None
        n = that
    elif n + 1 < len(tokens) and tokens[n].low == "when" and tokens[n + 1].low in ("asked", "pressed"):
        # "told the Ledger when asked which plan she backed that ...": the question put to the speaker
        # is none of what was said; the content opens after its "that".
        # ("when asked whether that plan ...", "when asked about that": a "that" of the question's own.)
        that = next(
            (
                m
                for m in range(n + 2, min(len(tokens), n + 14))
                if tokens[m].low == "that" and tokens[m - 1].low not in _QUESTION_OPENERS
            ),
            None,
        )
        if that is not None:
            n = that
    if n < len(tokens) and tokens[n].low == "that":
        n += 1
    if n < len(tokens) and tokens[n].kind == "p":
        return None
    return n if _enough_content(tokens[n:]) else None


_QUESTION_OPENERS = _PREPOSITIONS | wordset("whether if which what how why who is was are were")


def _enough_content(tokens: list[Tok]) -> bool:
    """Reported content needs words of its own; a quote alone is a direct quote, not reported speech."""
    words = sum(1 for t in tokens if t.kind == "w")
    quoted = sum(1 for t in tokens if t.text[0] == MASK)
    return words >= 1 and words + quoted >= 3


def _first_content(tokens: list[Tok]) -> int | None:
    """Skip a leading connective ("However,") that belongs to the writer, not the speaker."""
    n = 0
    while n < len(tokens) and (tokens[n].low in _CONNECTIVES or tokens[n].kind == "p"):
        n += 1
    return n if n < len(tokens) else None


def _last_word(tokens: list[Tok]) -> Tok:
    for tok in reversed(tokens):
        if tok.kind != "p":
            return tok
    return tokens[-1]


def _strip_trailing_adverbials(s: str, tokens: list[Tok]) -> str:
    i = _skip_back_adverbials(tokens, len(tokens) - 1)
    if i < 0:
        return ""
    first = 0
    while first < i and (tokens[first].low in _CONNECTIVES or tokens[first].kind != "w"):
        first += 1
    if tokens[first].kind != "w":
        return ""
    return s[tokens[first].start : tokens[i].end]


def _ends_with_cue(before: str) -> bool:
    """ "He said," / "she added:" / "Smith told reporters" right before the mark opens a full quote."""
    tail = before[-60:].rstrip(",:").split()
    return (
        bool(tail)
        and (
            (tail[-1].casefold() in CUE_VERBS and (len(tail) == 1 or not tail[-1][:1].isupper()))
            or (len(tail) > 1 and tail[-2].casefold() in ("told", "telling"))
            # "as Ann Cole put it," and "in Ann Cole's words," end an aside that names the speaker.
            or (len(tail) > 2 and tail[-1] == "it" and tail[-2] in ("put", "puts"))
            or (
                len(tail) > 2
                and tail[-1] == "words"
                and "in" in tail[-6:-2]
                and _POSSESSIVE_WORD.search(tail[-2])
            )
        )
    )


_POSSESSIVE_WORD = re.compile("(?:['\u2019]s|s['\u2019])$")


_AFFILIATION = re.compile(r"\s(?:of|at|from|with)\s(?:the\s)?(?=[A-Z])")
_STATES = (
    wordset(
        """alabama alaska arizona arkansas california colorado connecticut delaware florida georgia hawaii idaho
    illinois indiana iowa kansas kentucky louisiana maine maryland massachusetts michigan minnesota
    mississippi missouri montana nebraska nevada ohio oklahoma oregon pennsylvania tennessee texas utah
    vermont virginia washington wisconsin wyoming"""
    )
    | MULTIWORD_STATES
)
_NAME_JOINERS = wordset("of the for and on")
_ROLE_SUFFIXES = ("grapher", "ologist", "scientist", "economist", "analyst", "researcher", "professor")


def person_of_org(phrase: str) -> str:
    """ "Oceanographer Lena Moreau of the Atlantic Survey Institute" -> "oceanographer Lena Moreau": a
    person named before an organization is the speaker, not the organization; a role word capitalized at a
    sentence start is lowered so that it stays out of the name."""
    match = _AFFILIATION.search(phrase)
    if match is None:
        return phrase
    person, org = phrase[: match.start()].split(), phrase[match.end() :].split()
    # "Sen. Tom Carper of Delaware": a state is an affiliation as an organization is.
    state = 1 <= len(org) <= 2 and " ".join(org).casefold().rstrip(".,") in _STATES
    run = len(person)
    while run > 0 and is_capitalized(person[run - 1]):
        run -= 1
    names = person[run:]
    lowered = {w.casefold().rstrip(".,") for w in org}
    # "Dana Cole of Cheyenne", "... of Madison, Alabama": a full name from a town is the person too.
    place = org[: next((n for n, w in enumerate(org) if w in ("who", "whose", "which")), len(org))]
    town = (
        1 <= len(place) <= 2
        and all(is_capitalized(w) for w in place)
        and (len(place) == 1 or place[0].endswith(","))
    )
    # "Omar Hale of the Ohio delegation": any group a full name is "of" leaves the person.
    delegation = bool(org) and org[-1].islower() and org[-1].isalpha()
    # "Ann Cole of The Harbor Ledger", "Bishop Tom Reyes of the Diocese of Salem": a full name of a
    # capitalized body is the person too, whatever the body's name.
    body = (
        len(org) <= 8
        and all(is_capitalized(w) or w in _NAME_JOINERS for w in org)
        and not {w.casefold().rstrip(".") for w in names} & (ROLE_NOUNS | TITLE_WORDS)
    )
    if len(names) < 2 or not (state or town or delegation or body or lowered & ORG_WORDS):
        return phrase
    if {w.casefold() for w in names} & ORG_WORDS:
        return phrase
    first = person[0].casefold()
    if len(person) >= 3 and (first in ROLE_NOUNS or first.endswith(_ROLE_SUFFIXES)):
        person[0] = first
    return " ".join(person)
