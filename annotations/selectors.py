"""Reads of annotations, claims and fact-checks, filtered by what the reader may see.

Anonymous readers see published annotations and published fact-checks only;
readers with the view permission (viewers, editors, fact-checkers) see drafts too.
"""

from __future__ import annotations

from django.db.models import Count, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Coalesce

from corpus import selectors as corpus_selectors
from corpus.models import Article

from .models import Annotation, Claim, FactCheck, FactCheckStatus, Tag


def sees_drafts(user) -> bool:
    return bool(user and user.is_authenticated and user.has_perm("annotations.view_annotation"))


def annotation_list(*, user) -> QuerySet[Annotation]:
    return Annotation.objects.visible_to(user).with_related().order_by("article_id", "start", "end", "id")


def factcheck_list(*, user) -> QuerySet[FactCheck]:
    queryset = FactCheck.objects.select_related("author", "reviewer").order_by("id")
    return queryset if sees_drafts(user) else queryset.published()


def claim_list(*, user) -> QuerySet[Claim]:
    queryset = Claim.objects.with_related().order_by("article_id", "id")
    if sees_drafts(user):
        return queryset
    return queryset.filter(fact_check__status=FactCheckStatus.PUBLISHED)


def tag_list() -> QuerySet[Tag]:
    return Tag.objects.select_related("parent").order_by("slug")


def article_list(*, user) -> QuerySet[Article]:
    visible = Annotation.objects.visible_to(user).filter(article=OuterRef("pk")).order_by()
    count = visible.values("article").annotate(n=Count("pk")).values("n")
    return corpus_selectors.article_list().annotate(annotation_count=Coalesce(Subquery(count), 0))


def article_detail(*, user) -> QuerySet[Article]:
    return article_list(user=user).defer(None).prefetch_related(
        Prefetch("paragraphs"),
        Prefetch("quotes", queryset=corpus_selectors.quote_list().order_by("start", "end", "id")),
        Prefetch(
            "annotations",
            queryset=annotation_list(user=user),
            to_attr="visible_annotations",
        ),
        Prefetch("claims", queryset=claim_list(user=user), to_attr="visible_claims"),
    )

