"""The Python API: the old mock servers' methods, waits with the keywords' criteria, statistics."""

from __future__ import annotations

import logging
import smtplib
import socket
import ssl
from datetime import timedelta
from email.message import EmailMessage

import pytest

import SMTPLibrary
from SMTPLibrary.core import (
    InvalidArgument,
    Mailbox,
    MessageCountMismatch,
    MessageNotReceived,
    Statistics,
    UnexpectedMessage,
)
from SMTPLibrary.core.mailbox.matching import FIELDS
from SMTPLibrary.core.smtp import server as engine


def send(server, subject="Hello", sender="app@example.com", recipients=("alice@example.com",), body="Hi"):
    source = f"From: {sender}\r\nSubject: {subject}\r\nX-Tag: t-{subject}\r\n\r\n{body}\r\n"
    with smtplib.SMTP("127.0.0.1", server.port, timeout=10) as client:
        client.sendmail(sender, list(recipients), source)


@pytest.fixture
def server():
    with SMTPLibrary.SMTPServer() as running:
        yield running


def test_the_package_exports_the_api_server_built_on_the_engine():
    assert SMTPLibrary.SMTPServer is SMTPLibrary.core.SMTPServer
    assert issubclass(SMTPLibrary.SMTPServer, engine.SMTPCapture)


def test_lifecycle_like_the_old_mock_servers():
    server = SMTPLibrary.SMTPServer(port=0)
    assert not server.is_running()
    port = server.start(timeout=5)
    assert port == server.port > 0
    assert server.is_running()
    server.stop(timeout=5)
    assert not server.is_running()
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", port), timeout=5)


def test_get_messages_returns_and_removes_what_arrived(server):
    send(server, "one", recipients=["a@example.com", "b@example.com"])
    send(server, "two")
    server.wait_for_count(2)
    assert server.get_message_count() == 2
    messages = server.get_messages()
    assert [message.subject for message in messages] == ["one", "two"]
    assert server.get_message_count() == 0
    assert server.get_messages() == []
    record = messages[0].as_dict()
    assert set(record) == {"peer", "mail_from", "rcpt_tos", "data"}
    assert record["peer"][0] == "127.0.0.1"
    assert record["mail_from"] == "app@example.com"
    assert record["rcpt_tos"] == ["a@example.com", "b@example.com"]
    assert record["data"] == "From: app@example.com\nSubject: one\nX-Tag: t-one\n\nHi\n"


def test_get_results_reports_statistics_and_messages_without_removing_them(server):
    send(server, "one")
    server.wait_for(subject="one")
    results = server.get_results()
    assert results["host"] == "127.0.0.1"
    assert results["port"] == server.port
    assert results["running"] is True
    assert results["storage"] == "memory only"
    statistics = results["statistics"]
    assert {key: statistics[key] for key in ("sessions", "refusals", "messages")} == {
        "sessions": 1,
        "refusals": 0,
        "messages": 1,
    }
    assert statistics["bytes"] == len(server.get_messages()[0].raw)
    assert statistics["rate"] >= 0 and statistics["seconds"] >= 0
    assert [m["rcpt_tos"] for m in results["messages"]] == [["alice@example.com"]]


def test_reset_forgets_messages_and_zeroes_the_counters(server):
    send(server, "one")
    server.wait_for_count(1)
    server.reset()
    assert server.get_message_count() == 0
    assert server.get_results()["statistics"]["messages"] == 0
    assert server.get_results()["statistics"]["sessions"] == 0


def test_statistics_count_sessions_refusals_messages_and_bytes(server):
    with smtplib.SMTP("127.0.0.1", server.port, timeout=10) as client:
        assert client.docmd("RCPT", "TO:<a@example.com>")[0] == 503  # before MAIL: refused
        assert client.docmd("NOSUCH")[0] == 500  # unknown command: refused
        client.sendmail("a@example.com", ["b@example.com"], b"Subject: 1\r\n\r\n12345\r\n")
        client.sendmail("a@example.com", ["b@example.com"], b"Subject: 2\r\n\r\n6789\r\n")
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as idle:
        idle.recv(100)
    server.wait_for_count(2)
    snapshot = server.stats.snapshot()
    assert (snapshot.sessions, snapshot.refusals, snapshot.messages) == (2, 2, 2)
    assert snapshot.bytes == len(b"Subject: 1\r\n\r\n12345\r\n") + len(b"Subject: 2\r\n\r\n6789\r\n")


def test_a_multi_line_refusal_counts_once():
    stats = Statistics()
    for line in ("550-first line", "550 last line", b"421 closing", "250 OK", "354 go ahead"):
        stats.reply_sent(line)
    assert stats.refusals == 2


def test_wait_for_takes_every_criterion_of_the_keywords():
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = "shop@example.com", "alice@example.com", "Welcome Alice"
    message["X-Tag"] = "t-Welcome"
    message.set_content("Your code: 1234, see https://shop.example.test/welcome")
    message.add_attachment(b"%PDF-1.4", maintype="application", subtype="pdf", filename="invoice.pdf")
    with SMTPLibrary.SMTPServer(tls="starttls", credentials={"alice": "s3cret"}) as server:
        with smtplib.SMTP("127.0.0.1", server.port, timeout=10) as client:
            client.starttls(context=ssl.create_default_context(cafile=server.ca_certificate))
            client.login("alice", "s3cret")
            client.send_message(message)
        values = {
            "pattern": "Subject: Welcome",
            "sender": "EQUALS:shop@example.com",
            "recipient": "alice@",
            "subject": "STARTS:Welcome",
            "body": r"code: \d{4}",
            "authenticated_as": "EQUALS:alice",
            "tls": "yes",
            "attachment": r"^invoice\.pdf$",
            "link": "CONTAINS:shop.example.test/welcome",
        }
        assert set(FIELDS) <= set(values), "a new criterion in FIELDS needs a value here"
        for name in FIELDS:
            assert server.wait_for(timeout=0, **{name: values[name]}).subject == "Welcome Alice"
        assert server.wait_for(header="X-Tag: t-Welcome", timeout=timedelta(seconds=1)).subject == "Welcome Alice"
        assert server.wait_for("Welcome", timeout=0).subject == "Welcome Alice"


