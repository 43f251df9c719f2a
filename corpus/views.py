"""Endpoints of the corpus: reads, and the corrections editors make (paragraph roles, quotes).

Articles (with their annotations) are served by the annotations app, which builds on this one.
"""

from __future__ import annotations

from django.db.models import F
from django.db.models.functions import Substr
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.generics import get_object_or_404
from rest_framework.response import Response

from api.http import expected_version, versioned_response

from . import clusters, registry, selectors, services
from .filters import ParagraphFilter, QuoteFilter, SpeakerFilter, SpeakerQuoteFilter
from .models import Paragraph, Quote, QuoteCluster, Source, Speaker
from .serializers import (
    ClusterMergeSerializer,
    ClusterSplitSerializer,
    ParagraphRoleSerializer,
    ParagraphSerializer,
    QuoteClusterSerializer,
    QuoteCorrectSerializer,
    QuoteSerializer,
    SourceSerializer,
    SpeakerMergeSerializer,
    SpeakerQuoteSerializer,
    SpeakerSerializer,
)

# Quotes never need the article's texts in memory: their text is cut by the database.
_ARTICLE_TEXTS = ("article__raw_text", "article__text", "article__metadata")


def _span_text(prefix: str = "") -> Substr:
    """text[start:end] computed by the database (SUBSTR counts code points on SQLite and PostgreSQL)."""
    return Substr(f"{prefix}article__text", F(f"{prefix}start") + 1, F(f"{prefix}end") - F(f"{prefix}start"))


class VersionedRetrieveMixin:
    """A detail response carries the ETag that a later change must send back in If-Match."""

    response_headers = {"retrieve": ("ETag",), "partial_update": ("ETag",)}

    def retrieve(self, request, *args, **kwargs):
        instance = self.get_object()
        return versioned_response(self.get_serializer(instance).data, instance)


class SourceViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Source.objects.order_by("name")
    serializer_class = SourceSerializer
    cursor_ordering = ("id",)


class ParagraphViewSet(VersionedRetrieveMixin, viewsets.ReadOnlyModelViewSet):
    """Paragraphs with their roles; editors correct a role with PATCH and If-Match."""

    serializer_class = ParagraphSerializer
    filterset_class = ParagraphFilter
    ordering_fields = ["article", "position"]
    http_method_names = ["get", "patch", "head", "options"]

    def get_queryset(self):
        return Paragraph.objects.annotate(span_text=_span_text()).order_by("article_id", "position")

    @extend_schema(request=ParagraphRoleSerializer, responses=ParagraphSerializer)
    def partial_update(self, request, pk=None):
        paragraph = self.get_object()
        version = expected_version(request, paragraph)
        data = ParagraphRoleSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.paragraph_set_role(
            paragraph=paragraph, expected_version=version, role=data.validated_data["role"]
        )
        fresh = self.get_queryset().get(pk=paragraph.pk)
        return versioned_response(self.get_serializer(fresh).data, fresh)


class QuoteViewSet(VersionedRetrieveMixin, viewsets.ReadOnlyModelViewSet):
    """Quotes with speakers; editors correct speaker, kind or verified with PATCH and If-Match."""

    serializer_class = QuoteSerializer
    filterset_class = QuoteFilter
    ordering_fields = ["article", "start", "confidence"]
    http_method_names = ["get", "patch", "head", "options"]

    def get_queryset(self):
        return (
            selectors.quote_list()
            .defer(*_ARTICLE_TEXTS)
            .annotate(span_text=_span_text())
            .order_by("article_id", "start", "end", "id")
        )

    @extend_schema(request=QuoteCorrectSerializer, responses=QuoteSerializer)
    def partial_update(self, request, pk=None):
        quote = self.get_object()
        version = expected_version(request, quote)
        data = QuoteCorrectSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        changes = dict(data.validated_data)
        if "speaker_id" in changes:
            changes["speaker"] = changes.pop("speaker_id")
        services.quote_correct(quote=quote, expected_version=version, user=request.user, **changes)
        fresh = self.get_queryset().get(pk=quote.pk)
        return versioned_response(self.get_serializer(fresh).data, fresh)

    @extend_schema(
        summary="Where else these words were said",
        description=(
            "The quote's cluster: the same words quoted in other articles, the first appearance (earliest "
            "publication date, then ingest time) and the members, earliest first; each with its "
            "article's `published_at` and `ingested_at` (what dates an undated one). 404 when the quote "
            "stands alone."
        ),
        responses=QuoteClusterSerializer,
    )
    @action(detail=True, methods=["get"])
    def cluster(self, request, pk=None):
        quote = get_object_or_404(Quote.objects.only("id", "cluster_id"), pk=pk)
        if quote.cluster_id is None:
            raise NotFound(f"Quote {quote.pk} stands alone: no other article quotes these words.")
        return _cluster_response(selectors.quote_cluster_list().get(pk=quote.cluster_id))


