"""Every write to tags, annotations, claims and fact-checks goes through these functions.

Each takes the acting user (``user``; on the create functions, the ``author`` / ``created_by`` it
records) and asks ``access`` whether that user may, before anything is written: the admin, the API,
the annotate screen and the commands all come through here, so a rule holds whichever door is used.

One module per job: ``tags`` (the vocabulary), ``annotations`` (with the ingestion and revision hooks),
``claims``, ``fact_checks`` (and their workflow), ``checkworthy`` (suggestions and dismissals). Callers
import from this package.
"""

from ..access import REVIEW_PERMISSION
from .annotations import (
    SPAM_TAG,
    annotation_create,
    annotation_delete,
    annotation_update,
    annotations_bulk_tag,
    annotations_reanchor,
    spam_annotations_create,
)
from .checkworthy import checkworthy_dismiss, checkworthy_suggestions
from .claims import claim_create, claim_delete, claim_update
from .fact_checks import (
    evidence_clean,
    factcheck_create,
    factcheck_delete,
    factcheck_publish,
    factcheck_send_back,
    factcheck_submit,
    factcheck_update,
    factcheck_withdraw,
)
from .tags import tag_delete, tag_merge, tag_save, tag_vocabulary_load

__all__ = [
    "REVIEW_PERMISSION",
    "SPAM_TAG",
    "annotation_create",
    "annotation_delete",
    "annotation_update",
    "annotations_bulk_tag",
    "annotations_reanchor",
    "checkworthy_dismiss",
    "checkworthy_suggestions",
    "claim_create",
    "claim_delete",
    "claim_update",
    "evidence_clean",
    "factcheck_create",
    "factcheck_delete",
    "factcheck_publish",
    "factcheck_send_back",
    "factcheck_submit",
    "factcheck_update",
    "factcheck_withdraw",
    "spam_annotations_create",
    "tag_delete",
    "tag_merge",
    "tag_save",
    "tag_vocabulary_load",
]
