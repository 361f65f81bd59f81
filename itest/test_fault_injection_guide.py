"""docs/fault-injection.md runs as written: the Robot suite passes, the Python script prints what
the guide shows (numbers aside), the pytest module passes, the behave feature passes, and the
`smtplibrary serve` command is the CLI guide's."""

from __future__ import annotations

import shlex
import subprocess
import sys

from test_user_guides import assert_lines_match, blocks

from SMTPLibrary.cli import build_parser

GUIDE = "fault-injection.md"


def run(command: list[str], cwd, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=timeout)


def test_the_robot_suite_passes(tmp_path):
    (suite,) = [code for info, code, _ in blocks(GUIDE) if info == "robotframework"]
    (tmp_path / "guide.robot").write_text(suite, encoding="utf-8")
    result = run(
        [sys.executable, "-m", "robot", "--output", "NONE", "--report", "NONE", "--log", "NONE", "guide.robot"],
        tmp_path,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "3 tests, 3 passed, 0 failed" in result.stdout


def test_the_python_script_prints_what_the_guide_shows(tmp_path):
    found = blocks(GUIDE)
    index = next(i for i, (info, code, _) in enumerate(found) if info == "python" and "def test_" not in code)
    result = run([sys.executable, "-c", found[index][1]], tmp_path, 60)
    assert result.returncode == 0, result.stderr
    info, shown, before = found[index + 1]
    assert info == "text" and before.strip().startswith("prints")
    assert_lines_match(result.stdout.splitlines(), shown.splitlines())


def test_the_pytest_module_passes(tmp_path):
    (module,) = [code for info, code, _ in blocks(GUIDE) if info == "python" and "def test_" in code]
    (tmp_path / "test_guide.py").write_text(module, encoding="utf-8")
    result = run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "test_guide.py"], tmp_path)
    assert "2 passed" in result.stdout, result.stdout + result.stderr


def test_the_behave_feature_passes(tmp_path):
    (feature,) = [code for info, code, _ in blocks(GUIDE) if info == "gherkin"]
    (tmp_path / "features" / "steps").mkdir(parents=True)
    (tmp_path / "features" / "guide.feature").write_text(feature, encoding="utf-8")
    (tmp_path / "features" / "steps" / "smtp.py").write_text("import SMTPLibrary.bdd.steps  # noqa: F401\n")
    result = run([sys.executable, "-m", "behave", "--format", "plain", "features"], tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 scenario passed, 0 failed" in result.stdout


def test_the_serve_command_is_the_cli_guides_and_parses():
    (command,) = [code.strip() for info, code, _ in blocks(GUIDE) if info == "text" and "smtplibrary serve" in code]
    (documented,) = [code.splitlines()[0] for info, code, _ in blocks("cli.md") if info == "text" and "--chaos" in code]
    assert documented == f"$ {command}"
    options = build_parser().parse_args(shlex.split(command)[1:])
    assert options.seed == 42 and options.fault and options.rate_limit and options.chaos
