"""examples/retry runs as `make demo` runs it: its Robot suite and its behave feature pass, the
rate-limit test among them (the application backs off and every confirmation arrives once)."""

import subprocess
import sys
from pathlib import Path

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "retry"


def test_the_robot_suite_passes(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "robot", "--outputdir", str(tmp_path), "--consolecolors", "off", "retry.robot"],
        cwd=EXAMPLE,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Rate-limited, the confirmations go out later and each arrives once" in result.stdout


def test_the_behave_feature_passes():
    result = subprocess.run(
        [sys.executable, "-m", "behave", "--format", "plain", "--no-capture", "features"],
        cwd=EXAMPLE,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "4 scenarios passed, 0 failed" in result.stdout
