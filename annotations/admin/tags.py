"""The vocabulary's admin: tags, with their annotation counts, and merging tags into one."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count

from corpus.admin.actions import action_form_page, refusal_text

from .. import services
from ..models import (
    Tag,
)
from .base import ServiceAdminMixin


class MergeForm(forms.Form):
    target = forms.ModelChoiceField(queryset=Tag.objects.order_by("slug"), help_text="The tag that stays.")


@admin.register(Tag)
class TagAdmin(ServiceAdminMixin, admin.ModelAdmin):
    actions = ["merge_selected", "delete_selected"]
    list_display = ["name", "slug", "parent", "colour", "annotation_count"]
    list_filter = ["parent"]
    search_fields = ["name", "slug", "description"]
    list_select_related = ["parent"]
    autocomplete_fields = ["parent"]
    prepopulated_fields = {"slug": ["name"]}
    ordering = ["slug"]  # the autocomplete pages through tags too: in a stable order

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(annotation_count=Count("annotations"))

    @admin.display(description="annotations", ordering="annotation_count")
    def annotation_count(self, obj: Tag) -> int:
        return obj.annotation_count

    def save_model(self, request, obj, form, change):
        self._refusing(lambda: services.tag_save(tag=obj, user=request.user))

    def delete_with_service(self, request, obj) -> None:
        services.tag_delete(tag=obj, user=request.user)

    def has_delete_permission(self, request, obj=None):
        # A tag in use cannot be deleted by accident: merge it instead.
        if obj is not None and (obj.annotations.exists() or obj.children.exists()):
            return False
        return super().has_delete_permission(request, obj)

    @admin.action(description="Merge selected tags into another", permissions=["change"])
    def merge_selected(self, request, queryset):
        form = MergeForm(request.POST if "apply" in request.POST else None)
        if not form.is_valid():
            return action_form_page(
                self, request, queryset, form=form, title="Merge into one tag", action="merge_selected"
            )
        target = form.cleaned_data["target"]
        try:
            moved = services.tag_merge(sources=list(queryset), target=target, user=request.user)
        except (ValidationError, PermissionDenied) as exc:
            self.message_user(request, refusal_text(exc), messages.ERROR)
            return None
        self.message_user(
            request, f"Merged into {target.slug}: {moved} annotation(s) gained it.", messages.SUCCESS
        )
        return None
