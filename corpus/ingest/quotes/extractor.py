"""The extractor: reads an article's paragraphs in order and attributes each quote.

One class of about 750 lines, kept whole on purpose: its rules share the state of the article being
read (the speakers, the last speaker of each paragraph, an open quotation chain, the token indexes).
Its reported-speech rules are in ``reported`` (a base of the class), what it finds in ``found``, and
the rules that read the words around a quote without that state in ``clauses``.
"""

from __future__ import annotations

import re
from bisect import bisect_left

from ..english import is_no_noun
from ..speakers import (
    ANON_HEADS,
    DATE_AND_NUMBER_WORDS,
    DOC_HEADS,
    ORG_WORDS,
    ROLE_NOUNS,
    ArticleSpeakers,
    Resolution,
    names_people_plural,
    wordset,
)
from ..types import ParagraphSpec
from .clauses import (
    _PARTY_TAG,
    _appositive_cue,
    _cue_at,
    _names_someone,
    _phrasal,
    _trailing_subject,
    _whole_sentence,
    blank_party_tags,
)
from .clauses import DASHES as _DASHES
from .descriptions import is_description, is_role_word
from .found import DESCRIBED as _DESCRIBED
from .found import Found, _Attribution, _trim
from .lexicon import (
    _AUX_ADV,
    _CONNECTIVES,
    _HEADLINE_VERBS,
    _PREPOSITIONS,
    _REFLEXIVES,
    _SUBORDINATORS,
    _TRIGGERS,
    CUE_FINITE,
    CUE_PARTICIPLES,
    CUE_PAST,
    CUE_VERBS,
    IRREGULAR_PAST,
    PARTIAL_VERBS,
    PRESENT_BASES,
)
from .marks import (
    _ALL_MARKS,
    _CALLING,
    _DIRECTION_MARKS,
    MASK,
    Pair,
    _first_mark,
    _names_a_work,
    _title_case,
    find_pairs,
    mask,
    split_sentences,
)
from .pronouns import ANAPHORIC_ROLES, PersonMentions
from .reported import ReportedSpeech
from .subjects import (
    PERSON_ROLES,
    QUANTITIES,
    _cue_text,
    _ends_with_cue,
    _object_of_told,
    _only_adverbials,
    _strip_trailing_adverbials,
    absolute_subject,
    dash_aside,
    is_person_role,
    person_of_org,
    sentence_subject,
    skip_aside,
    subject_after,
    subject_before,
    with_subject,
)
from .tokens import Tok, _is_cap, _TokenIndex, tokenize

_WINDOW = 400
# Sentences longer than this are read only this far for cues: no real sentence comes near it.
_SENTENCE_LIMIT = 20000
_SKIP_ROLES = frozenset({"caption", "boilerplate", "byline"})
_PERSON = frozenset({"person"})
_ONE_SPEAKER = frozenset({"person", "anonymous", "organization"})
# Paragraphs up to this long are tokenized once as a whole; longer ones window by window, as read.
_INDEX_LIMIT = 20000
_WORD_RUN = re.compile(r"\w+")
_CAMPAIGN_WORDS = wordset("campaign camp office")
_TOLD = wordset("told tells tell")
_ARTICLES = wordset("the a an one")
# Words before a document's author that are not part of it ("a fresh NBC poll", "the new Voss ad").
# What a named author publishes ("a Voss campaign ad"); without an author, "the ad" is left to the
# description rules, "the report" to the document rules.
_DOCUMENTS = DOC_HEADS | wordset("ad ads poll website video")
# Nouns for a gathering of people ("a group of artists", "a coalition of unions").
_GATHERINGS = wordset("group coalition crowd handful number delegation team")
_DOCUMENT_MODIFIERS = wordset("new fresh latest recent early earlier first second last national joint")
_POSSESSIVE = re.compile("['\u2019]s?$")
_CONTRACTED = re.compile("(?:i|we|you|they|he|she|it)['\u2019][a-z]+$", re.IGNORECASE)


# -- the extractor -----------------------------------------------------------------------------------------


