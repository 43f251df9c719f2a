"""Find direct, partial and indirect quotations and who said them, by rules an editor can follow.

Each paragraph is scanned once for quotation marks; quoted stretches are then masked
so that sentence splitting and cue finding never look inside a quote. Attribution
reads a bounded window around each quote or cue, which keeps the whole pass linear
in the length of the text, however hostile the input.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field

from .speakers import (
    DOC_HEADS,
    ORG_PREMOD_HEADS,
    ROLE_NOUNS,
    TITLE_WORDS,
    ArticleSpeakers,
    Resolution,
    is_capitalized,
    wordset,
)
from .types import ParagraphSpec

MASK = "\u25a1"
_OPEN_DOUBLE = "\u201c\u201e\u00ab"
_CLOSE_DOUBLE = "\u201d\u00bb"
_SINGLES = "'\u2018\u2019"
_MARKS = re.compile("[\"\u201c\u201d\u201e\u00ab\u00bb'\u2018\u2019]")
_ALL_MARKS = '"' + _OPEN_DOUBLE + _CLOSE_DOUBLE + _SINGLES
_PRIMES = "'\u2032\u2019"
_WINDOW = 400
# Sentences longer than this are read only this far for cues: no real sentence comes near it.
_SENTENCE_LIMIT = 20000
_SKIP_ROLES = frozenset({"caption", "boilerplate", "byline"})
# Paragraphs up to this long are tokenized once as a whole; longer ones window by window, as read.
_INDEX_LIMIT = 20000


# Verbs that introduce speech, direct or reported.
SPEECH_VERBS = wordset(
    """
    said says say told tells added adds asked asks explained explains warned warns insisted insists
    noted notes wrote writes stated states argued argues replied replies recalled recalls declared
    declares claimed claims remarked admitted admits conceded concedes acknowledged acknowledges responded
    testified tweeted posted announced announces reported reports stressed stresses emphasised emphasized
    agreed agrees predicted predicts complained complains suggested suggests confirmed confirms denied denies
    alleged alleges contended maintained maintains observed cautioned countered joked quipped
    """
)
_DATA_SOURCES = wordset(
    "figures data statistics estimates records numbers calculations count tally forecasts"
)
_CORE_SPEECH = wordset("said says told added stated announced reported wrote warned")
# Verbs that carry quoted fragments but do not report a whole statement ("urged diplomats to ...").
PARTIAL_VERBS = wordset(
    """
    urged urges urge call called calls vowed vows pledged pledges promised promises highlighted highlights described
    describes dubbed labelled labeled branded denounced criticised criticized praised dismissed hailed demanded
    demands condemned slammed accused blasted lauded welcomed cited characterised characterized urging vowing
    describing calling
    """
)
_HEADLINE_VERBS = SPEECH_VERBS | PARTIAL_VERBS | wordset("wants defends rejects hits backs")
# Every word that makes a sentence's reported speech worth reading (see ``_indirect``).
_TRIGGERS = SPEECH_VERBS | DOC_HEADS | wordset("according saying quoted")
_WORD_RUN = re.compile(r"\w+")
_AUX_ADV = wordset(
    """
    has have had also then later repeatedly once again previously reportedly publicly recently earlier first
    further would will always often never even already still now separately privately yesterday today
    """
)
_TIME_NOUNS = wordset(
    """
    month week year night weekend morning afternoon evening monday tuesday wednesday thursday friday saturday
    sunday january february march april may june july august september october november december
    """
)
_TIME_LEADS = wordset("last this next on early late earlier")
_PREPOSITIONS = wordset(
    """
    in at of from on for with by near to into across over under about against between among through during
    without within behind beyond toward towards upon via like after before
    """
)
_SUBORDINATORS = wordset(
    "after before when while because although though since if unless whereas that which who whom but so as "
    "once until where whether than yet however"
)
_CLAUSE_VERBS = wordset(
    "is was are were be been has have had will would can could may might should must did does do not"
)
_PRONOUNS = wordset("he she they it i we")
_ADVERBIAL_STARTS = (
    _PREPOSITIONS
    | _TIME_LEADS
    | wordset(
        "yesterday today tonight afterwards later recently previously again also publicly privately separately then"
    )
)
_CONNECTIVES = wordset("however but and yet still meanwhile also so moreover instead")
_WORK_WORDS = wordset(
    "memoir book novel film movie song album titled entitled documentary series show play poem column essay "
    "headline podcast painting opera musical"
)
_ABBREVIATIONS = wordset(
    "mr mrs ms dr st jr sr gen sen rep gov lt col capt sgt prof no vs inc corp ltd co jan feb mar apr aug sept "
    "sep oct nov dec u.s u.k u.n a.m p.m e.g i.e mt ft"
)
_SENTENCE_END = re.compile("[.?!]+[\"\u201d\u2019')\\]\u00bb]*\\s+")
# Each kind of token in a group of its own: a word, punctuation, a quotation mark or masked quote.
_TOKEN = re.compile(
    "(\\w[\\w'\u2019.\\-]*)|([,;:])|([\"\u201c\u201d\u201e\u00ab\u00bb\u2018\u2019']|" + MASK + "+)"
)


@dataclass(slots=True)
class Pair:
    """A quoted stretch of one paragraph: marks at ``open`` and ``close`` (``close`` = length if it runs on)."""

    open: int
    close: int
    runs_on: bool = False


@dataclass(slots=True)
class Found:
    kind: str
    start: int
    end: int
    paragraph: int
    speaker: int | None = None
    mention: str = ""
    cue: str = ""
    via: int | None = None
    confidence: float = 0.0
    rule: str = ""
    continues: Found | None = None
    chain: list[Found] = field(default_factory=list)


@dataclass(slots=True)
class Tok:
    text: str
    low: str
    start: int
    end: int
    kind: str  # w (word), p (punctuation), q (quote mark or masked quote)


# -- scanning ----------------------------------------------------------------------------------------------


def find_pairs(s: str) -> list[Pair]:
    """Pair quotation marks in one linear pass; apostrophes, primes and nested marks never pair."""
    pairs: list[Pair] = []
    double: int | None = None
    single: int | None = None
    n = len(s)
    for match in _MARKS.finditer(s):
        i = match.start()
        ch = s[i]
        prev = s[i - 1] if i else " "
        nxt = s[i + 1] if i + 1 < n else " "
        if ch in _SINGLES:
            if double is not None or (prev.isalnum() and nxt.isalnum()):
                continue
            if single is None:
                if ch != "\u2019" and _opens(prev, nxt) and not _elision(s, i):
                    single = i
            elif not prev.isspace() and not nxt.isalnum():
                pairs.append(Pair(single, i))
                single = None
            continue
        if ch in _OPEN_DOUBLE:
            double, single = i, None
            continue
        if ch in _CLOSE_DOUBLE:
            if double is not None:
                pairs.append(Pair(double, i))
                double = None
            elif prev.isspace() and nxt.isalnum():
                double, single = i, None
            continue
        if _is_inch_mark(s, i, double is not None):
            continue
        if double is None:
            if not nxt.isspace():
                double, single = i, None
        else:
            pairs.append(Pair(double, i))
            double = None
    if double is not None and double + 1 < n:
        pairs.append(Pair(double, n, runs_on=True))
    pairs.sort(key=lambda p: p.open)
    return pairs


def _opens(prev: str, nxt: str) -> bool:
    return (prev.isspace() or prev in "([{\u2014\u2013-/") and (nxt.isalnum() or nxt in "[.")


def _elision(s: str, i: int) -> bool:
    """'90s, 'em, 'til, 'n': a mark that stands for missing letters, not a quote."""
    tail = s[i + 1 : i + 5].casefold()
    if tail[:2].isdigit():
        return True
    return tail.startswith(("em ", "til ", "n ", "n' ", "n\u2019 ", "cause ", "twas"))


