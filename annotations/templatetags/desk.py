"""The editors' desk on the admin's index: queue sizes at a glance."""

from __future__ import annotations

from django import template

from annotations import selectors, work_queue

register = template.Library()


@register.inclusion_tag("admin/annotations/desk_summary.html", takes_context=True)
def desk_summary(context) -> dict:
    request = context["request"]
    return {
        "summary": selectors.desk_summary(user=request.user),
        "queue": work_queue.queue_progress(user=request.user),
        "may_review": request.user.has_perm("annotations.review_factcheck"),
    }
