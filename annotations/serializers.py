"""Output shapes of tags, annotations, claims and fact-checks, and of an article with everything on it.

Field names are those of the JSONL export (docs/contract.md).
"""

from __future__ import annotations

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from corpus.models import Article, Paragraph, Quote, Speaker
from corpus.search import snippet_cut
from corpus.serializers import ArticleListSerializer, NestedParagraphSerializer, QuoteSerializer

from . import selectors
from .models import (
    Annotation,
    AnnotationProject,
    AnnotationStatus,
    AnnotationTarget,
    Claim,
    FactCheck,
    FactCheckStatus,
    Tag,
    Verdict,
)
from .selectors import EXPANDABLE, sees_drafts


class SnippetMixin(serializers.Serializer):
    """The highlighted passage of a search hit; null unless the list was searched with ``q``."""

    snippet = serializers.SerializerMethodField(
        help_text="With ?q=: the matching passage, hits between <mark> and </mark> (text not HTML-escaped)."
    )
    snippet_source = "text"

    def get_snippet(self, obj) -> str | None:
        built = getattr(obj, "search_snippet", None)
        if built is not None:
            return built
        q = self.context.get("search")
        return snippet_cut(getattr(obj, self.snippet_source), q) if q else None


def _reader(context: dict):
    """Who reads: the request's user, or the ``reader`` given where there is no request (the annotate
    screen builds its data from these serializers for the user it is drawn for)."""
    if "reader" in context:
        return context["reader"]
    return getattr(context.get("request"), "user", None)


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
            "anchor",
            "anchor_score",
            "project",
            "curated",
            "created_at",
            "updated_at",
            "version",
        ]
        read_only_fields = ["anchor", "anchor_score", "project", "curated"]
        extra_kwargs = {
            "project": {"help_text": "The annotation project whose layer it is in; null on the shared desk."},
            "curated": {"help_text": "Part of the project's curated (published) layer."},
        }

    @extend_schema_field(serializers.ListField(child=serializers.SlugField()))
    def get_tags(self, obj: Annotation) -> list[str]:
        return sorted(tag.slug for tag in obj.tags.all())


class AnnotationListSerializer(SnippetMixin, AnnotationSerializer):
    snippet_source = "note"

    class Meta(AnnotationSerializer.Meta):
        fields = [*AnnotationSerializer.Meta.fields, "snippet"]


class FactCheckRevisionSerializer(serializers.Serializer):
    verdict = serializers.ChoiceField(choices=Verdict.choices)
    rationale = serializers.CharField()
    evidence = serializers.ListField(child=serializers.DictField())
    status = serializers.ChoiceField(choices=[FactCheckStatus.DRAFT, FactCheckStatus.IN_REVIEW])


class FactCheckSerializer(serializers.ModelSerializer):
    """The published verdict stays what was approved; a change to it waits in ``revision`` (shown to
    those who see drafts) until a reviewer approves it."""

    author = serializers.CharField(source="author.username", read_only=True)
    reviewer = serializers.CharField(
        source="reviewer.username", default=None, read_only=True, allow_null=True
    )
    revision = serializers.SerializerMethodField()

    @extend_schema_field(FactCheckRevisionSerializer(allow_null=True))
    def get_revision(self, obj: FactCheck) -> dict | None:
        if obj.revision is None or not sees_drafts(_reader(self.context)):
            return None
        return {**obj.revision, "status": obj.revision_status}

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
            "modified_at",
            "revision",
            "version",
        ]


class ClaimSerializer(serializers.ModelSerializer):
    claimant = serializers.CharField(source="claimant.name", default=None, read_only=True, allow_null=True)
    claimant_id = serializers.IntegerField(
        read_only=True, allow_null=True, help_text="The claimant's speaker id (its name is claimant)."
    )
    fact_check = serializers.SerializerMethodField()

    class Meta:
        model = Claim
        fields = ["id", "article", "text", "claimant", "claimant_id", "annotation", "fact_check", "version"]

    @extend_schema_field(FactCheckSerializer(allow_null=True))
    def get_fact_check(self, obj: Claim) -> dict | None:
        try:
            fact_check = obj.fact_check
        except Claim.fact_check.RelatedObjectDoesNotExist:
            return None
        if fact_check.status != FactCheckStatus.PUBLISHED and not sees_drafts(_reader(self.context)):
            return None
        return FactCheckSerializer(fact_check, context=self.context).data


