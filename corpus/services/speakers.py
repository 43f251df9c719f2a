"""Speakers the pipeline names: shared ones found by name or alias (created if new), anonymous
sources and unnamed groups kept as speakers of their one article."""

from __future__ import annotations

from collections.abc import Iterable

from ..ingest.types import LOCAL_SPEAKER_KINDS, SpeakerDirectory, SpeakerRef
from ..models import (
    Article,
    Speaker,
    SpeakerAlias,
)
from ..registry import registry_fold_surnames, registry_surnames


def _speakers_for(
    *, article: Article, refs: Iterable[SpeakerRef], directory: SpeakerDirectory | None
) -> dict[SpeakerRef, Speaker]:
    """Find or create the speakers the pipeline named, in a fixed number of queries: shared ones by
    name or alias, anonymous sources and unnamed groups as speakers of this article."""
    unique = list(dict.fromkeys(refs))
    resolved = speakers_register(refs=[r for r in unique if r.kind not in LOCAL_SPEAKER_KINDS])
    local: dict[str, Speaker] = {}
    for ref in unique:
        if ref.kind in LOCAL_SPEAKER_KINDS:
            name = ref.name.strip()[:300]
            local.setdefault(
                name, Speaker(article=article, name=name, kind=ref.kind, description=ref.description)
            )
    if local:
        # A new revision or a re-run meets the article's own speakers again.
        existing = {s.name: s for s in Speaker.objects.filter(article=article, name__in=list(local))}
        Speaker.objects.bulk_create([s for name, s in local.items() if name not in existing])
        local.update(existing)
    for ref in unique:
        if ref.kind in LOCAL_SPEAKER_KINDS:
            resolved[ref] = local[ref.name.strip()[:300]]
    return resolved


def speakers_register(*, refs: list[SpeakerRef]) -> dict[SpeakerRef, Speaker]:
    """The shared speaker for each ref (found by name, then by alias), created if new. Missing
    descriptions are filled in, and new aliases added where no other speaker holds them."""
    if not refs:
        return {}
    names = {ref: ref.name.strip()[:300] for ref in refs}
    registry_surnames(names)
    by_name = {s.name: s for s in Speaker.objects.shared().filter(name__in=set(names.values()))}
    unknown = {n for n in names.values() if n not in by_name}
    if unknown:
        aliases = SpeakerAlias.objects.select_related("speaker").filter(
            key__in={n.casefold() for n in unknown}
        )
        by_key = {a.key: a.speaker for a in aliases}
        for name in list(unknown):
            if name.casefold() in by_key:
                by_name[name] = by_key[name.casefold()]
                unknown.discard(name)
    if unknown:
        first = {}
        for ref in refs:
            first.setdefault(names[ref], ref)
        created = Speaker.objects.bulk_create(
            [
                Speaker(name=name, kind=first[name].kind, description=first[name].description)
                for name in sorted(unknown)
            ]
        )
        by_name.update({s.name: s for s in created})
    folded = registry_fold_surnames([by_name[names[ref]] for ref in refs])
    for name, speaker in list(by_name.items()):
        if speaker.pk in folded:
            by_name[name] = folded[speaker.pk]
    described = []
    for ref in refs:
        speaker = by_name[names[ref]]
        if ref.description and not speaker.description:
            speaker.description = ref.description
            described.append(speaker)
    Speaker.objects.bulk_update(described, ["description"])

    wanted: dict[str, tuple[Speaker, str]] = {}
    for ref in refs:
        speaker = by_name[names[ref]]
        for phrase in ref.aliases:
            phrase = phrase.strip()[:300]
            if phrase and phrase != speaker.name:
                wanted.setdefault(phrase.casefold(), (speaker, phrase))
    if wanted:
        taken = set(SpeakerAlias.objects.filter(key__in=wanted).values_list("key", flat=True))
        SpeakerAlias.objects.bulk_create(
            [
                SpeakerAlias(speaker=sp, phrase=ph, key=key)
                for key, (sp, ph) in sorted(wanted.items())
                if key not in taken
            ]
        )
    return {ref: by_name[names[ref]] for ref in refs}
