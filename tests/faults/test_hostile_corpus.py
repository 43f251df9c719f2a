"""A hostile corpus in one `ingest` call, in a child process with a memory limit and a timeout: each file is
ingested correctly or refused with a message naming it; the good file beside them still goes in; the
server stays up; and the admin stays usable for the article of 100,000 paragraphs."""

from __future__ import annotations

import json
import re
import resource
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
import requests

from tests.conftest import REPO
from tests.faults.conftest import ARTICLE_CHECK, ChildDatabase, gunicorn

pytestmark = pytest.mark.slow

MEMORY_LIMIT = 2 * 1024**3  # bytes of address space for the ingest process
INGEST_TIMEOUT = 300
ADMIN_TIMEOUT = 120
ADMIN_PAGE_TIMEOUT = 20  # what an editor waits for a page, at most
PARAGRAPHS = 100_000
PASSWORD = "a-long-admin-password-for-faults"

RTL = "\u0627\u0644\u0633\u0644\u0627\u0645 \u0639\u0644\u064a\u0643\u0645"  # Arabic, right to left
HEBREW_QUOTE = '"\u05e9\u05dc\u05d5\u05dd \u05dc\u05db\u05d5\u05dc\u05dd," said Dana Levi.'
FAMILY = "\U0001f469\u200d\U0001f469\u200d\U0001f467"  # ZWJ sequence: the joiners must stay
COMBINING = "Cafe\u0301 re\u0301sume\u0301"  # NFC makes these precomposed
ASTRAL = "\U0001d518\U0001d52b\U0001d526 \U0001f389"


