"""Message size, SMTPUTF8 and 8BITMIME, and the ESMTP parameters a message arrived with."""

import smtplib
import socket

import pytest

from SMTPLibrary.core import InvalidArgument, SMTPServer


def ehlo(server):
    with smtplib.SMTP("127.0.0.1", server.port, timeout=5) as client:
        client.ehlo()
        return dict(client.esmtp_features)


def conversation(server, *commands):
    """Replies, one line each, to ``commands`` sent as raw bytes after the greeting."""
    replies = []
    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as sock:
        reader = sock.makefile("rb")
        reader.readline()
        for command in commands:
            sock.sendall(command)
            while (line := reader.readline())[3:4] == b"-":
                pass
            replies.append(line.rstrip(b"\r\n"))
    return replies


def test_size_is_advertised_and_a_larger_announced_size_is_refused_at_mail_with_552():
    with SMTPServer(size_limit=1000) as server:
        assert ehlo(server)["size"] == "1000"
        with smtplib.SMTP("127.0.0.1", server.port, timeout=5) as client:
            client.ehlo()
            code, reply = client.mail("a@example.com", ["SIZE=1001"])
            assert (code, reply) == (552, b"Error: message size exceeds fixed maximum message size")
            client.rset()
            # smtplib announces the size itself when the server advertises SIZE.
            fits = b"Subject: fits\r\n\r\n" + b"x" * 980
            client.sendmail("a@example.com", ["b@example.com"], fits)
        (message,) = server.mailbox.messages()
        assert message.mail_options == [f"SIZE={len(fits)}"]


def test_a_larger_message_sent_without_size_is_refused_at_its_end_with_552():
    with SMTPServer(size_limit=1000) as server:
        big = b"Subject: big\r\n\r\n" + b"x" * 70 + b"\r\n"
        replies = conversation(
            server,
            b"HELO client.test\r\n",
            b"MAIL FROM:<a@example.com>\r\n",
            b"RCPT TO:<b@example.com>\r\n",
            b"DATA\r\n",
            big * 20 + b".\r\n",
            b"MAIL FROM:<a@example.com>\r\n",
        )
        assert replies[4] == b"552 Error: Too much mail data"
        assert replies[5] == b"250 OK"  # the session goes on
        assert server.mailbox.count() == 0


def test_size_limit_zero_means_no_limit():
    with SMTPServer(size_limit=0) as server:
        assert "size" not in ehlo(server)
        with smtplib.SMTP("127.0.0.1", server.port, timeout=5) as client:
            # Larger than aiosmtpd's default limit of 32 MiB.
            client.sendmail(
                "a@example.com", ["b@example.com"], b"Subject: big\r\n\r\n" + (b"x" * 998 + b"\r\n") * 34000
            )
        assert server.mailbox.count() == 1


@pytest.mark.parametrize("value", [-1, "100", 1.5, True])
def test_size_limit_must_be_a_number_of_bytes(value):
    with pytest.raises(InvalidArgument) as failure:
        SMTPServer(size_limit=value)
    assert str(failure.value) == f"size_limit must be a number of bytes, 0 for no limit, got {value!r}."


def test_utf8_addresses_and_8bit_bodies_arrive_byte_for_byte(server):
    assert {"smtputf8", "8bitmime"} <= set(ehlo(server))
    source = "From: jörg@bücher.example\r\nSubject: Grüße\r\n\r\nÄpfel, Birnen, 日本語\r\n".encode()
    with smtplib.SMTP("127.0.0.1", server.port, timeout=5, local_hostname="client.test") as client:
        client.sendmail("jörg@bücher.example", ["zoë@exämple.com"], source, ["SMTPUTF8", "BODY=8BITMIME"])
    (message,) = server.mailbox.messages()
    assert message.raw == source
    assert message.sender == "jörg@bücher.example"
    assert message.recipients == ["zoë@exämple.com"]
    assert message.subject == "Grüße"
    assert message.mail_options == [f"SIZE={len(source)}", "SMTPUTF8", "BODY=8BITMIME"]
    assert message.rcpt_options == []
    assert message.helo == "client.test"
    assert (message.authenticated_as, message.tls) == (None, None)


def test_invalid_utf8_in_a_body_is_kept_as_sent(server):
    source = b"Subject: latin-1\r\n\r\nd\xe9j\xe0 vu \xff\r\n"
    with smtplib.SMTP("127.0.0.1", server.port, timeout=5) as client:
        client.sendmail("a@example.com", ["b@example.com"], source, ["BODY=8BITMIME"])
    assert server.mailbox.messages()[0].raw == source


def test_without_smtputf8_a_seven_bit_server_refuses_utf8_addresses():
    with SMTPServer(smtputf8=False) as server:
        features = ehlo(server)
        assert "smtputf8" not in features
        assert "8bitmime" not in features
        with smtplib.SMTP("127.0.0.1", server.port, timeout=5) as client:
            with pytest.raises(smtplib.SMTPNotSupportedError):
                client.sendmail("jörg@example.com", ["b@example.com"], b"x", ["SMTPUTF8"])
        replies = conversation(
            server,
            b"EHLO client.test\r\n",
            b"MAIL FROM:<a@example.com> SMTPUTF8\r\n",
            "MAIL FROM:<jörg@example.com>\r\n".encode(),
        )
        # The parameter as a server without the extension refuses it (RFC 5321 4.1.1.11); a non-ASCII
        # command line as aiosmtpd's strict ASCII mode does, before any command is looked at.
        assert replies[1:] == [
            b"555 5.5.4 SMTPUTF8 not accepted: this server does not offer SMTPUTF8",
            b"500 Error: strict ASCII mode",
        ]


def test_without_8bitmime_the_body_parameter_is_refused_as_by_a_server_without_the_extension():
    # RFC 1652 and RFC 5321 4.1.1.11: a parameter of an extension the server did not offer gets 555.
    with SMTPServer(smtputf8=False) as server:
        replies = conversation(
            server,
            b"EHLO client.test\r\n",
            b"MAIL FROM:<a@example.com> BODY=8BITMIME\r\n",
            b"MAIL FROM:<a@example.com> BODY=7BIT\r\n",
            b"MAIL FROM:<a@example.com>\r\n",
        )
        # BODY belongs to 8BITMIME (RFC 6152): without it, no BODY value is known, 7BIT included.
        assert replies[1:] == [
            b"555 5.5.4 BODY=8BITMIME not accepted: this server does not offer 8BITMIME",
            b"555 5.5.4 BODY=7BIT not accepted: this server does not offer 8BITMIME",
            b"250 OK",
        ]
        with smtplib.SMTP("127.0.0.1", server.port, timeout=5) as client:
            # smtplib sends 8-bit data only with BODY=8BITMIME, which it asks for only when offered.
            with pytest.raises(smtplib.SMTPSenderRefused) as refused:
                client.sendmail("a@example.com", ["b@example.com"], b"x", ["BODY=8BITMIME"])
        assert refused.value.smtp_code == 555
    assert not server.mailbox.messages()


def test_smtputf8_must_be_a_boolean():
    with pytest.raises(InvalidArgument, match=r"^smtputf8 must be True or False, got 'no'\.$"):
        SMTPServer(smtputf8="no")
