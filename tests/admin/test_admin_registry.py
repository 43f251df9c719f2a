"""The corpus registers its own admin classes; the annotations app adds to them (CORPUS_ADMIN_MIXINS)
instead of registering subclasses over them."""

from __future__ import annotations

from django.contrib import admin

from annotations.admin import ArticleAnnotating, BulkTagging
from corpus import admin as corpus_admin
from corpus.models import Article, Paragraph, Quote


def test_the_corpus_admin_classes_are_the_ones_registered_with_what_annotations_adds():
    for model, corpus_class, addition in (
        (Article, corpus_admin.ArticleAdmin, ArticleAnnotating),
        (Paragraph, corpus_admin.ParagraphAdmin, BulkTagging),
        (Quote, corpus_admin.QuoteAdmin, BulkTagging),
    ):
        registered = type(admin.site._registry[model])
        # Composed where the corpus registers it, not a subclass registered by another app.
        assert registered.__module__ == corpus_class.__module__
        assert issubclass(registered, corpus_class) and issubclass(registered, addition)


def test_what_annotations_adds_comes_after_the_corpus_columns_and_actions():
    article_admin = admin.site._registry[Article]
    assert article_admin.list_display == [
        *corpus_admin.ArticleAdmin.list_display,
        "annotation_count",
        "annotate_link",
    ]
    assert article_admin.actions[-3:] == ["export_selected", "assign_selected", "add_to_project"]
    assert admin.site._registry[Quote].actions == [*corpus_admin.QuoteAdmin.actions, "tag_selected"]
    assert admin.site._registry[Paragraph].actions == [*corpus_admin.ParagraphAdmin.actions, "tag_selected"]
