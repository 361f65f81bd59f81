"""After a 421 the server closes (RFC 5321 3.8): what the client pipelined behind the refused command
is neither carried out nor answered. aiosmtpd would otherwise go on reading the commands already
buffered and answer them, and could even store a message after saying it was closing."""

import socket

import pytest

SOURCE = b"From: app@example.com\r\nSubject: Hello\r\n\r\nHello.\r\n"


def pipelined(server, *groups):
    """The greeting, then each group of commands sent in one write after the previous group's replies came
    (as many reply lines as the group has lines, or to the end of the connection); everything received."""
    received = b""
    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as sock:
        reader = sock.makefile("rb")
        received += reader.readline()
        for group, replies in groups:
            sock.sendall(group)
            for _ in range(replies):
                line = reader.readline()
                received += line
                while line[3:4] == b"-":
                    line = reader.readline()
                    received += line
        try:
            received += reader.read()
        except ConnectionResetError:
            # The server closed after a 421 while commands it never read were on their way: the kernel
            # may answer them with a reset rather than an end of file. Either way, the connection ended.
            pass
    return received.decode()


def test_commands_pipelined_behind_a_421_at_mail_get_no_reply(server):
    server.faults.reply("MAIL", 421, "4.3.2 Going down")
    received = pipelined(
        server, (b"EHLO c.test\r\n", 1), (b"MAIL FROM:<a@b.test>\r\nRCPT TO:<c@d.test>\r\nDATA\r\n", 0)
    )
    assert received.splitlines()[-1] == "421 4.3.2 Going down"
    session = server.transcript.wait(lambda found: found if found[-1].ended else None, 5).result[-1]
    assert session.replies[-1] == "421 4.3.2 Going down"
    assert session.commands[-2:] == ["RCPT TO:<c@d.test>", "DATA"]  # received, and left alone


def test_a_message_pipelined_behind_a_421_at_rcpt_is_not_stored(server):
    # The first RCPT is accepted: without the fix, DATA would get 354 and the message would be stored.
    server.faults.reply("RCPT", 421, recipient="EQUALS:second@d.test")
    received = pipelined(
        server,
        (b"EHLO c.test\r\n", 1),
        (
            b"MAIL FROM:<a@b.test>\r\nRCPT TO:<first@d.test>\r\nRCPT TO:<second@d.test>\r\nDATA\r\n"
            + SOURCE
            + b".\r\nQUIT\r\n",
            0,
        ),
    )
    assert received.splitlines()[-3:] == [
        "250 OK",
        "250 OK",
        "421 Service not available, closing transmission channel",
    ]
    server.transcript.wait(lambda found: found if found[-1].ended else None, 5)
    assert server.mailbox.count() == 0


@pytest.mark.parametrize("code", [421, 554])
def test_a_421_greeting_closes_at_once_other_refused_greetings_answer_503(server, code):
    server.faults.reply("CONNECT", code, "No service")
    received = pipelined(server, (b"EHLO c.test\r\nQUIT\r\n", 0))
    if code == 421:
        assert received == "421 No service\r\n"
    else:
        assert received.splitlines()[1:] == [
            "503 Bad sequence of commands: this session was refused at the greeting, send QUIT",
            "221 Bye",
        ]
