"""What the annotations app's admin pages share: writes through the services, with their refusals
shown; proxy queues that answer to their model's permissions; a "mine" filter."""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.admin.actions import delete_selected as confirm_delete_selected
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.urls import reverse

from corpus.admin.actions import apply_each, refusal_text
from corpus.versioning import StaleVersion


class ConcretePermissionsMixin:
    """A queue over a proxy model answers to the permissions of the model it shows, so the roles' groups
    need nothing more."""

    def _concrete_perm(self, request, action: str) -> bool:
        opts = self.model._meta.concrete_model._meta
        return request.user.has_perm(f"{opts.app_label}.{action}_{opts.model_name}")

    def has_view_permission(self, request, obj=None):
        return self._concrete_perm(request, "view") or self._concrete_perm(request, "change")

    def has_module_permission(self, request):
        return self._concrete_perm(request, "view")

    # A proxy keeps no history of its own: the record's history is on its model's pages.
    def history_view(self, request, object_id, extra_context=None):
        return HttpResponseRedirect(self._concrete_url("history", object_id))

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        return HttpResponseRedirect(self._concrete_url("simple_history", object_id, version_id))

    def _concrete_url(self, view: str, *args) -> str:
        opts = self.model._meta.concrete_model._meta
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=args)


class ServiceRefused(Exception):
    """A service refused an admin save or delete: nothing was written; the reason goes to the user."""

    def __init__(self, error: ValidationError | StaleVersion):
        self.error = error
        super().__init__(refusal_text(error))


class RefusalShownMixin:
    """A change form whose save a service refuses (``ServiceRefused``) is rolled back and shown again
    with the reason."""

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ServiceRefused as refused:
            self.message_user(request, f"Not saved: {refused}", messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())


class ServiceAdminMixin(RefusalShownMixin):
    """Writes go through named services only, each deciding who may: no generic save or delete.

    A change form the service refuses is rolled back and shown again with the reason; deletes, single
    or selected, go object by object through ``delete_with_service`` and report what was refused.
    """

    def delete_with_service(self, request, obj) -> None:
        raise NotImplementedError

    def delete_view(self, request, object_id, extra_context=None):
        try:
            return super().delete_view(request, object_id, extra_context)
        except ServiceRefused as refused:
            self.message_user(request, f"Not deleted: {refused}", messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def _refusing(self, call):
        try:
            return call()
        except (ValidationError, StaleVersion) as exc:
            raise ServiceRefused(exc) from None

    def delete_model(self, request, obj):
        self._refusing(lambda: self.delete_with_service(request, obj))

    def delete_queryset(self, request, queryset):
        apply_each(
            self,
            request,
            list(queryset),
            lambda obj: self.delete_with_service(request, obj),
            done="{count} deleted.",
            refused_as="not deleted",
        )

    @admin.action(description="Delete selected", permissions=["delete"])
    def delete_selected(self, request, queryset):
        """Django's confirmation page, then each object through the service (whose refusals are
        reported), instead of one queryset delete."""
        if not request.POST.get("post"):
            return confirm_delete_selected(self, request, queryset)
        self.delete_queryset(request, queryset)
        return None


class MineFilter(admin.SimpleListFilter):
    """Each editor's own work: "mine" lists what the signed-in user wrote."""

    title = "author"
    parameter_name = "mine"
    author_field = "author"

    def lookups(self, request, model_admin):
        return [("1", "mine")]

    def queryset(self, request, queryset):
        if self.value() == "1":
            return queryset.filter(**{self.author_field: request.user})
        return queryset
