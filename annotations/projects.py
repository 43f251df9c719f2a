"""Annotation projects: independent layers, closing for curation, and the curated layer.

Every write here takes the acting user and asks ``access`` first, as ``services.py`` does. The desk's
work queue carries a project's assignments (``Assignment.project``), so an annotator meets a project's
articles in the queue they already use.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, QuerySet
from django.utils import timezone

from corpus.models import Article, Origin, Paragraph, Quote

from . import access
from .models import (
    Annotation,
    AnnotationProject,
    AnnotationStatus,
    AnnotationTarget,
    Assignment,
    CurationChoice,
    CurationDecision,
    ProjectArticle,
    ProjectArticleState,
    Tag,
)


def project_tags(project: AnnotationProject) -> QuerySet[Tag]:
    """The project's tag set: its root and every tag below it."""
    return Tag.objects.descendants_of(project.tag_root)


def project_tags_check(project: AnnotationProject, tags: Sequence[Tag]) -> None:
    allowed = set(project_tags(project).values_list("pk", flat=True))
    outside = sorted(tag.slug for tag in tags if tag.pk not in allowed)
    if outside:
        raise ValidationError(
            {"tags": f"not in the tag set of the project {project.name!r}: {', '.join(outside)}."},
            code="tag_outside_project",
        )


def project_entry(project: AnnotationProject, article_id: int) -> ProjectArticle | None:
    return ProjectArticle.objects.filter(project=project, article_id=article_id).first()


def layer_write_check(
    *, project: AnnotationProject, article_id: int, user, tags: Sequence[Tag] | None, status: str | None
) -> None:
    """What a write to one's own layer needs: an annotator, an open article of the project, the project's
    tags, and no publishing (a layer becomes public only through curation)."""
    access.access_project_annotate(user, project, project_entry(project, article_id))
    if tags is not None:
        project_tags_check(project, tags)
    if status == AnnotationStatus.PUBLISHED:
        raise ValidationError(
            {"status": "an annotator's layer stays unpublished: curation publishes the project's layer."},
            code="layer_not_published",
        )


# --- Setting a project up ------------------------------------------------------------------------


def _users_check(users: Iterable, *, role: str) -> list:
    users = list(users)
    for member in users:
        if not (member.is_active and member.is_staff and member.has_perm("annotations.add_annotation")):
            raise ValidationError(
                {role: f"{member.get_username()} cannot annotate, so cannot be one of the {role}."},
                code="not_an_editor",
            )
    return users


@transaction.atomic
def project_save(
    *,
    user,
    project: AnnotationProject | None = None,
    name: str,
    tag_root: Tag,
    guidelines: str = "",
    annotators_per_article: int = 2,
    annotators: Iterable = (),
    curators: Iterable = (),
) -> AnnotationProject:
    """Create a project (``project`` None) or change one; the annotators and curators are replaced."""
    access.access_project_manage(user)
    annotators = _users_check(annotators, role="annotators")
    curators = list(curators)
    project = project or AnnotationProject(created_by=user)
    project.name = name
    project.tag_root = tag_root
    project.guidelines = guidelines
    project.annotators_per_article = annotators_per_article
    project.full_clean()
    if annotators and annotators_per_article > len(annotators):
        raise ValidationError(
            {
                "annotators_per_article": f"{annotators_per_article} annotators per article, but the project "
                f"has {len(annotators)} annotator(s)."
            },
            code="too_few_annotators",
        )
    project.save()
    project.annotators.set(annotators)
    project.curators.set(curators)
    return project


@transaction.atomic
def project_articles_add(*, project: AnnotationProject, article_ids: Iterable[int], user) -> int:
    """Add articles to the project (open for annotation); those already in it stay. How many were added."""
    access.access_project_manage(user)
    ids = set(Article.objects.filter(pk__in=list(article_ids)).values_list("pk", flat=True))
    present = set(ProjectArticle.objects.filter(project=project).values_list("article_id", flat=True))
    new = [ProjectArticle(project=project, article_id=pk) for pk in sorted(ids - present)]
    ProjectArticle.objects.bulk_create(new)
    return len(new)


