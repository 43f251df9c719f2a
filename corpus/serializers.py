"""Output shapes of the corpus. Field names are those of the JSONL export (docs/contract.md)."""

from __future__ import annotations

import copy
from datetime import UTC, datetime, timedelta

from django.core.exceptions import ObjectDoesNotExist
from drf_spectacular.utils import extend_schema_field
from rest_framework import ISO_8601, serializers
from rest_framework.fields import SkipField
from rest_framework.relations import PKOnlyObject
from rest_framework.settings import api_settings

from .models import (
    Article,
    ArticleRevision,
    Paragraph,
    ParagraphRole,
    Quote,
    QuoteCluster,
    QuoteKind,
    Source,
    Speaker,
)
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
            "cluster",
            "version",
        ]

    def get_text(self, obj: Quote) -> str:
        text = self.context.get("article_text")
        if text is not None:
            return text[obj.start : obj.end]
        return obj.span_text  # annotated by the list queryset


class SpeakerSummarySerializer(serializers.ModelSerializer):
    """A speaker less its aliases and quote count, which take queries of their own: for pages that
    name the speakers they have already read (the annotate screen)."""

    class Meta:
        model = Speaker
        fields = ["id", "name", "kind", "description", "article", "version"]


class SpeakerSerializer(SpeakerSummarySerializer):
    aliases = serializers.SlugRelatedField(slug_field="phrase", many=True, read_only=True)
    quote_count = serializers.IntegerField(read_only=True)

    class Meta(SpeakerSummarySerializer.Meta):
        fields = ["id", "name", "kind", "description", "aliases", "article", "quote_count", "version"]


class SpeakerMergeSerializer(serializers.Serializer):
    sources = serializers.ListField(
        child=serializers.IntegerField(min_value=1),
        min_length=1,
        max_length=100,
        help_text="Ids of the speakers to fold into this one.",
    )


# Fields whose representation of a value of exactly this type is the value itself.
_PLAIN_FIELDS = {serializers.IntegerField: int, serializers.CharField: str, serializers.URLField: str}
_UTC_DATETIME = object()  # the plan's mark for a date-time DRF writes as ISO 8601 in UTC
_ZERO = timedelta(0)


def _lean_kind(field: serializers.Field):
    """What :class:`LeanRepresentation` may do itself for ``field``: a type, _UTC_DATETIME, or None."""
    if field.source == "*":
        return None
    if type(field) is serializers.BigIntegerField:
        return None if getattr(field, "coerce_to_string", api_settings.COERCE_BIGINT_TO_STRING) else int
    if type(field) is serializers.DateTimeField:
        output = getattr(field, "format", api_settings.DATETIME_FORMAT)
        zone = field.timezone if hasattr(field, "timezone") else field.default_timezone()
        utc = zone is UTC or getattr(zone, "key", None) == "UTC"
        return _UTC_DATETIME if utc and isinstance(output, str) and output.lower() == ISO_8601 else None
    return _PLAIN_FIELDS.get(type(field))


class LeanRepresentation(serializers.Serializer):
    """The representation DRF builds, without its per-field machinery for the plain fields.

    A list page of articles is some 1,300 field look-ups. For integers and strings read straight off
    the instance (``source`` a dotted path of attributes) the value is the representation; a date-time
    in UTC is its ISO 8601 text with a ``Z``. Every other field, and any value that is not plainly there
    (a missing relation, a value of another type or zone), goes through the field's own
    ``get_attribute`` and ``to_representation``, so the output is the same.
    """

    _prototypes: dict[type, dict] = {}

    def get_fields(self) -> dict:
        # A ModelSerializer works its fields out from the model for every instance it makes; the
        # outcome depends on the class alone, so it is worked out once and copied.
        prototypes = LeanRepresentation._prototypes.get(type(self))
        if prototypes is None:
            prototypes = LeanRepresentation._prototypes[type(self)] = super().get_fields()
        # A plain field is bound by setting attributes of its own (name, parent, source), so a shallow
        # copy of the unbound prototype will do: DRF's deep copy builds it again from its arguments. A
        # nested serializer binds the fields it holds: it is copied deeply, as DRF does.
        return {
            name: copy.deepcopy(field) if isinstance(field, serializers.BaseSerializer) else copy.copy(field)
            for name, field in prototypes.items()
        }

    def _lean_plan(self) -> list[tuple]:
        plan = self.__dict__.get("_lean")
        if plan is None:
            plan = self._lean = []
            for field in self._readable_fields:
                kind = _lean_kind(field)
                plan.append((field.field_name, tuple(field.source_attrs) if kind else (), kind, field))
        return plan

    def to_representation(self, instance) -> dict:
        data = {}
        for name, attrs, kind, field in self._lean_plan():
            if attrs:
                value = instance
                try:
                    for attr in attrs:
                        if value is None:
                            break
                        value = getattr(value, attr)
                    else:
                        if value is None or type(value) is kind:
                            data[name] = value
                            continue
                        if kind is _UTC_DATETIME and type(value) is datetime and value.utcoffset() == _ZERO:
                            data[name] = value.replace(tzinfo=None).isoformat() + "Z"
                            continue
                except (AttributeError, ObjectDoesNotExist):
                    pass
            try:
                attribute = field.get_attribute(instance)
            except SkipField:
                continue
            check_for_none = attribute.pk if isinstance(attribute, PKOnlyObject) else attribute
            data[name] = None if check_for_none is None else field.to_representation(attribute)
        return data


