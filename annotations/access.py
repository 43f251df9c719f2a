"""Who may change what: the rules every write service of this app asks before it writes.

Each ``can_*`` answers yes or no, for a door that only decides what to offer (an admin button, a
form's fields, a DRF permission class that answers 403 before the If-Match checks). Each
``access_*`` raises ``PermissionDenied`` with a sentence a person can act on; the services in
``services.py`` call them, so a rule holds whichever door a change comes through.

The roles are Django groups (see migration 0002): Viewer reads, Editor annotates and drafts claims
and fact-checks, Fact-checker also reviews (``annotations.review_factcheck``). An administrator is
an active superuser and may do everything a rule below lets anyone do, except approve a fact-check
they wrote or co-wrote: a verdict is published only after a second person approved it.

- Annotations: the author changes and deletes their own. Machine annotations have no author; only
  reviewers and administrators publish, reject, change or delete them.
- Claims: the editor who marked a claim changes and withdraws it.
- Fact-checks: the author and co-authors edit and submit. While it is in review (or a revision of a
  published one is), a reviewer may edit it too and so becomes a co-author. A reviewer who is
  neither author nor co-author approves (publishes) or sends back. Reviewers withdraw a published
  fact-check. Only a draft is deleted, by its author or an administrator.
- Tags: the vocabulary is the administrators' (the roles hold no tag permission beyond reading).
- Projects: reviewers and administrators set them up and close articles for curation. In a project
  each annotator writes a layer of their own, with the project's tags, on the project's open articles;
  that layer is hidden from everyone but its author, the project's curators and administrators until
  the article is closed for curation (``annotation_layer_visibility``: the one rule every door reads
  through). A closed article's layers are frozen; its curators publish the curated layer.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q

from corpus.models import Origin

REVIEW_PERMISSION = "annotations.review_factcheck"


def _active(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def is_administrator(user) -> bool:
    return _active(user) and user.is_superuser


def is_reviewer(user) -> bool:
    return _active(user) and user.has_perm(REVIEW_PERMISSION)


def _has(user, codename: str) -> bool:
    return _active(user) and user.has_perm(f"annotations.{codename}")


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


# --- Annotations ------------------------------------------------------------------------------


def can_annotation_create(user) -> bool:
    return _has(user, "add_annotation")


def _annotation_keeper(user, annotation) -> bool:
    if is_administrator(user):
        return True
    if annotation.origin == Origin.MACHINE or annotation.author_id is None:
        return is_reviewer(user)
    return annotation.author_id == user.pk


def can_annotation_change(user, annotation) -> bool:
    return _has(user, "change_annotation") and _annotation_keeper(user, annotation)


def can_annotation_delete(user, annotation) -> bool:
    return _has(user, "delete_annotation") and _annotation_keeper(user, annotation)


def _annotation_refusal(annotation, verb: str) -> str:
    if annotation.origin == Origin.MACHINE or annotation.author_id is None:
        return f"Only reviewers and administrators {verb} machine annotations."
    return f"You can {verb} only your own annotations."


def access_annotation_create(user) -> None:
    _require(can_annotation_create(user), "You may not annotate: that needs the Editor role.")


def access_annotation_change(user, annotation) -> None:
    _require(can_annotation_change(user, annotation), _annotation_refusal(annotation, "change"))


def access_annotation_delete(user, annotation) -> None:
    _require(can_annotation_delete(user, annotation), _annotation_refusal(annotation, "delete"))


# --- Claims ---------------------------------------------------------------------------------


def can_claim_create(user) -> bool:
    return _has(user, "add_claim")


def can_claim_change(user, claim) -> bool:
    """Change or withdraw: withdrawing a claim is part of editing it (editors hold change_claim)."""
    return _has(user, "change_claim") and (is_administrator(user) or claim.created_by_id == user.pk)


def access_claim_create(user) -> None:
    _require(can_claim_create(user), "You may not mark claims: that needs the Editor role.")


def access_claim_change(user, claim) -> None:
    _require(can_claim_change(user, claim), "You can change or withdraw only the claims you marked.")


def can_claimant_describe(user) -> bool:
    """A claimant no speaker stands for yet becomes a speaker of the article: adding speakers is an
    editor's permission (``corpus.add_speaker``)."""
    return _active(user) and user.has_perm("corpus.add_speaker")


def access_claimant_describe(user) -> None:
    _require(
        can_claimant_describe(user),
        "You may not describe a new claimant: that needs the permission to add speakers (the Editor role).",
    )


def access_checkworthy_dismiss(user) -> None:
    """Dismissing a suggestion is an editor's call, like marking the claim would have been."""
    _require(can_claim_create(user), "You may not dismiss suggestions: that needs the Editor role.")


# --- Fact-checks ------------------------------------------------------------------------------


def _co_author_ids(fact_check) -> set[int]:
    if fact_check.pk is None:
        return set()
    cached = getattr(fact_check, "_co_author_ids", None)
    if cached is None:
        cached = set(fact_check.co_authors.values_list("pk", flat=True))
        fact_check._co_author_ids = cached
    return cached


def is_fact_check_writer(user, fact_check) -> bool:
    """The author or a co-author (someone who changed its verdict, rationale or evidence)."""
    return _active(user) and (fact_check.author_id == user.pk or user.pk in _co_author_ids(fact_check))


def can_factcheck_create(user) -> bool:
    return _has(user, "add_factcheck")


def can_factcheck_change(user, fact_check) -> bool:
    if not _has(user, "change_factcheck"):
        return False
    if is_administrator(user) or is_fact_check_writer(user, fact_check):
        return True
    return fact_check.awaits_review and is_reviewer(user)


def can_factcheck_submit(user, fact_check) -> bool:
    return _has(user, "change_factcheck") and (
        is_administrator(user) or is_fact_check_writer(user, fact_check)
    )


