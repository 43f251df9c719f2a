"""Optimistic concurrency: every writable row carries a ``version``.

An update names the version it was based on; the check and the write are one
conditional ``UPDATE ... WHERE id = %s AND version = %s`` that also bumps the
version, so two writers can never silently overwrite each other.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.db import models
from django.db.models import F

M = TypeVar("M", bound=models.Model)


class NotGiven:
    """The type of ``NOT_GIVEN``."""

    def __repr__(self) -> str:
        return "NOT_GIVEN"


# The default of an update's keyword argument that the caller left out, where None means "clear it".
NOT_GIVEN = NotGiven()


class StaleVersion(Exception):
    """The row changed since the caller read it (or is gone)."""

    def __init__(self, *, model: type[models.Model], pk: Any, expected: int, current: int | None):
        self.model = model
        self.pk = pk
        self.expected = expected
        self.current = current
        name = model._meta.verbose_name
        if current is None:
            message = f"{name} {pk} no longer exists."
        else:
            message = (
                f"{name} {pk} was changed by someone else: you edited version {expected}, "
                f"it is now at version {current}. Reload it and apply your change again."
            )
        super().__init__(message)


def versioned_update(
    instance: M, *, expected_version: int, fields: dict[str, Any], user=None, change_reason: str = ""
) -> M:
    """Write ``fields`` to ``instance`` only if its stored version is ``expected_version``.

    Callers validate first (``full_clean``) and run inside a transaction. On
    success the instance carries the new values and version; on a stale version
    nothing is written and ``StaleVersion`` is raised.
    """
    model = type(instance)
    values = dict(fields)
    if "updated_at" in {f.name for f in model._meta.concrete_fields} and "updated_at" not in values:
        from django.utils import timezone

        values["updated_at"] = timezone.now()
    updated = model._default_manager.filter(pk=instance.pk, version=expected_version).update(
        version=F("version") + 1, **values
    )
    if updated != 1:
        current = model._default_manager.filter(pk=instance.pk).values_list("version", flat=True).first()
        raise StaleVersion(model=model, pk=instance.pk, expected=expected_version, current=current)
    for name, value in values.items():
        setattr(instance, name, value)
    instance.version = expected_version + 1
    _record_history(instance, user=user, change_reason=change_reason)
    return instance


def versioned_delete(instance: models.Model, *, expected_version: int) -> None:
    """Delete ``instance`` only if its stored version is ``expected_version``; ``StaleVersion`` otherwise.

    ``QuerySet.delete()`` reads the rows before deleting them by id, so the version test alone could pass on
    a row that a concurrent edit is about to commit. The row is locked under the version condition first:
    PostgreSQL re-checks the condition once the edit commits. Callers run inside a transaction.
    """
    model = type(instance)
    rows = model._default_manager.filter(pk=instance.pk, version=expected_version)
    deleted = 0
    if rows.select_for_update().exists():
        deleted, _ = rows.delete()
    if not deleted:
        current = model._default_manager.filter(pk=instance.pk).values_list("version", flat=True).first()
        raise StaleVersion(model=model, pk=instance.pk, expected=expected_version, current=current)


def _record_history(instance: models.Model, *, user, change_reason: str = "") -> None:
    """A conditional UPDATE sends no signals, so models with history get their record here."""
    model = type(instance)._meta.concrete_model  # a proxy (a review queue) records on its model
    if not hasattr(model._meta, "simple_history_manager_attribute"):
        return
    from simple_history.models import HistoricalRecords
    from simple_history.utils import get_history_manager_for_model

    if user is None:
        request = getattr(HistoricalRecords.context, "request", None)
        user = getattr(request, "user", None)
    if user is not None and not user.is_authenticated:
        user = None
    fresh = model._default_manager.get(pk=instance.pk)
    get_history_manager_for_model(model).bulk_history_create(
        [fresh], update=True, default_user=user, default_change_reason=change_reason[:100]
    )
