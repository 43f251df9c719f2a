"""Speakers (merged into one another from their list) and their aliases."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError

from .. import registry, services
from ..models import (
    Speaker,
    SpeakerAlias,
)
from .actions import action_form_page
from .base import shorten
from .versioned import VersionedAdminMixin


class SpeakerMergeForm(forms.Form):
    target = forms.TypedChoiceField(
        coerce=int, label="Keep", help_text="The others move into this one and their names become aliases."
    )

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].choices = choices


class SpeakerAliasInline(admin.TabularInline):
    model = SpeakerAlias
    fields = ["phrase"]
    extra = 1


@admin.register(Speaker)
class SpeakerAdmin(VersionedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "kind", "description_excerpt", "article", "quote_count"]
    list_filter = ["kind"]
    search_fields = ["name", "aliases__phrase", "description"]
    list_select_related = ["article"]
    raw_id_fields = ["article"]
    readonly_fields = ["version", "created_at"]
    inlines = [SpeakerAliasInline]

    actions = ["merge_speakers"]

    def get_queryset(self, request):
        return super().get_queryset(request).with_counts()

    @admin.action(description="Merge the selected speakers into one", permissions=["merge"])
    def merge_speakers(self, request, queryset):
        """Pick which of the selected speakers stays; the others are folded into it."""
        choices = [(s.pk, f"{s.name} ({s.get_kind_display()}, {s.quote_count} quotes)") for s in queryset]
        form = SpeakerMergeForm(request.POST if "apply" in request.POST else None, choices=choices)
        if "apply" in request.POST and form.is_valid():
            target = next(s for s in queryset if s.pk == int(form.cleaned_data["target"]))
            sources = [s for s in queryset if s.pk != target.pk]
            try:
                services.speakers_merge(sources=sources, target=target, actor=request.user)
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)
                return None
            self.message_user(
                request, f"{len(sources)} speaker(s) merged into {target.name}.", messages.SUCCESS
            )
            return None
        return action_form_page(
            self, request, queryset, form=form, title="Merge speakers", action="merge_speakers"
        )

    def delete_model(self, request, obj):
        registry.speakers_delete(speakers=[obj])

    def delete_queryset(self, request, queryset):
        registry.speakers_delete(speakers=queryset)

    def has_merge_permission(self, request) -> bool:
        return registry.speaker_may_merge(request.user)

    @admin.display(description="description")
    def description_excerpt(self, obj: Speaker) -> str:
        return shorten(obj.description, 60)

    @admin.display(description="quotes", ordering="quote_count")
    def quote_count(self, obj: Speaker) -> int:
        return obj.quote_count


@admin.register(SpeakerAlias)
class SpeakerAliasAdmin(admin.ModelAdmin):
    list_display = ["phrase", "speaker"]
    search_fields = ["phrase", "speaker__name"]
    list_select_related = ["speaker"]
    autocomplete_fields = ["speaker"]
