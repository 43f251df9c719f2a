"""Exports from the admin: an action on selected articles, and a page with the export filters. Both
stream the file through the same pipeline as the command and the API, with the same rules on drafts."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import StreamingHttpResponse
from django.template.response import TemplateResponse

from corpus.models import Source

from .exports.pipeline import FORMATS, content_type, filename, stream_bytes
from .exports.selection import TEXT_FULL, TEXT_NONE, ExportOptions
from .models import AnnotationStatus, Tag


class ExportOptionsForm(forms.Form):
    format = forms.ChoiceField(choices=[(name, name) for name in FORMATS])
    include_drafts = forms.BooleanField(
        required=False, help_text="Draft and rejected annotations and unpublished fact-checks too."
    )
    include_orphans = forms.BooleanField(
        required=False, help_text="Annotations a new revision left unplaced."
    )
    text = forms.ChoiceField(
        choices=[(TEXT_FULL, "with the article text"), (TEXT_NONE, "offsets and hashes only (no text)")],
        initial=TEXT_FULL,
    )
    anonymize_authors = forms.BooleanField(
        required=False, help_text="Stable pseudonyms instead of usernames."
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is None or not user.has_perm("annotations.view_annotation"):
            del self.fields["include_drafts"]  # drafts are for those who may read them

    def options(self, filters: dict[str, str]) -> ExportOptions:
        data = self.cleaned_data
        return ExportOptions(
            filters=filters,
            include_drafts=bool(data.get("include_drafts")),
            include_orphans=bool(data.get("include_orphans")),
            text=data["text"],
            anonymize_authors=bool(data.get("anonymize_authors")),
        )


class ExportFiltersForm(ExportOptionsForm):
    source = forms.ModelChoiceField(
        queryset=Source.objects.order_by("name"), required=False, to_field_name="name"
    )
    language = forms.CharField(required=False, help_text="BCP 47, e.g. en")
    since = forms.DateTimeField(required=False, help_text="Published at or after (UTC).")
    until = forms.DateTimeField(required=False, help_text="Published before (UTC).")
    tag = forms.ModelChoiceField(
        queryset=Tag.objects.order_by("slug"),
        required=False,
        to_field_name="slug",
        help_text="With its descendants.",
    )
    status = forms.ChoiceField(
        choices=[("", "published (default)"), *AnnotationStatus.choices], required=False
    )

    def filters(self) -> dict[str, str]:
        data = self.cleaned_data
        values = {
            "source": data["source"].name if data.get("source") else "",
            "language": data.get("language") or "",
            "since": data["since"].isoformat() if data.get("since") else "",
            "until": data["until"].isoformat() if data.get("until") else "",
            "tag": data["tag"].slug if data.get("tag") else "",
            "status": data.get("status") or "",
        }
        return {k: v for k, v in values.items() if v}


def export_response(fmt: str, options: ExportOptions) -> StreamingHttpResponse:
    response = StreamingHttpResponse(stream_bytes(fmt=fmt, options=options), content_type=content_type(fmt))
    response["Content-Disposition"] = f'attachment; filename="{filename(fmt)}"'
    return response


def export_selected(modeladmin, request, queryset):
    """Admin action on articles: export the selected ones."""
    form = ExportOptionsForm(request.POST if "apply" in request.POST else None, user=request.user)
    if form.is_valid():
        ids = ",".join(str(pk) for pk in queryset.order_by("pk").values_list("pk", flat=True))
        try:
            options = form.options({"article": ids})
        except ValidationError as exc:
            modeladmin.message_user(request, "; ".join(exc.messages), messages.ERROR)
            return None
        return export_response(form.cleaned_data["format"], options)
    from corpus.admin.actions import action_form_page

    return action_form_page(
        modeladmin, request, queryset, form=form, title="Export selected articles", action="export_selected"
    )


def export_page(request, admin_site):
    """The export page: filters and options, then the file."""
    form = ExportFiltersForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            options = form.options(form.filters())
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return export_response(form.cleaned_data["format"], options)
    context = {**admin_site.each_context(request), "title": "Export a dataset", "form": form}
    return TemplateResponse(request, "admin/annotations/export.html", context)
