"""Reported (indirect) speech: "X said that ...", "..., X said.", "according to X, ...", ", saying ...",
"Xinhua quoted X as saying ...".

A part of ``QuoteExtractor`` (it is one of its bases), kept apart because these rules read a sentence
for its speech verbs rather than for its quotation marks; they share the extractor's state: the text,
the quotes found so far, the speakers, where the clause being attributed starts (``_cursor``), and its
``_resolve``, ``_set``, ``_intermediary`` and ``_note_document*`` steps.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..speakers import DOC_HEADS, wordset
from ..types import ParagraphSpec
from .clauses import DASHES, _trailing_subject
from .found import DESCRIBED, Found, _Attribution, _trim
from .lexicon import (
    _CLAUSE_VERBS,
    _CORE_SPEECH,
    _DATA_SOURCES,
    _PREPOSITIONS,
    _PRONOUNS,
    _TRIGGERS,
    CUE_FINITE,
    CUE_PARTICIPLES,
    SPEECH_VERBS,
)
from .subjects import (
    _content_after,
    _cue_text,
    _enough_content,
    _first_content,
    _last_word,
    _only_adverbials,
    _strip_trailing_adverbials,
    sentence_subject,
    subject_after,
    subject_before,
)
from .tokens import Tok

if TYPE_CHECKING:
    from ..speakers import ArticleSpeakers, Resolution

# Marks after which a quotation opens a statement of its own (", saying, “...”", ": “...”").
_INTRODUCING = ",:" + DASHES


class ReportedSpeech:
    """The reported-speech rules of ``QuoteExtractor``."""

    text: str
    found: list[Found]
    speakers: ArticleSpeakers
    _cursor: int

    def _indirect(self, p: ParagraphSpec, s: str, tokens: list[Tok], used: set[int]) -> _Attribution | None:
        """Reported speech in one sentence; returns the sentence's attribution for partial quotes in it."""
        attribution: _Attribution | None = None
        sentence_start = self._cursor
        # Only a trigger word starts a rule: the other tokens are passed over in one comprehension, unless
        # the sentence is long enough for the limit below to end the loop.
        scan = (
            enumerate(tokens)
            if len(tokens) > 2001
            else [(v, tok) for v, tok in enumerate(tokens) if tok.low in _TRIGGERS]
        )
        for v, tok in scan:
            if tok.start in used:
                continue
            low = tok.low
            if low in _TRIGGERS:
                result = None
                self._cursor = p.start + tok.start  # a pronoun subject stands for someone named before
                if low == "according" and v + 1 < len(tokens) and tokens[v + 1].low == "to":
                    result = self._according_to(p, s, tokens, v)
                elif low == "saying" and v > 0 and tokens[v - 1].text == ",":
                    result = self._saying(p, s, tokens, v)
                elif low == "quoted":
                    result = self._quoted_as_saying_forward(p, s, tokens, v)
                elif low in SPEECH_VERBS and tok.text == low:
                    result = self._speech_cue(p, s, tokens, v)
                elif low in DOC_HEADS and v + 2 < len(tokens) and tokens[v + 1].low == "by":
                    self._note_document_author(s, tokens, v)
                if result is not None:
                    attribution = attribution or result
            if v > 2000:
                break
        self._cursor = sentence_start
        return attribution

    def _emit_indirect(
        self, p: ParagraphSpec, s: str, first: Tok, last: Tok, attr: _Attribution, confidence: float
    ) -> None:
        # Reported speech without anyone to report it is most often a cue word used otherwise.
        # A speaker known only by a description is enough to say who a quote is from, not to make a
        # sentence around a cue word reported speech; a document is ("The report said the plant ...").
        if attr.resolution.key is None:
            return
        if attr.resolution.confidence == DESCRIBED and not _names_document(attr.resolution.mention):
            return
        found = Found("indirect", p.start + first.start, p.start + last.end, p.position)
        self._stop_before_direct(found)
        _trim(self.text, found)
        if found.end - found.start < 8:
            return
        self.found.append(found)
        self._set(found, attr, attr.rule, confidence)

    def _stop_before_direct(self, found: Found) -> None:
        """Reported speech ends where a direct quotation of the sentence begins ("posted a comment,
        saying, “...”"; "denies — “...?” asked Dunn"; "tweeted thanks, adding “...”"): the quotation is a
        quote of its own. Reported speech that is nothing but the quotation ("said “...,” he said") is
        not kept beside it."""
        for other in reversed(self.found):
            if other.paragraph != found.paragraph:
                break
            if other.kind != "direct" or not found.start < other.start <= found.end:
                continue
            if other.start - 1 <= found.start:
                found.end = found.start
                continue
            lead = self.text[found.start : other.start - 1].rstrip()
            last_word = lead.rsplit(None, 1)[-1].casefold()
            if lead[-1:] in _INTRODUCING or last_word in CUE_PARTICIPLES:
                found.end = min(found.end, other.start - 1)
            elif last_word in CUE_FINITE and "," in lead:
                # "... said it felt good to be back, a man yelled “...”": the clause that introduces the
                # quotation is none of the reported speech.
                found.end = min(found.end, found.start + lead.rfind(","))
        if found.end < found.start + 8:
            return
        tail = self.text[found.start : found.end].rstrip(" ,:;\u2014\u2013-")
        words = tail.rsplit(None, 1)
        if len(words) == 2 and words[1].casefold() in CUE_PARTICIPLES:
            tail = words[0].rstrip(" ,:;\u2014\u2013-")
        found.end = found.start + len(tail)

    def _speech_cue(self, p: ParagraphSpec, s: str, tokens: list[Tok], v: int) -> _Attribution | None:
        cue, after_cue = _cue_text(s, tokens, v)
        content = _content_after(tokens, after_cue)
        if content is not None and v > 0 and tokens[v - 1].text == "," and _names_after(tokens, v + 1):
            # "<content>, said Ann Link, director of ...": the words after the inverted verb name who
            # speaks; the content is before it.
            content = None
        if content is not None and v > 0:
            phrase = subject_before(s, tokens[max(0, v - 80) : v])
            # "It also suggests ...": things suggest and note; only organizations "say" as "it".
            if not phrase or (phrase.casefold() == "it" and tokens[v].low not in _CORE_SPEECH):
                return None
            resolution = self._resolve(phrase)
            self._note_document(s, tokens[after_cue:content], resolution)
            attr = _Attribution(resolution, cue, "said-that")
            self._emit_indirect(p, s, tokens[content], _content_end(tokens, v, content), attr, 0.85)
            return attr
        # "<content>, X said [adverbials]." or "<content>, said X."
        comma = next((n for n in range(v - 1, max(-1, v - 12), -1) if tokens[n].text == ","), None)
        if comma is None or comma == 0:
            self._note_subject(s, tokens, v)
            return None
        if v == comma + 1:
            if v + 1 >= len(tokens) or tokens[v + 1].low in _PREPOSITIONS:
                self._note_subject(s, tokens, v)
                return None
            phrase = subject_after(s, tokens[v + 1 :])
        else:
            if _aside_ends(tokens, after_cue) and v - comma - 1 <= 4:
                # "Putting the show together, Lee said, allowed him ...": the cue and its subject are an
                # aside between commas; the sentence around them is what Lee said.
                phrase = _strip_trailing_adverbials(s, tokens[comma + 1 : v])
                if not phrase or phrase.casefold() in _PRONOUNS or not phrase[:1].isupper():
                    return None
                return _Attribution(self._resolve(phrase), cue, "parenthetical-attribution")
            if not _only_adverbials(tokens[after_cue:]):
                return None
            if any(t.low in ("that", "which") for t in tokens[comma + 1 : v]):
                return None  # "..., a charge that party leaders denied": the verb is a relative clause's
            if tokens[comma + 1].low in ("and", "but", "or"):
                return None  # "The Post ran the claims, and River News responded": a clause of its own
            phrase = _strip_trailing_adverbials(s, tokens[comma + 1 : v])
        if not phrase:
            return None
        content_tokens = tokens[:comma]
        if comma + 1 < v and tokens[comma + 1].kind == "q" and tokens[comma + 1].start == tokens[comma].end:
            # `The department "lacks ...," the audit said`: the comma sits inside the closing mark.
            content_tokens = tokens[: comma + 2]
        first = _first_content(content_tokens)
        if first is None or not _enough_content(content_tokens[first:]):
            aside = next((n for n in range(v + 2, min(len(tokens), v + 8)) if tokens[n].kind != "w"), None)
            if v == comma + 1 and aside is not None and _aside_ends(tokens, aside) and phrase[:1].isupper():
                # "The council, said Lee, was “out of touch”": an aside, the sentence around it Lee's.
                return _Attribution(self._resolve(phrase), cue, "parenthetical-attribution")
            return None
        resolution = self._resolve(phrase)
        self._note_document(s, tokens[after_cue:], resolution)
        attr = _Attribution(resolution, cue, "trailing-attribution")
        self._emit_indirect(p, s, content_tokens[first], content_tokens[-1], attr, 0.85)
        return attr

    def _note_subject(self, s: str, tokens: list[Tok], v: int) -> None:
        """ "Dr. Nadia Osei cautioned against ...": no reported content, but she is who "she" means next."""
        if v == 0:
            return
        phrase = subject_before(s, tokens[:v])
        if phrase and phrase.casefold() not in _PRONOUNS:
            resolution = self._resolve(phrase)
            if resolution.key is not None and self.speakers.entity(resolution.key).kind == "person":
                self.speakers.note(resolution.key)

    def _according_to(self, p: ParagraphSpec, s: str, tokens: list[Tok], v: int) -> _Attribution | None:
        rest = tokens[v + 2 :]
        source_end = next((n for n, t in enumerate(rest) if t.kind != "w"), len(rest))
        if source_end and rest[source_end - 1].low in _DATA_SOURCES:
            # "according to industry figures": data, not anybody's words.
            return None
        comma = next((n for n, t in enumerate(rest) if t.text == ","), None)
        if v == 0 or (v == 1 and tokens[0].kind != "w"):
            # "According to X, <content>."
            if comma is None or comma + 1 >= len(rest):
                return None
            phrase = s[rest[0].start : rest[comma - 1].end] if comma else ""
            resolution = self._by_author(s, rest, self._resolve(phrase))
            attr = _Attribution(resolution, "according to", "according-to")
            self._emit_indirect(p, s, rest[comma + 1], _last_word(rest), attr, 0.85)
            return attr
        if v > 0 and tokens[v - 1].text == ",":
            content_tokens = tokens[: v - 1]
            first = _first_content(content_tokens)
            if first is None or not _enough_content(content_tokens[first:]):
                return None
            resolution = self._by_author(s, rest, self._resolve(subject_after(s, rest)))
            attr = _Attribution(resolution, "according to", "according-to")
            self._emit_indirect(p, s, content_tokens[first], content_tokens[-1], attr, 0.85)
            return attr
        return None

    def _by_author(self, s: str, rest: list[Tok], resolution: Resolution) -> Resolution:
        """ "according to calculations by Ada Brandt of the Harbor Institute": when the words after
        "according to" name no one, a capitalized author right after a "by" within them does."""
        if resolution.key is not None:
            return resolution
        by = next((n for n, t in enumerate(rest[:5]) if t.kind != "w" or t.low == "by"), None)
        if (
            by is None
            or not 0 < by < len(rest) - 1
            or rest[by].low != "by"
            or not rest[by + 1].text[:1].isupper()
        ):
            return resolution
        author = self._resolve(subject_after(s, rest[by + 1 :]))
        return author if author.key is not None else resolution

    def _saying(self, p: ParagraphSpec, s: str, tokens: list[Tok], v: int) -> _Attribution | None:
        if _content_after(tokens, v + 1) is None:
            return None
        phrase = _trailing_subject(s, tokens[:v]) or sentence_subject(s, tokens[: min(v - 1, 40)])
        if not phrase:
            return None
        attr = _Attribution(self._resolve(phrase), "saying", "saying-participle")
        self._emit_indirect(
            p, s, tokens[_content_after(tokens, v + 1) or v + 1], _last_word(tokens), attr, 0.75
        )
        return attr

    def _quoted_as_saying_forward(
        self, p: ParagraphSpec, s: str, tokens: list[Tok], v: int
    ) -> _Attribution | None:
        attr = self._intermediary(s, tokens, set())
        if attr is None:
            return None
        saying = next((n for n in range(v, len(tokens)) if tokens[n].low == "saying"), None)
        if saying is None:
            return None
        content = _content_after(tokens, saying + 1)
        if content is None:
            return None
        attr = _Attribution(attr.resolution, attr.cue, "quoted-as-saying", attr.via)
        self._emit_indirect(p, s, tokens[content], _last_word(tokens), attr, 0.85)
        return attr


