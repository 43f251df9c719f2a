"""Who may call what: reads are open (the selectors decide what each reader sees), writes need the
Django model permission the role groups grant. Object rules (own annotations, second-person review)
live next to their models' views."""

from __future__ import annotations

from rest_framework.permissions import SAFE_METHODS, BasePermission

_CODENAMES = {"POST": "add", "PUT": "change", "PATCH": "change", "DELETE": "delete"}


def model_perm(model, action: str) -> str:
    return f"{model._meta.app_label}.{action}_{model._meta.model_name}"


class RolePermission(BasePermission):
    """Safe methods for everyone; other methods need a signed-in user with the model permission.

    A view names the permissions of an extra action in ``action_permissions`` (action name to a list
    of permission strings); otherwise the method picks add/change/delete on the view's model.
    """

    def has_permission(self, request, view) -> bool:
        if request.method in SAFE_METHODS:
            return True
        user = request.user
        if not (user and user.is_authenticated):
            return False
        return user.has_perms(self.required_permissions(request, view))

    @staticmethod
    def required_permissions(request, view) -> list[str]:
        action = getattr(view, "action", None)
        by_action = getattr(view, "action_permissions", {})
        if action in by_action:
            return list(by_action[action])
        model = getattr(view, "permission_model", None) or view.get_queryset().model
        return [model_perm(model, _CODENAMES.get(request.method, "change"))]
