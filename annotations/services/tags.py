"""The vocabulary: loading it from a file, and the administrators' changes (save, merge, delete)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction

from .. import access
from ..models import (
    Annotation,
    Tag,
)


@transaction.atomic
def tag_vocabulary_load(*, path: Path) -> tuple[int, int]:
    """Load a vocabulary file (a JSON list of {slug, name, description, colour, parent}); parents may
    come after children. Existing tags are updated. Returns (created, updated)."""
    try:
        entries = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValidationError(
            f"{path}: cannot read the vocabulary: {exc}", code="invalid_vocabulary"
        ) from None
    if not isinstance(entries, list):
        raise ValidationError(f"{path}: expected a JSON list of tags.", code="invalid_vocabulary")
    created = updated = 0
    tags: dict[str, Tag] = {}
    for index, entry in enumerate(entries):
        if not isinstance(entry, dict) or not entry.get("slug") or not entry.get("name"):
            raise ValidationError(
                f"{path}: entry {index} needs 'slug' and 'name'.", code="invalid_vocabulary"
            )
        tag, was_created = Tag.objects.update_or_create(
            slug=entry["slug"],
            defaults={
                "name": entry["name"],
                "description": entry.get("description", ""),
                "colour": entry.get("colour", "#ffd54f"),
            },
        )
        tag.full_clean(exclude=["parent", "slug"])
        tags[tag.slug] = tag
        created += was_created
        updated += not was_created
    for entry in entries:
        parent_slug = entry.get("parent")
        if parent_slug:
            parent = tags.get(parent_slug) or Tag.objects.filter(slug=parent_slug).first()
            if parent is None:
                raise ValidationError(
                    f"{path}: tag {entry['slug']!r} names an unknown parent {parent_slug!r}.",
                    code="unknown_parent",
                )
            Tag.objects.filter(slug=entry["slug"]).update(parent=parent)
    return created, updated


def tags_resolve(tags: Iterable[Tag | str]) -> list[Tag]:
    """``tags`` as Tag rows, slugs looked up in one query; an unknown slug is refused."""
    resolved: list[Tag] = []
    slugs = [t for t in tags if isinstance(t, str)]
    found = {t.slug: t for t in Tag.objects.filter(slug__in=slugs)} if slugs else {}
    missing = sorted(set(slugs) - set(found))
    if missing:
        raise ValidationError({"tags": f"unknown tag(s): {', '.join(missing)}."}, code="unknown_tag")
    for tag in tags:
        resolved.append(found[tag] if isinstance(tag, str) else tag)
    return resolved


@transaction.atomic
def tag_save(*, tag: Tag, user) -> Tag:
    """Add or change a term of the vocabulary (administrators)."""
    if tag.pk is None:
        access.access_tag_add(user)
    else:
        access.access_tag_change(user)
    tag.full_clean()
    tag.save()
    return tag


@transaction.atomic
def tag_merge(*, sources: Sequence[Tag], target: Tag, user) -> int:
    """Move every annotation of ``sources`` to ``target`` and remove the sources. Children of a source
    move under the target. Returns the number of annotations that gained the target tag."""
    access.access_tag_change(user)
    access.access_tag_delete(user)
    sources = [t for t in sources if t.pk != target.pk]
    if not sources:
        return 0
    if any(
        t.pk in {s.pk for s in sources} for t in Tag.objects.descendants_of(sources[0]).filter(pk=target.pk)
    ):
        raise ValidationError({"target": "a tag cannot be merged into one of its own descendants."})
    Through = Annotation.tags.through
    source_ids = [t.pk for t in sources]
    tagged = set(Through.objects.filter(tag_id__in=source_ids).values_list("annotation_id", flat=True))
    already = set(
        Through.objects.filter(tag_id=target.pk, annotation_id__in=tagged).values_list(
            "annotation_id", flat=True
        )
    )
    Through.objects.bulk_create(
        [Through(annotation_id=a, tag_id=target.pk) for a in sorted(tagged - already)]
    )
    Through.objects.filter(tag_id__in=source_ids).delete()
    Tag.objects.filter(parent_id__in=source_ids).update(parent=target)
    Tag.objects.filter(pk__in=source_ids).delete()
    return len(tagged - already)


def tag_delete(*, tag: Tag, user) -> None:
    """Delete an unused tag. A tag in use is refused: merge it into another instead."""
    access.access_tag_delete(user)
    if tag.annotations.exists():
        raise ValidationError(
            {
                "tag": f"tag {tag.slug!r} is used by {tag.annotations.count()} annotation(s); merge it into another tag."
            },
            code="tag_in_use",
        )
    if tag.children.exists():
        raise ValidationError({"tag": f"tag {tag.slug!r} has narrower tags; move or merge them first."})
    tag.delete()
