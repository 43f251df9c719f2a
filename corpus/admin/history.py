"""History in the admin is a record to read: who changed what, and when.

An old version is not restored by posting its form back. Such a save came in with the old version
number and was always refused as stale; and a restore that bypassed the version would bypass the
services' rules with it (review, ownership, frozen claims). To go back, an editor makes the change
again through the change form or the API, and the history records it like any other.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from simple_history.admin import SimpleHistoryAdmin
from simple_history.models import DeletedObject
from simple_history.template_utils import HistoricalRecordContextHelper

EMPTY = "(none)"


class _ContextHelper(HistoricalRecordContextHelper):
    def prepare_delta_change_value(self, change, value):
        # An empty foreign key (no reviewer yet) is no deleted object.
        if isinstance(value, DeletedObject) and value.pk is None:
            return EMPTY
        return super().prepare_delta_change_value(change, value)


class HistoryAdmin(SimpleHistoryAdmin):
    def revert_disabled(self, request, obj=None) -> bool:
        return True

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method not in ("GET", "HEAD"):
            raise PermissionDenied("An old version is read-only: make the change again to restore it.")
        return super().history_form_view(request, object_id, version_id, extra_context)

    def get_historical_record_context_helper(self, request, historical_record):
        return _ContextHelper(self.model, historical_record)