def _cluster_response(cluster: QuoteCluster):
    members = selectors.quote_cluster_members(cluster)
    speakers = selectors.quote_cluster_speakers(cluster)
    data = QuoteClusterSerializer(cluster, context={"members": members, "speakers": speakers}).data
    return versioned_response(data, cluster)


def _existing(model, ids: list[int], *, field: str) -> list:
    """The rows of ``ids``, or a 400 on ``field`` naming those that do not exist."""
    rows = list(model.objects.filter(pk__in=ids))
    missing = sorted(set(ids) - {row.pk for row in rows})
    if missing:
        name = model._meta.verbose_name
        raise ValidationError({field: f"no such {name}(s): {', '.join(map(str, missing))}."})
    return rows


class QuoteClusterViewSet(viewsets.ReadOnlyModelViewSet):
    """The same words across articles. Editors merge clusters and take quotes out of one (POST with
    If-Match); what they decide stays whatever the machine finds later."""

    serializer_class = QuoteClusterSerializer
    filterset_fields = ["speakers_disagree"]
    ordering_fields = ["size", "articles", "id"]
    cursor_ordering = ("id",)
    # Merging and splitting move quotes: editors' change_quote (the services check it too).
    action_permissions = {"merge": ["corpus.change_quote"], "split": ["corpus.change_quote"]}

    def get_queryset(self):
        return selectors.quote_cluster_list().order_by("-size", "id")

    def retrieve(self, request, *args, **kwargs):
        return _cluster_response(self.get_object())

    @extend_schema(request=ClusterMergeSerializer, responses=QuoteClusterSerializer)
    @action(detail=True, methods=["post"])
    def merge(self, request, pk=None):
        cluster = self.get_object()
        version = expected_version(request, cluster)
        data = ClusterMergeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        sources = _existing(QuoteCluster, data.validated_data["clusters"], field="clusters")
        clusters.quote_clusters_merge(
            target=cluster, expected_version=version, sources=sources, actor=request.user
        )
        return _cluster_response(selectors.quote_cluster_list().get(pk=cluster.pk))

    @extend_schema(request=ClusterSplitSerializer, responses=QuoteClusterSerializer)
    @action(detail=True, methods=["post"])
    def split(self, request, pk=None):
        cluster = self.get_object()
        version = expected_version(request, cluster)
        data = ClusterSplitSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        quotes = _existing(Quote, data.validated_data["quotes"], field="quotes")
        clusters.quote_cluster_split(
            cluster=cluster, expected_version=version, quotes=quotes, actor=request.user
        )
        remaining = selectors.quote_cluster_list().filter(pk=cluster.pk).first()
        if remaining is None:
            return Response(status=204)
        return _cluster_response(remaining)


class SpeakerViewSet(VersionedRetrieveMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = SpeakerSerializer
    action_permissions = {"merge": registry.MERGE_PERMISSIONS}
    if_match_actions = ("merge",)
    filterset_class = SpeakerFilter
    ordering_fields = ["name", "quote_count"]

    def get_queryset(self):
        if self.action == "quotes":
            return (
                selectors.quote_list()
                .defer(*_ARTICLE_TEXTS)
                .annotate(
                    span_text=_span_text(),
                    context=Substr(
                        "article__text",
                        F("paragraph__start") + 1,
                        F("paragraph__end") - F("paragraph__start"),
                    ),
                )
                .order_by(F("article__published_at").desc(nulls_last=True), "-article_id", "start", "id")
            )
        return Speaker.objects.with_counts().prefetch_related("aliases").order_by("name", "id")

    @extend_schema(
        summary="Everything a speaker said",
        description="The speaker's quotes across articles, newest article first, each with its paragraph.",
        responses=SpeakerQuoteSerializer(many=True),
    )
    @action(
        detail=True,
        methods=["get"],
        serializer_class=SpeakerQuoteSerializer,
        filterset_class=SpeakerQuoteFilter,
        filter_backends=[DjangoFilterBackend],
    )
    def quotes(self, request, pk=None):
        speaker = get_object_or_404(Speaker.objects.only("id"), pk=pk)
        quotes = self.filter_queryset(self.get_queryset().filter(speaker=speaker))
        page = self.paginate_queryset(quotes)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(
        summary="Merge speakers into this one",
        description=(
            "Editors fold the named speakers into this one: their quotes, relayed quotes and claims move "
            "here and their names become aliases. Send If-Match with this speaker's ETag."
        ),
        request=SpeakerMergeSerializer,
        responses=SpeakerSerializer,
    )
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def merge(self, request, pk=None):
        target = get_object_or_404(Speaker, pk=pk)
        version = expected_version(request, target)
        data = SpeakerMergeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        ids = data.validated_data["sources"]
        sources = list(Speaker.objects.filter(pk__in=ids))
        missing = sorted(set(ids) - {s.pk for s in sources})
        if missing:
            raise ValidationError({"sources": [f"No speaker with id {', '.join(map(str, missing))}."]})
        services.speakers_merge(sources=sources, target=target, actor=request.user, expected_version=version)
        fresh = self.get_queryset().get(pk=target.pk)
        return versioned_response(self.get_serializer(fresh).data, fresh)
