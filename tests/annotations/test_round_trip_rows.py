"""export -> import_dataset brings back the same database rows, not only the same bytes: an annotation
on the second of two paragraphs with the same words, or on the second of two quotes with the same words,
is on that paragraph and that quote again, in JSONL, CSV and Parquet."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from annotations import services
from annotations.imports.importer import dataset_import
from annotations.models import Annotation
from tests.annotations.test_import import _wipe
from tests.factories import ArticleFactory, TagFactory, UserFactory

pytestmark = pytest.mark.django_db

REPEATED = '"We will rebuild the harbour by spring," said Mayor Jane Smith on Tuesday.'
BODY = (
    f"Harbour works to start\n\n{REPEATED}\n\nThe council met in the evening.\n\n{REPEATED}\n\n"
    'On Friday she was asked again. "We will rebuild the harbour by spring," Smith told reporters.\n'
)


@pytest.fixture
def twins():
    """An article whose paragraphs 1 and 3 have the same words, and two quotes the same words, with
    annotations on the second copies."""
    editor = UserFactory(username="ed", groups=["Editor"])
    TagFactory(slug="repeat")
    article = ArticleFactory(body=BODY, url="https://news.example.org/twins")
    paragraphs = list(article.paragraphs.order_by("position"))
    assert article.text[paragraphs[1].start : paragraphs[1].end] == REPEATED
    assert article.text[paragraphs[3].start : paragraphs[3].end] == REPEATED
    quotes = list(article.quotes.exclude(start=None).order_by("start"))
    assert len(quotes) == 2 and quotes[0].exact == quotes[1].exact
    services.annotation_create(
        article=article, author=editor, target="paragraph", paragraph=paragraphs[3], tags=["repeat"]
    )
    services.annotation_create(
        article=article,
        author=editor,
        target="quote",
        quote=quotes[1],
        note="the second time",
        status="published",
    )
    services.annotation_create(
        article=article, author=editor, target="paragraph", paragraph=paragraphs[1], note="the first copy"
    )
    return article


def _rows() -> list[tuple]:
    """Every annotation as what it is, ids aside: its article, target, the position of its paragraph,
    the span of its quote, offsets, words, note, status, author and tags."""
    rows = []
    for a in Annotation.objects.select_related("article", "paragraph", "quote", "author").prefetch_related(
        "tags"
    ):
        rows.append(
            (
                a.article.url,
                a.target,
                a.paragraph.position if a.paragraph else None,
                (a.quote.start, a.quote.end) if a.quote else None,
                a.start,
                a.end,
                a.exact,
                a.note,
                a.status,
                a.author.username if a.author else None,
                tuple(sorted(t.slug for t in a.tags.all())),
            )
        )
    return sorted(rows, key=repr)


@pytest.mark.parametrize(
    ("fmt", "name"), [("jsonl", "dataset"), ("csv", "tables.zip"), ("parquet", "tables")]
)
def test_export_then_import_gives_the_same_rows(tmp_path, twins, fmt, name):
    before = _rows()
    assert {(r[1], r[2]) for r in before} >= {("paragraph", 1), ("paragraph", 3), ("quote", None)}
    out = tmp_path / name
    call_command(
        "export", "--format", fmt, "--output", str(out) + ("/" if fmt == "jsonl" else ""), "--include-drafts",
        verbosity=0,
    )  # fmt: skip
    _wipe()
    result = dataset_import(path=out)
    assert result.errors == [] and result.created == 1
    assert _rows() == before
