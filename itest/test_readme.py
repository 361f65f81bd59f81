"""The Robot Framework example of the README runs as written, from the repository root."""

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_readme_robot_example_passes(tmp_path):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    (example,) = re.findall(r"```robotframework\n(.*?)```", readme, flags=re.S)
    suite = tmp_path / "example.robot"
    suite.write_text(example, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "robot", "--output", "NONE", "--report", "NONE", "--log", "NONE", str(suite)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
