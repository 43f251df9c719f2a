"""Object rules for the API, asked of ``annotations.access`` (the rules the services enforce) so that
a refusal is a 403 before the If-Match checks. The services decide again on every write."""

from __future__ import annotations

from rest_framework.permissions import SAFE_METHODS, BasePermission

from . import access

REVIEW_ACTIONS = ("publish", "send_back")


class OwnAnnotation(BasePermission):
    """Editors change and delete their own annotations; machine ones are the reviewers'."""

    message = "You can change or delete only your own annotations."

    def has_object_permission(self, request, view, obj) -> bool:
        if request.method in SAFE_METHODS:
            return True
        if request.method == "DELETE":
            return access.can_annotation_delete(request.user, obj)
        return access.can_annotation_change(request.user, obj)


class OwnClaim(BasePermission):
    """Editors change and withdraw the claims they marked."""

    message = "You can change or withdraw only the claims you marked."

    def has_object_permission(self, request, view, obj) -> bool:
        if request.method in SAFE_METHODS:
            return True
        return access.can_claim_change(request.user, obj)


class FactCheckRules(BasePermission):
    """The writers edit and submit a fact-check; a second person (a fact-checker) reviews it."""

    def has_object_permission(self, request, view, obj) -> bool:
        if request.method in SAFE_METHODS:
            return True
        action = getattr(view, "action", None)
        if action in REVIEW_ACTIONS:
            self.message = "A fact-check needs a second person: its author cannot review it."
            if action == "publish":
                return access.can_factcheck_review(request.user, obj)
            return obj.author_id != request.user.pk
        if action == "withdraw":
            self.message = "Only fact-checkers and administrators withdraw a published fact-check."
            return access.can_factcheck_withdraw(request.user, obj)
        if action == "submit":
            self.message = "Only the author of a fact-check (or a co-author) submits it."
            return access.can_factcheck_submit(request.user, obj)
        self.message = "Only the author of a fact-check changes it; a reviewer may while it is in review."
        return access.can_factcheck_change(request.user, obj)
