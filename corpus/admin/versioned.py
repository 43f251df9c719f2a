"""Admin change forms carry the object's version; a save based on an old version is refused.

The form checks the version for a friendly message, and the save repeats the
check in the same conditional UPDATE that writes, so a race between the two
cannot slip through either.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError

from ..versioning import StaleVersion, versioned_update


class VersionedForm(forms.ModelForm):
    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["expected_version"].initial = self.instance.version

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk:
            expected = cleaned.get("expected_version")
            current = (
                type(self.instance)
                ._default_manager.filter(pk=self.instance.pk)
                .values_list("version", flat=True)
                .first()
            )
            if expected is None or expected != current:
                raise ValidationError(
                    f"Someone else saved this {self.instance._meta.verbose_name} while you were editing it "
                    f"(you started from version {expected}, it is now version {current}). "
                    "Your changes were not saved: reload the page to see theirs, then apply yours again.",
                    code="stale_version",
                )
        return cleaned


class VersionedAdminMixin:
    """For ModelAdmins whose model has a ``version`` field."""

    form = VersionedForm

    def save_model(self, request, obj, form, change):
        if not change:
            super().save_model(request, obj, form, change)
            return
        names = {f.name for f in obj._meta.concrete_fields} - {"id", "version"}
        fields = {name: getattr(obj, name) for name in form.changed_data if name in names}
        try:
            versioned_update(obj, expected_version=form.cleaned_data["expected_version"], fields=fields)
        except StaleVersion as exc:
            messages.error(request, str(exc))
            raise
