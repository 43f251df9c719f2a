"""What the corpus's admin pages share: what apps built on the corpus add to them (``extended``),
short excerpts of long texts in their lists, and delete confirmations that name the rows they list
without a query per row (``NamesInBulk``)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import admin
from django.contrib.admin.utils import NestedObjects, quote
from django.db import router
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from django.utils.module_loading import import_string
from django.utils.text import capfirst


def extended(admin_class: type[admin.ModelAdmin]) -> type[admin.ModelAdmin]:
    """``admin_class`` with what apps built on the corpus add to its pages: the mixins named for it in
    ``CORPUS_ADMIN_MIXINS`` (by the class's name), before it in the MRO, their ``extra_list_display`` after
    its columns and their ``extra_actions`` after its actions. The corpus imports none of them."""
    paths = getattr(settings, "CORPUS_ADMIN_MIXINS", {}).get(admin_class.__name__, ())
    mixins = tuple(import_string(path) for path in paths)
    if not mixins:
        return admin_class
    return type(
        admin_class.__name__,
        (*mixins, admin_class),
        {
            "__module__": admin_class.__module__,
            "__doc__": admin_class.__doc__,
            "list_display": [
                *admin_class.list_display,
                *(name for mixin in mixins for name in getattr(mixin, "extra_list_display", ())),
            ],
            "actions": [
                *(admin_class.actions or []),
                *(name for mixin in mixins for name in getattr(mixin, "extra_actions", ())),
            ],
        },
    )


def shorten(text: str, length: int = 90) -> str:
    """``text`` cut to ``length`` characters, an ellipsis marking the cut."""
    return text if len(text) <= length else text[: length - 1] + "…"


class _NamingCollector(NestedObjects):
    """The admin's collector, reading with the rows it lists what their names read: a model's
    ``name_reads`` (the relations its ``__str__`` follows) are selected in the query that finds them."""

    def related_objects(self, related_model, related_fields, objs):
        rows = super().related_objects(related_model, related_fields, objs)
        reads = getattr(related_model, "name_reads", ())
        return rows.select_related(*reads) if reads else rows


class NamesInBulk:
    """A delete confirmation (and the "delete selected" action) whose cost does not grow with the rows it
    lists: Django's ``get_deleted_objects``, the same page, with a collector that reads what each row's name
    reads in the query that finds the rows, not in a query of its own per row."""

    def get_deleted_objects(self, objs, request):
        try:
            first = objs[0]
        except IndexError:
            return [], {}, set(), []
        collector = _NamingCollector(using=router.db_for_write(first._meta.model), origin=objs)
        collector.collect(objs)
        perms_needed: set[str] = set()
        site = self.admin_site

        def format_callback(obj):
            opts = obj._meta
            no_edit_link = f"{capfirst(opts.verbose_name)}: {obj}"
            if not site.is_registered(obj.__class__):
                return no_edit_link
            if not site.get_model_admin(obj.__class__).has_delete_permission(request, obj):
                perms_needed.add(opts.verbose_name)
            try:
                url = reverse(
                    f"{site.name}:{opts.app_label}_{opts.model_name}_change", None, (quote(obj.pk),)
                )
            except NoReverseMatch:
                return no_edit_link
            return format_html('{}: <a href="{}">{}</a>', capfirst(opts.verbose_name), url, obj)

        to_delete = collector.nested(format_callback)
        protected = [format_callback(obj) for obj in collector.protected]
        counts = {model._meta.verbose_name_plural: len(rows) for model, rows in collector.model_objs.items()}
        return to_delete, counts, perms_needed, protected
