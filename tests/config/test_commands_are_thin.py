"""Management commands are thin: the ones that write data call a service, which decides and records
who did what. Only the account tools, run by an operator on the server, touch accounts directly."""

from __future__ import annotations

import ast
from pathlib import Path

from tests.conftest import REPO

ORM_WRITES = {
    "save",
    "delete",
    "create",
    "update",
    "bulk_create",
    "bulk_update",
    "get_or_create",
    "update_or_create",
    "set_password",
    "add",
    "remove",
    "set",
    "clear",
    "create_user",
    "create_superuser",
}
# Operators' account tools: who may sign in and with which role is set up on the server itself.
ACCOUNT_TOOLS = {"add_user.py", "api_token.py", "ensure_admin.py"}


def _commands() -> list[Path]:
    return sorted(p for p in REPO.glob("*/management/commands/*.py") if p.name != "__init__.py")


def _orm_writes(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in ORM_WRITES
        ):
            target = ast.unparse(node.func.value)
            # writes to files and streams are not database writes
            if target.startswith(("self.stdout", "self.stderr", "progress", "parser")):
                continue
            found.append(f"{path.name}:{node.lineno}: {ast.unparse(node.func)}")
    return found


def test_commands_write_through_services():
    commands = _commands()
    assert {p.name for p in commands} >= {"takedown.py", "import_dataset.py", "ingest.py", "export.py"}
    direct = [write for path in commands if path.name not in ACCOUNT_TOOLS for write in _orm_writes(path)]
    assert direct == [], "commands writing the database directly instead of through a service"


def test_the_check_sees_a_direct_write(tmp_path):
    sneaky = tmp_path / "sneaky.py"
    sneaky.write_text("def handle():\n    Annotation.objects.filter(pk=1).update(status='published')\n")
    assert _orm_writes(sneaky) == ["sneaky.py:2: Annotation.objects.filter(pk=1).update"]