@transaction.atomic
def project_assign(*, project: AnnotationProject, user) -> int:
    """Fill each open article's annotators up to ``annotators_per_article`` in the desk's work queue,
    the least loaded annotator first (then by id), never twice the same person on an article. How many
    assignments were made."""
    access.access_project_manage(user)
    annotators = sorted(project.annotators.all(), key=lambda u: u.pk)
    if not annotators:
        raise ValidationError(
            {"annotators": "the project has no annotators to assign."}, code="no_annotators"
        )
    load = dict.fromkeys((u.pk for u in annotators), 0)
    for assignee_id, n in (
        Assignment.objects.filter(project=project).values_list("assignee_id").annotate(n=Count("pk"))
    ):
        if assignee_id in load:
            load[assignee_id] = n
    holders: dict[int, set[int]] = defaultdict(set)
    open_ids = ProjectArticle.objects.filter(project=project, state=ProjectArticleState.OPEN).values(
        "article_id"
    )
    for article_id, assignee_id in Assignment.objects.filter(article_id__in=open_ids).values_list(
        "article_id", "assignee_id"
    ):
        holders[article_id].add(assignee_id)
    in_project = set(Assignment.objects.filter(project=project).values_list("article_id", "assignee_id"))
    new = []
    for article_id in sorted(open_ids.values_list("article_id", flat=True)):
        have = sum(1 for a in holders[article_id] if (article_id, a) in in_project)
        for member in sorted(annotators, key=lambda u: (load[u.pk], u.pk)):
            if have >= project.annotators_per_article:
                break
            if member.pk in holders[article_id]:
                continue
            new.append(Assignment(article_id=article_id, assignee=member, assigned_by=user, project=project))
            holders[article_id].add(member.pk)
            load[member.pk] += 1
            have += 1
    Assignment.objects.bulk_create(new)
    return len(new)


@transaction.atomic
def project_article_close(*, project: AnnotationProject, article: Article, user) -> ProjectArticle:
    """Close an article for curation: its layers are frozen and shown to the project."""
    if not (access.can_project_manage(user) or access.is_project_curator(user, project)):
        raise PermissionDenied("Only the project's curators, reviewers and administrators close an article.")
    entry = ProjectArticle.objects.select_for_update().filter(project=project, article=article).first()
    if entry is None:
        raise ValidationError({"article": "that article is not part of the project."}, code="not_in_project")
    if entry.state != ProjectArticleState.OPEN:
        raise ValidationError({"article": f"the article is already {entry.get_state_display()}."})
    entry.state = ProjectArticleState.CLOSED
    entry.closed_at = timezone.now()
    entry.save(update_fields=["state", "closed_at"])
    return entry


def project_for_annotating(*, user, article: Article) -> AnnotationProject | None:
    """The project in which ``user`` annotates ``article``: that of their assignment in the work queue,
    else the first open project entry where they are an annotator."""
    if not access._active(user):
        return None
    assigned = (
        Assignment.objects.filter(assignee=user, article=article, project__isnull=False)
        .select_related("project__tag_root")
        .first()
    )
    if assigned is not None:
        return assigned.project
    return (
        AnnotationProject.objects.filter(
            annotators=user, entries__article=article, entries__state=ProjectArticleState.OPEN
        )
        .select_related("tag_root")
        .order_by("id")
        .first()
    )


# --- Curation ------------------------------------------------------------------------------------


def _unit_key(annotation: Annotation) -> tuple:
    return (annotation.target, annotation.start, annotation.end, annotation.paragraph_id, annotation.quote_id)


def curation_units(*, project: AnnotationProject, article: Article) -> list[dict]:
    """The layers of an article side by side: one unit per target (same span, paragraph, quote or the
    whole article), with each annotator's tags there and whether all the article's annotators agree."""
    layers = list(
        Annotation.objects.filter(project=project, article=article, curated=False)
        .select_related("author")
        .prefetch_related("tags")
        .order_by("start", "end", "id")
    )
    annotators = sorted(
        set(
            Assignment.objects.filter(project=project, article=article).values_list(
                "assignee__username", flat=True
            )
        )
        | {a.author.username for a in layers}
    )
    units: dict[tuple, dict] = {}
    for annotation in layers:
        unit = units.setdefault(
            _unit_key(annotation),
            {
                "target": annotation.target,
                "start": annotation.start,
                "end": annotation.end,
                "paragraph": annotation.paragraph_id,
                "quote": annotation.quote_id,
                "exact": annotation.exact,
                "layers": {},
                "sources": [],
            },
        )
        tags = unit["layers"].setdefault(annotation.author.username, set())
        tags.update(tag.slug for tag in annotation.tags.all())
        unit["sources"].append(annotation.pk)
    result = []
    for unit in units.values():
        layers_ = {name: sorted(tags) for name, tags in sorted(unit["layers"].items())}
        unit["layers"] = layers_
        values = [tuple(layers_.get(name, ())) for name in annotators]
        unit["agreed"] = len(annotators) > 1 and len(set(values)) == 1 and bool(values[0])
        result.append(unit)
    return result


