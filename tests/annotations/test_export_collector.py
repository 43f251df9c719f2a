"""A command or a job makes an export with the cycle collector off (its rows and documents hold no
cycles, and walking them cost a fifth of the time), and turns it on again after, also when the export
fails; a response streamed from a server's worker leaves it alone, since the whole process shares it."""

from __future__ import annotations

import gc

import pytest

from annotations import services
from annotations.exports import pipeline
from annotations.exports.selection import ExportOptions
from annotations.exports.services import export_write
from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db

FORMATS = ["jsonl", "csv", "parquet", "w3c", "claimreview"]


def _corpus() -> None:
    """Three articles, a published annotation and a published fact-check on each (ClaimReview's rows)."""
    editor = UserFactory(groups=["Editor", "Fact-checker"])
    reviewer = UserFactory(groups=["Fact-checker"])
    for _ in range(3):
        article = ArticleFactory()
        annotation = services.annotation_create(
            article=article, author=editor, start=0, end=7, note="n", status="published"
        )
        claim = services.claim_create(
            article=article, text="a claim", created_by=editor, annotation=annotation
        )
        check = services.factcheck_create(claim=claim, author=editor, verdict="mixed", rationale="Both.")
        services.factcheck_submit(fact_check=check, expected_version=1, user=editor)
        services.factcheck_publish(fact_check=check, expected_version=2, user=reviewer)


class _Watch:
    """A progress bar that notes whether the collector is on at each step of the export."""

    def __init__(self):
        self.seen: list[bool] = []

    def update(self, rows: int) -> None:
        self.seen.append(gc.isenabled())


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_command_s_export_is_made_with_the_collector_off_and_turns_it_on_after(tmp_path, fmt):
    _corpus()
    watch = _Watch()
    assert gc.isenabled()
    export_write(fmt=fmt, options=ExportOptions(), output=tmp_path / "out", chunk_size=1, progress=watch)
    assert watch.seen and not any(watch.seen)
    assert gc.isenabled()


def test_an_export_that_fails_turns_the_collector_on_again(tmp_path, monkeypatch):
    for _ in range(3):
        ArticleFactory()

    def broken(*args, **kwargs):
        assert not gc.isenabled()
        raise RuntimeError("stopped")

    monkeypatch.setattr(pipeline, "manifest_build", broken)
    with pytest.raises(RuntimeError, match="stopped"):
        export_write(fmt="w3c", options=ExportOptions(), output=tmp_path / "out.jsonld")
    assert gc.isenabled()


@pytest.mark.parametrize("fmt", ["jsonl", "w3c"])
def test_a_streamed_export_leaves_the_collector_on(fmt):
    for _ in range(3):
        ArticleFactory()
    seen = [gc.isenabled() for _ in pipeline.stream_bytes(fmt=fmt, options=ExportOptions(), chunk_size=1)]
    assert len(seen) > 2 and all(seen)