def can_factcheck_review(user, fact_check) -> bool:
    """Approve (publish) or send back: a reviewer who neither wrote nor co-wrote it."""
    return is_reviewer(user) and not is_fact_check_writer(user, fact_check)


def can_factcheck_withdraw(user, fact_check) -> bool:
    return is_reviewer(user) or is_administrator(user)


def can_factcheck_delete(user, fact_check) -> bool:
    return _has(user, "change_factcheck") and (is_administrator(user) or fact_check.author_id == user.pk)


def access_factcheck_create(user) -> None:
    _require(can_factcheck_create(user), "You may not write fact-checks: that needs the Editor role.")


def access_factcheck_change(user, fact_check) -> None:
    _require(
        can_factcheck_change(user, fact_check),
        "Only the author of a fact-check (or a co-author) changes it; a reviewer may while it is in review.",
    )


def access_factcheck_submit(user, fact_check) -> None:
    _require(
        can_factcheck_submit(user, fact_check),
        "Only the author of a fact-check (or a co-author) submits it for review.",
    )


def access_factcheck_review(user, fact_check) -> None:
    _require(is_reviewer(user), "Only fact-checkers review fact-checks.")
    if fact_check.author_id == user.pk:
        raise PermissionDenied("A fact-check needs a second person: its author cannot review it.")
    _require(
        not is_fact_check_writer(user, fact_check),
        "A fact-check needs a second person: you changed its verdict, rationale or evidence, so you "
        "are a co-author and cannot approve it.",
    )


def access_factcheck_send_back(user, fact_check) -> None:
    _require(is_reviewer(user), "Only fact-checkers review fact-checks.")
    if fact_check.author_id == user.pk:
        raise PermissionDenied("A fact-check needs a second person: its author cannot review it.")


def access_factcheck_withdraw(user, fact_check) -> None:
    _require(
        can_factcheck_withdraw(user, fact_check),
        "Only fact-checkers and administrators withdraw a published fact-check.",
    )


def access_factcheck_delete(user, fact_check) -> None:
    _require(
        can_factcheck_delete(user, fact_check),
        "Only the author of a fact-check or an administrator deletes it.",
    )


# --- Tags -------------------------------------------------------------------------------------


def can_tag_change(user) -> bool:
    return _has(user, "change_tag")


def access_tag_change(user) -> None:
    _require(can_tag_change(user), "The vocabulary is changed by administrators only.")


def access_tag_delete(user) -> None:
    _require(_has(user, "delete_tag"), "The vocabulary is changed by administrators only.")


def access_tag_add(user) -> None:
    _require(_has(user, "add_tag"), "The vocabulary is changed by administrators only.")


# --- Projects ---------------------------------------------------------------------------------


def annotation_layer_visibility(user) -> Q:
    """The annotations whose layer ``user`` may see, as a condition on Annotation (or its history,
    which has the same columns): the shared desk and curated layers; an annotator's own layer; every
    layer of a project the user curates; the layers of an article closed for curation. Anonymous
    readers see the desk and curated layers only. Applied on top of the draft rules
    (``AnnotationQuerySet.visible_to``), by the API, the admin, the annotate screen and the exports."""
    from .models import AnnotationProject, ProjectArticle, ProjectArticleState

    shared = Q(project__isnull=True) | Q(curated=True)
    if not _active(user):
        return shared
    if is_administrator(user):
        return Q()
    curates = AnnotationProject.curators.through.objects.filter(
        annotationproject_id=OuterRef("project_id"), user_id=user.pk
    )
    closed = ProjectArticle.objects.filter(
        project_id=OuterRef("project_id"), article_id=OuterRef("article_id")
    ).exclude(state=ProjectArticleState.OPEN)
    return shared | Q(author_id=user.pk) | Q(Exists(curates)) | Q(Exists(closed))


def annotation_visibility_key(user) -> tuple:
    """What the annotations ``user`` may see depend on (``AnnotationQuerySet.visible_to`` and
    ``annotation_layer_visibility``): two users with the same key see the same annotations, so a
    condition built for one serves the other."""
    if user is None or not user.is_authenticated:
        return ("anonymous",)
    return (user.pk, _active(user), is_administrator(user), user.has_perm("annotations.view_annotation"))


def can_project_manage(user) -> bool:
    """Set up a project, change it, add articles, assign them, close them for curation."""
    return is_administrator(user) or is_reviewer(user)


def access_project_manage(user) -> None:
    _require(can_project_manage(user), "Only reviewers and administrators set up annotation projects.")


def is_project_annotator(user, project) -> bool:
    return _active(user) and project.annotators.filter(pk=user.pk).exists()


def is_project_curator(user, project) -> bool:
    return is_administrator(user) or (_active(user) and project.curators.filter(pk=user.pk).exists())


def access_project_annotate(user, project, entry) -> None:
    """Write in one's layer: an annotator of the project, on one of its articles that is still open."""
    from .models import ProjectArticleState

    _require(
        is_project_annotator(user, project),
        f"You are not an annotator of the project {project.name!r}.",
    )
    if entry is None:
        raise PermissionDenied(f"That article is not part of the project {project.name!r}.")
    _require(
        entry.state == ProjectArticleState.OPEN,
        f"The article is {entry.get_state_display()} in the project {project.name!r}: "
        "its layers no longer change.",
    )


def access_project_curate(user, project, entry) -> None:
    from .models import ProjectArticleState

    _require(is_project_curator(user, project), f"You are not a curator of the project {project.name!r}.")
    if entry is None:
        raise PermissionDenied(f"That article is not part of the project {project.name!r}.")
    _require(
        entry.state != ProjectArticleState.OPEN,
        "The article is still open for annotation: close it for curation first.",
    )
