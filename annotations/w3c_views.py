"""The W3C Web Annotation Protocol: the annotation container and its annotations, in JSON-LD.

The mapping between annotations and W3C annotations is ``annotations.w3c``; these views add the
protocol (content negotiation, ``Prefer``, container paging, ETags) around the same services.
"""

from __future__ import annotations

from django.db.models import Count, Max
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, renderers, status
from rest_framework.generics import get_object_or_404 as drf_get_object_or_404
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from api.http import etag_for, expected_version
from api.parsers import JSONParser
from api.permissions import RolePermission
from corpus.models import Article

from . import selectors, services, w3c
from .models import Annotation
from .permissions import OwnWork


class W3CRenderer(renderers.JSONRenderer):
    media_type = w3c.MEDIA_TYPE
    format = "jsonld"


class JSONLDRenderer(renderers.JSONRenderer):
    media_type = "application/ld+json"


class JSONLDParser(JSONParser):
    media_type = "application/ld+json"


class W3CNegotiation(DefaultContentNegotiation):
    """Whoever asks for JSON-LD gets the annotation profile, as the protocol requires."""

    def select_renderer(self, request, renderers, format_suffix=None):
        # ?format=jsonld names the profile, whose media type (with its parameter) matches no Accept
        # pattern but its own: answer it rather than 406.
        if (
            format_suffix or request.query_params.get(api_settings.URL_FORMAT_OVERRIDE)
        ) == W3CRenderer.format:
            return W3CRenderer(), W3CRenderer.media_type
        renderer, media_type = super().select_renderer(request, renderers, format_suffix)
        if isinstance(renderer, JSONLDRenderer):
            return W3CRenderer(), W3CRenderer.media_type
        return renderer, media_type


CONTAINER_LINKS = (
    '<http://www.w3.org/ns/ldp#BasicContainer>; rel="type", '
    '<http://www.w3.org/TR/annotation-protocol/>; rel="http://www.w3.org/ns/ldp#constrainedBy"'
)
RESOURCE_LINKS = '<http://www.w3.org/ns/ldp#Resource>; rel="type"'
PREFER_IRIS = "http://www.w3.org/ns/oa#PreferContainedIRIs"
PREFER_MINIMAL = "http://www.w3.org/ns/ldp#PreferMinimalContainer"
W3C_PAGE_SIZE = 20

W3C_DOCUMENT = OpenApiResponse(
    response=OpenApiTypes.OBJECT, description="A W3C Web Annotation (JSON-LD, anno.jsonld context)."
)


class W3CMixin:
    renderer_classes = [W3CRenderer, JSONLDRenderer, renderers.JSONRenderer]
    parser_classes = [JSONLDParser, JSONParser]
    content_negotiation_class = W3CNegotiation
    permission_classes = [RolePermission, OwnWork]
    permission_model = Annotation
    negotiates_content = True

    def get_queryset(self):
        return selectors.annotation_list(user=self.request.user).prefetch_related(w3c.W3C_CLAIMS)

    def _document(self, annotation: Annotation) -> dict:
        return w3c.to_w3c(annotation, drafts=selectors.sees_drafts(self.request.user))

    def _payload(self) -> dict:
        try:
            return w3c.from_w3c(self.request.data)
        except w3c.W3CError as error:
            raise exceptions.ValidationError({error.field: [str(error)]}) from None

    def _service_kwargs(self, payload: dict) -> tuple[Article, dict]:
        article = Article.objects.filter(pk=payload.pop("article_id")).first()
        if article is None:
            raise exceptions.ValidationError({"target": ["No such article."]})
        exact, prefix, suffix = (
            payload.pop("exact", None),
            payload.pop("prefix", ""),
            payload.pop("suffix", ""),
        )
        if payload["target"] == "span" and "start" not in payload:
            try:
                found = w3c.quote_locate(article.text, exact=exact, prefix=prefix, suffix=suffix)
            except w3c.W3CError as error:
                raise exceptions.ValidationError({error.field: [str(error)]}) from None
            if found is None:
                raise exceptions.ValidationError(
                    {"target.selector": ["The quoted text is not in the article."]}
                )
            payload["start"], payload["end"] = found
        if exact is not None:
            payload["exact"] = exact
        return article, payload


