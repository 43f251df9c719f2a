"""The editors' work queue: articles assigned to editors, each new, in progress or done.

Reviewers and administrators assign; the assignee (or an administrator) moves an assignment through
its states. "Done, next" marks one done and gives the assignee's next open assignment, oldest first.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q

from corpus.models import Article

from . import access
from .models import Assignment, AssignmentState


def can_assign(user) -> bool:
    return access.is_administrator(user) or access.is_reviewer(user)


@transaction.atomic
def assignments_create(*, article_ids: Iterable[int], assignee, user) -> int:
    """Give the articles to ``assignee``; those already in their queue stay as they are. How many were added."""
    if not can_assign(user):
        raise PermissionDenied("Only reviewers and administrators assign articles.")
    if not (assignee.is_active and assignee.is_staff and assignee.has_perm("annotations.add_annotation")):
        raise ValidationError(
            {"assignee": f"{assignee.get_username()} cannot annotate, so cannot be given articles."},
            code="not_an_editor",
        )
    ids = set(Article.objects.filter(pk__in=list(article_ids)).values_list("pk", flat=True))
    taken = set(
        Assignment.objects.filter(assignee=assignee, article_id__in=ids).values_list("article_id", flat=True)
    )
    new = [Assignment(article_id=pk, assignee=assignee, assigned_by=user) for pk in sorted(ids - taken)]
    Assignment.objects.bulk_create(new)
    return len(new)


@transaction.atomic
def assignment_set_state(*, assignment: Assignment, state: str, user) -> Assignment:
    if state not in AssignmentState.values:
        raise ValidationError({"state": f"{state!r} is not one of {', '.join(AssignmentState.values)}."})
    if not (access.is_administrator(user) or assignment.assignee_id == user.pk):
        raise PermissionDenied("Only the editor it is assigned to moves an assignment along.")
    assignment.state = state
    assignment.save(update_fields=["state", "updated_at"])
    return assignment


def queue_next(*, user, after: Assignment | None = None) -> Assignment | None:
    """The user's next open assignment (new or in progress), oldest first, other than ``after``."""
    queue = Assignment.objects.filter(assignee=user).exclude(state=AssignmentState.DONE)
    if after is not None:
        queue = queue.exclude(pk=after.pk)
    return queue.order_by("created_at", "id").first()


def queue_progress(*, user) -> dict[str, int]:
    """How many assignments the user has, and how many are in each state, in one query."""
    return Assignment.objects.filter(assignee=user).aggregate(
        total=Count("pk"),
        done=Count("pk", filter=Q(state=AssignmentState.DONE)),
        in_progress=Count("pk", filter=Q(state=AssignmentState.IN_PROGRESS)),
        new=Count("pk", filter=Q(state=AssignmentState.NEW)),
    )
