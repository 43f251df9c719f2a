"""python manage.py add_user USERNAME --role editor: an account in one of the roles, able to sign in
to the admin. The password is read from standard input (--password-stdin) or generated and printed once."""

from __future__ import annotations

import secrets
import sys

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

ROLES = {"viewer": "Viewer", "editor": "Editor", "fact-checker": "Fact-checker"}


class Command(BaseCommand):
    help = "Create a user in a role (viewer, editor, fact-checker) or change an existing user's role."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=sorted(ROLES))
        parser.add_argument("--email", default="")
        parser.add_argument(
            "--password-stdin", action="store_true", help="Read the password from standard input."
        )

    def handle(self, *args, username: str, role: str, email: str, password_stdin: bool, **options):
        User = get_user_model()
        group = Group.objects.get(name=ROLES[role])
        with transaction.atomic():
            user, created = User.objects.get_or_create(username=username, defaults={"email": email})
            if created or password_stdin:
                password = sys.stdin.readline().rstrip("\n") if password_stdin else secrets.token_urlsafe(12)
                try:
                    validate_password(password, user)
                except ValidationError as exc:
                    raise CommandError("Password refused: " + " ".join(exc.messages)) from None
                user.set_password(password)
                if created and not password_stdin:
                    self.stdout.write(f"Password for {username} (shown only this once): {password}")
            # Editors work in the admin: the role's permissions apply there only for staff accounts.
            user.is_staff = True
            user.save()
            user.groups.remove(*Group.objects.filter(name__in=ROLES.values()))
            user.groups.add(group)
        verb = "Created" if created else "Updated"
        self.stdout.write(self.style.SUCCESS(f"{verb} {username} as {group.name}."))