def _is_inch_mark(s: str, i: int, quote_open: bool) -> bool:
    """6'5" or a 12" screen: a double prime after a number, not a quotation mark."""
    prev = s[i - 1] if i else " "
    if not prev.isdigit():
        return False
    j = i - 1
    while j > 0 and s[j - 1].isdigit() and i - j < 4:
        j -= 1
    if j > 0 and s[j - 1] in _PRIMES and j > 1 and s[j - 2].isdigit():
        return True
    return not quote_open


def mask(s: str, pairs: list[Pair]) -> str:
    """Blank out quoted content (keeping marks and a final punctuation mark) so rules see its shape only."""
    chars = list(s)
    for pair in pairs:
        first, end = pair.open + 1, pair.close
        if end <= first:
            continue
        keep = end - 1 if not pair.runs_on and end - 1 > pair.open and s[end - 1] in ".,?!" else -1
        kept = chars[keep]
        chars[first:end] = MASK * (end - first)
        if keep >= 0:
            chars[keep] = kept
    return "".join(chars)


def split_sentences(masked: str) -> list[tuple[int, int]]:
    spans = []
    start = 0
    for match in _SENTENCE_END.finditer(masked):
        nxt = masked[match.end() : match.end() + 1]
        if not nxt or not (nxt.isupper() or nxt.isdigit() or nxt in _ALL_MARKS or nxt == MASK):
            continue
        word_start = match.start()
        while word_start > start and not masked[word_start - 1].isspace() and match.start() - word_start < 24:
            word_start -= 1
        word = masked[word_start : match.start()].casefold().strip("\"'(\u201c\u2018")
        if word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha()):
            continue
        spans.append((start, match.end()))
        start = match.end()
    if start < len(masked):
        spans.append((start, len(masked)))
    return spans


