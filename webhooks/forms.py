from __future__ import annotations

from django import forms

from .models import Event, Webhook


class WebhookForm(forms.ModelForm):
    events = forms.MultipleChoiceField(
        choices=Event.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="Each event is POSTed as it happens, once the change is saved.",
    )

    class Meta:
        model = Webhook
        fields = ["url", "description", "events", "is_active"]
