"""A project of two annotators on two articles, shared by the project tests of every door."""

from __future__ import annotations

from dataclasses import dataclass

from annotations import projects, services
from annotations.models import Annotation, AnnotationProject
from corpus.models import Article
from tests.factories import ArticleFactory, TagFactory, UserFactory


@dataclass
class ProjectSetup:
    project: AnnotationProject
    articles: list[Article]
    people: dict

    def span(self, article: Article, who: str, words: str, *tags: str, note: str = "") -> Annotation:
        start = article.text.index(words)
        return services.annotation_create(
            article=article,
            author=self.people[who],
            start=start,
            end=start + len(words),
            tags=list(tags),
            note=note,
            project=self.project,
        )

    def close(self, article: Article) -> None:
        projects.project_article_close(project=self.project, article=article, user=self.people["chief"])


def project_setup(*, annotators: int = 2) -> ProjectSetup:
    root = TagFactory(slug="framing", name="framing")
    TagFactory(slug="blame", name="blame", parent=root)
    TagFactory(slug="praise", name="praise", parent=root)
    TagFactory(slug="elsewhere", name="elsewhere")
    people = {
        "chief": UserFactory(username="chief", is_staff=True, groups=["Fact-checker"]),
        "curator": UserFactory(username="curator", is_staff=True, groups=["Fact-checker"]),
        "outsider": UserFactory(username="outsider", is_staff=True, groups=["Editor"]),
        "viewer": UserFactory(username="viewer", is_staff=True, groups=["Viewer"]),
    }
    names = [f"ann{i}" for i in range(1, annotators + 1)]
    for name in names:
        people[name] = UserFactory(username=name, is_staff=True, groups=["Editor"])
    project = projects.project_save(
        user=people["chief"],
        name="Blame in harbour coverage",
        tag_root=root,
        guidelines="Mark who is blamed or praised for the harbour.",
        annotators_per_article=2,
        annotators=[people[n] for n in names],
        curators=[people["curator"]],
    )
    articles = [ArticleFactory(), ArticleFactory()]
    projects.project_articles_add(project=project, article_ids=[a.pk for a in articles], user=people["chief"])
    projects.project_assign(project=project, user=people["chief"])
    return ProjectSetup(project=project, articles=articles, people=people)


def layered_setup() -> ProjectSetup:
    """Two layers on the first article: one agreement, one disagreement, one passage only ann2 marked;
    and one passage ann1 marked on the second article, still open."""
    setup = project_setup()
    article = setup.articles[0]
    setup.span(article, "ann1", "The city council", "blame")
    setup.span(article, "ann2", "The city council", "blame")
    setup.span(article, "ann1", "Opponents", "praise")
    setup.span(article, "ann2", "Opponents", "blame")
    setup.span(article, "ann2", "the harbour", "praise", note="the harbour itself?")
    setup.span(setup.articles[1], "ann1", "The city council", "praise", note="open layer")
    return setup


def curation_picks(setup: ProjectSetup, by_exact: dict) -> list[dict]:
    """A curator's picks for the first article's passages, in the order of its units, by their words."""
    units = projects.curation_units(project=setup.project, article=setup.articles[0])
    return [by_exact[u["exact"]] for u in units]
