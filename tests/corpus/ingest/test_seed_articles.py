"""The two seed articles end to end: roles, title, spam and the quotes an editor would expect."""

from __future__ import annotations

from pathlib import Path

import pytest

from corpus.ingest.pipeline import PIPELINE_VERSION, process
from corpus.ingest.speakers import directory_from, load_alias_file
from corpus.ingest.types import ProcessedArticle

REPO = Path(__file__).resolve().parents[3]
SEED_000 = REPO / "seeds" / "articles" / "000_45b6e82e8c75fc43.txt"
SEED_001 = REPO / "seeds" / "articles" / "001_ffed51e739879c25.txt"
ALIASES = REPO / "seeds" / "speaker_aliases.json"


def run(path: Path, *, aliases: bool = False) -> ProcessedArticle:
    directory = directory_from(load_alias_file(ALIASES)) if aliases else None
    return process(path.read_text(encoding="utf-8"), directory=directory)


def quote(article: ProcessedArticle, text: str, kind: str | None = None):
    matches = [q for q in article.quotes if article.text[q.start : q.end] == text and kind in (None, q.kind)]
    assert matches, f"no {kind or ''} quote {text!r}"
    return matches[0]


@pytest.fixture(scope="module", params=[False, True], ids=["no-directory", "alias-directory"])
def seed_001(request) -> ProcessedArticle:
    return run(SEED_001, aliases=request.param)


@pytest.fixture(scope="module")
def seed_000() -> ProcessedArticle:
    return run(SEED_000)


def test_version():
    assert PIPELINE_VERSION == "2"


def test_chrome_and_truncated_title_copies_are_boilerplate_not_deleted(seed_001):
    roles = [(p.role, p.rule) for p in seed_001.paragraphs]
    assert roles[0] == ("boilerplate", "chrome-avatar")
    assert roles[1] == ("boilerplate", "truncated-title-copy")
    assert roles[2] == ("title", "first-long-line")
    assert roles[3][0] == "standfirst"
    assert roles[-2:] == [("boilerplate", "truncated-title-copy")] * 2
    assert seed_001.title == "Xi wants isolated China to 'make friends'"
    assert seed_001.standfirst.startswith("China's president has called for")
    # Input order is kept: the chrome is still the first paragraph of text.
    assert seed_001.text.startswith("user's avatar\n\nXi wants isolated\n\nXi wants isolated China")


def test_captions_and_promo(seed_000, seed_001):
    captions = [seed_001.text[p.start : p.end] for p in seed_001.paragraphs if p.role == "caption"]
    assert len(captions) == 2
    assert captions[0].endswith("Reuters") and captions[1].endswith("Reuters-Yonhap")
    promo = [p for p in seed_000.paragraphs if p.role == "boilerplate"]
    assert [p.rule for p in promo] == ["promo-pitch"]


def test_spam_token_is_flagged_in_place(seed_001):
    [spam] = seed_001.spam
    assert spam.token == "토토사이트"
    assert spam.rule == "foreign-script"
    assert seed_001.text[spam.start : spam.end] == "토토사이트"
    assert "remarks at 토토사이트 study session" in seed_001.text


def test_spans_are_consistent(seed_000, seed_001):
    for article in (seed_000, seed_001):
        assert [(q.start, q.end) for q in article.quotes] == sorted((q.start, q.end) for q in article.quotes)
        by_position = {p.position: p for p in article.paragraphs}
        for q in article.quotes:
            paragraph = by_position[q.paragraph]
            assert paragraph.start <= q.start < q.end <= paragraph.end
            assert paragraph.role not in ("caption", "boilerplate")
            assert 0.0 <= q.confidence <= 1.0
            assert q.rule
            text = article.text[q.start : q.end]
            assert text == text.strip()
            if q.kind != "indirect":
                assert text[0] not in "\"'“”‘’" and text[-1] not in '"“”'


def test_intermediary_and_partials_in_seed_000(seed_000):
    direct = [x for x in seed_000.quotes if x.kind == "direct"]
    first = direct[0]
    assert seed_000.text[first.start : first.end].startswith("It is necessary to ... resolutely")
    assert first.speaker.name == "Xi Jinping"
    assert first.via.name == "Xinhua" and first.via.kind == "organization"
    assert first.cue == "quoted Xi as saying"
    assert first.speaker_mention == "Xi"
    q = quote(seed_000, "defy strong powers", "partial")
    assert q.speaker.name == "Xi Jinping" and q.paragraph == 0
    q = quote(seed_000, "break new ground", "partial")
    assert q.speaker.name == "Xi Jinping"


