"""Input and output shapes of the export endpoints."""

from __future__ import annotations

from django.urls import reverse
from rest_framework import serializers

from ..models import AnnotationStatus, ExportJob
from .pipeline import FORMATS
from .selection import LAYERS_ALL, LAYERS_CURATED, TEXT_FULL, TEXT_NONE, ExportOptions


class ExportQuerySerializer(serializers.Serializer):
    """The filters and options of an export, as a query string (GET) or a JSON body (a job)."""

    source = serializers.CharField(required=False, help_text="Source name, exactly.")
    language = serializers.CharField(required=False, help_text="BCP 47 language tag, exactly.")
    since = serializers.CharField(
        required=False, help_text="Articles published at or after (ISO date or date-time)."
    )
    until = serializers.CharField(
        required=False, help_text="Articles published before (ISO date or date-time)."
    )
    tag = serializers.CharField(
        required=False, help_text="Tag slug: articles with such an annotation (or below it), and only those."
    )
    status = serializers.ChoiceField(choices=AnnotationStatus.choices, required=False)
    speaker = serializers.IntegerField(required=False, help_text="Articles quoting this speaker (id).")
    article = serializers.CharField(required=False, help_text="Comma-separated article ids.")
    text = serializers.ChoiceField(choices=[TEXT_FULL, TEXT_NONE], default=TEXT_FULL)
    anonymize_authors = serializers.BooleanField(default=False)
    include_drafts = serializers.BooleanField(
        default=False, help_text="Needs the view permission on annotations."
    )
    include_orphans = serializers.BooleanField(default=False)
    layers = serializers.ChoiceField(
        choices=[LAYERS_CURATED, LAYERS_ALL],
        default=LAYERS_CURATED,
        help_text="Annotation projects: the curated layer only, or every annotator's layer too (on articles "
        "closed for curation); all needs the view permission on annotations.",
    )

    FILTERS = ("source", "language", "since", "until", "tag", "status", "speaker", "article")

    def options(self) -> ExportOptions:
        data = self.validated_data
        return ExportOptions(
            filters={name: data[name] for name in self.FILTERS if name in data},
            include_drafts=data["include_drafts"],
            include_orphans=data["include_orphans"],
            text=data["text"],
            anonymize_authors=data["anonymize_authors"],
            layers=data["layers"],
        )


class ExportJobCreateSerializer(ExportQuerySerializer):
    format = serializers.ChoiceField(choices=sorted(FORMATS))


class ExportJobSerializer(serializers.ModelSerializer):
    requested_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    download = serializers.SerializerMethodField()

    class Meta:
        model = ExportJob
        fields = [
            "id", "format", "filters", "requested_by", "status", "manifest", "error", "created_at",
            "finished_at", "download",
        ]  # fmt: skip
        read_only_fields = fields

    def get_download(self, job: ExportJob) -> str | None:
        if job.status != "done":
            return None
        path = reverse("api:exportjob-download", args=[job.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path
