"""The ingest command and service: seeds, idempotence, bad files, metadata, atomicity."""

from __future__ import annotations

import json
import os
import threading
import unicodedata
from pathlib import Path

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


def test_bad_jsonl_line_loses_only_that_line(tmp_path, capsys):
    path = tmp_path / "batch.jsonl"
    lines = [
        json.dumps({"title": "First", "text": "fine"}),
        "{not json",
        json.dumps({"title": "Third", "text": "also fine"}),
        '{"title": "Lone", "text": "a \\ud800 surrogate"}',
        json.dumps({"title": "Fifth", "text": "fine again"}),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(CommandError, match="3 ingested, 0 revised, 0 unchanged, 2 failed"):
        call_command("ingest", str(path), verbosity=0)
    errors = [line for line in capsys.readouterr().err.splitlines() if line.startswith("error: ")]
    assert len(errors) == 2, errors
    assert f"{path}:2: invalid JSON" in errors[0]
    assert f"{path}:4: field 'text' holds a lone surrogate" in errors[1]
    assert sorted(Article.objects.values_list("title", flat=True)) == ["Fifth", "First", "Third"]
    assert Article.objects.get(title="Third").raw_text == lines[2]


def _good_folder(folder, count=10):
    folder.mkdir(exist_ok=True)
    for i in range(count):
        (folder / f"good-{i:02d}.txt").write_text(
            f"Headline number {i}\nThe council met on day {i}.\n", encoding="utf-8"
        )


def _one_error_naming(err: str, path) -> str:
    assert "Traceback" not in err, err
    errors = [line for line in err.splitlines() if line.startswith("error: ")]
    assert len(errors) == 1 and f"{path}:" in errors[0], errors
    return errors[0]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        # A lone surrogate is valid JSON but not Unicode text: no database or file can store it.
        ('{"title": "Bad", "text": "Lone \\ud800 surrogate"}', "field 'text' holds a lone surrogate"),
        ('{"title": "Bad \\udfff", "text": "Body."}', "field 'title' holds a lone surrogate"),
        ('{"text": "Body.", "url": "https://example.org/\\ud800"}', "field 'url' holds a lone surrogate"),
        ('{"text": "Body.", "\\ud800": 1}', "a field name holds a lone surrogate"),
        ('{"text": "Body.", "source": ' + "[" * 100_000 + "]" * 100_000 + "}", "nested too deeply"),
        ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
        ('{"text": "Body.", "published_at": ' + "[" * 900 + "]" * 900 + "}", "published_at"),
        ('{"text": "Body.", "title": 1' + "0" * 5000 + "}", "invalid JSON"),
    ],
    ids=[
        "surrogate-text",
        "surrogate-title",
        "surrogate-url",
        "surrogate-key",
        "deep-field",
        "deep",
        "deep-date",
        "huge-int",
    ],
)
def test_hostile_json_is_refused_by_name_and_ten_good_files_ingest(tmp_path, capsys, content, message):
    _good_folder(tmp_path / "folder")
    bad = tmp_path / "folder" / "bad.json"
    bad.write_text(content, encoding="utf-8")
    with pytest.raises(CommandError, match="10 ingested, 0 revised, 0 unchanged, 1 failed"):
        call_command("ingest", str(tmp_path / "folder"), verbosity=0)
    assert message in _one_error_naming(capsys.readouterr().err, bad)
    assert Article.objects.count() == 10


def test_lone_surrogate_in_a_meta_json_is_refused_by_name(tmp_path, capsys):
    _good_folder(tmp_path)
    (tmp_path / "story.txt").write_text("Headline\nBody text here.\n", encoding="utf-8")
    meta = tmp_path / "story.meta.json"
    meta.write_text('{"source": "Wire \\ud800"}', encoding="utf-8")
    with pytest.raises(CommandError, match="10 ingested, 0 revised, 0 unchanged, 1 failed"):
        call_command("ingest", str(tmp_path), verbosity=0)
    assert "field 'source' holds a lone surrogate" in _one_error_naming(capsys.readouterr().err, meta)


def test_symlink_to_a_device_is_refused_without_reading_it(tmp_path, capsys):
    zero = Path("/dev/zero")
    if not zero.exists():
        pytest.skip("needs /dev/zero")
    _good_folder(tmp_path)
    link = tmp_path / "endless.txt"
    link.symlink_to(zero)
    # Named on the command line and found in a folder alike.
    for paths in ([str(link), *map(str, sorted(tmp_path.glob("good-*.txt")))], [str(tmp_path)]):
        with pytest.raises(CommandError, match=r"ingested, 0 revised, .* unchanged, 1 failed"):
            call_command("ingest", *paths, verbosity=0)
        line = _one_error_naming(capsys.readouterr().err, link)
        assert "not a regular file" in line and "character device" in line
    assert Article.objects.count() == 10


def test_fifo_is_refused_without_waiting_for_a_writer(tmp_path, capsys):
    _good_folder(tmp_path)
    fifo = tmp_path / "pipe.jsonl"
    os.mkfifo(fifo)
    # Should the command wait for a writer, this thread ends the wait (with an empty file) after a few
    # seconds, so that the test fails instead of hanging.
    done = threading.Event()

    def unblock():
        while not done.wait(3):
            try:
                os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
            except OSError:
                continue  # no reader yet

    watchdog = threading.Thread(target=unblock, daemon=True)
    watchdog.start()
    try:
        for paths in ([str(fifo)], [str(tmp_path)]):
            with pytest.raises(CommandError, match="1 failed"):
                call_command("ingest", *paths, verbosity=0)
            line = _one_error_naming(capsys.readouterr().err, fifo)
            assert "not a regular file" in line and "named pipe" in line
    finally:
        done.set()
        watchdog.join()
    assert Article.objects.count() == 10


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


def test_the_progress_bar_counts_articles_not_files(tmp_path):
    """Its total: the non-blank lines of a .jsonl file, one article for any other file; a pipe is not
    opened (it would block), a file over the size limit not read."""
    import os

    from corpus.management.commands.ingest import expected_articles

    lines = tmp_path / "many.jsonl"
    lines.write_text(
        "".join(f'{{"text": "Article {n}."}}\n' + ("\n" if n % 5 == 0 else "") for n in range(25))
    )
    single = tmp_path / "one.txt"
    single.write_text("A headline\n\nA paragraph.\n")
    pipe = tmp_path / "pipe.jsonl"
    os.mkfifo(pipe)
    assert expected_articles(lines, max_bytes=10_000) == 25
    assert expected_articles(single, max_bytes=10_000) == 1
    assert expected_articles(pipe, max_bytes=10_000) == 1
    assert expected_articles(lines, max_bytes=10) == 1
    assert expected_articles(tmp_path / "missing.jsonl", max_bytes=10_000) == 1