def tokenize(masked: str, start: int, end: int) -> list[Tok]:
    tokens: list[Tok] = []
    append = tokens.append
    for match in _TOKEN.finditer(masked, start, end):
        text, quote, punctuation = match.group(0, 3, 2)
        if quote:  # a quotation mark or a masked quote
            at, upto = match.span()
            append(Tok(text, text, at, upto, "q"))
        elif punctuation:
            at, upto = match.span()
            append(Tok(text, text, at, upto, "p"))
        else:
            stripped = text
            if text[-1] in _WORD_TAIL:
                stripped = text.rstrip("'\u2019-")
                if (
                    stripped.endswith(".")
                    and stripped.count(".") == 1
                    and stripped[:-1].casefold() not in _ABBREVIATIONS
                ):
                    stripped = stripped[:-1]
                if not stripped:
                    continue
            at = match.start()
            append(Tok(stripped, stripped.casefold(), at, at + len(stripped), "w"))
    return tokens


# A word token's match may end in these; the token itself leaves them out (all but an abbreviation's dot).
_WORD_TAIL = "'\u2019-."


class _TokenIndex:
    """One string tokenized once; any stretch of it is then a slice of that list.

    ``tokenize(s, a, b)`` equals the tokens whose matches lie within ``[a, b)``, because the token
    pattern looks neither behind nor ahead, unless a match straddles ``a`` or ``b``: then the stretch is
    tokenized on its own, as before.
    """

    __slots__ = ("starts", "text", "tokens")

    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = tokenize(text, 0, len(text))
        self.starts = [tok.start for tok in self.tokens]  # a token starts where its match does

    def _match_end(self, index: int) -> int:
        """Where the match of token ``index`` ends: a word's match runs on over the tail it left out."""
        tok = self.tokens[index]
        end = tok.end
        if tok.kind == "w":
            text = self.text
            while end < len(text) and text[end] in _WORD_TAIL:
                end += 1
        return end

    def between(self, start: int, end: int) -> list[Tok]:
        starts = self.starts
        first = bisect_left(starts, start)
        if first and self._match_end(first - 1) > start:
            return tokenize(self.text, start, end)
        last = bisect_left(starts, end, first)
        if last > first and self._match_end(last - 1) > end:
            return tokenize(self.text, start, end)
        return self.tokens[first:last]


# -- phrases around cues -----------------------------------------------------------------------------------


def _is_cap(tok: Tok) -> bool:
    return tok.kind == "w" and is_capitalized(tok.text)


def _skip_back_adverbials(tokens: list[Tok], i: int) -> int:
    while i >= 0:
        low = tokens[i].low
        if low in _AUX_ADV:
            i -= 1
        elif low in _TIME_NOUNS and i >= 1 and tokens[i - 1].low in _TIME_LEADS:
            i -= 2
        else:
            break
    return i


def subject_before(s: str, tokens: list[Tok]) -> str:
    """The subject phrase that ends just before a cue verb ("Beijing-based analyst Wu Qiang", "he")."""
    i = _skip_back_adverbials(tokens, len(tokens) - 1)
    if i < 0:
        return ""
    tok = tokens[i]
    if tok.text == ",":
        return _appositive_subject(s, tokens, i)
    if tok.kind != "w":
        return ""
    if tok.low in _PRONOUNS:
        return tok.text
    if tok.low in ("and", "but") and i > 0:
        # "Quinn called the move ... and said ...": both verbs share the sentence's subject.
        return sentence_subject(s, tokens[:i])
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
        if j == 0 or tokens[j - 1].low not in _PREPOSITIONS:
            first = _premodifier_start(tokens, j)
            return s[tokens[first].start : tok.end]
    return _general_subject(s, tokens, i)


