"""What a csv or parquet export says about itself, for the tools data users load it with.

- ``datapackage.json``: a Frictionless Tabular Data Package. Each table is a resource at
  ``TABLE/TABLE.csv`` (or ``.parquet``) with its field types, the csv dialect, its primary key and the
  foreign keys that join it to the others, so ``frictionless validate datapackage.json`` checks the
  whole export and a reader that follows the package gets typed columns.
- ``README.md``: a dataset card whose YAML ``configs:`` name one configuration per table, so Hugging Face
  ``datasets.load_dataset(FOLDER, "annotations")`` loads a table; for csv each configuration reads every
  cell as text and ``dataset_info`` gives the types it is cast to (``external_id`` "00123" stays
  "00123", a nullable id an int64 with nulls).

Both are made from ``tables.TABLES`` alone: no clock and no count, the same bytes for every export of
the format (the manifest has the counts and the hashes).
"""

from __future__ import annotations

import json
from collections.abc import Generator

from .tables import BOOL, INT, LIST, STR, TABLES, TS, Table, table_path

DATAPACKAGE_NAME = "datapackage.json"
CARD_NAME = "README.md"

# A paragraph is named by its article and position; the rest by their id.
PRIMARY_KEYS: dict[str, list[str]] = {
    "articles": ["id"],
    "paragraphs": ["article_id", "position"],
    "quotes": ["id"],
    "annotations": ["id"],
    "annotation_tags": ["annotation_id", "tag_id"],
    "claims": ["id"],
    "fact_checks": ["id"],
    "evidence": ["fact_check_id", "position"],
    "speakers": ["id"],
    "speaker_aliases": ["speaker_id", "phrase"],
    "tags": ["id"],
    "checkworthy_dismissals": ["article_id", "text"],
}
# (column, table it points into, that table's column); each holds whatever the filters leave out.
FOREIGN_KEYS: dict[str, list[tuple[str, str, str]]] = {
    "paragraphs": [("article_id", "articles", "id")],
    "quotes": [
        ("article_id", "articles", "id"),
        ("continues_id", "quotes", "id"),
        ("speaker_id", "speakers", "id"),
        ("via_id", "speakers", "id"),
    ],
    "annotations": [("article_id", "articles", "id"), ("quote_id", "quotes", "id")],
    "annotation_tags": [("annotation_id", "annotations", "id"), ("tag_id", "tags", "id")],
    "claims": [
        ("article_id", "articles", "id"),
        ("claimant_id", "speakers", "id"),
        ("annotation_id", "annotations", "id"),
    ],
    "fact_checks": [("claim_id", "claims", "id")],
    "evidence": [("fact_check_id", "fact_checks", "id")],
    "speakers": [("article_id", "articles", "id")],
    "speaker_aliases": [("speaker_id", "speakers", "id")],
    "tags": [("parent_id", "tags", "id")],
    "checkworthy_dismissals": [("article_id", "articles", "id")],
}

DESCRIPTIONS: dict[str, str] = {
    "articles": "One row per article; text is the normalized text every offset points into (code points).",
    "paragraphs": "Spans of an article's text with their role; named by (article_id, position).",
    "quotes": "Quotations with their speaker; paragraph is the position of the paragraph they are in; "
    "cluster_id names the quote cluster (the same words in other articles), empty when the quote stands alone; "
    "cluster_fixed is true when an editor put the quote in its cluster or took it out (the machine leaves it there).",
    "annotations": "Editors' tags and notes on a span, a paragraph (paragraph: its position), a quote "
    "(quote_id) or a whole article; in an annotation project (project_id), the `layer` it is in: the "
    "project's curated layer or its author's own annotator layer (empty on the shared desk).",
    "annotation_tags": "One row per tag of an annotation.",
    "claims": "Checkable statements, on an annotation or not.",
    "fact_checks": "A claim's verdict, rationale, status and reviewers.",
    "evidence": "The sources a fact-check cites, in order.",
    "speakers": "Speakers the exported quotes and claims name; article_id for a speaker local to one article.",
    "speaker_aliases": "Other names of a speaker.",
    "tags": "The controlled vocabulary, with its hierarchy (parent_id).",
    "checkworthy_dismissals": "Sentences the machine suggested as worth checking that an editor dismissed, by "
    "their words (text): they are not suggested again, wherever the offsets move. start and end: where the words "
    "first are in the article's text (empty when no longer there); they place them when the text is left out.",
}

