"""python manage.py ensure_admin: make sure an administrator account exists.

With DJANGO_SUPERUSER_USERNAME and DJANGO_SUPERUSER_PASSWORD set, that account
is created if missing. Otherwise, when no superuser exists yet, an ``admin``
account gets a random password that is printed once. Never a fixed default.
"""

from __future__ import annotations

import os
import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Create an administrator account if there is none (idempotent)."

    def handle(self, *args, **options):
        User = get_user_model()
        username = os.environ.get("DJANGO_SUPERUSER_USERNAME", "").strip()
        password = os.environ.get("DJANGO_SUPERUSER_PASSWORD", "")
        email = os.environ.get("DJANGO_SUPERUSER_EMAIL", "")
        if username:
            if User.objects.filter(username=username).exists():
                self.stdout.write(f"Administrator {username!r} already exists.")
                return
            if not password:
                password = secrets.token_urlsafe(12)
                self._announce(username, password)
            User.objects.create_superuser(username=username, email=email, password=password)
            self.stdout.write(self.style.SUCCESS(f"Created administrator {username!r}."))
            return
        if User.objects.filter(is_superuser=True).exists():
            self.stdout.write(
                "An administrator account already exists (set DJANGO_SUPERUSER_* to add another)."
            )
            return
        username = "admin"
        password = secrets.token_urlsafe(12)
        User.objects.create_superuser(username=username, email=email, password=password)
        self._announce(username, password)

    def _announce(self, username: str, password: str) -> None:
        bar = "=" * 64
        self.stdout.write(
            self.style.SUCCESS(
                f"{bar}\nAdministrator account created. It is shown only this once:\n"
                f"  username: {username}\n  password: {password}\n"
                f"Change it in the admin, or set DJANGO_SUPERUSER_USERNAME/PASSWORD next time.\n{bar}"
            )
        )
