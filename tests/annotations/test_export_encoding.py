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
from annotations.exports import jsonl, records
from annotations.exports.dataset import iter_article_lines
from annotations.exports.selection import ExportOptions, Selection
from annotations.exports.services import export_write
from annotations.models import Claim
from bench.generate import articles
from corpus.models import Article, Speaker, SpeakerAlias
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


def _speakers_file_by_the_selection(options: ExportOptions) -> bytes:
    """What the speakers file held when it was made from ``Selection.speakers`` and encoded by the
    standard library, one speaker a line."""
    selection = Selection(options)
    aliases: dict[int, list] = {}
    for speaker_id, phrase in selection.speaker_aliases.order_by("speaker_id", "phrase").values_list(
        "speaker_id", "phrase"
    ):
        aliases.setdefault(speaker_id, []).append((speaker_id, phrase))
    items = [
        json.dumps(jsonl.speaker_record((row, aliases.get(row[0], []))), ensure_ascii=False)
        for row in selection.speakers.values_list(*jsonl.SPEAKER_COLUMNS)
    ]
    return (
        "[" + "".join(("\n" if i == 0 else ",\n") + item for i, item in enumerate(items)) + "\n]\n"
    ).encode()


@pytest.mark.parametrize(
    "options",
    [
        ExportOptions(),
        ExportOptions(include_drafts=True, include_orphans=True),
        ExportOptions(filters={"source": "Gazette ✓"}),
        ExportOptions(filters={"tag": "nothing-tagged"}),
    ],
)
def test_the_speakers_file_names_the_speakers_the_lines_name(tmp_path, options):
    """The speakers file is made from the speaker ids the article lines read (quoted, relaying,
    claiming), with the bytes the selection's own query and the standard library gave, aliases and
    all, whichever articles the export holds."""
    _corpus(tmp_path)
    named = list(Speaker.objects.filter(quotes__isnull=False).distinct().order_by("id")[:3])
    for number, speaker in enumerate(named):
        speaker.description = f"{TRICKY} {CONTROL}"
        speaker.save()
        SpeakerAlias.objects.create(speaker=speaker, phrase=f"{TRICKY} {number}")
        SpeakerAlias.objects.create(speaker=speaker, phrase=f"alias {number} 👩🏽‍🔬")
    # A speaker nothing exported names, with an alias, between those named (the claimant comes after).
    unnamed = Speaker.objects.create(name="Nobody Quoted", kind="person")
    SpeakerAlias.objects.create(speaker=unnamed, phrase="nobody at all")
    claim = Claim.objects.order_by("id").first()
    claim.claimant = Speaker.objects.create(name="Claimant Only ✓", kind="organization")
    claim.save()
    (tmp_path / "out").mkdir()
    export_write(fmt="jsonl", options=options, output=tmp_path / "out")
    made = (tmp_path / "out" / "speakers.json").read_bytes()
    assert made == _speakers_file_by_the_selection(options)
    names = [speaker["name"] for speaker in json.loads(made)]
    assert "Nobody Quoted" not in names
    if not options.filters:
        assert "Claimant Only ✓" in names and len(names) > 3


def test_a_speaker_line_is_the_stdlib_encoding_of_its_record():
    for row, aliases in [
        ((1, TRICKY, "person", CONTROL, 7), [(1, TRICKY), (1, "b"), (1, "")]),
        ((2**40, "", "organization", "", None), []),
    ]:
        record = jsonl.speaker_record((row, aliases))
        assert jsonl.speaker_json((row, aliases)) == json.dumps(record, ensure_ascii=False).encode()
