"""Show (creating it if needed) or rotate a user's API token."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from rest_framework.authtoken.models import Token


class Command(BaseCommand):
    help = "Print the API token of USERNAME, creating it if needed; --rotate replaces it with a new one."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument(
            "--rotate", action="store_true", help="Revoke the current token and issue a new one."
        )

    @transaction.atomic
    def handle(self, *args, username: str, rotate: bool, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(
                f"No user {username!r}; create it first (manage.py createsuperuser, or the admin)."
            )
        if not user.is_active:
            raise CommandError(f"User {username!r} is inactive; activate it before issuing a token.")
        if rotate:
            Token.objects.filter(user=user).delete()
        token, created = Token.objects.get_or_create(user=user)
        if options["verbosity"] > 1 or created:
            note = "rotated" if rotate else ("created" if created else "existing")
            self.stderr.write(self.style.SUCCESS(f"Token for {username} ({note}):"))
        self.stdout.write(token.key)
