"""The nearest misses of a failed wait: worked out once, by the core, carried by its error,
and shown as they are by the Robot keyword's log and the behave step's attachments."""

from __future__ import annotations

import smtplib
from datetime import timedelta
from types import SimpleNamespace

import pytest

from SMTPLibrary import SMTPLibrary
from SMTPLibrary.bdd.steps import messages as message_steps
from SMTPLibrary.core import Criteria, MessageNotReceived, SMTPServer
from SMTPLibrary.core.mailbox import failures as report
from SMTPLibrary.core.mailbox.matching import Criterion
from SMTPLibrary.keywords import context as keyword_context

SUBJECTS = ("Welcome Bob", "Invoice", "Welcome Alice")


def deliver(port: int) -> None:
    with smtplib.SMTP("127.0.0.1", port, timeout=10) as client:
        for subject in SUBJECTS:
            client.sendmail("app@example.com", ["bob@example.com"], f"Subject: {subject}\r\n\r\nHi\r\n".encode())


@pytest.fixture
def misses_worked_out(monkeypatch):
    """How many times a criterion explained why a message does not match."""
    calls = []
    real_miss = Criterion.miss

    def miss(criterion, message):
        calls.append((criterion.name, message.seq))
        return real_miss(criterion, message)

    monkeypatch.setattr(Criterion, "miss", miss)
    return calls


def test_the_error_carries_the_closest_messages_its_text_lists(misses_worked_out):
    criteria = Criteria.from_strings(subject="Welcome Carol", body="Hello")
    with SMTPServer() as server:
        deliver(server.port)
        server.mailbox.wait_for_count(3, 5)
        with pytest.raises(MessageNotReceived) as failure:
            server.mailbox.wait_for(criteria, 0)
    closest = failure.value.closest
    assert [(message.subject, misses) for message, misses in closest] == [
        (subject, [f"subject {subject!r} did not match 'Welcome Carol'", "body 'Hi' did not match 'Hello'"])
        for subject in reversed(SUBJECTS)
    ]
    assert str(failure.value).endswith(report.arrived_report([m for m, _ in closest], closest))
    # Each message explained once, for each criterion: the body of each is read once.
    assert sorted(misses_worked_out) == sorted((name, seq) for name in ("subject", "body") for seq in (1, 2, 3))


def test_the_robot_keyword_logs_the_closest_messages_of_the_error(monkeypatch, misses_worked_out):
    logged = []
    monkeypatch.setattr(keyword_context.logger, "info", lambda text, html=False: logged.append(text))
    library = SMTPLibrary()
    try:
        deliver(library.start_smtp_server())
        library.message_count_should_be(3)
        logged.clear()
        with pytest.raises(MessageNotReceived) as failure:
            library.message_should_be_received_matching(subject="Welcome Carol", body="Hello", timeout=timedelta(0))
    finally:
        library.stop_all_smtp_servers()
    assert len(misses_worked_out) == 6  # the keyword worked none out again
    assert len(logged) == len(failure.value.closest) == 3
    assert all("Did not match" in card and "Welcome Carol" in card for card in logged)


def test_the_behave_step_attaches_the_closest_messages_of_the_error(misses_worked_out):
    attached = []
    with SMTPServer() as server:
        context = SimpleNamespace(
            smtp_server=server,
            config=SimpleNamespace(userdata={"smtp_timeout": "0"}),
            attach=lambda mime_type, data: attached.append(mime_type),
        )
        deliver(server.port)
        server.mailbox.wait_for_count(3, 5)
        with pytest.raises(MessageNotReceived) as failure:
            message_steps.step_received_with_subject(context, "Welcome Carol")
    assert len(misses_worked_out) == 3  # the step worked none out again
    assert attached == ["text/html", "message/rfc822"] * len(failure.value.closest)
