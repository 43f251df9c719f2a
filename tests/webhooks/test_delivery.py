"""Sending: one attempt per task, retried with the documented backoff on an injected clock (no sleeps),
signed afresh each time, the log kept on the delivery."""

from __future__ import annotations

import logging
import socket
from datetime import UTC, datetime, timedelta

import pytest
from django.core.management import call_command

from webhooks import services
from webhooks.models import Delivery, DeliveryStatus

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def at(self, **delta) -> Clock:
        self.now = T0 + timedelta(**delta)
        return self


@pytest.fixture
def delivery(hook, admin_user) -> Delivery:
    webhook, _ = hook
    return services.webhook_test_send(user=admin_user, webhook=webhook, now=T0)


def test_the_documented_schedule(settings):
    assert [d.total_seconds() for d in services.retry_schedule()] == [60, 240, 960, 3840, 15360]
    settings.WEBHOOKS_RETRY_BASE_SECONDS = 10
    settings.WEBHOOKS_MAX_ATTEMPTS = 3
    assert [d.total_seconds() for d in services.retry_schedule()] == [10, 40]


def test_a_500_is_retried_after_the_backoff_then_delivered(hook, delivery, receiver):
    _, secret = hook
    receiver.answers.extend([500, 500])
    clock = Clock(T0)

    first = services.delivery_attempt(delivery_id=delivery.pk, clock=clock)
    assert (first.status, first.attempts, first.response_code) == (DeliveryStatus.RETRYING, 1, 500)
    assert first.next_attempt_at == T0 + timedelta(minutes=1)
    assert first.response_body == ("boom " * 200)  # the first 1000 characters of the answer

    assert services.delivery_attempt(delivery_id=delivery.pk, clock=clock.at(seconds=59)) is None
    assert len(receiver.requests) == 1

    second = services.delivery_attempt(delivery_id=delivery.pk, clock=clock.at(minutes=1))
    assert (second.status, second.attempts) == (DeliveryStatus.RETRYING, 2)
    assert second.next_attempt_at == T0 + timedelta(minutes=1 + 4)
    assert services.delivery_attempt(delivery_id=delivery.pk, clock=clock.at(minutes=4, seconds=59)) is None

    third = services.delivery_attempt(delivery_id=delivery.pk, clock=clock.at(minutes=5))
    assert (third.status, third.attempts, third.response_code) == (DeliveryStatus.DELIVERED, 3, 200)
    assert (third.next_attempt_at, third.delivered_at, third.response_body) == (None, clock.now, "ok")
    assert services.delivery_attempt(delivery_id=delivery.pk, clock=clock.at(days=1)) is None

    assert len(receiver.requests) == 3
    assert {r.body for r in receiver.requests} == {delivery.body.encode()}
    assert {r.headers["X-Newsdesk-Delivery"] for r in receiver.requests} == {str(delivery.uuid)}
    assert [r.headers["X-Newsdesk-Attempt"] for r in receiver.requests] == ["1", "2", "3"]
    stamps = [int(r.headers["X-Newsdesk-Timestamp"]) for r in receiver.requests]
    assert stamps == [int((T0 + timedelta(minutes=m)).timestamp()) for m in (0, 1, 5)]
    assert all(r.signed_by(secret) for r in receiver.requests)


def test_given_up_after_the_last_attempt(delivery, receiver):
    receiver.answers.extend([503] * 6)
    clock = Clock(T0)
    waits = []
    for _ in range(6):
        attempted = services.delivery_attempt(delivery_id=delivery.pk, clock=clock)
        if attempted.next_attempt_at is not None:
            waits.append(attempted.next_attempt_at - clock.now)
            clock.now = attempted.next_attempt_at
    assert waits == services.retry_schedule()
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.next_attempt_at) == (DeliveryStatus.FAILED, 6, None)
    assert services.delivery_attempt(delivery_id=delivery.pk, clock=Clock(T0 + timedelta(days=9))) is None
    assert len(receiver.requests) == 6


def test_a_retry_is_a_deferred_task_on_the_database_worker(delivery, receiver, database_tasks):
    from django_tasks_db.models import DBTaskResult

    receiver.answers.append(500)
    attempted = services.delivery_attempt(delivery_id=delivery.pk, clock=Clock(T0))
    (task,) = DBTaskResult.objects.filter(task_path="webhooks.tasks.webhook_delivery_task")
    assert task.run_after == attempted.next_attempt_at == T0 + timedelta(minutes=1)
    assert task.args_kwargs["kwargs"] == {"delivery_id": delivery.pk}


