"""hide_extensions: what the server leaves out of EHLO, and how it refuses what it does not offer.

Each reply is the one the RFCs give a server without the extension (see
SMTPLibrary/core/smtp/security.py); itest/test_misbehaving_clients.py shows
what smtplib, swaks, curl and nodemailer make of them.
"""

import imaplib
import poplib
import smtplib
import socket

import pytest
from imap_support import needs_pymap

from SMTPLibrary.core import InvalidArgument, ServerOptions, SMTPServer

SOURCE = b"From: app@example.com\r\nSubject: Hello\r\n\r\nHello.\r\n"


def talk(server, *commands):
    """The greeting and the reply to each command (sent one at a time), each reply's lines joined by ' | '."""
    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as sock:
        reader = sock.makefile("rb")

        def reply():
            lines = []
            while True:
                line = reader.readline()
                if not line:
                    return " | ".join([*lines, "<closed>"])
                lines.append(line.decode("utf-8").rstrip("\r\n"))
                if line[3:4] != b"-":
                    return " | ".join(lines)

        replies = [reply()]
        for command in commands:
            sock.sendall(command.encode("utf-8") + b"\r\n")
            replies.append(reply())
        return replies[1:]


def keywords(ehlo_reply):
    return [line[4:].split(" ")[0] for line in ehlo_reply.split(" | ")[1:]]


# -- the option ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        (None, ()),
        ("", ()),
        ("pipelining", ("PIPELINING",)),
        ("SMTPUTF8, size", ("SIZE", "SMTPUTF8")),
        (["auth plain", "AUTH=login"], ("AUTH=LOGIN", "AUTH=PLAIN")),
        (("STARTTLS", "starttls"), ("STARTTLS",)),
        (["8BITMIME,AUTH"], ("8BITMIME", "AUTH")),
    ],
)
def test_hide_extensions_takes_a_list_or_names_separated_by_commas(given, kept):
    assert ServerOptions(hide_extensions=given).hide_extensions == kept


@pytest.mark.parametrize(
    ("options", "error"),
    [
        (
            {"hide_extensions": "PIPELINING, CHUNKING"},
            "Cannot hide 'CHUNKING': hide_extensions takes PIPELINING, SIZE, 8BITMIME, SMTPUTF8, STARTTLS, AUTH, "
            "AUTH=LOGIN, AUTH=PLAIN (what this server can offer).",
        ),
        ({"hide_extensions": "AUTH=CRAM-MD5"}, "Cannot hide 'AUTH=CRAM-MD5': hide_extensions takes PIPELINING, "),
        ({"hide_extensions": 8}, "hide_extensions must be a list of extensions or a string of them separated by "),
        ({"hide_extensions": ["SIZE", 8]}, "hide_extensions must name extensions as strings, got 8."),
        (
            {"tls": "starttls", "require_tls": True, "hide_extensions": "STARTTLS"},
            "require_tls=True cannot go with hiding STARTTLS: no client could ever send mail. Leave one out.",
        ),
        (
            {"credentials": "a:b", "auth_required": True, "hide_extensions": "AUTH=PLAIN, AUTH=LOGIN"},
            "auth_required=True cannot go with hiding AUTH (or every AUTH mechanism): ",
        ),
    ],
)
def test_a_name_it_cannot_hide_or_a_combination_that_cannot_work_is_refused(options, error):
    with pytest.raises(InvalidArgument) as failure:
        SMTPServer(**options)
    assert str(failure.value).startswith(error)


# -- EHLO --------------------------------------------------------------------------------------------


def test_pipelining_is_advertised_unless_hidden(server):
    (reply,) = talk(server, "EHLO client.test")
    assert keywords(reply) == ["PIPELINING", "SIZE", "8BITMIME", "SMTPUTF8", "HELP"]
    server.reconfigure(hide_extensions="PIPELINING")
    (reply,) = talk(server, "EHLO client.test")
    assert keywords(reply) == ["SIZE", "8BITMIME", "SMTPUTF8", "HELP"]


