"""``/api/``: where each endpoint is, for a person or a program starting from the root."""

from __future__ import annotations

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

# Name in the index -> URL name (of the api namespace unless it has its own).
ENDPOINTS = {
    "articles": "api:article-list",
    "paragraphs": "api:paragraph-list",
    "quotes": "api:quote-list",
    "speakers": "api:speaker-list",
    "sources": "api:source-list",
    "tags": "api:tag-list",
    "annotations": "api:annotation-list",
    "claims": "api:claim-list",
    "fact-checks": "api:factcheck-list",
    "w3c-annotations": "api:w3c-annotation-list",
    "export-jobs": "api:exportjob-list",
    "schema": "schema",
    "docs": "api-docs",
}


class APIRootView(APIView):
    """The API's endpoints by name, as absolute URLs."""

    @extend_schema(
        operation_id="api_root",
        summary="The API's endpoints",
        responses={
            200: OpenApiResponse(
                OpenApiTypes.OBJECT,
                description=(
                    "Each endpoint's name with its URL; `exports` is a template with `{format}` "
                    "(jsonl, csv, parquet, w3c, claimreview)."
                ),
            )
        },
    )
    def get(self, request):
        index = {name: request.build_absolute_uri(reverse(url_name)) for name, url_name in ENDPOINTS.items()}
        stream = request.build_absolute_uri(reverse("api:export-stream", args=["FORMAT"]))
        index["exports"] = stream.replace("FORMAT", "{format}")
        return Response(index)