class QuoteExtractor(ReportedSpeech):
    """Reads the paragraphs in order, keeping the speakers of the article up to date as it goes."""

    def __init__(self, text: str, paragraphs: list[ParagraphSpec], speakers: ArticleSpeakers) -> None:
        self.text = text
        self.paragraphs = paragraphs
        self.speakers = speakers
        self.found: list[Found] = []
        self._last_speaker: dict[int, Found] = {}
        self._open_chain: Found | None = None
        self._headline_cache: dict = {}
        self._indexes: dict[str, _TokenIndex] = {}
        self._cursor = 0  # where in the text the clause being attributed starts: pronouns look before it
        self._people: PersonMentions | None = None
        self._unread: list[tuple[int, str]] = []  # masked paragraphs not yet read for people
        self._masked: tuple[int, str] = (0, "")  # the paragraph being read, its quotes masked
        self._noted: list[tuple[int, int]] = []  # (offset, speaker key) of every attributed quote
        self._aside: tuple[list[Tok] | None, tuple[str, str] | None] = (None, None)  # (sentence, its aside)

    def run(self) -> list[Found]:
        content = [p for p in self.paragraphs if p.role not in _SKIP_ROLES]
        for index, paragraph in enumerate(content):
            following = content[index + 1] if index + 1 < len(content) else None
            previous = content[index - 1] if index else None
            self._paragraph(paragraph, previous, following)
        for found in self.found:
            if found.chain:
                self._share_chain_speaker(found)
        self.found.sort(key=lambda f: (f.start, f.end))
        return self.found

    # -- one paragraph ---------------------------------------------------------------------------------

    def _paragraph(
        self, p: ParagraphSpec, previous: ParagraphSpec | None, following: ParagraphSpec | None
    ) -> None:
        s = self.text[p.start : p.end]
        pairs = find_pairs(s)
        chain_from = self._open_chain
        self._open_chain = None
        if _FOLLOW.match(s):
            return  # "Follow our reporter on X @...": a plug, whatever it quotes
        if not pairs and (p.role == "title" or not _may_report(s)):
            if p.role != "title":
                self._unread.append((p.start, s))
            return  # nothing quoted and nothing reported: no rule below would fire
        masked = mask(s, pairs) if pairs else s
        if "-" in masked or "(" in masked:
            masked = blank_party_tags(masked)
        if p.role != "title":  # headlines capitalize every word: no evidence of who is a person
            self._unread.append((p.start, masked))
        self._masked = (p.start, masked)
        first_found = len(self.found)
        by_sentence: dict[int, list[Pair]] = {}
        sentences = split_sentences(masked)
        sentence_index = 0
        for pair in pairs:
            while sentence_index + 1 < len(sentences) and sentences[sentence_index][1] <= pair.open:
                sentence_index += 1
            by_sentence.setdefault(sentence_index, []).append(pair)
        previous_direct: Found | None = None
        for number, (start, end) in enumerate(sentences):
            self._cursor = p.start + start
            sentence_pairs = by_sentence.get(number, [])
            used_cues: set[int] = set()
            directs, partial_pairs = [], []
            names: set[int] = set()  # title-case fragments: kept only with a speaker
            for pair in sentence_pairs:
                kind = self._classify(s, masked, pair, start, end, p.role == "title")
                if kind == "direct":
                    directs.append(pair)
                elif kind in ("partial", "name"):
                    partial_pairs.append(pair)
                    if kind == "name":
                        names.add(pair.open)
            for pair in directs:
                found = self._direct(p, s, masked, pair, start, end, used_cues)
                if chain_from is not None and pair.open == _first_mark(s):
                    chain_from.chain.append(found)
                    found.continues = chain_from
                    found.rule = found.rule if found.speaker is not None else "ap-continuation"
                    chain_from = None
                if (
                    found.speaker is None
                    and found.rule != "unresolved-speaker"
                    and previous_direct is not None
                    and previous_direct.speaker is not None
                ):
                    self._take_speaker(found, previous_direct, "interrupted-quote", 0.9)
                if found.rule == "unattributed" and number and not masked[start : pair.open].strip():
                    # `Lee said the plan was "a mess." "We cannot afford it."`: a quotation opening a
                    # sentence of its own goes on from the attribution of the sentence before.
                    spoken = self._spoken_before(first_found, found)
                    if spoken is not None:
                        self._take_speaker(found, spoken, "follows-attributed-sentence", 0.8)
                if pair.runs_on:
                    self._open_chain = found
                previous_direct = found
            sentence_attr = None
            tokens = self._tokens(masked, start, min(end, start + _SENTENCE_LIMIT))
            if p.role != "title":
                sentence_attr = self._indirect(p, s, tokens, used_cues)
            if sentence_attr is not None and sentence_attr.resolution.key is not None:
                # `Hale said that once the council goes on break, “I plan to ...”`: a quotation the
                # sentence's own reported speech carries is that speaker's.
                for found in self.found[first_found:]:
                    if (
                        found.kind == "direct"
                        and found.speaker is None
                        and p.start + start <= found.start < p.start + end
                        and (
                            found.rule == "unattributed"
                            or (found.rule == "unresolved-speaker" and not _names_someone(found.mention))
                        )
                    ):
                        self._set(found, sentence_attr, "direct-in-attributed-sentence", 0.75)
            starts = [t.start for t in tokens] if partial_pairs else []
            for pair in partial_pairs:
                self._partial(
                    p, s, masked, pair, (start, end), (tokens, starts), sentence_attr, pair.open in names
                )
        # Quotes of this paragraph left without a speaker: the next paragraph's attribution, or the
        # previous paragraph's speaker continuing.
        for found in self.found[first_found:]:
            if found.kind != "direct" or found.speaker is not None or found.rule == "unresolved-speaker":
                # An explicit "X said" that names nobody known stays unresolved: never the previous speaker.
                continue
            if found.continues is not None:
                continue
            intro = self._colon_introduction(previous) if previous and found.start == p.start + 1 else None
            attr = self._next_paragraph_attribution(following) if following else None
            if intro is not None and intro.resolution.key is not None:
                self._set(found, intro, "colon-introduction", 0.8)
            elif attr is not None and attr.resolution.key is not None:
                self._set(found, attr, attr.rule, 0.75)
            elif (
                previous is not None
                and previous.position in self._last_speaker
                and found.start == p.start + 1
            ):
                self._take_speaker(
                    found, self._last_speaker[previous.position], "continues-previous-speaker", 0.7
                )
            else:
                before = self._sentence_before(found, p, masked, sentences, previous)
                if before is not None:
                    self._set(found, before, "previous-sentence-subject", 0.6)
        spoken = [f for f in self.found[first_found:] if f.speaker is not None]
        if spoken:
            # A quotation that goes on in the next paragraph is the latest direct quote's, not that of
            # reported speech after it in its sentence ("“...,” Cole told the Ledger when asked which
            # plan she backed." then "“...”").
            last = max(spoken, key=lambda f: f.start)
            direct = max((f for f in spoken if f.kind == "direct"), key=lambda f: f.start, default=None)
            if (
                direct is not None
                and last.kind != "direct"
                and not _SENTENCE_END.search(self.text, direct.end + 1, last.start)
            ):
                last = direct
            self._last_speaker[p.position] = last

    def _sentence_before(
        self,
        found: Found,
        p: ParagraphSpec,
        masked: str,
        sentences: list[tuple[int, int]],
        previous: ParagraphSpec | None,
    ) -> _Attribution | None:
        """ "Reyes praised the plan. “We need someone who ...”": a quote that opens its sentence with no
        attribution is from the speaker the sentence before is about, when that sentence quotes no one
        and has a speaker acting as its subject (the previous paragraph's last sentence for a quote that
        opens its paragraph): a person, one described and not named ("The retired welder recalled the
        flood. “...”") or an organization; not a group ("The crowd booed. “...”" may be anyone in it)."""
        open_at = found.start - p.start - 1
        number = next((n for n, (a, b) in enumerate(sentences) if a <= open_at < b), None)
        if number is None or masked[sentences[number][0] : open_at].strip():
            return None
        if number:
            text, (start, end), offset = masked, sentences[number - 1], p.start
        elif (
            previous is not None
            and previous.role != "title"
            and previous.position not in self._last_speaker
            and previous.end - previous.start <= _WINDOW
        ):
            text, offset = self.text[previous.start : previous.end], previous.start
            if any(mark in text for mark in _DOUBLE_MARKS):
                return None
            start, end = split_sentences(text)[-1]
        else:
            return None
        tokens = self._tokens(text, start, end)
        sentence_start, self._cursor = self._cursor, offset + start
        acting = self._acting_subject(text, end, (tokens, [t.start for t in tokens]), kinds=_ONE_SPEAKER)
        self._cursor = sentence_start
        return acting

    def _spoken_before(self, first_found: int, found: Found) -> Found | None:
        """The latest quote of this paragraph before ``found`` that has a speaker, when it is a
        partial or reported one (a direct one before it is handled as an interrupted quote)."""
        spoken = max(
            (
                earlier
                for earlier in self.found[first_found:]
                if earlier is not found and earlier.start < found.start and earlier.speaker is not None
            ),
            key=lambda earlier: earlier.start,
            default=None,
        )
        return spoken if spoken is not None and spoken.kind != "direct" else None

    # -- classification --------------------------------------------------------------------------------

    def _classify(self, s: str, masked: str, pair: Pair, start: int, end: int, in_title: bool) -> str | None:
        content = s[pair.open + 1 : pair.close]
        if not content.strip() or _STAGE_DIRECTION.fullmatch(content.strip(" .,")):
            return None  # empty, or transcript noise: "(CROSSTALK)", "[APPLAUSE]"
        if s[pair.open] in "'\u2018" and not s[: pair.open].strip() and not s[pair.close + 1 :].strip(" .:"):
            return None  # a paragraph that is one single-quoted phrase is a heading, not a quotation
        before = masked[max(start, pair.open - _WINDOW) : pair.open].strip().strip(_DIRECTION_MARKS)
        after_raw = masked[pair.close + 1 : min(end, pair.close + 1 + _WINDOW)] if not pair.runs_on else ""
        after = after_raw.strip()
        if _names_a_work(before):
            return None
        opens_clause = (
            not before
            or before.endswith(":")
            or _ends_with_cue(before)
            # "Yet, “it is hard ...,” added Lee": a connective of the writer's opens the sentence.
            or (before.endswith(",") and before[:-1].casefold() in _CONNECTIVES)
            or self._resumes(masked, max(start, pair.open - _WINDOW), pair.open)
        )
        if pair.runs_on:
            return "direct" if opens_clause else None
        closes_clause = (
            not after
            or after[0] in ".?!;"
            or after[0] in _ALL_MARKS
            or (after[0] in _DASHES and after[1:].lstrip()[:1].isupper())
            or self._is_attribution(
                masked, pair.close + 1 + len(after_raw) - len(after_raw.lstrip()), len(after)
            )
        )
        words = content.split()
        if opens_clause and closes_clause and (len(words) >= 2 or content.rstrip()[-1:] in ",.?!"):
            return "direct"
        if _title_case(words) and not in_title:
            return "name" if _used_as_a_name(before) else None
        if _whole_sentence(content, words) and (not before or before[-1] in ",:\u2014\u2013"):
            # A full sentence in its own marks after a clause boundary is quoted whole, whatever the
            # attribution looks like ("Voss asks at a school, “Anything else I can clear up?”").
            return "direct"
        return "partial"

    def _resumes(self, masked: str, begin: int, open_at: int) -> bool:
        """Whether the quotation opening at ``open_at`` resumes one its attribution interrupted
        ("“These people know words,” said Lee, speaking of politicians, “and leave ...”")."""
        before = masked[begin:open_at]
        if not before.rstrip().endswith(","):
            return False
        close = max(before.rfind(mark) for mark in _DOUBLE_MARKS)
        if close < 1 or before[close - 1] != "," or len(before) - close > 160:
            return (
                False  # the first part ends on its comma ("“The risk,” says ..."), the attribution is short
            )
        between = before[close + 1 :]
        lead = len(between) - len(between.lstrip(" ,"))
        return self._is_attribution(masked, begin + close + 1 + lead, len(between.strip()))

    def _is_attribution(self, masked: str, at: int, length: int) -> bool:
        """Whether the text after a quote (``length`` characters from ``at``, blanks around it left out)
        begins as an attribution."""
        tokens = self._tokens(masked, at, at + min(length, 300))
        if tokens and tokens[0].text == ",":
            tokens = tokens[1:]
        if _appositive_cue(tokens) is not None:
            return True
        for n, tok in enumerate(tokens[:12]):
            if (
                tok.low in CUE_FINITE
                or tok.low == "according"
                or tok.low == "quoted"
                or _phrasal(tokens, n)
                or (n > 1 and _after_modal(tokens, n))
                or _opens_with_it(tokens, n)
            ):
                return True
            if tok.kind == "q":
                return False
            if n >= 10:
                break
        return False

    # -- direct quotes ---------------------------------------------------------------------------------

    def _direct(
        self, p: ParagraphSpec, s: str, masked: str, pair: Pair, start: int, end: int, used: set[int]
    ) -> Found:
        content_end = pair.close
        found = Found("direct", p.start + pair.open + 1, p.start + content_end, p.position)
        _trim(self.text, found)
        self.found.append(found)
        attr = None
        # "Trump seemed to suggest it: “...,” he told the paper": a pronoun may stand for a person
        # named earlier in the same sentence.
        sentence_start, self._cursor = self._cursor, p.start + pair.open
        if (
            not pair.runs_on
            and masked[pair.close + 1 : pair.close + 8].lstrip(" ,").startswith(("and ", "but "))
            and _ends_with_cue(masked[start : pair.open])
        ):
            # `18 percent said “no chance” and 9 percent said “...”`: the cue right before the quote is
            # its own; the clause after "and" is the next quote's.
            attr = self._before_clause(s, masked, start, pair.open, used)
        if attr is None and not pair.runs_on:
            attr = self._after_clause(s, masked, pair.close + 1, end, used)
            if (
                attr is not None
                and s[pair.close - 1 : pair.close] in ".?!"
                and _introduces_next(masked, pair, end)
            ):
                # `Voss answered Reyes with, “Why now?” Reyes wrote back, “...”`: a quotation that ends
                # its sentence is the earlier attribution's; the one after it introduces the next quote.
                earlier = self._before_clause(s, masked, start, pair.open, set())
                if earlier is not None and earlier.resolution.key is not None:
                    attr = earlier
        if attr is None:
            attr = self._before_clause(s, masked, start, pair.open, used)
        self._cursor = sentence_start
        earlier = self._same_pronoun_before(found, attr, sentence_start)
        if earlier is not None:
            self._take_speaker(found, earlier, attr.rule, 0.95)
        elif attr is not None and attr.resolution.key is not None:
            self._set(found, attr, attr.rule, 0.95)
        elif attr is not None:
            found.mention, found.cue, found.rule, found.confidence = (
                attr.resolution.mention,
                attr.cue,
                "unresolved-speaker",
                0.3,
            )
        else:
            found.rule, found.confidence = "unattributed", 0.3
        return found

    def _after_clause(self, s: str, masked: str, begin: int, end: int, used: set[int]) -> _Attribution | None:
        limit = min(end, begin + _WINDOW)
        tokens = self._tokens(masked, begin, limit, to_quote=True)
        stop = next((n for n, t in enumerate(tokens) if t.kind == "q"), len(tokens))
        tokens = tokens[:stop]
        while tokens and tokens[0].kind == "p":
            tokens = tokens[1:]
        if not tokens:
            return None
        dash = masked[begin:limit].lstrip(" ,")[:1]
        if dash in _DASHES and tokens[0].kind == "w" and _is_cap(tokens[0]) and len(tokens) <= 14:
            # "“We need the jobs back.” ― Maria Lopez, 52, a welder": the name after the dash speaks.
            phrase = subject_after(s, tokens)
            if phrase:
                return _Attribution(self._resolve(phrase), dash, "dash-attribution")
        attr = self._intermediary(s, tokens, used)
        if attr is not None:
            return attr
        late = _appositive_cue(tokens)
        for v, tok in enumerate(tokens[:12] if late is None else tokens[: late + 1]):
            if tok.low == "according" and v + 1 < len(tokens) and tokens[v + 1].low == "to":
                phrase = subject_after(s, tokens[v + 2 :])
                used.add(tok.start)
                return _Attribution(self.speakers.resolve(phrase), "according to", "quote-then-according-to")
            if late is not None and v < late:
                continue
            if tok.low in CUE_PARTICIPLES and v > 1 and tokens[v - 1].low in _PERCEIVED:
                # `“...?” a reporter can be heard asking`: the one heard speaking is the subject of the
                # verb of perception.
                w = v - 1
                while w > 0 and tokens[w - 1].low in _PERCEPTION_AUX:
                    w -= 1
                if 0 < w < v - 1 and all(t.kind == "w" for t in tokens[:w]):
                    used.add(tok.start)
                    phrase = (
                        _strip_trailing_adverbials(s, tokens[:w]) or s[tokens[0].start : tokens[w - 1].end]
                    )
                    return _Attribution(self._resolve(phrase), tok.text, "quote-then-attribution")
            modal = _modal_before(tokens, v) if v > 1 and tok.low not in CUE_FINITE else -1
            if (
                tok.low in CUE_FINITE
                or _phrasal(tokens, v)
                or modal > 0
                or _plural_present_after_quote(s, tokens, v)
                or _opens_with_it(tokens, v)
            ) and not _not_a_cue(s, tokens, v):
                if v and all(t.low in _JOINING for t in tokens[:v]):
                    # `She declared “...” and said ...`: a second verb of the subject before the quote.
                    return None
                if v == 1 and tokens[0].low in _CLAUSE_OPENERS:
                    # `Lee said, “We'll see,” when asked ...`, `“...,” while telling ...`: a clause with
                    # no subject of its own says when, not who.
                    return None
                used.add(tok.start)
                cue, after_cue = _cue_at(s, tokens, v)
                if v == 0:
                    phrase = subject_after(s, tokens[1:])
                else:
                    words = tokens[:v]
                    comma = max((n for n, t in enumerate(words) if t.text == ","), default=-1)
                    runs_on = comma > 0 and (words[0].low in _SUBORDINATORS or words[0].low in _PREPOSITIONS)
                    if runs_on and comma == v - 1:
                        # `“...” if she lost, said Ed Stone`: the quote's sentence runs on before its
                        # attribution; the subject follows the verb.
                        phrase = subject_after(s, tokens[v + 1 :])
                    else:
                        if runs_on:
                            # `“...” because she would win, he said`: the subject is after the comma.
                            words = words[comma + 1 :]
                        elif len(words) > 2 and words[0].low in _BE and words[1].low == "how":
                            # `“...,” is how critics put it`: the subject follows "how".
                            words = words[2:]
                        if modal > 0:
                            # `“...,” Ada Voss could only repeat`: the subject before the modal.
                            words = tokens[:modal]
                        aside = dash_aside(s, words)
                        if aside:
                            # `“...,” Geoff Garin — a pollster — said`: the name before the aside.
                            words = words[:aside]
                        phrase = s[words[0].start : words[-1].end]
                        phrase = _strip_trailing_adverbials(s, words) or phrase
                resolution = self._resolve(phrase)
                self._note_document(s, tokens[after_cue:], resolution)
                return _Attribution(resolution, cue, "quote-then-attribution")
            if tok.kind == "p" and tok.text != ",":
                break
        return None

    def _intermediary(self, s: str, tokens: list[Tok], used: set[int]) -> _Attribution | None:
        """ "Xinhua quoted Xi as saying", "he was quoted as saying", "was quoted by Xinhua as saying"."""
        quoted = next((n for n, t in enumerate(tokens[:20]) if t.low == "quoted"), None)
        if quoted is None:
            return None
        as_at = next(
            (
                n
                for n in range(quoted + 1, min(len(tokens) - 1, quoted + 20))
                if tokens[n].low == "as" and tokens[n + 1].low == "saying"
            ),
            None,
        )
        if as_at is None:
            return None
        used.add(tokens[quoted].start)
        if quoted > 0 and tokens[quoted - 1].low in ("was", "were", "is", "being"):
            speaker = self._resolve(s[tokens[0].start : tokens[quoted - 2].end]) if quoted >= 2 else None
            via = None
            if tokens[quoted + 1].low == "by" and as_at > quoted + 2:
                via = self._resolve(s[tokens[quoted + 2].start : tokens[as_at - 1].end])
            cue = s[tokens[quoted - 1].start : tokens[as_at + 1].end]
            if via is not None:
                cue = f"{tokens[quoted - 1].text} quoted as saying"
            if speaker is None:
                return None
            return _Attribution(speaker, cue, "quoted-as-saying", via)
        if quoted == 0 or as_at == quoted + 1:
            return None
        via = self._resolve(s[tokens[0].start : tokens[quoted - 1].end])
        speaker = self._resolve(s[tokens[quoted + 1].start : tokens[as_at - 1].end])
        cue = s[tokens[quoted].start : tokens[as_at + 1].end]
        return _Attribution(speaker, cue, "intermediary-quoted-as-saying", via)

    def _before_clause(
        self, s: str, masked: str, start: int, open_at: int, used: set[int]
    ) -> _Attribution | None:
        begin = max(start, open_at - _WINDOW)
        tokens = self._tokens(masked, begin, open_at)
        last_quote = max((n for n, t in enumerate(tokens) if t.kind == "q"), default=-1)
        tokens = tokens[last_quote + 1 :]
        colon = bool(tokens) and tokens[-1].text == ":"
        comma = bool(tokens) and tokens[-1].text == ","
        while tokens and tokens[-1].kind == "p":
            tokens = tokens[:-1]
        whole = self._tokens(masked, begin, open_at)
        if not tokens:
            # `Gerber calls Vale "a chameleon": “...”`: the colon right after the earlier quote.
            return self._sentence_introduces(s, whole) if colon and last_quote >= 0 else None
        earlier = whole[: len(whole) - len(tokens)]
        # "But polls did predict the caucus - HuffPollster: “...”": a name the colon follows names the
        # source before any cue further back.
        attr = self._colon_name(s, masked, tokens) if colon and last_quote < 0 else None
        attr = attr or self._cue_before_quote(s, tokens, used, earlier)
        if attr is None and (comma or colon) and last_quote < 0:
            # "Lee wrote online late on Friday, speaking of her younger brother, “...”": the cue further back.
            far = _far_cue(tokens)
            if (
                tokens[0].low in CUE_FINITE
                and tokens[0].text[0].isupper()
                and tokens[0].low not in _OBJECT_FIRST
                and _is_cap(tokens[1])
                and not any(t.low == "that" or t.low in CUE_VERBS for t in tokens[1:])
            ):
                # "Said Ann Cole, who grew up on the street, “...”": the verb opens the sentence and
                # its subject follows.
                used.add(tokens[0].start)
                phrase = subject_after(s, tokens[1:])
                if phrase:
                    return _Attribution(self._resolve(phrase), tokens[0].text, "attribution-then-quote")
            if far >= 0:
                attr = self._put_to(s, tokens, far) or self._cue_before_quote(
                    s, tokens[: far + 1], used, earlier
                )
                if attr is not None and attr.resolution.key is None:
                    # ("Dana Cole, 35, the mayor's daughter, said ...": the name opening the sentence.)
                    phrase = sentence_subject(s, tokens[:far])
                    resolution = self._resolve(phrase) if phrase else None
                    if resolution is not None and resolution.key is not None:
                        attr = _Attribution(resolution, attr.cue, attr.rule)
        if attr is None and colon and last_quote < 0:
            named = self._colon_name(s, masked, tokens)
            if named is not None:
                return named
            aside = _as_aside(s, tokens)
            if aside is not None and (resolution := self._resolve(aside[0])).key is not None:
                # "As Lena Park put it, the board had one job: “...”": whose words the quote is.
                return _Attribution(resolution, aside[1], "colon-introduction")
            # "She turned to the committee: “...”": whoever the sentence is about introduces the quote.
            phrase = sentence_subject(s, tokens)
            comma = next((n for n, t in enumerate(tokens) if t.text == ","), None)
            if (
                phrase
                and (
                    tokens[0].low not in _NOT_INTRODUCERS
                    # "In early October, Mike Ruiz reached out, writing in an email: “...”": a name as the
                    # subject after the opening phrase.
                    or (
                        comma is not None
                        and s.find(phrase, tokens[0].start) > tokens[comma].start
                        and (
                            (phrase[:1].isupper() and phrase.split()[0].casefold() not in _ARTICLES)
                            # ("As if to the mayor, the Harbor Board was clear: “...”": an article before
                            # a name of capitalized words, all of them, is a name too.)
                            or (
                                phrase.split()[0] in _ARTICLES
                                and len(phrase.split()) > 1
                                and all(
                                    w[:1].isupper() or w in ("of", "for", "and") for w in phrase.split()[1:]
                                )
                                and phrase.split()[-1][:1].isupper()
                            )
                        )
                    )
                )
            ):
                after = s.find(phrase, tokens[0].start) + len(phrase)
                cue = s[after : tokens[-1].end].strip(" ,")
                resolution = self._resolve(phrase)
                if resolution.key is None or self.speakers.entity(resolution.key).kind != "person":
                    # "The timing does not surprise pollster Dana Cole: “...”": a thing is the subject,
                    # and the person named last before the colon speaks.
                    closing = self._closing_person(s, tokens)
                    if closing is not None:
                        return _Attribution(closing, cue, "colon-introduction")
                return _Attribution(resolution, cue, "colon-introduction")
        if attr is None and (comma or tokens[-1].low == "read") and last_quote < 0:
            # "Reyes wrote to his 2,000 followers, “...”", "Reyes issued a statement, “...”": a person
            # acting as the sentence's subject introduces the quotation after the comma (or holds up
            # what reads it: "Lee hoisted a sign that read “...”").
            acting = self._acting_subject(s, open_at, (tokens, [t.start for t in tokens]))
            if acting is not None:
                return _Attribution(acting.resolution, acting.cue, "comma-introduction")
        if attr is None and colon and last_quote >= 0:
            return self._sentence_introduces(s, whole)
        return attr

    def _sentence_introduces(self, s: str, whole: list[Tok]) -> _Attribution | None:
        """`Moss hammered Voss, calling him a "loose cannon," and compared him with Cole: “...”`: a
        person who is the subject of the sentence, quoted in passing before the colon, introduces the
        quote after it."""
        if not whole or whole[0].kind != "w" or whole[0].low in _NOT_INTRODUCERS:
            return None
        phrase = sentence_subject(s, whole)
        resolution = self._resolve(phrase) if phrase else None
        if resolution is None or resolution.key is None:
            return None
        if self.speakers.entity(resolution.key).kind != "person":
            return None
        return _Attribution(resolution, ":", "colon-introduction")

    def _closing_person(self, s: str, tokens: list[Tok]) -> Resolution | None:
        """The person whose full name ends the words before a colon, after a lowercase word."""
        start = len(tokens)
        while start > 0 and _is_cap(tokens[start - 1]) and len(tokens) - start < 5:
            start -= 1
        if (
            len(tokens) - start < 2
            or start == 0
            or tokens[start - 1].kind != "w"
            or _is_cap(tokens[start - 1])
        ):
            return None
        resolution = self._resolve(s[tokens[start].start : tokens[-1].end])
        if resolution.key is None or self.speakers.entity(resolution.key).kind != "person":
            return None
        return resolution

    def _colon_name(self, s: str, masked: str, tokens: list[Tok]) -> _Attribution | None:
        """ "Polls caught the shift - Dana Cole: “...”" (a name alone after a dash) and "According to
        Ben Ortiz: “...”" name who the quote after the colon is from."""
        if len(tokens) > 2 and tokens[0].low == "according" and tokens[1].low == "to":
            phrase = subject_after(s, tokens[2:])
            return _Attribution(self._resolve(phrase), "according to", "according-to") if phrase else None
        source = next(
            (n for n in range(len(tokens) - 2, max(-1, len(tokens) - 10), -1) if tokens[n].low == "from"), -1
        )
        if (
            source >= 0
            and (
                source == 0
                or (tokens[source - 1].low == "more" and (source == 1 or _dash_before(s, tokens, source - 1)))
            )
            and all(t.kind == "w" for t in tokens[source + 1 :])
        ):
            # "From the audit: “...”", "... all along - More from Dana Cole: “...”": the source named;
            # "From Ada Voss's Facebook post: “...”": the owner of what is quoted.
            named = tokens[source + 1 :]
            owner = next((n for n, t in enumerate(named) if _possessive(s, t)), None)
            if owner is not None and named[-1].text.islower():
                owned = self._possessor(s, named, owner, "from")
                return _Attribution(owned.resolution, "from", "from-source") if owned else None
            resolution = self._resolve(s[named[0].start : named[-1].end])
            if resolution.key is not None:
                return _Attribution(resolution, "from", "from-source")
        stretch = masked[tokens[0].start : tokens[-1].end]
        dash = max(stretch.rfind(" - "), *(stretch.rfind(d) for d in _DASHES))
        if dash < 0:
            return None
        run = [t for t in tokens if t.start > tokens[0].start + dash]
        if 0 < len(run) <= 5 and _is_cap(run[0]) and all(_is_cap(t) or t.low in ("and", "&") for t in run):
            return _Attribution(self._resolve(s[run[0].start : run[-1].end]), ":", "colon-introduction")
        return None

    def _cue_before_quote(
        self, s: str, tokens: list[Tok], used: set[int], earlier: list[Tok]
    ) -> _Attribution | None:
        """A cue among the last words before a quote; ``earlier`` are the sentence's tokens before
        ``tokens`` (up to and including an earlier quote)."""
        owner = _in_words_of(s, tokens)
        if owner:
            # "in Lena Park's words, “...”": the owner of the words speaks.
            return _Attribution(self._resolve(owner), "in words of", "in-someones-words")
        for v in range(len(tokens) - 1, max(-1, len(tokens) - 8), -1):
            tok = tokens[v]
            phrasal = _phrasal(tokens, v) and v + 2 == len(
                tokens
            )  # "Lee shot back, “...”", not "goes on recess"
            if (
                (tok.low in CUE_VERBS or phrasal or _after_modal(tokens, v))
                and (v == 0 or not tok.text[0].isupper())
                and not _not_a_cue(s, tokens, v)
            ):
                # (a capitalized word is no cue: "the United States")
                used.add(tok.start)
                cue, _ = _cue_at(s, tokens, v)
                if tok.low in CUE_PARTICIPLES:
                    # "Lee left the room, adding: “...”": the participle's subject is the sentence's,
                    # before any earlier quote of it (`Lee called it “messy,” adding, “...”`).
                    own = tokens[:v] if any(t.kind == "w" for t in tokens[:v]) else []
                    if v > 1 and tokens[v - 1].low == "and":
                        # "with Ada Voss tweeting that ... and asking, “...”": the earlier participle's
                        # subject.
                        seq = earlier + tokens[:v]
                        w = next(
                            (
                                n
                                for n in range(len(seq) - 2, max(-1, len(seq) - 30), -1)
                                if seq[n].low in CUE_PARTICIPLES and seq[n].text.islower()
                            ),
                            None,
                        )
                        if w is not None and (with_subject(s, seq[:w]) or absolute_subject(s, seq[:w])):
                            own = seq[:w]
                    if v == 0 and all(t.kind != "w" or t.start == tok.start for t in earlier):
                        # "Lee called the report late. Adding, “...”": a participle opening a sentence
                        # goes on with the person just quoted in the paragraph, or with no one.
                        return _Attribution(self._just_quoted(tok.text), cue, "attribution-then-quote")
                    phrase = (
                        (with_subject(s, own) or absolute_subject(s, own) or _trailing_subject(s, own))
                        if own
                        else ""
                    )
                    if not phrase:
                        phrase = sentence_subject(s, own or earlier + tokens[:v]) if v or earlier else ""
                else:
                    put = self._put_to(s, tokens, v)
                    if put is not None:
                        return put
                    # ("a spokesman could only quip": the subject before the modal.)
                    cut = v if tok.low in CUE_VERBS or phrasal else _modal_before(tokens, v)
                    phrase = _named_before_who(s, tokens, v)
                    if not phrase and any(t.kind == "w" and t.low not in _CONNECTIVES for t in tokens[:cut]):
                        phrase = subject_before(s, tokens[:cut])
                    if not phrase and (v == 0 or tokens[v - 1].text == ","):
                        # "Said Lee, “...”", "But, said Lee, “...”", "In other words, explained Lee:
                        # “...”": the subject after the verb.
                        phrase = subject_after(s, tokens[v + 1 :])
                return _Attribution(self._resolve(phrase), cue, "attribution-then-quote")
        return None

    def _put_to(self, s: str, tokens: list[Tok], v: int) -> _Attribution | None:
        """ "Hale was asked by host Dana Moss, “...”": a question put to the subject of a passive cue is
        the asker's, the agent after "by"; with no "by", an asker the sentence does not name. None when
        the cue at ``v`` is no such passive."""
        if tokens[v].low not in _PUT_TO or not v or tokens[v - 1].low not in _PASSIVE_AUXILIARIES:
            return None
        by = v + 2 < len(tokens) and tokens[v + 1].low == "by"
        agent = _agent(s, tokens, v + 2) if by else ""
        resolution = self._resolve(agent) if agent else Resolution(None, "", 0.0)
        return _Attribution(resolution, _cue_at(s, tokens, v)[0], "attribution-then-quote")

    # -- partial quotes --------------------------------------------------------------------------------

    def _partial(
        self,
        p: ParagraphSpec,
        s: str,
        masked: str,
        pair: Pair,
        sentence: tuple[int, int],
        indexed: tuple[list[Tok], list[int]],
        sentence_attr: _Attribution | None,
        name: bool = False,
    ) -> None:
        """A quoted fragment of a sentence and who it is from; a ``name`` (a title-case fragment, "Mr.
        Cole", "Little Marco", a slogan or a show) only when someone in the sentence uses it."""
        start, end = sentence
        found = Found("partial", p.start + pair.open + 1, p.start + pair.close, p.position)
        _trim(self.text, found)
        if found.end <= found.start:
            return
        attr = None
        if p.role == "title":
            attr = self._headline_speaker(s, masked, start, end)
        if (
            attr is None
            and sentence_attr is not None
            and sentence_attr.rule == "parenthetical-attribution"
            and sentence_attr.resolution.key is not None
        ):
            # "The council, Lee said, called the plan “a mess”": the aside says whose account it is.
            attr = _Attribution(sentence_attr.resolution, sentence_attr.cue, "partial-in-attributed-sentence")
        if attr is None and p.role != "title":
            # "As Dana Moss puts it, Hale is trying to make the council “an offer ...”": the aside names
            # whose words the sentence's quotations are.
            # (Read once per sentence: every quote of it finds the same aside.)
            if self._aside[0] is not indexed[0]:
                self._aside = (indexed[0], _put_it_aside(s, indexed[0]))
            aside = self._aside[1]
            if aside is not None:
                resolution = self._resolve(aside[0])
                if resolution.key is not None:
                    attr = _Attribution(resolution, aside[1], "as-someone-put-it")
        if attr is None:
            sentence_start, self._cursor = self._cursor, p.start + pair.open
            attr = self._possessor_speaks(s, pair, indexed) if p.role != "title" else None
            attr = attr or self._cue_before(s, masked, start, pair.open, indexed)
            if attr is None and sentence_attr is None and not pair.runs_on:
                # `Voters "think he will win," he said.`: the attribution right after the quote, or
                # after the quotes joined to it (`"a swindle" or "a trap," Hale said`).
                attr = self._after_clause(s, masked, pair.close + 1, end, set())
                joined = _JOINED_QUOTES.match(masked, pair.close + 1, end) if attr is None else None
                if joined is not None:
                    attr = self._after_clause(s, masked, joined.end(), end, set())
            self._cursor = sentence_start
        if sentence_attr is not None and (
            attr is None
            or (
                # `During their phone call, Voss and Park "renewed their pledge," the ministry said`: a
                # cue word before the quotation whose subject names no one ("their phone call") gives way
                # to the attribution that closes the sentence.
                attr.resolution.key is None
                and sentence_attr.rule == "trailing-attribution"
                and sentence_attr.resolution.key is not None
            )
        ):
            attr = _Attribution(sentence_attr.resolution, sentence_attr.cue, "partial-in-attributed-sentence")
        earlier = self._same_pronoun_before(found, attr, p.start + start)
        if earlier is not None:
            self.found.append(found)
            self._take_speaker(found, earlier, attr.rule, 0.8)
            return
        words = self.text[found.start : found.end].split()
        if (attr is None or attr.resolution.key is None) and p.role != "title":
            # With no attribution, or one that names nobody ("Tuesday, hours after ..."), the person
            # acting in the sentence; a document, a group or an organization only for more than a
            # phrase ("The ad accuses Voss of “selling out the valley to developers”"): a short one
            # is a scare quote or a title.
            attr = (
                self._acting_subject(s, pair.open, indexed, kinds=_PERSON if len(words) <= 3 else None)
                or attr
            )
        if (
            (attr is None or attr.resolution.key is None)
            and p.role != "title"
            and len(words) > 3
            and masked[start : pair.open].strip().casefold() in _GOING_ON
        ):
            # `"We lost," Lee said. "They had more money than we did" and a better map.`: more than a
            # phrase opening its sentence goes on from the quote attributed in the sentence before, after
            # a conjunction too (`... Lee said. But "the map was against us."`).
            spoken = self._quoted_just_before(p, pair.open)
            if spoken is not None:
                self.found.append(found)
                self._take_speaker(found, spoken, "follows-attributed-sentence", 0.75)
                return
        if attr is None or attr.resolution.key is None:
            if name or (
                len(words) <= 3
                and (attr is None or p.role == "title" or not _reads_as_subject(attr.resolution.mention))
            ):
                # A scare quote: no speech around it, so it is not a quotation of anyone. A short quote
                # a cue gives to someone not resolved ("a state official said the plan was "on track"")
                # is a quotation all the same, kept with no speaker.
                return
            self.found.append(found)
            found.rule, found.confidence = "unattributed-fragment", 0.2
            return
        self.found.append(found)
        if (
            sentence_attr is not None
            and sentence_attr.resolution.key is not None
            and sentence_attr.resolution.key != attr.resolution.key
            and self.speakers.entity(sentence_attr.resolution.key).kind == "organization"
            and attr.via is None
        ):
            attr.via = sentence_attr.resolution
        self._set(found, attr, attr.rule, 0.8)

    def _possessor_speaks(
        self, s: str, pair: Pair, indexed: tuple[list[Tok], list[int]]
    ) -> _Attribution | None:
        """`Cole's claim that the plan "failed"`, `her remark that "..."`, `Cole's "47 votes" comment`: words
        quoted as what someone's claim, remark or promise says are that person's."""
        tokens, starts = indexed
        at = bisect_left(starts, pair.open)
        if at == 0 or at >= len(tokens) or tokens[at].start != pair.open:
            return None
        after = next(
            (n for n in range(at + 1, min(len(tokens), at + 4)) if tokens[n].start > pair.close), None
        )
        if after is not None and tokens[after].low in _SPEECH_NOUNS and _possessive(s, tokens[at - 1]):
            # `Cole's "47 votes" comment`: the noun after the quotation.
            return self._possessor(s, tokens, at - 1, tokens[after].text)
        for n in range(at - 1, max(-1, at - 15), -1):
            tok = tokens[n]
            if tok.low not in _SPEECH_NOUNS or not tok.text.islower():
                if tok.kind == "q" or tok.text in ";:" or tok.low in CUE_VERBS or tok.low in PARTIAL_VERBS:
                    return None
                continue
            link = tokens[n + 1].low if n + 1 < at else ""
            if link in _BE and n + 2 < at and tokens[n + 2].low == "that":
                link = "that"  # "Cole's answer was that "...""
            if link not in _SPEECH_LINKS or any(t.text == "," for t in tokens[n + 1 : at - 1]):
                return None
            owner = next((m for m in range(n - 1, max(-1, n - 5), -1) if _possessive(s, tokens[m])), None)
            if owner is None or any(t.kind != "w" and t.text != "," for t in tokens[owner + 1 : n]):
                return None
            if tok.low in _VERB_LIKE and any(t.low not in _SAID_WHEN for t in tokens[owner + 1 : n]):
                return None  # "Her campaign calls for ...": a verb whose subject is no possessive
            return self._possessor(s, tokens, owner, tok.text)
        return None

    def _possessor(self, s: str, tokens: list[Tok], owner: int, noun: str) -> _Attribution | None:
        """The person or organization whose possessive is ``tokens[owner]`` ("Dana Cole's", "her", "the
        senator's"); None when it is no one known."""
        tok = tokens[owner]
        if tok.low in ("his", "her"):
            phrase = "he" if tok.low == "his" else "she"
        elif tok.low in ("their", "its", "my", "our", "your"):
            return None
        else:
            first = owner
            if _is_cap(tok):
                while first > 0 and _is_cap(tokens[first - 1]) and owner - first < 5:
                    first -= 1
            else:
                # "the Florida senator's": back to its article.
                first = next(
                    (m for m in range(owner - 1, max(-1, owner - 4), -1) if tokens[m].low == "the"), -1
                )
                if first < 0:
                    return None
            phrase = _POSSESSIVE.sub("", s[tokens[first].start : tok.end])
        resolution = self._resolve(phrase)
        if resolution.key is None or self.speakers.entity(resolution.key).kind == "group":
            return None
        return _Attribution(resolution, noun, "possessive-speech-noun")

    def _quoted_just_before(self, p: ParagraphSpec, open_at: int) -> Found | None:
        """The quote of this paragraph before the mark at ``open_at`` when it has a speaker and only its
        own attribution stands between them (one sentence end at most: `"...," Lee said. "...`)."""
        before = max(
            (f for f in self.found if f.paragraph == p.position and f.end <= p.start + open_at),
            key=lambda f: f.start,
            default=None,
        )
        if before is None or before.speaker is None:
            return None
        between = self.text[before.end : p.start + open_at]
        if any(mark in between[1:] for mark in _DOUBLE_MARKS) or len(_SENTENCE_END.findall(between)) > 1:
            return None
        return before

    def _same_pronoun_before(
        self, found: Found, attr: _Attribution | None, sentence_start: int
    ) -> Found | None:
        """`“...,” she said, adding, “...”`: the same pronoun of one sentence, read again for a later
        quote, stands for the same person as it did for the earlier quote, not whoever was named between."""
        if attr is None or attr.resolution.mention.casefold() not in ("he", "she"):
            return None
        for other in reversed(self.found[-6:]):
            if (
                other is not found
                and sentence_start <= other.start < found.start
                and other.speaker is not None
                and other.mention == attr.resolution.mention
            ):
                return other
        return None

    def _cue_before(
        self, s: str, masked: str, start: int, open_at: int, indexed: tuple[list[Tok], list[int]]
    ) -> _Attribution | None:
        tokens, starts = indexed
        if not tokens or open_at > start + _SENTENCE_LIMIT:
            # Past the part of a monstrous "sentence" that was read: no cue is looked for.
            return None
        before = bisect_left(starts, open_at)
        agent = _passive_agent(s, tokens, before)
        if agent:
            # `a plan seen by volunteers as a “safety net”`, `labeled a “witch hunt” by Democrats`:
            # the agent of a passive verb of speech or naming is who the words are from.
            return _Attribution(self._resolve(agent[0]), agent[1], "passive-agent")
        opener = _participle_opener_subject(s, tokens, before)
        if opener:
            # "Granting that Voss “talks a great deal of nonsense,” though, Hale did propose ...": a
            # participle opening the sentence has the main clause's subject.
            return _Attribution(self._resolve(opener), tokens[0].text, "partial-cue-subject")
        for v in range(before - 1, max(-1, before - 80), -1):
            tok = tokens[v]
            if (
                tok.low in CUE_PAST or tok.low in PARTIAL_VERBS or _present_after_plural(s, tokens, v)
            ) and not tok.text[0].isupper():
                if tok.low.endswith("ing") and v and tokens[v - 1].low in _DETERMINERS_BEFORE_NAMES | _OWNERS:
                    continue  # "a screaming man", "his continuing attacks": an adjective, not a cue
                if tok.low == "called" and v and tokens[v - 1].low == "so":
                    continue  # "the so called "plan"": so-called, written apart
                if tok.low in ("call", "urge") and _noun_after_article(tokens, v):
                    continue  # "a wake-up call for ...", "his urge to ...": a noun, not a cue
                if tok.low.endswith("ing"):
                    phrase = (
                        _contracted_subject(tokens, v)
                        or with_subject(s, tokens[:v])
                        or absolute_subject(s, tokens[:v])
                        or _trailing_subject(s, tokens[:v])
                        or sentence_subject(s, tokens[: min(v, 40)])
                    )
                else:
                    # "Ann Cole, who has in the past described it as "..."": the name before "who".
                    phrase = _name_before_relative(s, tokens, _relative_of(tokens, v)) or subject_before(
                        s, tokens[max(0, v - 80) : v]
                    )
                if not phrase:
                    continue
                return _Attribution(self._resolve(phrase), tok.text, "partial-cue-subject")
        return None

    def _acting_subject(
        self,
        s: str,
        open_at: int,
        indexed: tuple[list[Tok], list[int]],
        *,
        kinds: frozenset[str] | None = _PERSON,
    ) -> _Attribution | None:
        """`Rubio also bemoaned a climate in which people "hate each other"`: with no cue verb, the
        person who is the subject of the sentence's verb is who the quoted words are from. Only a
        speaker of ``kinds`` (by default a person, or "he"/"she" standing for one) acting in the active
        voice counts, whatever the verb's form ("found", "would denounce", "did not want"); with no
        ``kinds``, any speaker ("the petition", "the council", "the narrator")."""
        tokens, starts = indexed
        at = bisect_left(starts, open_at)
        if not at:
            return None
        # "Clinton proposed a debate, but the campaign rejected it as "ludicrous"": the last clause's.
        # Its words are read back from the quote, at most _CLAUSE_REACH of them: a subject further back
        # is no subject of the quote's verb, and reading each quote's sentence from its start would cost
        # the square of its length (a "sentence" of a hundred thousand quotes).
        turn = next(
            (n for n in range(at - 1, max(-1, at - 1 - _CLAUSE_REACH), -1) if tokens[n].low in _CLAUSE_TURNS),
            -1,
        )
        clause = turn + 1 if 0 < turn < at - 1 else 0
        if at - clause > _CLAUSE_REACH:
            return None
        before = tokens[clause:at]
        phrase = sentence_subject(s, before)
        if not phrase or phrase.split()[0].casefold().endswith("ing") or _CONTRACTED.match(phrase):
            return None  # ("We've seen this sort of "cover-up"": the writer, not a person named "We've")
        end = s.find(phrase, before[0].start) + len(phrase)
        rest = [t for t in before if t.start >= end]
        if rest and rest[0].low in _DOCUMENTS and rest[0].text.islower() and phrase[:1].isupper():
            # "A 2019 Harbor Transit Authority report found", "A Quinnipiac poll found": the document
            # the capitalized run names the author of is the subject.
            phrase, rest = s[s.find(phrase, before[0].start) : rest[0].end], rest[1:]
        rest = skip_aside(rest)
        if rest and rest[0].text == ",":
            # "Cole, Hale's lawyer, argues that ...": the verb after the appositive; "Voss, who has
            # styled himself as the "safe streets candidate,"": the verb of the relative clause the
            # quotation is in.
            close = next((n for n in range(1, min(len(rest), 25)) if rest[n].text == ","), None)
            if close is not None:
                rest = rest[close + 1 :]
            else:
                rest = rest[2:] if len(rest) > 1 and rest[1].low == "who" else []
        modal = False
        while rest and (
            rest[0].low in _AUX_ADV
            or rest[0].low in _REFLEXIVES
            or rest[0].low == "not"
            or rest[0].low.endswith("ly")
            or rest[0].low.endswith(_NEGATED)
        ):
            # ("Lee didn't like the phrase "...""): a contracted negation is an auxiliary too.
            modal = modal or rest[0].low in _MODALS or rest[0].low.endswith(_NEGATED)
            rest = rest[1:]
        if not rest or rest[0].kind != "w" or any(t.kind == "q" and t.start < rest[0].start for t in before):
            # (a quotation before the verb is someone's own: "“...,” Lee said, and ...")
            return None
        verb = rest[0].low
        if verb in _FINITE:
            # "Lee has long argued ...": an auxiliary with its verb; "Lee is the "kind-hearted" man" or
            # "Lee was accused of ..." describes Lee, who is not speaking.
            rest = [t for t in rest[1:3] if t.low not in _AUX_ADV and not t.low.endswith("ly")]
            if verb in _BE or not rest or not rest[0].low.endswith("ed"):
                return None
        elif modal:
            # "Lee would not comment on ...", "Lee did post ...": a modal with a verb's bare form.
            if (
                verb in _BE
                or verb in _STATE_VERBS
                or not rest[0].text.isalpha()
                or not rest[0].text.islower()
                or verb.endswith("ing")
            ):
                return None
        elif (not verb.endswith(("ed", "s")) and verb not in IRREGULAR_PAST) or verb.endswith("ss"):
            # ("Lee thought the buzz was "a tribute"", "Lee made the point that ...": a past of its own.)
            return None
        resolution = self._resolve(phrase)
        if resolution.key is None or (
            kinds is not None and self.speakers.entity(resolution.key).kind not in kinds
        ):
            return None
        return _Attribution(resolution, rest[0].text, "partial-sentence-subject")

    def _headline_speaker(self, s: str, masked: str, start: int, end: int) -> _Attribution | None:
        key = (start, end)
        if self._headline_cache.get("sentence") != key:
            self._headline_cache = {
                "sentence": key,
                "value": self._find_headline_speaker(s, masked, start, end),
            }
        return self._headline_cache["value"]

    def _find_headline_speaker(self, s: str, masked: str, start: int, end: int) -> _Attribution | None:
        tokens = self._tokens(masked, start, min(end, start + _WINDOW))
        for v, tok in enumerate(tokens):
            if tok.low in _HEADLINE_VERBS and v > 0:
                phrase = subject_before(s, tokens[:v])
                if phrase:
                    resolution = self._resolve(phrase)
                    if resolution.key is not None:
                        return _Attribution(resolution, tok.text, "headline-subject")
        return None

    # -- next and previous paragraphs ------------------------------------------------------------------

    def _next_paragraph_attribution(self, p: ParagraphSpec) -> _Attribution | None:
        """A following paragraph that is only an attribution ("Vasquez said after the vote.")."""
        s = self.text[p.start : p.end]
        if s[:1] in _ALL_MARKS or len(s) > 300:
            return None
        if s[:1] in _SIGNATURE_DASHES:
            # "- Dana Cole." or "—Dana Cole, Tulsa." under a quote: a signature line names who spoke.
            tokens = self._tokens(s, 1, len(s))
            run = 0
            while run < len(tokens) and run < 6 and (_is_cap(tokens[run]) or tokens[run].text == "."):
                run += 1
            # A name alone, then nothing, a full stop or an appositive ("—Tom Reyes, Dayton.").
            if run and len(tokens) <= 14 and (run == len(tokens) or tokens[run].text in ",.("):
                phrase = s[tokens[0].start : tokens[run - 1].end].rstrip(".")
                return _Attribution(self._resolve(phrase), s[:1], "dash-attribution")
            return None
        sentences = split_sentences(s)
        first_start, first_end = sentences[0]
        tokens = self._tokens(s, first_start, first_end)
        for v, tok in enumerate(tokens[:10]):
            if tok.low in CUE_FINITE:
                cue, after_cue = _cue_text(s, tokens, v)
                if all(t.low in _CONNECTIVES for t in tokens[:v]):
                    # "Said Okafor: ..." or "So said Marta Okafor, ...".
                    phrase = subject_after(s, tokens[v + 1 :])
                else:
                    if not _only_adverbials(tokens[after_cue:]):
                        return None
                    phrase = _strip_trailing_adverbials(s, tokens[:v])
                if not phrase:
                    return None
                return _Attribution(self._resolve(phrase), cue, "next-paragraph-attribution")
        return None

    def _colon_introduction(self, p: ParagraphSpec) -> _Attribution | None:
        """ "Marta Okafor ... put it bluntly:" introduces the quote of the next paragraph."""
        s = self.text[p.start : p.end]
        if not s.endswith(":") or len(s) > 600:
            return None
        start, end = split_sentences(s)[-1]
        tokens = self._tokens(s, start, end)
        words = tokens[:-1] if tokens and tokens[-1].text == ":" else tokens
        if words and (words[-1].low in CUE_VERBS or _after_modal(words, len(words) - 1)):
            # "..., and River News responded:", "... that a spokesman for Voss could only quip:": the
            # subject of the verb that ends the sentence, not the sentence's first subject.
            attr = self._cue_before_quote(s, words, set(), [])
            if attr is not None and attr.resolution.key is not None:
                return _Attribution(attr.resolution, attr.cue, "colon-introduction")
        aside = _as_aside(s, tokens)
        if aside is not None and (resolution := self._resolve(aside[0])).key is not None:
            # "As the Herald reported, the council was refusing ...:": whose words the quote is.
            return _Attribution(resolution, aside[1], "colon-introduction")
        phrase = sentence_subject(s, tokens)
        if not phrase:
            return None
        cue_start = start + s[start:end].find(phrase) + len(phrase)
        cue = s[cue_start : end - 1].strip(" ,")
        if "," in cue:
            cue = cue.rsplit(",", 1)[-1].strip()
        return _Attribution(self._resolve(phrase), cue, "colon-introduction")

    def _share_chain_speaker(self, head: Found) -> None:
        members = [head]
        node = head
        while node.chain:
            node = node.chain[0]
            members.append(node)
        source = next(
            (m for m in members if m.speaker is not None and m.rule != "continues-previous-speaker"), None
        )
        source = source or next((m for m in members if m.speaker is not None), None)
        if source is None:
            return
        for member in members:
            if member is not source and (
                (member.speaker is None and member.rule != "unresolved-speaker")
                or member.rule == "continues-previous-speaker"
            ):
                self._take_speaker(member, source, "ap-continuation", 0.85)

    # -- helpers ---------------------------------------------------------------------------------------

    def _tokens(self, s: str, start: int, end: int, *, to_quote: bool = False) -> list[Tok]:
        """``tokenize(s, start, end)``, from one tokenization of each paragraph (masked or not). With
        ``to_quote`` the tokens after the first quotation mark may be left out (they are, in a paragraph
        too long to be tokenized whole, where each window is tokenized on its own)."""
        if len(s) > _INDEX_LIMIT:
            return tokenize(s, start, end, to_quote=to_quote)
        index = self._indexes.get(s)
        if index is None:
            if len(self._indexes) >= 8:
                self._indexes.clear()
            index = self._indexes[s] = _TokenIndex(s)
        return index.between(start, end)

    def _resolve(self, phrase: str) -> Resolution:
        if phrase.lstrip()[:5].casefold() == "even " and len(phrase.split()) > 2:
            phrase = phrase.lstrip()[5:]  # "even a top strategist said": the strategist
        lowered = phrase.strip().casefold()
        if lowered in _COUNTS:
            return Resolution(None, phrase.strip(), 0.0)  # "Hundreds" of someone: no one by itself
        if lowered in ("he", "she"):
            return self._resolve_pronoun(phrase.strip(), lowered)
        if lowered in ("i", "we"):
            return self._resolve_first_person(phrase.strip(), lowered)
        if "-" in phrase or "(" in phrase:
            # "Sen. Omar Park (D-Ill.), noting ...": the tag is no part of the name or its appositive.
            phrase = _PARTY_TAG.sub("", phrase)
        words = lowered.split()
        if words and words[-1] in _CAMPAIGN_WORDS:
            campaign = self._resolve_campaign(phrase.strip())
            if campaign is not None:
                return campaign
        if len(words) > 1 and words[-1] in _DOCUMENTS:
            owner = self._resolve_document_owner(phrase.strip())
            if owner is not None:
                return owner
        if len(words) > 3 and words[0] in _ARTICLES and words[1] in _GATHERINGS and words[2] == "of":
            # "A group of 67 artists, writers and actors": a group of this article, never a person named
            # in the words after "of".
            return self.speakers.describe("group", phrase[0].lower() + phrase[1:], phrase)
        if len(words) > 2 and words[0] in QUANTITIES and words[1] == "of":
            # "Dozens of nurses": an unnamed group of this article, whatever the words after "of".
            return self.speakers.describe(words[-1].strip(".,"), phrase[0].lower() + phrase[1:], phrase)
        if is_description(phrase):
            return self._resolve_description(phrase.strip(), words)
        if "'" in phrase or "\u2019" in phrase:
            owned = self._resolve_owned_role(phrase.strip())
            if owned is not None:
                return owned
        return self.speakers.resolve(person_of_org(phrase))

    def _resolve_owned_role(self, written: str) -> Resolution | None:
        """ "Voss's spokeswoman", "Ada Voss's campaign manager", "Cole's lawyers": someone who works for
        the person named, not that person. The one the article named with that role and that owner
        ("Voss spokeswoman Rita Crane"), else a speaker of this article kept as described; None when the
        noun is no person's role ("Voss's campaign", "Voss's office": an organization the person runs)."""
        owned = _OWNED_ROLE.fullmatch(written)
        if owned is None:
            return None
        head = owned.group(3).casefold()
        if not is_person_role(head) or self.speakers.known_as(written) is not None:
            return None  # ("China's president" may be a known alias of a person)
        single = head if head in PERSON_ROLES else head[:-1]
        owner = _POSSESSIVE.sub("", owned.group(1)).split()[-1]
        mention = self._mentions().by_role(single, self._cursor, [owner])
        if mention is not None and single == head:
            resolution = self.speakers.resolve(mention.name)
            if resolution.key is not None:
                return Resolution(resolution.key, written, 0.75)
        return self.speakers.describe(head, written, written)

    def _resolve_campaign(self, written: str) -> Resolution | None:
        """ "the Voss campaign", "Ada Voss's campaign", "her campaign": the organization that runs the
        campaign of the person named (or meant by "his"/"her"), one record per person ("Ada Voss
        campaign"); None when the owner is no person."""
        owner = written.split()[:-1]
        while owner and owner[0].casefold() in _ARTICLES:
            owner = owner[1:]
        if len(owner) == 1 and owner[0].casefold() in ("his", "her"):
            person = self._resolve_pronoun(owner[0], "he" if owner[0].casefold() == "his" else "she")
        elif owner and all(w[:1].isupper() for w in owner):
            owner[-1] = _POSSESSIVE.sub("", owner[-1])
            person = self.speakers.resolve(" ".join(owner))
        else:
            return None
        if person.key is None or self.speakers.entity(person.key).kind != "person":
            return None
        # ("her office": the staff who speak for that person, as her campaign does.)
        kind = "office" if written.split()[-1].casefold() == "office" else "campaign"
        return self.speakers.organization(f"{self.speakers.entity(person.key).name} {kind}", written)

    def _resolve_document_owner(self, written: str) -> Resolution | None:
        """ "a Voss campaign ad", "the Harbor Institute report", "a fresh NBC poll", "his statement": a
        document speaks for whoever it names as its author; None when it names no one ("the report")."""
        words = written.split()[:-1]
        while words and (words[0].casefold() in _ARTICLES or words[0].casefold() in _DOCUMENT_MODIFIERS):
            words = words[1:]
        if not words:
            return None
        if len(words) == 1 and _POSSESSIVE.search(words[0]) and words[0].islower():
            # "the campaign's statement", "the company's report": the one the article means by that.
            resolution = self._resolve(f"the {_POSSESSIVE.sub('', words[0])}")
        elif words[-1].casefold() in _CAMPAIGN_WORDS:
            resolution = self._resolve_campaign(" ".join(words))
        elif len(words) == 1 and words[0].casefold() in ("his", "her"):
            resolution = self._resolve_pronoun(words[0], "he" if words[0].casefold() == "his" else "she")
        else:
            # The capitalized run naming the author, past a date or a number ("a 2014 House report").
            while words and (words[0][:1].isdigit() or words[0].casefold() in DATE_AND_NUMBER_WORDS):
                words = words[1:]
            if not words or not all(w[:1].isupper() or w in ("of", "for", "the", "and") for w in words):
                return None
            words[-1] = _POSSESSIVE.sub("", words[-1])
            resolution = self.speakers.resolve(" ".join(words))
        if resolution is None or resolution.key is None:
            return None
        return Resolution(resolution.key, written, 0.7)

    def _resolve_description(self, written: str, words: list[str]) -> Resolution:
        """ "the senator" is the senator named before; "the spokesperson at the door", "a voice in the
        video" or "the 52-year-old retired welder" are speakers of this article, kept as described."""
        phrase = written[0].lower() + written[1:]
        cut = next(
            (n for n, w in enumerate(words) if n and (w in _MODIFIER_OPENERS or w in _RELATIVES)), len(words)
        )
        head_words = words[:cut]
        if len(head_words) > 2 and head_words[-1] in _POSTMODIFIERS:
            head_words = head_words[:-1]  # "one Democrat familiar with the talks": a Democrat
        while len(head_words) > 2 and head_words[-1].endswith("ed") and head_words[-1] not in ROLE_NOUNS:
            # "The judge pointed", "a textbook just published": a verb read with its subject is no head.
            head_words = head_words[:-1]
            while len(head_words) > 2 and (head_words[-1] in _AUX_ADV or head_words[-1] in _JUST):
                head_words = head_words[:-1]
        while len(head_words) > 2 and head_words[-1] in _TRAILING_ADVERBS:
            head_words = head_words[:-1]  # "the only contender here": the contender
        head = head_words[-1].strip(",").removesuffix("\u2019s").removesuffix("'s")
        if is_no_noun(head):
            # "The plan was", "a weekly column and": a verb, an adverb or a conjunction is no head noun,
            # and words without one describe nobody.
            return Resolution(None, written, 0.0)
        if head.endswith("ing") and len(head) > 5 and head not in ROLE_NOUNS and head not in ANON_HEADS:
            # "The film shows Bob wanting": a participle read with a verb before it is no head noun.
            return Resolution(None, written, 0.0)
        if words[0] == "the" and is_role_word(head):
            people = self._mentions()
            mention = people.by_role(head, self._cursor, written.split()[1 : len(head_words) - 1])
            joined = head_words.index("and") if "and" in head_words[2:-1] else 0
            if mention is None and joined and is_role_word(head_words[joined - 1]):
                # "the Florida senator and Republican presidential candidate": the senator named before.
                mention = people.by_role(
                    head_words[joined - 1], self._cursor, written.split()[1 : joined - 1]
                )
            latest = people.latest_subject(self._cursor)
            if (
                mention is not None
                and latest is not None
                and latest.name != mention.name
                and "\n" in self.text[mention.at : latest.at]
                and "\n" not in self.text[latest.at : self._cursor]
                and (
                    _SENTENCE_BREAK.search(self.text, latest.at, self._cursor) is not None
                    or (
                        # "Cruz defends his record on TV: “...,” the senator says"
                        self.text[latest.at : self._cursor].rstrip().endswith(":")
                        and written.casefold() not in self.text[latest.at : self._cursor].casefold()
                    )
                )
                and not people.offices_of(latest.name)
            ):
                # "Rubio sought ... . Walking in, the senator said", a senator named paragraphs before:
                # the person this paragraph is about, whom the article gave no title, is the one meant
                # (but in "Rubio has a plan, the columnist wrote" the columnist is someone else).
                mention = latest
            if mention is not None:
                resolution = self.speakers.resolve(mention.name)
                if resolution.key is not None:
                    return Resolution(resolution.key, written, 0.75)
        # "the New York developer, who campaigned ...": the head phrase, without its relative clause.
        # ("A city employee who" before "asked" stays as written: the verb is the relative clause's.)
        relative = next((n for n, w in enumerate(words[:-1]) if n and w in _RELATIVES), len(words))
        resolution = self.speakers.resolve(" ".join(phrase.split()[:relative]).rstrip(","))
        if (
            resolution.key is not None
            and cut < relative
            and (head in ANON_HEADS or head in ROLE_NOUNS)
            and self.speakers.entity(resolution.key).kind in ("person", "organization")
            and self.speakers.entity(resolution.key).name.split()[-1].casefold()
            in " ".join(words[cut:relative]).split(",")[0]
        ):
            # "one operative inside the Lund campaign", "an aide to Ann Cole": the person or organization
            # the modifier names is where the described person works, not who speaks (a name in commas
            # after it is: "her chief of staff, Rosa Diaz").
            resolution = Resolution(None, written, 0.0)
        if resolution.key is not None:
            return resolution
        if words[0] == "the" and head in ANAPHORIC_ROLES and not _OTHER.intersection(head_words):
            # "the GOP front-runner" with no one named so: the person the story is about, named just before.
            modifiers = written.split()[1 : len(head_words) - 1]
            mention = self._mentions().latest_fitting(head, self._cursor, modifiers)
            fitting = self.speakers.resolve(mention.name) if mention is not None else None
            if fitting is not None and fitting.key is not None:
                return Resolution(fitting.key, written, 0.7)
        # ("the 46-year-old": an age is a description of a person too.)
        if (
            not (head.replace("-", "").isalpha() or _AGE.fullmatch(head))
            or head in _NOT_DESCRIBED
            or len(head_words) < 2
        ):
            return resolution
        described = self.speakers.describe(head, phrase, written)
        return Resolution(described.key, written, _DESCRIBED) if described.key is not None else described

    def _just_quoted(self, written: str) -> Resolution:
        """The speaker of the latest attributed quote of the paragraph being read, or no one."""
        for at, key in reversed(self._noted):
            if at < self._cursor and "\n" not in self.text[at : self._cursor]:
                return Resolution(key, written, 0.8)
            break
        return Resolution(None, written, 0.0)

    def _resolve_first_person(self, written: str, pronoun: str) -> Resolution:
        """ "I said" outside any quote is the writer: the byline's person; without a byline, nobody
        known ("we" may still be the organization or group speaking)."""
        author = self._author()
        if author:
            resolution = self.speakers.resolve(author)
            if resolution.key is not None:
                return Resolution(resolution.key, written, 0.8)
        if pronoun == "we":
            return self.speakers.resolve(written)
        return Resolution(None, written, 0.0)

    def _author(self) -> str:
        """The first person named in the byline ("By Dana Morales and Lee Park, Associated Press")."""
        byline = next((p for p in self.paragraphs if p.role == "byline"), None)
        if byline is None:
            return ""
        text = _BY.sub("", self.text[byline.start : byline.end]).strip()
        return re.split(r",|\s(?:and|&)\s|\s[|\u2014\u2013-]\s", text, maxsplit=1)[0].strip()

    def _mentions(self) -> PersonMentions:
        """The people named so far, read from the paragraphs masked so far (only when asked for)."""
        if self._people is None:
            self._people = PersonMentions()
        for start, masked in self._unread:
            self._people.add(start, masked)
        self._unread.clear()
        return self._people

    def _resolve_pronoun(self, written: str, pronoun: str) -> Resolution:
        """ "he"/"she": the latest person named as a subject whose gender agrees (see ``pronouns``), or
        an unnamed speaker quoted since then ("a spokeswoman said ... she added")."""
        candidates = self._mentions().antecedents(pronoun, self._pronoun_at(pronoun))
        mention = candidates[0] if candidates else None
        unnamed = next(
            (
                (at, key)
                for at, key in reversed(self._noted)
                if at < self._cursor and self.speakers.entity(key).kind == "anonymous"
            ),
            None,
        )
        if (
            unnamed is not None
            and (mention is None or unnamed[0] > mention.at)
            and _agrees(self.speakers.entity(unnamed[1]).name, pronoun)
            # An unnamed person ("the spokeswoman", "the woman"), not a role that stands for someone
            # named ("the senator" left unlinked) nor a description of no person ("the crowd").
            and self.speakers.entity(unnamed[1]).name.rsplit(" ", 1)[-1] in ANON_HEADS
        ):
            return Resolution(unnamed[1], written, 0.8)
        for candidate in candidates:
            resolution = self.speakers.resolve(candidate.name)
            if resolution.key is not None and self.speakers.entity(resolution.key).kind == "person":
                return Resolution(resolution.key, written, 0.85)
        return Resolution(None, written, 0.0)

    def _pronoun_at(self, pronoun: str) -> int:
        """Where the first "he" or "she" of the sentence being attributed stands: a person named as a
        subject earlier in that sentence is a candidate ("Director Ann Cole decided not to act, though she
        found ..."), and one named after it is not, as the sentence's pronouns are most often one person
        ("He said that Ann Cole would lose, which he called “a shame”"). Where the clause starts when the
        pronoun is not in the sentence."""
        start, masked = self._masked
        at = self._cursor - start
        if not 0 <= at < len(masked):
            return self._cursor
        opened = _last_sentence_end(masked, at)
        end = _SENTENCE_END.search(masked, at)
        found = _PRONOUN_WORDS[pronoun].search(masked, opened, end.start() if end else len(masked))
        return start + found.start() if found is not None else self._cursor

    def _note_document(self, s: str, tail: list[Tok], resolution: Resolution) -> None:
        """ "X said in a report": later "the report said" means X."""
        for n, tok in enumerate(tail[:6]):
            if tok.low in DOC_HEADS and n > 0:
                self.speakers.note_document(tok.low, resolution.key)
                return

    def _note_document_author(self, s: str, tokens: list[Tok], v: int) -> None:
        """ "An audit by the Millbrook Office of the City Auditor": the audit speaks for that office."""
        n = v + 2
        if tokens[n].low == "the":
            n += 1
        end = n
        while end < len(tokens) and (
            _is_cap(tokens[end]) or (tokens[end].low in ("of", "the", "for") and end > n)
        ):
            end += 1
        while end > n and not _is_cap(tokens[end - 1]):
            end -= 1
        if end > n:
            resolution = self._resolve(s[tokens[n].start : tokens[end - 1].end])
            self.speakers.note_document(tokens[v].low, resolution.key)

    def _set(self, found: Found, attr: _Attribution, rule: str, confidence: float) -> None:
        found.speaker = attr.resolution.key
        found.mention = attr.resolution.mention
        found.cue = attr.cue
        found.via = attr.via.key if attr.via is not None else None
        found.rule = rule
        found.confidence = round(min(confidence, attr.resolution.confidence or confidence), 2)
        self.speakers.note(found.speaker)
        if found.speaker is not None:
            self._noted.append((found.start, found.speaker))

    def _take_speaker(self, found: Found, source: Found, rule: str, confidence: float) -> None:
        found.speaker, found.mention, found.cue, found.via = (
            source.speaker,
            source.mention,
            source.cue,
            source.via,
        )
        found.rule = rule
        found.confidence = round(min(confidence, source.confidence or confidence), 2)


