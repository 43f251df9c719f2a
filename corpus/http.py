"""The corpus's errors as API answers (named in ``API_ERROR_HANDLERS``): a reader's error is a 400 keyed
by the field it names, a stale version a 412."""

from __future__ import annotations

from rest_framework import exceptions

from api.http import PreconditionFailed, message_detail

from .ingest.readers import IngestError
from .versioning import StaleVersion


def api_error(exc: Exception) -> exceptions.APIException | None:
    if isinstance(exc, IngestError):
        return exceptions.ValidationError(message_detail(exc))
    if isinstance(exc, StaleVersion):
        return PreconditionFailed(str(exc))
    return None
