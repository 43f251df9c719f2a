"""Output shapes of tags, annotations, claims and fact-checks, and of an article with everything on it.

Field names are those of the JSONL export (PRODUCT.md).
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from corpus.models import Article
from corpus.serializers import ArticleListSerializer, NestedParagraphSerializer, QuoteSerializer

from .models import Annotation, Claim, FactCheck, FactCheckStatus, Tag
from .selectors import sees_drafts


class TagSerializer(serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)

    class Meta:
        model = Tag
        fields = ["id", "slug", "name", "description", "colour", "parent"]


class AnnotationSerializer(serializers.ModelSerializer):
    tags = serializers.SerializerMethodField()
    author = serializers.CharField(source="author.username", default=None, read_only=True, allow_null=True)

    class Meta:
        model = Annotation
        fields = [
            "id",
            "article",
            "target",
            "start",
            "end",
            "exact",
            "prefix",
            "suffix",
            "paragraph",
            "quote",
            "tags",
            "note",
            "status",
            "origin",
            "author",
            "created_at",
            "updated_at",
            "version",
        ]

    @extend_schema_field(serializers.ListField(child=serializers.SlugField()))
    def get_tags(self, obj: Annotation) -> list[str]:
        return sorted(tag.slug for tag in obj.tags.all())


class FactCheckSerializer(serializers.ModelSerializer):
    author = serializers.CharField(source="author.username", read_only=True)
    reviewer = serializers.CharField(source="reviewer.username", default=None, read_only=True, allow_null=True)

    class Meta:
        model = FactCheck
        fields = [
            "id",
            "claim",
            "verdict",
            "rationale",
            "evidence",
            "status",
            "author",
            "reviewer",
            "review_comment",
            "published_at",
            "version",
        ]


class ClaimSerializer(serializers.ModelSerializer):
    claimant = serializers.CharField(source="claimant.name", default=None, read_only=True, allow_null=True)
    fact_check = serializers.SerializerMethodField()

    class Meta:
        model = Claim
        fields = ["id", "article", "text", "claimant", "annotation", "fact_check", "version"]

    @extend_schema_field(FactCheckSerializer(allow_null=True))
    def get_fact_check(self, obj: Claim) -> dict | None:
        try:
            fact_check = obj.fact_check
        except Claim.fact_check.RelatedObjectDoesNotExist:
            return None
        request = self.context.get("request")
        if fact_check.status != FactCheckStatus.PUBLISHED and not sees_drafts(getattr(request, "user", None)):
            return None
        return FactCheckSerializer(fact_check, context=self.context).data


class ArticleSummarySerializer(ArticleListSerializer):
    annotation_count = serializers.IntegerField(read_only=True, help_text="Annotations the reader may see.")

    class Meta(ArticleListSerializer.Meta):
        fields = [*ArticleListSerializer.Meta.fields, "annotation_count"]


class ArticleDetailSerializer(ArticleSummarySerializer):
    paragraphs = serializers.SerializerMethodField()
    quotes = serializers.SerializerMethodField()
    annotations = serializers.SerializerMethodField()
    claims = serializers.SerializerMethodField()

    class Meta(ArticleSummarySerializer.Meta):
        fields = [
            *ArticleSummarySerializer.Meta.fields,
            "standfirst",
            "byline",
            "text",
            "pipeline_version",
            "ingested_at",
            "paragraphs",
            "quotes",
            "annotations",
            "claims",
        ]

    def _nested_context(self, obj: Article) -> dict:
        return {**self.context, "article_text": obj.text}

    @extend_schema_field(NestedParagraphSerializer(many=True))
    def get_paragraphs(self, obj: Article) -> list[dict]:
        return NestedParagraphSerializer(obj.paragraphs.all(), many=True, context=self._nested_context(obj)).data

    @extend_schema_field(QuoteSerializer(many=True))
    def get_quotes(self, obj: Article) -> list[dict]:
        return QuoteSerializer(obj.quotes.all(), many=True, context=self._nested_context(obj)).data

    @extend_schema_field(AnnotationSerializer(many=True))
    def get_annotations(self, obj: Article) -> list[dict]:
        return AnnotationSerializer(obj.visible_annotations, many=True, context=self.context).data

    @extend_schema_field(ClaimSerializer(many=True))
    def get_claims(self, obj: Article) -> list[dict]:
        return ClaimSerializer(obj.visible_claims, many=True, context=self.context).data

