"""The ingest command and service: seeds, idempotence, bad files, metadata, atomicity."""

from __future__ import annotations

import json
import unicodedata

import pytest
from django.core.management import CommandError, call_command

from corpus.models import Article, Paragraph, Quote, Source
from tests.conftest import SEEDS

pytestmark = pytest.mark.django_db


def _table_counts() -> tuple[int, int, int, int]:
    return (Article.objects.count(), Paragraph.objects.count(), Quote.objects.count(), Source.objects.count())


def assert_spans_consistent(article: Article) -> None:
    """Every paragraph, quote and annotation points at exactly its own text."""
    text = article.text
    for paragraph in article.paragraphs.all():
        assert 0 <= paragraph.start < paragraph.end <= len(text)
        assert "\n" not in text[paragraph.start : paragraph.end]
    for quote in article.quotes.all():
        assert 0 <= quote.start < quote.end <= len(text)
        paragraph = quote.paragraph
        assert paragraph.start <= quote.start and quote.end <= paragraph.end, quote
    for annotation in article.annotations.filter(target="span"):
        assert text[annotation.start : annotation.end] == annotation.exact


def test_seeds_give_two_articles_with_their_real_headlines(seeded):
    assert len(seeded) == 2
    first, second = seeded
    assert first.title.startswith("President Xi Jinping urges China's diplomats to 'defy strong powers'")
    assert second.title == "Xi wants isolated China to 'make friends'"
    for article in seeded:
        assert article.paragraphs.filter(role="title").count() == 1
        assert article.paragraphs.get(role="title").text == article.title
        assert_spans_consistent(article)


def test_seed_raw_text_is_byte_exact_and_hashed(seeded):
    import hashlib

    for article, path in zip(seeded, sorted(SEEDS.glob("*.txt")), strict=True):
        raw = path.read_bytes()
        assert article.raw_text.encode("utf-8") == raw
        assert article.content_hash == hashlib.sha256(raw).hexdigest()


def test_text_is_paragraphs_joined_by_blank_lines(seeded):
    for article in seeded:
        paragraphs = list(article.paragraphs.order_by("position"))
        assert article.text == "\n\n".join(p.text for p in paragraphs)
        assert paragraphs[0].start == 0 and paragraphs[-1].end == len(article.text)


def test_spam_token_is_kept_in_the_text(seeded):
    assert "remarks at 토토사이트 study session" in seeded[1].text


def test_normalization_rule(tmp_path):
    # emoji with ZWJ sequences, Hangul, a ZWSP, a BOM, a soft hyphen, a control character, tabs and
    # decomposed accents, with CRLF line ends and a line of only invisibles.
    family = "\U0001f468\u200d\U0001f469\u200d\U0001f467"
    raw = (
        "\ufeffHeadline\twith   tabs\r\n"
        "\u200b\u2060\r\n"
        f"Cafe\u0301 fam {family} zw\u200bsp soft\u00adhyphen bell\x07 nj\u200c 한국어\x1f end  \r\n"
    )
    path = tmp_path / "norm.txt"
    path.write_bytes(raw.encode("utf-8"))
    call_command("ingest", str(path), verbosity=0)
    article = Article.objects.get()
    assert article.text == (
        "Headline with tabs\n\n"
        f"{unicodedata.normalize('NFC', 'Cafe' + chr(0x301))} fam {family} zwsp softhyphen bell nj\u200c 한국어 end"
    )
    assert article.raw_text == raw
    assert article.paragraphs.count() == 2
    assert_spans_consistent(article)


def test_reingest_is_a_noop(seeded, capsys):
    before = _table_counts()
    call_command("ingest", str(SEEDS))
    assert _table_counts() == before
    out = capsys.readouterr().out
    assert "unchanged" in out and "0 ingested, 0 revised, 2 unchanged, 0 failed" in out


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "NUL bytes"),
        ("latin1.txt", "Caf\u00e9 au lait\n".encode("latin-1"), "not valid UTF-8"),
        ("empty.txt", b"", "empty"),
        ("blank.txt", b"  \n\n\t\n", "empty"),
        ("list.json", b"[1, 2]", "expected a JSON object"),
        ("broken.json", b'{"title": "x", ', "invalid JSON"),
        ("extra.json", b'{"text": "Body", "author": "me"}', "unknown field(s) author"),
        ("notext.json", b'{"title": "Only a title"}', "'text' is missing"),
        ("date.json", b'{"text": "Body", "published_at": "yesterday"}', "published_at"),
        ("notes.md", b"# Notes\n", "unsupported file type .md"),
    ],
)
def test_bad_file_is_refused_and_good_file_still_ingests(tmp_path, capsys, name, content, message):
    bad = tmp_path / name
    bad.write_bytes(content)
    good = tmp_path / "good.txt"
    good.write_text("A good headline\nA good first paragraph.\n", encoding="utf-8")
    with pytest.raises(CommandError, match="1 ingested, 0 revised, 0 unchanged, 1 failed"):
        call_command("ingest", str(bad), str(good))
    err = capsys.readouterr().err
    assert name in err and message in err
    assert Article.objects.count() == 1
    assert Article.objects.get().title == "A good headline"


