"""Annotations' admin pages, and the queue of the annotations a new revision left without a place."""

from __future__ import annotations

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils.html import format_html

from corpus.admin.actions import apply_each
from corpus.admin.history import HistoryAdmin
from corpus.admin.versioned import VersionedAdminMixin, VersionedForm
from corpus.models import Anchor
from corpus.spans import span_validate

from .. import access, services
from ..models import (
    Annotation,
    AnnotationStatus,
    AnnotationTarget,
    OrphanedAnnotation,
)
from .base import ConcretePermissionsMixin, MineFilter, ServiceAdminMixin


class AnnotationAdminForm(VersionedForm):
    """Checks the span against the article's text before anything is saved, with the field named."""

    class Meta:
        model = Annotation
        fields = "__all__"

    def clean(self):
        cleaned = super().clean()
        article = cleaned.get("article") or (self.instance.article if self.instance.pk else None)
        if article is not None and cleaned.get("target") == AnnotationTarget.SPAN:
            try:
                cleaned["exact"] = span_validate(
                    text=article.text,
                    start=cleaned.get("start"),
                    end=cleaned.get("end"),
                    exact=cleaned.get("exact"),
                )
            except ValidationError as exc:
                for field, messages in exc.message_dict.items():
                    self.add_error(field if field in self.fields else None, messages)
        return cleaned


@admin.register(Annotation)
class AnnotationAdmin(ServiceAdminMixin, VersionedAdminMixin, HistoryAdmin):
    form = AnnotationAdminForm
    list_display = [
        "__str__",
        "target",
        "exact_excerpt",
        "tag_list",
        "status",
        "origin",
        "anchor",
        "author",
        "updated_at",
    ]
    list_filter = ["status", "origin", "target", "anchor", MineFilter, "tags"]
    search_fields = ["exact", "note", "article__title", "author__username"]
    list_select_related = ["author", "article"]
    autocomplete_fields = ["tags"]
    raw_id_fields = ["article", "paragraph", "quote"]
    readonly_fields = [
        "origin",
        "rule",
        "author",
        "project",
        "curated",
        "anchor",
        "anchor_score",
        "created_at",
        "updated_at",
        "version",
        "prefix",
        "suffix",
    ]
    actions = ["publish_selected", "reject_selected", "delete_selected"]

    def get_queryset(self, request):
        # Another annotator's hidden layer is not in the changelist, the change page, the autocomplete
        # or the history (which reads this queryset first).
        return (
            super()
            .get_queryset(request)
            .filter(access.annotation_layer_visibility(request.user))
            .defer("article__raw_text", "article__text")
            .prefetch_related("tags")
        )

    def get_history_queryset(self, request, history_manager, pk_name: str, object_id):
        # Deleted annotations too: their history rows carry the same project, author and article.
        return (
            super()
            .get_history_queryset(request, history_manager, pk_name, object_id)
            .filter(access.annotation_layer_visibility(request.user))
        )

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        visible = self.get_history_queryset(
            request, self.model.history, self.model._meta.pk.attname, object_id
        )
        if not visible.filter(history_id=version_id).exists():
            raise Http404("No such version.")
        return super().history_form_view(request, object_id, version_id, extra_context)

    def get_readonly_fields(self, request, obj=None):
        # An annotation stays on the article it was made on.
        return [*self.readonly_fields, "article"] if obj else self.readonly_fields

    # What to offer: the services decide again on every write. Checked against Annotation's
    # permissions, so the orphan queue (a proxy) follows the same rule.
    def has_change_permission(self, request, obj=None):
        if obj is None:
            return request.user.has_perm("annotations.change_annotation")
        return access.can_annotation_change(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is None:
            return request.user.has_perm("annotations.delete_annotation")
        return access.can_annotation_delete(request.user, obj)

    def delete_with_service(self, request, obj) -> None:
        services.annotation_delete(annotation=obj, expected_version=obj.version, user=request.user)

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        values = {
            "target": data["target"],
            "start": data.get("start"),
            "end": data.get("end"),
            "exact": data.get("exact"),
            "paragraph": data.get("paragraph"),
            "quote": data.get("quote"),
            "tags": list(data.get("tags", [])),
            "note": data.get("note", ""),
            "status": data["status"],
        }
        if change:
            saved = self._refusing(
                lambda: services.annotation_update(
                    annotation=Annotation.objects.get(pk=obj.pk),
                    expected_version=data["expected_version"],
                    user=request.user,
                    **values,
                )
            )
        else:
            saved = self._refusing(
                lambda: services.annotation_create(article=data["article"], author=request.user, **values)
            )
        # The admin logs and redirects with the object it passed in.
        obj.__dict__.update({k: v for k, v in saved.__dict__.items() if not k.startswith("_")})
        obj.pk = saved.pk

    @admin.action(description="Publish selected annotations", permissions=["change"])
    def publish_selected(self, request, queryset):
        self._set_status(request, queryset, AnnotationStatus.PUBLISHED)

    @admin.action(description="Reject selected annotations", permissions=["change"])
    def reject_selected(self, request, queryset):
        self._set_status(request, queryset, AnnotationStatus.REJECTED)

    def _set_status(self, request, queryset, status: str) -> None:
        apply_each(
            self,
            request,
            queryset,
            lambda annotation: services.annotation_update(
                annotation=annotation, expected_version=annotation.version, user=request.user, status=status
            ),
            done=f"{{count}} annotation(s) now {status}.",
            refused_as="left as it is",
        )

    @admin.display(description="exact")
    def exact_excerpt(self, obj: Annotation) -> str:
        return obj.exact[:80]

    @admin.display(description="tags")
    def tag_list(self, obj: Annotation) -> str:
        return ", ".join(sorted(t.slug for t in obj.tags.all()))


@admin.register(OrphanedAnnotation)
class OrphanedAnnotationAdmin(ConcretePermissionsMixin, AnnotationAdmin):
    """The queue of annotations a new revision left without a place, oldest first. Give one its place
    again by entering the new offsets (the span's words are shown); saving makes it an ordinary annotation."""

    list_display = ["orphan", "exact_excerpt", "note", "author", "article_link", "updated_at"]
    list_display_links = ["orphan"]
    list_filter = ["status", "target"]
    ordering = ["updated_at", "id"]
    actions = []

    def get_queryset(self, request):
        return super().get_queryset(request).filter(anchor=Anchor.ORPHANED)

    def has_add_permission(self, request):
        return False

    @admin.display(description="annotation", ordering="id")
    def orphan(self, obj: Annotation) -> str:
        return f"Annotation {obj.pk} (was on a {obj.target})"

    @admin.display(description="article", ordering="article__title")
    def article_link(self, obj: Annotation) -> str:
        # To the annotate screen, where the orphan is placed again.
        url = reverse("admin:corpus_article_annotate", args=[obj.article_id])
        return format_html('<a href="{}">{}</a>', url, obj.article)