# Columns whose meaning their name does not say.
FIELD_DESCRIPTIONS: dict[tuple[str, str], str] = {
    (
        "quotes",
        "cluster_id",
    ): "The quote cluster: the same words quoted in other articles. Empty when the quote stands alone.",
    (
        "quotes",
        "cluster_fixed",
    ): "An editor put the quote in its cluster (cluster_id) or took it out of one (an "
    "empty cluster_id): re-running the machine leaves it there.",
    (
        "annotations",
        "project_id",
    ): "The annotation project the annotation was made in; empty on the shared desk.",
    (
        "annotations",
        "layer",
    ): "In a project: curated (the project's published layer, written by a curator) or "
    "annotator (the author's own layer, exported with --layers all); empty on the shared desk.",
}

_FRICTIONLESS = {INT: "integer", STR: "string", BOOL: "boolean", TS: "datetime", LIST: "list"}
_HUGGING_FACE = {INT: "int64", STR: "string", BOOL: "bool", TS: "timestamp[s, tz=UTC]", LIST: "string"}


def _field(table: str, name: str, kind: str) -> dict:
    field: dict = {"name": name, "type": _FRICTIONLESS[kind]}
    if (table, name) in FIELD_DESCRIPTIONS:
        field["description"] = FIELD_DESCRIPTIONS[(table, name)]
    if kind == BOOL:
        field.update(trueValues=["true"], falseValues=["false"])
    elif kind == LIST:
        field.update(delimiter=";", itemType="string")
    return field


def _resource(table: Table, extension: str) -> dict:
    resource: dict = {
        "name": table.name,
        "path": table_path(table, extension),
        "profile": "tabular-data-resource",
        "description": DESCRIPTIONS[table.name],
    }
    if extension == ".csv":
        resource.update(
            format="csv",
            mediatype="text/csv",
            encoding="utf-8",
            dialect={
                "delimiter": ",",
                "lineTerminator": "\r\n",
                "quoteChar": '"',
                "doubleQuote": True,
                "header": True,
            },
        )
    else:
        resource.update(format="parquet", mediatype="application/vnd.apache.parquet")
    schema: dict = {
        "fields": [_field(table.name, name, kind) for name, kind in table.columns],
        "missingValues": [""],
        "primaryKey": PRIMARY_KEYS[table.name],
    }
    keys = FOREIGN_KEYS.get(table.name)
    if keys:
        schema["foreignKeys"] = [
            {
                "fields": [column],
                # A key into its own table names no resource ("" in the specification).
                "reference": {"resource": "" if into == table.name else into, "fields": [target]},
            }
            for column, into, target in keys
        ]
    resource["schema"] = schema
    return resource


def datapackage(fmt: str, extension: str) -> dict:
    return {
        "profile": "tabular-data-package",
        "name": f"newsdesk-{fmt}",
        "title": "Newsdesk annotated news corpus",
        "description": "Articles, paragraphs, quotes and speakers, editors' annotations, claims and "
        "fact-checks, joined by ids. Offsets are Unicode code points into articles.text, end exclusive. "
        "manifest.json beside this file has the filters, the row counts and each file's SHA-256.",
        "resources": [_resource(table, extension) for table in TABLES],
    }


