"""Endpoints for articles with everything on them, tags, annotations and annotation projects (claims
and fact-checks are ``claim_views``, the W3C annotation container is ``w3c_views``).

Views stay thin: an input serializer checks shapes, a service writes (atomically, with the version
from If-Match as the condition of its UPDATE), a selector reads back what the client may see.
"""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import BaseParser
from rest_framework.response import Response

from api.http import expected_version, validated, versioned_response
from api.parsers import JSONParser
from api.permissions import RolePermission
from corpus import services as corpus_services
from corpus.models import Article, ArticleRevision
from corpus.querysets import LIST_FIELDS
from corpus.serializers import ArticleIngestSerializer, RevisionDetailSerializer, RevisionSerializer

from . import selectors, services
from .agreement import project_agreement
from .filters import AnnotationFilter, ArticleFilter
from .models import Annotation, AnnotationProject, Tag
from .permissions import OwnWork
from .serializers import (
    AgreementSerializer,
    AnnotationListSerializer,
    AnnotationSerializer,
    AnnotationWriteSerializer,
    ArticleDetailSerializer,
    ArticleListItemSerializer,
    ArticleSummarySerializer,
    CheckWorthyDismissSerializer,
    CheckWorthySerializer,
    ProjectSerializer,
    TagSerializer,
)

EXPAND_PARAMETER = OpenApiParameter(
    "expand",
    OpenApiTypes.STR,
    description=(
        "Comma-separated nested lists to include: paragraphs, quotes, annotations, claims. "
        "Default: all on the detail, none on the list."
    ),
)


def _search_context(view) -> dict:
    q = view.request.query_params.get("q", "").strip() if view.action == "list" else ""
    return {"search": q} if q else {}


# --- Articles ------------------------------------------------------------------------------------


