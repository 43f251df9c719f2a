"""The manifest: what an export holds and how to check it, with no clock in it.

Same database and filters, same manifest, byte for byte: it records the format, the schema version,
the filters and options, the rows per table and the size and SHA-256 of every file beside it.
"""

from __future__ import annotations

import hashlib
import io
import json
from typing import BinaryIO

from .records import SCHEMA_VERSION
from .selection import ExportOptions

MANIFEST_NAME = "manifest.json"


class HashingWriter(io.RawIOBase):
    """Passes bytes on to ``target`` and keeps their SHA-256 and count; never closes the target."""

    def __init__(self, target: BinaryIO):
        self.target = target
        self.sha256 = hashlib.sha256()
        self.size = 0

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        data = bytes(data)
        self.target.write(data)
        self.sha256.update(data)
        self.size += len(data)
        return len(data)

    def tell(self) -> int:
        return self.size

    def seekable(self) -> bool:
        return False

    def flush(self) -> None:
        pass


def manifest_build(
    *, fmt: str, options: ExportOptions, counts: dict[str, int], files: list[dict], projects: list[dict] = ()
) -> dict:
    return {
        "format": fmt,
        "schema_version": SCHEMA_VERSION,
        "filters": options.filters,
        "options": {
            "include_drafts": options.include_drafts,
            "include_orphans": options.include_orphans,
            "text": options.text,
            "anonymize_authors": options.anonymize_authors,
            "layers": options.layers,
        },
        "counts": counts,
        "files": files,
        "projects": list(projects),
    }


def manifest_projects(selection) -> list[dict]:
    """The annotation projects of the exported articles: what each holds in the export and the
    agreement of its layers (``annotations.agreement``), for a dataset's reliability report."""
    from ..agreement import project_agreement
    from ..models import AnnotationProject, ProjectArticle, ProjectArticleState

    # The entries on the exported articles: all of them, with no condition, when every article is.
    chosen = AnnotationProject.objects.filter(
        pk__in=selection.of_articles(ProjectArticle.objects.all()).values("project_id")
    ).order_by("id")
    out = []
    for project in chosen:
        entries = selection.of_articles(project.entries.all())
        states = {state: 0 for state in ProjectArticleState.values}
        for state in entries.values_list("state", flat=True):
            states[state] += 1
        figures = project_agreement(project, among=selection.articles)
        _pseudonymize(figures, selection.options)
        out.append(
            {
                "id": project.pk,
                "name": project.name,
                "guidelines": project.guidelines,
                "annotators_per_article": project.annotators_per_article,
                "articles": states,
                "agreement": {key: figures[key] for key in ("articles", "annotators", "rows", "pairs")},
            }
        )
    return out


def manifest_encode(manifest: dict) -> bytes:
    return (json.dumps(manifest, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _pseudonymize(figures: dict, options: ExportOptions) -> None:
    """Annotators named as the export names authors (pseudonyms with --anonymize-authors)."""
    figures["annotators"] = [options.author(name) for name in figures["annotators"]]
    for pairs in figures["pairs"].values():
        for pair in pairs:
            pair["a"], pair["b"] = options.author(pair["a"]), options.author(pair["b"])
