"""Webhooks in the admin: configuration, with every write through ``services``.

Only administrators see any of it (``access.can_webhooks_manage``). A webhook's secret is shown once, on
the page that answers its creation or rotation, and never again: not in the list, the change form or
the delivery log.
"""

from __future__ import annotations

import json

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from . import services
from .access import can_webhooks_manage
from .forms import WebhookForm
from .models import Delivery, Webhook


class ManagersOnly:
    """Every page and action of these models is the webhook managers'."""

    def has_module_permission(self, request):
        return can_webhooks_manage(request.user)

    def has_view_permission(self, request, obj=None):
        return can_webhooks_manage(request.user)


def _secret_page(request, webhook: Webhook, secret: str, *, title: str) -> TemplateResponse:
    context = {
        **admin.site.each_context(request),
        "title": title,
        "webhook": webhook,
        "secret": secret,
        "opts": Webhook._meta,
    }
    response = TemplateResponse(request, "admin/webhooks/webhook/secret.html", context)
    response["Cache-Control"] = "no-store"
    return response


@admin.register(Webhook)
class WebhookAdmin(ManagersOnly, admin.ModelAdmin):
    form = WebhookForm
    list_display = ("url", "description", "events_shown", "is_active", "created_at")
    list_filter = ("is_active",)
    search_fields = ("url", "description")
    readonly_fields = ("secret_shown", "created_by", "created_at")
    fields = ("url", "description", "events", "is_active", "secret_shown", "created_by", "created_at")
    actions = ["send_test_event", "rotate_secret"]
    change_form_template = "admin/webhooks/webhook/change_form.html"

    def has_add_permission(self, request):
        return can_webhooks_manage(request.user)

    def has_change_permission(self, request, obj=None):
        return can_webhooks_manage(request.user)

    def has_delete_permission(self, request, obj=None):
        return can_webhooks_manage(request.user)

    @admin.display(description="events")
    def events_shown(self, obj: Webhook) -> str:
        return ", ".join(obj.events)

    @admin.display(description="secret")
    def secret_shown(self, obj: Webhook) -> str:
        if obj.pk is None:
            return "Made when you save, and shown once then."
        return "Set. Not shown again: rotate it (an action of the list) for a new one."

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        fields = {
            "url": data["url"],
            "events": data["events"],
            "description": data["description"],
            "is_active": data["is_active"],
        }
        if change:
            services.webhook_update(user=request.user, webhook=obj, **fields)
            return
        webhook, secret = services.webhook_create(user=request.user, **fields)
        # The form's object stands for the saved one from here on (the admin's log, the answer).
        obj.pk, obj.secret, obj.events = webhook.pk, secret, webhook.events
        obj.created_by, obj.created_at = webhook.created_by, webhook.created_at
        request._webhook_secret = secret

    def response_add(self, request, obj, post_url_continue=None):
        return _secret_page(request, obj, request._webhook_secret, title="Webhook added: its secret")

    def get_deleted_objects(self, objs, request):
        # Deliveries go with their webhook (the service deletes both); nobody deletes them one by one.
        deleted, counts, _, protected = super().get_deleted_objects(objs, request)
        return deleted, counts, set(), protected

    def delete_model(self, request, obj):
        services.webhook_delete(user=request.user, webhook=obj)

    def delete_queryset(self, request, queryset):
        for webhook in queryset:
            services.webhook_delete(user=request.user, webhook=webhook)

    @admin.action(description="Send a test event")
    def send_test_event(self, request, queryset):
        deliveries = [services.webhook_test_send(user=request.user, webhook=w) for w in queryset]
        self.message_user(
            request,
            f"Test event queued for {len(deliveries)} webhook(s); the delivery log shows how it went.",
            messages.SUCCESS,
        )

    @admin.action(description="Rotate the secret (shown once)")
    def rotate_secret(self, request, queryset):
        webhooks = list(queryset[:2])
        if len(webhooks) != 1:
            self.message_user(request, "Rotate one webhook's secret at a time.", messages.ERROR)
            return None
        secret = services.webhook_secret_rotate(user=request.user, webhook=webhooks[0])
        return _secret_page(request, webhooks[0], secret, title="Webhook secret rotated")

    def get_urls(self):
        test = self.admin_site.admin_view(self.test_view)
        return [path("<int:object_id>/test/", test, name="webhooks_webhook_test"), *super().get_urls()]

    def test_view(self, request, object_id: int):
        """The change form's "Send a test event" button."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not can_webhooks_manage(request.user):
            raise PermissionDenied
        webhook = get_object_or_404(Webhook, pk=object_id)
        delivery = services.webhook_test_send(user=request.user, webhook=webhook)
        self.message_user(request, f"Test event queued (delivery {delivery.uuid}).", messages.SUCCESS)
        log = reverse("admin:webhooks_delivery_changelist")
        return HttpResponseRedirect(f"{log}?webhook__id__exact={webhook.pk}")


@admin.register(Delivery)
class DeliveryAdmin(ManagersOnly, admin.ModelAdmin):
    """The delivery log: read-only, with "send again now"."""

    list_display = (
        "created_at",
        "event",
        "webhook",
        "status",
        "attempts",
        "response_code",
        "next_attempt_at",
        "uuid",
    )
    list_filter = ("status", "event", "webhook")
    search_fields = ("=uuid",)
    date_hierarchy = None
    actions = ["send_again"]
    fields = (
        "uuid",
        "webhook",
        "event",
        "status",
        "attempts",
        "response_code",
        "response_body",
        "error",
        "created_at",
        "last_attempt_at",
        "next_attempt_at",
        "delivered_at",
        "body_shown",
    )
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        queryset = super().get_queryset(request).select_related("webhook")
        if request.resolver_match and request.resolver_match.url_name == "webhooks_delivery_changelist":
            # The list shows no bodies, and an ingest batch's is long.
            queryset = queryset.defer("body", "response_body")
        return queryset

    def get_actions(self, request):
        # Actions are offered to whoever may view the log (managers); the service asks again.
        actions = super().get_actions(request)
        return actions if can_webhooks_manage(request.user) else {}

    @admin.display(description="body")
    def body_shown(self, obj: Delivery) -> str:
        try:
            shown = json.dumps(json.loads(obj.body), ensure_ascii=False, indent=2)
        except ValueError:
            shown = obj.body
        return format_html("<pre>{}</pre>", shown)

    @admin.action(description="Send again now")
    def send_again(self, request, queryset):
        sent = sum(services.delivery_resend(user=request.user, delivery=d) for d in queryset)
        skipped = len(queryset) - sent
        message = f"{sent} delivery(ies) queued again."
        if skipped:
            message += f" {skipped} already delivered or not yet tried, left alone."
        self.message_user(request, message, messages.SUCCESS)
