"""Give every paragraph a role and the name of the rule that decided it.

Cleaning classifies and never deletes: page chrome, promos and truncated copies of
the headline stay in ``text`` as ``boilerplate`` so offsets keep pointing at the
input, and an editor can see (through ``rule``) why a block was set aside.
"""

from __future__ import annotations

import re

from .spam import has_spam_words_or_links

TITLE, STANDFIRST, BYLINE, BODY, CAPTION, BOILERPLATE = (
    "title",
    "standfirst",
    "byline",
    "body",
    "caption",
    "boilerplate",
)

# Whole-block page chrome, matched on the casefolded block without trailing punctuation.
_CHROME = {
    "advertisement": "chrome-advertisement",
    "advertising": "chrome-advertisement",
    "sponsored": "chrome-advertisement",
    "sponsored content": "chrome-advertisement",
    "share": "chrome-share",
    "share this article": "chrome-share",
    "share this story": "chrome-share",
    "share on facebook": "chrome-share",
    "share on twitter": "chrome-share",
    "copy link": "chrome-share",
    "print": "chrome-share",
    "email": "chrome-share",
    "comments": "chrome-other",
    "skip to content": "chrome-other",
    "skip to main content": "chrome-other",
    "menu": "chrome-other",
    "log in": "chrome-other",
    "sign in": "chrome-other",
    "subscribe": "promo-pitch",
    "listen to this article": "chrome-other",
    "most read": "chrome-other",
    "trending": "chrome-other",
    "follow us": "chrome-other",
    "back to top": "chrome-other",
    "loading": "chrome-other",
    "image": "chrome-other",
    "photo": "chrome-other",
}
_AVATAR = re.compile(r"^(?:[\w.' ’-]{1,40}[’']s )?(?:profile )?avatar$|^profile picture$", re.IGNORECASE)
_RELATED = re.compile(
    r"^(?:related|read more|read also|also read|see also|more|recommended|watch|listen|more on this"
    r"|related stories|related articles|you may also like|further reading)\s*[:|\u2013\u2014>-]",
    re.IGNORECASE,
)
# The first words of ``_RELATED``'s phrases: an ASCII block opening with none of them (lowercase being its
# case folding) is not tried against it.
_RELATED_OPENERS = (
    "related",
    "read",
    "also",
    "see",
    "more",
    "recommended",
    "watch",
    "listen",
    "you",
    "further",
)
# Phrases of promos and newsletter pitches; one strong or two weak signals decide.
_PROMO_STRONG = (
    "sign up for our",
    "sign up to our",
    "subscribe to our",
    "subscribe now",
    "get the answers with",
    "our new platform",
    "download our app",
    "support our journalism",
    "become a member",
    "click here to",
    "this article originally appeared",
    "all rights reserved",
)
_PROMO_WEAK = (
    "newsletter",
    "subscribe",
    "do you have questions about",
    "curated content",
    "explainers",
    "infographics",
    "award-winning team",
    "follow us on",
    "sign up",
    "our app",
    "in your inbox",
    "free trial",
    "©",
    "copyright",
)
_BYLINE = re.compile(r"^(?:By|BY|Written by|Reporting by|Words by|Text by)\s+(?P<rest>.+)$")
_BYLINE_GLUE = frozenset(
    {
        "and",
        "in",
        "for",
        "with",
        "at",
        "of",
        "the",
        "staff",
        "reporter",
        "correspondent",
        "writer",
        "editor",
        "&",
        "|",
        "/",
        "-",
        "\u2014",
        "\u2013",
    }
)
# Photo credits ending a caption: an agency after the last sentence, "Photo: AFP", "(Photo by X/Getty Images)".
_AGENCIES = (
    r"Reuters(?:-Yonhap)?|AP|AFP|EPA(?:-EFE)?|Getty Images|Xinhua|Bloomberg|Yonhap|Kyodo|AAP|PA|"
    r"Shutterstock|Associated Press|Handout|File photo|Supplied|SCMP|Alamy|Imago|ANP|TASS|dpa|NurPhoto"
)
_CREDIT_TAIL = re.compile(rf"[.!?)]\s+(?:(?:File |Handout )?(?:{_AGENCIES})(?:[ /][\w. /-]{{0,40}})?)$")
_AGENCY_LINE = re.compile(rf"^(?:{_AGENCIES}|[A-Z][\w&.'-]*(?: [A-Z][\w&.'-]*){{0,4}})$")
_CREDIT_LABEL = re.compile(
    r"(?:\(|\|\s*|^|\.\s+)(?:Photo|Picture|Image|Credit|Photograph|Photography|Pic)s?(?: by)?\s*:?\s*[^()]{1,80}\)?$",
    re.IGNORECASE,
)
_PHOTO_BY = re.compile(r"\((?:photo|picture|image) by [^()]{1,80}\)$", re.IGNORECASE)
_DATELINE = re.compile(r"^[A-Z][A-Z .'’,-]{2,40}(?:\([A-Za-z. ]{1,20}\))?\s*[\u2014\u2013-]")
_WEEKDAY = re.compile(r"\b(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b")
_SAID = re.compile(r"\b(?:said|says|told)\b")
_QUOTE_CHARS = '"“”«»'


