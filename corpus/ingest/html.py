"""HTML pages → the blocks of an article, its title, byline, date and canonical URL.

The main text is found by trafilatura (a maintained extractor that drops navigation, scripts, comments
and page furniture). Figure captions, which it leaves out, are collected first and put back where the
figure stood, so they become ``caption`` paragraphs instead of vanishing. The page itself is the raw
input and is kept byte for byte by the caller.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import lxml.html

# lxml and trafilatura are imported by extract_html, when a page is read: together they are a third of
# a second and some 30 MB that every command and web process importing the readers would pay otherwise.

_SPACE = re.compile(r"\s+")
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
# Blocks of trafilatura's XML output that are article text, in document order.
_BLOCKS = {"head", "p", "quote", "item", "row", "code"}
# Page furniture that is never article text; removed before extraction so that a page made only of it
# yields nothing rather than its menu.
_FURNITURE = ("nav", "footer", "aside", "form", "script", "style", "noscript", "template", "iframe")


class HtmlError(ValueError):
    """The page could not be read as an article."""


@dataclass(slots=True)
class HtmlArticle:
    blocks: list[str]
    title: str = ""
    byline: str = ""
    published_at: str = ""
    url: str = ""
    language: str = ""
    captions: list[str] = field(default_factory=list)


def decode_html(data: bytes) -> tuple[str, str]:
    """The page's text and the encoding it was read with: UTF-8, else the charset the page declares."""
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    declared = _CHARSET.search(data[:4096])
    if declared:
        encoding = declared.group(1).decode("ascii").lower()
        try:
            return data.decode(encoding), encoding
        except (LookupError, UnicodeDecodeError):
            raise HtmlError(f"not valid {encoding} as the page declares; convert it to UTF-8 first") from None
    raise HtmlError("not valid UTF-8 and no charset declared; convert it to UTF-8 first")


def _clean(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


def _captions_in_place(tree: lxml.html.HtmlElement) -> list[str]:
    """Replace each <figure> by a paragraph holding its caption; return the captions in order."""
    import lxml.html

    captions = []
    for figure in list(tree.iter("figure")):
        caption_node = next(iter(figure.iter("figcaption")), None)
        caption = _clean(caption_node.text_content()) if caption_node is not None else ""
        parent = figure.getparent()
        if parent is None:
            continue
        if caption:
            captions.append(caption)
            paragraph = lxml.html.Element("p")
            paragraph.text = caption
            paragraph.tail = figure.tail
            parent.replace(figure, paragraph)
        else:
            figure.drop_tree()
    return captions


def extract_html(page: str) -> HtmlArticle:
    """Read an article out of an HTML page; ``HtmlError`` when there is none."""
    import lxml.etree
    import lxml.html
    import trafilatura

    try:
        tree = lxml.html.document_fromstring(page)
    except (lxml.etree.ParserError, ValueError) as exc:
        raise HtmlError(f"cannot parse the HTML: {exc}") from None
    for element in list(tree.iter(*_FURNITURE)):
        if element.getparent() is not None:
            element.drop_tree()
    for element in tree.xpath('//*[@role="navigation" or @role="banner" or @role="contentinfo"]'):
        if element.getparent() is not None:
            element.drop_tree()
    captions = _captions_in_place(tree)
    xml = trafilatura.extract(
        lxml.html.tostring(tree, encoding="unicode"),
        output_format="xml",
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        include_images=False,
        include_links=False,
        favor_recall=True,
        # Dates come from the page's metadata, never guessed from a copyright line.
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    if not xml:
        raise HtmlError("no article text found in the page (only navigation, scripts or page furniture)")
    doc = lxml.etree.fromstring(xml.encode("utf-8"))
    main = doc.find("main")
    blocks = []
    if main is not None:
        for node in main.iter():
            if node.tag in _BLOCKS:
                text = _clean("".join(node.itertext()))
                if text and (not blocks or blocks[-1] != text or node.tag != "head"):
                    blocks.append(text)
    title = _clean(doc.get("title") or "")
    if blocks and title and blocks[0] == title:
        blocks = blocks[1:]  # the title is passed on separately
    if not blocks:
        raise HtmlError("no article text found in the page (only navigation, scripts or page furniture)")
    language = (tree.get("lang") or "").strip()
    author = _clean(doc.get("author") or "")
    return HtmlArticle(
        blocks=blocks,
        title=title,
        byline=f"By {author}" if author else "",
        published_at=doc.get("date") or "",
        url=doc.get("url") or "",
        language=language,
        captions=[c for c in captions if c in blocks],
    )
