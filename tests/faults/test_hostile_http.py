"""Hostile input through the real doors: `manage.py ingest` in a child process with a memory limit, and the
API served by gunicorn on 127.0.0.1. Every request here once held a worker, answered a 500 or an HTML page,
or cost without bound; each must now get a 4xx in JSON that names what to change, and the server stays up.
(`javascript:` URLs and spoofed X-Forwarded-For are in test_security.py; killed ingests in
test_ingest_killed.py.)"""

from __future__ import annotations

import http.client
import json
import os
import resource
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests

from tests.conftest import REPO
from tests.faults.conftest import ARTICLE_CHECK, ChildDatabase, gunicorn

pytestmark = pytest.mark.slow

MEMORY_LIMIT = 2 * 1024**3
INGEST_TIMEOUT = 300
# A worker busy longer than this is killed by gunicorn, and the request fails: the tests below ask for
# answers, so a request that cannot be answered in time shows as a failure rather than a hang.
WORKER_TIMEOUT = 30
REQUEST_TIMEOUT = WORKER_TIMEOUT + 30
BODY_LIMIT = 3_000_000  # INGEST_MAX_BYTES of the server: above Django's 2.5 MB default
W3C = "http://www.w3.org/ns/anno.jsonld"


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def _ingest(db: ChildDatabase, *paths: Path, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", "ingest", *map(str, paths)],
        cwd=REPO,
        env=db.env(**env),
        capture_output=True,
        text=True,
        timeout=INGEST_TIMEOUT,
        preexec_fn=_limit_memory,
        check=False,
    )


def test_ingest_refuses_each_hostile_file_by_name_and_stores_the_rest(child_db, tmp_path):
    folder = tmp_path / "hostile"
    folder.mkdir()
    for i in range(10):
        (folder / f"good-{i:02d}.txt").write_text(f"Headline {i}\nThe council met on day {i}.\n", "utf-8")
    bad = {
        "surrogate": folder / "surrogate.json",
        "deep": folder / "deep.json",
        "zero": folder / "zero.txt",
        "fifo": folder / "fifo.txt",
    }
    bad["surrogate"].write_text('{"title": "Bad", "text": "Lone \\ud800 surrogate"}', encoding="utf-8")
    bad["deep"].write_text('{"text": "x", "title": ' + "[" * 100_000 + "]" * 100_000 + "}", encoding="utf-8")
    bad["zero"].symlink_to("/dev/zero")
    os.mkfifo(bad["fifo"])
    lines = [json.dumps({"title": f"Line {n}", "text": f"Body of line {n}."}) for n in range(1, 6)]
    lines[2] = '{"title": "Line 3", "text": "half a surrogate \\udc00"}'
    (folder / "lines.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")

    done = _ingest(child_db, folder)
    assert done.returncode == 1, (done.returncode, done.stderr[-3000:])
    assert "Traceback" not in done.stderr, done.stderr[-3000:]
    errors = [line for line in done.stderr.splitlines() if line.startswith("error: ")]
    expected = {
        f"{bad['surrogate']}:": "holds a lone surrogate",
        f"{bad['deep']}:": "nested too deeply",
        f"{bad['zero']}:": "character device",
        f"{bad['fifo']}:": "named pipe",
        f"{folder / 'lines.jsonl'}:3:": "holds a lone surrogate",
    }
    for origin, reason in expected.items():
        named = [line for line in errors if origin in line]
        assert len(named) == 1 and reason in named[0], (origin, errors)
    assert len(errors) == len(expected), errors
    assert done.stderr.strip().splitlines()[-1].endswith("14 ingested, 0 revised, 0 unchanged, 5 failed.")
    state = child_db.script(ARTICLE_CHECK)
    assert state["problems"] == [] and state["articles"] == 14


def _token(db: ChildDatabase, username: str, role: str) -> str:
    db.manage("add_user", username, "--role", role)
    return db.manage("api_token", username).stdout.strip().splitlines()[-1]


def _json(response: requests.Response) -> dict:
    assert response.headers["Content-Type"].startswith(("application/json", "application/ld+json")), (
        response.status_code,
        response.headers["Content-Type"],
        response.text[:300],
    )
    return response.json()


def _post_declaring(url: str, length: int, headers: dict[str, str]) -> tuple[int, dict]:
    """A POST that declares ``length`` bytes and sends only the first few: the answer must come from the
    declared length, before the body is read."""
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=REQUEST_TIMEOUT)
    try:
        conn.putrequest("POST", parts.path)
        for name, value in {
            **headers,
            "Content-Type": "application/json",
            "Content-Length": str(length),
        }.items():
            conn.putheader(name, value)
        conn.endheaders()
        conn.send(b'{"text": "' + b"x" * 1000)
        response = conn.getresponse()
        assert response.getheader("Content-Type", "").startswith("application/json")
        return response.status, json.loads(response.read())
    finally:
        conn.close()