class ArticleSummarySerializer(SnippetMixin, ArticleListSerializer):
    annotation_count = serializers.IntegerField(read_only=True, help_text="Annotations the reader may see.")

    class Meta(ArticleListSerializer.Meta):
        fields = [*ArticleListSerializer.Meta.fields, "annotation_count", "snippet"]


# Where each nested list of an article is served whole, page by page.
_NESTED_LISTS = {
    "paragraphs": "api:paragraph-list",
    "quotes": "api:quote-list",
    "annotations": "api:annotation-list",
    "claims": "api:claim-list",
}


class ArticleDetailSerializer(ArticleSummarySerializer):
    paragraphs = serializers.SerializerMethodField()
    quotes = serializers.SerializerMethodField()
    annotations = serializers.SerializerMethodField()
    claims = serializers.SerializerMethodField()
    more = serializers.SerializerMethodField(
        help_text=(
            "The nested lists cut short (each embeds at most its first "
            f"{selectors.NESTED_LIMIT}), each with the link to its full, paginated list; empty when "
            "every list is whole."
        )
    )

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
            "more",
        ]
        schema_optional = EXPANDABLE

    def get_fields(self) -> dict:
        """Only the nested lists asked for with ``?expand=`` (all when the view does not say)."""
        fields = super().get_fields()
        expand = self.context.get("expand")
        if expand is not None:
            for name in set(EXPANDABLE) - set(expand):
                fields.pop(name, None)
        return fields

    def _nested_context(self, obj: Article) -> dict:
        return {**self.context, "article_text": obj.text}

    def _bounded(self, obj: Article, name: str, rows) -> list:
        """At most ``NESTED_LIMIT`` rows; the prefetch read one more when there are more."""
        rows = list(rows)
        if len(rows) > selectors.NESTED_LIMIT:
            path = reverse(_NESTED_LISTS[name]) + f"?article={obj.pk}"
            request = self.context.get("request")
            self._more(obj)[name] = request.build_absolute_uri(path) if request is not None else path
            rows = rows[: selectors.NESTED_LIMIT]
        return rows

    def _more(self, obj: Article) -> dict[str, str]:
        if getattr(obj, "_nested_more", None) is None:
            obj._nested_more = {}
        return obj._nested_more

    @extend_schema_field(NestedParagraphSerializer(many=True))
    def get_paragraphs(self, obj: Article) -> list[dict]:
        rows = self._bounded(obj, "paragraphs", obj.embedded_paragraphs)
        return NestedParagraphSerializer(rows, many=True, context=self._nested_context(obj)).data

    @extend_schema_field(QuoteSerializer(many=True))
    def get_quotes(self, obj: Article) -> list[dict]:
        rows = self._bounded(obj, "quotes", obj.embedded_quotes)
        return QuoteSerializer(rows, many=True, context=self._nested_context(obj)).data

    @extend_schema_field(AnnotationSerializer(many=True))
    def get_annotations(self, obj: Article) -> list[dict]:
        rows = self._bounded(obj, "annotations", obj.visible_annotations)
        return AnnotationSerializer(rows, many=True, context=self.context).data

    @extend_schema_field(ClaimSerializer(many=True))
    def get_claims(self, obj: Article) -> list[dict]:
        rows = self._bounded(obj, "claims", obj.visible_claims)
        return ClaimSerializer(rows, many=True, context=self.context).data

    @extend_schema_field({"type": "object", "additionalProperties": {"type": "string", "format": "uri"}})
    def get_more(self, obj: Article) -> dict[str, str]:
        # Declared after the nested lists, so it is read after them.
        return dict(self._more(obj))


class ArticleListItemSerializer(ArticleDetailSerializer):
    """Documents a list item: the summary, plus the text and the nested lists asked for with ``?expand=``."""

    class Meta(ArticleDetailSerializer.Meta):
        schema_optional = (
            *EXPANDABLE, "more", "standfirst", "byline", "text", "pipeline_version", "ingested_at",
        )  # fmt: skip

    def get_fields(self) -> dict:
        # Every field a list item may carry, whatever the request that the schema was generated from.
        return super(ArticleDetailSerializer, self).get_fields()