_DOUBLE_MARKS = '"\u201c\u201d\u201e\u00ab\u00bb'
_PRONOUN_WORDS = {"he": re.compile(r"\b[Hh]e\b"), "she": re.compile(r"\b[Ss]he\b")}
# The end of a sentence: a stop, a question or an exclamation mark before a space or the end.
_SENTENCE_END = re.compile(r"[.?!](?:\s|$)")


def _last_sentence_end(text: str, at: int) -> int:
    """Where the last match of ``_SENTENCE_END`` in ``text[:at]`` ends (0 when none): found back from
    ``at`` (its matches never overlap, so the last is the one of the last mark followed by a blank or by
    ``at``), not by reading the paragraph from its start for each quote of it."""
    opened = 0
    for mark in ".?!":
        n = text.rfind(mark, opened, at)
        while n >= 0:
            if n + 1 == at:
                opened = at
                break
            if text[n + 1].isspace():
                opened = max(opened, n + 2)
                break
            n = text.rfind(mark, opened, n)
    return opened


# Nouns for what someone said, whose content a quotation may give ("Cole's claim that ...").
_SPEECH_NOUNS = wordset(
    """
    comment comments remark remarks assertion assertions claim claims contention accusation accusations
    allegation allegations pledge promise promises vow call calls warning warnings answer admission argument
    statement statements dictum slogan broadside insistence suggestion description complaint quip retort
    reply response denial boast declaration prediction conclusion plea demand threat insult tweet
    catchphrase mantra refrain rallying
    """
)
# Those that are also a verb's present: only right after the possessive ("Cole's claims that").
_VERB_LIKE = wordset("calls claims comments remarks promises demands tweets vows boasts insults quips")
# Modifiers that leave such a word a noun ("his past comments", "Cole's repeated claims").
_SAID_WHEN = wordset("past recent earlier latest repeated frequent many public private later previous")
# Words that may join such a noun to what it says ("claim that", "call for", "pledge to", "broadside against").
_SPEECH_LINKS = wordset("that of for to against about on during in")


