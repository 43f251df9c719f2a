"""A changed article becomes a new revision; editors' work moves with the words or is kept as an orphan."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command
from django.db.models import ProtectedError, RestrictedError

from annotations import services
from annotations.models import Annotation
from corpus.ingest.readers import ArticleInput
from corpus.models import Article, Paragraph, Quote
from corpus.services import article_ingest, quote_correct
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

URL = "https://news.example.org/harbour"
V1 = [
    "Harbour repairs approved",
    "The city council voted on Tuesday to spend more on the harbour. 🌊 항구 수리 was the slogan.",
    '"We cannot wait another winter," said council chair Helena Vasquez.',
    "Opponents said the plan was rushed and that the harbour was not the priority.",
    "A deleted paragraph about the ferry timetable and its many delays.",
    "The vote was seven to four.",
]


def _ingest(paragraphs: list[str]) -> Article:
    body = "\n".join(paragraphs)
    raw = json.dumps({"text": body, "url": URL}, ensure_ascii=False).encode("utf-8")
    return article_ingest(
        record=ArticleInput(raw=raw, body=body, url=URL, format="json", origin="test")
    ).article


def _span(article: Article, author, words: str, **kwargs) -> Annotation:
    start = article.text.index(words)
    return services.annotation_create(
        article=article, author=author, start=start, end=start + len(words), note=words, **kwargs
    )


def test_annotations_follow_their_words_or_become_orphans():
    editor = UserFactory(groups=["Editor"])
    article = _ingest(V1)
    passages = {
        "before": "The city council voted",
        "inside": "spend more on the harbour",
        "emoji": "🌊 항구 수리",
        "quote": "We cannot wait another winter",
        "reworded": "Opponents said the plan was rushed and that the harbour was not the priority.",
        "deleted": "the ferry timetable and its many delays",
        "after": "seven to four",
    }
    annotations = {key: _span(article, editor, words) for key, words in passages.items()}
    paragraph_note = services.annotation_create(
        article=article,
        author=editor,
        target="paragraph",
        paragraph=article.paragraphs.get(position=5),
        note="vote",
    )

    v2 = [
        "UPDATED: Harbour repairs approved",  # insertion before everything
        "The city council voted late on Tuesday to spend more on the harbour. 🌊 항구 수리 was the slogan.",
        '"We cannot wait another winter," said council chair Helena Vasquez, 54.',
        "Opponents said the plan had been rushed and that the harbour was not a priority.",
        "The vote was seven to four.",
        "Correction: an earlier version misstated the date.",  # insertion after
    ]
    revised = _ingest(v2)
    assert revised.pk == article.pk and revised.revision == 2
    text = revised.text

    moved = {key: Annotation.objects.get(pk=a.pk) for key, a in annotations.items()}
    for key, annotation in moved.items():
        if annotation.anchor == "orphaned":
            assert annotation.start is None and annotation.end is None
            continue
        placed = text[annotation.start : annotation.end]
        if annotation.anchor == "exact":
            assert placed == passages[key]
        else:
            assert annotation.anchor == "fuzzy" and 0.8 <= annotation.anchor_score < 1
        assert annotation.version == 2  # moved: an edit based on the old offsets is refused
    for key in ("before", "inside", "emoji", "quote", "after"):
        assert moved[key].anchor == "exact", key
    assert moved["reworded"].anchor == "fuzzy"
    assert text[moved["reworded"].start : moved["reworded"].end].startswith(
        "Opponents said the plan had been"
    )
    assert moved["deleted"].anchor == "orphaned"
    assert moved["deleted"].exact == passages["deleted"]  # its words are kept for an editor to re-place

    # the paragraph annotation follows its paragraph to its new position
    paragraph_note.refresh_from_db()
    assert paragraph_note.paragraph.position == 4
    assert (
        text[paragraph_note.paragraph.start : paragraph_note.paragraph.end] == "The vote was seven to four."
    )
    # nothing was lost
    assert Annotation.objects.filter(article=article, origin="editor").count() == len(passages) + 1


def test_earlier_revisions_stay_readable():
    article = _ingest(V1)
    _ingest([*V1[:-1], "The vote was eight to three."])
    _ingest([*V1[:-1], "The vote was nine to two."])
    article.refresh_from_db()
    assert article.revision == 3
    revisions = list(article.revisions.order_by("number"))
    assert [r.number for r in revisions] == [1, 2]
    assert revisions[0].text.endswith("seven to four.") and revisions[1].text.endswith("eight to three.")
    assert json.loads(revisions[0].raw_text)["text"].endswith("seven to four.")
    assert article.text.endswith("nine to two.")
    assert Paragraph.objects.filter(article=article).count() == len(V1)


def test_quote_corrections_carry_over_and_orphans_are_kept():
    editor = UserFactory(groups=["Editor"])
    v1 = [*V1, '"The pier is older than all of us," she said.']
    article = _ingest(v1)
    winter = (
        article.quotes.get(kind="direct", exact="We cannot wait another winter,")
        if article.quotes.filter(exact="We cannot wait another winter,").exists()
        else article.quotes.filter(kind="direct").order_by("start").first()
    )
    pier = article.quotes.filter(kind="direct").order_by("-start").first()
    assert winter.pk != pier.pk
    quote_correct(quote=winter, expected_version=winter.version, user=editor, verified=True)
    quote_correct(quote=pier, expected_version=pier.version, user=editor, kind="partial")

    v2 = ["Late news", *V1]  # the pier quote is gone; the winter quote moved
    _ingest(v2)
    winter.refresh_from_db()
    pier.refresh_from_db()
    assert winter.verified and winter.anchor == "exact"
    assert article.__class__.objects.get(pk=article.pk).text[winter.start : winter.end] == winter.exact
    # the new machine extraction did not add a second quote on the verified span
    assert Quote.objects.filter(article=article, start=winter.start, end=winter.end).count() == 1
    assert pier.anchor == "orphaned" and pier.start is None and pier.kind == "partial"


def test_paragraph_with_annotations_cannot_be_deleted_alone():
    editor = UserFactory(groups=["Editor"])
    article = _ingest(V1)
    paragraph = article.paragraphs.get(position=1)
    services.annotation_create(
        article=article, author=editor, target="paragraph", paragraph=paragraph, note="x"
    )
    with pytest.raises((RestrictedError, ProtectedError)):
        paragraph.delete()


def test_orphans_are_left_out_of_exports_unless_asked(tmp_path):
    editor = UserFactory(groups=["Editor"])
    article = _ingest(V1)
    _span(article, editor, "the ferry timetable", status="published")
    _span(article, editor, "seven to four", status="published")
    _ingest([p for p in V1 if "ferry" not in p])
    out = tmp_path / "a.jsonl"
    call_command("export", "--format", "jsonl", "--output", str(out), verbosity=0)
    notes = [a["note"] for a in json.loads(out.read_text())["annotations"] if a["origin"] == "editor"]
    assert notes == ["seven to four"]
    call_command("export", "--format", "jsonl", "--output", str(out), "--include-orphans", verbosity=0)
    notes = [a["note"] for a in json.loads(out.read_text())["annotations"] if a["origin"] == "editor"]
    assert sorted(notes) == ["seven to four", "the ferry timetable"]