def _appositive_subject(s: str, tokens: list[Tok], comma: int) -> str:
    """ "Pang Zhongying, a chair professor ... University, said": the name with its appositive.

    Also "The developer, Greenline Partners, has promised" and "One of them, a clerk who ..., said".
    """
    k = comma - 1
    while k >= 0 and tokens[k].text != "," and comma - k < 40:
        k -= 1
    if k <= 0 or tokens[k].text != ",":
        return ""
    if _is_cap(tokens[k - 1]):
        j = k - 1
        while j > 0 and _is_cap(tokens[j - 1]):
            j -= 1
        return s[tokens[_premodifier_start(tokens, j)].start : tokens[comma - 1].end]
    inner = tokens[k + 1 : comma]
    if inner and (inner[0].low in ("a", "an") or all(_is_cap(t) for t in inner)):
        head = _general_subject(s, tokens[:k], k - 1) if tokens[k - 1].kind == "w" else ""
        appositive = s[inner[0].start : inner[-1].end]
        if inner[0].low in ("a", "an"):
            return appositive
        return f"{head}, {appositive}" if head else appositive
    return ""


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
    end = i
    for m in range(k + 1, i + 1):
        low = tokens[m].low
        if low in ("who", "which", "whose") or low in _PREPOSITIONS or (low.endswith("ing") and len(low) > 5):
            end = m - 1
            break
    while end >= k and tokens[end].kind == "p":
        end -= 1
    if end < k:
        return ""
    return s[tokens[k].start : tokens[end].end]


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
            if tok.kind == "q" or (tok.low in _ADVERBIAL_STARTS and tok.low != "of"):
                end = n - 1
                break
            if tok.text == "," and not (n + 1 < len(tokens) and tokens[n + 1].low in ("a", "an", "the")):
                end = n - 1
                break
    while end > 0 and tokens[end].kind != "w":
        end -= 1
    return s[tokens[0].start : tokens[end].end]


def sentence_subject(s: str, tokens: list[Tok]) -> str:
    """The subject at the start of a sentence, for "..., saying ..." ("Gu from Nanjing University")."""
    k = 0
    while k < len(tokens) and (tokens[k].low in _CONNECTIVES or tokens[k].kind == "p"):
        k += 1
    if k >= len(tokens):
        return ""
    if tokens[k].low in _PRONOUNS:
        return tokens[k].text
    end = k
    if _is_cap(tokens[k]):
        while end + 1 < len(tokens) and (
            _is_cap(tokens[end + 1])
            or (
                tokens[end + 1].low in ("of", "from", "at")
                and end + 2 < len(tokens)
                and _is_cap(tokens[end + 2])
            )
        ):
            end += 1
    else:
        while end + 1 < len(tokens) and end - k < 4:
            nxt = tokens[end + 1]
            if (
                nxt.kind != "w"
                or nxt.low in _CLAUSE_VERBS
                or nxt.low.endswith("ed")
                or nxt.low in SPEECH_VERBS
            ):
                break
            end += 1
    return s[tokens[k].start : tokens[end].end]


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
    if tokens[v].low in ("told", "tells", "tell"):
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
    if n < len(tokens) and tokens[n].low == "that":
        n += 1
    if n < len(tokens) and tokens[n].kind == "p":
        return None
    return n if _enough_content(tokens[n:]) else None


def _enough_content(tokens: list[Tok]) -> bool:
    """Reported content needs words of its own; a quote alone is a direct quote, not reported speech."""
    words = sum(1 for t in tokens if t.kind == "w")
    quoted = sum(1 for t in tokens if t.text[0] == MASK)
    return words >= 1 and words + quoted >= 3


# -- the extractor -----------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Attribution:
    resolution: Resolution
    cue: str
    rule: str
    via: Resolution | None = None


