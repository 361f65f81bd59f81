"""docs/reliability.md cannot rot: every test its tables name exists (a pytest function,
a Robot test case, a behave scenario), every row names one, and every test of hard/ is there."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TABLE = ROOT / "docs" / "reliability.md"
REFERENCE = re.compile(r"`([\w./-]+\.(?:py|robot|feature))::([^`]+)`")


def rows(text: str) -> list[str]:
    """The body rows of the document's tables (no header, no separator)."""
    table_lines = [line for line in text.splitlines() if line.startswith("|")]
    return [line for line in table_lines if not re.fullmatch(r"\|[\s|:-]+\|", line) and "| Case |" not in line]


def references(text: str) -> list[tuple[str, str]]:
    return REFERENCE.findall(text)


def python_tests(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = {node.name for node in tree.body if isinstance(node, ast.FunctionDef)}
    for node in tree.body:
        if isinstance(node, ast.ClassDef):
            names |= {f"{node.name}::{item.name}" for item in node.body if isinstance(item, ast.FunctionDef)}
    return {name for name in names if name.split("::")[-1].startswith("test_")}


def robot_tests(path: Path) -> set[str]:
    names, in_tests = set(), False
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("***"):
            in_tests = line.strip("* ").lower() in ("test cases", "test case", "tasks")
        elif in_tests and line and not line[0].isspace() and not line.startswith("#"):
            names.add(line.split("  ")[0].strip())
    return names


def scenarios(path: Path) -> set[str]:
    found = re.findall(r"^\s*Scenario(?: Outline)?:\s*(.+?)\s*$", path.read_text(encoding="utf-8"), re.M)
    return set(found)


def names_in(path: Path) -> set[str]:
    if not path.is_file():
        return set()
    if path.suffix == ".py":
        return python_tests(path)
    if path.suffix == ".robot":
        return robot_tests(path)
    return scenarios(path)


def problems(text: str, root: Path) -> list[str]:
    """Rows naming no test, and names of tests that do not exist."""
    found = [f"a row names no test: {row[:80]}" for row in rows(text) if not references(row)]
    for file, name in references(text):
        if name.split("[")[0] not in names_in(root / file):
            found.append(f"no test {file}::{name}")
    return found


def test_every_test_named_in_the_table_exists():
    text = TABLE.read_text(encoding="utf-8")
    assert len(rows(text)) >= 30
    assert problems(text, ROOT) == []


def test_every_hardening_test_is_in_the_table():
    named = set(references(TABLE.read_text(encoding="utf-8")))
    hard = Path(__file__).resolve().parent
    missing = [
        f"hard/{path.name}::{name}"
        for path in sorted(hard.glob("test_*.py"))
        for name in sorted(python_tests(path))
        if (f"hard/{path.name}", name) not in named
    ]
    assert missing == [], "tests of hard/ missing from docs/reliability.md"


def test_the_check_finds_a_name_that_does_not_exist(tmp_path):
    (tmp_path / "t.robot").write_text("*** Test Cases ***\nReal test\n    No Operation\n")
    (tmp_path / "t.feature").write_text("Feature: f\n  Scenario: Real scenario\n    Given x\n")
    (tmp_path / "t.py").write_text("def test_real():\n    pass\n\nclass TestK:\n    def test_m(self):\n        pass\n")
    text = "\n".join(
        [
            "| Case | What | Proved by |",
            "| --- | --- | --- |",
            "| a | b | `t.py::test_real`, `t.py::test_real[param]`, `t.py::TestK::test_m` |",
            "| a | b | `t.robot::Real test`, `t.feature::Real scenario` |",
            "| a | b | `t.py::test_gone`, `t.robot::Gone test`, `t.feature::Gone scenario`, `none.py::test_real` |",
            "| a | b | nothing named |",
        ]
    )
    assert problems(text, tmp_path) == [
        "a row names no test: | a | b | nothing named |",
        "no test t.py::test_gone",
        "no test t.robot::Gone test",
        "no test t.feature::Gone scenario",
        "no test none.py::test_real",
    ]
