"""What the corpus's admin pages share: what apps built on the corpus add to them (``extended``), and
short excerpts of long texts in their lists."""

from __future__ import annotations

from django.conf import settings
from django.contrib import admin
from django.utils.module_loading import import_string


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
