"""Webhooks: addresses that hear about changes, and the log of every delivery made to them."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from .addresses import validate_webhook_url


class Event(models.TextChoices):
    """What a webhook may subscribe to. The stored values are the ``event`` of each payload."""

    ARTICLE_INGESTED = "article.ingested", "Article ingested"
    ARTICLE_REVISED = "article.revised", "Article revised"
    ARTICLE_REPROCESSED = "article.reprocessed", "Article reprocessed"
    ARTICLE_DELETED = "article.deleted", "Article deleted (taken down)"
    ANNOTATION_CREATED = "annotation.created", "Annotation created"
    ANNOTATION_CHANGED = "annotation.changed", "Annotation changed"
    ANNOTATION_DELETED = "annotation.deleted", "Annotation deleted"
    CLAIM_CREATED = "claim.created", "Claim created"
    CLAIM_CHANGED = "claim.changed", "Claim changed"
    CLAIM_DELETED = "claim.deleted", "Claim withdrawn"
    FACTCHECK_SUBMITTED = "factcheck.submitted", "Fact-check submitted for review"
    FACTCHECK_PUBLISHED = "factcheck.published", "Fact-check published"
    FACTCHECK_SENT_BACK = "factcheck.sent_back", "Fact-check sent back to its author"
    FACTCHECK_WITHDRAWN = "factcheck.withdrawn", "Fact-check withdrawn from publication"
    EXPORT_FINISHED = "export.finished", "Export finished"
    DATASET_IMPORTED = "dataset.imported", "Dataset imported"


# Sent by the admin's "Send a test event" only; no one subscribes to it.
PING = "ping"


class Webhook(models.Model):
    url = models.CharField(
        "URL",
        max_length=2000,
        validators=[validate_webhook_url],
        help_text="Where deliveries are POSTed: https (http only to this machine, in development and tests).",
    )
    description = models.CharField(max_length=200, blank=True)
    events = models.JSONField(default=list, help_text="The events this webhook receives (Event values).")
    # Kept to sign deliveries; shown once when made (or rotated), never on a page or in the API after.
    secret = models.CharField(max_length=100, editable=False)
    is_active = models.BooleanField("active", default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]
        permissions = [("manage_webhooks", "Can manage webhooks and read their deliveries")]

    def __str__(self) -> str:
        return self.description or self.url

    def wants(self, event: str) -> bool:
        return self.is_active and event in self.events


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    RETRYING = "retrying", "Retrying"
    DELIVERED = "delivered", "Delivered"
    FAILED = "failed", "Failed"


class Delivery(models.Model):
    """One event for one webhook: its exact body, and how sending it went so far.

    ``uuid`` is the delivery id a receiver sees (``X-Newsdesk-Delivery``); every attempt sends the same
    body with the same id, so a receiver that saw it already can drop it.
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    webhook = models.ForeignKey(Webhook, on_delete=models.CASCADE, related_name="deliveries")
    event = models.CharField(max_length=40)
    body = models.TextField(help_text="The JSON sent, exactly (UTF-8).")
    status = models.CharField(max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(
        null=True, blank=True, help_text="When the next attempt is due; empty once delivered or given up."
    )
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    response_code = models.PositiveSmallIntegerField(null=True, blank=True)
    response_body = models.TextField(blank=True, help_text="The start of the last response's body.")
    error = models.CharField(max_length=500, blank=True, help_text="Why the last attempt got no response.")
    created_at = models.DateTimeField(default=timezone.now)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "deliveries"
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="webhooks_delivery_due")]

    def __str__(self) -> str:
        return f"{self.event} to {self.webhook_id} ({self.status})"
