"""The annotations app's admin, one module per family of pages: ``tags``, ``annotations`` (and the
orphans' queue), ``claims`` (claims, fact-checks and the review queue), ``projects`` (the work queue and
annotation projects), and ``corpus_pages``, what the corpus's own admin pages gain (``CORPUS_ADMIN_MIXINS``).
``base`` holds what they share. Importing this package registers them all."""

from django.contrib import admin

from . import annotations, claims, projects, tags  # noqa: F401  (registers their admins)
from .corpus_pages import ArticleAnnotating, BulkTagging

__all__ = ["ArticleAnnotating", "BulkTagging"]

admin.site.site_header = admin.site.site_title = "Newsdesk"
admin.site.index_title = "The editors' desk"
admin.site.site_url = "/api/docs/"  # "View site": there is no public site; the API is the public face