@extend_schema(tags=["w3c"])
class W3CContainerView(W3CMixin, APIView):
    """The W3C Web Annotation Protocol container of the annotations the reader may see."""

    checks_query_parameters = True  # ?page=
    response_headers = {
        "get": ("ETag", "Link", "Allow", "Accept-Post"),
        "post": ("Location", "ETag", "Link", "Allow"),
    }

    def _headers(self) -> dict[str, str]:
        return {
            "Link": CONTAINER_LINKS,
            "Allow": "GET, HEAD, OPTIONS, POST",
            "Accept-Post": w3c.MEDIA_TYPE,
        }

    def _page(self, queryset, number: int, total: int, *, iris: bool) -> dict:
        container = w3c.container_iri()
        start = number * W3C_PAGE_SIZE
        items = list(queryset[start : start + W3C_PAGE_SIZE])
        page = {
            "id": f"{container}?page={number}",
            "type": "AnnotationPage",
            "partOf": container,
            "startIndex": start,
            "items": [w3c.annotation_iri(a.pk) if iris else self._document(a) for a in items],
        }
        if start + W3C_PAGE_SIZE < total:
            page["next"] = f"{container}?page={number + 1}"
        if number > 0:
            page["prev"] = f"{container}?page={number - 1}"
        return page

    @extend_schema(
        operation_id="w3c_container_retrieve",
        parameters=[
            OpenApiParameter("page", OpenApiTypes.INT, description="0-based page; without it, the container.")
        ],
        responses={
            200: OpenApiResponse(
                OpenApiTypes.OBJECT, description="An AnnotationCollection or AnnotationPage."
            )
        },
    )
    def get(self, request):
        queryset = self.get_queryset()
        stats = queryset.order_by().aggregate(total=Count("pk"), latest=Max("updated_at"), top=Max("id"))
        total = stats["total"]
        prefer = request.headers.get("Prefer", "")
        iris = PREFER_IRIS in prefer
        page_param = request.query_params.get("page")
        etag = f'W/"{total}-{stats["top"] or 0}-{stats["latest"].timestamp() if stats["latest"] else 0}"'
        headers = {**self._headers(), "ETag": etag}
        if page_param is not None:
            try:
                number = int(page_param)
            except ValueError:
                raise exceptions.ValidationError({"page": ["A page number is an integer from 0."]}) from None
            if number < 0 or (number > 0 and number * W3C_PAGE_SIZE >= total):
                raise exceptions.NotFound(f"No page {page_param}.")
            page = {"@context": w3c.CONTEXT, **self._page(queryset, number, total, iris=iris)}
            return Response(page, headers=headers)
        container = w3c.container_iri()
        last = max(0, (total - 1) // W3C_PAGE_SIZE)
        body: dict = {
            "@context": [w3c.CONTEXT, w3c.LDP_CONTEXT],
            "id": container,
            "type": ["BasicContainer", "AnnotationCollection"],
            "label": "Annotations of the news corpus",
            "total": total,
        }
        if total:
            body["first"] = (
                f"{container}?page=0"
                if PREFER_MINIMAL in prefer
                else self._page(queryset, 0, total, iris=iris)
            )
            body["last"] = f"{container}?page={last}"
        return Response(body, headers=headers)

    @extend_schema(request=OpenApiTypes.OBJECT, responses={201: W3C_DOCUMENT})
    def post(self, request):
        article, kwargs = self._service_kwargs(self._payload())
        annotation = services.annotation_create(article=article, author=request.user, **kwargs)
        fresh = self.get_queryset().get(pk=annotation.pk)
        return Response(
            self._document(fresh),
            status=status.HTTP_201_CREATED,
            headers={
                "Location": w3c.annotation_iri(fresh.pk),
                "ETag": etag_for(fresh),
                "Link": RESOURCE_LINKS,
                "Allow": "GET, HEAD, OPTIONS, PUT, DELETE",
            },
        )


@extend_schema(tags=["w3c"])
class W3CAnnotationView(W3CMixin, APIView):
    """One annotation of the container: read, replace (PUT) or delete it, with If-Match."""

    response_headers = {
        "get": ("ETag", "Link", "Allow"),
        "put": ("ETag", "Link", "Allow"),
        "delete": ("Allow",),
    }

    def get_object(self) -> Annotation:
        annotation = drf_get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])
        self.check_object_permissions(self.request, annotation)
        return annotation

    def _respond(self, annotation: Annotation) -> Response:
        return Response(
            self._document(annotation),
            headers={
                "ETag": etag_for(annotation),
                "Link": RESOURCE_LINKS,
                "Allow": "GET, HEAD, OPTIONS, PUT, DELETE",
            },
        )

    @extend_schema(responses={200: W3C_DOCUMENT})
    def get(self, request, pk: int):
        return self._respond(self.get_object())

    @extend_schema(request=OpenApiTypes.OBJECT, responses={200: W3C_DOCUMENT})
    def put(self, request, pk: int):
        annotation = self.get_object()
        version = expected_version(request, annotation)
        payload = self._payload()
        if "id" in request.data and request.data["id"] != w3c.annotation_iri(annotation.pk):
            raise exceptions.ValidationError({"id": ["The id must be this annotation's IRI."]})
        article, kwargs = self._service_kwargs(payload)
        if article.pk != annotation.article_id:
            raise exceptions.ValidationError({"target": ["An annotation cannot move to another article."]})
        kwargs.setdefault("start", None)
        kwargs.setdefault("end", None)
        services.annotation_update(
            annotation=annotation, expected_version=version, user=request.user, **kwargs
        )
        return self._respond(self.get_queryset().get(pk=annotation.pk))

    @extend_schema(responses={204: None})
    def delete(self, request, pk: int):
        annotation = self.get_object()
        services.annotation_delete(
            annotation=annotation, expected_version=expected_version(request, annotation), user=request.user
        )
        return Response(
            status=status.HTTP_204_NO_CONTENT, headers={"Allow": "GET, HEAD, OPTIONS, PUT, DELETE"}
        )
