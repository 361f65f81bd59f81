"""What the keywords write into Robot's log besides the message cards: notes on criteria, counts."""

import subprocess
import sys

from robot.api import ExecutionResult

SUITE = """\
*** Settings ***
Library    SMTPLibrary
Library    sender.py

*** Test Cases ***
Criteria notes
    ${port} =    Start SMTP Server
    Send    ${port}    malice@example.com    Order (42) paid    Track it: https://example.com/orders/42
    Message Should Be Received Matching    recipient=alice@
    Message Should Be Received Matching    recipient=malice@example.com
    ${none} =    Get Messages    subject=Order (43
    Should Be Empty    ${none}
    ${found} =    Get Messages    recipient=^malice@example\\\\.com$
    ${links} =    Get Links From Message    ${found}

Sessions read as dialogues
    ${port} =    Start SMTP Server
    Send    ${port}    alice@example.com    Hi    Hello
    ${sessions} =    Get SMTP Transcript
    Log    ${sessions}[0]
"""

SENDER = """\
import smtplib


def send(port, recipient, subject, text):
    with smtplib.SMTP("127.0.0.1", int(port)) as client:
        client.sendmail("shop@example.com", [recipient], f"Subject: {subject}\\r\\n\\r\\n{text}\\r\\n")
"""


def messages(item) -> list[str]:
    found = []
    for child in getattr(item, "body", []):
        if type(child).__name__ == "Message":
            found.append(child.message)
        else:
            found += messages(child)
    return found


def test_notes_on_criteria_and_counts_are_logged(tmp_path):
    (tmp_path / "notes.robot").write_text(SUITE)
    (tmp_path / "sender.py").write_text(SENDER)
    result = subprocess.run(
        [sys.executable, "-m", "robot", "--report", "NONE", "--log", "NONE", "--pythonpath", ".", "notes.robot"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    notes, sessions = (messages(test) for test in ExecutionResult(str(tmp_path / "output.xml")).suite.tests)
    # A match of a part of an address is noted; a whole one (malice@example.com, ^malice@example\.com$) is not.
    assert [note for note in notes if "matched only part" in note] == [
        "Message #1: recipient='alice@' matched only part of 'malice@example.com'."
    ]
    # A value that is no regular expression and found nothing says so.
    assert (
        "subject='Order (43' is not a valid regular expression (missing ), unterminated subpattern at position 6), "
        "so it was looked for as written only: to compare as written, write subject=CONTAINS:Order (43 or "
        "subject=EQUALS:Order (43; to search with a regular expression, correct it."
    ) in notes
    assert "1 link." in notes
    assert any(message.startswith("Session 1 from 127.0.0.1:") and "\nS: 250 OK\n" in message for message in sessions)