@pytest.mark.parametrize(
    ("hidden", "left"),
    [
        ("SIZE", ["PIPELINING", "8BITMIME", "SMTPUTF8", "STARTTLS", "AUTH", "HELP"]),
        ("SMTPUTF8", ["PIPELINING", "SIZE", "8BITMIME", "STARTTLS", "AUTH", "HELP"]),
        # RFC 6531 3.1: a server offering SMTPUTF8 must offer 8BITMIME.
        ("8BITMIME", ["PIPELINING", "SIZE", "STARTTLS", "AUTH", "HELP"]),
        ("STARTTLS", ["PIPELINING", "SIZE", "8BITMIME", "SMTPUTF8", "AUTH", "HELP"]),
        ("AUTH", ["PIPELINING", "SIZE", "8BITMIME", "SMTPUTF8", "STARTTLS", "HELP"]),
        ("AUTH=PLAIN,AUTH=LOGIN", ["PIPELINING", "SIZE", "8BITMIME", "SMTPUTF8", "STARTTLS", "HELP"]),
    ],
)
def test_a_hidden_extension_is_left_out_of_ehlo(hidden, left):
    options = {"tls": "starttls", "credentials": "alice:s3cret", "allow_plaintext_auth": True}
    with SMTPServer(hide_extensions=hidden, **options) as server:
        (reply,) = talk(server, "EHLO client.test")
    assert keywords(reply) == left


def test_a_hidden_auth_mechanism_is_left_out_of_the_auth_line():
    with SMTPServer(credentials="alice:s3cret", allow_plaintext_auth=True, hide_extensions="AUTH=PLAIN") as server:
        (reply,) = talk(server, "EHLO client.test")
    assert "250-AUTH LOGIN" in reply.split(" | ")


# -- what is refused, and how ------------------------------------------------------------------------


def test_starttls_hidden_is_a_command_not_implemented():
    with SMTPServer(tls="starttls", hide_extensions="STARTTLS") as server:
        server.faults.reply("STARTTLS", 454)  # never reached: the server does not offer the command
        replies = talk(server, "EHLO client.test", "STARTTLS", "STARTTLS now", "QUIT")
    # RFC 5321 4.2.4: 502 for a command the server knows but does not implement; 454 would mean "try later".
    assert replies[1:3] == ["502 5.5.1 Command not implemented"] * 2
    assert server.faults.rules != []


def test_auth_hidden_is_a_command_not_implemented_whatever_its_arguments():
    with SMTPServer(credentials="alice:s3cret", allow_plaintext_auth=True, hide_extensions="AUTH") as server:
        replies = talk(server, "EHLO client.test", "AUTH", "AUTH PLAIN AGFsaWNlAHMzY3JldA==", "AUTH LOGIN")
    assert replies[1:] == ["502 5.5.1 Command not implemented"] * 3


def test_a_hidden_mechanism_is_unrecognized_and_the_other_one_logs_in():
    options = {"credentials": "alice:s3cret", "allow_plaintext_auth": True, "hide_extensions": "AUTH=PLAIN"}
    with SMTPServer(**options) as server:
        server.faults.reply("AUTH", 454, count=0)
        hidden = talk(server, "EHLO client.test", "AUTH PLAIN AGFsaWNlAHMzY3JldA==")
        server.faults.clear()
        offered = talk(server, "EHLO client.test", "AUTH LOGIN YWxpY2U=", "czNjcmV0")
    # RFC 4954 4: 504 for a mechanism the server does not support; the fault rule waited for a real login.
    assert hidden[1] == "504 5.5.4 Unrecognized authentication type"
    assert offered[1:] == ["334 UGFzc3dvcmQA", "235 2.7.0 Authentication successful"]


