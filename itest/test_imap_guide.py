"""docs/imap-pop3.md: its examples run as written, and print what the guide says they print.

The Robot suite runs with robot, the gherkin feature with behave (with the steps file the guide
shows), the Python example with python (its output compared), the pytest test with pytest, and
the ``smtplibrary serve`` command prints the lines shown (every number a wildcard)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from serve_process import ServeProcess

DOCS = Path(__file__).resolve().parent.parent / "docs"
ROOT = DOCS.parent
BIN = Path(sys.executable).parent


def blocks() -> list[tuple[str, str, str]]:
    """``(info, code, text before it)`` for each fenced block of the guide."""
    text = (DOCS / "imap-pop3.md").read_text(encoding="utf-8")
    found, position = [], 0
    for match in re.finditer(r"^```(\w*)\n(.*?)^```$", text, flags=re.S | re.M):
        found.append((match.group(1), match.group(2), text[position : match.start()]))
        position = match.end()
    return found


def the(info: str, containing: str = "") -> list[tuple[int, str]]:
    return [(i, code) for i, (kind, code, _) in enumerate(blocks()) if kind == info and containing in code]


def run(command: list[str], cwd: Path) -> subprocess.CompletedProcess:
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def test_the_robot_example_passes(tmp_path):
    ((_, suite),) = the("robotframework")
    (tmp_path / "guide.robot").write_text(suite, encoding="utf-8")
    run([str(BIN / "robot"), "--outputdir", str(tmp_path), str(tmp_path / "guide.robot")], cwd=ROOT)


def test_the_behave_example_passes(tmp_path):
    ((_, feature),) = the("gherkin")
    ((_, steps),) = the("python", "from behave import")
    (tmp_path / "features" / "steps").mkdir(parents=True)
    (tmp_path / "features" / "reading.feature").write_text(feature, encoding="utf-8")
    (tmp_path / "features" / "steps" / "mail.py").write_text(steps, encoding="utf-8")
    result = run([str(BIN / "behave"), "--format", "progress", "features"], cwd=tmp_path)
    assert "1 scenario passed, 0 failed" in result.stdout


def test_the_python_example_prints_what_the_guide_says(tmp_path):
    found = blocks()
    ((index, code),) = the("python", "with SMTPServer() as server")
    result = run([sys.executable, "-c", code], cwd=tmp_path)
    info, printed, before = found[index + 1]
    assert (info, before.strip()) == ("text", "prints")
    assert result.stdout == printed


def test_the_pytest_example_passes(tmp_path):
    ((_, code),) = the("python", "def test_")
    (tmp_path / "test_guide.py").write_text(code, encoding="utf-8")
    result = run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "test_guide.py"], cwd=tmp_path)
    assert "1 passed" in result.stdout


def test_the_serve_command_prints_what_the_guide_says():
    found = blocks()
    ((index, command),) = the("sh", "smtplibrary serve")
    shown = found[index + 1][1].splitlines()
    arguments = command.split()[2:]
    ports = [arguments.index(flag) + 1 for flag in ("--port", "--imap-port", "--pop3-port")]
    for position in ports:
        arguments[position] = "0"  # free ports: the guide's are examples
    serve = ServeProcess(*arguments)
    try:
        serve.expect("Ctrl\\+C stops")
    finally:
        serve.kill()
    printed = [line for line in serve.lines if line.startswith(("IMAP", "POP3", "Each"))]
    assert len(printed) == len(shown), serve.lines
    for got, wanted in zip(printed, shown, strict=True):
        pattern = "".join(r"\d+" if part.isdigit() else re.escape(part) for part in re.split(r"(\d+)", wanted))
        assert re.fullmatch(pattern, got), (got, wanted)