def test_without_a_worker_send_webhooks_sends_what_is_due(delivery, receiver, immediate_tasks):
    receiver.answers.append(500)
    services.delivery_attempt(delivery_id=delivery.pk, clock=Clock(T0))
    assert services.deliveries_due_send(clock=Clock(T0 + timedelta(seconds=30))) == []
    (sent,) = services.deliveries_due_send(clock=Clock(T0 + timedelta(minutes=1)))
    assert (sent.pk, sent.status, sent.attempts) == (delivery.pk, DeliveryStatus.DELIVERED, 2)


def test_the_command_reports(hook, admin_user, receiver, capsys):
    webhook, _ = hook
    services.webhook_test_send(user=admin_user, webhook=webhook)
    receiver.answers.append(500)
    services.webhook_test_send(user=admin_user, webhook=webhook)
    call_command("send_webhooks")
    assert "2 delivery(ies) attempted: 1 delivered, 1 to retry or failed." in capsys.readouterr().out


def test_no_answer_is_logged_and_retried(hook, admin_user):
    webhook, _ = hook
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]
    webhook.url = f"http://127.0.0.1:{port}/gone"
    webhook.save()
    delivery = services.webhook_test_send(user=admin_user, webhook=webhook, now=T0)
    attempted = services.delivery_attempt(delivery_id=delivery.pk, clock=Clock(T0))
    assert (attempted.status, attempted.response_code) == (DeliveryStatus.RETRYING, None)
    assert "Connection refused" in attempted.error


def test_a_redirect_is_not_followed(delivery, receiver):
    receiver.answers.append(302)
    receiver.headers_out[302] = {"Location": receiver.url + "/elsewhere"}
    attempted = services.delivery_attempt(delivery_id=delivery.pk, clock=Clock(T0))
    assert (attempted.status, attempted.response_code) == (DeliveryStatus.RETRYING, 302)
    assert len(receiver.requests) == 1


def test_send_again_now(delivery, receiver, admin_user, settings):
    settings.WEBHOOKS_MAX_ATTEMPTS = 1
    receiver.answers.append(500)
    services.delivery_attempt(delivery_id=delivery.pk, clock=Clock(T0))
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED
    assert services.delivery_resend(user=admin_user, delivery=delivery, now=T0 + timedelta(hours=1))
    delivery.refresh_from_db()
    assert (delivery.status, delivery.next_attempt_at) == (DeliveryStatus.RETRYING, T0 + timedelta(hours=1))
    (sent,) = services.deliveries_due_send(clock=Clock(T0 + timedelta(hours=1)))
    assert sent.status == DeliveryStatus.DELIVERED
    assert not services.delivery_resend(user=admin_user, delivery=sent)


def test_nothing_more_is_sent_once_the_webhook_is_switched_off(hook, admin_user, receiver, immediate_tasks):
    webhook, _ = hook
    (waiting,) = services.event_deliveries_queue(event="export.finished", ids=[_export_job(admin_user).pk])
    services.webhook_update(
        user=admin_user,
        webhook=webhook,
        url=webhook.url,
        events=webhook.events,
        description="",
        is_active=False,
    )
    attempted = services.delivery_attempt(delivery_id=waiting.pk, clock=Clock(waiting.next_attempt_at))
    assert (attempted.status, attempted.attempts, attempted.error) == (
        DeliveryStatus.FAILED,
        0,
        "Not sent: the webhook was switched off.",
    )
    assert receiver.requests == []
    assert services.event_deliveries_queue(event="export.finished", ids=[_export_job(admin_user).pk]) == []


def _export_job(user):
    from annotations.models import ExportJob

    return ExportJob.objects.create(format="jsonl", requested_by=user, status="done")


def test_a_rotated_secret_signs_what_is_sent_next(hook, delivery, receiver, admin_user):
    webhook, old = hook
    new = services.webhook_secret_rotate(user=admin_user, webhook=webhook)
    assert new != old and len(new) == 64
    services.delivery_attempt(delivery_id=delivery.pk, clock=Clock(T0))
    (received,) = receiver.requests
    assert received.signed_by(new) and not received.signed_by(old)


def test_the_secret_is_never_logged(admin_user, receiver, caplog):
    with caplog.at_level(logging.DEBUG):
        webhook, first = services.webhook_create(
            user=admin_user, url=receiver.url, events=["article.revised"]
        )
        second = services.webhook_secret_rotate(user=admin_user, webhook=webhook)
        delivery = services.webhook_test_send(user=admin_user, webhook=webhook)
        services.delivery_attempt(delivery_id=delivery.pk)
    assert f"webhook {webhook.pk} registered by root" in caplog.text
    assert f"webhook delivery {delivery.uuid} (ping to webhook {webhook.pk}), attempt 1: 200" in caplog.text
    assert first not in caplog.text and second not in caplog.text
    assert receiver.requests[0].headers["X-Newsdesk-Signature"] not in caplog.text
