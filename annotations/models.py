"""Tags, annotations, claims and fact-checks, on top of the corpus."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from corpus.models import Anchor, Article, Origin, Paragraph, Quote, Speaker

from .querysets import AnnotationQuerySet, ClaimQuerySet, FactCheckQuerySet, TagQuerySet


class Tag(models.Model):
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    slug = models.SlugField(max_length=100, unique=True)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    colour = models.CharField(
        max_length=7,
        default="#ffd54f",
        validators=[RegexValidator(r"^#[0-9a-fA-F]{6}$", "A colour is #rrggbb.", code="invalid_colour")],
    )

    objects = TagQuerySet.as_manager()

    class Meta:
        ordering = ["slug"]
        constraints = [
            models.CheckConstraint(condition=~Q(parent=F("id")), name="tag_not_own_parent"),
        ]

    def __str__(self) -> str:
        return self.name


class AnnotationTarget(models.TextChoices):
    SPAN = "span"
    PARAGRAPH = "paragraph"
    QUOTE = "quote"
    ARTICLE = "article"


class AnnotationStatus(models.TextChoices):
    DRAFT = "draft"
    PUBLISHED = "published"
    REJECTED = "rejected"


class Annotation(models.Model):
    # Looked up through the (article, start, end) index below.
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="annotations", db_index=False)
    target = models.CharField(max_length=10, choices=AnnotationTarget.choices, default=AnnotationTarget.SPAN)
    # RESTRICT: what an editor annotated goes only with its article; never silently.
    paragraph = models.ForeignKey(
        Paragraph, on_delete=models.RESTRICT, null=True, blank=True, related_name="annotations"
    )
    quote = models.ForeignKey(
        Quote, on_delete=models.RESTRICT, null=True, blank=True, related_name="annotations"
    )
    start = models.PositiveIntegerField(null=True, blank=True)
    end = models.PositiveIntegerField(null=True, blank=True)
    # A W3C TextQuoteSelector, kept so the span can be found again when the text changes.
    exact = models.TextField(blank=True)
    prefix = models.CharField(max_length=64, blank=True)
    suffix = models.CharField(max_length=64, blank=True)
    anchor = models.CharField(
        max_length=10,
        choices=Anchor.choices,
        default=Anchor.PLACED,
        blank=True,
        help_text="How the span was placed after the article's text changed; orphans await an editor.",
    )
    anchor_score = models.FloatField(null=True, blank=True)
    tags = models.ManyToManyField(Tag, blank=True, related_name="annotations")
    note = models.TextField(blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="annotations",
        help_text="Empty for machine annotations.",
    )
    status = models.CharField(max_length=10, choices=AnnotationStatus.choices, default=AnnotationStatus.DRAFT)
    origin = models.CharField(max_length=10, choices=Origin.choices, default=Origin.EDITOR)
    rule = models.CharField(
        max_length=80, blank=True, help_text="For machine annotations: the rule that made it."
    )
    # Empty: the shared desk. In a project, an annotation is its author's layer (hidden from the other
    # annotators until the article is closed for curation) or, curated, part of the published layer.
    project = models.ForeignKey(
        "AnnotationProject", on_delete=models.PROTECT, null=True, blank=True, related_name="annotations"
    )
    curated = models.BooleanField(
        default=False, help_text="Part of the project's curated (published) layer, not an annotator's."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    objects = AnnotationQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["prefix", "suffix"])

    class Meta:
        ordering = ["article", "start", "end", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(target="span", start__isnull=False, end__isnull=False, start__lt=F("end"))
                    | (Q(target="span", anchor="orphaned") & Q(start__isnull=True, end__isnull=True))
                    | (~Q(target="span") & Q(start__isnull=True, end__isnull=True))
                ),
                name="annotation_span_offsets",
            ),
            models.CheckConstraint(
                condition=~Q(target="paragraph") | Q(paragraph__isnull=False) | Q(anchor="orphaned"),
                name="annotation_paragraph_target",
            ),
            models.CheckConstraint(
                condition=~Q(target="quote") | Q(quote__isnull=False), name="annotation_quote_target"
            ),
            models.CheckConstraint(
                condition=~Q(origin="editor") | Q(author__isnull=False), name="annotation_editor_has_author"
            ),
            models.CheckConstraint(
                condition=Q(curated=False) | Q(project__isnull=False), name="annotation_curated_in_project"
            ),
        ]
        indexes = [
            models.Index(fields=["article", "start", "end"]),
            models.Index(fields=["status", "id"]),
            models.Index(fields=["anchor"], name="annotation_anchor_idx", condition=Q(anchor="orphaned")),
        ]

    def __str__(self) -> str:
        if self.target != AnnotationTarget.SPAN:
            where = self.target
        elif self.start is None:
            where = "orphaned"  # a revision took its words away
        else:
            where = f"{self.start}-{self.end}"
        return f"Annotation {self.pk} ({where}) on article {self.article_id}"


class OrphanedAnnotation(Annotation):
    """Annotations a new revision left without a place: the editors' re-placing queue."""

    class Meta:
        proxy = True
        verbose_name = "orphaned annotation"


