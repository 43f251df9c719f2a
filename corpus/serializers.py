"""Output shapes of the corpus. Field names are those of the JSONL export (PRODUCT.md)."""

from __future__ import annotations

from rest_framework import serializers

from .models import Article, ArticleRevision, Paragraph, ParagraphRole, Quote, QuoteKind, Source, Speaker
from .selectors import revision_diff


class SourceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Source
        fields = ["id", "name", "homepage", "licence"]


class ParagraphSerializer(serializers.ModelSerializer):
    text = serializers.CharField(
        source="span_text", read_only=True, help_text="text[start:end] of the article."
    )

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


class SpeakerQuoteSerializer(QuoteSerializer):
    """A quote in "everything X said": where it was said, and the paragraph around it."""

    context = serializers.CharField(read_only=True, help_text="The text of the paragraph holding the quote.")
    article_title = serializers.CharField(source="article.title", read_only=True)
    article_url = serializers.CharField(source="article.url", read_only=True, allow_null=True)
    published_at = serializers.DateTimeField(source="article.published_at", read_only=True, allow_null=True)

    class Meta(QuoteSerializer.Meta):
        fields = [*QuoteSerializer.Meta.fields, "context", "article_title", "article_url", "published_at"]


# --- Input shapes of the writes --------------------------------------------------------------


class ParagraphRoleSerializer(serializers.Serializer):
    role = serializers.ChoiceField(choices=ParagraphRole.choices)


class QuoteCorrectSerializer(serializers.Serializer):
    """What an editor may correct on a quote; fields left out stay as they are."""

    speaker_id = serializers.PrimaryKeyRelatedField(
        queryset=Speaker.objects.all(),
        allow_null=True,
        required=False,
        help_text="The speaker (id), shared or of this article; null when unknown.",
    )
    kind = serializers.ChoiceField(choices=QuoteKind.choices, required=False)
    verified = serializers.BooleanField(required=False)


class ArticleIngestSerializer(serializers.Serializer):
    """The JSON ingest format of ``manage.py ingest``. The body's bytes are stored as the raw input."""

    text = serializers.CharField(
        trim_whitespace=False, help_text="The article text, paragraphs separated by lines."
    )
    title = serializers.CharField(required=False, allow_null=True, allow_blank=True, trim_whitespace=False)
    url = serializers.CharField(required=False, allow_null=True, allow_blank=True)
    source = serializers.CharField(
        required=False, allow_null=True, allow_blank=True, help_text="Source name."
    )
    published_at = serializers.CharField(
        required=False, allow_null=True, allow_blank=True, help_text="ISO 8601 date or date-time."
    )
    language = serializers.CharField(
        required=False, allow_null=True, allow_blank=True, help_text="BCP 47 tag."
    )
    external_id = serializers.CharField(
        required=False, allow_null=True, allow_blank=True, help_text="The source's own id; needs `source`."
    )


class RevisionSerializer(serializers.ModelSerializer):
    class Meta:
        model = ArticleRevision
        fields = ["number", "title", "content_hash", "pipeline_version", "ingested_at", "superseded_at"]


class RevisionDetailSerializer(RevisionSerializer):
    diff = serializers.SerializerMethodField(
        help_text="Unified diff, paragraph by paragraph, from this revision to the one that replaced it."
    )

    class Meta(RevisionSerializer.Meta):
        fields = [*RevisionSerializer.Meta.fields, "text", "diff"]

    def get_diff(self, obj: ArticleRevision) -> str:
        return revision_diff(obj)
