"""Sources, articles, paragraphs, speakers and quotes.

Offsets (``start``, ``end``) are Unicode code points into ``Article.text``;
``end`` is exclusive. Invariants that must hold whichever door the data comes
through are database constraints.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from .querysets import ArticleQuerySet, QuoteQuerySet, SpeakerQuerySet
from .weburls import validate_web_url


class Origin(models.TextChoices):
    MACHINE = "machine", "machine"
    EDITOR = "editor", "editor"


class Source(models.Model):
    name = models.CharField(max_length=200, unique=True)
    homepage = models.URLField(max_length=500, blank=True, validators=[validate_web_url])
    licence = models.CharField(
        max_length=200, blank=True, help_text="Terms under which the source's texts may be used or shared."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Article(models.Model):
    source = models.ForeignKey(
        Source, on_delete=models.PROTECT, null=True, blank=True, related_name="articles"
    )
    url = models.URLField(max_length=2000, null=True, blank=True, unique=True, validators=[validate_web_url])
    external_id = models.CharField(max_length=200, blank=True)
    raw_text = models.TextField(help_text="The input exactly as received.")
    content_hash = models.CharField(max_length=64, unique=True, help_text="SHA-256 of the raw bytes.")
    text = models.TextField(help_text="Normalized text; every offset points into it.")
    title = models.TextField(blank=True)
    standfirst = models.TextField(blank=True)
    byline = models.CharField(max_length=500, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    language = models.CharField(max_length=35, default="en", help_text="BCP 47 language tag.")
    metadata = models.JSONField(default=dict, blank=True)
    pipeline_version = models.CharField(max_length=20, blank=True)
    revision = models.PositiveIntegerField(default=1, help_text="Number of the current revision.")
    ingested_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "external_id"],
                condition=~Q(external_id=""),
                name="article_unique_source_external_id",
            ),
            models.CheckConstraint(
                condition=Q(external_id="") | Q(source__isnull=False),
                name="article_external_id_needs_source",
            ),
        ]
        indexes = [models.Index(fields=["published_at", "id"]), models.Index(fields=["language"])]

    def __str__(self) -> str:
        return self.title[:120] or f"Article {self.pk}"


class ArticleRevision(models.Model):
    """An earlier state of an article, kept when the outlet's copy changed. The current state is the
    article itself."""

    # Looked up through revision_unique_number (article, number), which starts with it.
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="revisions", db_index=False)
    number = models.PositiveIntegerField()
    raw_text = models.TextField()
    content_hash = models.CharField(max_length=64, db_index=True)
    text = models.TextField()
    title = models.TextField(blank=True)
    pipeline_version = models.CharField(max_length=20, blank=True)
    ingested_at = models.DateTimeField(help_text="When this revision was received.")
    superseded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["article", "number"]
        constraints = [
            models.UniqueConstraint(fields=["article", "number"], name="revision_unique_number"),
        ]

    def __str__(self) -> str:
        return f"{self.article_id} r{self.number}"


class Anchor(models.TextChoices):
    """How a span was placed after the article's text changed."""

    PLACED = "", "as placed"
    EXACT = "exact"
    FUZZY = "fuzzy"
    ORPHANED = "orphaned"


class ParagraphRole(models.TextChoices):
    TITLE = "title"
    STANDFIRST = "standfirst"
    BYLINE = "byline"
    BODY = "body"
    CAPTION = "caption"
    BOILERPLATE = "boilerplate"


class Paragraph(models.Model):
    # Looked up through paragraph_unique_position (article, position), which starts with it.
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="paragraphs", db_index=False)
    position = models.PositiveIntegerField()
    role = models.CharField(max_length=20, choices=ParagraphRole.choices, default=ParagraphRole.BODY)
    rule = models.CharField(max_length=80, blank=True, help_text="The rule that decided the role.")
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["article", "position"]
        constraints = [
            models.UniqueConstraint(fields=["article", "position"], name="paragraph_unique_position"),
            models.CheckConstraint(condition=Q(start__lt=F("end")), name="paragraph_start_lt_end"),
        ]

    def __str__(self) -> str:
        return f"{self.article_id}§{self.position} ({self.role})"

    @property
    def text(self) -> str:
        return self.article.text[self.start : self.end]


