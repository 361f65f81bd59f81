"""The examples of the README run as written: the Robot suite (a file of examples/), the fault
injection test case, the behave scenario (a scenario of examples/signup/), every Python block."""

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def readme_blocks(language: str) -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    return re.findall(rf"```{language}\n(.*?)```", readme, flags=re.S)


def robot(*arguments: str | Path, cwd: Path) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "robot", "--output", "NONE", "--report", "NONE", "--log", "NONE", *arguments]
    return subprocess.run([str(part) for part in command], cwd=cwd, capture_output=True, text=True, timeout=120)


def test_readme_robot_example_is_a_file_that_passes_from_anywhere(tmp_path):
    (example,) = readme_blocks("robotframework")
    suite = ROOT / "examples" / "signup" / "quickstart.robot"
    assert suite.read_text(encoding="utf-8") == example
    assert f"robot {suite.relative_to(ROOT)}" in (ROOT / "README.md").read_text(encoding="utf-8")
    for folder in (ROOT, tmp_path):
        result = robot(suite, cwd=folder)
        assert result.returncode == 0, result.stdout + result.stderr


def test_readme_fault_injection_example_passes(tmp_path):
    (test_case,) = [block for block in readme_blocks("robot") if "Set SMTP Reply" in block]
    suite = tmp_path / "greylisting.robot"
    suite.write_text(
        "*** Settings ***\nLibrary    SMTPLibrary\nResource    " + str(ROOT / "examples" / "retry" / "shop.resource")
        + "\nTest Setup    Start SMTP Server\n\n*** Test Cases ***\n" + test_case,
        encoding="utf-8",
    )  # fmt: skip
    result = robot(suite, cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 test, 1 passed, 0 failed" in result.stdout


def test_readme_behave_example_is_a_scenario_of_the_signup_example():
    (scenario,) = readme_blocks("gherkin")
    feature = (ROOT / "examples" / "signup" / "features" / "signup.feature").read_text(encoding="utf-8")
    lines = scenario.strip().splitlines()[1:]  # the feature file has its own Feature line and description
    assert "\n".join(lines) in feature
    # itest/test_examples.py runs the feature.


def test_readme_python_examples_run(tmp_path):
    examples = readme_blocks("python")
    assert len(examples) >= 3
    for code in examples:
        result = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=60)
        assert result.returncode == 0, f"{code}\n---\n{result.stdout}{result.stderr}"


def test_readme_message_checks_example_passes(tmp_path):
    """The README's message checks test, as written, with the application it stands for."""
    (example,) = [block for block in readme_blocks("robot") if "Create DKIM Key" in block]
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
