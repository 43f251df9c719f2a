"""Retries go out where no task worker defers them: `manage.py send_webhooks --every N` sends what is
due on every pass (`make run` starts it beside the server); each pass also prunes the delivery log."""

from __future__ import annotations

import subprocess
from datetime import UTC, datetime, timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from webhooks import services
from webhooks.models import Delivery, DeliveryStatus

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
ROOT = Path(__file__).resolve().parents[2]


def test_a_retry_goes_out_on_a_later_pass_of_the_loop(
    hook, receiver, admin_user, immediate_tasks, settings, django_capture_on_commit_callbacks
):
    """As under `make run`: the first attempt is made in-process at the commit, and fails; the loop
    sends the retry once its (short) wait is over, signed afresh."""
    webhook, secret = hook
    settings.WEBHOOKS_RETRY_BASE_SECONDS = 0.2
    receiver.answers.append(500)
    with django_capture_on_commit_callbacks(execute=True):
        delivery = services.webhook_test_send(user=admin_user, webhook=webhook)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.RETRYING, 1)
    assert len(receiver.requests) == 1

    out = StringIO()
    call_command("send_webhooks", "--every", "0.1", "--passes", "6", stdout=out)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.response_code) == (DeliveryStatus.DELIVERED, 2, 200)
    assert [r.headers["X-Newsdesk-Attempt"] for r in receiver.requests] == ["1", "2"]
    assert all(r.signed_by(secret) for r in receiver.requests)
    assert "1 delivered" in out.getvalue()


def test_one_pass_without_every(hook, receiver, admin_user, database_tasks):
    """A delivery whose task no worker ran (none is running) is sent by a single pass, as from cron."""
    webhook, _ = hook
    delivery = services.webhook_test_send(user=admin_user, webhook=webhook)
    out = StringIO()
    call_command("send_webhooks", stdout=out)
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.DELIVERED and len(receiver.requests) == 1
    assert "1 delivery(ies) attempted: 1 delivered" in out.getvalue()


def _aged(webhook, *, status: str, age: timedelta, tried: bool = True) -> Delivery:
    at = T0 - age
    return Delivery.objects.create(
        webhook=webhook,
        event="ping",
        body="{}",
        status=status,
        attempts=1 if tried else 0,
        created_at=at - timedelta(hours=1),
        last_attempt_at=at if tried else None,
        next_attempt_at=at if status in (DeliveryStatus.PENDING, DeliveryStatus.RETRYING) else None,
    )


def test_pruning_deletes_finished_deliveries_older_than_the_retention(hook, settings):
    webhook, _ = hook
    settings.WEBHOOKS_LOG_RETENTION_DAYS = 30
    old_delivered = _aged(webhook, status=DeliveryStatus.DELIVERED, age=timedelta(days=31))
    old_failed = _aged(webhook, status=DeliveryStatus.FAILED, age=timedelta(days=30, seconds=1))
    recent = _aged(webhook, status=DeliveryStatus.DELIVERED, age=timedelta(days=29))
    # Created long ago but resent lately: its last attempt counts.
    resent = _aged(webhook, status=DeliveryStatus.FAILED, age=timedelta(days=2))
    Delivery.objects.filter(pk=resent.pk).update(created_at=T0 - timedelta(days=90))
    # Waiting ones are never pruned, however old.
    waiting = _aged(webhook, status=DeliveryStatus.RETRYING, age=timedelta(days=400))
    never_tried = _aged(webhook, status=DeliveryStatus.PENDING, age=timedelta(days=400), tried=False)

    assert services.deliveries_prune(now=T0) == 2
    left = set(Delivery.objects.values_list("pk", flat=True))
    assert left == {recent.pk, resent.pk, waiting.pk, never_tried.pk}
    assert not Delivery.objects.filter(pk__in=[old_delivered.pk, old_failed.pk]).exists()


def test_a_retention_of_zero_keeps_the_whole_log(hook, settings):
    webhook, _ = hook
    settings.WEBHOOKS_LOG_RETENTION_DAYS = 0
    _aged(webhook, status=DeliveryStatus.DELIVERED, age=timedelta(days=4000))
    assert services.deliveries_prune(now=T0) == 0
    assert Delivery.objects.count() == 1


def test_send_webhooks_prunes_on_each_pass(hook, receiver, settings):
    webhook, _ = hook
    settings.WEBHOOKS_LOG_RETENTION_DAYS = 7
    _aged(webhook, status=DeliveryStatus.DELIVERED, age=timedelta(days=3650))
    kept = _aged(webhook, status=DeliveryStatus.DELIVERED, age=timedelta(0))
    Delivery.objects.filter(pk=kept.pk).update(last_attempt_at=datetime.now(UTC))
    out = StringIO()
    call_command("send_webhooks", stdout=out)
    assert list(Delivery.objects.values_list("pk", flat=True)) == [kept.pk]
    assert "1 old delivery(ies) pruned from the log" in out.getvalue()
    assert receiver.requests == []


def test_make_run_starts_the_sender_beside_the_server():
    """`make run` runs `send_webhooks --every` in the background while the server runs (a dry run of
    the target, which prints its commands)."""
    commands = subprocess.run(
        ["make", "-n", "run"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    serve = next(line for line in commands.splitlines() if "runserver" in line)
    assert "manage.py send_webhooks --every" in serve and "&" in serve
    assert serve.index("send_webhooks") < serve.index("runserver")
