"""The layers of docs/ARCHITECTURE.md hold: import-linter's contracts pass (also run by `make lint`), and no module
reaches into another module's private (`_`) names, which import-linter cannot see."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PAMONG = Path(__file__).resolve().parents[2]
REPO = PAMONG.parent


def app_of(path: Path) -> str:
    parts = path.relative_to(PAMONG).parts
    return parts[0] if len(parts) > 1 else parts[0].removesuffix(".py")


def private_reaches(path: Path) -> list[str]:
    """`from pamong.<other app>... import _name`, or `<alias of another app's module>._name`."""
    tree = ast.parse(path.read_text(), filename=str(path))
    here = app_of(path)
    other_modules: set[str] = set()
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("pamong."):
            other = node.module.split(".")[1]
            if other == here:
                continue
            for alias in node.names:
                if alias.name.startswith("_"):
                    found.append(f"{path.relative_to(REPO)}:{node.lineno} imports {node.module}.{alias.name}")
                other_modules.add(alias.asname or alias.name)
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("pamong.") and alias.name.split(".")[1] != here:
                    other_modules.add(alias.asname or alias.name.split(".")[0])
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id in other_modules
            and node.attr.startswith("_")
            and not node.attr.startswith("__")
        ):
            found.append(f"{path.relative_to(REPO)}:{node.lineno} uses {node.value.id}.{node.attr}")
    return found


def source_files() -> list[Path]:
    return [p for p in PAMONG.rglob("*.py") if "migrations" not in p.parts and "tests" not in p.parts]


def test_no_module_uses_another_modules_private_names():
    assert len(source_files()) > 100
    problems = [problem for path in source_files() for problem in private_reaches(path)]
    assert problems == []


def test_the_check_sees_a_private_reach(tmp_path):
    fake = PAMONG / "oversight" / "_probe_private_reach.py"
    fake.write_text(
        "from pamong.cases import services as cases\nfrom pamong.cases.services import _x\ncases._y()\n"
    )
    try:
        assert [p.split(" ", 1)[1] for p in private_reaches(fake)] == [
            "imports pamong.cases.services._x",
            "uses cases._y",
        ]
    finally:
        fake.unlink()


@pytest.mark.slow
def test_import_linter_contracts_are_kept():
    lint = Path(sys.executable).parent / "lint-imports"
    result = subprocess.run([str(lint), "--no-cache"], cwd=REPO, capture_output=True, text=True, timeout=120)  # noqa: S603
    assert result.returncode == 0, result.stdout[-3000:]
    assert "Contracts: 2 kept, 0 broken." in result.stdout