def curation_layers(*, project: AnnotationProject, article: Article, user, entry=None) -> dict:
    """What a curator sees of a closed article, wherever they curate it (the annotate screen or the
    curation page): the annotators whose layers are compared, one unit per passage with each layer's
    tags there and whether they agree, and the project's tags for an edit. Refused to anyone but the
    project's curators (and administrators), and while the article is open: no other door shows the
    layers side by side."""
    entry = entry if entry is not None else project_entry(project, article.pk)
    access.access_project_curate(user, project, entry)
    units = curation_units(project=project, article=article)
    return {
        "project": {"id": project.pk, "name": project.name},
        "annotators": sorted({name for unit in units for name in unit["layers"]}),
        "units": units,
        "tags": sorted(project_tags(project).values_list("slug", flat=True)),
    }


@transaction.atomic
def curation_decide(
    *,
    project: AnnotationProject,
    article: Article,
    curator,
    choice: str,
    sources: Sequence[Annotation] = (),
    target: str | None = None,
    start: int | None = None,
    end: int | None = None,
    paragraph: Paragraph | None = None,
    quote: Quote | None = None,
    tags: Sequence[Tag | str] | None = None,
    note: str = "",
) -> CurationDecision:
    """One curator's decision on a passage: take what every layer agreed on, pick one layer's
    annotation, write an edited one, or leave it out. The result joins the curated (published) layer;
    the decision records who chose what from which layer annotations."""
    from .services.annotations import annotation_content_check, target_fields
    from .services.tags import tags_resolve

    entry = ProjectArticle.objects.select_for_update().filter(project=project, article=article).first()
    access.access_project_curate(curator, project, entry)
    if entry.state == ProjectArticleState.CURATED:
        raise ValidationError({"article": "the article is curated already."}, code="already_curated")
    if choice not in CurationChoice.values:
        raise ValidationError({"choice": f"{choice!r} is not one of {', '.join(CurationChoice.values)}."})
    sources = list(sources)
    for source in sources:
        if source.project_id != project.pk or source.article_id != article.pk or source.curated:
            raise ValidationError({"sources": f"annotation {source.pk} is not a layer of this article."})
    if choice in (CurationChoice.AGREED, CurationChoice.PICKED) and not sources:
        raise ValidationError({"sources": "name the layer annotation(s) taken."})
    decision = CurationDecision(project=project, article=article, curator=curator, choice=choice)
    if choice != CurationChoice.REJECTED:
        base = sources[0] if sources else None
        if choice == CurationChoice.EDITED or base is None:
            if target is None:
                raise ValidationError({"target": "an edited annotation needs its target."})
            fields = target_fields(
                article=article,
                target=target,
                start=start,
                end=end,
                exact=None,
                paragraph=paragraph,
                quote=quote,
            )
            resolved = tags_resolve(tags or ())
        else:
            fields = {
                name: getattr(base, name)
                for name in ("target", "start", "end", "exact", "prefix", "suffix", "paragraph", "quote")
            }
            resolved = list(base.tags.all()) if tags is None else tags_resolve(tags)
            note = note or base.note
        project_tags_check(project, resolved)
        annotation_content_check(resolved, note)
        result = Annotation(
            article=article,
            author=curator,
            project=project,
            curated=True,
            note=note,
            status=AnnotationStatus.PUBLISHED,
            origin=Origin.EDITOR,
            **fields,
        )
        result.full_clean()
        result.save()
        result.tags.set(resolved)
        decision.result = result
    decision.save()
    decision.sources.set(sources)
    return decision


@transaction.atomic
def curation_accept_agreements(*, project: AnnotationProject, article: Article, curator) -> int:
    """Pre-accept every unit on which all the article's annotators agree. How many were accepted."""
    taken = set(
        CurationDecision.sources.through.objects.filter(
            curationdecision__project=project, curationdecision__article=article
        ).values_list("annotation_id", flat=True)
    )
    by_pk = {
        a.pk: a
        for a in Annotation.objects.filter(project=project, article=article, curated=False).prefetch_related(
            "tags"
        )
    }
    accepted = 0
    for unit in curation_units(project=project, article=article):
        if not unit["agreed"] or taken.intersection(unit["sources"]):
            continue
        curation_decide(
            project=project,
            article=article,
            curator=curator,
            choice=CurationChoice.AGREED,
            sources=[by_pk[pk] for pk in unit["sources"]],
        )
        accepted += 1
    return accepted