def _introduces_next(masked: str, pair: Pair, end: int) -> bool:
    """Whether the words after the quotation of ``pair`` end on a comma or a colon right before the
    next quotation of the sentence (which they introduce)."""
    after = masked[pair.close + 1 : min(end, pair.close + 160)]
    opening = min((at for at in (after.find(m) for m in _DOUBLE_MARKS) if at >= 0), default=-1)
    return opening > 0 and after[:opening].rstrip().endswith((",", ":"))


def _participle_opener_subject(s: str, tokens: list[Tok], at: int) -> str:
    """The subject of the main clause when the sentence opens with a participle of a cue whose phrase
    holds the quotation at ``tokens[at]`` ("Acknowledging that Voss “...,” though, Allen did ..."); ""
    otherwise."""
    if (
        not tokens
        or at < 2
        or not tokens[0].low.endswith("ing")
        or tokens[0].low not in CUE_PAST | PARTIAL_VERBS
    ):
        return ""
    if any(t.text in ",;:" for t in tokens[1:at]):
        return ""
    comma = next((n for n in range(at + 1, min(len(tokens), at + 30)) if tokens[n].text == ","), None)
    if comma is None:
        return ""
    rest = tokens[comma + 1 :]
    while rest and (
        rest[0].low in _CONNECTIVES or rest[0].low in ("though", "however") or rest[0].kind != "w"
    ):
        rest = rest[1:]
    if not rest or not (_is_cap(rest[0]) or rest[0].low in ("he", "she")):
        return ""
    return sentence_subject(s, rest)


