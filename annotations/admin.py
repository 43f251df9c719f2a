from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.actions import delete_selected as confirm_delete_selected
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponseRedirect
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils.html import format_html

from corpus.admin_actions import action_form_page, action_with_form, apply_each, refusal_text
from corpus.admin_history import HistoryAdmin
from corpus.admin_versioning import VersionedAdminMixin, VersionedForm
from corpus.models import Anchor, Article
from corpus.spans import span_validate
from corpus.versioning import StaleVersion

from . import access, admin_exports, annotate, projects, review, services, work_queue
from .forms import EvidenceWidget
from .models import (
    Annotation,
    AnnotationProject,
    AnnotationStatus,
    AnnotationTarget,
    Assignment,
    Claim,
    FactCheck,
    FactCheckInReview,
    FactCheckStatus,
    OrphanedAnnotation,
    ProjectArticle,
    ProjectArticleState,
    Tag,
)


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


class ServiceAdminMixin:
    """Writes go through named services only, each deciding who may: no generic save or delete.

    A change form the service refuses is rolled back and shown again with the reason; deletes, single
    or selected, go object by object through ``delete_with_service`` and report what was refused.
    """

    def delete_with_service(self, request, obj) -> None:
        raise NotImplementedError

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ServiceRefused as refused:
            self.message_user(request, f"Not saved: {refused}", messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

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


class FactCheckInline(admin.StackedInline):
    """Shown under its claim; written through the fact-check's own page, where the workflow is."""

    model = FactCheck
    fk_name = "claim"
    extra = 0
    fields = ["verdict", "rationale", "evidence", "status", "author", "reviewer", "published_at", "version"]
    readonly_fields = fields
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Claim)
class ClaimAdmin(ServiceAdminMixin, VersionedAdminMixin, HistoryAdmin):
    list_display = ["__str__", "claimant", "article", "verdict", "created_by", "created_at"]
    search_fields = ["text", "claimant__name", "article__title"]
    list_select_related = ["claimant", "article", "created_by", "fact_check"]
    autocomplete_fields = ["claimant"]
    raw_id_fields = ["article", "annotation"]
    readonly_fields = ["created_by", "version", "created_at", "updated_at"]
    inlines = [FactCheckInline]
    actions = ["delete_selected"]

    def get_queryset(self, request):
        return super().get_queryset(request).defer("article__raw_text", "article__text")

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return request.user.has_perm("annotations.change_claim")
        return access.can_claim_change(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        # Withdrawing a claim is part of editing it, as in the API.
        return self.has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if change:
            saved = self._refusing(
                lambda: services.claim_update(
                    claim=Claim.objects.get(pk=obj.pk),
                    expected_version=data["expected_version"],
                    user=request.user,
                    text=data["text"],
                    article=data["article"],
                    claimant=data.get("claimant"),
                    annotation=data.get("annotation"),
                )
            )
        else:
            saved = self._refusing(
                lambda: services.claim_create(
                    article=data["article"],
                    text=data["text"],
                    created_by=request.user,
                    claimant=data.get("claimant"),
                    annotation=data.get("annotation"),
                )
            )
        obj.pk, obj.version, obj.created_by_id = saved.pk, saved.version, saved.created_by_id

    def delete_with_service(self, request, obj) -> None:
        services.claim_delete(claim=obj, expected_version=obj.version, user=request.user)

    @admin.display(description="verdict")
    def verdict(self, obj: Claim) -> str:
        try:
            return obj.fact_check.get_verdict_display()
        except Claim.fact_check.RelatedObjectDoesNotExist:
            return "—"


class SendBackForm(forms.Form):
    comment = forms.CharField(
        widget=forms.Textarea, help_text="What needs to change before it can be published."
    )


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea, help_text="Why it comes off the public record (kept in its history)."
    )


class ApproveForm(forms.Form):
    """Nothing to type: the page lists what is approved, each with the version read."""


class FactCheckAdminForm(VersionedForm):
    """Shows what the writers are working on: a published fact-check's pending revision, if any; the
    evidence as rows (url, title, publisher, accessed) rather than JSON."""

    class Meta:
        model = FactCheck
        fields = "__all__"
        widgets = {"evidence": EvidenceWidget}

    def clean_evidence(self):
        # Checked here as the service will check it, so a bad row comes back with what was typed.
        try:
            return services.evidence_clean(self.cleaned_data.get("evidence") or [])
        except ValidationError as exc:
            raise ValidationError(exc.message_dict.get("evidence", exc.messages)) from exc

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.revision is not None:
            for name, value in self.instance.revision.items():
                if name in self.fields:
                    self.initial[name] = value


def _fact_check_details(fact_check: FactCheck) -> list[tuple[str, object]]:
    working = fact_check.working
    return [
        ("verdict", working["verdict"].replace("_", " ")),
        ("rationale", working["rationale"]),
        ("evidence", "\n".join(item.get("url", "") for item in working["evidence"])),
        ("author", fact_check.author),
    ]


