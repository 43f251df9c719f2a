"""The corpus's admin, one module per family of pages: ``articles`` (sources, articles, revisions,
paragraphs), ``speakers``, ``quotes`` (and their clusters); ``base`` holds what they share, and
``actions`` (actions that ask a few words first), ``history`` (read-only history pages), ``text_search``
(search that reaches the text) and ``versioned`` (change forms that carry the version) are the admin
machinery the annotations' admin builds on too.

The article, paragraph and quote admins are registered here, last, with what other apps add to them
(``extended``, from ``CORPUS_ADMIN_MIXINS``), so those apps need not register them again."""

from django.contrib import admin

from ..models import Article, Paragraph, Quote
from . import speakers  # noqa: F401  (registers its admins)
from .articles import ArticleAdmin, ParagraphAdmin
from .base import extended
from .quotes import QuoteAdmin

__all__ = ["ArticleAdmin", "ParagraphAdmin", "QuoteAdmin", "extended"]

for model, model_admin in ((Article, ArticleAdmin), (Paragraph, ParagraphAdmin), (Quote, QuoteAdmin)):
    admin.site.register(model, extended(model_admin))
