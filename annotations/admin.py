from __future__ import annotations

from django.contrib import admin
from django.db.models import Count, ProtectedError

from corpus.admin_versioning import VersionedAdminMixin

from .models import Annotation, Claim, FactCheck, Tag


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


@admin.register(Annotation)
class AnnotationAdmin(VersionedAdminMixin, admin.ModelAdmin):
    list_display = [
        "__str__",
        "target",
        "exact_excerpt",
        "tag_list",
        "status",
        "origin",
        "author",
        "updated_at",
    ]
    list_filter = ["status", "origin", "target", "tags"]
    search_fields = ["exact", "note", "article__title", "author__username"]
    list_select_related = ["author", "article"]
    autocomplete_fields = ["tags"]
    raw_id_fields = ["article", "paragraph", "quote"]
    readonly_fields = ["origin", "rule", "author", "created_at", "updated_at", "version", "prefix", "suffix"]

    def get_queryset(self, request):
        return (
            super().get_queryset(request).defer("article__raw_text", "article__text").prefetch_related("tags")
        )

    @admin.display(description="exact")
    def exact_excerpt(self, obj: Annotation) -> str:
        return obj.exact[:80]

    @admin.display(description="tags")
    def tag_list(self, obj: Annotation) -> str:
        return ", ".join(sorted(t.slug for t in obj.tags.all()))


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
