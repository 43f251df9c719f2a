"""Takedown: an article deleted on purpose, with everything on it, and a record of who and why.

It is the only deletion the system allows. Whatever points at the article (paragraphs, quotes, local
speakers, revisions, and the annotations, claims and fact-checks other apps keep) goes in the same
delete; the RESTRICT references between them hold because their targets go in that delete too. The
history other apps keep of those objects is purged as well, since it holds the article's words.
"""

from __future__ import annotations

from collections import defaultdict

from django.db import router, transaction
from django.db.models.deletion import Collector

from .clusters import cluster_members, clusters_leave, clusters_settle
from .events import event_send
from .models import Article, Takedown


@transaction.atomic
def article_takedown(*, article: Article, by, reason: str) -> tuple[Takedown, dict[str, int]]:
    """Delete ``article`` and all on it; return the takedown record and the rows deleted per model."""
    reason = reason.strip()
    if not reason:
        from django.core.exceptions import ValidationError

        raise ValidationError({"reason": "say why the article is taken down."}, code="reason_required")
    article = Article.objects.select_related("source").select_for_update(of=("self",)).get(pk=article.pk)
    collector = Collector(using=router.db_for_write(Article))
    collector.collect([article])
    doomed: dict[type, set[int]] = defaultdict(set)
    for model, instances in collector.data.items():
        doomed[model].update(obj.pk for obj in instances)
    record = Takedown(
        article_id=article.pk,
        url=article.url,
        source=article.source.name if article.source else "",
        external_id=article.external_id,
        content_hash=article.content_hash,
        title=article.title,
        by=by,
        reason=reason,
    )
    record.full_clean()
    leaving = cluster_members(article.quotes.all())
    _, deleted = article.delete()
    clusters_settle(ids=clusters_leave(leaving))  # the same words elsewhere may now stand alone
    for model, pks in doomed.items():
        history = _history_model(model)
        if history is not None:
            history.objects.filter(**{f"{model._meta.pk.attname}__in": pks}).delete()
    record.save()
    # Receivers learn which article to forget, not why (the reason stays in the takedown record).
    gone = {
        "id": record.article_id,
        "url": record.url,
        "source": record.source or None,
        "external_id": record.external_id,
        "content_hash": record.content_hash,
    }
    event_send(
        name="article.deleted",
        data=[{"article": gone, "takedown": {"id": record.pk, "by": by.get_username(), "at": record.at}}],
    )
    return record, deleted


def _history_model(model):
    """The historical-records model kept for ``model``, if any (django-simple-history)."""
    attribute = getattr(model._meta, "simple_history_manager_attribute", None)
    manager = getattr(model, attribute, None) if attribute else None
    return getattr(manager, "model", None)
