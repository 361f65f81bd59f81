"""The examples of the README run as written, from the repository root: the Robot suite and every Python block."""

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


def test_readme_python_examples_run(tmp_path):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    examples = re.findall(r"```python\n(.*?)```", readme, flags=re.S)
    assert len(examples) >= 3
    for code in examples:
        result = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=60)
        assert result.returncode == 0, f"{code}\n---\n{result.stdout}{result.stderr}"


def test_readme_message_checks_example_passes(tmp_path):
    """The README's message checks test, as written, with the application it stands for."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    (example,) = [
        block for block in re.findall(r"```robot\n(.*?)```", readme, flags=re.S) if "Create DKIM Key" in block
    ]
    suite = tmp_path / "checks.robot"
    suite.write_text(
        "*** Settings ***\nLibrary    SMTPLibrary\nLibrary    SignedMailer.py\n"
        "Test Setup    Start SMTP Server    port=0\nTest Teardown    Stop All SMTP Servers\n\n"
        "*** Test Cases ***\n" + example + "\n*** Keywords ***\nSend Signed Invoice\n"
        "    [Arguments]    ${key_file}\n"
        "    ${port} =    Get SMTP Server Port\n"
        "    Send Signed Mail    ${port}    ${{ {'algorithm': 'rsa-sha256', 'selector': 'test', "
        "'domain': 'example.com', 'private_key_path': $key_file} }}    subject=Invoice 42\n",
        encoding="utf-8",
    )
    result = subprocess.run(
        [sys.executable, "-m", "robot", "--output", "NONE", "--report", "NONE", "--log", "NONE",
         "--pythonpath", str(ROOT / "atest" / "resources"), str(suite)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
