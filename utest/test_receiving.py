"""What arrives through a real connection is stored exactly, with its envelope."""

import smtplib
import socket

from SMTPLibrary.core import Criteria


def test_raw_bytes_and_envelope_are_stored_as_sent(server, send):
    source = b"From: a@example.com\r\nSubject: exact\r\n\r\n.leading dot\r\n8-bit: \xc3\xa9\xff\r\n"
    send(source, sender="bounce@example.com", recipients=["to@example.com", "bcc@example.com"])
    (message,) = server.mailbox.messages()
    assert message.raw == source
    assert message.sender == "bounce@example.com"
    assert message.recipients == ["to@example.com", "bcc@example.com"]
    assert message.peer[0] == "127.0.0.1"
    assert message.helo
    assert message.received_at


def test_helo_name_is_recorded(server):
    with smtplib.SMTP(server.host, server.port, local_hostname="client.example.test") as client:
        client.sendmail("a@example.com", ["b@example.com"], b"Subject: x\r\n\r\nx\r\n")
    assert server.mailbox.messages()[0].helo == "client.example.test"


def test_several_messages_in_one_session(server):
    with smtplib.SMTP(server.host, server.port) as client:
        for n in range(3):
            client.sendmail("a@example.com", [f"r{n}@example.com"], f"Subject: {n}\r\n\r\nx\r\n".encode())
    assert [m.recipients for m in server.mailbox.messages()] == [[f"r{n}@example.com"] for n in range(3)]


def test_a_client_that_disconnects_mid_data_leaves_nothing(server, send):
    with socket.create_connection((server.host, server.port), timeout=5) as sock:
        reader = sock.makefile("rb")
        reader.readline()
        for command in (b"EHLO c\r\n", b"MAIL FROM:<a@example.com>\r\n", b"RCPT TO:<b@example.com>\r\n", b"DATA\r\n"):
            sock.sendall(command)
            while (line := reader.readline())[3:4] == b"-":
                pass
        assert line.startswith(b"354")
        sock.sendall(b"Subject: half\r\n\r\nthe first half of a message\r\n")
    send(b"Subject: whole\r\n\r\nx\r\n")
    server.mailbox.wait_for(Criteria.from_strings(subject="whole"), 5)
    assert [m.subject for m in server.mailbox.messages()] == ["whole"]


def test_messages_survive_a_stop(server, send):
    send(b"Subject: kept\r\n\r\nx\r\n")
    server.stop()
    assert server.mailbox.wait_for(Criteria.from_strings(subject="kept"), 0).subject == "kept"


def test_the_null_reverse_path_of_a_bounce_is_the_empty_sender(server, send, tmp_path):
    # MAIL FROM:<> (a bounce, a delivery report): sender is '' (aiosmtpd says '<>'), found by
    # sender=EQUALS: or sender=^$ and written as <> where SMTP and mail readers write it.
    send(b"Subject: Undelivered Mail Returned to Sender\r\n\r\nx\r\n", sender="")
    send(b"Subject: ordinary\r\n\r\nx\r\n", sender="app@example.com")
    bounce, _ordinary = server.mailbox.messages()
    assert bounce.sender == ""
    for criterion in ["EQUALS:", "^$", "REGEXP:^$"]:
        assert server.mailbox.messages(Criteria.from_strings(sender=criterion)) == [bounce], criterion
    assert "X-MailFrom: <>\n" in str(bounce)
    assert bounce.as_dict()["mail_from"] == ""
    assert server.transcript.sessions()[0].commands[1].startswith("mail FROM:<> ")
