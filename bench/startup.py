"""Start-up benchmark: the CPU a command spends before it starts, against a bare Django start-up.

    python -m bench.startup              # 5 runs of each, the median
    python -m bench.startup --repeat 9

"bare" is ``django.setup()`` with only contenttypes and auth installed, in the same Python; "check" is
``manage.py check`` (every app, the URLconf, the admin and the system checks). CPU is user + system time
of the child process, so a busy machine slows it less than it slows wall-clock time. The table also
says which heavy libraries ``check`` imported: none of them should be.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile

from bench.common import REPO, median, print_table

TARGET_RATIO = 2.5
HEAVY = ("trafilatura", "pyarrow", "lxml", "numpy")

BARE = """
import django
from django.conf import settings
settings.configure(
    INSTALLED_APPS=["django.contrib.contenttypes", "django.contrib.auth"],
    DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}},
)
django.setup()
"""

# manage.py check, then a report of what it imported (written after the command ran).
CHECK = """
import atexit, json, sys
atexit.register(lambda: print("MODULES " + json.dumps(sorted({m.split(".")[0] for m in sys.modules}))))
sys.argv = ["manage.py", "check"]
import runpy
runpy.run_path("manage.py", run_name="__main__")
"""


def cpu_of(code: str, env: dict[str, str]) -> tuple[float, str]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, env=env, capture_output=True, text=True, check=False
    )
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"start-up run failed:\n{done.stderr[-3000:]}")
    seconds = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return seconds, done.stdout


def main() -> None:
    parser = argparse.ArgumentParser(description="Start-up benchmark")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{folder}/startup.sqlite3",
            "DEBUG": "0",
            "SECRET_KEY": "bench-only",
            "PYTHONDONTWRITEBYTECODE": "",
        }
        env.pop("DJANGO_SETTINGS_MODULE", None)
        cpu_of(CHECK, env)  # compiles the bytecode once, outside the figures
        bare, check = [], []
        imported: set[str] = set()
        for _ in range(args.repeat):
            bare.append(cpu_of(BARE, env)[0])
            seconds, out = cpu_of(CHECK, env)
            check.append(seconds)
            line = next(x for x in out.splitlines() if x.startswith("MODULES "))
            imported |= set(json.loads(line.removeprefix("MODULES "))) & set(HEAVY)
    bare_s, check_s = median(bare), median(check)
    ratio = check_s / bare_s
    print_table(
        ["measure", "CPU s (median)", "x bare", "target", "met"],
        [
            ["bare django.setup() (contenttypes, auth)", f"{bare_s:.3f}", "1.0", "", ""],
            [
                "manage.py check",
                f"{check_s:.3f}",
                f"{ratio:.2f}",
                f"<= {TARGET_RATIO}x",
                "yes" if ratio <= TARGET_RATIO else "no",
            ],
            [
                "heavy libraries imported by check",
                ", ".join(sorted(imported)) or "none",
                "",
                "none of " + ", ".join(HEAVY),
                "no" if imported else "yes",
            ],
        ],
    )
    print(f"{args.repeat} runs each; load average {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