# --- Input shapes of the writes --------------------------------------------------------------


class AnnotationWriteSerializer(serializers.Serializer):
    """An annotation as a client writes it: the field names of the export, plus ``article``.

    What a client reads it can send back; read-only fields (id, prefix, suffix, origin, author,
    version, times) are ignored.
    """

    article = serializers.PrimaryKeyRelatedField(queryset=Article.objects.all())
    target = serializers.ChoiceField(choices=AnnotationTarget.choices, default=AnnotationTarget.SPAN)
    start = serializers.IntegerField(min_value=0, allow_null=True, required=False)
    end = serializers.IntegerField(min_value=0, allow_null=True, required=False)
    exact = serializers.CharField(
        allow_blank=True,
        allow_null=True,
        required=False,
        trim_whitespace=False,
        help_text="text[start:end]; derived when left out, refused when it differs.",
    )
    paragraph = serializers.PrimaryKeyRelatedField(
        queryset=Paragraph.objects.all(),
        allow_null=True,
        required=False,
        help_text="For target=paragraph (id).",
    )
    quote = serializers.PrimaryKeyRelatedField(
        queryset=Quote.objects.all(), allow_null=True, required=False, help_text="For target=quote (id)."
    )
    tags = serializers.ListField(child=serializers.SlugField(), default=list, help_text="Tag slugs.")
    note = serializers.CharField(allow_blank=True, default="", trim_whitespace=False)
    status = serializers.ChoiceField(choices=AnnotationStatus.choices, default=AnnotationStatus.DRAFT)
    project = serializers.PrimaryKeyRelatedField(
        queryset=AnnotationProject.objects.all(),
        allow_null=True,
        required=False,
        help_text="An annotation project (id) whose annotator you are: the annotation goes into your "
        "layer there. Left out: the shared desk.",
    )


NEW_CLAIMANT_HELP = (
    "A claimant no speaker stands for yet, in the article's words ('a senior official who declined to be "
    "named'): it becomes a speaker of the article. Instead of claimant."
)


class ClaimWriteSerializer(serializers.Serializer):
    article = serializers.PrimaryKeyRelatedField(queryset=Article.objects.all())
    text = serializers.CharField()
    claimant = serializers.PrimaryKeyRelatedField(
        queryset=Speaker.objects.all(), allow_null=True, required=False, help_text="Speaker id."
    )
    annotation = serializers.PrimaryKeyRelatedField(
        queryset=Annotation.objects.all(), allow_null=True, required=False, help_text="Annotation id."
    )
    new_claimant = serializers.CharField(required=False, max_length=300, help_text=NEW_CLAIMANT_HELP)


class ClaimUpdateSerializer(serializers.Serializer):
    """What PATCH may change; the article stays."""

    text = serializers.CharField(required=False)
    claimant = serializers.PrimaryKeyRelatedField(
        queryset=Speaker.objects.all(), allow_null=True, required=False, help_text="Speaker id."
    )
    annotation = serializers.PrimaryKeyRelatedField(
        queryset=Annotation.objects.all(), allow_null=True, required=False, help_text="Annotation id."
    )
    new_claimant = serializers.CharField(required=False, max_length=300, help_text=NEW_CLAIMANT_HELP)


class EvidenceSerializer(serializers.Serializer):
    url = serializers.CharField()
    title = serializers.CharField(required=False, allow_blank=True)
    publisher = serializers.CharField(required=False, allow_blank=True)
    accessed = serializers.CharField(required=False, allow_blank=True, help_text="YYYY-MM-DD.")


class FactCheckWriteSerializer(serializers.Serializer):
    claim = serializers.PrimaryKeyRelatedField(queryset=Claim.objects.all())
    verdict = serializers.ChoiceField(choices=Verdict.choices)
    rationale = serializers.CharField(allow_blank=True, default="", trim_whitespace=False)
    evidence = EvidenceSerializer(many=True, required=False)


class FactCheckUpdateSerializer(serializers.Serializer):
    verdict = serializers.ChoiceField(choices=Verdict.choices, required=False)
    rationale = serializers.CharField(allow_blank=True, required=False, trim_whitespace=False)
    evidence = EvidenceSerializer(many=True, required=False)


class WithdrawSerializer(serializers.Serializer):
    reason = serializers.CharField(help_text="Why the fact-check comes off the public record.")


