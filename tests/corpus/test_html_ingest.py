"""HTML pages as input: the main text and metadata are extracted, captions kept, furniture dropped,
and the page kept byte for byte."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from corpus.models import Article

pytestmark = pytest.mark.django_db

PAGES = Path(__file__).parent / "pages"


def test_news_page_is_extracted_and_kept(capsys):
    path = PAGES / "news_page.html"
    call_command("ingest", str(path), verbosity=0)
    article = Article.objects.get()
    raw = path.read_bytes()
    assert article.raw_text.encode("utf-8") == raw
    assert article.content_hash == hashlib.sha256(raw).hexdigest()
    assert article.title == "Harbour repairs approved after long fight"
    assert article.url == "https://gazette.example.org/news/harbour-repairs"
    assert article.published_at.date().isoformat() == "2021-06-02"
    assert article.byline == "By Jane Doe"
    assert article.language == "en"
    assert article.metadata["format"] == "html"
    text = article.text
    # navigation, scripts, comments and the footer are gone from the text
    for furniture in ("Home", "Sport", "tracking", "console.log", "internal note", "All rights reserved"):
        assert furniture not in text
    assert text.startswith("Harbour repairs approved after long fight\n\n")
    assert "We cannot wait another winter" in text
    roles = {p.text: p.role for p in article.paragraphs.all()}
    assert roles["Waves break over the old pier in Riverton on Monday. Photo: AFP"] == "caption"
    assert (
        roles["Sign up for our morning newsletter and get the news delivered to your inbox."] == "boilerplate"
    )
    assert article.quotes.filter(kind="direct").exists()


def test_spam_link_in_the_page_is_flagged():
    call_command("ingest", str(PAGES / "news_page.html"), verbosity=0)
    article = Article.objects.get()
    spam = article.annotations.filter(origin="machine", tags__slug="injected-spam")
    assert any("casino" in a.exact for a in spam), [a.exact for a in article.annotations.all()]


def test_page_without_article_text_is_refused(capsys):
    with pytest.raises(CommandError, match="1 failed"):
        call_command("ingest", str(PAGES / "empty_page.html"))
    assert "no article text found in the page" in capsys.readouterr().err
    assert Article.objects.count() == 0


def test_declared_charset_is_honoured_and_bytes_kept():
    path = PAGES / "cp1252_page.html"
    call_command("ingest", str(path), verbosity=0)
    article = Article.objects.get()
    assert article.metadata["encoding"] == "windows-1252"
    assert article.raw_text.encode("windows-1252") == path.read_bytes()
    assert "Le café du port a rouvert" in article.text
    assert article.language == "fr"


def test_reprocess_reads_the_page_again():
    call_command("ingest", str(PAGES / "news_page.html"), str(PAGES / "cp1252_page.html"), verbosity=0)
    Article.objects.update(pipeline_version="0")
    call_command("reprocess", "--all", verbosity=0)
    assert set(Article.objects.values_list("pipeline_version", flat=True)) != {"0"}


def test_figcaption_without_agency_credit_is_still_a_caption(tmp_path):
    page = tmp_path / "feature.html"
    page.write_text(
        "<!doctype html><html lang='en'><head><meta charset='utf-8'><title>Ferry returns</title></head><body>"
        "<article><h1>Ferry returns to Old Harbour</h1>"
        "<p>The ferry service returned on Monday after a winter of repairs to the landing stage.</p>"
        "<figure><img src='f.jpg'><figcaption>The first crossing of the season, seen from the pier</figcaption>"
        "</figure><p>Passengers queued from dawn, and the first boat left on time at seven.</p>"
        "</article></body></html>",
        encoding="utf-8",
    )
    call_command("ingest", str(page), verbosity=0)
    paragraph = Article.objects.get().paragraphs.get(role="caption")
    assert paragraph.text == "The first crossing of the season, seen from the pier"
    assert paragraph.rule == "html-figcaption"