def _after_modal(tokens: list[Tok], v: int) -> bool:
    """ "could only quip", "would later say": the bare form of a cue after a modal (adverbs between)."""
    return _modal_before(tokens, v) >= 0


def _modal_before(tokens: list[Tok], v: int) -> int:
    """The index of the modal before the bare cue at ``tokens[v]``, or -1."""
    if tokens[v].low not in PRESENT_BASES or not tokens[v].text.islower():
        return -1
    m = v - 1
    while m >= 0 and m > v - 4:
        if tokens[m].low in _MODALS:
            return m
        if not (tokens[m].low.endswith("ly") or tokens[m].low in _AUX_ADV):
            return -1
        m -= 1
    return -1


def _noun_after_article(tokens: list[Tok], v: int) -> bool:
    """Whether ``tokens[v]`` follows an article or an owner, right after it or after one modifier that
    is no plural subject ("a call", "a wake-up call", not "the towns call")."""
    leads = _DETERMINERS_BEFORE_NAMES | _OWNERS
    if v and tokens[v - 1].low in leads:
        return True
    return v > 1 and tokens[v - 2].low in leads and not tokens[v - 1].low.endswith("s")


_COUNTED = wordset("two three four five both")


def _plural_present_after_quote(s: str, tokens: list[Tok], v: int) -> bool:
    """ "“...,” the two write", "“...,” the Saudis state": the bare form of a cue right after "the" and a
    plural of people or a count, straight after the quote."""
    if v != 2 or tokens[0].low != "the":
        return False
    if tokens[1].low in _COUNTED:
        return tokens[v].low in PRESENT_BASES and tokens[v].text.islower()
    return _present_after_plural(s, tokens, v)


