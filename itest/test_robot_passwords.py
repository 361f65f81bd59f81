"""Passwords stay out of Robot's output: the library never logs them, and Secret values stay secret."""

import subprocess
import sys

VARIABLES = """\
from robot.api.types import Secret

SECRET_CREDENTIALS = Secret("alice:TopSecret1")
SECRET_DICT = {"bob": Secret("TopSecret2")}
PLAIN_CREDENTIALS = "carol:TopSecret3, dave:TopSecret4"
BAD_CREDENTIALS = Secret("TopSecret5")
SECRET_PASSWORD = Secret("TopSecret1")
"""

SUITE = """\
*** Settings ***
Library    SMTPLibrary    timeout=5 s
Library    sender.py
Test Teardown    Stop All SMTP Servers

*** Test Cases ***
Secret credentials at TRACE level
    ${port} =    Start SMTP Server    tls=starttls    credentials=${SECRET_CREDENTIALS}    auth_required=True
    ${ca} =    Get SMTP Server CA Certificate
    Send As Alice    ${port}    ${ca}    ${SECRET_PASSWORD}
    Message Should Be Received Matching    authenticated_as=alice    tls=yes
    Start SMTP Server    tls=implicit    credentials=${SECRET_DICT}

Plain credentials from a variable
    Start SMTP Server    tls=starttls    credentials=${PLAIN_CREDENTIALS}    allow_plaintext_auth=True

Wrong credentials fail without showing them
    Run Keyword And Expect Error    credentials entry 1 is not 'user:password'.
    ...    Start SMTP Server    credentials=${BAD_CREDENTIALS}
"""


SENDER = """\
from SMTPLibrary.core.smtp import client


def send_as_alice(port, ca, password):
    client.send("127.0.0.1", int(port), "a@example.com", ["b@example.com"], b"Subject: x\\r\\n\\r\\nx\\r\\n",
                tls="starttls", ca_certificate=ca, login=("alice", password.value))
"""


def run_robot(tmp_path, loglevel):
    (tmp_path / "variables.py").write_text(VARIABLES)
    (tmp_path / "sender.py").write_text(SENDER)
    (tmp_path / "suite.robot").write_text(SUITE)
    command = [
        sys.executable,
        "-m",
        "robot",
        "--loglevel",
        loglevel,
        "--variablefile",
        "variables.py",
        "--output",
        "output.xml",
        "--log",
        "NONE",
        "--report",
        "NONE",
        "--console",
        "none",
        "suite.robot",
    ]
    result = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=120)
    return result, (tmp_path / "output.xml").read_text(encoding="utf-8")


def test_secret_credentials_never_reach_the_log_even_at_trace_level(tmp_path):
    result, output = run_robot(tmp_path, "TRACE")
    assert result.returncode == 0, result.stdout + result.stderr
    tests = output.split("<test ")
    secret_tests = [test for test in tests if 'name="Secret credentials' in test or 'name="Wrong credentials' in test]
    assert len(secret_tests) == 2
    # At TRACE Robot logs every argument: a plain string would show (which makes the check above mean something).
    assert "TopSecret3" in next(test for test in tests if 'name="Plain credentials' in test)
    for test in secret_tests:
        assert 'status="PASS"' in test
        assert "TopSecret" not in test
    assert "login required for alice" in output
    assert "Logged in as" in output


def test_plain_credentials_in_a_variable_stay_out_of_the_log_at_info_level(tmp_path):
    result, output = run_robot(tmp_path, "INFO")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "TopSecret" not in output
    assert "login accepted for carol, dave, also without TLS" in output
