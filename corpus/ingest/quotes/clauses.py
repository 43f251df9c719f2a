"""The shape of the words around a quote, read without the article's state: party tags, verbs with a
particle, a long appositive before a verb, the subject of a trailing attribution, a whole sentence."""

from __future__ import annotations

import re

from .lexicon import _AUX_ADV, _PRONOUNS, _TIME_NOUNS, CUE_FINITE, PHRASAL_CUES, SPEECH_VERBS
from .subjects import _cue_text, subject_after, subject_before
from .tokens import Tok, _is_cap

DASHES = "\u2015\u2014\u2013"
_PARTY_TAG = re.compile(
    r"\s\((?:[RDI]|Ind|Rep|Dem)\.?(?:-[A-Z][A-Za-z.]*(?:\s[A-Z][A-Za-z.]*)?)?\)"
    # "Sen. Rand Paul, R-Ky., told ...": before a verb, the tag's closing comma goes with it.
    r"|,\s(?:[RDI])-[A-Z][A-Za-z.]*(?:\s[A-Z][A-Za-z.]*)?,(?=\s(?!(?:a|an|the|who|whose|which|one)\s)[a-z])"
    r"|,\s(?:[RDI])-[A-Z][A-Za-z.]*(?:\s[A-Z][A-Za-z.]*)?(?=,)"
    # "Sen. Ted Cruz (Tex.) has said": a state alone in brackets.
    r"|\s\((?:Ala|Ariz|Ark|Calif|Colo|Conn|Fla|Ga|Ill|Ind|Kan|Ky|La|Md|Mass|Mich|Minn|Miss|Mo|Mont|Neb|Nev"
    r"|N\.[HJMYCD]|Okla|Ore|Pa|R\.I|S\.[CD]|Tenn|Tex|Va|Vt|Wash|Wis|W\.Va|Wyo)\.\)"
    r"|\s\((?:Alaska|Hawaii|Idaho|Iowa|Maine|Ohio|Texas|Utah)\)"
)


def blank_party_tags(masked: str) -> str:
    """ "Rep. Ann Cole (D-Ore.) said", "Gov. Al Hill (R) said", "Sen. Ted Cruz, R-Texas, said": the party
    (and state) tag is blanked (same length, so offsets hold) so that the name meets its verb."""
    return _PARTY_TAG.sub(lambda m: " " * len(m.group()), masked)


def _phrasal(tokens: list[Tok], v: int) -> bool:
    """ "shot back", "went on", "put it": a verb that attributes with the particle after it."""
    particle = PHRASAL_CUES.get(tokens[v].low)
    return particle is not None and v + 1 < len(tokens) and tokens[v + 1].low == particle


def _cue_at(s: str, tokens: list[Tok], v: int) -> tuple[str, int]:
    """The cue as written from ``tokens[v]`` and the index after it, a particle included."""
    if _phrasal(tokens, v):
        return s[tokens[v].start : tokens[v + 1].end], v + 2
    return _cue_text(s, tokens, v)


def _appositive_cue(tokens: list[Tok]) -> int | None:
    """Index of the cue verb of "Dana Cole, the Democratic chair of ... County, said" after a quote: a
    name, an appositive between commas longer than the usual window, then the verb; None otherwise."""
    if len(tokens) < 13 or not _is_cap(tokens[0]):
        return None
    first = next((n for n in range(1, 6) if tokens[n].text == ","), None)
    if first is None or not all(_is_cap(t) for t in tokens[:first]):
        return None
    for n in range(first + 1, min(len(tokens) - 1, first + 40)):
        tok = tokens[n]
        if tok.kind == "q" or tok.text in ";:":
            return None
        # "Omar Hale, 44, of Dayton, Ohio, who was surveyed, said": the verb after the last comma.
        if tok.text == "," and tokens[n + 1].low in CUE_FINITE and tokens[n + 1].text.islower():
            return n + 1 if n + 1 >= 11 else None
    return None


def _trailing_subject(s: str, tokens: list[Tok]) -> str:
    """The subject of an attribution that ends ``tokens`` as a clause of its own ("..., Dana Cole said,"
    or "..., said Ben Ortiz, a friend,"), before a participle that goes on with it ("adding, “...”"); ""
    when there is none."""
    end = len(tokens) - 1 if tokens and tokens[-1].text == "," else len(tokens)
    for k in range(end - 1, max(-1, end - 20), -1):
        tok = tokens[k]
        if tok.kind == "q":
            return ""
        if tok.low not in SPEECH_VERBS or tok.text[0].isupper():
            continue
        if k > 0 and (
            tokens[k - 1].text == "," or (k > 1 and tokens[k - 1].kind == "q" and tokens[k - 2].text == ",")
        ):
            # "..., said Ben Ortiz, a friend, adding" and `“...,” said Ben Ortiz at the time, adding`
            return subject_after(s, tokens[k + 1 : end]) if k + 1 < end and _is_cap(tokens[k + 1]) else ""
        _, after_cue = _cue_text(s, tokens[:end], k)
        if not k or any(t.low not in _TIME_NOUNS and t.low not in _AUX_ADV for t in tokens[after_cue:end]):
            return ""  # "..., Lee said Thursday, adding": nothing but the time may follow the verb
        phrase = subject_before(s, tokens[:k])
        at = s.rfind(phrase, tokens[0].start, tok.start) if phrase else -1
        first = next((n for n in range(k) if tokens[n].start >= at), 0) if at >= 0 else 0
        if first > 1 and tokens[first - 1].kind == "q" and tokens[first - 2].text == ",":
            return phrase  # `Lee cannot say that “in his opinion,” Ortiz added, saying ...`
        return phrase if first > 0 and tokens[first - 1].text == "," else ""
    return ""


def _whole_sentence(content: str, words: list[str]) -> bool:
    """A capitalized run of at least three words ending as a sentence (or its first clause) does."""
    first = content.lstrip("[ ")[:1]
    return len(words) >= 3 and first.isupper() and content.rstrip()[-1:] in ".?!,"


def _names_someone(mention: str) -> bool:
    """Whether an unresolved mention is a name ("Omar Haddad said"), not a clause's leftovers ("but",
    "the caption which")."""
    words = mention.split()
    return bool(words) and words[-1][:1].isupper() and words[-1].casefold() not in _PRONOUNS
