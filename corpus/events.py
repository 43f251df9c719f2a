"""Events: what apps built on the corpus (webhooks) hear about, once the change is committed.

A write service names what happened and to which rows (``event_send(name="article.ingested",
ids=[...])``) inside its transaction. Each function named in the ``EVENT_HOOKS`` setting is called with
them after the transaction commits (``transaction.on_commit``), so a change that is rolled back tells no
one, and the corpus never imports the apps that listen. A listener that fails is logged and does not
undo or fail the change (``robust``): the change has been committed already.

Events carry ids rather than objects: a listener reads what it needs, once, for the whole list (an
ingest batch sends one event for all of its articles). What no longer exists at the commit (a deletion)
or was never a row (an import's counts) travels as ``data`` instead, written by the service that did it:
one dict per object, read nowhere else.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from functools import partial

from django.conf import settings
from django.db import transaction
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


def _event_hooks() -> tuple[Callable[..., None], ...]:
    # Read on each call (import_string is a dictionary look-up once imported), so that a test or a
    # deployment changing the setting is heard.
    return tuple(import_string(path) for path in getattr(settings, "EVENT_HOOKS", ()))


def event_send(*, name: str, ids: Iterable[int] = (), data: Iterable[dict] | None = None) -> None:
    """Call every ``EVENT_HOOKS`` function with ``event=name, ids=[...]`` (and ``data=[...]`` when given)
    after the current transaction commits (at once outside a transaction)."""
    ids = list(ids)
    extra = {} if data is None else {"data": list(data)}
    if not ids and not extra.get("data"):
        return
    for hook in _event_hooks():
        transaction.on_commit(partial(hook, event=name, ids=ids, **extra), robust=True)
