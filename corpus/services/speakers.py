"""Speakers the pipeline names: shared ones found by name or alias (created if new), anonymous
sources and unnamed groups kept as speakers of their one article."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

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
    return _speakers_for_articles(items=[(article, refs)])[0]


def _speakers_for_articles(
    *, items: Sequence[tuple[Article, Iterable[SpeakerRef]]]
) -> list[dict[SpeakerRef, Speaker]]:
    """``_speakers_for`` for many articles at once, in the same fixed number of queries: per article,
    each ref it names and its speaker."""
    # The same ref object stands for each of a speaker's quotes: set apart by identity first, which is
    # cheaper than hashing every field of each.
    uniques = [list(dict.fromkeys({id(r): r for r in refs}.values())) for _, refs in items]
    shared = list(dict.fromkeys(r for unique in uniques for r in unique if r.kind not in LOCAL_SPEAKER_KINDS))
    resolved = speakers_register(refs=shared)
    local: dict[tuple[int, str], Speaker] = {}
    for (article, _), unique in zip(items, uniques, strict=True):
        for ref in unique:
            if ref.kind in LOCAL_SPEAKER_KINDS:
                name = ref.name.strip()[:300]
                local.setdefault(
                    (article.pk, name),
                    Speaker(article=article, name=name, kind=ref.kind, description=ref.description),
                )
    if local:
        # A new revision or a re-run meets the articles' own speakers again.
        existing = {
            (s.article_id, s.name): s
            for s in Speaker.objects.filter(
                article_id__in={pk for pk, _ in local}, name__in={name for _, name in local}
            )
        }
        existing = {key: speaker for key, speaker in existing.items() if key in local}
        Speaker.objects.bulk_create([s for key, s in local.items() if key not in existing])
        local.update(existing)
    found = []
    for (article, _), unique in zip(items, uniques, strict=True):
        speakers = {}
        for ref in unique:
            if ref.kind in LOCAL_SPEAKER_KINDS:
                speakers[ref] = local[(article.pk, ref.name.strip()[:300])]
            else:
                speakers[ref] = resolved[ref]
        found.append(speakers)
    return found


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
