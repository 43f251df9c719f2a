"""The shared speaker registry: editors merge speakers that are one person, and a clean-up run by
``reprocess --speakers`` files the machine's records again. Both keep every editor's correction."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, F, Q
from django.db.models.deletion import Collector

from .clusters import clusters_speakers_recount
from .ingest.speakers import is_junk_person_name, title_of
from .ingest.types import SpeakerDirectory, SpeakerRef, short_form
from .models import Origin, Quote, Speaker, SpeakerAlias, SpeakerKind, SpeakerMerge
from .versioning import versioned_update

# Merging rewrites who said what across the corpus: the permissions of an editor who corrects speakers.
MERGE_PERMISSIONS = ("corpus.change_speaker", "corpus.change_quote")


def speaker_may_merge(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.has_perms(MERGE_PERMISSIONS))


@transaction.atomic
def speakers_merge(
    *, sources: Sequence[Speaker], target: Speaker, actor, expected_version: int | None = None
) -> Speaker:
    """Fold ``sources`` into ``target``: every quote, relayed quote, claim and alias that named a source
    names the target, each source's name becomes an alias of the target (for shared speakers), and one
    ``SpeakerMerge`` per source records it. Editors and administrators only; with ``expected_version``
    a target changed meanwhile is refused (``StaleVersion``) and nothing is written."""
    if not speaker_may_merge(actor):
        raise PermissionDenied("Only editors and administrators merge speakers.")
    return _merge(sources=sources, target=target, actor=actor, expected_version=expected_version)


@transaction.atomic
def speakers_delete(*, speakers: Iterable[Speaker]) -> None:
    """Delete speakers (from the admin): their quotes keep their words and name nobody, and the clusters
    those quotes are in are read again for their one speaker and for whether their speakers disagree."""
    speakers = list(speakers)
    ids = sorted({speaker.pk for speaker in speakers})
    touched = list(
        Quote.objects.filter(speaker_id__in=ids, cluster__isnull=False)
        .order_by()
        .values_list("cluster_id", flat=True)
        .distinct()
    )
    # As ``Model.delete`` does it, for all of them at once (the rows are here: not read again).
    collector = Collector(using=Speaker.objects.db)
    collector.collect(speakers)
    collector.delete()
    clusters_speakers_recount(ids=touched)


def _merge(
    *, sources: Sequence[Speaker], target: Speaker, actor, expected_version: int | None, reason: str = ""
) -> Speaker:
    source_ids = list(dict.fromkeys(s.pk for s in sources))
    if not source_ids:
        raise ValidationError({"sources": "Name at least one speaker to merge into the target."})
    if target.pk in source_ids:
        raise ValidationError({"sources": f"Speaker {target.pk} cannot be merged into itself."})
    locked = {s.pk: s for s in Speaker.objects.select_for_update().filter(pk__in=[*source_ids, target.pk])}
    missing = [str(pk) for pk in [*source_ids, target.pk] if pk not in locked]
    if missing:
        raise ValidationError({"sources": f"No speaker with id {', '.join(missing)}."})
    fresh = locked[target.pk]
    for pk in source_ids:
        source = locked[pk]
        if fresh.article_id is not None and source.article_id != fresh.article_id:
            raise ValidationError(
                {
                    "target": f"Speaker {fresh.pk} ({fresh.name}) belongs to article {fresh.article_id}; only "
                    "speakers of that article can be merged into it. Merge into a shared speaker instead."
                }
            )
    if expected_version is not None:
        versioned_update(fresh, expected_version=expected_version, fields={}, user=actor)
    else:
        Speaker.objects.filter(pk=fresh.pk).update(version=F("version") + 1)
        fresh.version += 1
    change_reason = reason or "speakers merged"
    for pk in source_ids:
        source = locked[pk]
        moved, quote_ids = _move_references(source=source, target=fresh, actor=actor, reason=change_reason)
        kept_alias = ""
        if source.article_id is None and source.name != fresh.name:
            # The merged name finds the target from now on: in the directory of every later run, and
            # in the store's look-up by alias.
            key = source.name.casefold().strip()
            if not SpeakerAlias.objects.filter(key=key).exists():
                SpeakerAlias(speaker=fresh, phrase=source.name).save()
                kept_alias = source.name
        if source.description and not fresh.description:
            fresh.description = source.description
            Speaker.objects.filter(pk=fresh.pk).update(description=source.description)
        SpeakerMerge.objects.create(
            target=fresh,
            target_name=fresh.name,
            source_id=source.pk,
            source_name=source.name,
            source_kind=source.kind,
            source_article_id=source.article_id,
            quotes=quote_ids,
            moved={**moved, **({"alias": kept_alias} if kept_alias else {})},
            actor=actor,
            reason=change_reason,
        )
        source.delete()
        # Quotes that disagreed only through the two names now agree.
        if quote_ids:
            clusters_speakers_recount(
                ids=Quote.objects.filter(speaker=fresh, cluster__isnull=False).values_list(
                    "cluster_id", flat=True
                )
            )
    return fresh


def _move_references(*, source: Speaker, target: Speaker, actor, reason: str) -> tuple[dict, list[int]]:
    """Point every row that names ``source`` at ``target``, found through the model's relations so that
    apps built on the corpus (claims) move too without the corpus knowing them. Rows with a version
    get it bumped, and rows with history get a record naming the merge."""
    moved: dict[str, int] = {}
    quote_ids: list[int] = []
    for relation in Speaker._meta.related_objects:
        if not relation.one_to_many:
            continue
        model, name = relation.related_model, relation.field.name
        manager = model._default_manager
        ids = list(manager.filter(**{name: source}).order_by("pk").values_list("pk", flat=True))
        if not ids:
            continue
        values: dict = {name: target}
        if any(f.name == "version" for f in model._meta.concrete_fields) and model is not Speaker:
            values["version"] = F("version") + 1
        manager.filter(pk__in=ids).update(**values)
        moved[f"{model._meta.label_lower}.{name}"] = len(ids)
        if model is Quote and name == "speaker":
            quote_ids = ids
        if hasattr(model._meta, "simple_history_manager_attribute"):
            from simple_history.utils import get_history_manager_for_model

            get_history_manager_for_model(model).bulk_history_create(
                list(manager.filter(pk__in=ids)),
                update=True,
                default_user=actor,
                default_change_reason=f"{reason}: {source.name} (speaker {source.pk}) merged into "
                f"{target.name} (speaker {target.pk})",
            )
    return moved, quote_ids


# --- Surnames, as ingest files them ---------------------------------------------------------------


def _surname_holders(surnames: Iterable[str], batch: Iterable[SpeakerRef] = ()) -> SpeakerDirectory:
    """The shared persons whose name ends with one of ``surnames``, weighted by their quotes, and the
    persons of ``batch`` about to be filed: what ``person_by_surname`` chooses among."""
    wanted = Q()
    for surname in surnames:
        wanted |= Q(name__iendswith=f" {surname}")
    directory = SpeakerDirectory()
    rows = (
        Speaker.objects.shared()
        .filter(wanted, kind=SpeakerKind.PERSON)
        .annotate(uses=Count("quotes"))
        .values_list("name", "description", "uses")
    )
    for name, description, uses in rows:
        directory.add(SpeakerRef(name, SpeakerKind.PERSON, description), weight=uses)
    for ref in batch:
        if ref.kind == SpeakerKind.PERSON and " " in ref.name.strip():
            directory.add(SpeakerRef(ref.name.strip(), ref.kind, ref.description))
    return directory


def registry_surnames(names: dict[SpeakerRef, str]) -> None:
    """File each bare surname of ``names`` (person refs -> the name to file them under) under the person
    it means, as ``registry_file`` does for the pipeline: the one person carrying it, or the one quoted
    far more than the others (``SpeakerDirectory.person_by_surname``). A surname an editor made an alias
    of someone keeps going there, and one that means nobody for sure stays as it is. Two queries, and
    none when no ref is a bare surname."""
    bare = {
        ref: name
        for ref, name in names.items()
        if ref.kind == SpeakerKind.PERSON and name and " " not in name
    }
    if not bare:
        return
    aliased = {
        key
        for key, target in SpeakerAlias.objects.filter(
            key__in={n.casefold() for n in bare.values()}
        ).values_list("key", "speaker__name")
        if target.casefold() != key
    }
    surnames = {name for name in bare.values() if name.casefold() not in aliased}
    if not surnames:
        return
    directory = _surname_holders(surnames, names)
    for ref, name in bare.items():
        if name in surnames:
            meant = directory.person_by_surname(name, title_of(ref.description))
            if meant is not None:
                names[ref] = meant.name


def registry_fold_surnames(people: Iterable[Speaker]) -> dict[int, Speaker]:
    """The registry's records of a bare surname ("Obama", filed before anyone of that name was known)
    merged into the person of ``people`` the surname now means, as a merge by no one; a record an editor
    chose for a quote stays. One query when none is found. Returns merged id -> the person it joined."""
    full = {
        p.name.split()[-1].casefold(): p for p in people if p.kind == SpeakerKind.PERSON and " " in p.name
    }
    if not full:
        return {}
    bares = [
        b
        for b in Speaker.objects.shared().filter(
            kind=SpeakerKind.PERSON, name__in=[p.name.split()[-1] for p in full.values()]
        )
        if b.name.casefold() in full
    ]
    if not bares:
        return {}
    touched = _editor_touched(ids=[b.pk for b in bares])
    directory = _surname_holders([b.name for b in bares])
    merged: dict[int, Speaker] = {}
    for bare in bares:
        meant = directory.person_by_surname(bare.name)
        target = full[bare.name.casefold()]
        if bare.pk in touched or meant is None or meant.name != target.name:
            continue
        merged[bare.pk] = _merge(
            sources=[bare],
            target=target,
            actor=None,
            expected_version=None,
            reason="surname filed under its person",
        )
    return merged


# --- The clean-up ----------------------------------------------------------------------------------


@dataclass(slots=True)
class CleanUp:
    merged: list[tuple[str, str]] = field(default_factory=list)  # (merged name, target name)
    removed: list[str] = field(default_factory=list)  # junk names with nothing left on them
    left: list[str] = field(default_factory=list)  # bare surnames more than one person carries

    @property
    def message(self) -> str:
        return (
            f"speaker registry: {len(self.merged)} record(s) merged into their person, "
            f"{len(self.removed)} empty junk record(s) removed, {len(self.left)} shared surname(s) left alone."
        )


def _editor_touched(ids: Sequence[int] | None = None) -> set[int]:
    """Speakers an editor chose for a quote (of ``ids`` only, when given): never merged away nor removed
    by the clean-up."""
    rows = Quote.objects.filter(Q(origin=Origin.EDITOR) | Q(corrected_by__isnull=False) | Q(verified=True))
    if ids is not None:
        rows = rows.filter(speaker_id__in=ids)
    return {pk for pk in rows.values_list("speaker_id", flat=True) if pk is not None}


@transaction.atomic
def speakers_clean_up() -> CleanUp:
    """File the machine's shared person records again, as ingest would file them now.

    A bare surname ("Obama") joins the one person who carries it ("Barack Obama"); the forms of one name
    with and without middle names or initials ("James B. Comey", "James Comey") become one record, recorded as a merge by no one; a surname more than
    one person carries is left alone. Junk person names ("The", "Obama Sees") that nothing points at
    any more (a ``reprocess`` of their articles has filed their quotes anew) are removed. Speakers an
    editor chose for a quote, and anything an editor merged, stay as they are.
    """
    result = CleanUp()
    touched = _editor_touched()
    people = list(
        Speaker.objects.shared()
        .filter(kind=SpeakerKind.PERSON)
        .annotate(uses=Count("quotes", distinct=True) + Count("relayed_quotes", distinct=True))
        .order_by("id")
    )
    by_surname: dict[str, list[Speaker]] = {}
    by_plain: dict[str, list[Speaker]] = {}
    for person in people:
        words = person.name.split()
        if len(words) > 1 and not is_junk_person_name(person.name):
            by_surname.setdefault(words[-1].casefold(), []).append(person)
            by_plain.setdefault(short_form(person.name).casefold(), []).append(person)

    merged_ids: set[int] = set()
    for group in by_plain.values():
        # "James B. Comey" and "James Comey", "Hillary Rodham Clinton" and "Hillary Clinton": the form
        # with most quotes stays.
        if len(group) < 2:
            continue
        group.sort(key=lambda p: (-p.uses, p.id))
        keep, rest = group[0], [p for p in group[1:] if p.pk not in touched]
        if rest:
            _merge(sources=rest, target=keep, actor=None, expected_version=None, reason="registry clean-up")
            result.merged.extend((p.name, keep.name) for p in rest)
            merged_ids.update(p.pk for p in rest)
    for person in people:
        words = person.name.split()
        if len(words) != 1 or person.pk in touched or person.pk in merged_ids:
            continue
        holders = {p.pk: p for p in by_surname.get(words[0].casefold(), []) if p.pk not in merged_ids}
        if len(holders) == 1:
            target = next(iter(holders.values()))
            _merge(
                sources=[person], target=target, actor=None, expected_version=None, reason="registry clean-up"
            )
            result.merged.append((person.name, target.name))
            merged_ids.add(person.pk)
        elif len(holders) > 1:
            result.left.append(person.name)
    junk = [
        p for p in people if p.pk not in merged_ids and p.pk not in touched and is_junk_person_name(p.name)
    ]
    if junk:
        unused = (
            Speaker.objects.filter(pk__in=[p.pk for p in junk])
            .annotate(
                uses=Count("quotes", distinct=True)
                + Count("relayed_quotes", distinct=True)
                + Count("merges", distinct=True)
            )
            .filter(uses=0)
        )
        removable = [s for s in unused if not _pointed_at_elsewhere(s)]
        result.removed = sorted(s.name for s in removable)
        Speaker.objects.filter(pk__in=[s.pk for s in removable]).delete()
    return result


def _pointed_at_elsewhere(speaker: Speaker) -> bool:
    """True when a row of another app (a claim) names the speaker: such a record is someone's data."""
    for relation in Speaker._meta.related_objects:
        model = relation.related_model
        if not relation.one_to_many or model in (Quote, SpeakerAlias, SpeakerMerge):
            continue
        if model._default_manager.filter(**{relation.field.name: speaker}).exists():
            return True
    return False
