"""Parquet files are written with Arrow's memory from the C library's allocator (a lower peak than
Arrow's own), unless the environment chose an allocator; the bytes do not depend on it."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from tests.conftest import REPO

PROBE = """
import json
from annotations.exports.parquet import _pyarrow
pa = _pyarrow()
print(json.dumps(pa.default_memory_pool().backend_name))
"""


def _pool(**env: str) -> str:
    environment = {k: v for k, v in os.environ.items() if k != "ARROW_DEFAULT_MEMORY_POOL"}
    environment.update(DJANGO_SETTINGS_MODULE="config.settings_test", PYTHONPATH=str(REPO), **env)
    code = "import django; django.setup()\n" + PROBE
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, env=environment, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_arrow_takes_the_c_library_allocator_unless_the_environment_chose_one():
    assert _pool() == "system"
    assert _pool(ARROW_DEFAULT_MEMORY_POOL="jemalloc") == "jemalloc"
