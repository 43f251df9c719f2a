"""Read endpoints of the corpus. Articles (with their annotations) are served by the annotations app,
which builds on this one."""

from __future__ import annotations

from django.db.models import F
from django.db.models.functions import Substr
from rest_framework import viewsets

from . import selectors
from .filters import ParagraphFilter, QuoteFilter, SpeakerFilter
from .models import Paragraph, Source, Speaker
from .serializers import ParagraphSerializer, QuoteSerializer, SourceSerializer, SpeakerSerializer


def _span_text(prefix: str = "") -> Substr:
    """text[start:end] computed by the database (SUBSTR counts code points on SQLite and PostgreSQL)."""
    return Substr(f"{prefix}article__text", F("start") + 1, F("end") - F("start"))


class SourceViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Source.objects.order_by("name")
    serializer_class = SourceSerializer


class ParagraphViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = ParagraphSerializer
    filterset_class = ParagraphFilter
    ordering_fields = ["article", "position"]

    def get_queryset(self):
        return Paragraph.objects.annotate(span_text=_span_text()).order_by("article_id", "position")


class QuoteViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = QuoteSerializer
    filterset_class = QuoteFilter
    ordering_fields = ["article", "start", "confidence"]

    def get_queryset(self):
        return selectors.quote_list().annotate(span_text=_span_text()).order_by("article_id", "start", "end", "id")


class SpeakerViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = SpeakerSerializer
    filterset_class = SpeakerFilter
    ordering_fields = ["name", "quote_count"]

    def get_queryset(self):
        return Speaker.objects.with_counts().prefetch_related("aliases").order_by("name", "id")
