"""Output shapes of the corpus. Field names are those of the JSONL export (PRODUCT.md)."""

from __future__ import annotations

from rest_framework import serializers

from .models import Article, Paragraph, Quote, Source, Speaker


class SourceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Source
        fields = ["id", "name", "homepage", "licence"]


class ParagraphSerializer(serializers.ModelSerializer):
    text = serializers.CharField(source="span_text", read_only=True, help_text="text[start:end] of the article.")

    class Meta:
        model = Paragraph
        fields = ["id", "article", "position", "role", "rule", "start", "end", "text", "version"]


class NestedParagraphSerializer(serializers.ModelSerializer):
    """A paragraph inside its article: the text is cut from the article's text already in memory."""

    text = serializers.SerializerMethodField()

    class Meta:
        model = Paragraph
        fields = ["id", "position", "role", "rule", "start", "end", "text", "version"]

    def get_text(self, obj: Paragraph) -> str:
        return self.context["article_text"][obj.start : obj.end]


class QuoteSerializer(serializers.ModelSerializer):
    text = serializers.SerializerMethodField()
    paragraph = serializers.IntegerField(source="paragraph.position", read_only=True)
    speaker = serializers.CharField(source="speaker.name", default=None, read_only=True, allow_null=True)
    speaker_id = serializers.IntegerField(read_only=True, allow_null=True)
    speaker_kind = serializers.CharField(source="speaker.kind", default=None, read_only=True, allow_null=True)
    via = serializers.CharField(source="via.name", default=None, read_only=True, allow_null=True)

    class Meta:
        model = Quote
        fields = [
            "id",
            "article",
            "kind",
            "text",
            "start",
            "end",
            "paragraph",
            "continues",
            "speaker",
            "speaker_id",
            "speaker_kind",
            "speaker_mention",
            "cue",
            "via",
            "confidence",
            "origin",
            "verified",
            "version",
        ]

    def get_text(self, obj: Quote) -> str:
        text = self.context.get("article_text")
        if text is not None:
            return text[obj.start : obj.end]
        return obj.span_text  # annotated by the list queryset


class SpeakerSerializer(serializers.ModelSerializer):
    aliases = serializers.SlugRelatedField(slug_field="phrase", many=True, read_only=True)
    quote_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Speaker
        fields = ["id", "name", "kind", "description", "aliases", "article", "quote_count", "version"]


class ArticleListSerializer(serializers.ModelSerializer):
    source = serializers.CharField(source="source.name", default=None, read_only=True, allow_null=True)
    paragraph_count = serializers.IntegerField(read_only=True)
    quote_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Article
        fields = [
            "id",
            "url",
            "source",
            "external_id",
            "published_at",
            "language",
            "title",
            "content_hash",
            "paragraph_count",
            "quote_count",
            "version",
        ]