def test_oversized_file_is_refused(tmp_path, settings, capsys):
    settings.INGEST_MAX_BYTES = 100
    big = tmp_path / "big.txt"
    big.write_text("x" * 101, encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("ingest", str(big))
    assert "over the 100-byte limit" in capsys.readouterr().err
    assert Article.objects.count() == 0


def test_meta_json_beside_txt(tmp_path):
    (tmp_path / "story.txt").write_text("Headline\nBody text here.\n", encoding="utf-8")
    (tmp_path / "story.meta.json").write_text(
        json.dumps(
            {
                "url": "https://news.example.org/story",
                "source": "Example News",
                "published_at": "2021-06-02T08:00:00+08:00",
                "language": "en-GB",
                "external_id": "story-1",
            }
        ),
        encoding="utf-8",
    )
    call_command("ingest", str(tmp_path), verbosity=0)
    article = Article.objects.get()
    assert article.url == "https://news.example.org/story"
    assert article.source.name == "Example News"
    assert article.external_id == "story-1"
    assert article.language == "en-GB"
    assert article.published_at.isoformat() == "2021-06-02T00:00:00+00:00"


def test_json_and_jsonl_with_source_and_language_options(tmp_path):
    (tmp_path / "one.json").write_text(
        json.dumps({"title": "One", "text": "First body.\n\nSecond paragraph.", "external_id": "a1"}),
        encoding="utf-8",
    )
    lines = [
        json.dumps({"title": "Two", "text": "Body two.", "url": "https://example.org/2", "language": "fr"}),
        "",
        json.dumps({"title": "Three", "text": "Body three.", "url": "https://example.org/3"}),
    ]
    (tmp_path / "many.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    call_command("ingest", str(tmp_path), "--source", "Wire", "--language", "de", verbosity=0)
    articles = {a.title: a for a in Article.objects.all()}
    assert set(articles) == {"One", "Two", "Three"}
    assert articles["One"].text == "One\n\nFirst body.\n\nSecond paragraph."
    assert articles["One"].source.name == "Wire" and articles["One"].external_id == "a1"
    assert articles["Two"].language == "fr" and articles["Three"].language == "de"
    assert articles["Two"].raw_text == lines[0]


def test_bad_jsonl_line_writes_nothing_from_that_file(tmp_path, capsys):
    path = tmp_path / "batch.jsonl"
    path.write_text(json.dumps({"text": "fine"}) + "\n{not json\n", encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("ingest", str(path))
    assert f"{path}:2: invalid JSON" in capsys.readouterr().err
    assert Article.objects.count() == 0


def test_same_identity_with_different_bytes_is_a_new_revision(tmp_path, capsys):
    first = tmp_path / "a.json"
    first.write_text(json.dumps({"text": "Version one.", "url": "https://example.org/x"}), encoding="utf-8")
    call_command("ingest", str(first), verbosity=0)
    first.write_text(json.dumps({"text": "Version two.", "url": "https://example.org/x"}), encoding="utf-8")
    call_command("ingest", str(first))
    assert "1 revised" in capsys.readouterr().out
    article = Article.objects.get()
    assert (article.text, article.revision) == ("Version two.", 2)
    assert [r.text for r in article.revisions.all()] == ["Version one."]


def test_missing_file_and_empty_folder_are_errors(tmp_path, capsys):
    with pytest.raises(CommandError, match="1 failed"):
        call_command("ingest", str(tmp_path / "nowhere.txt"))
    assert "nowhere.txt: no such file" in capsys.readouterr().err
    with pytest.raises(CommandError, match=r"No \.txt, \.json, \.jsonl or \.html files"):
        call_command("ingest", str(tmp_path))