def datapackage_bytes(fmt: str, extension: str) -> bytes:
    return (json.dumps(datapackage(fmt, extension), ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _yaml_string(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a YAML string


def card_bytes(fmt: str, extension: str) -> bytes:
    """The dataset card: YAML front matter with one ``configs:`` entry per table, then what it holds."""
    lines = ["---", f"pretty_name: {_yaml_string('Newsdesk annotated news corpus')}", "configs:"]
    for table in TABLES:
        lines += [
            f"- config_name: {table.name}",
            f"  data_files: {_yaml_string(f'{table.name}/*{extension}')}",
        ]
        if table.name == "articles":
            lines.append("  default: true")
        if extension == ".csv":
            # Only an empty cell is a null (pandas, which datasets reads csv with, would take "NA" or
            # "null" in a note for one). The configuration's features are what pandas is told to read
            # each cell as: text, every one, so that nothing is guessed ("00123" read as the number 123).
            lines += ["  keep_default_na: false", '  na_values: [""]', "  features:"]
            for name, _kind in table.columns:
                lines += [f"  - name: {_yaml_string(name)}", "    dtype: string"]
    if extension == ".csv":
        # The columns' types, which datasets casts that text to as it writes the table: nullable ids
        # stay int64 with nulls, timestamps become timestamps. (Given as the configuration's features,
        # they would go to pandas as dtypes, and pandas reads neither a nullable int64 nor a timestamp
        # that way.)
        lines.append("dataset_info:")
        for table in TABLES:
            lines += [f"- config_name: {table.name}", "  features:"]
            for name, kind in table.columns:
                lines.append(f"  - name: {_yaml_string(name)}")
                lines.append(f"    dtype: {_HUGGING_FACE[kind]}")
    lines += ["---", ""]
    loading = (
        [
            "```python",
            "import pandas as pd, pyarrow.parquet as pq, duckdb, datasets",
            'pd.read_parquet("EXPORT/annotations")',
            'pq.read_table("EXPORT/annotations")',
            'duckdb.read_parquet("EXPORT/annotations/*.parquet")',
            'datasets.load_dataset("EXPORT", "annotations")',
            "```",
        ]
        if extension == ".parquet"
        else [
            "With pandas, each column read as the type `datapackage.json` declares (a csv one-liner without "
            'them guesses: dates as text, nullable ids as floats, "00123" as 123):',
            "",
            "```python",
            "import json, pathlib",
            "import pandas as pd",
            "",
            'PANDAS = {"integer": "Int64", "string": "string", "boolean": "boolean", "list": "string"}',
            'package = json.loads(pathlib.Path("EXPORT/datapackage.json").read_text(encoding="utf-8"))',
            "",
            "",
            "def read_table(name):",
            '    fields = next(r for r in package["resources"] if r["name"] == name)["schema"]["fields"]',
            "    return pd.read_csv(",
            '        f"EXPORT/{name}/{name}.csv",',
            '        dtype={f["name"]: PANDAS[f["type"]] for f in fields if f["type"] != "datetime"},',
            '        parse_dates=[f["name"] for f in fields if f["type"] == "datetime"],',
            "        keep_default_na=False,  # only an empty cell is a null",
            '        na_values=[""],',
            "    )",
            "",
            "",
            'articles = read_table("articles")',
            "```",
            "",
            "With Hugging Face `datasets`, typed by the features above (every cell read as text, then cast):",
            "",
            "```python",
            "import datasets",
            'datasets.load_dataset("EXPORT", "articles")',
            "```",
        ]
    )
    lines += [
        "# Newsdesk annotated news corpus",
        "",
        f"A {fmt} export of a Newsdesk database: one folder per table, each holding that table's file. "
        "`datapackage.json` gives every column's type and the keys that join the tables; `manifest.json` "
        "the filters it was made with, the row counts and the SHA-256 of every file.",
        "",
        *loading,
        "",
        "| table | what a row is |",
        "|---|---|",
        *(f"| `{table.name}` | {DESCRIPTIONS[table.name]} |" for table in TABLES),
        "",
        "Offsets (`start`, `end`) are Unicode code points into the article's `text`, the end exclusive: "
        "`text[start:end]` is the span's words. Timestamps are UTC, to the second. Empty cells are nulls.",
        "",
    ]
    return "\n".join(lines).encode("utf-8")


def _static(data: bytes):
    def write(stream) -> Generator[int, None, dict[str, int]]:
        stream.write(data)
        return {}
        yield  # a generator like the tables' writers, though it has nothing to count

    return write


def entries(fmt: str, extension: str) -> list[tuple[str, object]]:
    """The card and the package descriptor, first in the export."""
    return [
        (CARD_NAME, _static(card_bytes(fmt, extension))),
        (DATAPACKAGE_NAME, _static(datapackage_bytes(fmt, extension))),
    ]
