"""Webhooks in the admin: administrators only, the secret shown once, the test event, the delivery log,
each page and action with its exact query count."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied

from tests.factories import UserFactory
from webhooks import services
from webhooks.models import Delivery, DeliveryStatus, Event, Webhook

pytestmark = pytest.mark.django_db

LIST = "/admin/webhooks/webhook/"
LOG = "/admin/webhooks/delivery/"


@pytest.fixture
def editor(db):
    return UserFactory(username="ed", is_staff=True, groups=["Fact-checker"])


@pytest.fixture
def manager(db):
    """Not a superuser: the dedicated permission alone."""
    user = UserFactory(username="hooks", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="manage_webhooks"))
    return user


def _secret_on(page) -> str:
    return re.search(r'<code id="webhook-secret">([0-9a-f]{64})</code>', page.content.decode()).group(1)


def test_an_editor_neither_sees_nor_manages_webhooks(client, editor, hook):
    webhook, _ = hook
    # Even given the plain model permissions: the dedicated one (or being an administrator) is the rule.
    editor.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="webhooks").exclude(codename="manage_webhooks")
    )
    client.force_login(editor)
    assert "/admin/webhooks/" not in client.get("/admin/").content.decode()
    for url in (LIST, f"{LIST}add/", f"{LIST}{webhook.pk}/change/", f"{LIST}{webhook.pk}/delete/", LOG):
        assert client.get(url).status_code == 403, url
    assert client.post(f"{LIST}{webhook.pk}/test/").status_code == 403
    assert (
        client.post(f"{LIST}add/", {"url": "https://x.example.org/", "events": ["ping"]}).status_code == 403
    )
    assert (
        client.post(LIST, {"action": "send_test_event", "_selected_action": [webhook.pk]}).status_code == 403
    )
    assert not Delivery.objects.exists()
    with pytest.raises(PermissionDenied, match="administrators only"):
        services.webhook_create(user=editor, url="https://x.example.org/", events=["article.ingested"])
    with pytest.raises(PermissionDenied):
        services.webhook_test_send(user=editor, webhook=webhook)
    with pytest.raises(PermissionDenied):
        services.webhook_secret_rotate(user=editor, webhook=webhook)


def test_the_dedicated_permission_is_enough(client, manager, hook):
    client.force_login(manager)
    assert 'href="/admin/webhooks/"' in client.get("/admin/").content.decode()
    assert client.get(LIST).status_code == 200
    assert client.get(LOG).status_code == 200


def test_adding_shows_the_secret_once(client, admin_user, receiver):
    client.force_login(admin_user)
    page = client.post(
        f"{LIST}add/",
        {
            "url": receiver.url,
            "description": "Desk bot",
            "events": ["annotation.created", "article.ingested"],
            "is_active": "on",
        },
    )
    assert page.status_code == 200 and "no-store" in page["Cache-Control"]
    secret = _secret_on(page)
    webhook = Webhook.objects.get()
    assert webhook.secret == secret
    assert webhook.events == ["article.ingested", "annotation.created"]  # the documented order
    assert webhook.created_by == admin_user
    services.webhook_test_send(user=admin_user, webhook=webhook)
    for url in (
        LIST,
        f"{LIST}{webhook.pk}/change/",
        LOG,
        f"{LOG}{Delivery.objects.get().pk}/change/",
        f"{LIST}{webhook.pk}/history/",
    ):
        shown = client.get(url)
        assert shown.status_code == 200, url
        assert secret not in shown.content.decode(), url


def test_a_url_the_receiver_cannot_take_is_a_form_error(client, admin_user):
    client.force_login(admin_user)
    page = client.post(f"{LIST}add/", {"url": "http://hooks.example.org/", "events": ["article.ingested"]})
    assert "webhooks are sent over https only" in page.content.decode()
    page = client.post(f"{LIST}add/", {"url": "https://hooks.example.org/", "events": []})
    assert "This field is required" in page.content.decode()
    assert not Webhook.objects.exists()


def test_changing_keeps_the_secret(client, admin_user, hook):
    webhook, secret = hook
    client.force_login(admin_user)
    answer = client.post(
        f"{LIST}{webhook.pk}/change/",
        {"url": "https://hooks.example.org/v2", "description": "", "events": ["export.finished"]},
    )
    assert answer.status_code == 302
    webhook.refresh_from_db()
    assert (webhook.url, webhook.events, webhook.is_active, webhook.secret) == (
        "https://hooks.example.org/v2",
        ["export.finished"],
        False,
        secret,
    )


def test_the_forms_pin_their_query_counts(client, admin_user, hook, django_assert_num_queries):
    webhook, _ = hook
    client.force_login(admin_user)
    client.get(f"{LIST}{webhook.pk}/change/")
    with django_assert_num_queries(4):  # session, user, the webhook, who made it
        form = client.get(f"{LIST}{webhook.pk}/change/")
    assert re.search(r'name="events" value="article.revised" id="[^"]+" checked', form.content.decode())
    with django_assert_num_queries(2):  # session, user
        client.get(f"{LIST}add/")


def test_rotating_shows_the_new_secret_once(client, admin_user, hook):
    webhook, old = hook
    client.force_login(admin_user)
    page = client.post(LIST, {"action": "rotate_secret", "_selected_action": [webhook.pk]})
    new = _secret_on(page)
    webhook.refresh_from_db()
    assert new == webhook.secret != old


def test_the_list_pins_its_query_count(client, admin_user, hook, django_assert_num_queries):
    client.force_login(admin_user)
    client.get(LIST)
    # session, user, the count, the full count, the rows
    with django_assert_num_queries(5):
        first = client.get(LIST)
    for n in range(3):
        services.webhook_create(
            user=admin_user, url=f"https://hooks{n}.example.org/", events=["article.revised"]
        )
    with django_assert_num_queries(5):
        page = client.get(LIST)
    assert first.context["cl"].result_count == 1 and page.context["cl"].result_count == 4
    assert "article.ingested, article.revised, article.reprocessed, article.deleted" in first.content.decode()


def test_the_test_event_action_reaches_the_receiver(
    client,
    admin_user,
    hook,
    receiver,
    immediate_tasks,
    django_capture_on_commit_callbacks,
    django_assert_num_queries,
):
    webhook, secret = hook
    client.force_login(admin_user)
    # session, user, the selection; per webhook: the delivery; then the message's redirect. The
    # attempt after the commit: take it, read it with its webhook, record the outcome.
    with django_capture_on_commit_callbacks(execute=True), django_assert_num_queries(8):
        answer = client.post(LIST, {"action": "send_test_event", "_selected_action": [webhook.pk]})
    assert answer.status_code == 302
    (received,) = receiver.requests
    assert received.signed_by(secret)
    payload = received.json
    assert payload["event"] == "ping"
    assert payload["data"] == {
        "webhook": webhook.pk,
        "message": "A test event, sent from the admin.",
        "sent_by": "root",
    }
    assert Delivery.objects.get().status == DeliveryStatus.DELIVERED


def test_the_change_form_button_sends_a_test_event(
    client,
    admin_user,
    hook,
    receiver,
    immediate_tasks,
    django_capture_on_commit_callbacks,
):
    webhook, _ = hook
    client.force_login(admin_user)
    form = client.get(f"{LIST}{webhook.pk}/change/").content.decode()
    assert f'action="{LIST}{webhook.pk}/test/"' in form and "Send a test event" in form
    assert client.get(f"{LIST}{webhook.pk}/test/").status_code == 405
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(f"{LIST}{webhook.pk}/test/")
    assert answer.status_code == 302 and answer["Location"] == f"{LOG}?webhook__id__exact={webhook.pk}"
    assert receiver.events() == ["ping"]


def test_the_delivery_log(client, admin_user, hook, receiver, django_assert_num_queries):
    webhook, _ = hook
    receiver.answers.append(500)
    for _ in range(2):
        delivery = services.webhook_test_send(user=admin_user, webhook=webhook)
        services.delivery_attempt(delivery_id=delivery.pk)
    client.force_login(admin_user)
    client.get(LOG)
    # session, user, the webhook filter's choices, the count, the full count, the rows with their
    # webhook (bodies left out), the event filter's choices
    with django_assert_num_queries(7):
        page = client.get(LOG)
    assert page.context["cl"].result_count == 2
    assert "body" in page.context["cl"].result_list.query.deferred_loading[0]
    for _ in range(3):
        services.webhook_test_send(user=admin_user, webhook=webhook)
    with django_assert_num_queries(7):
        page = client.get(LOG)
    assert page.context["cl"].result_count == 5
    text = page.content.decode()
    assert "Retrying" in text and "Delivered" in text and "Pending" in text
    failed = Delivery.objects.get(status=DeliveryStatus.RETRYING)
    client.get(f"{LOG}{failed.pk}/change/")
    with django_assert_num_queries(3):  # session, user, the delivery with its webhook
        detail = client.get(f"{LOG}{failed.pk}/change/")
    shown = detail.content.decode()
    assert (
        "boom boom" in shown and str(failed.uuid) in shown and "&quot;event&quot;: &quot;ping&quot;" in shown
    )


def test_send_again_from_the_log(client, admin_user, hook, receiver, settings, django_assert_num_queries):
    webhook, _ = hook
    settings.WEBHOOKS_MAX_ATTEMPTS = 1
    receiver.answers.append(500)
    failed = services.webhook_test_send(user=admin_user, webhook=webhook)
    services.delivery_attempt(delivery_id=failed.pk)
    done = services.webhook_test_send(user=admin_user, webhook=webhook)
    services.delivery_attempt(delivery_id=done.pk)
    client.force_login(admin_user)
    # the list the action runs from (session, user, the webhook filter's choices, two counts, the filter
    # again), the selection; per delivery a savepoint, the conditional update and its release
    with django_assert_num_queries(13):
        answer = client.post(LOG, {"action": "send_again", "_selected_action": [failed.pk, done.pk]})
    assert answer.status_code == 302
    failed.refresh_from_db()
    assert failed.status == DeliveryStatus.RETRYING
    messages = [str(m) for m in client.get(LOG).context["messages"]]
    assert messages == ["1 delivery(ies) queued again. 1 already delivered or not yet tried, left alone."]


def test_deleting_through_the_admin(client, admin_user, hook):
    webhook, _ = hook
    services.webhook_test_send(user=admin_user, webhook=webhook)
    client.force_login(admin_user)
    assert client.post(f"{LIST}{webhook.pk}/delete/", {"post": "yes"}).status_code == 302
    assert not Webhook.objects.exists() and not Delivery.objects.exists()
    assert Event.ARTICLE_INGESTED == "article.ingested"