def test_a_hidden_mechanism_is_refused_before_the_need_for_tls():
    with SMTPServer(tls="starttls", credentials="alice:s3cret", hide_extensions="AUTH=LOGIN") as server:
        replies = talk(server, "EHLO client.test", "AUTH LOGIN", "AUTH PLAIN AGFsaWNlAHMzY3JldA==")
    assert replies[1:] == [
        "504 5.5.4 Unrecognized authentication type",
        "538 5.7.11 Encryption required for requested authentication mechanism",
    ]


NOT_OFFERED = "555 5.5.4 {} not accepted: this server does not offer {}"


@pytest.mark.parametrize(
    ("hidden", "command", "reply"),
    [
        ("SIZE", "MAIL FROM:<a@example.com> SIZE=100", NOT_OFFERED.format("SIZE=100", "SIZE")),
        # Larger than the size limit: a server without SIZE does not know the parameter, it does not judge its value.
        ("SIZE", "MAIL FROM:<a@example.com> SIZE=99999999999", NOT_OFFERED.format("SIZE=99999999999", "SIZE")),
        ("8BITMIME", "MAIL FROM:<a@example.com> BODY=8BITMIME", NOT_OFFERED.format("BODY=8BITMIME", "8BITMIME")),
        ("8BITMIME", "MAIL FROM:<a@example.com> BODY=7BIT", NOT_OFFERED.format("BODY=7BIT", "8BITMIME")),
        ("SMTPUTF8", "MAIL FROM:<a@example.com> SMTPUTF8", NOT_OFFERED.format("SMTPUTF8", "SMTPUTF8")),
        ("8BITMIME", "MAIL FROM:<a@example.com> smtputf8", NOT_OFFERED.format("SMTPUTF8", "SMTPUTF8")),
        ("SMTPUTF8", "MAIL FROM:<jörg@bücher.example>", "550 5.6.7 Non-ASCII addresses not permitted for that sender"),
    ],
)
def test_a_parameter_or_address_of_a_hidden_extension_is_refused_at_mail(hidden, command, reply):
    with SMTPServer(hide_extensions=hidden) as server:
        # The server's own refusal comes before fault rules, which wait for a command it would carry out.
        server.faults.reply("MAIL", 451)
        plain = "MAIL FROM:<a@example.com>"
        replies = talk(server, "EHLO client.test", command, plain, plain)
    # The refused MAIL had no effect (no nested MAIL), and the rule fired on the next one.
    assert replies[1:] == [reply, "451 Requested action aborted: local error in processing", "250 OK"]


def test_a_non_ascii_recipient_without_smtputf8_is_refused_at_rcpt(server):
    server.reconfigure(hide_extensions="SMTPUTF8")
    replies = talk(server, "EHLO client.test", "MAIL FROM:<a@example.com>", "RCPT TO:<jörg@bücher.example>")
    assert replies[2] == "553 5.6.7 Non-ASCII addresses not permitted for that recipient"


def test_parameters_are_judged_only_after_the_command_would_be_accepted():
    with SMTPServer(hide_extensions="SIZE") as server:
        replies = talk(
            server,
            "MAIL FROM:<a@example.com> SIZE=10",  # before HELO
            "HELO client.test",
            "MAIL FROM:<a@example.com> SIZE=10",  # after HELO: no parameters at all
            "EHLO client.test",
            "MAIL FROM:<a@example.com>",
            "MAIL FROM:<b@example.com> SIZE=10",  # nested
        )
    assert replies[0].startswith("503")
    assert replies[2].startswith("501 Syntax")
    assert replies[5] == "503 Error: nested MAIL command"


def test_with_size_hidden_the_limit_still_holds_after_the_data():
    with SMTPServer(hide_extensions="SIZE", size_limit=100) as server:
        replies = talk(
            server,
            "EHLO client.test",
            "MAIL FROM:<a@example.com>",
            "RCPT TO:<b@example.com>",
            "DATA",
            "Subject: big\r\n\r\n" + "x" * 200 + "\r\n.",
        )
    assert replies[4] == "552 Error: Too much mail data"
    assert server.mailbox.count() == 0