class Claim(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="claims")
    text = models.TextField()
    claimant = models.ForeignKey(
        Speaker, on_delete=models.SET_NULL, null=True, blank=True, related_name="claims"
    )
    annotation = models.ForeignKey(
        Annotation, on_delete=models.SET_NULL, null=True, blank=True, related_name="claims"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="claims"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    objects = ClaimQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["article", "id"]

    def __str__(self) -> str:
        return self.text[:100]


class Verdict(models.TextChoices):
    TRUE = "true"
    MOSTLY_TRUE = "mostly_true"
    MIXED = "mixed"
    MOSTLY_FALSE = "mostly_false"
    FALSE = "false"
    MISLEADING = "misleading"
    UNVERIFIABLE = "unverifiable"
    NOT_A_CLAIM = "not_a_claim"


class FactCheckStatus(models.TextChoices):
    DRAFT = "draft"
    IN_REVIEW = "in_review"
    PUBLISHED = "published"


class FactCheck(models.Model):
    claim = models.OneToOneField(Claim, on_delete=models.CASCADE, related_name="fact_check")
    verdict = models.CharField(max_length=20, choices=Verdict.choices)
    rationale = models.TextField(blank=True)
    evidence = models.JSONField(
        default=list, blank=True, help_text="A list of {url, title, publisher, accessed (YYYY-MM-DD)}."
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="fact_checks")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reviewed_fact_checks",
    )
    co_authors = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="co_written_fact_checks",
        help_text="People other than the author who changed its verdict, rationale or evidence; "
        "none of them may approve it.",
    )
    review_comment = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=FactCheckStatus.choices, default=FactCheckStatus.DRAFT)
    published_at = models.DateTimeField(null=True, blank=True)
    modified_at = models.DateTimeField(
        null=True, blank=True, help_text="When an approved revision last replaced the published verdict."
    )
    # A published fact-check stays public while it is revised: the revision waits here, and the
    # verdict, rationale and evidence above stay what was approved until a reviewer approves it.
    revision = models.JSONField(
        null=True,
        blank=True,
        help_text="The pending revision of a published fact-check: verdict, rationale, evidence.",
    )
    revision_status = models.CharField(
        max_length=10,
        blank=True,
        choices=[(FactCheckStatus.DRAFT, "draft"), (FactCheckStatus.IN_REVIEW, "in review")],
        help_text="Where the pending revision is: a draft (sent back) or in review.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    objects = FactCheckQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-updated_at", "id"]
        permissions = [("review_factcheck", "Can review and publish fact-checks of others")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False, reviewer__isnull=False),
                name="factcheck_published_has_reviewer_and_date",
            ),
            models.CheckConstraint(
                condition=Q(reviewer__isnull=True) | ~Q(reviewer=F("author")),
                name="factcheck_reviewer_not_author",
            ),
        ]

    # What __str__ reads beyond the row: a delete confirmation that lists fact-checks reads it with them.
    name_reads = ("claim",)

    def __str__(self) -> str:
        return f"{self.get_verdict_display()}: {self.claim}"

    @property
    def awaits_review(self) -> bool:
        """In review itself, or published with a revision in review."""
        return FactCheckStatus.IN_REVIEW in (self.status, self.revision_status)

    @property
    def working(self) -> dict:
        """What the writers are working on: the pending revision, else the fact-check itself."""
        if self.revision is not None:
            return dict(self.revision)
        return {"verdict": self.verdict, "rationale": self.rationale, "evidence": self.evidence}


class FactCheckInReview(FactCheck):
    """Fact-checks waiting for a second person: the review queue."""

    class Meta:
        proxy = True
        verbose_name = "fact-check in review"
        verbose_name_plural = "review queue"


class ExportJobStatus(models.TextChoices):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class ExportJob(models.Model):
    """An export run in the background; its file lives under ``settings.EXPORTS_DIR``."""

    format = models.CharField(max_length=20)
    filters = models.JSONField(
        default=dict, blank=True, help_text="Filters and options, as the export took them."
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="export_jobs"
    )
    status = models.CharField(max_length=10, choices=ExportJobStatus.choices, default=ExportJobStatus.QUEUED)
    task_id = models.CharField(max_length=64, blank=True)
    result = models.CharField(max_length=500, blank=True, help_text="The file, relative to EXPORTS_DIR.")
    manifest = models.JSONField(null=True, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.format} export {self.pk} ({self.status})"


