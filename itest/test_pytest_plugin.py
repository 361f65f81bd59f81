"""The pytest plugin, as a project gets it: installed, no configuration, pytest run in a child process."""

from __future__ import annotations

import importlib.metadata
import subprocess
import sys
import textwrap

TESTS = """
import smtplib
import socket

import pytest

seen = {}


def send(port, subject, recipient="alice@example.com"):
    with smtplib.SMTP("127.0.0.1", port, timeout=10) as client:
        client.sendmail("app@example.com", [recipient], f"Subject: {subject}\\r\\n\\r\\nHello\\r\\n")


def test_a_started_server_on_a_free_port(smtp_server):
    assert smtp_server.is_running()
    assert smtp_server.host == "127.0.0.1" and smtp_server.port > 0
    send(smtp_server.port, "Welcome")
    assert smtp_server.wait_for(subject="Welcome", timeout=5).recipients == ["alice@example.com"]
    seen["port"] = smtp_server.port
    seen["server"] = smtp_server


def test_the_previous_server_was_stopped():
    assert not seen["server"].is_running()
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", seen["port"]), timeout=5)


def test_each_test_gets_its_own_empty_server(smtp_server):
    assert smtp_server.port != seen["port"] or smtp_server.get_message_count() == 0
    assert smtp_server.get_message_count() == 0


def test_several_servers_with_options(smtp_server_factory, tmp_path):
    first = smtp_server_factory()
    second = smtp_server_factory(maildir=tmp_path / "mail", max_messages=1)
    send(second.port, "Only on disk")
    send(second.port, "Kept")
    second.wait_for(subject="Kept")
    assert second.get_message_count() == 1
    assert first.get_message_count() == 0
    seen["factory"] = [first, second]
    seen["maildir"] = tmp_path / "mail"


def test_factory_servers_were_stopped_and_flushed():
    import mailbox

    assert not any(server.is_running() for server in seen["factory"])
    assert sorted(m["subject"] for m in mailbox.Maildir(seen["maildir"], factory=None)) == ["Kept", "Only on disk"]


def test_a_failure_reads_like_the_robot_keyword(smtp_server):
    send(smtp_server.port, "Welcome Bob", recipient="bob@example.com")
    smtp_server.wait_for(recipient="EQUALS:alice@example.com", timeout=0.2)
"""


def run_pytest(tmp_path, source: str) -> subprocess.CompletedProcess:
    (tmp_path / "test_mail.py").write_text(textwrap.dedent(source), encoding="utf-8")
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", "-p", "no:randomly", "test_mail.py"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_plugin_is_registered_as_a_pytest11_entry_point():
    (entry,) = [e for e in importlib.metadata.entry_points(group="pytest11") if e.value.startswith("SMTPLibrary")]
    assert entry.value == "SMTPLibrary.pytest_plugin"


def test_fixtures_work_with_no_configuration_and_failures_read_like_robot(tmp_path):
    result = run_pytest(tmp_path, TESTS)
    output = result.stdout + result.stderr
    assert "1 failed, 5 passed" in output, output
    assert (
        "SMTPLibrary.core.errors.MessageNotReceived: No message matching recipient='EQUALS:alice@example.com' "
        "arrived in 200 milliseconds. 1 message arrived, closest first:"
    ) in output
    assert "1) from app@example.com to bob@example.com, subject 'Welcome Bob': " in output
    # The traceback ends at the test's own line, not inside SMTPLibrary.
    assert "mailbox.py" not in output, output


def test_the_plugin_imports_neither_robot_nor_behave():
    code = (
        "import sys, SMTPLibrary.pytest_plugin; "
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('robot', 'behave')); "
        "print(bad); sys.exit(bool(bad))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
