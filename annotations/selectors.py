"""Reads of annotations, claims and fact-checks, filtered by what the reader may see.

Anonymous readers see published annotations and published fact-checks only;
readers with the view permission (viewers, editors, fact-checkers) see drafts too.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.db.models import Count, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Coalesce

from corpus import selectors as corpus_selectors
from corpus.models import Article, Paragraph, Quote

from .access import annotation_visibility_key
from .models import Annotation, AnnotationProject, Claim, FactCheck, FactCheckStatus, ProjectArticle, Tag


def sees_drafts(user) -> bool:
    return bool(user and user.is_authenticated and user.has_perm("annotations.view_annotation"))


def annotation_list(*, user) -> QuerySet[Annotation]:
    # Paragraph and quote come along for the W3C selectors of whole-paragraph and quote annotations.
    return (
        Annotation.objects.visible_to(user)
        .with_related()
        .select_related("paragraph", "quote")
        .order_by("article_id", "start", "end", "id")
    )


def factcheck_list(*, user) -> QuerySet[FactCheck]:
    queryset = FactCheck.objects.select_related("author", "reviewer").order_by("id")
    return queryset if sees_drafts(user) else queryset.published()


def claim_list(*, user) -> QuerySet[Claim]:
    queryset = Claim.objects.with_related().order_by("article_id", "id")
    if sees_drafts(user):
        return queryset
    return queryset.filter(fact_check__status=FactCheckStatus.PUBLISHED)


def project_list() -> QuerySet[AnnotationProject]:
    """Projects with their articles (and states), root tag, annotators and curators, in four queries."""
    return (
        AnnotationProject.objects.select_related("tag_root")
        .prefetch_related(
            Prefetch("entries", queryset=ProjectArticle.objects.order_by("article_id")),
            Prefetch("annotators", queryset=get_user_model().objects.order_by("username")),
            Prefetch("curators", queryset=get_user_model().objects.order_by("username")),
        )
        .order_by("name", "id")
    )


def tag_list() -> QuerySet[Tag]:
    return Tag.objects.select_related("parent").order_by("slug")


EXPANDABLE = ("paragraphs", "quotes", "annotations", "claims")
# What one article embeds of each nested list, at most: an article of 400,000 paragraphs would otherwise be
# tens of megabytes in every response. One more row is read, to tell that the list goes on; the rest is
# on the paginated list the response links to (``more``).
NESTED_LIMIT = 500


# article_list's queryset by annotation_visibility_key: building it (the layer conditions, their
# subqueries, the counts) cost more CPU than running it on a page of the API's list. It is never
# evaluated here, only cloned. Bounded: a process serving many readers builds some again.
_ARTICLE_LISTS: dict[tuple, QuerySet[Article]] = {}
_ARTICLE_LISTS_KEPT = 256


def article_list(*, user, expand: Iterable[str] = ()) -> QuerySet[Article]:
    """Articles with the count of annotations the reader may see, and the nested lists asked for."""
    key = annotation_visibility_key(user)
    queryset = _ARTICLE_LISTS.get(key)
    if queryset is None:
        visible = Annotation.objects.visible_to(user).filter(article=OuterRef("pk")).order_by()
        count = visible.values("article").annotate(n=Count("pk")).values("n")
        queryset = corpus_selectors.article_list().annotate(annotation_count=Coalesce(Subquery(count), 0))
        if len(_ARTICLE_LISTS) >= _ARTICLE_LISTS_KEPT:
            _ARTICLE_LISTS.clear()
        _ARTICLE_LISTS[key] = queryset
    return _with_expansions(queryset.all(), user=user, expand=set(expand))


def article_detail(*, user, expand: Iterable[str] = EXPANDABLE) -> QuerySet[Article]:
    return article_list(user=user, expand=expand).defer(None).defer("raw_text", "metadata")


def _with_expansions(queryset: QuerySet[Article], *, user, expand: set[str]) -> QuerySet[Article]:
    """One query per nested list, whatever the number of articles."""
    if expand:
        # An expanded article carries its text (nested paragraphs and quotes cut theirs from it).
        queryset = queryset.defer(None).defer("raw_text", "metadata")
    prefetches: list[Prefetch] = []
    bound = slice(None, NESTED_LIMIT + 1)
    if "paragraphs" in expand:
        paragraphs = Paragraph.objects.order_by("position")[bound]
        prefetches.append(Prefetch("paragraphs", queryset=paragraphs, to_attr="embedded_paragraphs"))
    if "quotes" in expand:
        quotes = Quote.objects.with_related().order_by("start", "end", "id")
        prefetches.append(Prefetch("quotes", queryset=quotes[bound], to_attr="embedded_quotes"))
    if "annotations" in expand:
        annotations = annotation_list(user=user)[bound]
        prefetches.append(Prefetch("annotations", queryset=annotations, to_attr="visible_annotations"))
    if "claims" in expand:
        prefetches.append(Prefetch("claims", queryset=claim_list(user=user)[bound], to_attr="visible_claims"))
    return queryset.prefetch_related(*prefetches)


def desk_summary(*, user) -> dict:
    """What waits on the admin's index: the review queue (size and oldest entry, others' work only for
    the user to review) and the user's own queue, in two queries."""
    from django.db.models import Min, Q

    # a revision of a published fact-check waits in the same queue
    in_review = Q(status=FactCheckStatus.IN_REVIEW) | Q(revision_status=FactCheckStatus.IN_REVIEW)
    mine = Q(author=user)
    checks = FactCheck.objects.aggregate(
        review=Count("pk", filter=in_review),
        review_oldest=Min("updated_at", filter=in_review),
        review_for_me=Count("pk", filter=in_review & ~mine),
        sent_back=Count("pk", filter=mine & Q(status=FactCheckStatus.DRAFT) & ~Q(review_comment="")),
        mine_in_review=Count("pk", filter=mine & in_review),
    )
    drafts = Annotation.objects.filter(author=user, status="draft").aggregate(
        drafts=Count("pk"), orphans=Count("pk", filter=Q(anchor="orphaned"))
    )
    return {**checks, **drafts}
