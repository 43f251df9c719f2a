"""HTTP plumbing shared by the API of every app: ETags out, If-Match in, and errors a person can act on.

The version named by ``If-Match`` is handed to the services as ``expected_version``: the comparison
happens in the conditional UPDATE (or DELETE) itself, never in Python between a read and a write.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from django.utils.module_loading import import_string
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from .parsers import request_too_large

_ETAG = re.compile(r'^(?:W/)?"(\d+)-(\d+)"$')
_FIELD_IN_MESSAGE = re.compile(r"field '(\w+)'")


class PreconditionRequired(exceptions.APIException):
    status_code = status.HTTP_428_PRECONDITION_REQUIRED
    default_detail = "Send the ETag you read in an If-Match header."
    default_code = "precondition_required"


class PreconditionFailed(exceptions.APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = "The object changed since you read it; reload it and apply your change again."
    default_code = "precondition_failed"


def etag_for(instance: models.Model) -> str:
    """A strong ETag naming the object and its version, e.g. ``"42-3"``."""
    return f'"{instance.pk}-{instance.version}"'


def expected_version(request, instance: models.Model) -> int:
    """The version the client based its change on, from ``If-Match``.

    Only the object id in the ETag is checked here; whether the version is still current is decided by
    the conditional write. Weak ETags are accepted because proxies that compress responses weaken them.
    """
    header = (request.headers.get("If-Match") or "").strip()
    name = instance._meta.verbose_name
    if not header:
        raise PreconditionRequired(
            f"Changing {name} {instance.pk} needs an If-Match header with the ETag you read "
            f"(for example If-Match: {etag_for(instance)} for version {instance.version}), so that you "
            "cannot overwrite someone else's change without seeing it."
        )
    tags = [tag.strip() for tag in header.split(",")]
    if "*" in tags:
        raise PreconditionRequired(
            f"If-Match: * names no version of {name} {instance.pk}; send the ETag you read."
        )
    for tag in tags:
        match = _ETAG.match(tag)
        if match and int(match.group(1)) == instance.pk:
            return int(match.group(2))
    raise PreconditionFailed(
        f"If-Match {header} does not name a version of {name} {instance.pk}; "
        f'ETags of this API look like "{instance.pk}-<version>".'
    )


def validated(serializer_class, data, **kwargs) -> dict:
    """What the input serializer makes of ``data``, as a plain dict; invalid input is a 400 naming each field."""
    serializer = serializer_class(data=data, **kwargs)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def versioned_response(
    data: Any, instance: models.Model, *, status_code: int = 200, headers=None
) -> Response:
    return Response(data, status=status_code, headers={"ETag": etag_for(instance), **(headers or {})})


def validation_detail(error: DjangoValidationError) -> dict[str, list[str]]:
    """Django's message_dict in DRF's shape: errors by field, ``__all__`` as ``non_field_errors``."""
    if hasattr(error, "error_dict"):
        return {
            ("non_field_errors" if field == "__all__" else field): messages
            for field, messages in error.message_dict.items()
        }
    return {"non_field_errors": error.messages}


def message_detail(error: Exception) -> dict[str, list[str]]:
    """An error whose message names its field ("field 'text' is missing"), keyed by that field."""
    message = str(error)
    match = _FIELD_IN_MESSAGE.search(message)
    return {match.group(1) if match else "non_field_errors": [message]}


@cache
def _error_handlers() -> tuple[Callable[[Exception], Exception | None], ...]:
    """The apps' own errors become API errors here (``API_ERROR_HANDLERS``), without this app importing
    them: each handler returns the exception to answer with, or None when the error is not its own."""
    return tuple(import_string(path) for path in getattr(settings, "API_ERROR_HANDLERS", ()))


def exception_handler(exc: Exception, context: dict) -> Response | None:
    """Domain errors from the services become the HTTP answers the schema documents."""
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(validation_detail(exc))
    elif isinstance(exc, RequestDataTooBig):
        exc = request_too_large()
    else:
        for handler in _error_handlers():
            answer = handler(exc)
            if answer is not None:
                exc = answer
                break
    return drf_exception_handler(exc, context)
