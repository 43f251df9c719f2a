"""Quotes, corrected through the services, and the clusters of one quote's appearances."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import F
from django.db.models.functions import Substr
from django.utils.html import format_html

from .. import clusters, services
from ..models import (
    Quote,
    QuoteCluster,
)
from ..versioning import StaleVersion
from .base import shorten
from .history import HistoryAdmin
from .text_search import TextSearchMixin, span_matching
from .versioned import VersionedAdminMixin


class SpeakerKindFilter(admin.ChoicesFieldListFilter):
    """The speaker's kind, titled apart from the quote's own kind."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.title = "speaker kind"


class QuoteAdmin(TextSearchMixin, VersionedAdminMixin, HistoryAdmin):
    list_display = [
        "excerpt",
        "kind",
        "speaker",
        "speaker_mention",
        "cue",
        "via",
        "confidence",
        "verified",
        "origin",
        "article",
    ]
    list_filter = ["kind", "verified", "origin", "anchor", ("speaker__kind", SpeakerKindFilter)]
    # Not the article's title: a name in it ("Xi") would match nearly every quote of the article.
    search_fields = ["speaker__name", "speaker_mention", "cue"]
    search_help_text = "Searches the quote's own words, its speaker, the mention as written and the cue."
    list_select_related = ["speaker", "via", "article"]
    autocomplete_fields = ["speaker", "via"]
    raw_id_fields = ["article", "paragraph", "continues"]
    readonly_fields = [
        "article",
        "paragraph",
        "start",
        "end",
        "quote_text",
        "continues",
        "origin",
        "rule",
        "confidence",
        "pipeline_version",
        "corrected_by",
        "version",
        "speaker_mention",
        "cue",
        "via",
        "anchor",
    ]
    actions = ["mark_verified", "take_out_of_cluster"]
    fields = [
        "article",
        "paragraph",
        "quote_text",
        "start",
        "end",
        "kind",
        "speaker",
        "speaker_mention",
        "cue",
        "via",
        "continues",
        "verified",
        "confidence",
        "rule",
        "origin",
        "corrected_by",
        "pipeline_version",
        "anchor",
        "version",
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .defer("article__raw_text", "article__text", "article__metadata")
            .annotate(span_text=Substr("article__text", F("start") + 1, F("end") - F("start")))
        )

    def text_search(self, words: str) -> models.Q:
        return span_matching(words)

    def has_add_permission(self, request):
        return False  # quotes come from extraction; editors correct them

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        changes = {name: data[name] for name in ("speaker", "kind", "verified") if name in form.changed_data}
        # The form has already put its values on ``obj``: the service is given the quote as it was, so
        # that it sees what changed (a new speaker rechecks the cluster and moves the quotation's chain).
        for name in changes:
            setattr(obj, obj._meta.get_field(name).attname, form.initial.get(name))
        services.quote_correct(
            quote=obj, expected_version=data["expected_version"], user=request.user, **changes
        )

    @admin.action(
        description="Take selected out of their cluster (not the same words)", permissions=["change"]
    )
    def take_out_of_cluster(self, request, queryset):
        by_cluster: dict[int, list[Quote]] = {}
        for quote in queryset.filter(cluster__isnull=False).select_related("cluster"):
            by_cluster.setdefault(quote.cluster_id, []).append(quote)
        done = 0
        for quotes in by_cluster.values():
            cluster = quotes[0].cluster
            try:
                clusters.quote_cluster_split(
                    cluster=cluster, expected_version=cluster.version, quotes=quotes, actor=request.user
                )
                done += len(quotes)
            except (PermissionDenied, ValidationError, StaleVersion) as exc:
                text = "; ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
                self.message_user(request, f"{cluster}: {text}", messages.ERROR)
        self.message_user(request, f"{done} quote(s) taken out of their cluster.")

    @admin.action(description="Mark selected quotes verified", permissions=["change"])
    def mark_verified(self, request, queryset):
        done = stale = 0
        for quote in queryset:
            try:
                services.quote_correct(
                    quote=quote, expected_version=quote.version, user=request.user, verified=True
                )
                done += 1
            except StaleVersion:
                stale += 1
        self.message_user(request, f"{done} quote(s) marked verified.")
        if stale:
            self.message_user(
                request, f"{stale} quote(s) changed meanwhile and were left as they are.", "warning"
            )

    @admin.display(description="quote")
    def excerpt(self, obj: Quote) -> str:
        return shorten(obj.span_text, 80)

    @admin.display(description="text")
    def quote_text(self, obj: Quote) -> str:
        return format_html("<blockquote>{}</blockquote>", obj.text)


class ClusterMemberInline(admin.TabularInline):
    model = Quote
    fk_name = "cluster"
    fields = ["article", "kind", "exact", "speaker", "cluster_fixed"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("article", "speaker")
            .defer("article__raw_text", "article__text", "article__metadata")
        )

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(QuoteCluster)
class QuoteClusterAdmin(admin.ModelAdmin):
    """The same words across articles, the largest first. Merging says "these are the same words";
    taking quotes out (on the quotes list) says they are not. Editors' decisions stay over re-runs."""

    list_display = ["__str__", "first_words", "size", "articles", "speakers_disagree", "first_appearance"]
    list_filter = ["speakers_disagree"]
    list_select_related = ["first_quote__article"]
    ordering = ["-size", "id"]
    fields = ["size", "articles", "speakers_disagree", "first_quote", "version"]
    readonly_fields = fields
    inlines = [ClusterMemberInline]
    actions = ["merge_selected"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .defer(
                "first_quote__article__raw_text",
                "first_quote__article__text",
                "first_quote__article__metadata",
            )
        )

    # Clusters are made by the machine and changed by editors through merges and splits of quotes: the
    # quotes' permissions decide.
    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("corpus.view_quote") or request.user.has_perm("corpus.change_quote")

    def has_module_permission(self, request):
        return self.has_view_permission(request)

    def has_change_permission(self, request, obj=None):
        return request.user.has_perm("corpus.change_quote")

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="words")
    def first_words(self, obj: QuoteCluster) -> str:
        return shorten(obj.first_quote.exact, 80) if obj.first_quote else "—"

    @admin.display(description="first appearance")
    def first_appearance(self, obj: QuoteCluster):
        if obj.first_quote is None:
            return "—"
        article = obj.first_quote.article
        # Undated, it is the earliest ingested (APPEARANCE_ORDER): say when, as the annotate screen does.
        when = (
            article.published_at.date().isoformat()
            if article.published_at
            else f"undated, ingested {article.ingested_at.date().isoformat()}"
        )
        return format_html("{} ({})", shorten(article.title or article.url or str(article.pk), 60), when)

    @admin.action(description="Merge selected clusters (the same words)", permissions=["change"])
    def merge_selected(self, request, queryset):
        chosen = list(queryset.order_by("-size", "id"))
        if len(chosen) < 2:
            self.message_user(request, "Select two clusters or more to merge.", messages.WARNING)
            return
        target, sources = chosen[0], chosen[1:]
        try:
            clusters.quote_clusters_merge(
                target=target, expected_version=target.version, sources=sources, actor=request.user
            )
        except (PermissionDenied, ValidationError, StaleVersion) as exc:
            text = "; ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
            self.message_user(request, text, messages.ERROR)
            return
        self.message_user(request, f"{len(sources)} cluster(s) merged into cluster {target.pk}.")
