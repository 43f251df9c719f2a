"""Background tasks (django-tasks, as the export jobs): one attempt at one webhook delivery."""

from __future__ import annotations

from django_tasks import task


@task()
def webhook_delivery_task(delivery_id: int) -> str:
    from .services import delivery_attempt

    delivery = delivery_attempt(delivery_id=delivery_id)
    return delivery.status if delivery is not None else "not due"
