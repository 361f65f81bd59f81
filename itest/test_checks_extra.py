"""Without the checks extra: Robot's library, the behave steps and the pytest plugin load and work, and
each check fails naming the command that installs it. The check libraries are hidden from a child process."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HIDE = "import sys\nfor name in ('dkim', 'spf', 'publicsuffixlist', 'dns', 'nacl'):\n    sys.modules[name] = None\n"
MISSING = (
    "Message checks need dkimpy, dnspython, PyNaCl, pyspf, publicsuffixlist, which are not installed. "
    "Install them with: pip install robotframework-smtplibrary[checks]"
)


def run_hidden(code: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", HIDE + code], cwd=cwd, capture_output=True, text=True, timeout=120)


def test_robot_library_without_the_extra(tmp_path):
    (tmp_path / "suite.robot").write_text(
        f"""*** Settings ***
Library    SMTPLibrary

*** Test Cases ***
The server works, the checks say what to install
    ${{port}} =    Start SMTP Server
    Should Be True    ${{port}} > 0
    ${{mail}} =    Evaluate    b'Subject: x\\\\r\\\\n\\\\r\\\\nx\\\\r\\\\n'
    FOR    ${{keyword}}    IN    Get Message Problems    Get Message Authentication    Message Should Be Well Formed
        Run Keyword And Expect Error    EQUALS:{MISSING}    ${{keyword}}    ${{mail}}
    END
    Run Keyword And Expect Error    EQUALS:{MISSING}    Add Test DNS Record    example.com    TXT    v=spf1 -all
    Run Keyword And Expect Error    EQUALS:{MISSING}    Create DKIM Key    example.com
    [Teardown]    Stop All SMTP Servers
""",
        encoding="utf-8",
    )
    done = run_hidden(
        "import robot\n"
        "sys.exit(robot.run_cli(['--output', 'NONE', '--log', 'NONE', '--report', 'NONE', 'suite.robot'], exit=False))",
        tmp_path,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_behave_steps_without_the_extra(tmp_path):
    steps = tmp_path / "features" / "steps"
    steps.mkdir(parents=True)
    (steps / "smtp.py").write_text("import SMTPLibrary.bdd.steps  # noqa: F401\n")
    (tmp_path / "features" / "checks.feature").write_text(
        """Feature: No extra
  Scenario: A check step says what to install
    Given an SMTP server is running
    When a message is sent from "app@example.com" to "alice@example.com" with subject "Hi"
    Then a message to "alice@example.com" should be received
    And the message should be well formed
"""
    )
    done = run_hidden(
        "from behave.__main__ import main\nsys.exit(main(['--no-capture', '--format', 'plain', 'features']))", tmp_path
    )
    output = done.stdout + done.stderr
    assert done.returncode == 1, output
    # A failure with its message alone, as every error of the library's steps is (bdd/steps/context.py):
    # the message names what to install, and a traceback of the library's frames would bury it.
    assert "3 steps passed, 1 failed, 0 skipped" in output and MISSING in output, output
    assert "Traceback" not in output, output


def test_pytest_plugin_without_the_extra(tmp_path):
    (tmp_path / "test_dns.py").write_text(
        "def test_the_fixtures_load(smtp_server, smtp_dns):\n"
        "    smtp_dns.add('example.com', 'TXT', 'v=spf1 -all')\n"
        "    assert smtp_server.port and len(smtp_dns) == 1\n"
    )
    done = run_hidden("import pytest\nsys.exit(pytest.main(['-q', '-p', 'no:cacheprovider', 'test_dns.py']))", tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