def _db_int(value) -> int:
    """A path id as an integer the database can hold; anything else is simply not found."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise Http404 from None
    if not 0 <= number < 2**63:
        raise Http404
    return number


# What the summary serializer reads of a list item: the list's columns and its counts.
_LIST_ROW_VALUES = (*LIST_FIELDS, "paragraph_count", "quote_count", "annotation_count")


class _ListRow:
    """An article of a plain list page as the summary serializer reads it, made from the row's values:
    building a model instance (and its source's) for each of up to 100 rows costs more than the rest of
    the page's serialization. ``source`` is an object with the source's ``name``, or None without one,
    as on the instance; the serializer, and so the JSON, are the same."""

    def __init__(self, values: dict) -> None:
        name = values.pop("source__name")
        self.__dict__.update(values)
        self.source = None if name is None else _SourceName(name)


class _SourceName:
    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name


class HTMLPageParser(BaseParser):
    """An HTML page as the body of an article POST: the view reads the exact bytes itself."""

    media_type = "text/html"

    def parse(self, stream, media_type=None, parser_context=None) -> bytes:
        return stream.read() if stream is not None else b""


@extend_schema_view(
    list=extend_schema(parameters=[EXPAND_PARAMETER], responses=ArticleListItemSerializer(many=True)),
    retrieve=extend_schema(parameters=[EXPAND_PARAMETER]),
)
class ArticleViewSet(viewsets.ReadOnlyModelViewSet):
    """Articles. The list carries counts (and nested lists on request); the detail nests everything."""

    parser_classes = [JSONParser, HTMLPageParser]
    # Dismissing a suggested sentence is an editor's call (the service decides; this only sorts the doors).
    action_permissions = {"check_worthy_dismiss": ["annotations.add_claim"]}

    filterset_class = ArticleFilter
    ordering_fields = ["published_at", "id", "title"]
    http_method_names = ["get", "post", "head", "options"]
    checks_query_parameters = True  # ?expand= on the detail too
    response_headers = {"retrieve": ("ETag",), "create": ("ETag", "Location")}

    def _expand(self) -> tuple[str, ...]:
        raw = self.request.query_params.get("expand")
        if raw is None:
            return selectors.EXPANDABLE if self.action == "retrieve" else ()
        names = tuple(name.strip() for name in raw.split(",") if name.strip())
        unknown = sorted(set(names) - set(selectors.EXPANDABLE))
        if unknown:
            raise exceptions.ValidationError(
                {"expand": [f"unknown: {', '.join(unknown)}; choose from {', '.join(selectors.EXPANDABLE)}."]}
            )
        return names

    def get_queryset(self):
        user = self.request.user
        if self.action == "retrieve":
            return selectors.article_detail(user=user, expand=self._expand())
        if self.action == "list":
            return selectors.article_list(user=user, expand=self._expand()).order_by("-published_at", "-id")
        return selectors.article_list(user=user)

    def get_serializer_class(self):
        if self.action == "retrieve" or (self.action == "list" and self._expand()):
            return ArticleDetailSerializer
        return ArticleSummarySerializer

    def get_serializer_context(self) -> dict:
        context = super().get_serializer_context()
        if self.action in ("list", "retrieve"):
            context["expand"] = self._expand()
        return {**context, **_search_context(self)}

    def retrieve(self, request, *args, **kwargs):
        article = self.get_object()
        return versioned_response(self.get_serializer(article).data, article)

    # A plain page of the list (no ?expand=, no ?q=) is read as values rather than model instances.
    list_as_rows = True

    def paginate_queryset(self, queryset):
        if not (
            self.list_as_rows and self.action == "list" and not self._expand() and not _search_context(self)
        ):
            return super().paginate_queryset(queryset)
        page = super().paginate_queryset(queryset.values(*_LIST_ROW_VALUES))
        return None if page is None else [_ListRow(values) for values in page]

    @extend_schema(
        summary="Ingest an article",
        description=(
            "The JSON ingest format of `manage.py ingest`, or an HTML page sent as `text/html`, through the "
            "same service: the body's bytes are kept as the raw input. The same bytes again answer 200 with "
            "the stored article; the same url with other bytes stores a new revision."
        ),
        request={"application/json": ArticleIngestSerializer, "text/html": OpenApiTypes.BINARY},
        responses={201: ArticleDetailSerializer, 200: ArticleDetailSerializer},
    )
    def create(self, request, *args, **kwargs):
        raw = request.body  # the exact bytes, read before the parser consumes the stream
        if request.content_type.startswith("text/html"):
            record = corpus_services.article_input_from_html(data=raw, origin="request body")
        else:
            validated(ArticleIngestSerializer, request.data)
            record = corpus_services.article_input_from_json(data=raw, origin="request body")
        result = corpus_services.article_add(user=request.user, record=record)
        article = selectors.article_detail(user=request.user).get(pk=result.article.pk)
        data = ArticleDetailSerializer(article, context=self.get_serializer_context()).data
        return versioned_response(
            data,
            article,
            status_code=status.HTTP_201_CREATED if result.created else status.HTTP_200_OK,
            headers={"Location": reverse("api:article-detail", args=[article.pk])},
        )

    @extend_schema(
        summary="Sentences worth checking",
        description=(
            "The article's body sentences ranked by how checkable they are (figures, comparisons, records, "
            "causes, statistics someone gave; not opinions, promises or questions), each with its code-point "
            "offsets, score and reasons. Sentences an editor dismissed, and those already made claims the reader "
            "sees, are left out."
        ),
        responses=CheckWorthySerializer(many=True),
    )
    @action(
        detail=True, methods=["get"], url_path="check-worthy", pagination_class=None, filterset_class=None
    )
    def check_worthy(self, request, pk=None):
        article = get_object_or_404(Article.objects.only("id", "text"), pk=_db_int(pk))
        # A sentence already made a claim is no longer a suggestion (as on the annotate screen).
        claimed = (
            selectors.claim_list(user=request.user).filter(article=article).values_list("text", flat=True)
        )
        found = services.checkworthy_suggestions(article=article, claimed=claimed)
        return Response(CheckWorthySerializer(found, many=True).data)

    @extend_schema(
        summary="Dismiss a suggested sentence",
        description="Editors: the sentence at start-end is not worth checking; it is not suggested again.",
        request=CheckWorthyDismissSerializer,
        responses={204: None},
    )
    @action(
        detail=True,
        methods=["post"],
        url_path="check-worthy/dismiss",
        pagination_class=None,
        filterset_class=None,
    )
    def check_worthy_dismiss(self, request, pk=None):
        article = get_object_or_404(Article.objects.only("id", "text"), pk=_db_int(pk))
        data = validated(CheckWorthyDismissSerializer, request.data)
        services.checkworthy_dismiss(
            article=article, start=data["start"], end=data["end"], actor=request.user
        )
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(summary="Earlier revisions of an article", responses=RevisionSerializer(many=True))
    @action(detail=True, methods=["get"], url_path="revisions", pagination_class=None, filterset_class=None)
    def revisions(self, request, pk=None):
        article = get_object_or_404(Article.objects.only("id"), pk=_db_int(pk))
        queryset = (
            ArticleRevision.objects.filter(article=article).defer("raw_text", "text").order_by("number")
        )
        return Response(RevisionSerializer(queryset, many=True).data)

    @extend_schema(
        summary="One earlier revision, with its text and a diff against the revision that replaced it",
        responses=RevisionDetailSerializer,
    )
    @action(detail=True, methods=["get"], url_path=r"revisions/(?P<number>[0-9]+)", filterset_class=None)
    def revision(self, request, pk=None, number=None):
        revision = get_object_or_404(
            ArticleRevision.objects.defer("raw_text"), article_id=_db_int(pk), number=_db_int(number)
        )
        return Response(RevisionDetailSerializer(revision).data)


class TagViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = TagSerializer
    lookup_field = "slug"

    def get_queryset(self):
        return selectors.tag_list()


# --- Annotations ---------------------------------------------------------------------------------


def _annotation_changes(data: dict, *, partial: bool) -> dict:
    """Service keyword arguments from validated input; PATCH passes only what was sent."""
    data.pop("article", None)
    data.pop("project", None)
    if not partial:
        data.setdefault("start", None)
        data.setdefault("end", None)
        data.setdefault("paragraph", None)
        data.setdefault("quote", None)
    return data


@extend_schema_view(
    list=extend_schema(responses=AnnotationListSerializer(many=True)),
    create=extend_schema(request=AnnotationWriteSerializer, responses={201: AnnotationSerializer}),
    update=extend_schema(request=AnnotationWriteSerializer, responses=AnnotationSerializer),
    partial_update=extend_schema(request=AnnotationWriteSerializer, responses=AnnotationSerializer),
)
class AnnotationViewSet(viewsets.ModelViewSet):
    """Annotations: editors create them and change or delete their own (with If-Match)."""

    serializer_class = AnnotationSerializer
    filterset_class = AnnotationFilter
    ordering_fields = ["article", "start", "created_at", "updated_at"]
    permission_classes = [RolePermission, OwnWork]
    response_headers = {
        "retrieve": ("ETag",),
        "create": ("ETag", "Location"),
        "update": ("ETag",),
        "partial_update": ("ETag",),
    }

    def get_queryset(self):
        return selectors.annotation_list(user=self.request.user)

    def get_serializer_class(self):
        return AnnotationListSerializer if self.action == "list" else AnnotationSerializer

    def get_serializer_context(self) -> dict:
        return {**super().get_serializer_context(), **_search_context(self)}

    def _respond(self, annotation: Annotation, **kwargs) -> Response:
        fresh = self.get_queryset().get(pk=annotation.pk)
        return versioned_response(
            AnnotationSerializer(fresh, context=self.get_serializer_context()).data, fresh, **kwargs
        )

    def retrieve(self, request, *args, **kwargs):
        annotation = self.get_object()
        return versioned_response(self.get_serializer(annotation).data, annotation)

    def create(self, request, *args, **kwargs):
        data = validated(AnnotationWriteSerializer, request.data)
        annotation = services.annotation_create(author=request.user, **data)
        return self._respond(
            annotation,
            status_code=status.HTTP_201_CREATED,
            headers={"Location": reverse("api:annotation-detail", args=[annotation.pk])},
        )

    def update(self, request, *args, partial: bool = False, **kwargs):
        annotation = self.get_object()
        version = expected_version(request, annotation)
        data = validated(AnnotationWriteSerializer, request.data, partial=partial)
        if "article" in data and data["article"].pk != annotation.article_id:
            raise exceptions.ValidationError({"article": ["An annotation cannot move to another article."]})
        if "project" in data and getattr(data["project"], "pk", None) != annotation.project_id:
            raise exceptions.ValidationError(
                {"project": ["An annotation stays in the layer it was made in."]}
            )
        services.annotation_update(
            annotation=annotation,
            expected_version=version,
            user=request.user,
            **_annotation_changes(data, partial=partial),
        )
        return self._respond(annotation)

    def destroy(self, request, *args, **kwargs):
        annotation = self.get_object()
        services.annotation_delete(
            annotation=annotation, expected_version=expected_version(request, annotation), user=request.user
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- Annotation projects ---------------------------------------------------------------------------


class ProjectViewSet(viewsets.ReadOnlyModelViewSet):
    """Annotation projects: articles (with their state), tag set, annotators, annotators per article and
    guidelines; and the agreement of their layers."""

    serializer_class = ProjectSerializer
    filterset_class = None
    ordering_fields = ["name", "id"]

    def get_queryset(self):
        return selectors.project_list()

    def get_serializer_context(self) -> dict:
        context = super().get_serializer_context()
        if self.action in ("list", "retrieve"):
            children: dict[int | None, list[int]] = {}
            slugs: dict[int, str] = {}
            for pk, parent_id, slug in Tag.objects.values_list("pk", "parent_id", "slug"):
                children.setdefault(parent_id, []).append(pk)
                slugs[pk] = slug
            context.update(tag_children=children, tag_slugs=slugs)
        return context

    @extend_schema(
        summary="Inter-annotator agreement, per tag and overall, on the articles closed for curation",
        responses=AgreementSerializer,
    )
    @action(detail=True, methods=["get"], pagination_class=None, filterset_class=None)
    def agreement(self, request, pk=None):
        project = get_object_or_404(AnnotationProject.objects.only("pk", "tag_root"), pk=_db_int(pk))
        return Response(AgreementSerializer(project_agreement(project)).data)