class ArticleListSerializer(LeanRepresentation, serializers.ModelSerializer):
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


class ArticleHeaderSerializer(serializers.ModelSerializer):
    """The fields of an article's detail that a screen showing its text needs, and no count: what the
    annotate screen embeds, each with the value the API's article detail gives it."""

    class Meta:
        model = Article
        fields = ["id", "title", "text", "language", "version"]


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


class ClusterMemberSerializer(serializers.ModelSerializer):
    """One appearance of the words: the quote, its article and who it names as the speaker. Its date is
    the article's ``published_at`` and, beside it, ``ingested_at``: what dates an undated article (the
    first appearance of a cluster none of whose articles has a publication date is the earliest
    ingested), as on the annotate screen."""

    quote = serializers.IntegerField(source="id", read_only=True)
    text = serializers.CharField(source="exact", read_only=True)
    url = serializers.CharField(source="article.url", read_only=True, allow_null=True)
    source = serializers.CharField(
        source="article.source.name", default=None, read_only=True, allow_null=True
    )
    published_at = serializers.DateTimeField(source="article.published_at", read_only=True, allow_null=True)
    ingested_at = serializers.DateTimeField(source="article.ingested_at", read_only=True)
    speaker = serializers.CharField(source="speaker.name", default=None, read_only=True, allow_null=True)

    class Meta:
        model = Quote
        fields = [
            "quote",
            "article",
            "url",
            "source",
            "published_at",
            "ingested_at",
            "kind",
            "text",
            "speaker",
            "speaker_id",
        ]


class QuoteClusterSerializer(serializers.ModelSerializer):
    first_appearance = serializers.SerializerMethodField()
    members = serializers.SerializerMethodField()
    speakers = serializers.SerializerMethodField()

    class Meta:
        model = QuoteCluster
        fields = [
            "id",
            "size",
            "articles",
            "speakers_disagree",
            "first_appearance",
            "speakers",
            "members",
            "version",
        ]

    @extend_schema_field(ClusterMemberSerializer(allow_null=True))
    def get_first_appearance(self, obj: QuoteCluster):
        first = obj.first_quote
        return ClusterMemberSerializer(first).data if first is not None else None

    @extend_schema_field(ClusterMemberSerializer(many=True))
    def get_members(self, obj: QuoteCluster):
        members = self.context.get("members")
        return ClusterMemberSerializer(members, many=True).data if members is not None else None

    @extend_schema_field(serializers.ListField(child=serializers.DictField()))
    def get_speakers(self, obj: QuoteCluster):
        """Who its quotes name, with how many times, the most quoted first (``quote_cluster_speakers``,
        over every member): more than one is a disagreement."""
        return self.context.get("speakers")


class ClusterMergeSerializer(serializers.Serializer):
    clusters = serializers.ListField(
        child=serializers.IntegerField(min_value=1),
        min_length=1,
        help_text="Clusters to merge into this one.",
    )


class ClusterSplitSerializer(serializers.Serializer):
    quotes = serializers.ListField(
        child=serializers.IntegerField(min_value=1),
        min_length=1,
        help_text="Quotes of this cluster to take out (together, they form a cluster of their own).",
    )