def test_hostile_requests_through_gunicorn_get_a_4xx_naming_what_to_change(child_db, tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "long.txt").write_text("A long line\n" + "word " * 400_000 + "\n", encoding="utf-8")  # 2 MB
    (folder / "many.txt").write_text(
        "Many paragraphs\n" + "\n".join(f"Paragraph {i}." for i in range(20_000)) + "\n", encoding="utf-8"
    )
    done = _ingest(child_db, folder, INGEST_MAX_BYTES=str(BODY_LIMIT))
    assert done.returncode == 0, done.stderr[-3000:]
    ids = child_db.script(
        "from corpus.models import Article\nresult = {a.title: a.pk for a in Article.objects.all()}\n"
    )
    long_id, many_id = ids["A long line"], ids["Many paragraphs"]
    token = _token(child_db, "ed", "editor")
    auth = {"Authorization": f"Token {token}"}

    with gunicorn(
        child_db,
        tmp_path,
        workers=2,
        GUNICORN_TIMEOUT=str(WORKER_TIMEOUT),
        INGEST_MAX_BYTES=str(BODY_LIMIT),
        API_THROTTLE_ANON="100000/minute",
        API_THROTTLE_USER="100000/minute",
        SITE_URL="http://127.0.0.1:8000",
    ) as server:
        base = server.url
        site = "http://127.0.0.1:8000"  # SITE_URL: what W3C targets are named by

        def get(path: str, **kwargs) -> requests.Response:
            return requests.get(f"{base}{path}", timeout=REQUEST_TIMEOUT, **kwargs)

        def post(path: str, body: str | bytes, content_type: str = "application/json") -> requests.Response:
            data = body.encode("utf-8", "surrogatepass") if isinstance(body, str) else body
            return requests.post(
                f"{base}{path}",
                data=data,
                headers={**auth, "Content-Type": content_type},
                timeout=REQUEST_TIMEOUT,
            )

        # Item 14: malformed ids and filters.
        response = get("/api/articles/?id=abc")
        assert response.status_code == 400 and "id" in _json(response)
        response = get("/api/speakers/abc/quotes/")
        assert response.status_code == 404 and _json(response)
        for value in ("0", "-1", "abc", "101"):
            response = get(f"/api/paragraphs/?page_size={value}")
            assert response.status_code == 400 and "page_size" in _json(response), value

        # JSON nested a thousand deep, on every write.
        deep = "[" * 1000 + "]" * 1000
        for path, body in {
            "/api/annotations/": f'{{"article": {long_id}, "note": {deep}}}',
            "/api/claims/": f'{{"article": {long_id}, "text": {deep}}}',
            "/api/articles/": f'{{"text": "Body.", "title": {deep}}}',
            "/api/w3c/annotations/": f'{{"@context": "{W3C}", "type": "Annotation", "body": {deep}}}',
        }.items():
            response = post(path, body)
            assert response.status_code == 400, (path, response.status_code, response.text[:300])
            assert "nested too deeply" in _json(response)["detail"], path

        # A lone surrogate in a W3C bodyValue.
        target = f"{site}/api/articles/{long_id}/"
        response = post(
            "/api/w3c/annotations/",
            f'{{"@context": "{W3C}", "type": "Annotation", "bodyValue": "bad \\ud800", "target": "{target}"}}',
        )
        assert response.status_code == 400 and "bodyValue" in _json(response)["detail"], response.text[:300]

        # Text of only invisible characters.
        response = post("/api/articles/", json.dumps({"text": "\u200b\u2060\ufeff"}))
        assert response.status_code == 400 and "invisible" in json.dumps(_json(response))

        # Bodies: above Django's 2.5 MB default and within the limit is served; over the limit, a JSON 413.
        big = json.dumps({"title": "Big post", "text": "words " * 450_000})  # 2.7 MB
        response = post("/api/articles/", big)
        assert response.status_code == 201, (response.status_code, response.text[:300])
        for path in ("/api/articles/", "/api/annotations/"):
            status, body = _post_declaring(f"{base}{path}", BODY_LIMIT + 1, auth)
            assert status == 413 and f"{BODY_LIMIT} bytes" in body["detail"], (path, status, body)

        # Item 13: a W3C quote selector on a 2-million-character article.
        selector = {"type": "TextQuoteSelector", "exact": " "}
        document = {
            "@context": W3C,
            "type": "Annotation",
            "bodyValue": "a space",
            "target": {"type": "SpecificResource", "source": target, "selector": selector},
        }
        response = post("/api/w3c/annotations/", json.dumps(document))
        assert response.status_code == 400, (response.status_code, response.text[:300])
        (message,) = _json(response)["target.selector"]
        assert "more than 1000 places" in message and "prefix" in message
        selector.update(exact="word", prefix="A long line\n\n", suffix=" word")
        response = post("/api/w3c/annotations/", json.dumps(document))
        assert response.status_code == 201, (response.status_code, response.text[:300])

        # An article of 20,000 paragraphs costs anonymous readers 500 of them a request.
        response = get(f"/api/articles/{many_id}/")
        detail = _json(response)
        assert response.status_code == 200 and detail["paragraph_count"] == 20_001
        assert len(detail["paragraphs"]) == 500 and set(detail["more"]) == {"paragraphs"}
        assert urlsplit(detail["more"]["paragraphs"]).query == f"article={many_id}"
        listed = _json(get("/api/articles/?expand=paragraphs&page_size=100"))
        assert all(len(item["paragraphs"]) <= 500 for item in listed["results"])

        assert get("/healthz").status_code == 200 and server.alive()
        assert " 500 " not in server.logs() and "Traceback" not in server.logs(), server.logs()[-3000:]