class CheckWorthyDismissal(models.Model):
    """An editor's "not worth checking" for a machine-suggested sentence (``corpus.ingest.checkworthy``).
    Kept by the sentence's words, so it holds over re-processing and revisions that move the offsets."""

    # Looked up through checkworthy_dismissed_once (article, text).
    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="checkworthy_dismissals", db_index=False
    )
    text = models.TextField(help_text="The sentence's words when it was dismissed.")
    dismissed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    dismissed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["article", "id"]
        constraints = [
            models.UniqueConstraint(fields=["article", "text"], name="checkworthy_dismissed_once"),
        ]

    def __str__(self) -> str:
        return f"dismissed in article {self.article_id}: {self.text[:60]}"


class AssignmentState(models.TextChoices):
    NEW = "new"
    IN_PROGRESS = "in_progress"
    DONE = "done"


class Assignment(models.Model):
    """An article given to an editor to annotate: the editor's work queue, with the state of each."""

    # article and assignee are looked up through assignment_once_per_editor and the (assignee, state,
    # created_at) index below.
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="assignments", db_index=False)
    project = models.ForeignKey(
        "AnnotationProject",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="assignments",
        help_text="Empty: the shared desk. Set: the editor annotates the article in this project's layer.",
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="assignments", db_index=False
    )
    state = models.CharField(max_length=12, choices=AssignmentState.choices, default=AssignmentState.NEW)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["assignee_id", "created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["article", "assignee"], name="assignment_once_per_editor"),
        ]
        indexes = [models.Index(fields=["assignee", "state", "created_at"])]

    # What __str__ reads beyond the row: a delete confirmation that lists assignments reads it with them.
    name_reads = ("article", "assignee")

    def __str__(self) -> str:
        return f"{self.article} → {self.assignee} ({self.get_state_display()})"


class AnnotationProject(models.Model):
    """A second way of working beside the shared desk: each annotator annotates the project's articles
    in a layer of their own, with the project's tags, and curators turn the layers into one published
    layer. Agreement between the layers is measured in ``agreement.py``."""

    name = models.CharField(max_length=200, unique=True)
    guidelines = models.TextField(blank=True, help_text="What the annotators are asked to mark, and how.")
    tag_root = models.ForeignKey(
        Tag,
        on_delete=models.PROTECT,
        related_name="projects",
        verbose_name="tag set",
        help_text="The project's tags: this tag and every tag below it.",
    )
    articles = models.ManyToManyField(
        Article, through="ProjectArticle", related_name="annotation_projects", blank=True
    )
    annotators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="annotation_projects", blank=True
    )
    curators = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="curated_projects", blank=True)
    annotators_per_article = models.PositiveSmallIntegerField(
        default=2,
        validators=[MinValueValidator(1)],
        help_text="How many annotators annotate each article independently (two or more to measure agreement).",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = "annotation project"
        constraints = [
            models.CheckConstraint(
                condition=Q(annotators_per_article__gte=1), name="project_annotators_per_article_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ProjectArticleState(models.TextChoices):
    OPEN = "open"
    CLOSED = "closed", "closed for curation"
    CURATED = "curated"


class ProjectArticle(models.Model):
    """An article of a project and where it stands: annotators annotate it while it is open; closing it
    for curation ends that and shows the layers to the project; curating it publishes one layer."""

    # Looked up through project_article_once (project, article).
    project = models.ForeignKey(
        AnnotationProject, on_delete=models.CASCADE, related_name="entries", db_index=False
    )
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="project_entries")
    state = models.CharField(
        max_length=10, choices=ProjectArticleState.choices, default=ProjectArticleState.OPEN
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    curated_at = models.DateTimeField(null=True, blank=True)
    curated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["project_id", "article_id"]
        constraints = [
            models.UniqueConstraint(fields=["project", "article"], name="project_article_once"),
        ]

    name_reads = ("article", "project")  # what __str__ reads beyond the row, as Assignment's

    def __str__(self) -> str:
        return f"{self.article} in {self.project} ({self.get_state_display()})"


class CurationChoice(models.TextChoices):
    AGREED = "agreed", "every layer agreed"
    PICKED = "picked", "picked from the layers"
    EDITED = "edited", "edited by the curator"
    REJECTED = "rejected", "left out"


class CurationDecision(models.Model):
    """Who chose what: one curator's decision on one passage (or label) of an article in a project,
    the layer annotations it was made from, and the curated annotation it produced (none when left out)."""

    project = models.ForeignKey(AnnotationProject, on_delete=models.CASCADE, related_name="decisions")
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="curation_decisions")
    curator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    choice = models.CharField(max_length=10, choices=CurationChoice.choices)
    sources = models.ManyToManyField(Annotation, related_name="curation_sources", blank=True)
    result = models.ForeignKey(
        Annotation, on_delete=models.SET_NULL, null=True, blank=True, related_name="curation_decisions"
    )
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["project_id", "article_id", "id"]

    name_reads = ("curator",)  # what __str__ reads beyond the row, as Assignment's

    def __str__(self) -> str:
        return f"{self.get_choice_display()} by {self.curator} on article {self.article_id}"
