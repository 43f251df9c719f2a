"""Claims and fact-checks: their admin pages, the fact-checks' workflow as actions (submit, approve and
publish, send back, withdraw) and the review queue."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.urls import path, reverse
from django.utils.html import format_html

from corpus.admin.actions import action_with_form, apply_each
from corpus.admin.history import HistoryAdmin
from corpus.admin.versioned import VersionedAdminMixin, VersionedForm

from .. import access, review, services
from ..forms import EvidenceWidget
from ..models import (
    Claim,
    FactCheck,
    FactCheckInReview,
    FactCheckStatus,
)
from .base import ConcretePermissionsMixin, MineFilter, ServiceAdminMixin


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
