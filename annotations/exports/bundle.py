"""Where an export's files go: one stream, one file with its companions beside it, a folder or a zip.

Every target takes the files one after the other, so a zip can be written to a pipe (an HTTP response)
as it is made. A zip is always written as if to a pipe, even into a file, so both give the same bytes;
its entries carry a fixed date and mode.
"""

from __future__ import annotations

import io
import shutil
import zipfile
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from .manifest import MANIFEST_NAME

ZIP_DATE = (1980, 1, 1, 0, 0, 0)


class Unseekable(io.RawIOBase):
    """A write-only view of a stream that cannot seek, so zipfile writes the same bytes everywhere."""

    def __init__(self, target: BinaryIO):
        self.target = target
        self.position = 0

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self.target.write(data)
        self.position += len(data)
        return len(data)

    def tell(self) -> int:
        return self.position

    def seekable(self) -> bool:
        return False

    def seek(self, *args):
        raise io.UnsupportedOperation("seek")

    def flush(self) -> None:
        self.target.flush()


class ByteQueue(io.RawIOBase):
    """A sink that keeps what was written until it is drained: the bridge to a streaming response."""

    def __init__(self):
        self.buffer = bytearray()

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self.buffer += data
        return len(data)

    def drain(self) -> bytes:
        data = bytes(self.buffer)
        self.buffer.clear()
        return data


class Target:
    """Receives an export's files in order, then the manifest; ``commit`` makes them visible at once."""

    single_stream = False

    def name_for(self, entry: str, *, main: bool) -> str:
        return entry

    @contextmanager
    def open(self, name: str):  # pragma: no cover - interface
        raise NotImplementedError
        yield

    def write_manifest(self, data: bytes) -> None:
        with self.open(MANIFEST_NAME) as stream:
            stream.write(data)

    def commit(self) -> None:
        pass

    def abort(self) -> None:
        pass


class StreamTarget(Target):
    """One text stream (standard output, a response): the main file only, no companions, no manifest."""

    single_stream = True

    def __init__(self, stream: BinaryIO):
        self.stream = stream

    @contextmanager
    def open(self, name: str):
        yield self.stream

    def write_manifest(self, data: bytes) -> None:
        pass


class FileTarget(Target):
    """The main file at ``path``; companions and the manifest beside it as ``NAME.<entry>``."""

    def __init__(self, path: Path):
        self.path = path
        self.written: list[Path] = []

    def name_for(self, entry: str, *, main: bool) -> str:
        return self.path.name if main else f"{self.path.name}.{entry}"

    @contextmanager
    def open(self, name: str):
        if name == MANIFEST_NAME:
            name = f"{self.path.name}.{MANIFEST_NAME}"
        final = self.path.with_name(name)
        partial = final.with_name(final.name + ".partial")
        self.written.append(final)
        with partial.open("wb") as stream:
            yield stream

    def commit(self) -> None:
        # Readers never see a half-written file.
        for final in self.written:
            final.with_name(final.name + ".partial").replace(final)

    def abort(self) -> None:
        for final in self.written:
            final.with_name(final.name + ".partial").unlink(missing_ok=True)


class FolderTarget(Target):
    def __init__(self, path: Path):
        self.path = path
        self.partial = path.with_name(path.name + ".partial")
        shutil.rmtree(self.partial, ignore_errors=True)
        self.partial.mkdir(parents=True)

    @contextmanager
    def open(self, name: str):
        path = self.partial / name
        path.parent.mkdir(parents=True, exist_ok=True)  # a table's folder
        with path.open("wb") as stream:
            yield stream

    def commit(self) -> None:
        if self.path.exists():
            shutil.rmtree(self.path)
        self.partial.replace(self.path)

    def abort(self) -> None:
        shutil.rmtree(self.partial, ignore_errors=True)


class ZipTarget(Target):
    """A zip written front to back into ``sink`` (a file or a pipe)."""

    def __init__(self, sink: BinaryIO, *, on_commit=None, on_abort=None):
        self.sink = sink
        self.zip = zipfile.ZipFile(Unseekable(sink), "w", compression=zipfile.ZIP_DEFLATED)
        self._on_commit, self._on_abort = on_commit, on_abort

    @contextmanager
    def open(self, name: str):
        info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
        info.compress_type = zipfile.ZIP_DEFLATED
        info.external_attr = 0o644 << 16
        info.create_system = 3
        # zip64 always: sizes are not known in advance, and the bytes must not depend on them.
        with self.zip.open(info, "w", force_zip64=True) as entry:
            yield entry

    def commit(self) -> None:
        self.zip.close()
        if self._on_commit:
            self._on_commit()

    def abort(self) -> None:
        if self._on_abort:
            self._on_abort()


def zip_file_target(path: Path) -> ZipTarget:
    partial = path.with_name(path.name + ".partial")
    stream = partial.open("wb")

    def commit():
        stream.close()
        partial.replace(path)

    def abort():
        stream.close()
        partial.unlink(missing_ok=True)

    return ZipTarget(stream, on_commit=commit, on_abort=abort)


def target_for(path: str | Path, *, tabular: bool, stdout: BinaryIO | None = None) -> Target:
    """``-`` is standard output; ``.zip`` a zip; a folder (existing, ending in ``/``, or any path for the
    table formats) a folder; anything else one file with its companions beside it."""
    if str(path) == "-":
        if tabular:
            raise ValueError("csv and parquet write several files: name a folder or a .zip, not -.")
        assert stdout is not None
        return StreamTarget(stdout)
    text = str(path)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix.lower() == ".zip":
        return zip_file_target(path)
    if tabular or path.is_dir() or text.endswith(("/", "\\")):
        return FolderTarget(path)
    return FileTarget(path)
