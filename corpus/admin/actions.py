"""Admin actions that need a few words from the user first (a role, tags, a comment): one small
intermediate page, then the action runs on the selected rows through the services.

Each row goes through the service on its own: what the service refuses (no permission, a state that
does not allow it, a row changed meanwhile) is reported by name, and the other rows still go through.
"""

from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.template.response import TemplateResponse

from ..versioning import StaleVersion

VERSION_FIELD = "version-{pk}"


def refusal_text(exc: Exception) -> str:
    """A service's refusal as one sentence for a message."""
    if isinstance(exc, ValidationError):
        return "; ".join(exc.messages)
    return str(exc) or "You may not do this."


def apply_each(
    modeladmin, request, objects, apply: Callable[[object], None], *, done: str, refused_as: str = "refused"
) -> int:
    """``apply(obj)`` to each object, each on its own; report what was done and, by name, what was
    refused or found changed meanwhile. Returns the number done."""
    count = stale = 0
    for obj in objects:
        try:
            apply(obj)
            count += 1
        except StaleVersion as exc:
            stale += 1
            modeladmin.message_user(request, f"{obj}: not done: {exc}", messages.WARNING)
        except (ValidationError, PermissionDenied) as exc:
            modeladmin.message_user(request, f"{obj}: {refused_as}: {refusal_text(exc)}", messages.ERROR)
    if count:
        modeladmin.message_user(request, done.format(count=count), messages.SUCCESS)
    if stale:
        modeladmin.message_user(
            request, f"{stale} row(s) changed meanwhile and were left as they are.", messages.WARNING
        )
    return count


def seen_version(request, obj) -> int | None:
    """The version of ``obj`` the user was shown on the intermediate page, if any."""
    raw = request.POST.get(VERSION_FIELD.format(pk=obj.pk), "")
    return int(raw) if raw.isdigit() else None


def action_with_form(
    modeladmin,
    request,
    queryset: QuerySet,
    *,
    form_class: type[forms.Form],
    title: str,
    action: str,
    apply: Callable[..., None],
    done: str,
    carries_version: bool = False,
    details: Callable[[object], list[tuple[str, object]]] | None = None,
):
    """Show ``form_class`` for the selected rows; on a valid submit, ``apply(obj, cleaned_data)`` to each.

    With ``carries_version`` the page lists each row with the version shown, and ``apply`` is called as
    ``apply(obj, cleaned_data, expected_version)`` with that version: a row changed since the page was
    read is refused, never acted on unseen. Rows changed meanwhile are skipped and counted, never
    overwritten; refusals are reported by name.
    """
    form = form_class(request.POST if "apply" in request.POST else None)
    if "apply" in request.POST and form.is_valid():

        def one(obj) -> None:
            if not carries_version:
                apply(obj, form.cleaned_data)
                return
            version = seen_version(request, obj)
            if version is None:
                raise ValidationError("the page did not say which version you read; select it again.")
            apply(obj, form.cleaned_data, version)

        apply_each(modeladmin, request, queryset, one, done=done)
        return None
    return action_form_page(
        modeladmin,
        request,
        queryset,
        form=form,
        title=title,
        action=action,
        carries_version=carries_version,
        details=details,
    )


def action_form_page(
    modeladmin,
    request,
    queryset: QuerySet,
    *,
    form: forms.Form,
    title: str,
    action: str,
    carries_version: bool = False,
    details: Callable[[object], list[tuple[str, object]]] | None = None,
):
    """The intermediate page: the selected rows, the form, and a button that runs the action again."""
    rows = [
        {
            "obj": obj,
            "version": getattr(obj, "version", None),
            "version_field": VERSION_FIELD.format(pk=obj.pk),
            "details": details(obj) if details else [],
        }
        for obj in (queryset if carries_version else queryset[:20])
    ]
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": title,
        "form": form,
        "queryset": queryset,
        "rows": rows,
        "carries_version": carries_version,
        "action": action,
        "opts": modeladmin.model._meta,
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
    }
    return TemplateResponse(request, "admin/action_with_form.html", context)