class SpeakerKind(models.TextChoices):
    PERSON = "person"
    ORGANIZATION = "organization"
    GROUP = "group"
    ANONYMOUS = "anonymous"


class Speaker(models.Model):
    name = models.CharField(max_length=300)
    kind = models.CharField(max_length=20, choices=SpeakerKind.choices, default=SpeakerKind.PERSON)
    description = models.TextField(blank=True)
    article = models.ForeignKey(
        Article,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="local_speakers",
        help_text="Set for anonymous sources and unnamed groups, which belong to one article.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    objects = SpeakerQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["name"], condition=Q(article__isnull=True), name="speaker_unique_shared_name"
            ),
            models.UniqueConstraint(
                fields=["article", "name"],
                condition=Q(article__isnull=False),
                name="speaker_unique_name_per_article",
            ),
            models.CheckConstraint(
                condition=~Q(kind="anonymous") | Q(article__isnull=False),
                name="speaker_anonymous_belongs_to_article",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class SpeakerAlias(models.Model):
    """Another way a speaker is written: "Xi", "President Xi Jinping", "China's president"."""

    speaker = models.ForeignKey(Speaker, on_delete=models.CASCADE, related_name="aliases")
    phrase = models.CharField(max_length=300)
    key = models.CharField(max_length=300, unique=True, editable=False, help_text="Case-folded phrase.")

    class Meta:
        ordering = ["phrase"]
        verbose_name_plural = "speaker aliases"

    def __str__(self) -> str:
        return self.phrase

    def save(self, *args, **kwargs):
        self.key = self.phrase.casefold().strip()
        super().save(*args, **kwargs)


class SpeakerMerge(models.Model):
    """The record of one speaker folded into another: by whom, when, and what moved. The merged speaker
    is gone; its name, kind and id are kept here, and its name as an alias of the target."""

    target = models.ForeignKey(Speaker, on_delete=models.SET_NULL, null=True, related_name="merges")
    target_name = models.CharField(max_length=300)
    source_id = models.BigIntegerField(help_text="The id the merged speaker had.")
    source_name = models.CharField(max_length=300)
    source_kind = models.CharField(max_length=20, choices=SpeakerKind.choices)
    source_article = models.ForeignKey(
        Article, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    quotes = models.JSONField(default=list, blank=True, help_text="Ids of the quotes moved to the target.")
    moved = models.JSONField(default=dict, blank=True, help_text="Rows moved, by table.")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="speaker_merges",
        help_text="Empty for the registry clean-up run by reprocess.",
    )
    reason = models.CharField(max_length=200, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.source_name} merged into {self.target_name}"


class QuoteKind(models.TextChoices):
    DIRECT = "direct"
    PARTIAL = "partial"
    INDIRECT = "indirect"


class Quote(models.Model):
    # article and speaker are looked up through the (article, start, end) and (speaker, kind) indexes below.
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="quotes", db_index=False)
    # RESTRICT: a paragraph goes only with its article; never silently with the quotes on it.
    paragraph = models.ForeignKey(
        Paragraph, on_delete=models.RESTRICT, null=True, blank=True, related_name="quotes"
    )
    kind = models.CharField(max_length=10, choices=QuoteKind.choices)
    # Empty only for an orphan: a kept quote whose words a new revision no longer has.
    start = models.PositiveIntegerField(null=True, blank=True)
    end = models.PositiveIntegerField(null=True, blank=True)
    exact = models.TextField(blank=True, help_text="The quote's words when last placed, to find them again.")
    anchor = models.CharField(max_length=10, choices=Anchor.choices, default=Anchor.PLACED, blank=True)
    anchor_score = models.FloatField(null=True, blank=True)
    # continues, via and corrected_by are empty on most quotes: indexed where set (Meta.indexes).
    continues = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="continuations", db_index=False
    )
    speaker = models.ForeignKey(
        Speaker, on_delete=models.SET_NULL, null=True, blank=True, related_name="quotes", db_index=False
    )
    speaker_mention = models.CharField(max_length=300, blank=True)
    cue = models.CharField(max_length=200, blank=True)
    via = models.ForeignKey(
        Speaker,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="relayed_quotes",
        db_index=False,
    )
    confidence = models.FloatField(default=1.0)
    rule = models.CharField(max_length=80, blank=True)
    origin = models.CharField(max_length=10, choices=Origin.choices, default=Origin.MACHINE)
    verified = models.BooleanField(default=False)
    corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrected_quotes",
        help_text="The editor who last corrected the speaker or kind; kept across re-processing.",
        db_index=False,
    )
    cluster = models.ForeignKey(
        "QuoteCluster",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="quotes",
        help_text="The same words quoted in other articles (corpus/clusters.py); empty when they stand alone.",
    )
    cluster_fixed = models.BooleanField(
        default=False,
        db_default=False,
        help_text="An editor put this quote in its cluster or took it out: the machine leaves it there.",
    )
    pipeline_version = models.CharField(max_length=20, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    objects = QuoteQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["exact"])

    class Meta:
        ordering = ["article", "start", "end", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    start__isnull=False, end__isnull=False, paragraph__isnull=False, start__lt=F("end")
                )
                | Q(anchor="orphaned", start__isnull=True, end__isnull=True),
                name="quote_span_or_orphan",
            ),
            models.CheckConstraint(
                condition=Q(confidence__gte=0) & Q(confidence__lte=1), name="quote_confidence_0_1"
            ),
        ]
        indexes = [
            models.Index(fields=["article", "start", "end"]),
            models.Index(fields=["speaker", "kind"]),
            # Whether a cluster holds a quote an editor placed, without reading its other members.
            models.Index(fields=["cluster"], condition=Q(cluster_fixed=True), name="quote_cluster_fixed_idx"),
            # Foreign keys that most quotes leave empty: an index of the set ones serves every look-up by
            # them (a comparison implies the column is set), and writing a quote without them costs none.
            models.Index(
                fields=["continues"], condition=Q(continues__isnull=False), name="quote_continues_set_idx"
            ),
            models.Index(fields=["via"], condition=Q(via__isnull=False), name="quote_via_set_idx"),
            models.Index(
                fields=["corrected_by"],
                condition=Q(corrected_by__isnull=False),
                name="quote_corrected_by_set_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} quote {self.pk} in article {self.article_id}"

    @property
    def text(self) -> str:
        if self.start is None:
            return self.exact
        return self.article.text[self.start : self.end]


class QuoteCluster(models.Model):
    """Quotes of the same words in several articles: where else it was said, and where first.

    Found by the machine at ingest (``corpus.clusters``), merged and split by editors; an editor's
    decision is kept on the quotes it moved (``Quote.cluster_fixed``)."""

    first_quote = models.ForeignKey(
        Quote,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The earliest appearance: by the article's publication date, then by when it was ingested.",
    )
    size = models.PositiveIntegerField(default=0, help_text="How many quotes it holds.")
    articles = models.PositiveIntegerField(default=0, help_text="In how many articles.")
    speakers_disagree = models.BooleanField(
        default=False, help_text="Its quotes name different speakers: the same words, attributed to others."
    )
    speaker = models.ForeignKey(
        "Speaker",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The one speaker its quotes name (empty when none is named or they disagree), so a "
        "joining quote is checked against it rather than against every member.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-updated_at", "id"]
        indexes = [models.Index(fields=["speakers_disagree"], name="cluster_disagree_idx")]

    def __str__(self) -> str:
        return f"quote cluster {self.pk} ({self.size} quotes in {self.articles} articles)"


class QuoteFingerprint(models.Model):
    """A winnowed hash of three words of a quote (``corpus.clusters``): quotes that share one are
    candidates of the same cluster, found through the index rather than by comparing every quote."""

    quote = models.ForeignKey(Quote, on_delete=models.CASCADE, related_name="fingerprints")
    value = models.BigIntegerField(db_index=True)

    def __str__(self) -> str:
        return f"{self.value:x} of quote {self.quote_id}"


class Takedown(models.Model):
    """The record of an article deleted on purpose (rights, legal, privacy): the only deletion the
    system allows. It keeps what identifies the article, never its text."""

    article_id = models.BigIntegerField(help_text="The id the article had.")
    url = models.URLField(max_length=2000, null=True, blank=True)
    source = models.CharField(max_length=200, blank=True)
    external_id = models.CharField(max_length=200, blank=True)
    content_hash = models.CharField(max_length=64, db_index=True)
    title = models.TextField(blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="takedowns")
    reason = models.TextField()
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"takedown of article {self.article_id}"
