"""Credentials never show: not in the transcript, not in Python logging (even aiosmtpd's at
DEBUG), not in Robot's log at TRACE level nor in failure messages, not in the CLI's output.
Every way of logging in is tried (hard/logins.py), with the right password and a wrong one."""

from __future__ import annotations

import logging
import subprocess
import sys
from pathlib import Path

import pytest
from logins import CREDENTIALS, OUTCOMES, USER, WAYS, log_in_every_way, secret_forms
from serve_process import ServeProcess

from SMTPLibrary.core import SMTPServer

HARD = Path(__file__).resolve().parent


def leaks(text: str) -> list[str]:
    return [form for form in secret_forms() if form in text]


@pytest.fixture
def login_server():
    with SMTPServer(credentials=CREDENTIALS, allow_plaintext_auth=True) as server:
        yield server


def test_the_transcript_masks_every_answer_of_every_way_of_logging_in(login_server):
    log_in_every_way(login_server.port)
    sessions = login_server.transcript.sessions()
    assert len(sessions) == len(OUTCOMES)
    masked = []
    for session in sessions:
        assert leaks(session.text) == [], session.text
        masked.append([command for command in session.commands if "AUTH" in command or "****" in command])
    expected = {
        "PLAIN, initial response": ["AUTH PLAIN ********"],
        "PLAIN, answer to a challenge": ["AUTH PLAIN", "********"],
        "LOGIN, initial response": ["AUTH LOGIN ********", "********"],
        "LOGIN, answers to challenges": ["AUTH LOGIN", "********", "********"],
        "LOGIN, password not encoded": ["AUTH LOGIN", "********", "********"],
    }
    assert masked == [expected[way] for way, _ in OUTCOMES]


def test_aiosmtpd_logging_at_debug_level_shows_no_credential(login_server, caplog):
    caplog.set_level(logging.DEBUG, logger="mail.log")
    log_in_every_way(login_server.port)
    assert "AUTH PLAIN ********" in caplog.text  # the dialogue is logged, masked
    assert "Can't decode base64" in caplog.text or "can't decode base64" in caplog.text
    assert leaks(caplog.text) == []


ROBOT_SUITE = """\
*** Settings ***
Library    SMTPLibrary    timeout=2 s
Library    logins.py
Variables    secret.py
Test Teardown    Stop All SMTP Servers

*** Test Cases ***
Every way of logging in, logged at TRACE level
    ${port} =    Start SMTP Server    credentials=${CREDENTIALS}    allow_plaintext_auth=True
    Log In Every Way    ${port}
    ${sessions} =    Get SMTP Transcript
    Should Be Equal    ${sessions[0].commands}[1]    AUTH PLAIN ********
    ${messages} =    Get Messages    authenticated_as=alice
    Length Should Be    ${messages}    4
    Message Should Be Received Matching    authenticated_as=alice    subject=.*initial response
    Run Keyword And Expect Error    No message matching authenticated_as='mallory' arrived in 0 seconds.*
    ...    Message Should Be Received Matching    authenticated_as=mallory    timeout=0
    Run Keyword And Expect Error    The client should have retried 0 times but had already retried 9 times.*
    ...    SMTP Client Should Have Retried    0    timeout=0
"""

SECRET_VARIABLES = """\
from robot.api.types import Secret
from logins import CREDENTIALS as _CREDENTIALS

CREDENTIALS = Secret(_CREDENTIALS)
"""


def test_robot_log_at_trace_level_and_failure_messages_show_no_credential(tmp_path):
    (tmp_path / "suite.robot").write_text(ROBOT_SUITE)
    (tmp_path / "secret.py").write_text(SECRET_VARIABLES)
    command = [sys.executable, "-m", "robot", "--loglevel", "TRACE", "--pythonpath", str(HARD)]
    command += ["--output", "output.xml", "--log", "NONE", "--report", "NONE", "--console", "none", "suite.robot"]
    result = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=120)
    output = (tmp_path / "output.xml").read_text(encoding="utf-8")
    assert result.returncode == 0, result.stdout + result.stderr + output[-3000:]
    # The log holds the dialogue, the message cards and both failures (so the check below means something).
    for shown in ("AUTH PLAIN ********", "535 5.7.8 Authentication credentials invalid", "logged in, LOGIN"):
        assert shown in output
    assert "already retried 9 times" in output
    assert leaks(output + result.stdout + result.stderr) == []


def test_cli_output_shows_no_credential(tmp_path):
    server = ServeProcess("--port", "0", "--credentials", CREDENTIALS, "--allow-plaintext-auth", "--verbose")
    try:
        server.started()
        assert f"AUTH PLAIN and LOGIN for {USER}, with or without TLS." in server.lines
        log_in_every_way(server.port)
        for way in WAYS:
            if not way.endswith("not encoded"):
                server.expect(f"subject 'logged in, {way}'")
        assert server.stop() == 0
    finally:
        server.kill()
    assert leaks(server.output + server.stderr) == []