@admin.register(FactCheck)
class FactCheckAdmin(ServiceAdminMixin, VersionedAdminMixin, HistoryAdmin):
    form = FactCheckAdminForm
    list_display = ["claim", "verdict", "status", "author", "reviewer", "published_at", "updated_at"]
    list_filter = ["status", "verdict", MineFilter]
    search_fields = ["claim__text", "rationale", "author__username"]
    list_select_related = ["claim", "author", "reviewer"]
    raw_id_fields = ["claim"]
    exclude = ["co_authors", "revision"]
    readonly_fields = [
        "author",
        "status",
        "revision_status",
        "reviewer",
        "review_comment",
        "published_at",
        "modified_at",
        "version",
        "created_at",
        "updated_at",
    ]
    actions = [
        "submit_selected",
        "publish_selected",
        "send_back_selected",
        "withdraw_selected",
        "delete_selected",
    ]

    def get_readonly_fields(self, request, obj=None):
        # The claim is chosen once, when the fact-check is written.
        return [*self.readonly_fields, "claim"] if obj else self.readonly_fields

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return request.user.has_perm("annotations.change_factcheck")
        return access.can_factcheck_change(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is None:
            return request.user.has_perm("annotations.change_factcheck")
        return access.can_factcheck_delete(request.user, obj)

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if change:
            self._refusing(
                lambda: services.factcheck_update(
                    fact_check=FactCheck.objects.get(pk=obj.pk),
                    expected_version=data["expected_version"],
                    verdict=data["verdict"],
                    rationale=data["rationale"],
                    evidence=data["evidence"],
                    user=request.user,
                )
            )
            return
        saved = self._refusing(
            lambda: services.factcheck_create(
                claim=data["claim"],
                author=request.user,
                verdict=data["verdict"],
                rationale=data.get("rationale", ""),
                evidence=data.get("evidence") or [],
            )
        )
        obj.pk, obj.version, obj.author = saved.pk, saved.version, saved.author

    def delete_with_service(self, request, obj) -> None:
        services.factcheck_delete(fact_check=obj, expected_version=obj.version, user=request.user)

    @admin.action(description="Submit selected for review", permissions=["change"])
    def submit_selected(self, request, queryset):
        apply_each(
            self,
            request,
            queryset.select_related("claim"),
            lambda fc: services.factcheck_submit(
                fact_check=fc, expected_version=fc.version, user=request.user
            ),
            done="{count} fact-check(s) sent for review.",
        )

    @admin.action(description="Approve and publish selected", permissions=["review"])
    def publish_selected(self, request, queryset):
        """A confirmation page lists each fact-check as it is now, with its version; approving
        publishes exactly that version, and one changed since is refused."""
        return action_with_form(
            self,
            request,
            queryset.select_related("claim", "author"),
            form_class=ApproveForm,
            title="Approve and publish",
            action="publish_selected",
            apply=lambda fc, data, version: services.factcheck_publish(
                fact_check=fc, expected_version=version, user=request.user
            ),
            done="{count} fact-check(s) published.",
            carries_version=True,
            details=_fact_check_details,
        )

    @admin.action(description="Send selected back to their authors", permissions=["review"])
    def send_back_selected(self, request, queryset):
        return action_with_form(
            self,
            request,
            queryset.select_related("claim", "author"),
            form_class=SendBackForm,
            title="Send back with a comment",
            action="send_back_selected",
            apply=lambda fc, data, version: services.factcheck_send_back(
                fact_check=fc, expected_version=version, user=request.user, comment=data["comment"]
            ),
            done="{count} fact-check(s) sent back.",
            carries_version=True,
            details=_fact_check_details,
        )

    @admin.action(description="Withdraw selected from publication", permissions=["review"])
    def withdraw_selected(self, request, queryset):
        return action_with_form(
            self,
            request,
            queryset.select_related("claim", "author"),
            form_class=WithdrawForm,
            title="Withdraw from publication",
            action="withdraw_selected",
            apply=lambda fc, data, version: services.factcheck_withdraw(
                fact_check=fc, expected_version=version, user=request.user, reason=data["reason"]
            ),
            done="{count} fact-check(s) withdrawn.",
            carries_version=True,
            details=_fact_check_details,
        )

    def has_review_permission(self, request) -> bool:
        return access.is_reviewer(request.user)


@admin.register(FactCheckInReview)
class ReviewQueueAdmin(ConcretePermissionsMixin, FactCheckAdmin):
    """Fact-checks waiting for a second person, and revisions of published ones, oldest first."""

    list_display = ["claim", "verdict", "author", "updated_at", "review_link"]
    list_filter = ["verdict"]
    ordering = ["updated_at", "id"]
    actions = ["publish_selected", "send_back_selected"]

    def get_urls(self):
        view = self.admin_site.admin_view(
            lambda request, object_id: review.review_view(request, object_id, admin_site=self.admin_site)
        )
        return [
            path("<int:object_id>/review/", view, name="annotations_factcheckinreview_review"),
            *super().get_urls(),
        ]

    @admin.display(description="review")
    def review_link(self, obj: FactCheck) -> str:
        return format_html(
            '<a href="{}">Review</a>', reverse("admin:annotations_factcheckinreview_review", args=[obj.pk])
        )

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .filter(Q(status=FactCheckStatus.IN_REVIEW) | Q(revision_status=FactCheckStatus.IN_REVIEW))
        )

    def has_add_permission(self, request):
        return False


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


admin.site.site_header = admin.site.site_title = "Newsdesk"
admin.site.index_title = "The editors' desk"
admin.site.site_url = "/api/docs/"  # "View site": there is no public site; the API is the public face


class AssignForm(forms.Form):
    assignee = forms.ModelChoiceField(
        queryset=get_user_model().objects.filter(is_staff=True, is_active=True).order_by("username"),
        help_text="The editor whose queue the articles join.",
    )


class AssigneeFilter(MineFilter):
    title = "queue"
    author_field = "assignee"


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
class AnnotationProjectAdmin(admin.ModelAdmin):
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

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ServiceRefused as refused:
            self.message_user(request, f"Not saved: {refused}", messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

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
    from .agreement import project_agreement

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


class AddToProjectForm(forms.Form):
    project = forms.ModelChoiceField(queryset=AnnotationProject.objects.order_by("name"))
