"""The tags and speakers an export carries beside its articles (``tags.json`` and ``speakers.json``, or
the tags, speakers and speaker_aliases tables), imported before the first article, which points at them."""

from __future__ import annotations

from collections import defaultdict

from django.db import transaction

from corpus.bulk import RowWriter
from corpus.models import Speaker

from ..models import Tag
from .checks import alias_phrases, as_text
from .from_tables import table_rows
from .names import PERSON, Names
from .reading import BATCH_SIZE, Dataset, DatasetError
from .writing import Batch, SpeakerRow, aliases_insert


def _where(dataset: Dataset, table: str, index: int) -> str:
    """Where the ``index``-th entry of the tags or speakers came from, as a person finds it."""
    if dataset.format == "jsonl":
        return f"{dataset.names.get(f'{table}.json', f'{table}.json')} item {index}"
    return f"{table}.{dataset.format} row {index + 2}"


@transaction.atomic
def tags_load(*, dataset: Dataset, names: Names, counts: dict[str, int]) -> None:
    """The export's tags: those the database lacks are created, and every tag given its parent."""
    if dataset.format == "jsonl":
        entries = dataset.json("tags.json") if dataset.has("tags.json") else []
    else:
        entries = list(table_rows(dataset, "tags"))
    tags = {t.slug: t for t in Tag.objects.all()}
    new = []
    kept: dict[int, str] = {}  # exported id -> slug
    for index, entry in enumerate(entries):
        if entry["slug"] not in tags:
            tag = Tag(
                slug=entry["slug"],
                name=entry.get("name") or entry["slug"],
                description=as_text(entry.get("description")),
                colour=entry.get("colour") or "#ffd54f",
                id=names.pk(Tag, entry.get("id")),
            )
            tag.full_clean(exclude=["parent"], validate_unique=False)
            if Tag in names.keep_ids and tag.pk in kept:
                raise DatasetError(
                    f"{_where(dataset, 'tags', index)}: field 'id': tag id {tag.pk} is already the id of "
                    f"tag {kept[tag.pk]!r}; give each tag its own id. Nothing was imported."
                )
            kept[tag.pk] = tag.slug
            tags[tag.slug] = tag
            new.append(tag)
    Tag.objects.bulk_create(new)
    if new:
        counts["tags"] += len(new)
    orphans = []
    for entry in entries:
        parent = entry.get("parent")
        tag = tags[entry["slug"]]
        if parent and tag.parent_id is None:
            if parent not in tags:
                raise DatasetError(f"tags: tag {entry['slug']!r} names an unknown parent {parent!r}.")
            tag.parent = tags[parent]
            orphans.append(tag)
    Tag.objects.bulk_update(orphans, ["parent"])
    names.tags.update({slug: tag.pk for slug, tag in tags.items()})
    if Tag in names.kept:
        names.ids.floor(Tag, max(tag.pk for tag in new))


@transaction.atomic
def speakers_load(*, dataset: Dataset, names: Names, writer: RowWriter, counts: dict[str, int]) -> None:
    """The export's shared speakers, found by name or created with their aliases; an article's own
    speakers are kept aside (``names.local_specs``) until their article is imported."""
    if dataset.format == "jsonl":
        entries = dataset.json("speakers.json") if dataset.has("speakers.json") else []
    else:
        aliases: dict[int, list[str]] = defaultdict(list)
        for row in table_rows(dataset, "speaker_aliases"):
            aliases[row["speaker_id"]].append(row["phrase"])
        entries = [
            {**row, "article": row["article_id"], "aliases": aliases.get(row["id"], [])}
            for row in table_rows(dataset, "speakers")
        ]
    shared = []
    for index, entry in enumerate(entries):
        if entry.get("article") is not None:
            names.local_specs[entry["article"]].setdefault(entry["name"], entry)
        elif entry["name"] not in names.shared:
            names.shared[entry["name"]] = 0  # placeholder until found or created below
            shared.append((index, entry))
    batch = Batch()
    kept: dict[int, str] = {}  # exported id -> name
    for start in range(0, len(shared), BATCH_SIZE):
        chunk = shared[start : start + BATCH_SIZE]
        found = {
            name: (pk, description)
            for name, pk, description in Speaker.objects.filter(
                article__isnull=True, name__in=[e["name"] for _, e in chunk]
            ).values_list("name", "id", "description")
        }
        for index, entry in chunk:
            name = entry["name"]
            if name in found:
                pk, description = found[name]
                if entry.get("description") and not description:
                    Speaker.objects.filter(pk=pk).update(description=entry["description"])
            else:
                pk = names.pk(Speaker, entry.get("id"))
                if Speaker in names.keep_ids and pk in kept:
                    raise DatasetError(
                        f"{_where(dataset, 'speakers', index)}: field 'id': speaker id {pk} is already the "
                        f"id of speaker {kept[pk]!r}; give each speaker its own id. Nothing was imported."
                    )
                kept[pk] = name
                batch.speakers.append(
                    SpeakerRow(
                        id=pk,
                        name=name,
                        kind=entry.get("kind") or PERSON,
                        description=as_text(entry.get("description")),
                        article=None,
                    )
                )
            names.shared[name] = pk
            phrases = alias_phrases(entry.get("aliases") or [])
            if phrases:
                batch.aliases.append((pk, phrases))
    writer.insert(SpeakerRow, batch.speakers, batch.now)
    aliases_insert(batch.aliases)
    if batch.speakers:
        counts["speakers"] += len(batch.speakers)
    if Speaker in names.keep_ids:
        ids = [e.get("id") for e in entries if isinstance(e.get("id"), int)]
        if ids:
            names.ids.floor(Speaker, max(ids))
