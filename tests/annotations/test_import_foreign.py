"""import_dataset --from doccano|label-studio: files written in each tool's documented export format
become ingested articles with the importing user's annotations, labels as tags."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from annotations.models import Annotation, Tag
from corpus.models import Article
from tests.factories import TagFactory, UserFactory

pytestmark = pytest.mark.django_db

# doccano's sequence-labelling export (label: [start, end, LABEL]), its text-classification export
# (label: [LABEL]) and its relation export (entities and relations). Two spaces after "EU": ingestion
# folds them, so the offsets after it move by one.
DOCCANO = [
    {
        "id": 1,
        "text": "EU  rejects German call to boycott British lamb.",
        "label": [[0, 2, "ORG"], [35, 42, "MISC"]],
    },
    {"id": 2, "text": "Terrible customer service at the port office.", "label": ["negative"]},
    {
        "id": 3,
        "text": "Google was founded on September 4, 1998, by Larry Page and Sergey Brin.",
        "entities": [
            {"id": 10, "start_offset": 0, "end_offset": 6, "label": "ORG"},
            {"id": 11, "start_offset": 44, "end_offset": 54, "label": "PERSON"},
        ],
        "relations": [{"id": 1, "from_id": 10, "to_id": 11, "type": "founded_by"}],
    },
]

# Label Studio's JSON export: a list of tasks, each with its annotations' results. The emoji makes the
# browser's UTF-16 offsets differ from code points by one after it.
LS_TEXT = "😀 Google was founded by Larry Page."
LABEL_STUDIO = [
    {
        "id": 7,
        "data": {"text": LS_TEXT},
        "annotations": [
            {
                "id": 1,
                "completed_by": 1,
                "result": [
                    {
                        "value": {"start": 3, "end": 9, "text": "Google", "labels": ["ORG"]},
                        "id": "a1", "from_name": "label", "to_name": "text", "type": "labels", "origin": "manual",
                    },
                    {
                        "value": {"start": 25, "end": 35, "text": "Larry Page", "labels": ["PERSON"]},
                        "id": "a2", "from_name": "label", "to_name": "text", "type": "labels", "origin": "manual",
                    },
                    {"value": {"choices": ["Positive"]}, "id": "c1", "from_name": "sentiment", "to_name": "text", "type": "choices"},
                    {"value": {"text": ["check the year"]}, "id": "t1", "from_name": "note", "to_name": "text", "type": "textarea"},
                    {"from_id": "a1", "to_id": "a2", "type": "relation", "direction": "right", "labels": []},
                ],
            }
        ],
        "predictions": [],
    }
]  # fmt: skip


@pytest.fixture
def admin():
    return UserFactory(username="importer", is_superuser=True, is_staff=True)


def _write_jsonl(path, records):
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


def _spans(user) -> list[tuple[str, list[str]]]:
    return sorted(
        (a.exact, sorted(t.slug for t in a.tags.all()))
        for a in Annotation.objects.filter(author=user, target="span").prefetch_related("tags")
    )


def test_doccano_jsonl_becomes_articles_with_tagged_spans(tmp_path, admin, capsys):
    path = _write_jsonl(tmp_path / "doccano.jsonl", DOCCANO)
    call_command("import_dataset", str(path), "--from", "doccano", "--user", "importer", verbosity=0)
    assert Article.objects.filter(source__name="doccano").count() == 3
    assert _spans(admin) == [
        ("British", ["misc"]),
        ("EU", ["org"]),
        ("Google", ["org"]),
        ("Larry Page", ["person"]),
    ]
    whole = Annotation.objects.get(author=admin, target="article")
    assert [t.slug for t in whole.tags.all()] == ["negative"]
    assert "relation" in capsys.readouterr().err
    assert set(Tag.objects.values_list("slug", flat=True)) >= {"org", "misc", "person", "negative"}
    # The same file again adds nothing.
    call_command("import_dataset", str(path), "--from", "doccano", "--user", "importer", verbosity=0)
    assert Article.objects.count() == 3 and Annotation.objects.filter(author=admin).count() == 5


def test_label_studio_json_spans_choices_and_text_areas(tmp_path, admin, capsys):
    path = tmp_path / "export.json"
    path.write_text(json.dumps(LABEL_STUDIO, ensure_ascii=False), encoding="utf-8")
    TagFactory(slug="organisation")
    call_command(
        "import_dataset", str(path), "--from", "label-studio", "--user", "importer",
        "--tag-map", "ORG=organisation", verbosity=0,
    )  # fmt: skip
    article = Article.objects.get(source__name="label-studio", external_id="7")
    assert _spans(admin) == [("Google", ["organisation"]), ("Larry Page", ["person"])]
    whole = Annotation.objects.get(author=admin, target="article", article=article)
    assert [t.slug for t in whole.tags.all()] == ["positive"] and whole.note == "check the year"
    assert all(a.author == admin and a.status == "draft" for a in Annotation.objects.filter(article=article))
    assert "relation" in capsys.readouterr().err


def test_a_span_that_is_not_in_the_text_fails_its_document_alone(tmp_path, admin):
    broken = {"id": 9, "text": "Short text here.", "label": [[5, 400, "ORG"]]}
    path = _write_jsonl(tmp_path / "doccano.jsonl", [DOCCANO[1], broken])
    with pytest.raises(CommandError, match="1 document"):
        call_command("import_dataset", str(path), "--from", "doccano", "--user", "importer", verbosity=0)
    assert list(Article.objects.values_list("external_id", flat=True)) == ["2"]


def test_an_editor_cannot_grow_the_vocabulary_but_can_map_to_it(tmp_path):
    UserFactory(username="ana", groups=["Editor"])
    TagFactory(slug="place")
    path = _write_jsonl(
        tmp_path / "doccano.jsonl", [{"id": 1, "text": "Rain in Hamburg today.", "label": [[8, 15, "LOC"]]}]
    )
    with pytest.raises(CommandError, match="1 document"):
        call_command("import_dataset", str(path), "--from", "doccano", "--user", "ana", verbosity=0)
    assert not Article.objects.exists()
    call_command(
        "import_dataset",
        str(path),
        "--from",
        "doccano",
        "--user",
        "ana",
        "--tag-map",
        "LOC=place",
        verbosity=0,
    )
    assert Annotation.objects.get(author__username="ana").exact == "Hamburg"


@pytest.mark.parametrize(("name", "tool"), [("d.jsonl", "doccano"), ("ls.json", "label-studio")])
def test_without_from_the_tool_is_named(tmp_path, admin, name, tool):
    path = tmp_path / name
    if tool == "doccano":
        _write_jsonl(path, DOCCANO)
    else:
        path.write_text(json.dumps(LABEL_STUDIO), encoding="utf-8")
    with pytest.raises(CommandError, match=f"looks like a {tool} export.*--from {tool}"):
        call_command("import_dataset", str(path), verbosity=0)
    with pytest.raises(CommandError, match="needs --user"):
        call_command("import_dataset", str(path), "--from", tool, verbosity=0)


def test_ingest_points_a_doccano_file_to_the_importer(tmp_path, capsys):
    path = _write_jsonl(tmp_path / "doccano.jsonl", DOCCANO[:1])
    with pytest.raises(CommandError):
        call_command("ingest", str(path), verbosity=0)
    assert "import_dataset FILE --from doccano" in capsys.readouterr().err