@transaction.atomic
def project_article_curated(*, project: AnnotationProject, article: Article, curator) -> ProjectArticle:
    """The curator is done: the article's curated layer is its published one in the project."""
    entry = ProjectArticle.objects.select_for_update().filter(project=project, article=article).first()
    access.access_project_curate(curator, project, entry)
    entry.state = ProjectArticleState.CURATED
    entry.curated_at = timezone.now()
    entry.curated_by = curator
    entry.save(update_fields=["state", "curated_at", "curated_by"])
    return entry


def _pick_bounds(pick: dict, base: Annotation, position: int) -> tuple[int | None, int | None]:
    """The bounds of an edited passage: the ``start`` and ``end`` the curator sent (whole numbers, in code
    points of the article's text), each falling back to the taken version's own where not sent. Only a
    span has bounds; the service that writes the annotation checks them against the text."""
    bounds = {"start": base.start, "end": base.end}
    for name in bounds:
        value = pick.get(name)
        if value is None or value == "":
            continue
        if base.target != AnnotationTarget.SPAN:
            raise ValidationError(
                {name: f"passage {position} is a {base.target} annotation: it has no {name} to change."}
            )
        try:
            bounds[name] = int(value)
        except (TypeError, ValueError):
            raise ValidationError(
                {name: f"passage {position}: {name}={value!r} is not a whole number of code points."}
            ) from None
    return bounds["start"], bounds["end"]


@transaction.atomic
def curation_publish(*, project: AnnotationProject, article: Article, curator, picks: Sequence[dict]) -> int:
    """Resolve every unit of a closed article at once and publish the curated layer.

    ``picks`` holds, for each unit of ``curation_units`` (by position), ``{"take": USERNAME}`` (that
    annotator's version: "agreed" where all agreed, "picked" otherwise), ``{"tags": [...]}`` (the
    curator's own tags: "edited", optionally with new ``start`` and ``end`` for a span, which the edited
    annotation and so its decision carry) or ``{"leave": True}`` ("left out"). Each becomes a decision
    that records who chose what; the article is then curated. How many curated annotations were made."""
    entry = ProjectArticle.objects.select_for_update().filter(project=project, article=article).first()
    access.access_project_curate(curator, project, entry)
    units = curation_units(project=project, article=article)
    if len(picks) != len(units):
        raise ValidationError({"picks": f"{len(units)} passage(s) to decide, {len(picks)} decision(s) sent."})
    layers = {
        a.pk: a
        for a in Annotation.objects.filter(project=project, article=article, curated=False)
        .select_related("author", "paragraph", "quote")
        .prefetch_related("tags")
    }
    made = 0
    for position, (unit, pick) in enumerate(zip(units, picks, strict=True), start=1):
        sources = [layers[pk] for pk in unit["sources"]]
        if pick.get("leave"):
            curation_decide(
                project=project,
                article=article,
                curator=curator,
                choice=CurationChoice.REJECTED,
                sources=sources,
            )
            continue
        if "tags" in pick:
            base = sources[0]
            start, end = _pick_bounds(pick, base, position)
            curation_decide(
                project=project,
                article=article,
                curator=curator,
                choice=CurationChoice.EDITED,
                sources=sources,
                target=base.target,
                start=start,
                end=end,
                paragraph=base.paragraph,
                quote=base.quote,
                tags=list(pick["tags"]),
            )
            made += 1
            continue
        taken = [a for a in sources if a.author.username == pick.get("take")]
        if not taken:
            where = unit["exact"] or unit["target"]
            raise ValidationError(
                {"picks": f"choose a version, your tags or leave it out for the passage {where!r}."},
                code="undecided",
            )
        version = unit["layers"][pick["take"]]
        choice = CurationChoice.AGREED if unit["agreed"] else CurationChoice.PICKED
        curation_decide(
            project=project,
            article=article,
            curator=curator,
            choice=choice,
            sources=taken if choice == CurationChoice.PICKED else sources,
            tags=version,
            note=taken[0].note,
        )
        made += 1
    project_article_curated(project=project, article=article, curator=curator)
    return made