def _present_after_plural(s: str, tokens: list[Tok], v: int) -> bool:
    """ "Corporate lobbyists describe it as “...”", "Legal observers note ...": the bare form of a cue
    right after a plural noun (no owner's) is that subject's present tense."""
    tok = tokens[v]
    if v == 0 or tok.low not in PRESENT_BASES or not tok.text.islower():
        return False
    n = v - 1
    # ("Critics still insist ...", "The two aldermen, however, argue ...": an adverb between them.)
    if n > 2 and tokens[n].text == "," == tokens[n - 2].text and _between(tokens[n - 1]):
        n -= 3
    while n > 0 and _between(tokens[n]):
        n -= 1
    subject = tokens[n]
    # People, not things ("The plans call for “...”"): a plural that names people ("lobbyists",
    # "observers", "attendees").
    return (
        subject.kind == "w"
        and subject.low.endswith("s")
        and not _possessive(s, subject)
        and names_people_plural(subject.text)
    )


_BETWEEN_ADVERBS = wordset("also still now however meanwhile too often again likewise instead")


def _between(tok: Tok) -> bool:
    """An adverb that may stand between a subject and its verb."""
    return tok.low in _BETWEEN_ADVERBS or (
        tok.kind == "w" and len(tok.low) > 5 and tok.low.endswith("ly") and tok.text.islower()
    )


