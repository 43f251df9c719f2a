"""Export endpoints: a streamed export per format, and background export jobs.

Anonymous readers and viewers get published work only; ``include_drafts=1`` needs the view permission
on annotations. The export is streamed as it is made (csv and parquet as a zip), so a large one starts
at once and never sits whole in memory; the largest belong in a job.
"""

from __future__ import annotations

from django.http import FileResponse, Http404, StreamingHttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, generics, status
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from ..models import ExportJob
from ..selectors import sees_drafts
from . import services
from .pipeline import FORMATS, content_type, filename, stream_bytes
from .selection import LAYERS_ALL, ExportOptions, Selection
from .selectors import export_job_list
from .serializers import ExportJobCreateSerializer, ExportJobSerializer, ExportQuerySerializer

JOB_ID = OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH, description="Export job id.")


class AnyAccept(BaseContentNegotiation):
    """The file's type is the format's, whatever the client accepts; errors still come as JSON."""

    def select_parser(self, request, parsers):
        return parsers[0] if parsers else None

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


def _options(serializer_class, request, data) -> ExportOptions:
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    options = _checked(serializer.options)
    if options.include_drafts and not sees_drafts(request.user):
        raise exceptions.PermissionDenied("include_drafts needs the view permission on annotations.")
    if options.layers == LAYERS_ALL and not sees_drafts(request.user):
        raise exceptions.PermissionDenied("layers=all needs the view permission on annotations.")
    # Filters are checked now, before the first byte: a stream cannot turn into a 400 halfway.
    _checked(lambda: (Selection(options).articles, Selection(options).annotations))
    return options


def _checked(build):
    from django.core.exceptions import ValidationError

    try:
        return build()
    except ValidationError as exc:
        raise exceptions.ValidationError({"detail": exc.messages}) from None


class ExportView(APIView):
    content_negotiation_class = AnyAccept
    permission_model = ExportJob
    checks_query_parameters = True  # the filters, checked before the first byte
    extra_error_codes = ("403",)  # include_drafts without the permission
    response_headers = {"get": ("Content-Disposition",)}

    @extend_schema(
        operation_id="exports_stream",
        parameters=[
            ExportQuerySerializer,
            OpenApiParameter("fmt", OpenApiTypes.STR, OpenApiParameter.PATH, enum=list(FORMATS)),
        ],
        # Each format's own media type (csv and parquet: a zip of the folder); the JSON-LD ones (w3c,
        # claimreview) are one JSON document.
        responses={
            (200, media_type): OpenApiResponse(
                OpenApiTypes.OBJECT if media_type.split(";")[0].endswith("+json") else OpenApiTypes.BINARY
            )
            for media_type in dict.fromkeys(content_type(fmt) for fmt in FORMATS)
        },
        description="The export in one format (jsonl, csv, parquet, w3c, claimreview), streamed.",
    )
    def get(self, request, fmt: str):
        if fmt not in FORMATS:
            raise Http404(f"no export format {fmt!r}")
        options = _options(ExportQuerySerializer, request, request.query_params)
        response = StreamingHttpResponse(
            stream_bytes(fmt=fmt, options=options), content_type=content_type(fmt)
        )
        response["Content-Disposition"] = f'attachment; filename="{filename(fmt)}"'
        return response


class ExportJobListView(generics.ListAPIView):
    """Your export jobs, newest first (an administrator's list has everyone's)."""

    permission_classes = [IsAuthenticated]
    serializer_class = ExportJobSerializer
    filter_backends: list = []
    response_headers = {"post": ("Location",)}

    def get_queryset(self):
        return export_job_list(user=self.request.user)

    @extend_schema(request=ExportJobCreateSerializer, responses={202: ExportJobSerializer})
    def post(self, request):
        options = _options(ExportJobCreateSerializer, request, request.data)
        job = _checked(
            lambda: services.export_job_create(fmt=request.data["format"], options=options, user=request.user)
        )
        job.refresh_from_db()
        body = ExportJobSerializer(job, context={"request": request}).data
        return Response(
            body, status=status.HTTP_202_ACCEPTED, headers={"Location": f"{request.path}{job.pk}/"}
        )


def _job_for(request, pk: str) -> ExportJob:
    if not (pk.isascii() and pk.isdigit()):
        raise exceptions.NotFound("no such export job")
    job = export_job_list(user=request.user).filter(pk=int(pk)).first()
    if job is None:  # someone else's job is no more there than a job that never was
        raise exceptions.NotFound("no such export job")
    return job


class ExportJobDetailView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(parameters=[JOB_ID], responses={200: ExportJobSerializer})
    def get(self, request, pk: str):
        return Response(ExportJobSerializer(_job_for(request, pk), context={"request": request}).data)


class ExportJobDownloadView(APIView):
    permission_classes = [IsAuthenticated]
    content_negotiation_class = AnyAccept

    @extend_schema(
        parameters=[JOB_ID], responses={(200, "application/zip"): OpenApiResponse(OpenApiTypes.BINARY)}
    )
    def get(self, request, pk: str):
        job = _job_for(request, pk)
        path = services.export_job_path(job)
        if path is None:
            raise exceptions.NotFound(f"export job {job.pk} has no file yet (status {job.status}).")
        return FileResponse(
            path.open("rb"), as_attachment=True, filename=path.name, content_type="application/zip"
        )
