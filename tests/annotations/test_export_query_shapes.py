"""The export's queries keep a shape every database answers in one pass, whatever the corpus size.

``x IN (subquery)`` under an OR is the shape to avoid: PostgreSQL cannot turn it into a join, and
once the subquery's ids outgrow work_mem it rescans them for every row. A speakers query of that shape
ran for hours at 100,000 articles. With a small test corpus the plans hide it, so the SQL is read.
"""

from __future__ import annotations

import re

import pytest
from django.db import connection

from annotations.exports.selection import ExportOptions, Selection

pytestmark = pytest.mark.django_db

QUERYSETS = (
    "articles",
    "paragraphs",
    "quotes",
    "annotations",
    "claims",
    "fact_checks",
    "speakers",
    "speaker_aliases",
)
OPTIONS = {
    "default": ExportOptions(),
    "drafts and orphans": ExportOptions(include_drafts=True, include_orphans=True),
    "source": ExportOptions(filters={"source": "Riverton Gazette"}),
    "tag": ExportOptions(filters={"tag": "claim"}),
    "source, tag and status": ExportOptions(
        include_drafts=True, filters={"source": "Riverton Gazette", "tag": "claim", "status": "draft"}
    ),
}
_IN_SUBQUERY = re.compile(r"\bIN \(+\s*SELECT\b", re.IGNORECASE)


def _group_around(sql: str, index: int) -> str:
    """The text of the innermost parenthesized group holding ``index``, at its own depth only (nested
    groups blanked out); the whole statement when there is none."""
    depth, start = 0, 0
    for i in range(index, -1, -1):
        if sql[i] == ")":
            depth += 1
        elif sql[i] == "(":
            if depth == 0:
                start = i + 1
                break
            depth -= 1
    out, depth = [], 0
    for char in sql[start:]:
        if char == "(":
            depth += 1
        elif char == ")":
            if depth == 0:
                break
            depth -= 1
        elif depth == 0:
            out.append(char)
    return "".join(out)


def ors_over_subqueries(sql: str) -> list[str]:
    found = []
    for match in _IN_SUBQUERY.finditer(sql):
        group = _group_around(sql, match.start())
        if re.search(r"\bOR\b", group):
            found.append(sql[max(match.start() - 120, 0) : match.end()])
    return found


def test_the_checker_sees_the_shape():
    bad = "SELECT id FROM s WHERE (s.id IN (SELECT a FROM q) OR s.id IN (SELECT b FROM q)) ORDER BY id"
    good = "SELECT id FROM s WHERE s.id IN (SELECT a FROM q UNION SELECT b FROM q WHERE x = 1 OR y = 2)"
    assert len(ors_over_subqueries(bad)) == 2
    assert ors_over_subqueries(good) == []
    assert ors_over_subqueries("SELECT 1 FROM t WHERE a = 1 OR b IN (SELECT c FROM u)")


@pytest.mark.parametrize("name", OPTIONS)
def test_no_subquery_under_an_or(name, corpus):
    selection = Selection(OPTIONS[name])
    for queryset in QUERYSETS:
        query = getattr(selection, queryset).query
        sql, _ = query.get_compiler(connection=connection).as_sql()
        assert ors_over_subqueries(sql) == [], (queryset, sql)
