"""Reading an export: a JSONL file, a folder or a zip, its manifest checked, its articles as records."""

from __future__ import annotations

import hashlib
import json
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO

import orjson

from ..exports.manifest import MANIFEST_NAME
from ..exports.records import READABLE_VERSIONS

# Articles read, checked and written at a time; memory holds one batch whatever the size of the export.
BATCH_SIZE = 500


class DatasetError(ValueError):
    """Something in the input a person must fix; the message names the file, line and field."""


class Dataset:
    """An export on disk: its manifest and its files, whatever holds them (folder, zip, files beside)."""

    def __init__(self, path: Path):
        self.path = path
        self.zip: zipfile.ZipFile | None = None
        self.names: dict[str, str] = {}  # entry (articles.jsonl, tags.json, ...) -> file name
        if path.is_dir():
            self.folder = path
            manifest_name = MANIFEST_NAME
        elif zipfile.is_zipfile(path):
            self.zip = zipfile.ZipFile(path)
            self.folder = None
            manifest_name = MANIFEST_NAME
        elif path.is_file():
            self.folder = path.parent
            manifest_name = f"{path.name}.{MANIFEST_NAME}"
        else:
            raise DatasetError(f"{path}: no such file or folder.")
        self.manifest = self._manifest(manifest_name)
        self.format = self.manifest["format"] if self.manifest else "jsonl"
        if self.manifest:
            for entry in self.manifest.get("files", []):
                name = entry["name"]
                self.names[_entry_of(name, path)] = name
        elif path.is_file():
            self.names["articles.jsonl"] = path.name
        else:
            for entry in ("articles.jsonl", "tags.json", "speakers.json"):
                if self._exists(entry):
                    self.names[entry] = entry
        self._check_files()

    def _exists(self, name: str) -> bool:
        if self.zip is not None:
            return name in self.zip.namelist()
        return (self.folder / name).is_file()

    def open(self, name: str) -> BinaryIO:
        if self.zip is not None:
            return self.zip.open(name)
        return (self.folder / name).open("rb")

    def _manifest(self, name: str) -> dict | None:
        if not self._exists(name):
            return None
        with self.open(name) as stream:
            try:
                manifest = json.loads(stream.read().decode("utf-8"))
            except (UnicodeDecodeError, json.JSONDecodeError) as exc:
                raise DatasetError(f"{name}: not valid JSON ({exc}).") from None
        version = manifest.get("schema_version")
        if version not in READABLE_VERSIONS:
            raise DatasetError(
                f"{name}: field 'schema_version': {version!r} is not a version this program reads "
                f"({', '.join(map(repr, READABLE_VERSIONS))}); import it with the version that wrote it."
            )
        if manifest.get("format") not in ("jsonl", "csv", "parquet"):
            raise DatasetError(
                f"{name}: field 'format': {manifest.get('format')!r} cannot be imported; use a jsonl, csv or "
                "parquet export."
            )
        return manifest

    def _check_files(self) -> None:
        for entry in (self.manifest or {}).get("files", []):
            name = entry["name"]
            if not self._exists(name):
                raise DatasetError(f"{name}: listed in the manifest but missing.")
            digest = hashlib.sha256()
            with self.open(name) as stream:
                for block in iter(lambda: stream.read(1 << 20), b""):
                    digest.update(block)
            if digest.hexdigest() != entry["sha256"]:
                raise DatasetError(
                    f"{name}: its SHA-256 differs from the manifest's: the file was changed or cut short."
                )

    def articles(self) -> int:
        """The articles the export holds, for a progress bar's total: the manifest's count, or the
        non-blank lines of a JSONL file that has none (a record each)."""
        count = ((self.manifest or {}).get("counts") or {}).get("articles")
        if isinstance(count, int):
            return count
        name = self.names.get("articles.jsonl")
        if name is None:
            return 0
        with self.open(name) as stream:
            return sum(1 for line in stream if line.strip())

    def has(self, entry: str) -> bool:
        return entry in self.names

    def json(self, entry: str) -> Any:
        with self.open(self.names[entry]) as stream:
            try:
                return json.loads(stream.read().decode("utf-8"))
            except (UnicodeDecodeError, json.JSONDecodeError) as exc:
                raise DatasetError(f"{self.names[entry]}: not valid JSON ({exc}).") from None


def _entry_of(name: str, path: Path) -> str:
    """The entry a file holds: ``corpus.jsonl.tags.json`` beside ``corpus.jsonl`` holds ``tags.json``."""
    if path.is_file() and not zipfile.is_zipfile(path):
        if name == path.name:
            return "articles.jsonl"
        prefix = f"{path.name}."
        return name[len(prefix) :] if name.startswith(prefix) else name
    return name


def jsonl_records(dataset: Dataset) -> Iterator[tuple[str, dict | DatasetError]]:
    name = dataset.names.get("articles.jsonl")
    if name is None:
        raise DatasetError(f"{dataset.path}: no articles.jsonl in this export.")
    loads = orjson.loads
    with dataset.open(name) as stream:
        for number, raw in enumerate(stream, start=1):
            origin = f"{name} line {number}"
            try:
                # orjson reads a line faster than json; a line it refuses (bad JSON, not UTF-8, NaN, a
                # lone surrogate) is read again by json, which accepts what it accepts and words the
                # error. One difference is left: an integer past 64 bits, which no column takes, comes
                # as a float, and its record is refused with a float's words instead of an int's.
                record = loads(raw)
            except orjson.JSONDecodeError:
                if not raw.strip():
                    continue
                found = _standard_record(origin, raw)
                if isinstance(found, DatasetError):
                    yield origin, found
                    continue
                record = found
            if not isinstance(record, dict):
                yield origin, DatasetError(f"{origin}: not a JSON object.")
                continue
            yield origin, record


def _standard_record(origin: str, raw: bytes) -> Any:
    """``raw`` read by the standard library's json, or the error a person is shown."""
    try:
        return json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        return DatasetError(f"{origin}: not UTF-8.")
    except json.JSONDecodeError as exc:
        return DatasetError(f"{origin}: not a complete JSON object (cut short?): {exc.msg}.")
