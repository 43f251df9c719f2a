"""Factories that build objects through the services, so test data obeys the same rules as real data."""

from __future__ import annotations

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from annotations import services as annotation_services
from annotations.models import Annotation, Tag
from corpus.ingest.readers import ArticleInput
from corpus.models import Article, Source
from corpus.services import article_ingest


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password("correct horse battery staple")

    @factory.post_generation
    def groups(self, create, extracted, **kwargs):
        if create and extracted:
            for name in extracted:
                self.groups.add(Group.objects.get(name=name))


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Source {n}")
    homepage = factory.LazyAttribute(lambda s: f"https://example.org/{s.name.lower().replace(' ', '-')}")
    licence = "All rights reserved"


ARTICLE_BODY = (
    "Council approves budget for harbour repairs {n}\n"
    "The city council voted on Tuesday to spend more on the harbour.\n"
    '"We cannot wait another winter," said council chair Helena Vasquez.\n'
    "Opponents said the plan was rushed.\n"
)


class ArticleFactory(factory.Factory):
    """Builds an article by ingesting text, so paragraphs and quotes come from the pipeline."""

    class Meta:
        model = Article

    body = factory.Sequence(lambda n: ARTICLE_BODY.format(n=n))
    url = factory.Sequence(lambda n: f"https://news.example.org/articles/{n}")
    source = "Example News"
    title = None
    language = "en"

    @classmethod
    def _create(cls, model_class, *, body, url, source, title, language):
        record = ArticleInput(
            raw=body.encode("utf-8"),
            body=body,
            title=title,
            url=url,
            source=source,
            language=language,
            origin="factory",
        )
        return article_ingest(record=record).article

    @classmethod
    def _build(cls, model_class, **kwargs):
        raise NotImplementedError("Articles are only created through ingestion.")


class TagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tag
        django_get_or_create = ["slug"]

    slug = factory.Sequence(lambda n: f"tag-{n}")
    name = factory.LazyAttribute(lambda t: t.slug.replace("-", " "))
    colour = "#90caf9"


class AnnotationFactory(factory.Factory):
    """A span annotation on the first words of the article's second paragraph."""

    class Meta:
        model = Annotation

    article = factory.SubFactory(ArticleFactory)
    author = factory.SubFactory(UserFactory, groups=["Editor"])
    note = "needs a second source"
    status = "published"
    tags = ()

    @classmethod
    def _create(cls, model_class, *, article, author, note, status, tags):
        paragraph = article.paragraphs.order_by("position")[1]
        return annotation_services.annotation_create(
            article=article,
            author=author,
            start=paragraph.start,
            end=paragraph.start + 8,
            note=note,
            status=status,
            tags=list(tags),
        )
