"""Pages and commands about accounts and organisations reach the database only through the
services: no module here imports ``jobnudge.store`` at run time (type hints aside)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src" / "jobnudge"
MODULES = (
    "web/context.py",
    "web/routes/account.py",
    "web/routes/auth.py",
    "web/routes/calendar.py",
    "web/routes/caseload.py",
    "web/routes/orgs.py",
    "web/routes/cohort.py",
)


def _runtime_store_imports(path: Path, parts: tuple[str, ...] = ("",)) -> list[int]:
    """Lines importing ``jobnudge.store`` (or only its ``parts``) outside type hints."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    hints: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            hints.update(id(n) for child in node.body for n in ast.walk(child))
    found = []
    for node in ast.walk(tree):
        if id(node) in hints:
            continue
        names: list[str] = []
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("jobnudge.store"):
            names = [f"{node.module}.{a.name}" for a in node.names]
        elif isinstance(node, ast.Import):
            names = [a.name for a in node.names if a.name.startswith("jobnudge.store")]
        prefixes = tuple(f"jobnudge.store.{p}" if p else "jobnudge.store" for p in parts)
        if any(n.startswith(prefixes) for n in names):
            found.append(node.lineno)
    return found


@pytest.mark.parametrize("module", MODULES)
def test_no_store_import_at_run_time(module: str) -> None:
    assert _runtime_store_imports(SRC / module) == [], module


def test_no_command_or_page_reads_accounts_or_organisations_from_the_store() -> None:
    for path in [*(SRC / "cli").rglob("*.py"), *(SRC / "web").rglob("*.py")]:
        found = _runtime_store_imports(
            path, ("accounts", "orgs", "org_invites", "caseloads", "org_reads", "caseload_reads")
        )
        assert found == [], (path, found)


def test_the_check_sees_a_store_import() -> None:
    assert _runtime_store_imports(SRC / "web" / "routes" / "pipeline.py") != []
