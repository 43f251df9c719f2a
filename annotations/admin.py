from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Count, ProtectedError

from corpus.admin_versioning import VersionedAdminMixin, VersionedForm
from corpus.models import Anchor
from corpus.spans import span_validate
from corpus.versioning import StaleVersion

from . import services
from .models import (
    Annotation,
    AnnotationStatus,
    AnnotationTarget,
    Claim,
    FactCheck,
    OrphanedAnnotation,
    Tag,
)


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "parent", "colour", "annotation_count"]
    list_filter = ["parent"]
    search_fields = ["name", "slug", "description"]
    list_select_related = ["parent"]
    autocomplete_fields = ["parent"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(annotation_count=Count("annotations"))

    @admin.display(description="annotations", ordering="annotation_count")
    def annotation_count(self, obj: Tag) -> int:
        return obj.annotation_count

    def delete_model(self, request, obj):
        if obj.annotations.exists():
            raise ProtectedError(f"Tag {obj.slug!r} is in use; merge it into another tag instead.", {obj})
        super().delete_model(request, obj)


class AnnotationAdminForm(VersionedForm):
    """Checks the span against the article's text before anything is saved, with the field named."""

    class Meta:
        model = Annotation
        fields = "__all__"

    def clean(self):
        cleaned = super().clean()
        article = cleaned.get("article")
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
class AnnotationAdmin(VersionedAdminMixin, admin.ModelAdmin):
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
    list_filter = ["status", "origin", "target", "anchor", "tags"]
    search_fields = ["exact", "note", "article__title", "author__username"]
    list_select_related = ["author", "article"]
    autocomplete_fields = ["tags"]
    raw_id_fields = ["article", "paragraph", "quote"]
    readonly_fields = [
        "origin",
        "rule",
        "author",
        "anchor",
        "anchor_score",
        "created_at",
        "updated_at",
        "version",
        "prefix",
        "suffix",
    ]
    actions = ["publish_selected", "reject_selected"]

    def get_queryset(self, request):
        return (
            super().get_queryset(request).defer("article__raw_text", "article__text").prefetch_related("tags")
        )

    def has_change_permission(self, request, obj=None):
        # Editors change their own annotations; superusers (and reviewers' actions) all of them.
        allowed = super().has_change_permission(request, obj)
        if not allowed or obj is None or request.user.is_superuser:
            return allowed
        return obj.author_id == request.user.pk

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        if not allowed or obj is None or request.user.is_superuser:
            return allowed
        return obj.author_id == request.user.pk

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
        try:
            if change:
                saved = services.annotation_update(
                    annotation=Annotation.objects.get(pk=obj.pk),
                    expected_version=data["expected_version"],
                    **values,
                )
            else:
                saved = services.annotation_create(article=data["article"], author=request.user, **values)
        except StaleVersion as exc:
            messages.error(request, str(exc))
            raise
        # The admin logs and redirects with the object it passed in.
        obj.__dict__.update({k: v for k, v in saved.__dict__.items() if not k.startswith("_")})
        obj.pk = saved.pk

    def delete_model(self, request, obj):
        services.annotation_delete(annotation=obj, expected_version=obj.version)

    @admin.action(description="Publish selected annotations", permissions=["change"])
    def publish_selected(self, request, queryset):
        self._set_status(request, queryset, AnnotationStatus.PUBLISHED)

    @admin.action(description="Reject selected annotations", permissions=["change"])
    def reject_selected(self, request, queryset):
        self._set_status(request, queryset, AnnotationStatus.REJECTED)

    def _set_status(self, request, queryset, status: str) -> None:
        done = stale = 0
        for annotation in queryset:
            try:
                services.annotation_update(
                    annotation=annotation, expected_version=annotation.version, status=status
                )
                done += 1
            except StaleVersion:
                stale += 1
        messages.success(request, f"{done} annotation(s) now {status}.")
        if stale:
            messages.warning(request, f"{stale} annotation(s) changed meanwhile and were left as they are.")

    @admin.display(description="exact")
    def exact_excerpt(self, obj: Annotation) -> str:
        return obj.exact[:80]

    @admin.display(description="tags")
    def tag_list(self, obj: Annotation) -> str:
        return ", ".join(sorted(t.slug for t in obj.tags.all()))


@admin.register(OrphanedAnnotation)
class OrphanedAnnotationAdmin(AnnotationAdmin):
    """The queue of annotations a new revision left without a place, oldest first. Give one its place
    again by entering the new offsets (the span's words are shown); saving makes it an ordinary annotation."""

    list_display = ["__str__", "exact_excerpt", "note", "author", "article", "updated_at"]
    list_filter = ["status", "target"]
    ordering = ["updated_at", "id"]
    actions = []

    def get_queryset(self, request):
        return super().get_queryset(request).filter(anchor=Anchor.ORPHANED)

    def has_add_permission(self, request):
        return False


class FactCheckInline(admin.StackedInline):
    model = FactCheck
    fk_name = "claim"
    extra = 0
    readonly_fields = ["status", "reviewer", "published_at", "version"]
    raw_id_fields = ["author"]


@admin.register(Claim)
class ClaimAdmin(VersionedAdminMixin, admin.ModelAdmin):
    list_display = ["__str__", "claimant", "article", "verdict", "created_by", "created_at"]
    search_fields = ["text", "claimant__name", "article__title"]
    list_select_related = ["claimant", "article", "created_by", "fact_check"]
    autocomplete_fields = ["claimant"]
    raw_id_fields = ["article", "annotation", "created_by"]
    readonly_fields = ["version", "created_at", "updated_at"]
    inlines = [FactCheckInline]

    def get_queryset(self, request):
        return super().get_queryset(request).defer("article__raw_text", "article__text")

    @admin.display(description="verdict")
    def verdict(self, obj: Claim) -> str:
        try:
            return obj.fact_check.get_verdict_display()
        except Claim.fact_check.RelatedObjectDoesNotExist:
            return "—"


@admin.register(FactCheck)
class FactCheckAdmin(VersionedAdminMixin, admin.ModelAdmin):
    list_display = ["claim", "verdict", "status", "author", "reviewer", "published_at", "updated_at"]
    list_filter = ["status", "verdict"]
    search_fields = ["claim__text", "rationale", "author__username"]
    list_select_related = ["claim", "author", "reviewer"]
    raw_id_fields = ["claim", "author"]
    readonly_fields = ["status", "reviewer", "published_at", "version", "created_at", "updated_at"]