def _content_end(tokens: list[Tok], v: int, content: int) -> Tok:
    """The last word of what the cue at ``tokens[v]`` reports from ``tokens[content]`` on: the sentence's
    last, unless a later clause has a speaker and a cue of its own ("Reyes said ..., and Voss vowed
    ...", "Hale said ...; Cole argued ...", "While not all Voss says is true, Park said ...")."""
    subordinate = tokens[0].low in _OPENING_SUBORDINATORS and all(t.text != "," for t in tokens[:v])
    for m in range(content + 2, len(tokens)):
        if tokens[m].low not in CUE_FINITE or not tokens[m].text.islower():
            continue
        for b in range(m - 1, max(content, m - 8), -1):
            tok = tokens[b]
            if tok.low in _CLAUSE_JOINS or tok.text == ";" or (tok.text == "," and subordinate):
                subject = tokens[b + 1 : m]
                if _opens_clause_subject(subject):
                    end = b - 1 if tok.kind == "w" and tokens[b - 1].text == "," else b
                    return _last_word(tokens[content:end]) if end > content else _last_word(tokens)
                break
            if tok.kind != "w" or tok.low in _CLAUSE_VERBS or tok.low == "that":
                break
    return _last_word(tokens)


def _opens_clause_subject(words: list[Tok]) -> bool:
    """Whether ``words`` (between a joining word and a cue) are a subject: a name, a pronoun or a noun
    phrase with its determiner, with no verb of being among them."""
    if not words or len(words) > 6 or any(t.kind != "w" or t.low in _BE_WORDS for t in words):
        return False
    first = words[0]
    return first.text[0].isupper() or first.low in _PRONOUNS or first.low in _SUBJECT_DETERMINERS


