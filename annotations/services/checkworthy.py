"""Check-worthy sentences suggested to the editors, and their dismissal."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction

from corpus.models import Article, ParagraphRole

from .. import access
from ..models import (
    CheckWorthyDismissal,
)


def checkworthy_suggestions(
    *, article: Article, claimed: Iterable[str] = (), limit: int | None = None
) -> list:
    """The article's check-worthy sentences (body and standfirst), best first, less those an editor
    dismissed and those already made claims (``claimed``: the texts of the article's claims the reader
    sees), as the annotate screen shows them."""
    from corpus.ingest.checkworthy import suggestions

    # Plain tuples: model instances loaded with only() through the related manager would each read
    # their deferred article_id back, one query per paragraph.
    spans = list(
        article.paragraphs.filter(role__in=[ParagraphRole.BODY, ParagraphRole.STANDFIRST])
        .order_by("position")
        .values_list("start", "end")
    )
    left_out = set(article.checkworthy_dismissals.order_by().values_list("text", flat=True))
    left_out.update(claimed)
    found = [s for s in suggestions(article.text, spans) if s.text not in left_out]
    return found[:limit] if limit is not None else found


@transaction.atomic
def checkworthy_dismiss(*, article: Article, start: int, end: int, actor) -> CheckWorthyDismissal:
    """Dismiss the suggested sentence at ``start``-``end``: it is not suggested again, whatever the offsets
    become. Only a sentence the machine suggests can be dismissed."""
    access.access_checkworthy_dismiss(actor)
    sentence = next(
        (s for s in checkworthy_suggestions(article=article) if (s.start, s.end) == (start, end)), None
    )
    if sentence is None:
        raise ValidationError(
            {"start": f"no check-worthy sentence is suggested at {start}-{end} of article {article.pk}."}
        )
    dismissal, _ = CheckWorthyDismissal.objects.get_or_create(
        article=article, text=sentence.text, defaults={"dismissed_by": actor}
    )
    return dismissal