def test_wait_for_fails_as_the_keyword_does(server):
    send(server, "Welcome Bob", recipients=["bob@example.com"])
    server.wait_for_count(1)
    with pytest.raises(MessageNotReceived) as failure:
        server.wait_for(recipient="EQUALS:alice@example.com", timeout=0.1)
    assert str(failure.value) == (
        "No message matching recipient='EQUALS:alice@example.com' arrived in 100 milliseconds. "
        "1 message arrived, closest first:\n"
        "1) from app@example.com to bob@example.com, subject 'Welcome Bob': "
        "recipients ['bob@example.com'] was not 'alice@example.com'"
    )
    assert isinstance(failure.value, AssertionError)


def test_an_unknown_criterion_names_the_known_ones(server):
    with pytest.raises(InvalidArgument, match=r"^Unknown criterion 'subjet': expected one of sender, recipient, "):
        server.wait_for(subjet="Welcome")


def test_wait_for_count_and_assert_not_received(server):
    send(server, "one")
    server.wait_for_count(1, timeout=5)
    with pytest.raises(MessageCountMismatch, match=r"^Expected 2 messages but 1 arrived in 100 milliseconds\."):
        server.wait_for_count(2, timeout=0.1)
    server.assert_not_received(subject="two")
    with pytest.raises(UnexpectedMessage, match=r"^A message matching subject='one' arrived: from app@example.com"):
        server.assert_not_received(subject="one")


def test_waits_take_time_strings_as_robot_framework_writes_them(server):
    send(server, "one")
    assert server.wait_for(subject="one", timeout="5 s").subject == "one"
    server.wait_for_count(1, timeout="500 ms")
    server.assert_not_received(subject="two", within="10 ms")
    assert len(server.wait_for_retries(0, timeout="1 minute 30 seconds")) == 1
    with pytest.raises(MessageNotReceived, match=r"arrived in 100 milliseconds\."):
        server.wait_for(subject="two", timeout="100ms")
    with pytest.raises(InvalidArgument) as error:
        server.wait_for(subject="one", timeout="5 secs please")
    assert str(error.value) == (
        "timeout must be a time, such as 5, 1.5, '5 s', '500 ms', '1 minute 30 seconds' or timedelta(seconds=5); "
        "got '5 secs please'."
    )
    with pytest.raises(InvalidArgument, match=r"^within must be 0 seconds or more, got -1\.$"):
        server.assert_not_received(subject="two", within=-1)


def test_a_misspelled_criterion_given_as_the_pattern_is_named(server):
    with pytest.raises(InvalidArgument) as error:
        server.wait_for("to=alice@example.com", timeout=0)
    assert str(error.value) == (
        "Unknown argument 'to' in pattern='to=alice@example.com': the arguments are pattern, sender, recipient, "
        "subject, body, authenticated_as, tls, attachment, link, header, timeout. To search the message source for "
        "that text, write pattern=CONTAINS:to=alice@example.com."
    )
    with pytest.raises(InvalidArgument, match=r"^Unknown argument 'withn' in pattern=.* header, within\. Did you"):
        server.assert_not_received("withn=2")


def test_a_match_through_a_part_of_an_address_is_logged(server, caplog):
    send(server, "Welcome", recipients=["malice@example.com"])
    with caplog.at_level(logging.INFO, logger="SMTPLibrary"):
        server.wait_for(recipient="alice@", timeout=5)
        server.wait_for(recipient="malice@example.com", timeout=5)
    assert [record.getMessage() for record in caplog.records] == [
        "Message #1: recipient='alice@' matched only part of 'malice@example.com'."
    ]
    with pytest.raises(MessageNotReceived):
        server.wait_for(recipient="alice@example.com", timeout=0)


def test_the_seed_mock_server_example_runs_unchanged_but_for_the_import():
    # The shape of the old smtpd-based mock servers' documentation.
    import smtplib
    from email.message import EmailMessage

    from SMTPLibrary import SMTPServer as MockSMTPServer

    with MockSMTPServer(port=0) as server:
        msg = EmailMessage()
        msg["Subject"] = "Test Email"
        msg["From"] = "sender@example.com"
        msg["To"] = "recipient@example.com"
        msg.set_content("This is a test email")
        smtp = smtplib.SMTP("localhost", server.port)
        smtp.send_message(msg)
        smtp.quit()
        messages = [message.as_dict() for message in server.get_messages()]
        assert len(messages) == 1
        assert messages[0]["mail_from"] == "sender@example.com"


def test_disk_options_and_a_mailbox_exclude_each_other(tmp_path):
    with pytest.raises(
        InvalidArgument,
        match=r"^Give max_messages, maildir, mbox, latest and stores to the Mailbox passed as mailbox\.$",
    ):
        SMTPLibrary.SMTPServer(maildir=tmp_path / "m", mailbox=Mailbox())


def test_storage_is_described(tmp_path):
    server = SMTPLibrary.SMTPServer(maildir=tmp_path / "m")
    assert server.get_results()["storage"] == f"Maildir {tmp_path / 'm'}"
    assert server.flush() is True
