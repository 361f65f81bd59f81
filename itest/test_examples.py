"""The example projects of examples/ pass, as `make demo` runs them: their Robot suites and behave features."""

import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def test_the_example_suites_pass(tmp_path):
    suites = [EXAMPLES / "signup" / "signup.robot", EXAMPLES / "retry" / "retry.robot"]
    command = [sys.executable, "-m", "robot", "--outputdir", str(tmp_path), "--consolecolors", "off", *map(str, suites)]
    result = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("project", ["signup", "retry"])
def test_the_example_features_pass(project):
    command = [sys.executable, "-m", "behave", "--format", "progress", "features"]
    result = subprocess.run(command, cwd=EXAMPLES / project, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert " 0 failed" in result.stdout
