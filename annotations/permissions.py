"""Object rules on top of the role permissions (config.permissions.RolePermission)."""

from __future__ import annotations

from rest_framework.permissions import SAFE_METHODS, BasePermission

REVIEW_ACTIONS = ("publish", "send_back")


class OwnAnnotation(BasePermission):
    """Editors change and delete their own annotations; superusers any."""

    message = "You can change or delete only your own annotations."

    def has_object_permission(self, request, view, obj) -> bool:
        if request.method in SAFE_METHODS:
            return True
        return request.user.is_superuser or obj.author_id == request.user.pk


class OwnClaim(BasePermission):
    """Editors change and withdraw the claims they marked; superusers any."""

    message = "You can change or withdraw only the claims you marked."

    def has_object_permission(self, request, view, obj) -> bool:
        if request.method in SAFE_METHODS:
            return True
        return request.user.is_superuser or obj.created_by_id == request.user.pk


class FactCheckRules(BasePermission):
    """The author edits and submits a fact-check; a second person (a fact-checker) reviews it."""

    def has_object_permission(self, request, view, obj) -> bool:
        if request.method in SAFE_METHODS:
            return True
        if getattr(view, "action", None) in REVIEW_ACTIONS:
            self.message = "A fact-check needs a second person: its author cannot review it."
            return obj.author_id != request.user.pk
        self.message = "Only the author of a fact-check changes or submits it."
        return request.user.is_superuser or obj.author_id == request.user.pk
