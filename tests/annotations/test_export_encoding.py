"""The export encoder (orjson) writes the bytes the standard library's json would, record for record.

The corpus is the benchmark generator's, plus an article and notes full of what an encoder may treat
differently: non-ASCII letters, emoji with joiners and skin tones, characters outside the BMP, control
characters, quotes, backslashes, U+2028 / U+2029, ``</script>`` and DEL.
"""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command

from annotations import services
from annotations.exports import records
from annotations.exports.dataset import iter_article_lines
from annotations.exports.selection import ExportOptions, Selection
from bench.generate import articles
from corpus.models import Article
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

TRICKY = (
    "Ça «marche» — naïve façade, Zürich, Łódź, 東京, 서울 토토사이트, Ελλάδα, עברית, العربية; "
    "emoji 👩🏽‍🔬 👨‍👩‍👧 🏳️‍🌈 🇺🇦 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 𐍈; "
    'quotes "double" \\back\\slash/ </script> \u2028 \u2029 \x7f \u00a0 \ufffd'
)
# Every control character PostgreSQL can store (not NUL) and DEL.
CONTROL = "".join(chr(c) for c in range(1, 32)) + "\x7f"


def _corpus(tmp_path) -> None:
    path = tmp_path / "corpus.jsonl"
    with path.open("w", encoding="utf-8") as stream:
        for record in articles(40, seed=7):
            stream.write(json.dumps(record, ensure_ascii=False) + "\n")
        tricky = {
            "title": "Ünïcødé 👩🏽‍🔬 headline",
            "text": f'"{TRICKY}," said Dr Zoë Ångström.\n\nAnother paragraph with 𝔘𝔫𝔦 and 😀.',
            "url": "https://bench.example.org/tricky-ü",
            "source": "Gazette ✓",
            "language": "en",
        }
        stream.write(json.dumps(tricky) + "\n")
    call_command("ingest", str(path), verbosity=0)

    editor = UserFactory(username="zoë-✓", groups=["Editor", "Fact-checker"])
    reviewer = UserFactory(username="rev", groups=["Fact-checker"])
    for article in Article.objects.order_by("id")[::5]:
        annotation = services.annotation_create(
            article=article,
            author=editor,
            start=0,
            end=5,
            note=f"{TRICKY} {CONTROL}",
            status="published",
        )
        claim = services.claim_create(
            article=article, text=f"claim {TRICKY}", created_by=editor, annotation=annotation
        )
        check = services.factcheck_create(
            claim=claim,
            author=editor,
            verdict="mixed",
            rationale=CONTROL + TRICKY,
            evidence=[{"url": 'https://example.org/ü?q="x"', "title": TRICKY, "publisher": "Ⓟ"}],
        )
        services.factcheck_submit(fact_check=check, expected_version=1, user=editor)
        services.factcheck_publish(fact_check=check, expected_version=2, user=reviewer)


@pytest.mark.parametrize("anonymize", [False, True])
def test_every_article_line_is_the_stdlib_encoding_of_its_record(tmp_path, anonymize):
    _corpus(tmp_path)
    options = ExportOptions(anonymize_authors=anonymize)
    lines = [line for chunk in iter_article_lines(Selection(options), chunk_size=7) for line in chunk]
    assert len(lines) == 41
    notes = 0
    for line in lines:
        record = json.loads(line)  # no floats in a record: parsing gives back exactly the dict encoded
        assert line == records.encode_stdlib(record)
        notes += sum(CONTROL in a["note"] for a in record["annotations"])
    assert notes == 9
    assert any("👩🏽‍🔬" in json.loads(line)["text"] for line in lines)


def test_the_encoders_agree_on_every_code_point_outside_the_surrogates():
    every = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF)
    value = {"text": every, "list": [every[:1000], None, True, False, 0, -1, 2**53], "🙂": {"k": ""}}
    assert records.encode(value) == records.encode_stdlib(value)
