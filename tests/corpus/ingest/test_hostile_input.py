"""Hostile input completes: every rule scans or reads a bounded window, so work stays linear.

These tests assert completion and sane output, never wall-clock time (timings belong in bench/).
"""

from __future__ import annotations

from corpus.ingest.pipeline import process


def test_five_megabyte_line_without_a_quote_mark():
    article = process("word said that the thing " * 200_000)
    assert len(article.paragraphs) == 1
    assert article.quotes == []


def test_hundred_thousand_quote_marks():
    for mark in ('"', "\u201c", "'", "\u2019"):
        article = process("Headline\n" + mark * 100_000)
        assert len(article.text) == len("Headline") + 2 + 100_000


def test_hundred_thousand_paired_quotes_in_one_paragraph():
    article = process("Headline\n" + '"a" ' * 25_000 + "'b' " * 25_000 + '"c d e f," he said.')
    assert all(article.text[q.start : q.end] for q in article.quotes)


def test_hundred_thousand_tiny_paragraphs():
    raw = "\n".join(f'"Quote number {i}," he said.' if i % 3 == 0 else "x" for i in range(100_000))
    article = process(raw)
    assert len(article.paragraphs) == 100_000
    assert len([q for q in article.quotes if q.kind == "direct"]) == 33_334


def test_long_runs_of_cue_words_commas_names_and_foreign_letters():
    for raw in (
        "He said, " * 100_000,
        "a, " * 500_000,
        "the man who " * 100_000 + "said the plan failed.",
        "Xi Jinping " * 200_000 + "said so.",
        "토" * 1_000_000,
        "it's " * 200_000,
    ):
        article = process(raw)
        assert article.text
