"""Read endpoints: articles with everything on them, tags, annotations, claims, fact-checks."""

from __future__ import annotations

from rest_framework import viewsets

from corpus.filters import ArticleFilter

from . import selectors
from .filters import AnnotationFilter, ClaimFilter, FactCheckFilter
from .serializers import (
    AnnotationSerializer,
    ArticleDetailSerializer,
    ArticleSummarySerializer,
    ClaimSerializer,
    FactCheckSerializer,
    TagSerializer,
)


class ArticleViewSet(viewsets.ReadOnlyModelViewSet):
    """Articles. The list carries counts; the detail nests paragraphs, quotes, annotations and claims."""

    filterset_class = ArticleFilter
    ordering_fields = ["published_at", "id", "title"]

    def get_queryset(self):
        if self.action == "retrieve":
            return selectors.article_detail(user=self.request.user)
        return selectors.article_list(user=self.request.user).order_by("-published_at", "-id")

    def get_serializer_class(self):
        return ArticleDetailSerializer if self.action == "retrieve" else ArticleSummarySerializer


class TagViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = TagSerializer
    lookup_field = "slug"

    def get_queryset(self):
        return selectors.tag_list()


class AnnotationViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = AnnotationSerializer
    filterset_class = AnnotationFilter
    ordering_fields = ["article", "start", "created_at", "updated_at"]

    def get_queryset(self):
        return selectors.annotation_list(user=self.request.user)


class ClaimViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = ClaimSerializer
    filterset_class = ClaimFilter

    def get_queryset(self):
        return selectors.claim_list(user=self.request.user)


class FactCheckViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = FactCheckSerializer
    filterset_class = FactCheckFilter
    ordering_fields = ["updated_at", "published_at", "id"]

    def get_queryset(self):
        return selectors.factcheck_list(user=self.request.user)
