"""Send the webhook deliveries that are due (new ones no worker took, and retries whose time has come),
then prune the delivery log of finished deliveries older than WEBHOOKS_LOG_RETENTION_DAYS.

Once, or with ``--every SECONDS`` as a small scheduler that goes on until it is stopped: `make run`
starts it so beside the server, where tasks run in-process and nothing else would retry. With the database
worker (`manage.py db_worker`) retries are deferred tasks and run by themselves; this command then picks up
what a lost task left behind, and prunes (docs/webhooks.md).
"""

from __future__ import annotations

import logging
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, close_old_connections, connection

from webhooks.models import DeliveryStatus
from webhooks.services import deliveries_due_send, deliveries_prune

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = (
        "Send the webhook deliveries that are due (new, or retries whose time has come) and prune the "
        "delivery log; once, or every N seconds with --every."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--limit", type=int, default=500, help="At most this many per pass (default 500)."
        )
        parser.add_argument(
            "--every",
            type=float,
            metavar="SECONDS",
            help="Go on: a pass every SECONDS until stopped (Ctrl-C or SIGTERM), as `make run` does.",
        )
        parser.add_argument(
            "--passes", type=int, metavar="N", help="With --every: stop after N passes (default: never)."
        )

    def handle(self, *args, limit: int, every: float | None, passes: int | None, **options):
        if every is None:
            self._pass(limit=limit, quiet=False)
            return
        if every <= 0:
            raise CommandError("--every takes a number of seconds above 0, such as 30.")
        done = 0
        try:
            while passes is None or done < passes:
                if done:
                    time.sleep(every)
                try:
                    self._pass(limit=limit, quiet=True)
                except DatabaseError as exc:  # a locked or restarting database: the next pass tries again
                    logger.warning("send_webhooks: this pass failed (%s); trying again in %ss", exc, every)
                finally:
                    if not connection.in_atomic_block:
                        # A connection that broke (a database restarted) is opened again next pass.
                        close_old_connections()
                done += 1
        except KeyboardInterrupt:
            return

    def _pass(self, *, limit: int, quiet: bool) -> None:
        attempted = deliveries_due_send(limit=limit)
        pruned = deliveries_prune()
        if quiet and not attempted and not pruned:
            return
        delivered = sum(d.status == DeliveryStatus.DELIVERED for d in attempted)
        said = (
            f"{len(attempted)} delivery(ies) attempted: {delivered} delivered, "
            f"{len(attempted) - delivered} to retry or failed."
        )
        if pruned:
            said += f" {pruned} old delivery(ies) pruned from the log."
        self.stdout.write(self.style.SUCCESS(said))
