"""Form pieces the admin shares: evidence edited as rows instead of raw JSON."""

from __future__ import annotations

import json

from django import forms

EVIDENCE_KEYS = ("url", "title", "publisher", "accessed")


class EvidenceWidget(forms.Widget):
    """A fact-check's evidence as rows of url, title, publisher and accessed date: the existing sources,
    one empty row to add another (more with the "Add a source" button), and a "remove" box on each.

    The rows come back as the JSON list the model field holds; a form posted with the field as JSON
    (``evidence=[...]``, as scripts and older pages send it) is still read."""

    template_name = "annotations/widgets/evidence.html"

    class Media:
        css = {"all": ["annotations/admin-evidence.css"]}
        js = ["annotations/admin-evidence.js"]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        items = value
        if isinstance(value, str):
            try:
                items = json.loads(value or "[]")
            except ValueError:
                items = []
        rows = [
            {key: str(item.get(key) or "") for key in EVIDENCE_KEYS}
            for item in (items if isinstance(items, list) else [])
            if isinstance(item, dict)
        ]
        rows.append(dict.fromkeys(EVIDENCE_KEYS, ""))
        context["widget"]["rows"] = rows
        return context

    def value_from_datadict(self, data, files, name):
        total = data.get(f"{name}-TOTAL")
        if total is None:
            return data.get(name)
        try:
            count = min(int(total), 1000)
        except ValueError:
            count = 0
        items = []
        for index in range(count):
            prefix = f"{name}-{index}-"
            if data.get(f"{prefix}DELETE"):
                continue
            item = {key: (data.get(f"{prefix}{key}") or "").strip() for key in EVIDENCE_KEYS}
            if any(item.values()):
                items.append(item)
        return json.dumps(items)

    def value_omitted_from_data(self, data, files, name):
        return f"{name}-TOTAL" not in data and name not in data
