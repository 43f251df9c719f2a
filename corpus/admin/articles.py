"""Sources, articles (added by ingestion, never edited in place), their revisions and paragraphs."""

from __future__ import annotations

import re

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import F, Subquery, Value
from django.db.models.functions import Least, Substr
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html

from .. import services
from ..ingest.readers import IngestError
from ..models import (
    Article,
    ArticleRevision,
    Paragraph,
    ParagraphRole,
    Quote,
    Source,
)
from ..selectors import revision_diff
from .actions import action_with_form
from .base import NamesInBulk, shorten
from .text_search import TextSearchMixin, article_text_matching, span_matching
from .versioned import VersionedAdminMixin


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["name", "homepage", "licence", "created_at"]
    search_fields = ["name", "homepage"]


INLINE_LIMIT = 200


class LimitedInlineMixin:
    """Inlines show the first rows only, so the page of a huge article stays usable; the changelist
    filtered to the article has them all."""

    limit_order: tuple[str, ...] = ("id",)

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        object_id = request.resolver_match.kwargs.get("object_id") if request.resolver_match else None
        if object_id is None:
            return queryset
        first = (
            self.model._default_manager.filter(article_id=object_id)
            .order_by(*self.limit_order)
            .values("pk")[:INLINE_LIMIT]
        )
        return queryset.filter(pk__in=Subquery(first))


class ParagraphInline(LimitedInlineMixin, admin.TabularInline):
    limit_order = ("position",)
    verbose_name_plural = f"paragraphs (the first {INLINE_LIMIT}; all of them are in the paragraph list)"
    model = Paragraph
    fields = ["position", "role", "rule", "start", "end", "excerpt"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True
    ordering = ["position"]

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        # The paragraph's own words (at most 200 characters of them), never the ones after it.
        length = Least(F("end") - F("start"), Value(200))
        return (
            super().get_queryset(request).annotate(span_text=Substr("article__text", F("start") + 1, length))
        )

    @admin.display(description="text")
    def excerpt(self, obj: Paragraph) -> str:
        return shorten(obj.span_text)


class QuoteInline(LimitedInlineMixin, admin.TabularInline):
    limit_order = ("start", "end", "id")
    verbose_name_plural = f"quotes (the first {INLINE_LIMIT}; all of them are in the quote list)"
    model = Quote
    fk_name = "article"
    fields = [
        "kind",
        "excerpt",
        "speaker",
        "speaker_mention",
        "cue",
        "via",
        "confidence",
        "verified",
        "origin",
    ]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True
    ordering = ["start", "end", "id"]

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("speaker", "via")
            .annotate(span_text=Substr("article__text", F("start") + 1, F("end") - F("start")))
        )

    @admin.display(description="quote")
    def excerpt(self, obj: Quote) -> str:
        return shorten(obj.span_text, 120)


class ArticleRevisionInline(admin.TabularInline):
    model = ArticleRevision
    fields = ["number", "title", "content_hash", "ingested_at", "superseded_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True
    ordering = ["-number"]

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).defer("raw_text", "text")


@admin.register(ArticleRevision)
class ArticleRevisionAdmin(admin.ModelAdmin):
    """Earlier revisions, read-only, each with a diff against the revision that replaced it. Whoever
    may read articles may read their earlier words (editors re-placing orphans need them)."""

    list_display = ["article", "number", "title", "ingested_at", "superseded_at"]
    list_select_related = ["article"]
    search_fields = ["article__title", "content_hash"]
    readonly_fields = [
        "article",
        "number",
        "title",
        "content_hash",
        "pipeline_version",
        "ingested_at",
        "superseded_at",
        "diff",
        "text",
        "raw_text",
    ]
    fields = readonly_fields

    def get_queryset(self, request):
        return super().get_queryset(request).defer("article__raw_text", "article__text")

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) or request.user.has_perm("corpus.view_article")

    def has_module_permission(self, request):
        return super().has_module_permission(request) or request.user.has_perm("corpus.view_article")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="changes in the next revision")
    def diff(self, obj: ArticleRevision) -> str:
        # Long lines wrap: a paragraph is one line of the diff.
        return format_html(
            '<pre class="revision-diff" style="white-space: pre-wrap; overflow-wrap: anywhere">{}</pre>',
            revision_diff(obj),
        )


