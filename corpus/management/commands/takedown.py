"""python manage.py takedown ARTICLE_ID --by USERNAME --reason "..." """

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from corpus.models import Article
from corpus.takedown import article_takedown


class Command(BaseCommand):
    help = "Delete one article and everything on it, on purpose, and record who did it and why."

    def add_arguments(self, parser):
        parser.add_argument("article_id", type=int)
        parser.add_argument("--by", required=True, help="Username of the person responsible.")
        parser.add_argument("--reason", required=True, help="Why the article is taken down.")

    def handle(self, *args, article_id: int, by: str, reason: str, **options):
        article = Article.objects.filter(pk=article_id).first()
        if article is None:
            raise CommandError(f"There is no article {article_id}.")
        user = get_user_model().objects.filter(username=by).first()
        if user is None:
            raise CommandError(f"There is no user {by!r}: --by names the person responsible.")
        try:
            record, deleted = article_takedown(article=article, by=user, reason=reason)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        parts = ", ".join(
            f"{count} {label.rsplit('.', 1)[-1]}" for label, count in sorted(deleted.items()) if count
        )
        self.stdout.write(
            self.style.SUCCESS(f"Took down article {article_id} (takedown {record.pk}); deleted {parts}.")
        )