def test_pronoun_and_continuation_in_seed_000(seed_000):
    q = quote(seed_000, seed_000.text[seed_000.text.index("[The envoys]") :].split('," he said')[0] + ",")
    assert q.kind == "direct" and q.speaker.name == "Xi Jinping" and q.speaker_mention == "he"
    q = next(x for x in seed_000.quotes if seed_000.text[x.start : x.end].startswith("They should also use"))
    assert q.speaker.name == "Xi Jinping" and q.rule == "continues-previous-speaker"


def test_surname_and_appositive_in_seed_000(seed_000):
    pang = [x for x in seed_000.quotes if x.speaker and x.speaker.name == "Pang Zhongying"]
    assert {x.speaker_mention for x in pang} == {"Pang Zhongying", "Pang"}
    assert pang[0].speaker.description == (
        "a chair professor of international political economy at Sichuan University"
    )
    # "bullying" twice: once for the leaders' meeting, once inside Pang's reported sentence.
    bullying = [x for x in seed_000.quotes if seed_000.text[x.start : x.end] == "bullying"]
    assert [x.speaker.name for x in bullying] == [
        "top Communist Party leaders, officials and diplomats",
        "Pang Zhongying",
    ]
    assert bullying[0].speaker.kind == "group"


def test_interrupted_quote_is_two_quotes_with_one_speaker(seed_001):
    wu = [x for x in seed_001.quotes if x.kind == "direct" and x.paragraph == 22]
    assert len(wu) == 2
    assert {x.speaker.name for x in wu} == {"Wu Qiang"}
    assert seed_001.text[wu[1].start : wu[1].end].startswith("But I don't think")
    assert wu[0].speaker.description == "Beijing-based independent analyst"


def test_pronoun_skips_caption(seed_001):
    q = next(
        x for x in seed_001.quotes if seed_001.text[x.start : x.end].startswith("China is facing the worst")
    )
    assert q.speaker.name == "Wu Qiang" and q.speaker_mention == "he"


def test_document_and_anonymous_sources(seed_001):
    q = next(x for x in seed_001.quotes if seed_001.text[x.start : x.end].startswith("Beijing's tactics"))
    assert q.speaker.name == "International Federation of Journalists"
    assert q.speaker.kind == "organization" and q.speaker_mention == "the report"
    q = next(x for x in seed_001.quotes if seed_001.text[x.start : x.end].startswith("Yet the evidence"))
    assert q.speaker.name == "International Federation of Journalists"
    q = next(x for x in seed_001.quotes if seed_001.text[x.start : x.end].startswith("[Xi's remarks]"))
    assert q.speaker.kind == "anonymous" and q.speaker.name == "the expert"
    assert q.speaker.description == "a mainland-based media and communications expert"
    q = next(x for x in seed_001.quotes if seed_001.text[x.start : x.end].startswith("While it's good"))
    assert q.speaker.name == "the expert"


def test_cues_as_written(seed_001):
    cues = {seed_001.text[x.start : x.start + 30]: x.cue for x in seed_001.quotes if x.kind == "direct"}
    assert "told the Politburo" in cues.values()
    assert "was quoted as saying" in cues.values()
    indirect = [x for x in seed_001.quotes if x.kind == "indirect" and x.cue == "according to"]
    assert indirect and indirect[0].speaker.name == "the expert"


def test_headline_surname_resolves_to_full_name(seed_001):
    q = quote(seed_001, "make friends", "partial")
    assert q.paragraph == 2 and q.speaker.name == "Xi Jinping"
    # "Xi" is how it was written; a bare surname is not filed as a registry alias of one person.
    assert q.speaker_mention == "Xi" and "Xi" not in q.speaker.aliases


def test_role_phrase_resolves_through_directory():
    directory = directory_from(load_alias_file(ALIASES))
    article = process(
        "China's president warns of 'a long struggle'\n\"We must be ready,\" the Chinese leader said.",
        directory=directory,
    )
    [partial, direct] = article.quotes
    assert direct.speaker.name == "Xi Jinping" and direct.speaker_mention == "the Chinese leader"
    assert partial.speaker.name == "Xi Jinping"