ADD_META_FIELDS = ("url", "source", "published_at", "language", "external_id")
_NAMED_FIELD = re.compile(r"'(" + "|".join(ADD_META_FIELDS) + r")'")


class ArticleIngestForm(forms.Form):
    """Add article: what ``manage.py ingest`` takes, a text or a file and the metadata beside it."""

    text = forms.CharField(
        required=False,
        strip=False,  # the bytes as sent are the raw input
        widget=forms.Textarea(attrs={"rows": 14, "cols": 100}),
        help_text="The article as plain text: the headline on the first line, then its paragraphs.",
    )
    file = forms.FileField(
        required=False, help_text="Or a .txt, .json or .html file, read as manage.py ingest reads it."
    )
    url = forms.CharField(required=False, max_length=2000, help_text="http:// or https:// only.")
    source = forms.CharField(
        required=False, max_length=200, help_text="The outlet's name; new ones are added."
    )
    published_at = forms.CharField(
        required=False, help_text="ISO 8601 date or date-time: 2024-05-01 or 2024-05-01T08:00:00Z."
    )
    language = forms.CharField(required=False, max_length=35, help_text="BCP 47, e.g. en (the default).")
    external_id = forms.CharField(required=False, max_length=200, help_text="The source's own id.")

    def clean(self):
        data = super().clean()
        has_text = bool((data.get("text") or "").strip())
        if not has_text and not data.get("file"):
            raise forms.ValidationError("Paste the text or upload a file.", code="empty")
        if has_text and data.get("file"):
            raise forms.ValidationError("Paste the text or upload a file, not both.", code="both")
        upload = data.get("file")
        if upload is not None and upload.size > settings.INGEST_MAX_BYTES:
            self.add_error(
                "file",
                f"{upload.name}: {upload.size} bytes is over the {settings.INGEST_MAX_BYTES}-byte limit.",
            )
        return data

    def record(self):
        """The ingest record, or ``IngestError`` naming the file (or the pasted text) and the field."""
        data = self.cleaned_data
        meta = {name: data[name].strip() for name in ADD_META_FIELDS if (data.get(name) or "").strip()}
        upload = data.get("file")
        if upload is not None:
            return services.article_input_from_upload(data=upload.read(), name=upload.name, meta=meta)
        return services.article_input_from_text(
            data=data["text"].encode("utf-8"), origin="pasted text", meta=meta
        )

    def add_ingest_error(self, error: IngestError) -> None:
        """On the field the message names, else on the file, else on the form."""
        message = str(error)
        named = _NAMED_FIELD.search(message)
        field = named.group(1) if named else ("file" if self.cleaned_data.get("file") else None)
        self.add_error(field, message)