def classify_boilerplate(
    block: str,
    *,
    spam_possible: bool = True,
    strong: tuple[str, ...] = _PROMO_STRONG,
    weak: tuple[str, ...] = _PROMO_WEAK,
) -> str | None:
    """The rule name when ``block`` is page chrome, a promo or a related-story link, else None.

    ``spam_possible`` False says the block cannot hold a spam word or link (the whole text was checked);
    ``strong`` and ``weak``, the promo phrases that may be in it (``_promo_phrases``).
    """
    if len(block) > 1500:
        return None
    lowered = block.casefold()
    key = lowered.strip(" .:!|·•>»-")
    if key in _CHROME:
        return _CHROME[key]
    # Both forms end the key; only "r" and "e" themselves match those letters when case is ignored.
    if key.endswith(("r", "e")) and _AVATAR.match(key):
        return "chrome-avatar"
    if (not block.isascii() or lowered.startswith(_RELATED_OPENERS)) and _RELATED.match(block):
        return "related-link"
    if spam_possible and len(block) <= 200 and has_spam_words_or_links(block):
        return "spam-block"
    if any(phrase in lowered for phrase in strong):
        return "promo-pitch"
    count = 0
    for phrase in weak:
        if phrase in lowered:
            count += 1
            if count == 2:
                return "promo-pitch"
    return None


