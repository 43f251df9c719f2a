"""Links are http or https, and nothing else.

A URL the app stores ends up as a link somewhere (the public fact-check page, the admin), on the app's
own origin: a ``javascript:`` or ``data:`` one would run script or show forged content on a reader's
click. So every URL is checked where it is stored (ingest, fact-check evidence, source homepages,
imports), and pages link only what passes the same check, so that anything stored before the check
existed shows as plain text.
"""

from __future__ import annotations

import unicodedata
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError

WEB_SCHEMES = ("http", "https")


def is_web_url(value: object) -> bool:
    """An absolute http(s) URL with a host, written plainly: no whitespace or control characters
    anywhere (browsers drop some of those, so ``java\\tscript:`` would still be ``javascript:``)."""
    if not isinstance(value, str) or not value:
        return False
    if any(ch.isspace() or unicodedata.category(ch) in ("Cc", "Cf") for ch in value):
        return False
    try:
        parts = urlsplit(value)
    except ValueError:  # a malformed IPv6 host, say
        return False
    scheme = parts.scheme.lower()
    return (
        scheme in WEB_SCHEMES and value[: len(scheme) + 3].lower() == f"{scheme}://" and bool(parts.hostname)
    )


def web_url_problem(value: object) -> str | None:
    """Why ``value`` is not a URL the app stores, in words for the person who sent it; None if it is."""
    if is_web_url(value):
        return None
    shown = repr(value) if len(str(value)) <= 80 else repr(str(value)[:77] + "...")
    return f"{shown} is not an http:// or https:// URL (only those are stored and linked)"


def validate_web_url(value: object) -> None:
    """A model and form field validator."""
    problem = web_url_problem(value)
    if problem is not None:
        raise ValidationError(problem, code="invalid_url")
