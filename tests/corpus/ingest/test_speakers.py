"""Speaker resolution and the alias file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from corpus.ingest.speakers import ArticleSpeakers, directory_from, load_alias_file

REPO = Path(__file__).resolve().parents[3]


def test_starter_alias_file_loads():
    speakers = load_alias_file(REPO / "seeds" / "speaker_aliases.json")
    by_name = {s.name: s for s in speakers}
    assert {"Xi Jinping", "Joe Biden", "Xinhua", "International Federation of Journalists"} <= set(by_name)
    assert by_name["Xinhua"].kind == "organization"
    assert "the Chinese leader" in by_name["Xi Jinping"].aliases
    directory = directory_from(speakers)
    assert directory.lookup("China's President").name == "Xi Jinping"


def test_bad_alias_file_names_the_problem(tmp_path):
    path = tmp_path / "aliases.json"
    path.write_text(json.dumps([{"kind": "person"}]), encoding="utf-8")
    with pytest.raises(ValueError, match="entry 0 needs a non-empty 'name'"):
        load_alias_file(path)


def test_one_speaker_for_every_form_of_a_name():
    speakers = ArticleSpeakers(full_names=["Xi Jinping"])
    keys = {speakers.resolve(p).key for p in ("President Xi Jinping", "Xi", "Xi Jinping")}
    assert len(keys) == 1
    entity = speakers.entity(keys.pop())
    assert entity.name == "Xi Jinping"
    assert {"Xi", "President Xi Jinping"} <= set(entity.aliases)


def test_appositive_and_premodifier_descriptions():
    speakers = ArticleSpeakers()
    pang = speakers.entity(
        speakers.resolve(
            "Pang Zhongying, a chair professor of international political economy at Sichuan University"
        ).key
    )
    assert pang.description == "a chair professor of international political economy at Sichuan University"
    wu = speakers.entity(speakers.resolve("Beijing-based independent analyst Wu Qiang").key)
    assert (wu.name, wu.description) == ("Wu Qiang", "Beijing-based independent analyst")
    assert speakers.resolve("Wu").key == wu.key


def test_surname_from_later_in_the_article_and_from_the_directory():
    speakers = ArticleSpeakers(full_names=["Gu Su"])
    assert speakers.entity(speakers.resolve("Gu from Nanjing University").key).name == "Gu Su"
    directory = directory_from(load_alias_file(REPO / "seeds" / "speaker_aliases.json"))
    speakers = ArticleSpeakers(directory)
    assert speakers.entity(speakers.resolve("Biden").key).name == "Joe Biden"


def test_pronouns_take_the_most_recent_fitting_speaker():
    speakers = ArticleSpeakers()
    person = speakers.resolve("Ann Lee").key
    speakers.note(person)
    org = speakers.resolve("the International Federation of Journalists").key
    speakers.note(org)
    assert speakers.resolve("she").key == person
    assert speakers.resolve("it").key == org


def test_anonymous_sources_are_one_speaker_per_description():
    speakers = ArticleSpeakers()
    first = speakers.resolve("a mainland-based media and communications expert")
    second = speakers.resolve("the expert who declined to be named because he is not authorized")
    assert first.key == second.key
    entity = speakers.entity(first.key)
    assert (entity.name, entity.kind) == ("the expert", "anonymous")
    assert entity.description == "a mainland-based media and communications expert"


def test_documents_speak_for_their_publisher():
    speakers = ArticleSpeakers()
    ifj = speakers.resolve("the International Federation of Journalists").key
    speakers.note_document("report", ifj)
    assert speakers.resolve("the report").key == ifj
