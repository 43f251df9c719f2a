"""Who "he" and "she" are: the people an article names as subjects, in order, with their gender as the
article itself shows it.

Every person named as the subject of a clause is a candidate, not only the subjects of speech verbs
("Mayor Ito condemned the plan. ... she said" is Ito). A pronoun takes the latest candidate before it
whose gender agrees. Gender comes from the article's own evidence: a courtesy title ("Mr. Ito",
"Ms. Ito", "Mrs. Ito") decides; a gendered role word ("spokeswoman Ada Ito") and the first personal
pronoun after the name in the same or the next sentence ("Ito ... her plan", "Ito ... He said") are
votes, the majority deciding ("spokesman Hope Ito" then "she said" leaves the gender open). Only when
the article says nothing does a given name written almost only for one gender tell ("Emily Ito",
``givennames``). A candidate of unknown gender agrees with either pronoun; when the evidence is against
every recent candidate, the pronoun stays unresolved rather than go to the wrong person.

The scan is one regular-expression pass over the article, done only when a pronoun needs it.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass

from ..speakers import (
    ANON_HEADS,
    ORG_WORDS,
    PLACE_OPENERS,
    PLACES,
    PREPOSITIONS,
    ROLE_NOUNS,
    TITLE_WORDS,
    is_capitalized,
    wordset,
)
from .descriptions import (
    _ARTICLES,
    _CLAUSE_MARKS,
    _DESCRIBING,
    _NOT_NAME_START,
    _PARTY_ROLES,
    _PARTY_WORDS,
    _POSSESSIVES,
    _RANKS,
    _ROLE_OF,
    _appositive_after,
    _described_before,
    _describes,
    _is_title_word,
)
from .givennames import FEMALE_NAMES, MALE_NAMES
from .marks import MASK, find_pairs, mask
from .subjects import _STATES

MALE, FEMALE = "m", "f"
_GENDER_OF_PRONOUN = {
    "he": MALE,
    "him": MALE,
    "his": MALE,
    "himself": MALE,
    "she": FEMALE,
    "her": FEMALE,
    "hers": FEMALE,
    "herself": FEMALE,
}
_TITLE_GENDER = {
    "mr": MALE,
    "mr.": MALE,
    "mrs": FEMALE,
    "mrs.": FEMALE,
    "ms": FEMALE,
    "ms.": FEMALE,
    "miss": FEMALE,
    "sir": MALE,
    "lady": FEMALE,
    "dame": FEMALE,
    "spokeswoman": FEMALE,
    "spokesman": MALE,
    "congresswoman": FEMALE,
    "congressman": MALE,
    "chairwoman": FEMALE,
    "chairman": MALE,
    "businesswoman": FEMALE,
    "businessman": MALE,
    "councilwoman": FEMALE,
    "councilman": MALE,
    "king": MALE,
    "queen": FEMALE,
    "prince": MALE,
    "princess": FEMALE,
    "father": MALE,
    "sister": FEMALE,
    "brother": MALE,
    "wife": FEMALE,
    "husband": MALE,
    "mother": FEMALE,
    "son": MALE,
    "daughter": FEMALE,
}
# Role words written with a gender that some use for anyone in the role ("spokesman Hope Hicks"): a vote
# for the name's gender, which its pronouns may outweigh, not a courtesy title's decision.
_GENDERED_ROLES = wordset(
    """
    spokesman spokeswoman congressman congresswoman chairman chairwoman businessman businesswoman
    councilman councilwoman
    """
)
# A name run: capitalized words, initials and abbreviated titles, possibly joined by particles (a dot
# before a capitalized word and a lowercase one ends it: "Ann Hale.She said").
_RUN_WORD = r"[A-Z][\w\u2019'\-]*(?:\.(?![A-Z][a-z])[\w\u2019'\-]*)*"
_RUN = re.compile(rf"{_RUN_WORD}(?:[ ]+(?:{_RUN_WORD}|(?:de|van|von|del|da|bin|al|la|le)\b))*")
# Lowercase words after which a name still opens a clause ("... and Cruz said", "that Ito would").
_CLAUSE_OPENERS = wordset("and but or when while as because though although since so yet then")
# Role words right before a name ("candidate Ann Cole said"): the name is a subject when the role's
# phrase opens a clause, not in "swipes at fellow contender Ann Cole".
_ROLE_OPENERS = wordset("candidate nominee moderator host anchor leader rival opponent contender")
# Words that open a clause only when a verb follows the name ("after Ann Cole revealed ...", but "after
# Ann Cole" and "known as Ann Cole" name no subject).
_VERB_OPENERS = wordset("after before once until as")
# Cue verbs that a speaker's name may follow ("..., said Ann Cole, a welder").
_POSTPOSED_CUES = wordset(
    "said says added adds asked asks told wrote writes explained noted continued recalled"
)
# "Trump says", "Trump has also", "Cruz openly admitted": a lone name followed by a verb-like word.
_LONE_VERBS = (
    r"[a-z]+ed|said|says|told|tells|adds|has|had|is|was|will|would|also|then|did|does|can|could|wants|thinks"
)
_LONE_SUBJECT = re.compile(rf" (?:[a-z]+ly )?(?:{_LONE_VERBS})\b")
# The verb after the subject of a clause that "after", "as", "once" ... open: those ``_LONE_SUBJECT``
# reads, and the irregular past forms such a clause often takes ("after Ann Cole lost the vote").
_CLAUSE_VERB = re.compile(
    rf" (?:[a-z]+ly )?(?:{_LONE_VERBS}|lost|won|took|made|went|came|got|gave|left|ran|spoke|wrote|met|began"
    r"|became|held|sent|spent|felt|kept|brought|thought|fought|saw|knew|stood|led|fell|broke|chose|rose"
    r"|shook|struck|threw|paid|heard|built)\b"
)


@dataclass(slots=True)
class Mention:
    at: int  # offset in the article text
    name: str  # the name as written, titles left out
    last: str  # its last word, casefolded: the key of later surname mentions
    # Where a quotation opening right after the name closes ("Ito “wrecked the budget,” he said"):
    # its words are said of the person, so the pronoun of its attribution is someone else; -1 when none.
    quoted_until: int = -1


class PersonMentions:
    """The subject mentions of people in one article, and the gender evidence for each name."""

    def __init__(self) -> None:
        self.mentions: list[Mention] = []
        self.starts: list[int] = []
        self._objects: list[Mention] = []  # the mentions that are no subject, in order
        self._titled: dict[str, str] = {}  # gender from a courtesy title or a family word
        self._votes: dict[str, dict[str, int]] = {}  # gender from the pronouns after the name
        self._roles: dict[str, set[str]] = {}  # full name -> its titles, roles, places and parties
        self._evidence: list[tuple[str, str, int, int, list[str]]] = []  # not yet read for roles
        self._known: dict[str, str] = {}  # last word -> the first full name it stands for
        self._family: dict[str, list[str]] = {}  # last word -> the full names with it, in order
        # The paragraphs read so far, (start offset, masked text), read again only to tell sentences apart.
        self._paragraphs: list[tuple[int, str]] = []
        self._paragraph_starts: list[int] = []

    @classmethod
    def of_text(cls, text: str, spans: list[tuple[int, int]]) -> PersonMentions:
        """The mentions of the given spans of ``text``, each masked here."""
        people = cls()
        for start, end in spans:
            block = text[start:end]
            pairs = find_pairs(block)
            people.add(start, mask(block, pairs) if pairs else block)
        return people

    def gender_of(self, name: str) -> str | None:
        """The gender the article gives a person, by full name or by a surname it introduced."""
        key = name.casefold()
        key = self._known.get(key, name).casefold() if " " not in key else key
        titled = self._titled.get(key)
        if titled is not None:
            return titled
        counts = self._votes.get(key)
        if not counts:
            return None
        male, female = counts.get(MALE, 0), counts.get(FEMALE, 0)
        return None if male == female else MALE if male > female else FEMALE

    def likely_gender(self, name: str) -> str | None:
        """The gender the article gives a person (``gender_of``), else the one its given name is almost
        only written for ("Emily Kessel", "Tim Canova"); None when neither tells."""
        gender = self.gender_of(name)
        if gender is not None:
            return gender
        key = name.casefold()
        key = self._known.get(key, name).casefold() if " " not in key else key
        given = key.split()[0] if " " in key else ""
        return MALE if given in MALE_NAMES else FEMALE if given in FEMALE_NAMES else None

    def add(self, start: int, masked: str) -> None:
        """Read one paragraph (starting at offset ``start``, its quotes masked), after the ones before it."""
        votes = self._votes
        known = self._known
        self._paragraphs.append((start, masked))
        self._paragraph_starts.append(start)
        pending: Mention | None = None  # the latest subject named, waiting for the first pronoun after it
        pending_end = 0
        pending_opened = False  # whether a subordinating word opens the pending name's clause
        listed_end = -1  # where the latest person's name ends: a name right after it is a list's
        listed_subject = False  # whether that name, or the first of its list, is a subject
        for at, run_end, words in _runs(masked):
            if len(words) == 1 and words[0].casefold() in _GENDER_OF_PRONOUN:
                continue  # "She" opening a sentence is no name: it is read as the pending name's vote
            lead = [w.casefold() for w in words]
            cut = 0
            gender = None
            role_gendered = False  # whether the gender comes from a role word ("spokesman"), not a title
            while cut < len(words) and (
                lead[cut].rstrip(".") in _NOT_NAME_START
                or lead[cut] in TITLE_WORDS
                or lead[cut] in _TITLE_GENDER
                # "Comedian Sarah Quill", "Virginia Gov. Terry Hale": a role or a state before a full name
                or (
                    len(words) - cut > 2
                    and (lead[cut] in ROLE_NOUNS or lead[cut] in _STATES or lead[cut] in _OFFICE_WORDS)
                )
            ):
                if lead[cut] in _TITLE_GENDER:
                    gender, role_gendered = _TITLE_GENDER[lead[cut]], lead[cut] in _GENDERED_ROLES
                cut += 1
            if len(words) - cut > 3 and f"{lead[cut]} {lead[cut + 1]}" in _STATES:
                cut += 2  # "New Jersey Steve Lonegan"
            # "Labor Secretary Thomas Perez", "FBI Director James Comey": a title inside the run ends
            # what comes before the name.
            # So does any title before a full name ("Circuit Court Judge Dana Cole").
            # A party word does too ("House Intelligence Republican Mike Pompeo").
            titled_at = [
                n
                for n in range(cut, len(words) - 2)
                if lead[n].rstrip(".") in _INNER_TITLES or lead[n] in TITLE_WORDS or lead[n] in _PARTY_WORDS
            ]
            if titled_at:
                cut = titled_at[-1] + 1
            # "Fox News' Bret Baier", "The Post's Ann Cole": an owner before a full name is no part of it.
            owned_at = [n for n in range(cut, len(words) - 2) if _OWNER.search(words[n])]
            owner_end = owned_at[-1] + 1 if owned_at else 0
            cut = max(cut, owner_end)
            before = masked[max(0, at - 30) : at].split()
            previous_word = before[-1].casefold() if before else ""
            if (
                cut == 0
                and previous_word == "of"
                and len(before) > 1
                and _is_title_word(before[-2])
                and len(words) > 2
            ):
                cut += 1  # "Chief of Staff Katie Walsh": the word after "of" ends the title
            if gender is None and previous_word.rstrip(",") in _TITLE_GENDER:
                gender = _TITLE_GENDER[previous_word.rstrip(",")]  # "his spokeswoman, Hope Hicks"
                role_gendered = previous_word.rstrip(",") in _GENDERED_ROLES
            name_words = [_bare(w) for w in words[cut:]]
            name_words = [w for w in name_words if w]
            while len(name_words) > 2 and name_words[-1].casefold() in _WEEKDAYS:
                name_words.pop()  # "Senator Ted Moss Wednesday said"
            if not name_words or not _person_like(name_words):
                continue  # a capitalized word that names no one ("Tuesday's") leaves the wait open
            following = _LOWER_WORD.match(masked, run_end)
            if following is not None and (following.group(1) in ROLE_NOUNS or following.group(1) in _OWNED):
                continue  # "Clinton spokesman Brian Fallon", "the Vermont senator": a name describing a role
            last = name_words[-1].casefold()
            titled = any(w in TITLE_WORDS or w in _TITLE_GENDER for w in lead[:cut])
            # "Of Diaz, Vance said": a name governed by a preposition is no subject.
            # "The Sanders campaign", "A Trump supporter": a name describing what the article's word is.
            # ("The Post's Ann Cole": the article is the owner's.)
            governed = any(w.rstrip(".") in _GOVERNING for w in lead[:cut]) or any(
                w in _ARTICLES for w in lead[owner_end:cut]
            )
            subject = not governed and _is_subject(masked, at, run_end, previous_word, titled)
            if listed_end >= 0 and _in_list(masked, listed_end, at, run_end):
                # "Kevin Moss and Ann Cole left" are subjects, "focus on Hale and Moss" and "behind Hale,
                # Senator Dana Moss and Ben Ortiz" are not: the names of a list are what its first is.
                subject = listed_subject
            listed_end, listed_subject = run_end, subject
            if (
                len(name_words) == 1
                and last not in known
                and gender is None
                and not (cut and lead[cut - 1] in _PERSONAL_TITLES)  # "President Obama", "Sen. Cruz"
                and not (subject and _LONE_SUBJECT.match(masked, run_end) and not last.endswith("ing"))
                and not (subject and _WHO_AFTER.match(masked, run_end))  # "Zola, who was honored"
                # '"...," said Quarles.': the one a quotation is said by
                and not (subject and previous_word in _POSTPOSED_CUES and last not in _WEEKDAYS)
            ):
                continue  # a lone capitalized word not introduced, titled nor acting: not evidence of a person
            # Pronouns between the previous name and this one speak for the previous name's gender.
            if pending is not None:
                self._vote(masked, pending_end, at, pending, votes, pending_opened)
                pending = None
            name = self._full_name(name_words, last, gender)
            key = name.casefold()
            # The words around the name that may describe the person, read only when a description
            # asks for them (``by_role``).
            self._evidence.append((key, masked, at, run_end, words[:cut]))
            mention = Mention(start + at + sum(len(w) + 1 for w in words[:cut]), name, last)
            if gender is not None and role_gendered:
                PersonMentions._count(votes, name, gender)
            elif gender is not None:
                self._titled.setdefault(key, gender)
            if subject:
                if masked[run_end - 1 : run_end].isalpha() and _QUOTE_AFTER.match(masked, run_end):
                    closing = _CLOSING_MARK.search(masked, run_end + 2)
                    mention.quoted_until = start + (closing.end() if closing else len(masked))
                self.mentions.append(mention)
                self.starts.append(mention.at)
            else:
                self._objects.append(mention)
                if masked.startswith(",", run_end):
                    self._vote_relative(masked, run_end, name)
            # A pronoun after a name that is not a subject ("thanked Omar Diaz. She ...") most often
            # refers to someone else: only a subject's name waits for a vote; any name ends the wait.
            pending, pending_end = (mention if subject else None), run_end
            pending_opened = previous_word in _SUBORDINATORS or any(w in _SUBORDINATORS for w in lead[:cut])
        if pending is not None:
            self._vote(masked, pending_end, len(masked), pending, votes, pending_opened)

    def _vote(
        self,
        masked: str,
        begin: int,
        end: int,
        mention: Mention,
        votes: dict[str, dict[str, int]],
        subordinate: bool = False,
    ) -> None:
        """A gendered pronoun bound to a name is a vote for its gender: in the rest of the name's sentence
        with no other capitalized word before it ("Ito unveiled her plan", "Ito said she would"), or
        opening the next sentence ("Ito left. She ..."). In a clause a subordinating word opens ("If Ito
        wins, he said, ..."), a pronoun past the comma that ends it is the main clause's, as often someone
        else as the name. After a reporting verb only a subject pronoun
        right after it counts: in "Ito said the scandal hurt her career" the "her" is most often
        someone else, as it is after another name ("Ito thanked Lee for her help", a name of two words
        or more, or a surname the article has introduced); a place or a day ("Iowa", "Tuesday's") is no
        name. A quotation right after the name ("Ito “wrecked the budget,” he said") is said of the
        name: the pronoun of its attribution is no vote."""
        if masked[begin - 1 : begin].isalpha() and _QUOTE_AFTER.match(masked, begin):
            # "Ito “wrecked the budget,” he said": the quoted words are said of the name, and the
            # pronoun of their attribution is whoever says them.
            return
        window = masked[begin : min(end, begin + 400)]
        next_sentence = False
        reported = 0  # 1 right after a reporting verb ("said", "said that"), 2 further on
        for match in _VOTE_WORD.finditer(window):
            word = match.group()
            if word[0] in ".?!":
                if next_sentence or _AFTER_COLON.search(masked, max(0, begin - 200), begin):
                    # (only the first subject of a sentence is whom the next one goes on about: not
                    # "Ito made a plan: President Obama adopted it. She ...")
                    return
                next_sentence = True
                continue
            low = word.casefold()
            if low in _ARTICLES and _PERSON_DESCRIBED.match(window, match.end()) is not None:
                head = _PERSON_DESCRIBED.match(window, match.end()).group(1).casefold()
                if head in ROLE_NOUNS or head in ANON_HEADS:
                    return  # "Ito mocked the Democratic front-runner, saying she": someone else's
            if low in _RELATIVES_OF_OTHERS and (
                window[: match.start()].strip() not in ("", ",") or _PRONOUN_NEXT.match(window, match.end())
            ):
                # "Tramp is the man who saved her farm", "Anita, who he helped": the relative clause
                # is of someone else, or its pronoun is.
                return
            gender = _GENDER_OF_PRONOUN.get(low)
            if next_sentence:
                if gender is not None:
                    PersonMentions._count(votes, mention.name, gender)
                return  # only the first word of the next sentence speaks for the name
            if gender is not None:
                if subordinate and "," in window[: match.start()]:
                    return
                if low == "him" or (low == "her" and _is_object(window, match.end())):
                    return  # "Ito called her to", "Ito thanked him": someone else
                if reported < 2 and not (low in _POSSESSIVE_FORMS and window[: match.start()].strip() == ","):
                    # (but in "Lucy Flores, his top donor" the "his" is whoever she is the donor of)
                    PersonMentions._count(votes, mention.name, gender)
                return
            if low in _REPORTING:
                reported = max(reported, 1)
            elif reported and low not in _REPORT_FILLERS:
                reported = 2
            elif word[0].isupper() and (
                _CAPITALIZED_NEXT.match(window, match.end()) or _bare(low) in self._known
            ):
                return  # another person's name may be before the pronoun

    def _vote_relative(self, masked: str, end: int, name: str) -> None:
        """A person named as an object with a relative clause after the name ("came from Zuri Quill, who
        forced the panel to think when she called it ...", not "who she met"): the first he or she of
        that clause, to its first comma or its sentence's end, is a vote for the person."""
        clause = _RELATIVE_CLAUSE.match(masked, end)
        if clause is None:
            return
        for word in clause.group(1).split():
            if word[:1].isupper():
                return  # another name may be whom the pronoun is
            gender = _GENDER_OF_PRONOUN.get(word) if word in ("he", "she") else None
            if gender is not None:
                PersonMentions._count(self._votes, name, gender)
                return

    @staticmethod
    def _count(votes: dict[str, dict[str, int]], name: str, gender: str) -> None:
        counts = votes.setdefault(name.casefold(), {})
        counts[gender] = counts.get(gender, 0) + 1

    def antecedents(self, pronoun: str, before: int) -> list[Mention]:
        """The subject mentions before offset ``before`` that ``pronoun`` (he/she) can refer to, latest
        first, among the three latest distinct people: an agreeing one further back is too far to be
        sure of."""
        wanted = _GENDER_OF_PRONOUN.get(pronoun.casefold())
        index = bisect_left(self.starts, before)
        seen: list[str] = []
        found: list[Mention] = []
        for mention in reversed(self.mentions[:index]):
            if mention.quoted_until >= 0 and before - mention.quoted_until < _ATTRIBUTION_REACH:
                continue  # the pronoun attributes the quotation said of the person
            key = mention.name.casefold()
            if key in seen:
                continue
            seen.append(key)
            gender = self.likely_gender(key)
            if wanted is None or gender is None or gender == wanted:
                found.append(mention)
            if len(seen) >= 3:
                break
        if wanted is not None:
            # No subject fits, or none since the sentence before: a person named just before, though not as
            # a subject, whom the article gives that gender ("the promise Mrs. Ito has made ... she has
            # said", "Lee stopped his wife, Ito, from writing. She signed ...").
            for mention in reversed(self._objects):
                if mention.at >= before:
                    continue
                if before - mention.at > _OBJECT_REACH:
                    break
                if self.likely_gender(mention.name.casefold()) != wanted:
                    continue
                if not found:
                    return [mention]
                if self._fresher(mention, found[0], before, wanted):
                    return [mention, *found]
                break
        return found

    def _fresher(self, named: Mention, subject: Mention, before: int, wanted: str) -> bool:
        """Whether a person named as an object is more present at offset ``before`` than the subject a
        pronoun of gender ``wanted`` would otherwise take: named after a subject of the other gender in
        its own sentence ("Lee stopped his wife, Ito, from writing."), that sentence the pronoun's or the
        one before it and later than that subject's, with no one named as a subject since and no pronoun
        of that gender before the object in its sentence."""
        since = bisect_right(self.starts, named.at)
        if bisect_left(self.starts, before) != since or not since:
            return False
        own = self.mentions[since - 1]  # the subject of the object's own sentence, of the other gender
        if self.likely_gender(own.name.casefold()) in (None, wanted) or self._stops(own.at, named.at, 0):
            return False
        if not self._stops(subject.at, named.at, 0) or self._stops(named.at, before, 1) > 1:
            return False
        # "She has spoken out as Lee backs his wife, Ito, ...": a pronoun of that gender as a subject
        # before the object in its sentence, whose person the sentence is about.
        start, masked = self._paragraphs[bisect_right(self._paragraph_starts, named.at) - 1]
        opened = max([start, *(at for at in _sentence_starts(masked, start) if at <= named.at)])
        return not any(
            _GENDER_OF_PRONOUN[word.casefold()] == wanted
            for word in _SUBJECT_PRONOUN.findall(masked, opened - start, named.at - start)
        )

    def _stops(self, begin: int, end: int, most: int) -> int:
        """How many sentences start between offsets ``begin`` and ``end`` (a paragraph's start counts),
        counted up to one more than ``most``."""
        found = 0
        first = bisect_right(self._paragraph_starts, begin) - 1
        for start, masked in self._paragraphs[max(first, 0) :]:
            if start >= end:
                break
            if start > begin:
                found += 1
            found += sum(1 for at in _sentence_starts(masked, start) if begin < at <= end)
            if found > most:
                break
        return found

    def _full_name(self, words: list[str], last: str, gender: str | None) -> str:
        """The person a name run stands for. A full name is one of the family of its surname, unless it
        writes a name already known more fully or more briefly ("Jeb Bush", "Gov Jeb Bush"); a surname
        alone is the first full name introduced with it (the article's main person of that name), or,
        after a courtesy title, the first of that gender ("Mr. Vance" among Ivy and Donald Vance)."""
        family = self._family.setdefault(last, [])
        if len(words) == 1:
            if not family:
                self._known.setdefault(last, words[0])
                return self._known[last]
            if gender is not None:
                for wanted in (gender, None):
                    chosen = next((n for n in family if self.likely_gender(n.casefold()) == wanted), None)
                    if chosen is not None:
                        return chosen
            return family[0]
        for known in family:
            if _same_person(known.split(), words):
                return known
        name = " ".join(words)
        family.append(name)
        if " " not in self._known.get(last, ""):
            self._known[last] = name
        return name

    def _read_evidence(self) -> None:
        """Titles and roles written with each name, before it ("former Florida governor Jeb Bush",
        "Former Secretary of State Ann Cole") or as an appositive ("Ann Cole, the former secretary of
        state,"), with the places and parties that describe them."""
        for key, masked, at, end, lead in self._evidence:
            written = [w.casefold().rstrip(".") for w in lead if _describes(w.casefold().rstrip("."), w)]
            written += _described_before(masked, at) + _appositive_after(masked, end)
            self._roles.setdefault(key, set()).update(_ROLE_OF.get(w, w) for w in written)
        self._evidence.clear()

    def by_role(self, head: str, before: int, modifiers: Iterable[str] = ()) -> Mention | None:
        """ "the senator", "the Wisconsin Republican": the latest person before offset ``before`` named
        with that title or role word.

        The capitalized ``modifiers`` as written ("the Senate Democratic leader") must describe the
        person too, but for a place ("the Florida senator"), which may be left unwritten with the name:
        then a person the article gives no place will do, and a senator of Vermont will not."""
        head = _ROLE_OF.get(head, head)
        lowered = {m.casefold().rstrip(",") for m in modifiers}
        written = [m.casefold().rstrip(",") for m in modifiers if m[:1].isupper()]
        places = {m for m in written if m in _STATES or m in PLACE_OPENERS}
        # "the former president" is no sitting one; "the president" is no vice president.
        others = {_ROLE_OF.get(m, m) for m in written if m not in places} | (lowered & _RANKS)
        self._read_evidence()
        index = bisect_left(self.starts, before)
        fallback = None
        for mention in reversed(self.mentions[:index]):
            roles = self._roles.get(mention.name.casefold(), set())
            if head not in roles or not others <= roles:
                continue
            if "vice" in roles and "vice" not in lowered:
                continue
            own = {r for r in roles if r in _STATES or r in PLACE_OPENERS}
            if places <= own:
                return mention
            if not own and fallback is None and head not in _PARTY_ROLES:
                fallback = mention  # but "the Wisconsin Republican" is not any Republican
        return fallback

    def latest_subject(self, before: int) -> Mention | None:
        """The latest person named as a subject before offset ``before``, or None."""
        index = bisect_left(self.starts, before)
        return self.mentions[index - 1] if index else None

    def offices_of(self, name: str) -> set[str]:
        """The titles the article wrote with a person ("senator", "governor", "secretary"), without the
        roles ("star", "comedian"), places, parties and ranks that go with them."""
        self._read_evidence()
        return {r for r in self._roles.get(name.casefold(), ()) if r in TITLE_WORDS and r not in _RANKS}

    def latest_fitting(self, head: str, before: int, modifiers: Iterable[str] = ()) -> Mention | None:
        """ "the GOP front-runner", "the businessman" when no one was named with that role (``by_role``):
        the latest person named as a subject before offset ``before``, by a full name, when that person is
        also the one named most often so far (the one the story is about) and the description's
        capitalized words (a party, a place) are among those the article wrote of them. Anyone else is
        left unresolved: the description stays a speaker of its own."""
        head = _ROLE_OF.get(head, head)
        written = {
            _ROLE_OF.get(w, w) for w in (m.casefold().rstrip(",") for m in modifiers if m[:1].isupper())
        }
        index = bisect_left(self.starts, before)
        if not index:
            return None
        self._read_evidence()
        mention = self.mentions[index - 1]
        if " " not in mention.name:
            return None  # a lone word never written as a full name ("Reporters") is too weak a person
        if not written <= self._roles.get(mention.name.casefold(), set()):
            return None
        counts: dict[str, int] = {}
        for earlier in self.mentions[:index]:
            counts[earlier.name] = counts.get(earlier.name, 0) + 1
        if counts[mention.name] < max(counts.values()):
            return None  # someone else is what the story is about so far
        return mention

    def antecedent(self, pronoun: str, before: int) -> Mention | None:
        found = self.antecedents(pronoun, before)
        return found[0] if found else None


def _sentence_starts(masked: str, start: int):
    """Where the sentences after the first of a paragraph start (the paragraph at offset ``start``)."""
    for stop in _SENTENCE_STOP.finditer(masked):
        at = stop.start()
        before = masked[at - 1 : at]
        if not (before.islower() or before.isdigit() or before in ('"', "\u201d", MASK)):
            continue  # "U.S.", "A." or no word
        word = masked[max(0, at - 4) : at].rsplit(" ", 1)[-1].casefold()
        if word not in _ABBREVIATIONS:
            yield start + stop.end()


def _runs(masked: str):
    """The name runs of a paragraph as (start, end, words), a run cut after a word that ends a sentence
    ("... the Freedom of Information Act. But Trump said": "Act." is no initial nor title)."""
    for match in _RUN.finditer(masked):
        at = match.start()
        words = match.group().split()
        begin = 0
        for n, word in enumerate(words):
            if (
                n + 1 < len(words)
                and _SENTENCE_END_WORD.fullmatch(word)
                and word.casefold() not in TITLE_WORDS
            ):
                yield at, at + len(" ".join(words[begin : n + 1])), words[begin : n + 1]
                at += len(" ".join(words[begin : n + 1])) + 1
                while masked[at : at + 1] == " ":
                    at += 1
                begin = n + 1
        yield at, match.end(), words[begin:]


# Titles that, inside a capitalized run, end the words before a name (not "King", "Judge" or "Chief",
# which may be surnames).
_INNER_TITLES = wordset(
    "secretary director ambassador senator governor president chairman chairwoman spokesman spokeswoman mayor "
    "spokesperson commissioner sen rep gov"
)
_LOWER_WORD = re.compile(r" ([a-z][a-z\-]*)\b")
_OWNER = re.compile("(?:['\u2019]s|s['\u2019])$")
# ", who" after a name, whatever space follows the comma (a no-break space too).
_WHO_AFTER = re.compile(r",\s+who\s")
# A relative clause of a subject after a name, to its first comma or its sentence's end ("whom" or "who"
# with a pronoun after it is the clause's object: someone else's).
_RELATIVE_CLAUSE = re.compile(r",\s+who\s+(?!(?:he|she|him|her|they|I|we|you)\b)([^,;:.?!]{1,200})")
_SENTENCE_END_WORD = re.compile(r"[A-Z][a-z\u2019'\-]{2,}\.")


def _is_object(text: str, at: int) -> bool:
    """Whether the "her" ending at offset ``at`` is an object ("called her to", "told her."), not a
    possessive ("her plan")."""
    following = _NEXT_WORD.match(text, at)
    return following is None or following.group(1).casefold() in _OBJECT_FOLLOWERS


_NEXT_WORD = re.compile(r"\s*([A-Za-z]+)")
# Nouns a name before them owns ("the Sanders campaign", "Trump supporters"): the name is no subject.
_OWNED = wordset("campaign campaigns camp aides staff supporters backers allies administration team family")
_RELATIVES_OF_OTHERS = wordset("who whom whose which")
_PRONOUN_NEXT = re.compile(r"\s+(?:he|she|him|her)\b", re.I)


def _bare(word: str) -> str:
    word = re.sub("['\u2019]s?$", "", word)
    return word.rstrip(".,") if not re.fullmatch(r"(?:[A-Z]\.)+", word) else word


def _same_person(known: list[str], words: list[str]) -> bool:
    """ "Hillary Rodham Clinton" and "Hillary Clinton", "Jeb Bush" and "Gov Jeb Bush" are one person."""
    shorter, longer = sorted((known, words), key=len)
    return longer[-len(shorter) :] == shorter or known[0] == words[0]


def _person_like(words: list[str]) -> bool:
    lowered = {w.casefold().rstrip(".") for w in words}
    if lowered & ORG_WORDS or lowered & _NOT_IN_NAMES:
        return False  # "Had I known", "Super Tuesday", "White House", "Congressional Republicans"
    if any(len(w) > 3 and w.isupper() for w in words):
        return False  # "ATLANTIC CITY", "KING-TV": a dateline or a call sign
    first, last = words[0].casefold().rstrip("."), words[-1].casefold().rstrip(".")
    if (last in TITLE_WORDS or last in ROLE_NOUNS) and (first in _STATES or first in PLACE_OPENERS):
        return False  # "Florida Secretary": a title with no name (but "Billie Jean King")
    if len(words) == 1 and words[0].casefold() in PLACES:
        return False
    if " ".join(words).casefold() in _STATES:
        return False  # "North Carolina would win"
    return len(words) <= 4 and all(is_capitalized(w) for w in words if len(w) > 3)


def _is_subject(masked: str, at: int, end: int, previous_word: str, titled: bool) -> bool:
    """A name opens a clause: at a sentence start, after punctuation or a clause opener, or after a
    title or role word ("candidate Ann Cole"); a possessive ("Ito's plan") is not a subject, but where
    it opens a paragraph."""
    if masked[end : end + 2] in ("\u2019s", "'s") or masked[end - 2 : end] in (
        "\u2019s",
        "'s",
        "s'",
        "s\u2019",
    ):
        # "Ito's plan", "Sanders' plan" are no subject, but opening a paragraph the owner is whom it goes
        # on about ("Ito's lawsuit demands his reinstatement. He also seeks ...").
        return at == 0 and not titled
    if previous_word in _ARTICLES:
        return False  # "an Orlando Republican", "a Park supporter": a description
    if masked[at - 1 : at] == "-" and at > 1 and masked[at - 2].isalpha():
        return False  # "anti-Cole members", "pro-Cole voters": a name in a word describing others
    if titled:
        # "Senator Omar Diaz said", but "attacks from Senator Omar Diaz": the title's own place decides.
        return _opens_clause(masked, at)
    if previous_word.endswith(","):
        apposed = _apposed_subject(masked, at)
        if apposed is not None:
            return apposed
    if previous_word[-1:] == ":" and (masked[end - 1] == "." or _ENDS_SENTENCE.match(masked, end)):
        return False  # "mocking a familiar target: Ann Cole.": the name is what the colon names, no subject
    if (
        previous_word[-1:] in ('"', "\u201d")
        and previous_word[-2:-1] == MASK
        and _INLINE_QUOTE.search(masked, max(0, at - 200), at) is not None
    ):
        # "urged the audience to \u201crecognize\u201d Trump in that passage": words quoted inside a
        # sentence, with no punctuation of a quotation's end, are a word of that sentence: the name after
        # them is no subject.
        return False
    if not previous_word or previous_word[-1] in ',;:(\u2014\u2013-.?!"\u201d':
        return True
    word = previous_word.casefold()
    if word in _POSTPOSED_CUES:
        # "..., said Ann Cole": the subject after its verb; in "Warren said Trump was ..." the name
        # after the verb is the reported clause's, and "told Ann Cole" names the listener.
        head = masked[max(0, at - 40) : at].rstrip()
        head = head[: len(head) - len(previous_word)].rstrip()
        # "..., says Ohio is the hardest": a name with a verb after it is the reported clause's.
        # ("..., said Kunin." with the run taking in its period.)
        after = "." if masked[end - 1 : end] == "." else masked[end : end + 1]
        if word in ("asked", "asks") and _ASKED_ABOUT.match(masked, end):
            # "Lee asked Cole which states she could win": the one asked answers next.
            return True
        return word != "told" and head[-1:] in ',"\u201d' + MASK and after in ("", ",", ".", MASK)
    if word in _VERB_OPENERS:
        # "after Zoe Cole revealed ...", "as Cole said": a subordinate clause's subject, with its verb.
        return bool(_CLAUSE_VERB.match(masked, end))
    if word in _CLAUSE_OPENERS:
        # "cast himself as an outsider and Cole as a caretaker", "between Cole and Diaz.": a name
        # joined to an object, with no verb of its own.
        if word in ("and", "or") and _JOINED_OBJECT.match(masked, end):
            return False
        # "Vale said that Cole was weak while Moss is a liar": a clause inside what someone said is theirs
        # to tell, its subject none of the article's.
        opened = max(masked.rfind(stop, max(0, at - 300), at) for stop in (". ", "? ", "! "))
        return _REPORTED_THAT.search(masked, max(0, opened, at - 300), at) is None
    if word in _ROLE_OPENERS:
        return _opens_clause(masked, at)
    # "Conservative icon Ann Cole, who ...", "Ohio, 62-year-old Brenda Marsh railed", "lost her daughter
    # Jessie Moss": a few words describing the name, after the start of a clause or not.
    return _opens_clause(masked, at)


# A short quotation opened after a lowercase word and closed with no punctuation, just before a name.
_INLINE_QUOTE = re.compile(r"[a-z] [\"\u201c]" + MASK + r"{1,40}[\"\u201d] $")
# A verb of saying and the "that" opening what was said ("said Tuesday that", "told reporters that").
_REPORTED_THAT = re.compile(
    r"\b(?:said|says|told|tells|added|adds|argued|argues|claimed|claims|noted|notes|insisted|insists|warned"
    r"|warns|stated|states|wrote|writes|suggested|suggests)(?:\s+\w+){0,3}?\s+that\s"
)
# A name that ends its sentence or clause: nothing of its own follows it.
_ENDS_SENTENCE = re.compile(r"\s*(?:[.;?!]|$)")
# What follows the name of a person asked a question ("asked Cole whether", "asked Cole about").
_ASKED_ABOUT = re.compile(r",?\s+(?:which|what|whether|if|about|why|how|who|when|where)\b")
# What follows a name that "and" joins to an object rather than opens a clause with.
_JOINED_OBJECT = re.compile(r"\s*(?:[.;:?!]|$|\s(?:as|for|to|of|about|from|with|by|into|than|in)\s)")
_LIST_JOIN = re.compile(r"\s+(?:and|or|&)\s+|,\s*(?:and|or)\s+")
_LIST_COMMA = re.compile(r",\s+")
_LIST_GOES_ON = re.compile(r",|\s+(?:and|or)\s")


def _apposed_subject(masked: str, at: int) -> bool | None:
    """For a name (or the words describing it) at ``at`` set off after a role or a family tie ("his
    campaign manager, ", "a new campaign manager, ", "his wife, "): whether that role is a subject; None
    when no role stands before.

    "thanked his campaign manager, Omar Hale," and "brought in a new manager, retired colonel
    Dan Moss," name an object; "His rival, Ann Cole, won" and "said his spokesman, Ben
    Ortiz" a subject."""
    apposed = _APPOSED.search(masked, max(0, at - 80), at)
    if apposed is None or (
        apposed.group(2).casefold() not in ROLE_NOUNS and apposed.group(2).casefold() not in _FAMILY
    ):
        return None
    lead = masked[max(0, apposed.start() - 40) : apposed.start()]
    if lead.rstrip().endswith((" as", " with", " to", " for", " and", " or")):
        return False  # "as well as his manager, ...", "and his spokeswoman, Hope Hicks"
    words = lead.split()
    if words and words[-1].casefold() in _POSTPOSED_CUES:
        return True
    return _opens_clause(masked, apposed.start())


def _in_list(masked: str, previous_end: int, at: int, end: int) -> bool:
    """Whether a name (``at`` to ``end``) follows the name ending at ``previous_end`` as the next item of a
    list: "Rubio and Cruz", "Rubio, and Cruz", or "Rubio, Cruz," with the list going on after it ("Asked
    about Rubio, Cruz said" is a new clause)."""
    if _LIST_JOIN.fullmatch(masked, previous_end, at):
        return True
    return bool(_LIST_COMMA.fullmatch(masked, previous_end, at)) and bool(_LIST_GOES_ON.match(masked, end))


def _opens_clause(masked: str, at: int) -> bool:
    """Whether the words right before offset ``at`` (a name, or the title before it) only describe it, back
    to the start of a clause: at most four words, none of them a preposition, a possessive or a verb."""
    head = masked[max(0, at - 60) : at]
    words = head.split()
    if at > 60 and words:
        words = words[1:]  # the first word may be cut
    words.reverse()
    passed = 0  # words that describe nothing of their own: "of" inside a title, a focus adverb
    for n, word in enumerate(words):
        if word[-1] in _CLAUSE_MARKS:
            if word[-1] == ",":
                # "brought in a new manager, retired general Bob Dees": the comma sets off the name
                # of an object, not a clause.
                comma_end = at - len(head) + head.rfind(word) + len(word) + 1
                return _apposed_subject(masked, comma_end) is not False
            return True
        if n - passed >= 4:
            return False
        low = word.casefold()
        if low in _CLAUSE_OPENERS:
            return True
        if low in _FOCUS_ADVERBS:
            passed += 1
            continue  # "And even Ann Cole tried", "but only Cole voted": the adverb leaves the clause open
        if (
            low == "of"
            and n + 1 < len(words)
            and (_is_title_word(words[n + 1]) or words[n + 1] in TITLE_WORDS)
        ):
            # "Secretary of State Ann Cole", "Director of National Intelligence Ann Cole", and as the
            # title is often written, "Former U.S. secretary of State Ann Cole"
            passed += 1
            continue
        if low in _POSTPOSED_CUES and low != "told":
            # '"...," said Sen. Ann Cole', '..., said campaign spokeswoman Ann Cole': the subject after
            # its verb, when the verb follows a quote or a comma ("Warren said Sen. Cole was" is not).
            return n + 1 < len(words) and words[n + 1][-1] in ',"\u201d' + MASK
        if (
            low in _GOVERNING
            # "if Dana Cole wins", but not "US" ("Former US secretary of state Ann Cole")
            or (low in _NOT_NAME_START and low not in _PARTY_WORDS and not word.isupper())
            or low in _POSSESSIVES
            or low in _POSTPOSED_CUES
            or low in _OBJECT_VERBS  # "and tell Cole she", "Bivens hopes Cole and others"
            or (low.endswith(("ed", "ing")) and low not in _DESCRIBING and word[0].islower())
        ):
            return False
    return len(words) - passed < 5


_POSSESSIVE_FORMS = wordset("his her hers")
# Adverbs that may stand between a clause's opening and its subject's name.
_FOCUS_ADVERBS = wordset("even only also just still now")
# Words that open a subordinate clause before its subject ("If Cole wins, ...", "When Cole left, ...").
_SUBORDINATORS = wordset(
    "if when whenever after before as because although though while since unless once until"
)
# Verbs, in their base and -s forms, whose object a name right after them is: no describing word.
_OBJECT_VERBS = wordset(
    """
    tell tells ask asks call calls thank thanks urge urges invite invites see sees meet meets let lets
    help helps join joins beat beats defeat defeats attack attacks praise praises blame blames endorse
    endorses support supports back backs oppose opposes hire hires fire fires hope hopes want wants
    expect expects accuse accuses like likes love loves hate hates follow follows trail trails lead leads
    name names choose chooses pick picks elect elects vote allow allows permit permits force forces
    encourage encourages convince convinces persuade persuades
    """
)
# Words after "her" that make it an object ("called her to", "told her that", "gave her the"), not a
# possessive ("her plan"): an object pronoun is someone other than the subject.
_OBJECT_FOLLOWERS = wordset(
    """
    to that the a an and or for in on at with about as from by into over of back up out off again down
    if when because after before while but so than
    """
)
# The words of a family tie, which set off a name as a role does ("the campaign of his wife, Dana Moss,").
_FAMILY = wordset(
    "wife husband son daughter mother father brother sister widow widower fiancee fiance partner"
)
# "his campaign manager, " right before a name: a possessive, up to three words, a role noun and a comma.
_APPOSED = re.compile(
    r"\b(his|her|their|its|our|a|an|the|His|Her|Their|Its|Our|A|An|The)\s+(?:[\w\-\u2019']+\s+){0,3}?([\w\-]+),\s+$"
)
# A quotation opening right after a name, the mark that closes it, and how far after it the pronoun of
# its attribution may stand ("” he told reporters on Monday").
_QUOTE_AFTER = re.compile('[ ]?["\u201c\u201e\u00ab]')
_CLOSING_MARK = re.compile('["\u201d\u00bb]')
_ATTRIBUTION_REACH = 40
_CAPITALIZED_NEXT = re.compile(r"[ ]+[A-Z][\w\u2019'.\-]")
_VOTE_WORD = re.compile(r"[\w\u2019']+|[.?!](?:\s|$)")
# Verbs after which a name's clause reports someone's words: a pronoun further on may be anyone's.
_REPORTING = wordset(
    "said says told tells added adds wrote writes argued argues insisted insists noted notes claimed claims "
    "stated states explained explains warned warns recalled recalls suggested suggests believes thinks"
)
# Words that may stand between a reporting verb and the pronoun of its subject ("said Tuesday that she").
_REPORT_FILLERS = wordset(
    """
    that on in at last this earlier later also today yesterday tonight morning afternoon evening night week
    monday tuesday wednesday thursday friday saturday sunday january february march april may june july
    august september october november december
    """
)
# Roles "the ..." most often uses for a person the story has named ("the candidate", "the senator"),
# unlike a spokesman, an aide or an official, who are most often unnamed.
# An office ("the senator", "the mayor") is left to ``by_role``: it needs the person named with it.
ANAPHORIC_ROLES = wordset(
    """
    candidate nominee front-runner frontrunner hopeful contender challenger incumbent businessman
    businesswoman billionaire mogul republican democrat
    """
)
# Words of an office before a name ("House Majority Leader Kevin Moss", "White House Press Secretary").
_OFFICE_WORDS = wordset("house senate white majority minority speaker whip press")
# The head of a short description after an article ("the Democratic front-runner", "a woman").
_PERSON_DESCRIBED = re.compile(r"(?:[ ]+[\w\-]+){0,2}?[ ]+([a-z][a-z\-]+)\b(?![ ]+(?:of|for)\b)")
# A colon or semicolon since the start of a sentence, up to the end of the text searched.
_AFTER_COLON = re.compile(r"[:;][^.?!:;]*$")
# Titles that make the one word after them a person's name ("President Obama", "Gov. Kasich").
_PERSONAL_TITLES = wordset(
    """
    president senator sen. sen rep. rep representative congressman congresswoman governor gov. gov mayor
    judge justice dr. dr mr. mr mrs. mrs ms. ms prof. professor gen. lt. col. sgt. secretary ambassador
    sheriff rev. rabbi pope chairman chairwoman spokesman spokeswoman
    """
)
# The end of a sentence: a stop, a closing mark maybe, and a space; not the stop of an abbreviation ("Mr.",
# "Sen.", "U.S."), which ``_sentence_starts`` tells by the word before it.
_SENTENCE_STOP = re.compile('[.?!]["\u201d]?\\s+')
_ABBREVIATIONS = wordset("mr ms mrs dr st jr sr lt sen rep gov gen col")
_SUBJECT_PRONOUN = re.compile(r"\b([Hh]e|[Ss]he)\b")
# How far back (in characters) a pronoun no subject fits may look for a person named as an object.
_OBJECT_REACH = 400
_WEEKDAYS = wordset("monday tuesday wednesday thursday friday saturday sunday")
# Prepositions that govern a name ("Of Diaz, Vance said", "attacks from Senator Diaz"); "after" and
# "before" may open a clause of their own ("After Diaz won, ...").
_GOVERNING = PREPOSITIONS - wordset("after before following")
_NOT_IN_NAMES = (
    wordset(
        """
        i we you they it me several neither either nor another other every each house street avenue movement
        friends presumptive congressional war
        monday tuesday wednesday thursday friday saturday sunday
        """
    )
    | _PARTY_WORDS
)