def _not_a_cue(s: str, tokens: list[Tok], v: int) -> bool:
    """Whether the cue word at ``tokens[v]`` is something else here: a name before a verb ("“...,” Read
    said"), or "read" as an editor's gloss ("(read: ...)") or after a relative pronoun ("a message that
    read: “...”", whose author speaks)."""
    tok = tokens[v]
    if v == 0 and tok.text[0].isupper() and len(tokens) > 1:
        following = tokens[1]
        return following.low in CUE_FINITE and following.text.islower()
    if tok.low != "read":
        return False
    return (v + 1 < len(tokens) and tokens[v + 1].text == ":" and s[tok.start - 1 : tok.start] == "(") or (
        v > 0 and tokens[v - 1].low in ("that", "which")
    )


def _dash_before(s: str, tokens: list[Tok], n: int) -> bool:
    """Whether a dash stands right before ``tokens[n]`` (after the token before it)."""
    gap = s[tokens[n - 1].end : tokens[n].start] if n else ""
    return any(d in gap for d in _SIGNATURE_DASHES)


def _in_words_of(s: str, tokens: list[Tok]) -> str:
    """The owner of "in Lena Park's words" ending ``tokens`` ("he" for "in his words"), or ""."""
    if len(tokens) < 3 or tokens[-1].low != "words" or not _possessive(s, tokens[-2]):
        return ""
    lead = next(
        (n for n in range(len(tokens) - 3, max(-1, len(tokens) - 8), -1) if tokens[n].low == "in"), -1
    )
    if lead < 0 or any(t.kind != "w" for t in tokens[lead + 1 : -1]):
        return ""
    if lead + 2 == len(tokens) - 1 and tokens[-2].low in ("his", "her"):
        return "he" if tokens[-2].low == "his" else "she"
    if tokens[-2].low in _OWNERS or tokens[-2].low == "their":
        return ""
    return _POSSESSIVE.sub("", s[tokens[lead + 1].start : tokens[-2].end])


def _put_it_aside(s: str, tokens: list[Tok]) -> tuple[str, str] | None:
    """The speaker and cue of an aside "as Dana Moss put it" or "in Dana Moss's words" anywhere in the
    sentence ``tokens``, or None."""
    for n, tok in enumerate(tokens):
        if tok.low == "as":
            for k in range(n + 2, min(len(tokens) - 1, n + 10)):
                if tokens[k].kind != "w":
                    break
                if tokens[k].low in ("put", "puts") and tokens[k + 1].low == "it":
                    phrase = (
                        subject_before(s, tokens[n + 1 : k]) or s[tokens[n + 1].start : tokens[k - 1].end]
                    )
                    return phrase, s[tokens[k].start : tokens[k + 1].end]
        elif tok.low == "words" and n > 1:
            owner = _in_words_of(s, tokens[: n + 1])
            if owner:
                return owner, "in words of"
    return None


# Quotations joined after a quote ("... and “□□□,”", ", “□□□” or “□□□,”"), their words masked.
_JOIN = r"(?:,?\s+(?:and|or)\s+|,\s+)"
_MASKED_QUOTE = rf"[\"\u201c]{MASK}+[.,]?[\"\u201d]"
_JOINED_QUOTES = re.compile(rf"(?:{_JOIN}{_MASKED_QUOTE})+")


_OPENING = wordset("started starts began begins")


def _opens_with_it(tokens: list[Tok], v: int) -> bool:
    """ "“...,” Hale started.": a verb of starting right after a name that follows a quote, and nothing
    after the verb but the end of the clause, says the quote opened what the name said."""
    return (
        tokens[v].low in _OPENING
        and 0 < v <= 4
        and all(_is_cap(t) for t in tokens[:v])
        and (v + 1 == len(tokens) or tokens[v + 1].text in ".,;")
    )


def _as_aside(s: str, tokens: list[Tok]) -> tuple[str, str] | None:
    """The speaker and cue of an aside "as Dana Moss observed," or "as Dana Moss put it," opening the
    sentence ``tokens`` (after "Of course," or "But"), or None."""
    n = next((k for k, tok in enumerate(tokens[:6]) if tok.low == "as"), -1)
    if n < 0 or any(tok.kind == "q" or tok.low in CUE_VERBS for tok in tokens[:n]):
        return None
    for k in range(n + 2, min(len(tokens) - 2, n + 10)):
        if tokens[k].kind != "w":
            return None
        put = tokens[k].low in ("put", "puts") and tokens[k + 1].low == "it"
        if (put or tokens[k].low in CUE_FINITE) and tokens[k + 1 + put].text == ",":
            phrase = subject_before(s, tokens[n + 1 : k])
            return (phrase, s[tokens[k].start : tokens[k + put].end]) if phrase else None
    return None


def _possessive(s: str, tok: Tok) -> bool:
    """ "Cole's", "Sanders'", "his", "her": a possessive (the tokens leave a bare final apostrophe out)."""
    if tok.kind != "w":
        return False
    if tok.low in ("his", "her", "their", "its", "my", "our", "your"):
        return True
    return bool(_POSSESSIVE_END.search(tok.text)) or (
        tok.low.endswith("s") and s[tok.end : tok.end + 1] in ("'", "\u2019")
    )


_POSSESSIVE_END = re.compile("['\u2019]s$")
# Dashes that open a signature line under a quote; a hyphen too, as plain text writes one.
_SIGNATURE_DASHES = "-" + _DASHES
_BE = wordset("is was are were be been being")
_CLAUSE_TURNS = wordset("but while whereas although though yet")
# How many tokens back from a quote its clause is read for a subject, and how many quotation tokens after
# it are passed over for an agent ("as described by ..."): far beyond any sentence of real text.
_CLAUSE_REACH = 400
# Verbs of perception and their auxiliaries before a participle of speech ("can be heard asking").
_PERCEIVED = wordset("heard seen caught")
_PERCEPTION_AUX = wordset("can could is was are were be been being also later then clearly")
# Number words that stand for a crowd only with what they count ("Hundreds of protesters").
_COUNTS = wordset("dozens hundreds thousands millions scores")
# Cue verbs whose object, not their subject, comes first after them ("Asked Lee about it, she said").
_OBJECT_FIRST = wordset("asked asks told tells")
# Subordinators that open a clause without a subject after a quote ("“...,” when asked").
_CLAUSE_OPENERS = wordset("when while although though because if once unless until after before whenever")
# Words that join a second verb to the subject of the first ("... and then said").
_JOINING = wordset("and but or then also later")
# Finite verbs that do not end as past tenses or third persons do.
_FINITE = wordset("has had is was are were will would can could did does do may might should must")
_MODALS = wordset("will would can could may might should must did does do")
_RELATIVES = wordset("who whom whose which that")
_NEGATED = ("n't", "n\u2019t")
# Bare verbs after a modal that describe the subject rather than have it act ("would remain "neutral"").
_STATE_VERBS = wordset("have get seem appear become remain stay")
_STAGE_DIRECTION = re.compile(r"[(\[][A-Z][A-Z ,'\-]+[)\]]")
_FOLLOW = re.compile(r"Follow\b[^\n]{0,120}@\w", re.IGNORECASE)
_BY = re.compile(r"^(?:by|written by|words by)\s+", re.IGNORECASE)
_OTHER = wordset("other another else")
# Adverbs between a description and a verb read with it ("a textbook just published").
_JUST = wordset("just only also recently")
# Adverbs of place and time that may follow a description's head noun ("the only contender here").
_TRAILING_ADVERBS = wordset("here there now today tonight yesterday then again too")
_AGE = re.compile(r"\d{1,3}-year-old")
# A capitalized owner with its possessive, then lowercase words ending in a noun ("Ada Voss's campaign
# manager", "Cole's lawyers").
_OWNED_ROLE = re.compile(
    r"((?:[A-Z][\w.\-]*\s+){0,3}[A-Z][\w.\-]*['\u2019]s?)\s+((?:[a-z][\w\-]*\s+){0,3})([a-z][\w\-]*)"
)


# The end of a sentence and the start of the next.
_SENTENCE_BREAK = re.compile(r"[.?!][\"\u201d\u2019)]?\s+[\"\u201c]?[A-Z]")


# Words that open a modifier after a description's head noun ("one operative inside the campaign").
_MODIFIER_OPENERS = _PREPOSITIONS | wordset("inside outside")
_POSTMODIFIERS = wordset("familiar involved close knowledgeable briefed aware")
# Heads that make a phrase something other than a speaker ("the statement", "a lot of people").
_NOT_DESCRIBED = wordset(
    """
    lot number way time day year week thing fact idea way point question issue case reason part kind sort
    one other others rest same most first last end more
    """
)
# Words that open a sentence without naming who speaks ("In a statement: ...", "Here is the text: ...").
_NOT_INTRODUCERS = wordset("in on at as for with from by to of here there this that it these those what")


