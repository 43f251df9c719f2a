"""A Python client generated from the live schema, as a program's developer would make one
(`openapi-python-client`), used against gunicorn: lists with filters and id lists, search, expand, an
annotation created and then changed only in its note, a stale ETag refused, a claim fact-checked with
evidence, submitted and published by a second person, and an export."""

from __future__ import annotations

import importlib
import json
import subprocess
import sys

import pytest
import requests

from tests.faults.conftest import gunicorn

pytestmark = pytest.mark.slow

SETUP = r"""
from rest_framework.authtoken.models import Token
from tests.api.conftest import make_user
from tests.factories import ArticleFactory, TagFactory

TagFactory(slug="budget")
editor = make_user("editor", "ana")
checker = make_user("factchecker", "ben")
articles = [ArticleFactory() for _ in range(3)]
result = {
    "editor": Token.objects.create(user=editor).key,
    "checker": Token.objects.create(user=checker).key,
    "articles": [a.pk for a in articles],
    "text": articles[0].text,
}
"""

# What the generator cannot type on its own: the raw HTML body of an ingest and the zip of a job.
CONFIG = """\
package_name_override: newsdesk_client
post_hooks: []
content_type_overrides:
  text/html: application/octet-stream
  application/zip: application/octet-stream
"""


def _generate(schema: bytes, folder) -> None:
    (folder / "schema.json").write_bytes(schema)
    (folder / "config.yaml").write_text(CONFIG, encoding="utf-8")
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "openapi_python_client",
            "generate",
            "--path",
            str(folder / "schema.json"),
            "--meta",
            "none",
            "--output-path",
            str(folder / "newsdesk_client"),
            "--config",
            str(folder / "config.yaml"),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-4000:]


def _import_every_module(folder) -> None:
    sys.path.insert(0, str(folder))
    for path in sorted((folder / "newsdesk_client").rglob("*.py")):
        module = ".".join(path.relative_to(folder).with_suffix("").parts).removesuffix(".__init__")
        importlib.import_module(module)


def test_a_generated_client_runs_the_whole_scenario(child_db, tmp_path):
    pytest.importorskip("openapi_python_client", reason="the dev extra installs openapi-python-client")
    world = child_db.script(SETUP)
    first, second, third = world["articles"]
    # No SITE_URL (the test settings set one for the suite's own process): ids name the server asked.
    with gunicorn(child_db, tmp_path, workers=2, SITE_URL="") as server:
        schema = requests.get(f"{server.url}/api/schema/?format=json", timeout=60)
        assert schema.status_code == 200
        _generate(schema.content, tmp_path)
        try:
            _import_every_module(tmp_path)
            _scenario(server.url, world, first, second, third)
        finally:
            sys.path.remove(str(tmp_path))
            for name in [m for m in sys.modules if m.split(".")[0] == "newsdesk_client"]:
                del sys.modules[name]
        assert "Traceback" not in server.logs()


