"""Every write to the corpus goes through these functions.

The admin, the API and the management commands call them, so a rule holds
whichever door the data comes through. One module per job: ``ingest`` (one article),
``batch`` (many, with bulk inserts), ``revisions``, ``reprocess``, ``corrections``,
``speakers``, ``inputs`` (articles sent as bytes); ``store`` holds the rows they share.
"""

from ..registry import speakers_clean_up, speakers_merge
from .batch import DEFAULT_BATCH_SIZE, batch_ingest
from .corrections import paragraph_set_role, quote_correct
from .ingest import IngestFailure, IngestResult, article_add, article_ingest
from .inputs import (
    UPLOAD_SUFFIXES,
    article_input_from_html,
    article_input_from_json,
    article_input_from_text,
    article_input_from_upload,
)
from .reprocess import ReprocessResult, article_reprocess, batch_reprocess
from .revisions import Revision, article_revise
from .speakers import speakers_register
from .store import source_get_or_create

__all__ = [
    "DEFAULT_BATCH_SIZE",
    "UPLOAD_SUFFIXES",
    "IngestFailure",
    "IngestResult",
    "ReprocessResult",
    "Revision",
    "article_add",
    "article_ingest",
    "article_input_from_html",
    "article_input_from_json",
    "article_input_from_text",
    "article_input_from_upload",
    "article_reprocess",
    "article_revise",
    "batch_ingest",
    "batch_reprocess",
    "paragraph_set_role",
    "quote_correct",
    "source_get_or_create",
    "speakers_clean_up",
    "speakers_merge",
    "speakers_register",
]
