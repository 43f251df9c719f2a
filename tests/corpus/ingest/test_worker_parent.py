"""A pipeline worker ends with the process that started it, also where the kernel does not tell it
(``PR_SET_PDEATHSIG`` is Linux only): its watch thread notices the parent is gone. The pool itself, killed
with its parent, is in tests/faults/test_ingest_killed.py."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import REPO

PARENT = r"""
import os, sys, time
reader, writer = os.pipe()
if os.fork() == 0:
    sys.platform = "other"  # no prctl here: the watch thread alone must notice
    from corpus.ingest.pipeline import die_with_parent
    die_with_parent(os.getppid())
    os.write(writer, f"{os.getpid()}\n".encode())
    time.sleep(600)
    os._exit(0)
print(os.read(reader, 100).decode().strip(), flush=True)
time.sleep(600)
"""


def _running(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"  # a zombie has ended


def test_a_worker_whose_parent_is_killed_ends_by_itself():
    if not Path(f"/proc/{os.getpid()}/stat").exists() or not hasattr(os, "fork"):
        pytest.skip("needs fork and /proc (Linux)")
    parent = subprocess.Popen([sys.executable, "-c", PARENT], cwd=REPO, stdout=subprocess.PIPE, text=True)
    worker = 0
    try:
        worker = int(parent.stdout.readline())
        assert _running(worker)
        parent.send_signal(signal.SIGKILL)
        parent.wait(timeout=30)
        deadline = time.monotonic() + 30
        while _running(worker) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not _running(worker), "the worker outlived its parent"
    finally:
        if parent.poll() is None:
            parent.kill()
            parent.wait(timeout=30)
        parent.stdout.close()
        if worker and _running(worker):
            os.kill(worker, signal.SIGKILL)
