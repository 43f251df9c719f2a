"""A small annotated corpus for the export tests: the seed articles with published and draft work on them."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from annotations import services
from annotations.models import Annotation, Claim, FactCheck
from corpus.models import Article, Quote, Speaker
from tests.annotations.projects_setup import layered_setup
from tests.factories import AnnotationFactory, ArticleFactory, UserFactory


@dataclass
class Corpus:
    articles: list[Article]
    published: Annotation
    draft: Annotation
    claim: Claim
    fact_check: FactCheck
    draft_fact_check: FactCheck
    editor: object
    reviewer: object


@pytest.fixture
def layered():
    """A project's two layers on its first article (tests/annotations/projects_setup.py)."""
    return layered_setup()


@pytest.fixture(autouse=True)
def _immediate_tasks(settings, tmp_path):
    """Background tasks run at once in tests, and export jobs write under the test's folder."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.EXPORTS_DIR = tmp_path / "exports"


@pytest.fixture
def corpus(seeded) -> Corpus:
    editor = UserFactory(username="ed", groups=["Fact-checker"])
    reviewer = UserFactory(username="rev", groups=["Fact-checker"])
    first, second = seeded
    start = second.text.index("China is facing the worst international isolation")
    published = services.annotation_create(
        article=second,
        author=editor,
        start=start,
        end=start + 49,
        tags=["claim-statistic"],
        note="check <this> & that",
        status="published",
    )
    paragraph = second.paragraphs.order_by("position")[2]
    services.annotation_create(
        article=second,
        author=editor,
        target="paragraph",
        paragraph=paragraph,
        tags=["claim"],
        status="published",
    )
    quote = second.quotes.exclude(start=None).order_by("start").first()
    services.annotation_create(
        article=second, author=reviewer, target="quote", quote=quote, note="who said it?", status="published"
    )
    services.annotation_create(
        article=first, author=reviewer, target="article", note="whole piece", status="published"
    )
    draft = services.annotation_create(
        article=first, author=editor, start=0, end=5, note="a private draft", status="draft"
    )
    claimant = Speaker.objects.filter(article__isnull=True).order_by("id").first()
    claim = services.claim_create(
        article=second, text=published.exact, created_by=editor, annotation=published, claimant=claimant
    )
    fact_check = services.factcheck_create(
        claim=claim,
        author=editor,
        verdict="mostly_false",
        rationale="Opinion </script><script>alert(1)</script>.",
        evidence=[{"url": "https://example.org/a", "title": "A", "publisher": "B", "accessed": "2021-06-03"}],
    )
    services.factcheck_submit(fact_check=fact_check, expected_version=1, user=editor)
    fact_check = services.factcheck_publish(fact_check=fact_check, expected_version=2, user=reviewer)
    draft_claim = services.claim_create(article=first, text="An unchecked claim.", created_by=editor)
    draft_fact_check = services.factcheck_create(claim=draft_claim, author=editor, verdict="misleading")
    return Corpus(
        articles=[first, second],
        published=published,
        draft=draft,
        claim=claim,
        fact_check=fact_check,
        draft_fact_check=draft_fact_check,
        editor=editor,
        reviewer=reviewer,
    )


MORE = 5  # articles added to the two annotated seed articles


@pytest.fixture
def many(corpus):
    """Seven articles: the annotated seed corpus and five more, with continued quotes pointing both
    ways, a relayed quote, and annotations added to the first article last (ids out of article order)."""
    extra = [ArticleFactory() for _ in range(MORE)]
    for article in extra:
        AnnotationFactory(article=article, author=corpus.editor, tags=["claim"])
    first, second = (list(a.quotes.order_by("start")) for a in corpus.articles)
    Quote.objects.filter(pk=first[1].pk).update(continues=first[0])
    Quote.objects.filter(pk=second[0].pk).update(continues=second[2])  # a quote continued by an earlier one
    Quote.objects.filter(pk=second[1].pk).update(via=Speaker.objects.filter(article__isnull=True).first())
    services.annotation_create(
        article=corpus.articles[0], author=corpus.reviewer, target="article", note="late note", status="draft"
    )
    return [*corpus.articles, *extra]