class ArticleAdmin(NamesInBulk, TextSearchMixin, VersionedAdminMixin, admin.ModelAdmin):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = [
        "title_excerpt",
        "source",
        "published_at",
        "language",
        "paragraph_count",
        "quote_count",
        "ingested_at",
    ]
    list_filter = ["source", "language", "published_at"]
    search_fields = ["title", "url", "external_id", "content_hash"]
    search_help_text = "Searches the title, address, external id, content hash and the article's text."
    list_select_related = ["source"]
    date_hierarchy = "published_at"
    readonly_fields = [
        "raw_text",
        "text",
        "content_hash",
        "pipeline_version",
        "ingested_at",
        "updated_at",
        "version",
    ]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "title",
                    "standfirst",
                    "byline",
                    "source",
                    "url",
                    "external_id",
                    "published_at",
                    "language",
                ]
            },
        ),
        ("Text", {"fields": ["text"]}),
        ("Raw input", {"classes": ["collapse"], "fields": ["raw_text", "content_hash", "metadata"]}),
        ("Processing", {"fields": ["pipeline_version", "ingested_at", "updated_at", "version"]}),
    ]
    inlines = [ParagraphInline, QuoteInline, ArticleRevisionInline]

    def text_search(self, words: str) -> models.Q:
        return article_text_matching(words)

    def has_change_permission(self, request, obj=None):
        # An article is its raw input and what ingestion made of it: a correction comes in as a new
        # revision (Add article with the same url), never as fields edited in place.
        return False

    def add_view(self, request, form_url="", extra_context=None):
        """Add article is ingestion: the same service as ``manage.py ingest`` and the API."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        posted = request.method == "POST"
        form = ArticleIngestForm(request.POST, request.FILES) if posted else ArticleIngestForm()
        if posted and form.is_valid():
            try:
                result = services.article_add(user=request.user, record=form.record())
            except IngestError as exc:
                form.add_ingest_error(exc)
            else:
                level = messages.SUCCESS if result.created or result.revised else messages.WARNING
                self.message_user(request, result.message, level)
                return HttpResponseRedirect(reverse("admin:corpus_article_change", args=[result.article.pk]))
        context = {
            **self.admin_site.each_context(request),
            "title": "Add article",
            "form": form,
            "opts": self.model._meta,
            "media": self.media + form.media,
            **(extra_context or {}),
        }
        return TemplateResponse(request, "admin/corpus/article/add_ingest.html", context)

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.resolver_match and request.resolver_match.url_name == "corpus_article_changelist":
            return queryset.defer("raw_text", "text", "metadata").with_counts()
        return queryset

    @admin.display(description="title", ordering="title")
    def title_excerpt(self, obj: Article) -> str:
        return shorten(obj.title or f"Article {obj.pk}")

    @admin.display(description="paragraphs", ordering="paragraph_count")
    def paragraph_count(self, obj: Article) -> int:
        return obj.paragraph_count

    @admin.display(description="quotes", ordering="quote_count")
    def quote_count(self, obj: Article) -> int:
        return obj.quote_count


class RoleForm(forms.Form):
    role = forms.ChoiceField(choices=ParagraphRole.choices)


class ParagraphAdmin(TextSearchMixin, VersionedAdminMixin, admin.ModelAdmin):
    list_display = ["article", "position", "role", "rule", "start", "end"]
    list_filter = ["role", "rule"]
    search_fields = ["article__title"]
    search_help_text = "Searches the paragraph's own text and its article's title."
    list_select_related = ["article"]
    raw_id_fields = ["article"]
    readonly_fields = ["article", "position", "start", "end", "rule", "version", "paragraph_text"]
    fields = ["article", "position", "role", "rule", "start", "end", "paragraph_text", "version"]
    actions = ["change_role"]

    def get_queryset(self, request):
        # The article's texts can be megabytes; the list shows its title only.
        return (
            super()
            .get_queryset(request)
            .select_related("article")
            .defer("article__raw_text", "article__text", "article__metadata")
        )

    def text_search(self, words: str) -> models.Q:
        return span_matching(words)

    def save_model(self, request, obj, form, change):
        services.paragraph_set_role(
            paragraph=obj,
            expected_version=form.cleaned_data["expected_version"],
            role=form.cleaned_data["role"],
        )

    @admin.action(description="Change the role of selected paragraphs", permissions=["change"])
    def change_role(self, request, queryset):
        return action_with_form(
            self,
            request,
            queryset,
            form_class=RoleForm,
            title="Change the role",
            action="change_role",
            apply=lambda p, data: services.paragraph_set_role(
                paragraph=p, expected_version=p.version, role=data["role"]
            ),
            done="{count} paragraph(s) changed.",
        )

    @admin.display(description="text")
    def paragraph_text(self, obj: Paragraph) -> str:
        return obj.text
