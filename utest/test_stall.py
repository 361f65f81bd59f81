"""Stalls inside DATA, through real connections. Clients give up on short timeouts of their own:
nothing here sleeps to wait."""

import re
import smtplib
import socket
import time

import pytest

from SMTPLibrary.core import InvalidArgument
from SMTPLibrary.core.smtp.faults import stall as stall_module

BODY = b"From: app@example.com\r\nSubject: Hello\r\n\r\n" + (b"0123456789" * 10 + b"\r\n") * 10


def send(server, body=BODY, timeout=5.0):
    with smtplib.SMTP("127.0.0.1", server.port, timeout=timeout) as client:
        client.sendmail("app@example.com", ["bob@example.com"], body)


def ended_session(server):
    found = server.transcript.wait(lambda sessions: sessions if sessions and sessions[-1].ended else None, 5).result
    assert found, server.transcript.sessions()
    return found[-1]


def notes(session):
    return [entry.text for entry in session.entries if entry.direction == "*"]


def test_continue_holds_the_data_for_the_duration_then_the_message_completes_once(server):
    server.faults.stall(100, 0.3, "continue")
    started = time.monotonic()
    send(server)
    assert time.monotonic() - started >= 0.3
    assert [message.raw for message in server.mailbox.messages()] == [BODY]
    stalled, over = notes(ended_session(server))
    assert stalled == "fault at DATA: stall after 100 bytes of message data, for 300 milliseconds, then read on"
    assert re.fullmatch(r"stall over after 3\d\d milliseconds: the server reads on", over)
    assert server.faults.stalls == ()  # count=1: spent


def test_disconnect_drops_the_connection_and_stores_nothing(server):
    server.faults.stall(100, 0.2)
    with pytest.raises(smtplib.SMTPServerDisconnected):
        send(server)
    session = ended_session(server)
    assert session.dropped
    assert notes(session)[-1].endswith(": the server drops the connection")
    assert server.mailbox.count() == 0


def test_a_client_that_gives_up_during_the_stall_leaves_nothing_stored(server):
    server.faults.stall(100)
    with pytest.raises(smtplib.SMTPServerDisconnected, match="timed out"):
        send(server, timeout=0.5)
    session = ended_session(server)
    assert notes(session)[0] == "fault at DATA: stall after 100 bytes of message data, until the client gives up"
    assert notes(session)[1].startswith("the connection closed 0.")
    assert notes(session)[1].endswith(" s into the stall: nothing of the message stored")
    assert server.mailbox.count() == 0


def test_with_continue_a_client_that_left_is_not_stored_from_the_bytes_it_sent_before(server):
    server.faults.stall(100, 0.6, "continue")
    with pytest.raises(smtplib.SMTPServerDisconnected):
        send(server, timeout=0.2)
    # The stall ends after the client left: nothing to read on for.
    assert "the connection closed 0." in "\n".join(notes(ended_session(server)))
    server.faults.clear()
    send(server)
    assert server.mailbox.count() == 1


def test_a_message_shorter_than_after_bytes_does_not_stall_and_keeps_the_rule(server):
    server.faults.stall(5000, 10)
    send(server)
    (note,) = notes(ended_session(server))
    # The data on the wire: the message and the end-of-data line.
    assert (
        note
        == f"no stall: the message data ended after {len(BODY) + 3} bytes, before the 5000 bytes the stall waits for"
    )
    assert len(server.faults.stalls) == 1 and server.mailbox.count() == 1


def test_after_zero_bytes_stalls_at_once_and_count_zero_every_message(server):
    server.faults.stall(0, 0.05, count=0)
    for _ in range(2):
        with pytest.raises(smtplib.SMTPServerDisconnected):
            send(server)
    assert len(server.faults.stalls) == 1
    server.faults.clear()
    send(server)
    assert server.mailbox.count() == 1


def test_more_than_the_hold_limit_stops_reading_the_socket_too(server, monkeypatch):
    monkeypatch.setattr(stall_module, "HOLD_LIMIT", 64 * 1024)
    server.faults.stall(1000, 0.5, "continue")
    big = b"Subject: big\r\n\r\n" + (b"x" * 998 + b"\r\n") * 2000
    send(server, big)
    assert server.mailbox.messages()[0].raw == big


def test_the_stall_counts_the_bytes_after_354_across_reads(server):
    server.faults.stall(20, 0.2)
    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as sock:
        reader = sock.makefile("rb")
        for command in (b"", b"HELO c.test\r\n", b"MAIL FROM:<a@b.example>\r\n", b"RCPT TO:<c@d.example>\r\n"):
            sock.sendall(command)
            reader.readline()
        sock.sendall(b"DATA\r\n")
        assert reader.readline().startswith(b"354")
        for piece in (b"Subject: a\r\n", b"\r\n", b"0123456789", b"0123456789\r\n.\r\n"):
            sock.sendall(piece)
        assert reader.read() == b""  # dropped, never answered
    assert notes(ended_session(server))[0] == (
        "fault at DATA: stall after 20 bytes of message data, for 200 milliseconds, then drop the connection"
    )
    assert server.mailbox.count() == 0


@pytest.mark.parametrize(
    ("arguments", "error"),
    [
        ((-1,), "after_bytes must be a number of bytes, 0 or more, got -1."),
        ((10, 0), "duration must be a duration longer than 0 seconds, got 0."),
        ((10, None, "wait"), "then must be one of disconnect, continue, got 'wait'."),
        ((10, None, "continue", -1), "count must be 0 (every message, until cleared) or a positive number, got -1."),
    ],
)
def test_arguments_are_checked_when_the_stall_is_set(server, arguments, error):
    with pytest.raises(InvalidArgument) as failure:
        server.faults.stall(*arguments)
    assert str(failure.value) == error