def _promo_phrases(blocks: list[str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The strong and the weak promo phrases found anywhere in ``blocks``: one look at the whole text
    instead of every phrase sought in every block, where most blocks hold none (case folding goes
    character by character, so a block's phrase is in the folded whole too)."""
    lowered = "\n".join(blocks).casefold()
    return (
        tuple(phrase for phrase in _PROMO_STRONG if phrase in lowered),
        tuple(phrase for phrase in _PROMO_WEAK if phrase in lowered),
    )


def classify_caption(block: str) -> str | None:
    if len(block) > 800 or block[:1] in _QUOTE_CHARS:
        return None
    tail = block[-120:]
    if _PHOTO_BY.search(tail):
        return "photo-credit-caption"
    if _CREDIT_TAIL.search(tail):
        return "agency-credit-caption"
    if not tail.rstrip().endswith(".") and _CREDIT_LABEL.search(tail):
        return "photo-credit-caption"
    return None


def _is_byline(block: str) -> bool:
    """ "By Jane Doe and John Roe, Associated Press": names and a few glue words, no sentence."""
    match = _BYLINE.match(block) if len(block) <= 120 else None
    if not match:
        return False
    words = match.group("rest").replace(",", " ").split()
    if not words or len(words) > 12 or not words[0][:1].isupper():
        return False
    return all(w[:1].isupper() or w.casefold() in _BYLINE_GLUE for w in words)


def _headline_like(block: str) -> bool:
    words = block.split()
    return 0 < len(words) <= 30 and len(block) <= 250


def _could_be_standfirst(block: str) -> bool:
    words = block.split()
    return 6 <= len(words) <= 70 and block[:1] not in _QUOTE_CHARS and not _DATELINE.match(block)


def _reads_as_summary(block: str) -> bool:
    """A standfirst sums the story up in a sentence or two; a lede reports ("said on Tuesday")."""
    words = block.split()
    if not 8 <= len(words) <= 60 or not block.endswith((".", "?", "!")):
        return False
    if block[:1] in _QUOTE_CHARS or _DATELINE.match(block):
        return False
    if _WEEKDAY.search(block) or _SAID.search(block):
        return False
    return block.count(". ") <= 1


def assign_roles(
    blocks: list[str], *, given_title: bool = False, spam_possible: bool = True
) -> list[tuple[str, str]]:
    """(role, rule) for each block, in input order. ``spam_possible`` False: no block holds a spam word
    or link (see ``spam_hints``)."""
    roles: list[tuple[str, str] | None] = [None] * len(blocks)
    strong, weak = _promo_phrases(blocks)
    for position, block in enumerate(blocks):
        rule = classify_boilerplate(block, spam_possible=spam_possible, strong=strong, weak=weak)
        if rule:
            roles[position] = (BOILERPLATE, rule)
            continue
        if _is_byline(block):
            roles[position] = (BYLINE, "byline-by")
            continue
        rule = classify_caption(block)
        if rule:
            roles[position] = (CAPTION, rule)

    # An agency line right under a byline ("By DANA MORALES" / "Associated Press") belongs to it.
    for position in range(1, len(blocks)):
        previous = roles[position - 1]
        if (
            roles[position] is None
            and previous is not None
            and previous[0] == BYLINE
            and len(blocks[position].split()) <= 5
            and _AGENCY_LINE.match(blocks[position])
        ):
            roles[position] = (BYLINE, "byline-agency")

    title_at = _find_title(blocks, roles, given_title)
    if title_at is not None:
        title = blocks[title_at]
        roles[title_at] = (TITLE, "given-title" if given_title else "first-long-line")
        # Truncated or repeated copies of the headline, before it or anywhere after it.
        for position, block in enumerate(blocks):
            if position == title_at or roles[position] is not None:
                continue
            if len(block) <= len(title) and title.startswith(block) and _headline_like(block):
                roles[position] = (BOILERPLATE, "truncated-title-copy")
        _find_standfirst(blocks, roles, title_at)

    seen: set[str] = set()
    result: list[tuple[str, str]] = []
    for position, block in enumerate(blocks):
        role = roles[position]
        if role is None:
            # A block repeated word for word is page furniture, not a second paragraph of prose.
            role = (
                (BOILERPLATE, "duplicate-block")
                if block in seen and len(block) < 200
                else (BODY, "default-body")
            )
        seen.add(block)
        result.append(role)
    return result


def _find_title(blocks: list[str], roles: list[tuple[str, str] | None], given_title: bool) -> int | None:
    if not blocks:
        return None
    if given_title:
        return 0
    # The headline is the first headline-like block that is not chrome and not a cut-off copy of the next.
    limit = min(len(blocks), 8)
    for position in range(limit):
        if roles[position] is not None:
            continue
        block = blocks[position]
        if not _headline_like(block):
            break
        following = next(
            (blocks[p] for p in range(position + 1, min(len(blocks), position + 3)) if roles[p] is None), ""
        )
        if following and len(following) > len(block) and following.startswith(block):
            continue
        return position
    for position in range(len(blocks)):
        if roles[position] is None:
            return position
    return 0


def _find_standfirst(blocks: list[str], roles: list[tuple[str, str] | None], title_at: int) -> None:
    for position in range(title_at + 1, min(len(blocks), title_at + 4)):
        role = roles[position]
        if role is not None and role[0] == BOILERPLATE:
            continue
        if role is not None:
            return
        block = blocks[position]
        following = roles[position + 1] if position + 1 < len(blocks) else None
        if following is not None and following[0] == BYLINE and _could_be_standfirst(block):
            # Title, summary, byline: the usual head of a feature page.
            roles[position] = (STANDFIRST, "summary-before-byline")
        elif _reads_as_summary(block):
            roles[position] = (STANDFIRST, "summary-after-title")
        return
