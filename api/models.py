"""The API's own table: the throttles' request counts."""

from __future__ import annotations

from django.db import models


class ThrottleCount(models.Model):
    """How many API requests a client made in the current and in the previous window of a throttle's
    rate (``api.throttling``): one row per client, updated by one statement per request in the
    database every worker and app server shares. A row expires when its client has been quiet for two
    windows, and is swept by the next request of any other client."""

    key = models.CharField(
        max_length=200, unique=True, help_text="The throttle's scope and the client (user or address)."
    )
    period = models.BigIntegerField(
        help_text="The current window: seconds since the epoch // the rate's period."
    )
    hits = models.PositiveIntegerField(default=0, help_text="Requests allowed in the current window.")
    previous = models.PositiveIntegerField(default=0, help_text="Requests allowed in the window before.")
    expires = models.BigIntegerField(db_index=True, help_text="Seconds since the epoch.")

    class Meta:
        # The table the model had when it belonged to annotations: moving the model kept its rows.
        db_table = "annotations_throttlecount"

    def __str__(self) -> str:
        return f"{self.key} #{self.period}: {self.hits} (before: {self.previous})"
