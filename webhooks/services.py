"""Every write to webhooks and their deliveries.

The admin calls these; each that an administrator uses takes the acting user and asks ``access`` first.
``event_deliveries_queue`` is the ``EVENT_HOOKS`` function: services of the corpus and annotations name
their events (``corpus.events.event_send``) and it hears them once they are committed.

A delivery is one row written before it is sent (its body fixed, its id the receiver's idempotency
key) and one task on the task queue (django-tasks, as the export jobs) that makes one attempt. A failed
attempt is tried again after ``retry_delay(attempts)``: as a deferred task where the backend defers
(the database worker), else by ``manage.py send_webhooks``, which sends whatever is due (``make run``
keeps it running beside the server) and prunes the log (``deliveries_prune``).
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from annotations.exports.records import rfc3339

from . import signing
from .access import access_webhooks_manage
from .models import PING, Delivery, DeliveryStatus, Event, Webhook
from .payloads import event_data

logger = logging.getLogger(__name__)

Clock = Callable[[], datetime]

# How long one attempt holds a delivery: a worker that dies mid-send gives it back after this.
LEASE = timedelta(minutes=5)


def max_attempts() -> int:
    return int(getattr(settings, "WEBHOOKS_MAX_ATTEMPTS", 6))


def retry_delay(attempts: int) -> timedelta:
    """The wait after the ``attempts``-th failed attempt: WEBHOOKS_RETRY_BASE_SECONDS × 4^(attempts−1),
    so 1, 4, 16, 64 and 256 minutes with the defaults."""
    base = float(getattr(settings, "WEBHOOKS_RETRY_BASE_SECONDS", 60))
    return timedelta(seconds=base * 4 ** (attempts - 1))


def retry_schedule() -> list[timedelta]:
    """Each wait between attempts, in order (docs/webhooks.md tabulates the defaults)."""
    return [retry_delay(n) for n in range(1, max_attempts())]


# --- Webhooks (the administrators') -----------------------------------------------------------


def _events_clean(events: Iterable[str]) -> list[str]:
    chosen = list(dict.fromkeys(events))
    unknown = [name for name in chosen if name not in Event.values]
    if unknown:
        raise ValidationError(
            {"events": f"{', '.join(map(repr, unknown))}: not an event (one of {', '.join(Event.values)})."},
            code="invalid_event",
        )
    if not chosen:
        raise ValidationError({"events": "choose at least one event."}, code="no_event")
    return [name for name in Event.values if name in chosen]  # in the documented order


@transaction.atomic
def webhook_create(
    *, user, url: str, events: Iterable[str], description: str = "", is_active: bool = True
) -> tuple[Webhook, str]:
    """Register ``url`` for ``events``; return the webhook and its secret, which is shown this once."""
    access_webhooks_manage(user)
    secret = signing.secret_new()
    webhook = Webhook(
        url=url,
        events=_events_clean(events),
        description=description,
        is_active=is_active,
        secret=secret,
        created_by=user,
    )
    webhook.full_clean()
    webhook.save()
    logger.info("webhook %s registered by %s for %s", webhook.pk, user.get_username(), webhook.url)
    return webhook, secret


@transaction.atomic
def webhook_update(
    *, user, webhook: Webhook, url: str, events: Iterable[str], description: str, is_active: bool
) -> Webhook:
    """Change where a webhook goes and what it hears; its secret stays (``webhook_secret_rotate``)."""
    access_webhooks_manage(user)
    webhook.url, webhook.events = url, _events_clean(events)
    webhook.description, webhook.is_active = description, is_active
    webhook.full_clean()
    webhook.save(update_fields=["url", "events", "description", "is_active"])
    return webhook


@transaction.atomic
def webhook_secret_rotate(*, user, webhook: Webhook) -> str:
    """A new secret, returned this once; deliveries not yet sent are signed with it."""
    access_webhooks_manage(user)
    secret = signing.secret_new()
    Webhook.objects.filter(pk=webhook.pk).update(secret=secret)
    webhook.secret = secret
    logger.info("webhook %s: secret rotated by %s", webhook.pk, user.get_username())
    return secret


@transaction.atomic
def webhook_delete(*, user, webhook: Webhook) -> None:
    """Delete a webhook with its delivery log."""
    access_webhooks_manage(user)
    webhook.delete()


def webhook_test_send(*, user, webhook: Webhook, now: datetime | None = None) -> Delivery:
    """Queue a ``ping`` to ``webhook`` (active or not), so an administrator sees it reach the receiver."""
    access_webhooks_manage(user)
    data = {
        "webhook": webhook.pk,
        "message": "A test event, sent from the admin.",
        "sent_by": user.get_username(),
    }
    with transaction.atomic():
        (delivery,) = _deliveries_create([(webhook, PING, data)], now=now or timezone.now())
    return delivery


# --- Events -----------------------------------------------------------------------------------


def event_deliveries_queue(
    *, event: str, ids: Sequence[int], data: Sequence[dict] | None = None, now: datetime | None = None
) -> list[Delivery]:
    """One delivery of ``event`` per webhook that wants it (per object; one for an ingest batch).
    ``data``, given for what no longer exists (deletions) or was never a row (an import), is what each
    delivery says, as the service wrote it.

    Called after the change committed (``EVENT_HOOKS``): rows and tasks only, so an ingest of
    thousands of articles queues one delivery per batch and webhook and goes on. (Where tasks run
    in-process, without a worker, each task's attempt is made as it is queued.)
    """
    webhooks = [webhook for webhook in Webhook.objects.filter(is_active=True) if webhook.wants(event)]
    if not webhooks:
        return []
    items = event_data(event=event, ids=ids, data=data)
    with transaction.atomic():
        return _deliveries_create(
            [(webhook, event, item) for webhook in webhooks for item in items], now=now or timezone.now()
        )


def _body(*, delivery_id: uuid.UUID, event: str, data: dict, now: datetime) -> str:
    envelope = {"id": str(delivery_id), "event": event, "created_at": rfc3339(now), "data": data}
    return json.dumps(envelope, ensure_ascii=False, separators=(",", ":"))


def _deliveries_create(items: list[tuple[Webhook, str, dict]], *, now: datetime) -> list[Delivery]:
    deliveries = []
    for webhook, event, data in items:
        delivery_id = uuid.uuid4()
        deliveries.append(
            Delivery(
                uuid=delivery_id,
                webhook=webhook,
                event=event,
                body=_body(delivery_id=delivery_id, event=event, data=data, now=now),
                next_attempt_at=now,
                created_at=now,
            )
        )
    Delivery.objects.bulk_create(deliveries)
    ids = [delivery.pk for delivery in deliveries]
    transaction.on_commit(lambda: _enqueue(ids), robust=True)
    return deliveries


def _enqueue(ids: list[int], run_after: datetime | None = None) -> None:
    from .tasks import webhook_delivery_task

    task = webhook_delivery_task
    if run_after is not None:
        if not task.get_backend().supports_defer:
            return  # left for `manage.py send_webhooks`, which sends what is due
        task = task.using(run_after=run_after)
    for delivery_id in ids:
        task.enqueue(delivery_id=delivery_id)


# --- Sending ----------------------------------------------------------------------------------


def delivery_attempt(*, delivery_id: int, clock: Clock = timezone.now) -> Delivery | None:
    """Make one attempt at a delivery that is due; None if it is not (sent, given up, not yet due, or
    taken by another worker).

    2xx is delivered. Anything else (another status, no answer) is tried again after
    ``retry_delay(attempts)``, up to ``WEBHOOKS_MAX_ATTEMPTS`` attempts, then the delivery is failed.
    """
    now = clock()
    # Take it: one conditional UPDATE, so two workers never send the same attempt.
    taken = Delivery.objects.filter(
        pk=delivery_id,
        status__in=[DeliveryStatus.PENDING, DeliveryStatus.RETRYING],
        next_attempt_at__lte=now,
    ).update(next_attempt_at=now + LEASE, last_attempt_at=now)
    if not taken:
        return None
    delivery = Delivery.objects.select_related("webhook").get(pk=delivery_id)
    if not delivery.webhook.is_active and delivery.event != PING:
        # Switched off since (a receiver that is down, say): what waits is not sent.
        delivery.status, delivery.next_attempt_at = DeliveryStatus.FAILED, None
        delivery.error = "Not sent: the webhook was switched off."
        delivery.save(update_fields=["status", "next_attempt_at", "error"])
        return delivery
    attempt = delivery.attempts + 1
    body = delivery.body.encode("utf-8")
    timestamp = int(now.timestamp())
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": signing.USER_AGENT,
        signing.EVENT_HEADER: delivery.event,
        signing.DELIVERY_HEADER: str(delivery.uuid),
        signing.ATTEMPT_HEADER: str(attempt),
        signing.TIMESTAMP_HEADER: str(timestamp),
        signing.SIGNATURE_HEADER: signing.signature(
            secret=delivery.webhook.secret, timestamp=timestamp, body=body
        ),
    }
    response = signing.post(
        url=delivery.webhook.url,
        body=body,
        headers=headers,
        timeout=float(getattr(settings, "WEBHOOKS_TIMEOUT_SECONDS", 10)),
        keep=int(getattr(settings, "WEBHOOKS_RESPONSE_KEEP", 1000)),
    )
    done = clock()
    delivery.attempts = attempt
    delivery.response_code = response.code
    delivery.response_body = response.body
    delivery.error = response.error
    if response.ok:
        delivery.status, delivery.next_attempt_at = DeliveryStatus.DELIVERED, None
        delivery.delivered_at = done
    elif attempt >= max_attempts():
        delivery.status, delivery.next_attempt_at = DeliveryStatus.FAILED, None
    else:
        delivery.status, delivery.next_attempt_at = DeliveryStatus.RETRYING, done + retry_delay(attempt)
    delivery.save(
        update_fields=[
            "attempts",
            "response_code",
            "response_body",
            "error",
            "status",
            "next_attempt_at",
            "delivered_at",
        ]
    )
    outcome = response.code if response.code is not None else response.error
    logger.info(
        "webhook delivery %s (%s to webhook %s), attempt %s: %s, %s",
        delivery.uuid,
        delivery.event,
        delivery.webhook_id,
        attempt,
        outcome,
        delivery.status,
    )
    if delivery.status == DeliveryStatus.RETRYING:
        _enqueue([delivery.pk], run_after=delivery.next_attempt_at)
    return delivery


def deliveries_due_send(*, clock: Clock = timezone.now, limit: int = 500) -> list[Delivery]:
    """Attempt every delivery that is due (pending, or a retry whose time has come), oldest first."""
    due = (
        Delivery.objects.filter(
            status__in=[DeliveryStatus.PENDING, DeliveryStatus.RETRYING], next_attempt_at__lte=clock()
        )
        .order_by("next_attempt_at", "id")
        .values_list("pk", flat=True)[:limit]
    )
    attempted = []
    for delivery_id in list(due):
        delivery = delivery_attempt(delivery_id=delivery_id, clock=clock)
        if delivery is not None:
            attempted.append(delivery)
    return attempted


def log_retention() -> timedelta | None:
    """How long a finished delivery stays in the log (WEBHOOKS_LOG_RETENTION_DAYS); None keeps it all."""
    days = float(getattr(settings, "WEBHOOKS_LOG_RETENTION_DAYS", 30) or 0)
    return timedelta(days=days) if days > 0 else None


def deliveries_prune(*, now: datetime | None = None) -> int:
    """Delete the delivered and failed deliveries whose last attempt (or, never tried, whose creation)
    is older than the retention; return how many. A delivery still waiting to be sent stays, however
    old: it is work, not history."""
    keep = log_retention()
    if keep is None:
        return 0
    cutoff = (now or timezone.now()) - keep
    finished = Delivery.objects.filter(status__in=[DeliveryStatus.DELIVERED, DeliveryStatus.FAILED])
    deleted, _ = finished.filter(
        Q(last_attempt_at__lt=cutoff) | Q(last_attempt_at__isnull=True, created_at__lt=cutoff)
    ).delete()
    return deleted


@transaction.atomic
def delivery_resend(*, user, delivery: Delivery, now: datetime | None = None) -> bool:
    """Try a delivery again now (same body, same id): one that failed, or a retry not yet due.
    False for one already delivered."""
    access_webhooks_manage(user)
    now = now or timezone.now()
    retried = (
        Delivery.objects.filter(pk=delivery.pk)
        .filter(Q(status=DeliveryStatus.FAILED) | Q(status=DeliveryStatus.RETRYING))
        .update(status=DeliveryStatus.RETRYING, next_attempt_at=now)
    )
    if retried:
        transaction.on_commit(lambda: _enqueue([delivery.pk]), robust=True)
    return bool(retried)
