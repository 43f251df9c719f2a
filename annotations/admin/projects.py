"""The editors' work queue (assignments) and annotation projects with their agreement."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import admin as auth_admin
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html

from corpus.admin.base import NamesInBulk

from .. import access, projects, work_queue
from ..models import (
    AnnotationProject,
    Assignment,
    ProjectArticle,
    ProjectArticleState,
)
from .base import MineFilter, RefusalShownMixin, ServiceRefused


class AssigneeFilter(MineFilter):
    title = "queue"
    author_field = "assignee"


# Django's user admin, whose delete confirmation lists the user's assignments, each named by its article
# and assignee: read with the assignments (NamesInBulk), not a query per assignment.
User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class UserAdmin(NamesInBulk, auth_admin.UserAdmin):
    pass


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    """Each editor's queue: articles to annotate, with their state. "mine" lists the signed-in user's."""

    list_display = ["article_link", "assignee", "state", "assigned_by", "updated_at"]
    list_display_links = None  # the article's link opens the annotate screen; nothing here to change
    list_filter = [AssigneeFilter, "state", "assignee"]
    list_select_related = ["assignee", "assigned_by"]
    search_fields = ["article__title", "assignee__username"]
    ordering = ["assignee__username", "created_at", "id"]
    fields = ["article", "assignee", "state", "assigned_by", "created_at", "updated_at"]
    readonly_fields = fields

    def get_queryset(self, request):
        # The article's texts can be megabytes; the list shows its title only.
        return (
            super()
            .get_queryset(request)
            .select_related("article", "assignee", "assigned_by")
            .defer("article__raw_text", "article__text", "article__metadata")
        )

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_staff

    def has_module_permission(self, request):
        return self.has_view_permission(request)

    def has_add_permission(self, request):
        return False  # from the article list's action, where the articles are chosen

    def has_change_permission(self, request, obj=None):
        return False  # states move on the annotate screen, through the service

    def has_delete_permission(self, request, obj=None):
        return work_queue.can_assign(request.user)

    @admin.display(description="article", ordering="article__title")
    def article_link(self, obj: Assignment) -> str:
        url = reverse("admin:corpus_article_annotate", args=[obj.article_id])
        return format_html('<a href="{}">{}</a>', url, obj.article)


# --- Annotation projects -------------------------------------------------------------------------


class ProjectArticleInline(admin.TabularInline):
    """The project's articles and where each stands; added from the article list, closed by curators."""

    model = ProjectArticle
    fields = ["article", "state", "closed_at", "curated_at", "curated_by"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("article", "curated_by")
            .defer("article__raw_text", "article__text", "article__metadata")
        )

    def has_add_permission(self, request, obj=None):
        return False


class AnnotationProjectForm(forms.ModelForm):
    class Meta:
        model = AnnotationProject
        fields = ["name", "guidelines", "tag_root", "annotators", "annotators_per_article", "curators"]


@admin.register(AnnotationProject)
class AnnotationProjectAdmin(RefusalShownMixin, admin.ModelAdmin):
    """Projects: their set-up, their articles' states, and the agreement of the layers as a table (per
    tag and overall, for every unit) and a matrix of annotator pairs. Saves through ``project_save``."""

    form = AnnotationProjectForm
    list_display = ["name", "tag_root", "annotators_per_article", "article_count", "curated_count"]
    list_select_related = ["tag_root"]
    search_fields = ["name"]
    filter_horizontal = ["annotators", "curators"]
    autocomplete_fields = ["tag_root"]
    inlines = [ProjectArticleInline]
    readonly_fields = ["agreement_table"]
    fieldsets = [
        (None, {"fields": ["name", "tag_root", "guidelines"]}),
        ("People", {"fields": ["annotators", "annotators_per_article", "curators"]}),
        ("Agreement", {"fields": ["agreement_table"]}),
    ]
    actions = ["assign_selected"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                article_count=Count("entries", distinct=True),
                curated_count=Count(
                    "entries", filter=Q(entries__state=ProjectArticleState.CURATED), distinct=True
                ),
            )
        )

    @admin.display(description="articles", ordering="article_count")
    def article_count(self, obj: AnnotationProject) -> int:
        return obj.article_count

    @admin.display(description="curated", ordering="curated_count")
    def curated_count(self, obj: AnnotationProject) -> int:
        return obj.curated_count

    def has_add_permission(self, request):
        return access.can_project_manage(request.user)

    def has_change_permission(self, request, obj=None):
        return access.can_project_manage(request.user)

    def has_delete_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("annotations.view_annotation") or access.can_project_manage(request.user)

    def has_module_permission(self, request):
        return self.has_view_permission(request)

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        try:
            saved = projects.project_save(
                user=request.user,
                project=AnnotationProject.objects.get(pk=obj.pk) if change else None,
                name=data["name"],
                tag_root=data["tag_root"],
                guidelines=data["guidelines"],
                annotators_per_article=data["annotators_per_article"],
                annotators=data["annotators"],
                curators=data["curators"],
            )
        except (ValidationError, PermissionDenied) as exc:
            raise ServiceRefused(
                exc if isinstance(exc, ValidationError) else ValidationError(str(exc))
            ) from None
        obj.pk = saved.pk
        obj.__dict__.update({k: v for k, v in saved.__dict__.items() if not k.startswith("_")})

    def save_related(self, request, form, formsets, change):
        # project_save set the people; the inline is read-only.
        pass

    @admin.display(description="agreement")
    def agreement_table(self, obj: AnnotationProject) -> str:
        if obj.pk is None:
            return "Measured once articles are closed for curation."
        return render_to_string(
            "admin/annotations/agreement_table.html", {"figures": agreement_for_display(obj)}
        )

    @admin.action(description="Assign the open articles in the work queue", permissions=["change"])
    def assign_selected(self, request, queryset):
        for project in queryset:
            try:
                added = projects.project_assign(project=project, user=request.user)
            except (ValidationError, PermissionDenied) as exc:
                text = "; ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
                self.message_user(request, f"{project}: {text}", messages.ERROR)
                continue
            self.message_user(
                request, f"{project}: {added} assignment(s) added to the work queue.", messages.SUCCESS
            )


def agreement_for_display(project: AnnotationProject) -> dict:
    """The project's figures arranged for the admin: one table row per (tag, unit), three coefficients each;
    and per unit a matrix of Cohen's kappa for each pair of annotators."""
    from ..agreement import project_agreement

    figures = project_agreement(project)
    names = figures["annotators"]
    matrices = []
    for unit, pairs in figures["pairs"].items():
        kappa = {(p["a"], p["b"]): p["cohen_kappa"] for p in pairs}
        kappa.update({(b, a): v for (a, b), v in list(kappa.items())})
        matrices.append(
            {
                "unit": unit,
                "rows": [(a, [kappa.get((a, b)) if a != b else None for b in names]) for a in names],
            }
        )
    for row in figures["rows"]:
        row["cells"] = [row["cohen_kappa"], row["fleiss_kappa"], row["krippendorff_alpha"]]
    return {**figures, "matrices": matrices}
