"""Progress bars with a total, so with the time left: `export` counts every file's rows up front,
`import_dataset` the articles it will read. The totals are what the runs then count, row for row."""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import call_command

from annotations.exports.bundle import target_for
from annotations.exports.pipeline import FORMATS, export_rows, export_steps
from annotations.exports.selection import ExportOptions

pytestmark = pytest.mark.django_db


class Terminal(io.StringIO):
    """Standard error as a person watching it: tqdm draws its bar only on a terminal."""

    def isatty(self) -> bool:
        return True


def _final_bar(drawn: str) -> str:
    return re.split(r"[\r\n]", drawn.strip())[-1]


def _yielded(fmt: str, options: ExportOptions, folder) -> int:
    target = target_for(folder / "out", tabular=FORMATS[fmt].TABULAR)
    return sum(export_steps(fmt=fmt, options=options, target=target))


@pytest.mark.parametrize("fmt", sorted(FORMATS))
@pytest.mark.parametrize(
    "options",
    [
        ExportOptions(),
        ExportOptions(include_drafts=True, include_orphans=True),
        ExportOptions(filters={"tag": "claim"}, text="none"),
    ],
    ids=["default", "drafts", "tag-filtered"],
)
def test_the_rows_counted_up_front_are_the_rows_the_export_writes(corpus, fmt, options, tmp_path):
    assert export_rows(fmt=fmt, options=options) == _yielded(fmt, options, tmp_path)


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_export_draws_a_bar_with_its_total_and_the_time_left(corpus, fmt, tmp_path):
    total = export_rows(fmt=fmt, options=ExportOptions())
    assert total > 0
    drawn = Terminal()
    call_command(
        "export", "--format", fmt, "--output", str(tmp_path / fmt), stdout=io.StringIO(), stderr=drawn
    )
    bar = _final_bar(drawn.getvalue())
    assert f"{total}/{total}" in bar and "<" in bar, bar


def test_export_to_a_file_without_a_terminal_draws_nothing(corpus, tmp_path):
    quiet = io.StringIO()
    call_command("export", "--format", "jsonl", "--output", str(tmp_path / "a.jsonl"), stderr=quiet)
    assert quiet.getvalue() == ""


def test_import_draws_a_bar_with_the_articles_of_the_manifest(corpus, tmp_path):
    call_command(
        "export", "--format", "jsonl", "--output", str(tmp_path / "corpus.jsonl"), stdout=io.StringIO()
    )
    drawn = Terminal()
    call_command("import_dataset", str(tmp_path / "corpus.jsonl"), stdout=io.StringIO(), stderr=drawn)
    bar = _final_bar(drawn.getvalue())
    assert "2/2" in bar and "<" in bar, bar


def test_import_of_a_jsonl_without_manifest_counts_its_non_blank_lines(corpus, tmp_path):
    call_command(
        "export", "--format", "jsonl", "--output", str(tmp_path / "corpus.jsonl"), stdout=io.StringIO()
    )
    lines = (tmp_path / "corpus.jsonl").read_bytes().splitlines(keepends=True)
    bare = tmp_path / "bare" / "articles.jsonl"
    bare.parent.mkdir()
    bare.write_bytes(lines[0] + b"\n  \n" + lines[1])
    drawn = Terminal()
    call_command("import_dataset", str(bare), stdout=io.StringIO(), stderr=drawn)
    bar = _final_bar(drawn.getvalue())
    assert "2/2" in bar and "<" in bar, bar
