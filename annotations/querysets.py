"""Reusable reads for annotations, claims and fact-checks."""

from __future__ import annotations

from django.db import models
from django.db.models import Q


class TagQuerySet(models.QuerySet):
    def descendants_of(self, tag) -> TagQuerySet:
        """The tag and every tag below it (the vocabulary is small: walked in Python)."""
        children: dict[int | None, list[int]] = {}
        for pk, parent_id in self.model.objects.values_list("pk", "parent_id"):
            children.setdefault(parent_id, []).append(pk)
        found, frontier = {tag.pk}, [tag.pk]
        while frontier:
            nxt = [c for p in frontier for c in children.get(p, []) if c not in found]
            found.update(nxt)
            frontier = nxt
        return self.filter(pk__in=found)


class AnnotationQuerySet(models.QuerySet):
    def published(self) -> AnnotationQuerySet:
        return self.filter(status="published")

    def visible_to(self, user) -> AnnotationQuerySet:
        """Anonymous users see published annotations; signed-in users also their own and, with
        the view permission, everyone's. In projects, only the layers ``user`` may see
        (``access.annotation_layer_visibility``)."""
        from .access import annotation_layer_visibility

        layers = annotation_layer_visibility(user)
        if user is None or not user.is_authenticated:
            return self.published().filter(layers)
        if user.has_perm("annotations.view_annotation"):
            return self.filter(layers)
        return self.filter(Q(status="published") | Q(author=user)).filter(layers)

    def with_related(self) -> AnnotationQuerySet:
        return self.select_related("author").prefetch_related("tags")


class FactCheckQuerySet(models.QuerySet):
    def published(self) -> FactCheckQuerySet:
        return self.filter(status="published")


class ClaimQuerySet(models.QuerySet):
    def with_related(self) -> ClaimQuerySet:
        return self.select_related(
            "claimant", "annotation", "fact_check", "fact_check__author", "fact_check__reviewer"
        )
