"""The text pipeline: raw body -> normalized paragraphs with roles, spam and quotes.

Pure Python, deterministic, no database: the store (``corpus.services``) persists
what this returns.
"""

from __future__ import annotations

from .normalize import join_paragraphs, normalize_block, split_blocks
from .types import ParagraphSpec, ProcessedArticle, SpeakerDirectory

PIPELINE_VERSION = "1"


def process(
    body: str,
    *,
    title: str | None = None,
    language: str = "en",
    directory: SpeakerDirectory | None = None,
) -> ProcessedArticle:
    """Run the pipeline over one article.

    ``body`` is the raw text (blocks separated by line breaks). ``title``, when
    the input carries one separately (JSON), becomes the first paragraph.
    """
    blocks = split_blocks(body)
    given_title = normalize_block(title) if title else ""
    if given_title:
        blocks = [given_title, *blocks]
    paragraphs: list[ParagraphSpec] = []
    offset = 0
    for position, block in enumerate(blocks):
        if position == 0:
            role, rule = "title", ("given-title" if given_title else "first-block")
        else:
            role, rule = "body", "default-body"
        paragraphs.append(ParagraphSpec(position, role, rule, offset, offset + len(block)))
        offset += len(block) + 2
    text = join_paragraphs(blocks)
    return ProcessedArticle(
        text=text,
        title=blocks[0] if blocks else "",
        paragraphs=paragraphs,
        pipeline_version=PIPELINE_VERSION,
    )
