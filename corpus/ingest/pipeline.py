"""The text pipeline: raw body -> normalized paragraphs with roles, spam and quotes.

Pure Python, deterministic, no database: the store (``corpus.services``) persists
what this returns. Stages: normalize -> roles -> spam -> quotes and speakers.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
from collections.abc import Collection

from .normalize import PARAGRAPH_SEPARATOR, join_paragraphs, normalize_block, split_blocks
from .quotes import QuoteExtractor
from .roles import BODY, BYLINE, CAPTION, STANDFIRST, TITLE, assign_roles
from .spam import find_spam, spam_hints
from .speakers import ArticleSpeakers, collect_names
from .types import ParagraphSpec, ProcessedArticle, QuoteSpec, SpeakerDirectory

PIPELINE_VERSION = "2"


def process(
    body: str,
    *,
    title: str | None = None,
    language: str = "en",
    directory: SpeakerDirectory | None = None,
    captions: Collection[str] = (),
) -> ProcessedArticle:
    """Run the pipeline over one article.

    ``body`` is the raw text (blocks separated by line breaks). ``title``, when
    the input carries one separately (JSON), becomes the first paragraph.
    ``directory`` holds the speakers known from other articles and the alias list.
    ``captions`` are blocks the input itself marks as figure captions.
    """
    blocks = split_blocks(body)
    given_title = normalize_block(title) if title else ""
    if given_title:
        blocks = [given_title, *blocks]
    text = join_paragraphs(blocks)
    # One look at the whole text tells whether any block can hold a spam word or link at all.
    hints = spam_hints(text)
    roles = assign_roles(blocks, given_title=bool(given_title), spam_possible=any(hints))
    if captions:
        # The page marked these as figure captions (HTML <figcaption>): that outranks any text rule.
        known = {normalize_block(c) for c in captions}
        roles = [
            (CAPTION, "html-figcaption") if b in known else r for b, r in zip(blocks, roles, strict=True)
        ]
    paragraphs: list[ParagraphSpec] = []
    offset = 0
    for position, (block, (role, rule)) in enumerate(zip(blocks, roles, strict=True)):
        paragraphs.append(ParagraphSpec(position, role, rule, offset, offset + len(block)))
        offset += len(block) + len(PARAGRAPH_SEPARATOR)

    prose = [blocks[p.position] for p in paragraphs if p.role in (TITLE, STANDFIRST, BODY)]
    speakers = ArticleSpeakers(directory, *collect_names(prose), texts=prose)
    found = QuoteExtractor(text, paragraphs, speakers).run()
    index = {id(f): n for n, f in enumerate(found)}
    refs = [entity.ref() for entity in speakers.entities]
    quotes = [
        QuoteSpec(
            kind=f.kind,
            start=f.start,
            end=f.end,
            paragraph=f.paragraph,
            speaker=refs[f.speaker] if f.speaker is not None else None,
            speaker_mention=f.mention,
            cue=f.cue,
            via=refs[f.via] if f.via is not None else None,
            continues=index.get(id(f.continues)) if f.continues is not None else None,
            confidence=f.confidence,
            rule=f.rule,
        )
        for f in found
    ]

    def first_text(role: str) -> str:
        return next((blocks[p.position] for p in paragraphs if p.role == role), "")

    return ProcessedArticle(
        text=text,
        title=first_text(TITLE),
        standfirst=first_text(STANDFIRST),
        byline=first_text(BYLINE),
        paragraphs=paragraphs,
        quotes=quotes,
        spam=find_spam(text, language=language, hints=hints),
        pipeline_version=PIPELINE_VERSION,
    )


# --- Running the pipeline in worker processes ------------------------------------------------------------

# The speaker directory of the run, installed once per worker process (``start_worker``) rather than sent
# with every article.
_worker_directory: SpeakerDirectory | None = None

# What a worker needs of one article: body, title, language, captions.
Job = tuple[str, str | None, str, tuple[str, ...]]


def start_worker(directory: SpeakerDirectory | None, parent_pid: int | None = None) -> None:
    global _worker_directory
    _worker_directory = directory
    if parent_pid is not None:
        die_with_parent(parent_pid)


# prctl(2): ask the kernel for a signal when the parent ends.
_PR_SET_PDEATHSIG = 1
PARENT_POLL_SECONDS = 1.0


def die_with_parent(parent_pid: int) -> None:
    """End this worker when the process that started the pool ends, even by SIGKILL (which leaves the
    parent no chance to stop its pool): a worker left behind would hold memory and a core for nothing.

    On Linux the kernel sends SIGKILL when the parent goes (``PR_SET_PDEATHSIG``); everywhere, and in case
    the parent went before that was asked, a daemon thread checks every second that the parent is there."""
    start_parent = os.getppid()
    if sys.platform.startswith("linux"):
        import ctypes

        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):
            pass  # the thread below still watches
    if _parent_gone(parent_pid, start_parent):
        os._exit(1)
    threading.Thread(
        target=_watch_parent, args=(parent_pid, start_parent), name="parent-watch", daemon=True
    ).start()


def _parent_gone(parent_pid: int, start_parent: int) -> bool:
    # A worker is adopted by another process when its parent ends; the parent may also be a fork server
    # started by ``parent_pid``, which ends with it.
    if os.getppid() != start_parent:
        return True
    try:
        os.kill(parent_pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        pass  # it exists
    return False


def _watch_parent(parent_pid: int, start_parent: int) -> None:
    while not _parent_gone(parent_pid, start_parent):
        time.sleep(PARENT_POLL_SECONDS)
    os._exit(1)


def process_jobs(jobs: list[Job]) -> list[ProcessedArticle]:
    """The pipeline over several articles in a worker process (see ``start_worker``)."""
    return [
        process(body, title=title, language=language, directory=_worker_directory, captions=captions)
        for body, title, language, captions in jobs
    ]