def _scenario(url: str, world: dict, first: int, second: int, third: int) -> None:
    from newsdesk_client import AuthenticatedClient, Client
    from newsdesk_client.api.annotations import (
        annotations_create,
        annotations_list,
        annotations_partial_update,
    )
    from newsdesk_client.api.articles import articles_list
    from newsdesk_client.api.claims import claims_create
    from newsdesk_client.api.default import api_root
    from newsdesk_client.api.exports import exports_stream
    from newsdesk_client.api.fact_checks import (
        fact_checks_create,
        fact_checks_publish_create,
        fact_checks_submit_create,
    )
    from newsdesk_client.models import (
        AnnotationStatusEnum,
        AnnotationWriteRequest,
        ClaimWriteRequest,
        EvidenceRequest,
        ExportsStreamFmt,
        FactCheckStatusEnum,
        FactCheckWriteRequest,
        PatchedAnnotationWriteRequest,
        VerdictEnum,
    )
    from newsdesk_client.types import UNSET

    editor = AuthenticatedClient(base_url=url, token=world["editor"], prefix="Token", timeout=60)
    checker = AuthenticatedClient(base_url=url, token=world["checker"], prefix="Token", timeout=60)
    anonymous = Client(base_url=url, timeout=60)

    index = api_root.sync_detailed(client=anonymous)
    assert index.status_code == 200 and json.loads(index.content)["articles"] == f"{url}/api/articles/"

    # Lists: an id list as the client sends it (id=1&id=3), with another filter.
    page = articles_list.sync(client=anonymous, id=[first, third], language="en")
    assert sorted(a.id for a in page.results) == [first, third]
    assert articles_list.sync(client=anonymous, id=[first], language="fr").count == 0
    # Search: each hit with its snippet (on SQLite the fallback cuts it; PostgreSQL builds it).
    found = articles_list.sync(client=anonymous, q="council", page_size=50)
    assert {first, second, third} <= {a.id for a in found.results}
    assert all("<mark>" in a.snippet.lower() or "council" in a.snippet.lower() for a in found.results)
    # Expand: the nested lists asked for arrive typed; those not asked for are left out.
    (expanded,) = articles_list.sync(client=anonymous, id=[first], expand="paragraphs,quotes").results
    assert expanded.paragraphs and expanded.paragraphs[0].position == 0
    assert expanded.annotations is UNSET

    # An annotation, then a change of its note only: its status and target stay.
    text = world["text"]
    start = text.index("The city council")
    created = annotations_create.sync_detailed(
        client=editor,
        body=AnnotationWriteRequest(
            article=first,
            start=start,
            end=start + len("The city council"),
            tags=["budget"],
            note="first note",
            status=AnnotationStatusEnum.PUBLISHED,
        ),
    )
    assert created.status_code == 201, created.content
    annotation = created.parsed
    first_etag = created.headers["ETag"]
    assert created.headers["Location"].endswith(f"/api/annotations/{annotation.id}/")
    changed = annotations_partial_update.sync_detailed(
        annotation.id,
        client=editor,
        body=PatchedAnnotationWriteRequest(note="second note"),
        if_match=first_etag,
    )
    assert changed.status_code == 200, changed.content
    assert changed.parsed.note == "second note"
    assert changed.parsed.status == AnnotationStatusEnum.PUBLISHED and changed.parsed.target.value == "span"
    assert changed.headers["ETag"] != first_etag
    stale = annotations_partial_update.sync_detailed(
        annotation.id, client=editor, body=PatchedAnnotationWriteRequest(note="lost"), if_match=first_etag
    )
    assert stale.status_code == 412
    # No SITE_URL is set: the W3C id names the server the client asked.
    document = requests.get(f"{url}/api/w3c/annotations/{annotation.id}/", timeout=60).json()
    assert document["id"] == f"{url}/api/w3c/annotations/{annotation.id}/"
    seen = annotations_list.sync(client=anonymous, article=first)
    assert [(a.id, a.note) for a in seen.results] == [(annotation.id, "second note")]

    # A claim, fact-checked with evidence, submitted, then published by a second person.
    claim = claims_create.sync_detailed(
        client=editor, body=ClaimWriteRequest(article=first, text="The council approved the budget.")
    )
    assert claim.status_code == 201, claim.content
    fact_check = fact_checks_create.sync_detailed(
        client=editor,
        body=FactCheckWriteRequest(
            claim=claim.parsed.id,
            verdict=VerdictEnum.MOSTLY_TRUE,
            rationale="The minutes say so.",
            evidence=[
                EvidenceRequest(url="https://example.org/minutes", title="Minutes", accessed="2024-05-01")
            ],
        ),
    )
    assert fact_check.status_code == 201, fact_check.content
    assert fact_check.parsed.evidence[0]["url"] == "https://example.org/minutes"
    submitted = fact_checks_submit_create.sync_detailed(
        fact_check.parsed.id, client=editor, if_match=fact_check.headers["ETag"]
    )
    assert submitted.status_code == 200 and submitted.parsed.status == FactCheckStatusEnum.IN_REVIEW
    own = fact_checks_publish_create.sync_detailed(
        fact_check.parsed.id, client=editor, if_match=submitted.headers["ETag"]
    )
    assert own.status_code == 403
    published = fact_checks_publish_create.sync_detailed(
        fact_check.parsed.id, client=checker, if_match=submitted.headers["ETag"]
    )
    assert published.status_code == 200, published.content
    assert published.parsed.status == FactCheckStatusEnum.PUBLISHED and published.parsed.reviewer == "ben"

    # The export, as anyone may read it: the annotation and the published fact-check are in it.
    export = exports_stream.sync_detailed(ExportsStreamFmt.JSONL, client=anonymous, article=str(first))
    assert export.status_code == 200
    (record,) = [json.loads(line) for line in export.content.decode("utf-8").splitlines()]
    assert [a["note"] for a in record["annotations"]] == ["second note"]
    assert record["claims"][0]["fact_check"]["status"] == "published"
    assert record["claims"][0]["fact_check"]["evidence"][0]["url"] == "https://example.org/minutes"
