"""Who may call what: reads are open (the selectors decide what each reader sees), writes need the
Django model permission the role groups grant. Object rules (own annotations, second-person review)
live next to their models' views."""

from __future__ import annotations

from functools import cache

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection, connections, router
from django.utils.functional import SimpleLazyObject
from rest_framework.permissions import SAFE_METHODS, BasePermission

_CODENAMES = {"POST": "add", "PUT": "change", "PATCH": "change", "DELETE": "delete"}


def model_perm(model, action: str) -> str:
    return f"{model._meta.app_label}.{action}_{model._meta.model_name}"


def permissions_in_one_query(user) -> None:
    """Let the user's permission checks of this request cost one query, made at the first check.

    Django's ModelBackend reads a user's own permissions and those of their groups in two ORM queries,
    then keeps the union on the user object (``_perm_cache``), which lives as long as the request.
    The union is put there beforehand, as a set read on first use with one prepared query; a request
    that checks nothing reads nothing. Inactive users have no permissions whatever the cache says, and
    active superusers pass every check before it is read, as with the backend itself.
    """
    if not (user and user.is_authenticated and user.is_active) or hasattr(user, "_perm_cache"):
        return

    def load() -> set[str]:
        if user.is_superuser:
            rows = Permission.objects.values_list("content_type__app_label", "codename")
        else:
            with connections[router.db_for_read(Permission, instance=user)].cursor() as cursor:
                cursor.execute(_permissions_sql(), [user.pk, user.pk])
                rows = cursor.fetchall()
        return {f"{app_label}.{codename}" for app_label, codename in rows}

    user._perm_cache = SimpleLazyObject(load)


@cache
def _permissions_sql() -> str:
    """The user's own and their groups' permissions, as (app label, codename) rows."""
    user_model = get_user_model()

    def table(model) -> str:
        return connection.ops.quote_name(model._meta.db_table)

    def column(model, name: str) -> str:
        return connection.ops.quote_name(model._meta.get_field(name).column)

    own = user_model.user_permissions.field
    member = user_model.groups.field
    granted = Group.permissions.field
    own_through, member_through, granted_through = (
        own.remote_field.through,
        member.remote_field.through,
        granted.remote_field.through,
    )
    return (
        f"SELECT ct.{column(ContentType, 'app_label')}, p.{column(Permission, 'codename')} "
        f"FROM {table(Permission)} p JOIN {table(ContentType)} ct "
        f"ON ct.{column(ContentType, 'id')} = p.{column(Permission, 'content_type')} "
        f"WHERE p.{column(Permission, 'id')} IN ("
        f"SELECT {column(own_through, own.m2m_reverse_field_name())} FROM {table(own_through)} "
        f"WHERE {column(own_through, own.m2m_field_name())} = %s "
        f"UNION SELECT g.{column(granted_through, granted.m2m_reverse_field_name())} "
        f"FROM {table(granted_through)} g JOIN {table(member_through)} m "
        f"ON m.{column(member_through, member.m2m_reverse_field_name())} = "
        f"g.{column(granted_through, granted.m2m_field_name())} "
        f"WHERE m.{column(member_through, member.m2m_field_name())} = %s)"
    )


class RolePermission(BasePermission):
    """Safe methods for everyone; other methods need a signed-in user with the model permission.

    A view names the permissions of an extra action in ``action_permissions`` (action name to a list
    of permission strings); otherwise the method picks add/change/delete on the view's model.
    """

    def has_permission(self, request, view) -> bool:
        permissions_in_one_query(request.user)
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
