"""Editors' corrections of what the pipeline decided: a quote's speaker, kind or verification, a
paragraph's role. Stale versions are refused."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from ..clusters import clusters_speakers_recount, quote_kind_changed
from ..models import (
    Paragraph,
    ParagraphRole,
    Quote,
    QuoteKind,
    Speaker,
)
from ..versioning import NOT_GIVEN, NotGiven, versioned_update


@transaction.atomic
def quote_correct(
    *,
    quote: Quote,
    expected_version: int,
    user,
    speaker: Speaker | NotGiven | None = NOT_GIVEN,
    kind: str | None = None,
    verified: bool | None = None,
) -> Quote:
    """An editor corrects a quote's speaker or kind, or marks it verified. Stale versions are refused.

    A quotation that runs over several paragraphs is one quote per paragraph, linked by ``continues``.
    A new speaker goes to the whole chain: the other quotes of the chain that still name the speaker
    this one named follow it (each with its version bumped and its own history record); one an editor
    gave a speaker of its own keeps it. A new kind re-checks the quote's cluster
    (``clusters.quote_kind_changed``): an indirect quote is in none.
    """
    fields: dict = {}
    previous_speaker_id = quote.speaker_id
    if speaker is not NOT_GIVEN:
        if speaker is not None and speaker.article_id not in (None, quote.article_id):
            raise ValidationError({"speaker": f"speaker {speaker.pk} belongs to another article."})
        fields["speaker"] = speaker
    if kind is not None:
        if kind not in QuoteKind.values:
            raise ValidationError({"kind": f"{kind!r} is not one of {', '.join(QuoteKind.values)}."})
        fields["kind"] = kind
    if verified is not None:
        fields["verified"] = verified
    if "speaker" in fields or "kind" in fields:
        fields["corrected_by"] = user
    previous_kind = quote.kind
    quote = versioned_update(quote, expected_version=expected_version, fields=fields, user=user)
    if "kind" in fields and quote.kind != previous_kind:
        # Clusters hold quoted words: a quote made indirect leaves its cluster, one made direct or
        # partial finds the same words elsewhere.
        quote_kind_changed(quote=quote, previous_kind=previous_kind)
    if "speaker" in fields and quote.speaker_id != previous_speaker_id:
        chain = _chain_follow_speaker(quote, previous_speaker_id=previous_speaker_id, user=user)
        # The same words in other articles: do their speakers still agree?
        clusters_speakers_recount(
            ids=Quote.objects.filter(pk__in=[quote.pk, *chain]).values_list("cluster_id", flat=True)
        )
    return quote


def _continuation_chain(quote: Quote) -> set[int]:
    """The ids of the quotes linked to ``quote`` by ``continues``, either way, ``quote`` left out. A chain
    is a few quotes of one article, so the article's links are read once and walked here."""
    links = dict(
        Quote.objects.filter(article_id=quote.article_id, continues__isnull=False).values_list(
            "pk", "continues_id"
        )
    )
    if not links:
        return set()
    neighbours: dict[int, set[int]] = {}
    for child, parent in links.items():
        neighbours.setdefault(child, set()).add(parent)
        neighbours.setdefault(parent, set()).add(child)
    seen, todo = {quote.pk}, [quote.pk]
    while todo:
        for other in neighbours.get(todo.pop(), ()):
            if other not in seen:
                seen.add(other)
                todo.append(other)
    return seen - {quote.pk}


def _chain_follow_speaker(quote: Quote, *, previous_speaker_id: int | None, user) -> set[int]:
    """The chain's quotes that still named the previous speaker follow; returns the chain."""
    chain = _continuation_chain(quote)
    if not chain:
        return chain
    followers = Quote.objects.filter(pk__in=chain, speaker_id=previous_speaker_id).select_for_update()
    for follower in followers.order_by("pk"):
        versioned_update(
            follower,
            expected_version=follower.version,
            fields={"speaker": quote.speaker, "corrected_by": user},
            user=user,
        )
    return chain


@transaction.atomic
def paragraph_set_role(*, paragraph: Paragraph, expected_version: int, role: str) -> Paragraph:
    if role not in ParagraphRole.values:
        raise ValidationError({"role": f"{role!r} is not one of {', '.join(ParagraphRole.values)}."})
    return versioned_update(
        paragraph, expected_version=expected_version, fields={"role": role, "rule": "editor"}
    )
