"""takedown: one article and everything on it deleted on purpose, with a record of who and why."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from annotations.models import Annotation, Claim, FactCheck
from corpus.models import Article, Paragraph, Quote, Speaker, Takedown

pytestmark = pytest.mark.django_db


def test_takedown_deletes_the_article_and_all_on_it(corpus):
    article = corpus.articles[1]
    other = corpus.articles[0]
    assert Annotation.objects.filter(article=article, target="quote").exists()  # RESTRICT on the quote
    assert Annotation.objects.filter(
        article=article, target="paragraph"
    ).exists()  # RESTRICT on the paragraph
    call_command(
        "takedown",
        str(article.pk),
        "--by",
        "rev",
        "--reason",
        "Licence withdrawn by the outlet.",
        verbosity=0,
    )
    assert not Article.objects.filter(pk=article.pk).exists()
    for model in (Paragraph, Quote, Annotation, Claim):
        assert not model.objects.filter(article_id=article.pk).exists(), model
    assert not FactCheck.objects.filter(pk=corpus.fact_check.pk).exists()
    assert not Speaker.objects.filter(article_id=article.pk).exists()
    assert Annotation.history.model.objects.filter(article_id=article.pk).count() == 0
    assert Quote.history.model.objects.filter(article_id=article.pk).count() == 0
    assert Article.objects.filter(pk=other.pk).exists() and Annotation.objects.filter(article=other).exists()
    record = Takedown.objects.get()
    assert (record.article_id, record.content_hash, record.title, record.by.username) == (
        article.pk, article.content_hash, article.title, "rev",
    )  # fmt: skip
    assert record.reason == "Licence withdrawn by the outlet." and record.at is not None


def test_takedown_needs_a_known_user_article_and_reason(corpus):
    with pytest.raises(CommandError, match="no user"):
        call_command("takedown", str(corpus.articles[0].pk), "--by", "nobody", "--reason", "x")
    with pytest.raises(CommandError, match="no article"):
        call_command("takedown", "999999", "--by", "rev", "--reason", "x")
    with pytest.raises(CommandError, match="say why"):
        call_command("takedown", str(corpus.articles[0].pk), "--by", "rev", "--reason", "  ")
    assert Article.objects.count() == 2 and not Takedown.objects.exists()


def test_an_export_after_a_takedown_no_longer_has_the_article(tmp_path, corpus):
    call_command("takedown", str(corpus.articles[0].pk), "--by", "rev", "--reason", "Privacy.", verbosity=0)
    out = tmp_path / "a.jsonl"
    call_command("export", "--format", "jsonl", "--output", str(out), verbosity=0)
    assert len(out.read_text().splitlines()) == 1