class SendBackSerializer(serializers.Serializer):
    comment = serializers.CharField(help_text="What needs to change before the fact-check can be published.")


class CheckWorthySerializer(serializers.Serializer):
    """A sentence worth checking, as the machine ranks them: code-point offsets, words, score and why."""

    start = serializers.IntegerField()
    end = serializers.IntegerField()
    text = serializers.CharField()
    score = serializers.FloatField()
    reasons = serializers.ListField(child=serializers.CharField())


class CheckWorthyDismissSerializer(serializers.Serializer):
    start = serializers.IntegerField(min_value=0)
    end = serializers.IntegerField(min_value=1)


# --- Annotation projects ------------------------------------------------------------------------


class ProjectArticleSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="article_id", help_text="Article id.")
    state = serializers.CharField(help_text="open, closed (for curation) or curated.")


class ProjectSerializer(serializers.ModelSerializer):
    """A project's set-up; the tag set is its root and every tag below it (slugs), read from the
    vocabulary the view loads once (``tag_children`` in the context)."""

    articles = ProjectArticleSerializer(source="entries", many=True, read_only=True)
    tag_root = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    tags = serializers.SerializerMethodField()
    annotators = serializers.SlugRelatedField(slug_field="username", many=True, read_only=True)
    curators = serializers.SlugRelatedField(slug_field="username", many=True, read_only=True)

    class Meta:
        model = AnnotationProject
        fields = [
            "id",
            "name",
            "guidelines",
            "tag_root",
            "tags",
            "articles",
            "annotators",
            "curators",
            "annotators_per_article",
        ]

    @extend_schema_field(serializers.ListField(child=serializers.SlugField()))
    def get_tags(self, obj: AnnotationProject) -> list[str]:
        children, slugs = self.context["tag_children"], self.context["tag_slugs"]
        found, frontier = [obj.tag_root_id], [obj.tag_root_id]
        while frontier:
            frontier = [child for pk in frontier for child in children.get(pk, ())]
            found.extend(frontier)
        return sorted(slugs[pk] for pk in found)


class AgreementFigureSerializer(serializers.Serializer):
    value = serializers.FloatField(allow_null=True, help_text="The coefficient; null where undefined.")
    items = serializers.IntegerField(help_text="Items measured (units with two ratings or more).")
    observed = serializers.FloatField(allow_null=True, required=False, help_text="Observed agreement.")
    expected = serializers.FloatField(
        allow_null=True, required=False, help_text="Agreement expected by chance."
    )
    raters_per_item = serializers.IntegerField(required=False, help_text="Fleiss: ratings on each item.")
    values = serializers.IntegerField(required=False, help_text="Krippendorff: pairable values.")
    categories = serializers.DictField(child=serializers.IntegerField(), help_text="Ratings per category.")


class AgreementRowSerializer(serializers.Serializer):
    tag = serializers.SlugField(allow_null=True, help_text="A tag of the project; null: overall.")
    unit = serializers.ChoiceField(choices=["article", "paragraph", "token", "span_exact", "span_overlap"])
    annotators = serializers.IntegerField()
    cohen_kappa = AgreementFigureSerializer(allow_null=True, help_text="Only with exactly two annotators.")
    fleiss_kappa = AgreementFigureSerializer(allow_null=True)
    krippendorff_alpha = AgreementFigureSerializer(help_text="Nominal.")


class AgreementPairSerializer(serializers.Serializer):
    a = serializers.CharField()
    b = serializers.CharField()
    cohen_kappa = AgreementFigureSerializer()


class AgreementSerializer(serializers.Serializer):
    project = serializers.IntegerField()
    articles = serializers.IntegerField(help_text="Articles measured: those closed for curation or curated.")
    annotators = serializers.ListField(child=serializers.CharField())
    rows = AgreementRowSerializer(many=True)
    pairs = serializers.DictField(
        child=AgreementPairSerializer(many=True),
        help_text="Per unit: Cohen's kappa of each pair of annotators.",
    )
    unitized = serializers.JSONField(
        help_text="Krippendorff's unitizing alpha of the span layers (each tag a category): per article "
        "(value, units, and per category value, observed and expected disagreement), and pooled over the "
        "articles end to end when the same annotators had every one (else null)."
    )
