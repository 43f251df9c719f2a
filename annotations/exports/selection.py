"""What an export contains: the filters and rights options, resolved once into querysets.

Every format reads through the same :class:`Selection`, so a filter means the same thing in JSONL, the
tables, W3C and ClaimReview. The filters reuse the API's FilterSets (``corpus.filters.ArticleFilter``
and ``annotations.filters.AnnotationFilter``), so a query string and a command line agree too.

``tag`` selects the articles that have an exported annotation with that tag or a tag below it, and
keeps only those annotations (and the claims on them, or on no annotation). ``status`` narrows the
annotations; anything but ``published`` needs ``include_drafts``. Drafts never reach a public export.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import asdict, dataclass, field
from functools import cached_property, lru_cache

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import F, Q, QuerySet

from corpus.filters import ArticleFilter
from corpus.models import Anchor, Article, Paragraph, Quote, Speaker, SpeakerAlias

from ..filters import AnnotationFilter
from ..models import (
    Annotation,
    AnnotationStatus,
    CheckWorthyDismissal,
    Claim,
    FactCheck,
    FactCheckStatus,
    ProjectArticleState,
    Tag,
)

TEXT_FULL = "full"
TEXT_NONE = "none"
# Annotation projects: by default only their curated (published) layer; "all" adds each annotator's
# layer on the articles closed for curation or curated (an open article's layers are never exported).
LAYERS_CURATED = "curated"
LAYERS_ALL = "all"

# Filter name -> (FilterSet field, which FilterSet). The order is the manifest's order.
ARTICLE_FILTERS = {
    "source": "source",
    "language": "language",
    "since": "published_after",
    "until": "published_before",
    "speaker": "speaker",
    "article": "id",
}
ANNOTATION_FILTERS = {"tag": "tag", "status": "status"}
FILTER_NAMES = (*ARTICLE_FILTERS, *ANNOTATION_FILTERS)


def pseudonym(username: str) -> str:
    """A stable stand-in for a username: the same name gives the same pseudonym under one SECRET_KEY,
    and the name cannot be read back from it."""
    return _pseudonym(settings.SECRET_KEY, username)


@lru_cache(maxsize=4096)
def _pseudonym(secret: str, username: str) -> str:
    # An export names the same few authors on every row: each is hashed once.
    digest = hmac.new(secret.encode(), username.encode("utf-8"), hashlib.sha256).hexdigest()
    return f"annotator-{digest[:8]}"


@dataclass(frozen=True)
class ExportOptions:
    """Filters (strings, as a query string or command line gives them) and rights options."""

    filters: dict[str, str] = field(default_factory=dict)
    include_drafts: bool = False
    include_orphans: bool = False
    text: str = TEXT_FULL
    anonymize_authors: bool = False
    layers: str = LAYERS_CURATED

    def __post_init__(self):
        if self.layers not in (LAYERS_CURATED, LAYERS_ALL):
            raise ValidationError(
                f"layers must be {LAYERS_CURATED!r} or {LAYERS_ALL!r}.", code="invalid_layers"
            )
        unknown = set(self.filters) - set(FILTER_NAMES)
        if unknown:
            raise ValidationError(f"unknown filter(s): {', '.join(sorted(unknown))}.", code="unknown_filter")
        if self.text not in (TEXT_FULL, TEXT_NONE):
            raise ValidationError(f"text must be {TEXT_FULL!r} or {TEXT_NONE!r}.", code="invalid_text")
        status = self.filters.get("status")
        if status and status != AnnotationStatus.PUBLISHED and not self.include_drafts:
            raise ValidationError(
                f"status {status!r} needs drafts included (--include-drafts, or include_drafts=1 with the "
                "view permission).",
                code="drafts_excluded",
            )
        article = str(self.filters.get("article") or "")
        if article and not all(
            part.strip().isascii() and part.strip().isdigit() for part in article.split(",")
        ):
            raise ValidationError(
                f"article: {article!r} is not a comma-separated list of ids.", code="invalid_filter"
            )
        # Normalized: empty values dropped, names in a fixed order, so the manifest is stable.
        clean = {
            name: str(self.filters[name]) for name in FILTER_NAMES if self.filters.get(name) not in (None, "")
        }
        object.__setattr__(self, "filters", clean)

    @property
    def with_text(self) -> bool:
        return self.text == TEXT_FULL

    def author(self, username: str | None) -> str | None:
        if username is None:
            return None
        return pseudonym(username) if self.anonymize_authors else username

    def as_dict(self) -> dict:
        data = asdict(self)
        return {"filters": data["filters"], **{k: v for k, v in data.items() if k != "filters"}}


class Selection:
    """The querysets an export reads, each ordered for keyset reading and free of per-row queries."""

    def __init__(self, options: ExportOptions):
        self.options = options

    # --- Annotations first: the tag filter on articles goes through them.

    @cached_property
    def annotations(self) -> QuerySet[Annotation]:
        queryset = Annotation.objects.all()
        if not self.options.include_orphans:
            queryset = queryset.exclude(anchor=Anchor.ORPHANED)
        kept = Q(project__isnull=True) | Q(curated=True)
        if not self.options.include_drafts:
            kept &= Q(status=AnnotationStatus.PUBLISHED)
        if self.options.layers == LAYERS_ALL:
            # The annotators' layers, drafts as they stay, of the articles whose layers are final.
            final = Annotation.objects.filter(
                curated=False,
                project__entries__article_id=F("article_id"),
                project__entries__state__in=[ProjectArticleState.CLOSED, ProjectArticleState.CURATED],
            )
            kept |= Q(pk__in=final.values("pk"))
        queryset = queryset.filter(kept)
        data = {
            key: self.options.filters[name]
            for name, key in ANNOTATION_FILTERS.items()
            if name in self.options.filters
        }
        if data:
            filterset = AnnotationFilter(data=data, queryset=queryset)
            _check(filterset)
            queryset = filterset.qs
        if self._article_filters:
            queryset = queryset.filter(_among(self._articles_unfiltered_by_tag, "article_id"))
        return queryset.order_by("id")

    @property
    def _article_filters(self) -> bool:
        return any(name in self.options.filters for name in ARTICLE_FILTERS)

    @property
    def _annotation_filters(self) -> bool:
        return any(name in self.options.filters for name in ANNOTATION_FILTERS)

    @cached_property
    def _articles_unfiltered_by_tag(self) -> QuerySet[Article]:
        data = {
            key: self.options.filters[name]
            for name, key in ARTICLE_FILTERS.items()
            if name in self.options.filters
        }
        queryset = Article.objects.all()
        if data:
            filterset = ArticleFilter(data=data, queryset=queryset)
            _check(filterset)
            queryset = filterset.qs
        return queryset.order_by()

    @cached_property
    def articles(self) -> QuerySet[Article]:
        queryset = self._articles_unfiltered_by_tag
        if "tag" in self.options.filters:
            queryset = queryset.filter(pk__in=self.annotations.order_by().values("article_id"))
        return queryset.order_by("id")

    def of_articles(self, queryset: QuerySet) -> QuerySet:
        """Rows of ``queryset`` (with an ``article_id``) on the exported articles only: unfiltered, no
        condition at all."""
        restricted = self._article_filters or "tag" in self.options.filters
        if hasattr(self, "_articles_override") or restricted:
            return queryset.filter(_among(self.articles, "article_id"))
        return queryset

    @cached_property
    def paragraphs(self) -> QuerySet[Paragraph]:
        return self.of_articles(Paragraph.objects.all()).order_by("article_id", "position")

    @cached_property
    def quotes(self) -> QuerySet[Quote]:
        queryset = self.of_articles(Quote.objects.all())
        if not self.options.include_orphans:
            queryset = queryset.exclude(anchor=Anchor.ORPHANED)
        return queryset.order_by("id")

    @cached_property
    def local_speakers(self) -> QuerySet[Speaker]:
        """The speakers that belong to one of the exported articles (anonymous sources, unnamed groups),
        by article."""
        return self.of_articles(Speaker.objects.filter(article__isnull=False)).order_by("article_id", "id")

    @cached_property
    def claims(self) -> QuerySet[Claim]:
        queryset = self.of_articles(Claim.objects.all())
        if not self.options.include_drafts:
            queryset = queryset.filter(fact_check__status=FactCheckStatus.PUBLISHED)
        # A claim goes with its annotation: none that points at an annotation left out.
        if self._annotation_filters or self._article_filters:
            # Those without an annotation, and those whose annotation is exported, as a UNION: under an
            # OR, PostgreSQL cannot join on the annotations' subquery and rescans it for every claim.
            alone = queryset.filter(annotation__isnull=True).order_by().values("pk")
            annotated = queryset.filter(_among(self.annotations, "annotation_id")).order_by().values("pk")
            return Claim.objects.filter(pk__in=alone.union(annotated)).order_by("id")
        kept = Q()
        if not self.options.include_drafts:
            kept &= Q(annotation__status=AnnotationStatus.PUBLISHED)
        if not self.options.include_orphans:
            kept &= ~Q(annotation__anchor=Anchor.ORPHANED)
        if kept:  # Q(...) | Q() is Q(...) alone: with nothing to leave out, no filter at all
            queryset = queryset.filter(Q(annotation__isnull=True) | kept)
        return queryset.order_by("id")

    @cached_property
    def checkworthy_dismissals(self) -> QuerySet[CheckWorthyDismissal]:
        """The suggested sentences editors dismissed on the exported articles: editors' decisions, kept
        over re-processing, that a restored database needs as much as the annotations."""
        return self.of_articles(CheckWorthyDismissal.objects.all()).order_by("article_id", "id")

    @cached_property
    def fact_checks(self) -> QuerySet[FactCheck]:
        return FactCheck.objects.filter(_among(self.claims, "claim_id")).order_by("id")

    @cached_property
    def speakers(self) -> QuerySet[Speaker]:
        """The speakers the exported quotes and claims name (quoted, relaying, claiming)."""
        # One IN over a UNION of the three columns: IN (a) OR IN (b) OR IN (c) keeps PostgreSQL from
        # joining, and once a subquery's ids outgrow work_mem it rescans them for every speaker (hours
        # at 100,000 articles). A correlated EXISTS is what SQLite cannot do fast.
        quotes = self.quotes.order_by()
        named = (
            quotes.filter(speaker__isnull=False)
            .values("speaker_id")
            .union(
                quotes.filter(via__isnull=False).values("via_id"),
                self.claims.order_by().filter(claimant__isnull=False).values("claimant_id"),
            )
        )
        return Speaker.objects.filter(pk__in=named).order_by("id")

    @cached_property
    def speaker_aliases(self) -> QuerySet[SpeakerAlias]:
        return SpeakerAlias.objects.filter(_among(self.speakers, "speaker_id")).order_by("id")

    def restrict_articles(self, queryset: QuerySet[Article]) -> None:
        """Narrow the export to ``queryset`` as well (callers that pick articles themselves)."""
        self._articles_override = True
        self.articles = self.articles.filter(_among(queryset, "pk"))
        for name in (
            "paragraphs", "quotes", "claims", "fact_checks", "speakers", "speaker_aliases", "checkworthy_dismissals",
            "local_speakers",
        ):  # fmt: skip
            self.__dict__.pop(name, None)

    @cached_property
    def tags(self) -> QuerySet[Tag]:
        """The whole vocabulary: an importer needs the hierarchy, not only the tags in use."""
        return Tag.objects.select_related("parent").order_by("id")


def _among(queryset: QuerySet, field: str) -> Q:
    """Rows whose ``field`` is the primary key of a row of ``queryset``: ``IN (subquery)``, which each
    database works out once per query (the export reads each table in one query). Not a correlated
    EXISTS: SQLite answers that row by row and works the subqueries inside it out again for every
    row, which a filtered export of 10,000 articles took most of an hour over."""
    return Q(**{f"{field}__in": queryset.order_by().values("pk")})


def _check(filterset) -> None:
    if not filterset.is_valid():
        # Named as the export names them (since, until, article), not as the FilterSet does.
        ours = {key: name for name, key in (*ARTICLE_FILTERS.items(), *ANNOTATION_FILTERS.items())}
        errors = "; ".join(
            f"{ours.get(name, name)}: {' '.join(str(m) for m in messages)}"
            for name, messages in filterset.errors.items()
        )
        raise ValidationError(f"invalid filter: {errors}", code="invalid_filter")
