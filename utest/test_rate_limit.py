"""Rate limits: the sliding window on a clock the test moves, then through real connections."""

import re
import smtplib
import socket

import pytest

from SMTPLibrary.core import InvalidArgument
from SMTPLibrary.core.smtp.faults import RateLimit

SOURCE = b"From: app@example.com\r\nSubject: Hello\r\n\r\nHello.\r\n"


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class Connection:
    """Stands for a connection's dialogue: windows of connections are kept by weak reference."""


ONE = Connection()


def admit(limit, connection=ONE, sender="a@example.com"):
    """What the dialogue does at MAIL: refused (the wait), or counted (None)."""
    waited = limit.wait(connection, sender)
    if waited is None:
        limit.count(connection, sender)
    return waited


def test_the_window_slides_on_the_clock():
    clock = Clock()
    limit = RateLimit(2, 10, clock=clock)
    assert admit(limit) is None
    clock.now += 4
    assert admit(limit) is None
    clock.now += 1
    assert admit(limit) == pytest.approx(5)  # the first message leaves the window at 1010
    clock.now += 5
    assert admit(limit) is None  # now it has: room for one
    assert admit(limit) == pytest.approx(4)


def test_scopes_say_whose_messages_share_a_window():
    one, two = Connection(), Connection()
    connection, sender, server = (RateLimit(1, 60, scope=scope) for scope in ("connection", "sender", "server"))
    assert admit(connection, one) is None and admit(connection, two) is None and admit(connection, one) is not None
    assert admit(sender, one, "A@example.com") is None
    assert admit(sender, two, "a@EXAMPLE.com") is not None  # senders compare without case
    assert admit(sender, one, "<>") is None  # the null sender is one of its own
    assert admit(server, one, "a@example.com") is None and admit(server, two, "b@example.com") is not None


def test_windows_of_senders_gone_quiet_are_swept():
    clock = Clock()
    limit = RateLimit(1, 1, scope="sender", clock=clock)
    for number in range(1500):
        admit(limit, sender=f"sender{number}@example.com")
        clock.now += 0.01
    assert len(limit._senders) < 1200


def test_default_texts_are_worded_as_providers_word_them():
    assert str(RateLimit(2, 60).reply.status) == "421 4.7.0 Too many messages, try again later, closing connection"
    assert RateLimit(2, 60, 450).reply.status == "450 4.7.0 Too many messages, try again later"
    assert RateLimit(2, 60, 554).reply.status == "554 5.7.0 Too many messages, sending limit exceeded"
    assert RateLimit(2, 60, 451, "4.7.1 Slow down").reply.status == "451 4.7.1 Slow down"
    assert str(RateLimit(10, 60, scope="server")) == "rate limit of 10 messages in 60 seconds for the whole server"


@pytest.mark.parametrize(
    ("arguments", "error"),
    [
        ((0, 60), "messages must be a positive number of messages, got 0."),
        ((2, 0), "per must be a duration longer than 0 seconds, got 0."),
        ((2, "a minute"), "per must be a duration such as '1 minute', '10 s' or '500 ms', got 'a minute'."),
        ((2, 60, 250), "A rate limit refuses: give a 4xx code (421 also closes the connection, as providers do; "),
        ((2, 60, 421, None, "ip"), "scope must be one of connection, sender, server, got 'ip'."),
        ((2, 60, 421, "Zu viele Nachrichten für heute"), "The reply text must be printable ASCII"),
    ],
)
def test_arguments_are_checked_when_the_limit_is_set(server, arguments, error):
    with pytest.raises(InvalidArgument) as failure:
        server.faults.rate_limit(*arguments)
    assert str(failure.value).startswith(error)
    assert server.faults.rate_limits == ()


@pytest.mark.parametrize(("per", "seconds"), [("1 minute", 60), ("10s", 10), ("500 ms", 0.5), ("minute", 60)])
def test_per_takes_numbers_and_time_strings(server, per, seconds):
    assert server.faults.rate_limit(1, per).per == seconds


def send(server, sender="app@example.com"):
    try:
        with smtplib.SMTP("127.0.0.1", server.port, timeout=5) as client:
            client.sendmail(sender, ["bob@example.com"], SOURCE)
        return "sent"
    except smtplib.SMTPSenderRefused as refused:
        return f"{refused.smtp_code} {refused.smtp_error.decode()}"


def test_with_421_the_next_mail_is_refused_and_the_connection_closed(server):
    server.faults.rate_limit(2, 60, scope="server")
    outcomes = [send(server) for _ in range(3)]
    assert outcomes == ["sent", "sent", "421 4.7.0 Too many messages, try again later, closing connection"]
    assert server.mailbox.count() == 2
    last = server.transcript.wait(lambda found: found if found[-1].ended else None, 5).result[-1]
    assert re.fullmatch(
        r"fault at MAIL: rate limit of 2 messages in 60 seconds for the whole server reached: reply 421, "
        r"room again in (59|60)\.\d s",
        last.entries[-2].text,
    )
    assert last.replies[-1].startswith("421 ") and last.commands[-1].startswith("mail FROM:")
    # Each refusal is an attempt, as any refusal at MAIL is.
    assert len(server.wait_for_retries(2, 0)) == 3


def test_with_450_the_connection_stays_open_and_a_sender_scope_spares_other_senders(server):
    server.faults.rate_limit(1, 60, code=450, scope="sender")
    with smtplib.SMTP("127.0.0.1", server.port, timeout=5) as client:
        client.sendmail("app@example.com", ["bob@example.com"], SOURCE)
        with pytest.raises(smtplib.SMTPSenderRefused) as refused:
            client.sendmail("APP@example.com", ["bob@example.com"], SOURCE)
        client.sendmail("other@example.com", ["bob@example.com"], SOURCE)
    assert refused.value.smtp_code == 450
    assert server.mailbox.count() == 2


def test_connection_scope_gives_each_connection_its_window(server):
    server.faults.rate_limit(1, 60)
    with smtplib.SMTP("127.0.0.1", server.port, timeout=5) as client:
        client.sendmail("app@example.com", ["bob@example.com"], SOURCE)
    assert send(server) == "sent"


def test_a_mail_refused_by_a_rule_does_not_count_and_rules_come_first(server):
    server.faults.rate_limit(1, 60, scope="server")
    server.faults.reply("MAIL", 451)
    assert send(server).startswith("451 Requested action aborted")
    assert send(server) == "sent"
    assert send(server).startswith("421 ")


def test_clear_removes_the_limit(server):
    server.faults.rate_limit(1, 60, scope="server")
    send(server)
    server.faults.clear()
    assert send(server) == "sent"


def test_commands_pipelined_behind_the_refused_mail_are_neither_carried_out_nor_answered(server):
    server.faults.rate_limit(1, 60, scope="server")
    assert send(server) == "sent"
    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as sock:
        reader = sock.makefile("rb")
        reader.readline()
        sock.sendall(b"EHLO client.test\r\n")
        while reader.readline()[3:4] == b"-":
            pass
        sock.sendall(b"MAIL FROM:<a@example.com>\r\nRCPT TO:<b@example.com>\r\nDATA\r\n" + SOURCE + b".\r\nQUIT\r\n")
        rest = reader.read()
    assert rest == b"421 4.7.0 Too many messages, try again later, closing connection\r\n"
    assert server.mailbox.count() == 1