def test_with_8bitmime_hidden_8bit_data_is_stored_as_it_came():
    body = "Subject: Grüße\r\n\r\nGrüße aus Köln\r\n".encode()
    with SMTPServer(hide_extensions="8BITMIME") as server:
        with smtplib.SMTP("127.0.0.1", server.port, timeout=5) as client:
            client.sendmail("a@example.com", ["b@example.com"], body)
        assert server.mailbox.messages()[0].raw == body


def test_with_pipelining_hidden_a_client_that_pipelines_is_answered_in_order_and_noted(server):
    server.reconfigure(hide_extensions="PIPELINING")
    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as sock:
        reader = sock.makefile("rb")
        reader.readline()
        sock.sendall(b"EHLO client.test\r\n")
        while reader.readline()[3:4] == b"-":
            pass
        sock.sendall(b"MAIL FROM:<a@example.com>\r\nRCPT TO:<b@example.com>\r\nDATA\r\n")
        replies = [reader.readline() for _ in range(3)]
        sock.sendall(SOURCE + b".\r\nQUIT\r\n")
        replies += [reader.readline(), reader.readline()]
    assert [reply[:3] for reply in replies] == [b"250", b"250", b"354", b"250", b"221"]
    assert server.mailbox.count() == 1
    text = server.transcript.sessions()[-1].text
    assert "*: pipelined: MAIL, RCPT, DATA came in one read" in text
    assert "250-PIPELINING" not in text


# -- changing them on a running server ------------------------------------------------------------


def test_reconfigure_restarts_on_the_same_port_keeping_mail_rules_and_transcript(server, send):
    port = server.port
    send(SOURCE)
    server.faults.reply("RCPT", 452, count=5)
    server.reconfigure(hide_extensions=["SMTPUTF8"], server_hostname="mail.test")
    assert (server.port, server.running, server.options.hide_extensions) == (port, True, ("SMTPUTF8",))
    assert server.mailbox.count() == 1 and len(server.transcript.sessions()) == 1
    assert server.faults.rules[0].remaining == 5
    (reply,) = talk(server, "EHLO client.test")
    assert reply.startswith("250-mail.test") and "SMTPUTF8" not in reply


def test_reconfigure_checks_first_and_changes_nothing_when_wrong(server):
    with pytest.raises(InvalidArgument, match=r"^Cannot hide 'BDAT'"):
        server.reconfigure(hide_extensions="BDAT")
    with pytest.raises(InvalidArgument, match=r"^Unknown server option 'timeout'"):
        server.reconfigure(timeout=3)
    with pytest.raises(InvalidArgument) as failure:
        server.reconfigure(maildir="mail", max_messages=3)
    assert str(failure.value) == (
        "max_messages, maildir cannot change on a server: its mailbox is made when it is created. Start another server."
    )
    assert server.options == ServerOptions() and server.running


def test_a_stopped_server_is_reconfigured_without_starting():
    server = SMTPServer()
    server.reconfigure(hide_extensions="SIZE")
    assert not server.running and server.security.hidden == {"SIZE"}


@needs_pymap
def test_reconfigure_restarts_smtp_only_the_imap_and_pop3_servers_keep_running(server):
    imap_port, pop3_port = server.start_imap(), server.start_pop3()
    server.reconfigure(hide_extensions="PIPELINING")
    assert (server.imap_port, server.pop3_port) == (imap_port, pop3_port)
    with imaplib.IMAP4("127.0.0.1", imap_port, timeout=5) as imap:
        assert imap.noop()[0] == "OK"
    pop = poplib.POP3("127.0.0.1", pop3_port, timeout=5)
    assert pop.getwelcome().startswith(b"+OK")
    pop.quit()
    with smtplib.SMTP("127.0.0.1", server.port, timeout=5) as client:
        assert "pipelining" not in client.ehlo()[1].decode().lower()
