"""Send the webhook deliveries that are due: new ones no worker took, and retries whose time has come.

With the database worker (`manage.py db_worker`) retries run by themselves, as deferred tasks; where
tasks run in-process (`make run`, no worker) nothing waits to retry, and this command does it (from cron,
say, every minute).
"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from webhooks.models import DeliveryStatus
from webhooks.services import deliveries_due_send


class Command(BaseCommand):
    help = "Send the webhook deliveries that are due (new, or retries whose time has come)."

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=500, help="At most this many (default 500).")

    def handle(self, *args, limit: int, **options):
        attempted = deliveries_due_send(limit=limit)
        delivered = sum(d.status == DeliveryStatus.DELIVERED for d in attempted)
        self.stdout.write(
            self.style.SUCCESS(
                f"{len(attempted)} delivery(ies) attempted: {delivered} delivered, "
                f"{len(attempted) - delivered} to retry or failed."
            )
        )