def _reads_as_subject(phrase: str) -> bool:
    """Whether a phrase a cue was read with can name who speaks: a capitalized run that is not a
    preposition's ("Hale's office", "A state official"), or a determiner, a quantity or a pronoun
    before its noun ("the inspectors", "some residents", "she"); not a stretch of the sentence such as
    "in the past" or "easier" that a cue read in passing ("easier said than done")."""
    words = phrase.split()
    if not words:
        return False
    first = words[0].casefold()
    if words[0][:1].isupper():
        return first not in _NOT_INTRODUCERS or first in ("this", "these", "those")
    return first in _SUBJECT_OPENERS


# Lowercase words that open a phrase naming who speaks.
_SUBJECT_OPENERS = wordset(
    """
    the a an one some many most several few all both each every his her their its our my
    he she they we i it two three four five six seven eight nine ten dozens hundreds thousands
    """
)


def _used_as_a_name(before: str) -> bool:
    """Whether a title-case quotation after ``before`` may be someone's words or name for a thing
    ("called him “Little Marco”", "repeated “Law and Order”"), not the title of a show or work after
    an owner or a preposition ("CNN's “State of the Union”", "on “Meet the Press”", "his “Mexican”
    lunch"); after an article only when a verb of naming precedes it ("a group called the “...”")."""
    words = before[-60:].casefold().split()
    if not words:
        return False
    last = words[-1].strip(",:")
    if last in _DETERMINERS_BEFORE_NAMES:
        return len(words) > 1 and words[-2] in _CALLING
    return not (last.endswith(("'s", "\u2019s", "'", "\u2019")) or last in _PREPOSITIONS or last in _OWNERS)


_DETERMINERS_BEFORE_NAMES = wordset("the a an")
_OWNERS = wordset("his her their its our my your")


# What may open a sentence before a quotation that goes on from the one attributed before it.
_GOING_ON = frozenset({"", "but", "and", "yet", "so"})


def _agrees(name: str, pronoun: str) -> bool:
    """Whether an unnamed speaker ("the spokeswoman") can be "he" or "she"."""
    words = set(name.casefold().split())
    if pronoun == "he":
        return not words & {"spokeswoman", "woman", "mother", "wife", "daughter", "chairwoman"}
    return not words & {"spokesman", "man", "father", "husband", "son", "chairman"}


def _named_before_who(s: str, tokens: list[Tok], v: int) -> str:
    """ "... the backing of Omar Park, who declared ...": the name a relative clause opened by "who" is
    about, when the cue at ``v`` is that clause's verb; "" otherwise."""
    w = v - 1
    while w > 0 and (tokens[w].low in _AUX_ADV or tokens[w].low.endswith("ly")):
        w -= 1
    return _name_before_relative(s, tokens, w)


_PASSIVE_AUXILIARIES = wordset("was were is are been")
# A pronoun with its "is", "are" or "am" written on ("he’s", "they're"), whose "’s" is no possessive.
_CONTRACTED_BE = {
    f"{p}{a}{b}": p
    for p, b in (("he", "s"), ("she", "s"), ("they", "re"), ("we", "re"), ("i", "m"))
    for a in "'\u2019"
}


def _contracted_subject(tokens: list[Tok], v: int) -> str:
    """The pronoun of "he’s", "they’re" or "I’m" right before the verb at ``v`` (an adverb between),
    the subject of "He’s predicting ..."; "" when there is none."""
    w = v - 1
    if w > 0 and tokens[w].low in _AUX_ADV:
        w -= 1
    pronoun = _CONTRACTED_BE.get(tokens[w].low) if w >= 0 else None
    return tokens[w].text[: len(pronoun)] if pronoun else ""


# Verbs whose passive makes the subject the one spoken to ("Hale was asked, “...”").
_PUT_TO = wordset("asked questioned pressed told")


def _passive_agent(s: str, tokens: list[Tok], at: int) -> tuple[str, str] | None:
    """The agent and the verb of a passive verb of speech or naming around the quote that starts at
    ``tokens[at]``: "by" with its agent right after the verb (`seen by volunteers as a “...”`, `was
    asked by Ann Cole whether ... “...”`) or right after the quote, the verb a few words before it
    (`labeled a “witch hunt” by Democrats`); None when there is no such agent."""
    after = at
    # (A run of quotation marks and quotes is passed over up to _CLAUSE_REACH tokens: the agent of a
    # verb before a quote is never further.)
    while after < len(tokens) and tokens[after].kind == "q" and after - at < _CLAUSE_REACH:
        after += 1
    if (
        after + 2 < len(tokens)
        and tokens[after].low == "as"
        and tokens[after + 1].low in _PASSIVE_VERBS
        and tokens[after + 2].low == "by"
    ):
        # `“extreme carelessness” - as described by Ann Cole -`
        agent = _agent(s, tokens, after + 3)
        return (agent, s[tokens[after + 1].start : tokens[after + 2].end]) if agent else None
    for n in range(after + 1, min(len(tokens) - 2, after + 16)):
        if tokens[n].kind == "q" or tokens[n].text in ".;:":
            break
        if (
            tokens[n].low == "as"
            and tokens[n + 1].low in _PASSIVE_VERBS
            and tokens[n + 2].low == "by"
            and (
                tokens[n - 1].text == ","
                or any(d in s[tokens[n - 1].end : tokens[n].start] for d in "-" + _DASHES)
            )
        ):
            # `being “rather sloppy” with the storage of files - as described by Ann Cole`: an
            # aside later in the clause names whose words they are.
            agent = _agent(s, tokens, n + 3)
            return (agent, s[tokens[n + 1].start : tokens[n + 2].end]) if agent else None
    # `labeled “a swindle” and “a trap” by Dana Moss`: the quotes joined to this one share its verb and agent.
    first, last = _joined_quotes(tokens, at, after)
    verb = after
    while verb < len(tokens) and verb - after < 2 and tokens[verb].low in _PASSIVE_AUXILIARIES:
        verb += 1
    if after < verb < len(tokens) - 2 and tokens[verb].low in _PASSIVE_VERBS and tokens[verb + 1].low == "by":
        # `The so called “Harbor Plan” was called by the council ...`: the agent of the passive verb
        # after the quote.
        agent = _agent(s, tokens, verb + 2)
        return (agent, s[tokens[verb].start : tokens[verb + 1].end]) if agent else None
    for v in range(first - 1, max(-1, first - 16), -1):
        tok = tokens[v]
        if tok.kind == "q":
            break
        if tok.low not in _PASSIVE_VERBS:
            continue
        if v + 1 < first and tokens[v + 1].low == "by":
            by = v + 1
            if any(t.low in CUE_VERBS for t in tokens[by + 1 : first]):
                return None  # `Lee - mentioned by the paper as a pick - told ...`: the later verb speaks
        elif first - v <= 4 and last < len(tokens) and tokens[last].low == "by":
            by = last
        else:
            continue
        agent = _agent(s, tokens, by + 1)
        return (agent, f"{tok.text} by") if agent else None
    return None


_JOINING = wordset("and or")


def _joined_quotes(tokens: list[Tok], at: int, after: int) -> tuple[int, int]:
    """The first token of the run of quotes joined by commas, "and" or "or" that the quote from
    ``tokens[at]`` to ``tokens[after]`` is part of, and the token after that run."""

    def quote_at(n: int) -> bool:
        return 0 <= n < len(tokens) and tokens[n].kind == "q"

    def joining(n: int) -> bool:
        return 0 <= n < len(tokens) and (tokens[n].low in _JOINING or tokens[n].text == ",")

    def joins(n: int, step: int) -> bool:
        # A comma, "and" or "or" (or ", and") with a quote next to it in the direction of ``step``.
        if not joining(n):
            return False
        return quote_at(n + step) or (joining(n + step) and quote_at(n + 2 * step))

    first = at
    while first >= 1 and (quote_at(first - 1) or joins(first - 1, -1)):
        first -= 1
    last = after
    while (quote_at(last) and last > after) or joins(last, 1):
        last += 1
    return first, last


def _agent(s: str, tokens: list[Tok], n: int) -> str:
    """The words naming an agent after "by": a capitalized run with the role words before it ("FBI
    Director Ann Cole", "the Harbor Institute") or a plural noun ("organizers"), up to a break."""
    end = n
    while end < len(tokens) and end - n < 8 and tokens[end].kind == "w":
        gap = s[tokens[end - 1].end : tokens[end].start] if end > n else ""
        if any(mark in gap for mark in _DASHES + ".()"):
            break
        if end > n and not _is_cap(tokens[end]) and _is_cap(tokens[end - 1]):
            break
        end += 1
    words = tokens[n:end]
    if words and words[0].low.endswith("ing"):
        return ""  # "responded by saying ...": a means, not an agent
    while words and not _is_cap(words[-1]) and len(words) > 1:
        words = words[:-1]
    if not words:
        return ""
    if len(words) == 1 and not _is_cap(words[0]):
        return words[0].text if words[0].low.endswith("s") and words[0].low not in _PREPOSITIONS else ""
    if not _is_cap(words[-1]):
        return ""
    return s[words[0].start : words[-1].end]


# Passive participles that make their agent the author of a quotation or a name ("described by").
_PASSIVE_VERBS = wordset(
    "called dubbed labeled labelled branded termed described characterized characterised seen viewed "
    "deemed considered named nicknamed quoted written asked reported mentioned cited told questioned "
    "criticized criticised praised accused urged"
)


def _far_cue(tokens: list[Tok]) -> int:
    """The index of a speech verb more than eight words before a quotation that follows a comma or a
    colon ("Lee wrote online late on Friday, speaking of her younger brother, “...”"), with only adverbial
    phrases after it: no "that" (reported speech), no other cue and no sentence break; or -1."""
    last = len(tokens) - 8
    for v in range(last - 1, max(-1, len(tokens) - 40), -1):
        tok = tokens[v]
        if tok.text in (".", ";") or tok.kind == "q":
            return -1
        if tok.low in CUE_FINITE and not tok.text[0].isupper():
            rest = tokens[v + 1 :]
            if any(t.low == "that" or t.low in CUE_VERBS for t in rest) or not (
                any(t.text == "," for t in rest)
                or _only_prepositional(tokens[_object_of_told(tokens, v) if tok.low in _TOLD else v + 1 :])
            ):
                return -1
            return v
    return -1


def _only_prepositional(rest: list[Tok]) -> bool:
    """ "said in an op-ed before a 2014 hearing on the budget": words after a cue that open with a
    preposition and hold no verb or clause of their own."""
    return (
        bool(rest)
        and rest[0].low in _PREPOSITIONS
        and all(
            t.kind == "w"
            and t.low not in _FINITE
            and not (t.low in _SUBORDINATORS and t.low not in _PREPOSITIONS)
            and not (t.low.endswith("ed") and "-" not in t.low)
            for t in rest
        )
    )


def _relative_of(tokens: list[Tok], v: int) -> int:
    """The index of the "who" that is the subject of the verb at ``v`` (at most six words back, no
    punctuation between), or -1: not "Lee, who he dubbed "..."" (another subject after "who") nor
    "Lee, who could be "..."" or "who was being called" (a passive or a state)."""
    for n in range(v - 1, max(-1, v - 8), -1):
        tok = tokens[n]
        if tok.kind != "w" or tok.low in _BE or tok.low == "being":
            return -1
        if tok.low == "who":
            following = tokens[n + 1]
            if n + 1 < v and (_is_cap(following) or following.low in _SUBJECT_OPENERS):
                return -1
            return n
    return -1


def _name_before_relative(s: str, tokens: list[Tok], w: int) -> str:
    """The capitalized name right before ", who" (``w`` is the index of "who"); "" when there is none."""
    if w < 2 or tokens[w].low != "who" or tokens[w - 1].text != "," or not _is_cap(tokens[w - 2]):
        return ""
    first, last = w - 2, w - 2
    while first > 0 and _is_cap(tokens[first - 1]):
        first -= 1
    of = first - 2 if first > 2 and tokens[first - 1].low == "the" else first - 1
    if of > 0 and tokens[of].low == "of" and _is_cap(tokens[of - 1]) and tokens[of - 1].low not in ORG_WORDS:
        # "Sen. Dana Moss of Florida, who ...", "Omar Hale of the Harbor Institute, who ...": "who"
        # stands for the person, not the place or the organization the person is of.
        last = of - 1
        first = last
        while first > 0 and _is_cap(tokens[first - 1]):
            first -= 1
    return s[tokens[first].start : tokens[last].end]


def _may_report(s: str) -> bool:
    """False when no sentence of the paragraph ``s`` can hold reported speech (no word of ``_TRIGGERS``).

    A trigger token is a whole run of word characters of ``s`` (tokens start after a non-word character
    and stop before one), so looking at the runs is enough; a paragraph too long to be read whole is
    always read.
    """
    if len(s) > _SENTENCE_LIMIT:
        return True
    if s.isascii():  # case folding is lowering, letter by letter, and keeps every run as it is
        return not _TRIGGERS.isdisjoint(_WORD_RUN.findall(s.lower()))
    return any(word.casefold() in _TRIGGERS for word in set(_WORD_RUN.findall(s)))
