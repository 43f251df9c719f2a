"""Who manages webhooks: administrators (active superusers) and holders of ``webhooks.manage_webhooks``.

A webhook sends drafts and reviews to another system and its log shows what was sent, so neither the
Editor nor the Fact-checker role holds it; the plain model permissions (view, add, change) are not
enough on their own. The services ask ``access_webhooks_manage``; the admin asks ``can_webhooks_manage``
to decide what to show.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

MANAGE_PERMISSION = "webhooks.manage_webhooks"


def can_webhooks_manage(user) -> bool:
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or user.has_perm(MANAGE_PERMISSION)


def access_webhooks_manage(user) -> None:
    if not can_webhooks_manage(user):
        raise PermissionDenied("Webhooks are managed by administrators only.")