class QuoteExtractor:
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
        if not pairs and (p.role == "title" or not _may_report(s)):
            return  # nothing quoted and nothing reported: no rule below would fire
        masked = mask(s, pairs) if pairs else s
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
            sentence_pairs = by_sentence.get(number, [])
            used_cues: set[int] = set()
            directs, partial_pairs = [], []
            for pair in sentence_pairs:
                kind = self._classify(s, masked, pair, start, end, p.role == "title")
                if kind == "direct":
                    directs.append(pair)
                elif kind == "partial":
                    partial_pairs.append(pair)
            for pair in directs:
                found = self._direct(p, s, masked, pair, start, end, used_cues)
                if chain_from is not None and pair.open == _first_mark(s):
                    chain_from.chain.append(found)
                    found.continues = chain_from
                    found.rule = found.rule if found.speaker is not None else "ap-continuation"
                    chain_from = None
                if (
                    found.speaker is None
                    and previous_direct is not None
                    and previous_direct.speaker is not None
                ):
                    self._take_speaker(found, previous_direct, "interrupted-quote", 0.9)
                if pair.runs_on:
                    self._open_chain = found
                previous_direct = found
            sentence_attr = None
            tokens = self._tokens(masked, start, min(end, start + _SENTENCE_LIMIT))
            if p.role != "title":
                sentence_attr = self._indirect(p, s, tokens, used_cues)
            starts = [t.start for t in tokens] if partial_pairs else []
            for pair in partial_pairs:
                self._partial(p, s, masked, pair, (start, end), (tokens, starts), sentence_attr)
        # Quotes of this paragraph left without a speaker: the next paragraph's attribution, or the
        # previous paragraph's speaker continuing.
        for found in self.found[first_found:]:
            if found.kind != "direct" or found.speaker is not None:
                continue
            if found.continues is not None:
                continue
            intro = self._colon_introduction(previous) if previous and found.start == p.start + 1 else None
            attr = self._next_paragraph_attribution(following) if following else None
            if intro is not None and intro.resolution.key is not None:
                self._set(found, intro, "colon-introduction", 0.8)
            elif attr is not None and attr.resolution.key is not None:
                self._set(found, attr, "next-paragraph-attribution", 0.75)
            elif (
                previous is not None
                and previous.position in self._last_speaker
                and found.start == p.start + 1
            ):
                self._take_speaker(
                    found, self._last_speaker[previous.position], "continues-previous-speaker", 0.7
                )
        spoken = [f for f in self.found[first_found:] if f.speaker is not None]
        if spoken:
            self._last_speaker[p.position] = max(spoken, key=lambda f: f.start)

    # -- classification --------------------------------------------------------------------------------

    def _classify(self, s: str, masked: str, pair: Pair, start: int, end: int, in_title: bool) -> str | None:
        content = s[pair.open + 1 : pair.close]
        if not content.strip():
            return None
        before = masked[max(start, pair.open - _WINDOW) : pair.open].strip()
        after_raw = masked[pair.close + 1 : min(end, pair.close + 1 + _WINDOW)] if not pair.runs_on else ""
        after = after_raw.strip()
        if _names_a_work(before):
            return None
        opens_clause = not before or before.endswith(":") or _ends_with_cue(before)
        if pair.runs_on:
            return "direct" if opens_clause else None
        closes_clause = (
            not after
            or after[0] in ".?!;"
            or after[0] in _ALL_MARKS
            or self._is_attribution(
                masked, pair.close + 1 + len(after_raw) - len(after_raw.lstrip()), len(after)
            )
        )
        words = content.split()
        if opens_clause and closes_clause and (len(words) >= 2 or content.rstrip()[-1:] in ",.?!"):
            return "direct"
        if _title_case(words) and not in_title:
            return None
        return "partial"

    def _is_attribution(self, masked: str, at: int, length: int) -> bool:
        """Whether the text after a quote (``length`` characters from ``at``, blanks around it left out)
        begins as an attribution."""
        tokens = self._tokens(masked, at, at + min(length, 200))
        if tokens and tokens[0].text == ",":
            tokens = tokens[1:]
        for n, tok in enumerate(tokens[:12]):
            if tok.low in SPEECH_VERBS or tok.low == "according" or tok.low == "quoted":
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
        if not pair.runs_on:
            attr = self._after_clause(s, masked, pair.close + 1, end, used)
        if attr is None:
            attr = self._before_clause(s, masked, start, pair.open, used)
        if attr is not None and attr.resolution.key is not None:
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
        tokens = self._tokens(masked, begin, limit)
        stop = next((n for n, t in enumerate(tokens) if t.kind == "q"), len(tokens))
        tokens = tokens[:stop]
        while tokens and tokens[0].kind == "p":
            tokens = tokens[1:]
        if not tokens:
            return None
        attr = self._intermediary(s, tokens, used)
        if attr is not None:
            return attr
        for v, tok in enumerate(tokens[:12]):
            if tok.low == "according" and v + 1 < len(tokens) and tokens[v + 1].low == "to":
                phrase = subject_after(s, tokens[v + 2 :])
                used.add(tok.start)
                return _Attribution(self.speakers.resolve(phrase), "according to", "quote-then-according-to")
            if tok.low in SPEECH_VERBS:
                used.add(tok.start)
                cue, after_cue = _cue_text(s, tokens, v)
                if v == 0:
                    phrase = subject_after(s, tokens[1:])
                else:
                    phrase = s[tokens[0].start : tokens[v - 1].end]
                    phrase = _strip_trailing_adverbials(s, tokens[:v]) or phrase
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
        while tokens and tokens[-1].kind == "p":
            tokens = tokens[:-1]
        if not tokens:
            return None
        for v in range(len(tokens) - 1, max(-1, len(tokens) - 8), -1):
            tok = tokens[v]
            if tok.low in SPEECH_VERBS:
                used.add(tok.start)
                cue, _ = _cue_text(s, tokens, v)
                phrase = subject_before(s, tokens[:v]) if v else subject_after(s, tokens[v + 1 :])
                return _Attribution(self._resolve(phrase), cue, "attribution-then-quote")
        return None

    # -- indirect speech -------------------------------------------------------------------------------

    def _indirect(self, p: ParagraphSpec, s: str, tokens: list[Tok], used: set[int]) -> _Attribution | None:
        """Reported speech in one sentence; returns the sentence's attribution for partial quotes in it."""
        attribution: _Attribution | None = None
        for v, tok in enumerate(tokens):
            if tok.start in used:
                continue
            low = tok.low
            if low in _TRIGGERS:
                result = None
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
        return attribution

    def _emit_indirect(
        self, p: ParagraphSpec, s: str, first: Tok, last: Tok, attr: _Attribution, confidence: float
    ) -> None:
        # Reported speech without anyone to report it is most often a cue word used otherwise.
        if attr.resolution.key is None:
            return
        found = Found("indirect", p.start + first.start, p.start + last.end, p.position)
        _trim(self.text, found)
        if found.end - found.start < 8:
            return
        self.found.append(found)
        self._set(found, attr, attr.rule, confidence)

    def _speech_cue(self, p: ParagraphSpec, s: str, tokens: list[Tok], v: int) -> _Attribution | None:
        cue, after_cue = _cue_text(s, tokens, v)
        content = _content_after(tokens, after_cue)
        if content is not None and v > 0:
            phrase = subject_before(s, tokens[max(0, v - 80) : v])
            # "It also suggests ...": things suggest and note; only organizations "say" as "it".
            if not phrase or (phrase.casefold() == "it" and tokens[v].low not in _CORE_SPEECH):
                return None
            resolution = self._resolve(phrase)
            self._note_document(s, tokens[after_cue:content], resolution)
            attr = _Attribution(resolution, cue, "said-that")
            self._emit_indirect(p, s, tokens[content], _last_word(tokens), attr, 0.85)
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
            if not _only_adverbials(tokens[after_cue:]):
                return None
            phrase = _strip_trailing_adverbials(s, tokens[comma + 1 : v])
        if not phrase:
            return None
        content_tokens = tokens[:comma]
        if comma + 1 < v and tokens[comma + 1].kind == "q" and tokens[comma + 1].start == tokens[comma].end:
            # `The department "lacks ...," the audit said`: the comma sits inside the closing mark.
            content_tokens = tokens[: comma + 2]
        first = _first_content(content_tokens)
        if first is None or not _enough_content(content_tokens[first:]):
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
            resolution = self._resolve(phrase)
            attr = _Attribution(resolution, "according to", "according-to")
            self._emit_indirect(p, s, rest[comma + 1], _last_word(rest), attr, 0.85)
            return attr
        if v > 0 and tokens[v - 1].text == ",":
            content_tokens = tokens[: v - 1]
            first = _first_content(content_tokens)
            if first is None or not _enough_content(content_tokens[first:]):
                return None
            resolution = self._resolve(subject_after(s, rest))
            attr = _Attribution(resolution, "according to", "according-to")
            self._emit_indirect(p, s, content_tokens[first], content_tokens[-1], attr, 0.85)
            return attr
        return None

    def _saying(self, p: ParagraphSpec, s: str, tokens: list[Tok], v: int) -> _Attribution | None:
        if _content_after(tokens, v + 1) is None:
            return None
        phrase = sentence_subject(s, tokens[: min(v - 1, 40)])
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
    ) -> None:
        start, end = sentence
        found = Found("partial", p.start + pair.open + 1, p.start + pair.close, p.position)
        _trim(self.text, found)
        if found.end <= found.start:
            return
        attr = None
        if p.role == "title":
            attr = self._headline_speaker(s, masked, start, end)
        if attr is None:
            attr = self._cue_before(s, masked, start, pair.open, indexed)
        if attr is None and sentence_attr is not None:
            attr = _Attribution(sentence_attr.resolution, sentence_attr.cue, "partial-in-attributed-sentence")
        if attr is None or attr.resolution.key is None:
            words = self.text[found.start : found.end].split()
            if len(words) <= 3:
                # A scare quote: no speech around it, so it is not a quotation of anyone.
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

    def _cue_before(
        self, s: str, masked: str, start: int, open_at: int, indexed: tuple[list[Tok], list[int]]
    ) -> _Attribution | None:
        tokens, starts = indexed
        if not tokens or open_at > start + _SENTENCE_LIMIT:
            # Past the part of a monstrous "sentence" that was read: no cue is looked for.
            return None
        before = bisect_left(starts, open_at)
        for v in range(before - 1, max(-1, before - 80), -1):
            tok = tokens[v]
            if tok.low in SPEECH_VERBS or tok.low in PARTIAL_VERBS:
                if tok.low.endswith("ing"):
                    phrase = sentence_subject(s, tokens[: min(v, 40)])
                else:
                    phrase = subject_before(s, tokens[max(0, v - 80) : v])
                if not phrase:
                    continue
                return _Attribution(self._resolve(phrase), tok.text, "partial-cue-subject")
        return None

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
        sentences = split_sentences(s)
        first_start, first_end = sentences[0]
        tokens = self._tokens(s, first_start, first_end)
        for v, tok in enumerate(tokens[:10]):
            if tok.low in SPEECH_VERBS:
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
                member.speaker is None or member.rule == "continues-previous-speaker"
            ):
                self._take_speaker(member, source, "ap-continuation", 0.85)

    # -- helpers ---------------------------------------------------------------------------------------

    def _tokens(self, s: str, start: int, end: int) -> list[Tok]:
        """``tokenize(s, start, end)``, from one tokenization of each paragraph (masked or not)."""
        if len(s) > _INDEX_LIMIT:
            return tokenize(s, start, end)
        index = self._indexes.get(s)
        if index is None:
            if len(self._indexes) >= 8:
                self._indexes.clear()
            index = self._indexes[s] = _TokenIndex(s)
        return index.between(start, end)

    def _resolve(self, phrase: str) -> Resolution:
        resolution = self.speakers.resolve(phrase)
        return resolution

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

    def _take_speaker(self, found: Found, source: Found, rule: str, confidence: float) -> None:
        found.speaker, found.mention, found.cue, found.via = (
            source.speaker,
            source.mention,
            source.cue,
            source.via,
        )
        found.rule = rule
        found.confidence = round(min(confidence, source.confidence or confidence), 2)


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


def _first_mark(s: str) -> int:
    return 0 if s[:1] in _ALL_MARKS else -1


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
    return bool(tail) and (
        tail[-1].casefold() in SPEECH_VERBS or (len(tail) > 1 and tail[-2].casefold() == "told")
    )


def _names_a_work(before: str) -> bool:
    words = before[-60:].casefold().split()
    return any(w.strip(",") in _WORK_WORDS for w in words[-3:])


def _title_case(words: list[str]) -> bool:
    """ "Full Court Press", "Wolf Warrior": names and titles, not speech."""
    letters = [w for w in words if w[:1].isalpha()]
    if not letters or len(letters) > 6:
        return False
    minor = {"of", "the", "a", "an", "and", "in", "on", "for", "to", "at"}
    return all(w[0].isupper() or w in minor for w in letters) and letters[0][0].isupper()


def _trim(text: str, found: Found) -> None:
    """Keep a span tight: no surrounding spaces (its text must equal the text between offsets)."""
    while found.start < found.end and text[found.start].isspace():
        found.start += 1
    while found.end > found.start and (
        text[found.end - 1].isspace() or (text[found.end - 1] in ".;:" and found.kind == "indirect")
    ):
        found.end -= 1