_OPENING_SUBORDINATORS = wordset("while although though whereas as when if because since")
_CLAUSE_JOINS = wordset("and but while whereas")
_BE_WORDS = wordset("is was are were be been being")
_SUBJECT_DETERMINERS = wordset("the a an his her their its some many several both")


def _aside_ends(tokens: list[Tok], n: int) -> bool:
    """Whether ``tokens[n]`` is a comma that closes an aside, with the sentence going on after it."""
    return (
        n + 1 < len(tokens)
        and tokens[n].text == ","
        and (tokens[n + 1].kind == "w" or tokens[n + 1].kind == "q")
        and tokens[n + 1].low not in ("and", "but", "or", "adding", "saying")
    )


def _names_after(tokens: list[Tok], n: int) -> bool:
    """Whether ``tokens[n:]`` open with a short subject that ends the sentence or runs into an
    appositive ("Ann Link.", "Ann Link, director of ...", "the mayor, who ..."), with no verb of its own."""
    if n >= len(tokens) or tokens[n].kind != "w":
        return False
    lead = tokens[n].low in _NAME_LEADS
    if not (lead or tokens[n].text[0].isupper()):
        return False
    for m in range(n + 1, min(len(tokens), n + 7)):
        tok = tokens[m]
        if tok.kind != "w":
            return tok.text in ",.;"
        if tok.low in _CLAUSE_VERBS or tok.low in CUE_FINITE or tok.low == "that":
            return False
        if not lead and not tok.text[0].isupper() and tok.low not in ("of", "de", "van", "von"):
            return False
    return n + 7 > len(tokens)


_NAME_LEADS = wordset("the a an one")


def _names_document(mention: str) -> bool:
    """ "the report", "The new audit": a description whose head is a document."""
    words = mention.split()
    return bool(words) and words[-1].casefold().strip(",.") in DOC_HEADS
