"""What the corpus's article, paragraph and quote admins gain where annotations are known, named in
``CORPUS_ADMIN_MIXINS``: the annotate screen and its pages, counts, export, assignment, adding to a
project, bulk tagging."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.urls import path, reverse
from django.utils.html import format_html

from corpus.admin.actions import action_form_page
from corpus.models import Article

from .. import admin_exports, annotate, projects, services, work_queue
from ..models import (
    Annotation,
    AnnotationProject,
    Tag,
)


class ArticleAnnotating:
    """What the article admin gains where annotations are known (``CORPUS_ADMIN_MIXINS``): the annotate
    screen, annotation counts, export and assignment. The corpus app stays unaware of them."""

    change_form_template = "admin/annotations/article_change_form.html"
    extra_list_display = ["annotation_count", "annotate_link"]
    extra_actions = ["export_selected", "assign_selected", "add_to_project"]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.resolver_match and request.resolver_match.url_name == "corpus_article_changelist":
            # Only what this reader may see: another annotator's hidden layer is not even a number.
            counted = (
                Annotation.objects.visible_to(request.user)
                .filter(article=OuterRef("pk"))
                .order_by()
                .values("article")
                .annotate(n=Count("*"))
                .values("n")
            )
            return queryset.annotate(annotation_count=Coalesce(Subquery(counted), 0))
        return queryset

    @admin.display(description="annotations", ordering="annotation_count")
    def annotation_count(self, obj: Article) -> int:
        return obj.annotation_count

    @admin.display(description="")
    def annotate_link(self, obj: Article) -> str:
        return format_html(
            '<a href="{}">Annotate</a>', reverse("admin:corpus_article_annotate", args=[obj.pk])
        )

    def view_on_site(self, obj: Article) -> str:
        # The article as an editor reads it, not the API's JSON.
        return reverse("admin:corpus_article_annotate", args=[obj.pk])

    def get_urls(self):
        annotate_view = self.admin_site.admin_view(annotate.annotate_view)
        export_view = self.admin_site.admin_view(
            lambda request: admin_exports.export_page(request, self.admin_site)
        )
        return [
            path("<int:object_id>/annotate/", annotate_view, name="corpus_article_annotate"),
            path(
                "<int:object_id>/annotate/claims/",
                self.admin_site.admin_view(annotate.annotate_claims_view),
                name="corpus_article_annotate_claims",
            ),
            path(
                "<int:object_id>/curate/<int:project_id>/",
                self.admin_site.admin_view(annotate.curation_view),
                name="corpus_article_curate",
            ),
            path(
                "<int:object_id>/annotate/step/",
                self.admin_site.admin_view(annotate.assignment_step_view),
                name="corpus_article_annotate_step",
            ),
            path("export/", export_view, name="corpus_article_export"),
            *super().get_urls(),
        ]

    @admin.action(description="Assign selected articles to an editor", permissions=["assign"])
    def assign_selected(self, request, queryset):
        form = AssignForm(request.POST if "apply" in request.POST else None)
        if not form.is_valid():
            return action_form_page(
                self, request, queryset, form=form, title="Assign to an editor", action="assign_selected"
            )
        assignee = form.cleaned_data["assignee"]
        try:
            added = work_queue.assignments_create(
                article_ids=queryset.order_by().values_list("pk", flat=True),
                assignee=assignee,
                user=request.user,
            )
        except (ValidationError, PermissionDenied) as exc:
            text = "; ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
            self.message_user(request, text, messages.ERROR)
            return None
        self.message_user(request, f"{added} article(s) added to {assignee}'s queue.", messages.SUCCESS)
        return None

    def has_assign_permission(self, request) -> bool:
        return work_queue.can_assign(request.user)

    @admin.action(description="Add selected articles to an annotation project", permissions=["assign"])
    def add_to_project(self, request, queryset):
        form = AddToProjectForm(request.POST if "apply" in request.POST else None)
        if not form.is_valid():
            return action_form_page(
                self,
                request,
                queryset,
                form=form,
                title="Add to an annotation project",
                action="add_to_project",
            )
        project = form.cleaned_data["project"]
        try:
            added = projects.project_articles_add(
                project=project,
                article_ids=queryset.order_by().values_list("pk", flat=True),
                user=request.user,
            )
        except PermissionDenied as exc:
            self.message_user(request, str(exc), messages.ERROR)
            return None
        self.message_user(request, f"{added} article(s) added to {project}.", messages.SUCCESS)
        return None

    @admin.action(description="Export selected articles", permissions=["view"])
    def export_selected(self, request, queryset):
        return admin_exports.export_selected(self, request, queryset)


class BulkTagForm(forms.Form):
    tags = forms.ModelMultipleChoiceField(queryset=Tag.objects.order_by("slug"))
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))


class BulkTagging:
    """Tag whole quotes or paragraphs from their changelist: one annotation each, authored by the user
    (added to the corpus's quote and paragraph admins through ``CORPUS_ADMIN_MIXINS``)."""

    extra_actions = ["tag_selected"]

    @admin.action(description="Tag selected", permissions=["tag"])
    def tag_selected(self, request, queryset):
        form = BulkTagForm(request.POST if "apply" in request.POST else None)
        if not form.is_valid():
            return action_form_page(
                self, request, queryset, form=form, title="Tag selected", action="tag_selected"
            )
        try:
            count = services.annotations_bulk_tag(
                targets=list(queryset.select_related("article")),
                tags=list(form.cleaned_data["tags"]),
                note=form.cleaned_data["note"],
                author=request.user,
            )
        except ValidationError as exc:
            self.message_user(request, "; ".join(exc.messages), messages.ERROR)
            return None
        self.message_user(request, f"{count} annotation(s) created.", messages.SUCCESS)
        return None

    def has_tag_permission(self, request) -> bool:
        return request.user.has_perm("annotations.add_annotation")


class AssignForm(forms.Form):
    assignee = forms.ModelChoiceField(
        queryset=get_user_model().objects.filter(is_staff=True, is_active=True).order_by("username"),
        help_text="The editor whose queue the articles join.",
    )


class AddToProjectForm(forms.Form):
    project = forms.ModelChoiceField(queryset=AnnotationProject.objects.order_by("name"))
