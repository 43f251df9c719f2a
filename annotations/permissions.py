"""Object rules for the API, asked of ``annotations.access`` (the rules the services enforce) so that
a refusal is a 403 before the If-Match checks. The services decide again on every write."""

from __future__ import annotations

from rest_framework.permissions import SAFE_METHODS, BasePermission

from . import access

REVIEW_ACTIONS = ("publish", "send_back")


class OwnWork(BasePermission):
    """Editors change and delete their own annotations (machine ones are the reviewers') and change and
    withdraw the claims they marked."""

    # kind -> (may change, may delete, the refusal)
    RULES = {
        "annotation": (
            access.can_annotation_change,
            access.can_annotation_delete,
            "You can change or delete only your own annotations.",
        ),
        "claim": (
            access.can_claim_change,
            access.can_claim_change,
            "You can change or withdraw only the claims you marked.",
        ),
    }

    def has_object_permission(self, request, view, obj) -> bool:
        if request.method in SAFE_METHODS:
            return True
        may_change, may_delete, self.message = self.RULES[obj._meta.concrete_model._meta.model_name]
        return (may_delete if request.method == "DELETE" else may_change)(request.user, obj)


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