def _write_corpus(folder: Path) -> dict[str, Path]:
    folder.mkdir()
    files = {
        "nul": folder / "nul-bytes.txt",
        "nul_escape": folder / "nul-escape.jsonl",
        "invalid_utf8": folder / "invalid-utf8.txt",
        "huge_line": folder / "huge-line.txt",
        "big_allowed": folder / "big-allowed.txt",
        "many": folder / "many-paragraphs.txt",
        "unicode": folder / "unicode.txt",
        "script_txt": folder / "script.txt",
        "script_html": folder / "script.html",
        "good": folder / "good.txt",
    }
    files["nul"].write_bytes(b"Headline\nA body with a \x00 NUL byte in it.\n")
    files["nul_escape"].write_text(
        json.dumps({"title": "NUL\u0000 headline", "text": "Escaped \u0000 NUL.\n\nSecond paragraph."})
        + "\n",
        encoding="utf-8",
    )
    files["invalid_utf8"].write_bytes(b"Headline\nLatin-1 caf\xe9 is not UTF-8.\n")
    with files["huge_line"].open("wb") as out:  # 50 MB on one line
        out.write(b"Huge headline\n")
        chunk = b"word " * 200_000
        for _ in range(50):
            out.write(chunk)
        out.write(b"\n")
    files["big_allowed"].write_text(
        "Big but allowed\n" + "text " * (3 * 1024 * 1024) + "\n", encoding="utf-8"
    )  # 15 MB on one line: under INGEST_MAX_BYTES
    _write_many_paragraphs(files["many"])
    files["unicode"].write_text(
        "\n".join(
            [
                f"Unicode headline {ASTRAL}",
                RTL,
                HEBREW_QUOTE,
                f"The family {FAMILY} arrived at the {COMBINING} on Tuesday.",
                f'Emoji first {ASTRAL}. "We will win \U0001f3c6 again," said Ana Lima.',
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    files["script_txt"].write_text(
        'Script headline\nA reader wrote <script>alert("txt-marker")</script> in a comment.\n',
        encoding="utf-8",
    )
    files["script_html"].write_text(
        "<!doctype html><html><head><title>Scripted page headline</title>"
        '<script>alert("head-marker")</script></head><body><article><h1>Scripted page headline</h1>'
        "<p>The harbour repairs will cost more than planned, the council said on Tuesday, after a long "
        "meeting that ran well into the evening and left many questions open.</p>"
        '<script>document.write("body-marker")</script>'
        "<p>Opponents said the plan was rushed and that residents had never been asked what they "
        "wanted for the pier, which has been closed since the storm last winter.</p>"
        "</article></body></html>",
        encoding="utf-8",
    )
    files["good"].write_text(
        'Good headline\nThe council met on Tuesday.\n"We are ready," said Helena Vasquez.\n', encoding="utf-8"
    )
    return files


def _write_many_paragraphs(path: Path) -> None:
    path.write_text(
        "A hundred thousand paragraphs\n" + "\n".join(f"P{i}." for i in range(PARAGRAPHS)) + "\n",
        encoding="utf-8",
    )


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def _ingest(db: ChildDatabase, folder: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", "ingest", str(folder)],
        cwd=REPO,
        env=db.env(),
        capture_output=True,
        text=True,
        timeout=INGEST_TIMEOUT,
        preexec_fn=_limit_memory,
        check=False,
    )


STORED = r"""
from corpus.models import Article

result = {}
for article in Article.objects.order_by("id"):
    result[article.title] = {
        "id": article.pk,
        "text": article.text if len(article.text) < 10_000 else None,
        "length": len(article.text),
        "paragraphs": article.paragraphs.count(),
        "quotes": [q.exact for q in article.quotes.order_by("start")],
    }
"""


def test_hostile_files_are_ingested_or_refused_by_name_and_nothing_else_suffers(child_db, tmp_path):
    files = _write_corpus(tmp_path / "hostile")
    done = _ingest(child_db, tmp_path / "hostile")
    assert done.returncode == 1, (done.returncode, done.stderr[-3000:])  # some files failed, not a crash
    errors = [line for line in done.stderr.splitlines() if line.startswith("error: ")]
    assert "Traceback" not in done.stderr, done.stderr[-3000:]
    refused = {
        "nul": "holds NUL bytes",
        "invalid_utf8": "not valid UTF-8 (byte",
        "huge_line": "over the 20971520-byte limit (INGEST_MAX_BYTES)",
    }
    for key, reason in refused.items():
        named = [line for line in errors if f"{files[key]}:" in line]
        assert len(named) == 1 and reason in named[0], (key, errors)
    assert len(errors) == len(refused), errors
    # The summary is the CommandError of a run with failures: on stderr, as one line.
    assert "7 ingested, 0 revised, 0 unchanged, 3 failed." in done.stderr.strip().splitlines()[-1]

    checked = child_db.script(ARTICLE_CHECK)
    assert checked["problems"] == [], checked["problems"]
    stored = child_db.script(STORED)

    assert "Good headline" in stored and stored["Good headline"]["quotes"] == ["We are ready,"]
    # NUL escaped in JSON is a control character: removed from the text, kept in the raw line.
    nul = stored["NUL headline"]
    assert "\x00" not in nul["text"] and nul["text"].startswith("NUL headline\n\nEscaped NUL.")
    assert stored["Big but allowed"]["paragraphs"] == 2  # the title and the one line
    assert stored["A hundred thousand paragraphs"]["paragraphs"] == PARAGRAPHS + 1

    unicode = stored[f"Unicode headline {ASTRAL}"]["text"]
    assert unicode == unicodedata.normalize("NFC", unicode)
    assert RTL in unicode and FAMILY in unicode and unicodedata.normalize("NFC", COMBINING) in unicode
    assert stored[f"Unicode headline {ASTRAL}"]["quotes"] == [
        "\u05e9\u05dc\u05d5\u05dd \u05dc\u05db\u05d5\u05dc\u05dd,",
        "We will win \U0001f3c6 again,",
    ]
    # Text is kept as written (never rewritten), the page's scripts are not article text.
    assert '<script>alert("txt-marker")</script>' in stored["Script headline"]["text"]
    html = stored["Scripted page headline"]["text"]
    assert "head-marker" not in html and "body-marker" not in html and "harbour repairs" in html

    # The same call again: everything already in is unchanged, the refused files are refused again.
    again = _ingest(child_db, tmp_path / "hostile")
    assert "0 ingested, 0 revised, 7 unchanged, 3 failed." in again.stderr.strip().splitlines()[-1]

    child_db.script(
        "from django.contrib.auth import get_user_model\n"
        f"get_user_model().objects.create_superuser('boss', 'boss@example.org', {PASSWORD!r})"
    )
    many = stored["A hundred thousand paragraphs"]["id"]
    script_article = stored["Script headline"]["id"]
    with gunicorn(child_db, tmp_path, workers=2) as server:
        assert requests.get(f"{server.url}/healthz", timeout=30).status_code == 200
        session = _admin_session(server.url)
        # The admin escapes what articles say.
        page = session.get(
            f"{server.url}/admin/corpus/article/{script_article}/change/", timeout=ADMIN_TIMEOUT
        )
        assert page.status_code == 200
        assert "txt-marker" in page.text and '<script>alert("txt-marker")' not in page.text
        for path in (
            f"/admin/corpus/paragraph/?article__id__exact={many}",
            f"/admin/corpus/quote/?article__id__exact={many}",
            f"/admin/corpus/article/{stored['Big but allowed']['id']}/change/",
        ):
            response = session.get(f"{server.url}{path}", timeout=ADMIN_TIMEOUT)
            assert response.status_code == 200, (path, response.status_code)
            assert "?e=1" not in response.url, path  # the filter was accepted, not dropped
        assert requests.get(f"{server.url}/healthz", timeout=30).status_code == 200
        assert server.alive()


def _admin_session(base: str) -> requests.Session:
    session = requests.Session()
    session.get(f"{base}/admin/login/", timeout=30)
    response = session.post(
        f"{base}/admin/login/?next=/admin/",
        data={
            "username": "boss",
            "password": PASSWORD,
            "csrfmiddlewaretoken": session.cookies["csrftoken"],
            "next": "/admin/",
        },
        timeout=30,
    )
    assert response.status_code == 200 and re.search(r"/admin/?$", response.url), response.url
    return session


def test_admin_change_page_of_an_article_with_100000_paragraphs_answers(child_db, tmp_path):
    folder = tmp_path / "many"
    folder.mkdir()
    _write_many_paragraphs(folder / "many-paragraphs.txt")
    done = _ingest(child_db, folder)
    assert done.returncode == 0, done.stderr[-3000:]
    child_db.script(
        "from django.contrib.auth import get_user_model\n"
        f"get_user_model().objects.create_superuser('boss', 'boss@example.org', {PASSWORD!r})"
    )
    many = child_db.scalar("SELECT max(id) FROM corpus_article")
    with gunicorn(child_db, tmp_path, workers=2, GUNICORN_TIMEOUT=str(ADMIN_PAGE_TIMEOUT + 15)) as server:
        session = _admin_session(server.url)
        page = session.get(f"{server.url}/admin/corpus/article/{many}/change/", timeout=ADMIN_PAGE_TIMEOUT)
        assert page.status_code == 200
        assert requests.get(f"{server.url}/healthz", timeout=30).status_code == 200
