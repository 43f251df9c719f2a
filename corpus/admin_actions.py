"""Admin actions that need a few words from the user first (a role, tags, a comment): one small
intermediate page, then the action runs on the selected rows through the services."""

from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.contrib.admin import helpers
from django.db.models import QuerySet
from django.template.response import TemplateResponse

from .versioning import StaleVersion


def action_with_form(
    modeladmin,
    request,
    queryset: QuerySet,
    *,
    form_class: type[forms.Form],
    title: str,
    action: str,
    apply: Callable[[object, dict], None],
    done: str,
):
    """Show ``form_class`` for the selected rows; on a valid submit, ``apply(obj, cleaned_data)`` to each.

    Rows changed meanwhile by someone else (``StaleVersion``) are skipped and counted, never overwritten.
    """
    form = form_class(request.POST if "apply" in request.POST else None)
    if "apply" in request.POST and form.is_valid():
        applied = stale = 0
        for obj in queryset:
            try:
                apply(obj, form.cleaned_data)
                applied += 1
            except StaleVersion:
                stale += 1
        modeladmin.message_user(request, done.format(count=applied), messages.SUCCESS)
        if stale:
            modeladmin.message_user(
                request, f"{stale} row(s) changed meanwhile and were left as they are.", messages.WARNING
            )
        return None
    return action_form_page(modeladmin, request, queryset, form=form, title=title, action=action)


def action_form_page(modeladmin, request, queryset: QuerySet, *, form: forms.Form, title: str, action: str):
    """The intermediate page: the selected rows, the form, and a button that runs the action again."""
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": title,
        "form": form,
        "queryset": queryset,
        "action": action,
        "opts": modeladmin.model._meta,
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
    }
    return TemplateResponse(request, "admin/action_with_form.html", context)
