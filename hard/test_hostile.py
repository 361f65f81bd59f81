"""Hostile and malformed input: the server answers, stores only complete messages,
keeps them byte for byte, and still receives the next normal message."""

from __future__ import annotations

import smtplib
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from support import SCALE, Wire, transaction

from SMTPLibrary.core import Criteria, SMTPServer


def still_serves(server: SMTPServer, tag: str = "after") -> None:
    """A normal message sent after the hostile input must arrive."""
    with smtplib.SMTP(server.host, server.port, local_hostname="normal.test", timeout=10) as client:
        client.sendmail("normal@example.com", ["rcpt@example.com"], f"Subject: {tag}\r\n\r\nnormal\r\n".encode())
    server.mailbox.wait_for(Criteria.from_strings(subject=f"EQUALS:{tag}"), 10)


def session(server: SMTPServer) -> Wire:
    wire = Wire(server.host, server.port)
    assert wire.reply().code == 220
    assert wire.command(b"EHLO hostile.test").code == 250
    return wire


def test_command_line_over_512_bytes_is_refused_and_the_session_goes_on(server):
    with session(server) as wire:
        assert wire.command(b"MAIL FROM:<" + b"a" * 600 + b"@example.com>").lines == [b"500 Command line too long"]
        assert transaction(wire, "a@example.com", ["b@example.com"], b"Subject: same session\r\n\r\nx\r\n").code == 250
    still_serves(server)
    assert server.mailbox.count() == 2


def test_data_line_over_1000_bytes_refuses_the_message(server):
    with session(server) as wire:
        reply = transaction(wire, "a@example.com", ["b@example.com"], b"Subject: long\r\n\r\n" + b"x" * 2000 + b"\r\n")
        assert reply.lines == [b"500 Line too long (see RFC5321 4.5.3.1.6)"]
    still_serves(server)
    assert [m.subject for m in server.mailbox.messages()] == ["after"]


@pytest.mark.parametrize(
    "command",
    [b"EHLO a\x00b", b"MAIL FROM:<a\x00b@example.com>", b"NO\x00OP", b"NOOP\rNOOP", b"\x00\x00\x00", b"\xff\xfe\xfd"],
)
def test_nul_bytes_bare_cr_and_binary_in_commands_get_an_answer(server, command):
    with session(server) as wire:
        assert 200 <= wire.command(command).code < 600
        assert wire.command(b"RSET").code == 250
    still_serves(server)


def test_bare_lf_ends_a_command_line(server):
    with session(server) as wire:
        wire.send(b"NOOP\n")
        assert wire.reply().code == 250
    still_serves(server)


@pytest.mark.parametrize("body", [b"nul\x00byte\r\n", b"bare\nlf\r\n", b"bare\rcr\r\n", b"8-bit \xe9\xff\xc3\r\n"])
def test_odd_bytes_in_data_are_stored_exactly(server, body):
    source = b"Subject: odd \xe9\x00\r\n\r\n" + body
    with session(server) as wire:
        assert transaction(wire, "a@example.com", ["b@example.com"], source).code == 250
    (message,) = server.mailbox.messages()
    assert message.raw == source
    assert isinstance(message.subject, str)
    assert isinstance(message.body, str)
    still_serves(server)


@pytest.mark.parametrize("ending", [b"\n.\n", b"\r.\n", b"\n.\r\n", b"\r.\r\n", b"\n.\r", b"\r\n.\n"])
def test_smuggled_end_of_data_does_not_end_the_message(server, ending):
    smuggled = b"MAIL FROM:<evil@example.com>\r\nRCPT TO:<victim@example.com>\r\nDATA\r\nsmuggled\r\n"
    with session(server) as wire:
        reply = transaction(wire, "a@example.com", ["b@example.com"], b"Subject: s\r\n\r\nhello" + ending + smuggled)
        assert reply.code == 250
        assert wire.command(b"NOOP").code == 250
    (message,) = server.mailbox.messages()
    assert message.sender == "a@example.com"
    assert message.recipients == ["b@example.com"]
    assert message.raw.endswith(b"DATA\r\nsmuggled\r\n")
    still_serves(server)


def test_commands_out_of_order_are_refused(server):
    with session(server) as wire:
        assert wire.command(b"DATA").code == 503
        assert wire.command(b"RCPT TO:<b@example.com>").code == 503
        assert wire.command(b"MAIL FROM:<a@example.com>").code == 250
        assert wire.command(b"MAIL FROM:<a@example.com>").code == 503
        assert wire.command(b"DATA").code == 503
        assert wire.command(b"RSET").code == 250
    with Wire(server.host, server.port) as wire:
        wire.reply()
        assert wire.command(b"MAIL FROM:<a@example.com>").code == 503  # no HELO yet
    still_serves(server)
    assert server.mailbox.count() == 1


def test_pipelined_garbage_is_answered_then_cut_off(server):
    with session(server) as wire:
        wire.send(b"".join(b"GARBAGE%d\r\n" % n for n in range(10)) + b"NOOP\r\n")
        codes = []
        try:
            while True:
                codes.append(wire.reply().code)
        except (ConnectionError, OSError):
            pass
    # aiosmtpd answers the first unknown commands with 500 and hangs up after five.
    assert codes[:4] == [500, 500, 500, 500]
    assert codes[4] == 502
    still_serves(server)


def test_a_silent_client_does_not_block_others(server):
    with Wire(server.host, server.port) as idle:
        assert idle.reply().code == 220
        still_serves(server)
    server.stop(timeout=2)


def test_a_client_that_sends_forever_does_not_block_others(server):
    stop = threading.Event()
    flooding = threading.Event()
    sent = []

    def flood() -> None:
        with session(server) as wire:
            wire.command(b"MAIL FROM:<a@example.com>")
            wire.command(b"RCPT TO:<b@example.com>")
            wire.command(b"DATA")
            chunk = b"x" * 65536
            while not stop.is_set():
                wire.send(chunk)  # one endless line, no CRLF
                sent.append(len(chunk))
                if len(sent) == 100:  # over 6 MB into the endless line
                    flooding.set()
            wire.send(b"\r\n.\r\n")
            sent.append(wire.reply().code)

    flooder = threading.Thread(target=flood)
    flooder.start()
    try:
        assert flooding.wait(60)
        still_serves(server)
    finally:
        stop.set()
        flooder.join(30)
    assert sent[-1] == 500
    assert [m.subject for m in server.mailbox.messages()] == ["after"]


# Measured in a child process of its own, so that the peak is the server's and nothing else's.
_FLOOD = """
import resource, sys
sys.path.insert(0, sys.argv[3])
from support import Wire
from SMTPLibrary.core import SMTPServer

def peak_kib():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

megabytes, line_end = int(sys.argv[1]), sys.argv[2] == "lines"
with SMTPServer(size_limit=0) as server, Wire(server.host, server.port, timeout=60) as wire:
    assert wire.reply().code == 220
    for line in (b"EHLO flood.test", b"MAIL FROM:<a@example.com>", b"RCPT TO:<b@example.com>"):
        assert wire.command(line).code == 250
    assert wire.command(b"DATA").code == 354
    block = b"x" * ((1 << 20) - (2 if line_end else 0)) + (b"\\r\\n" if line_end else b"")
    before = peak_kib()
    for _ in range(megabytes):
        wire.send(block)
    wire.send(b"\\r\\n.\\r\\n")
    reply = wire.reply()
    print(reply.code, before, peak_kib(), server.mailbox.count())
"""


@pytest.mark.parametrize("shape", ["endless", "lines"])
def test_lines_too_long_cost_no_memory_without_a_size_limit(shape):
    # aiosmtpd drops the data of a message once a line is too long, whatever the size limit: so
    # does the server, instead of holding (and then joining) everything the client sends.
    megabytes = 256 * SCALE
    result = subprocess.run(
        [sys.executable, "-c", _FLOOD, str(megabytes), shape, str(Path(__file__).parent)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    code, before, peak, stored = map(int, result.stdout.split())
    assert (code, stored) == (500, 0)
    # A generous bound: a tenth of what was sent (holding it all would take at least all of it).
    assert (peak - before) * 1024 < megabytes * (1 << 20) / 10, (before, peak)


def test_unterminated_data_then_disconnect_stores_nothing(server):
    with session(server) as wire:
        wire.command(b"MAIL FROM:<a@example.com>")
        wire.command(b"RCPT TO:<b@example.com>")
        assert wire.command(b"DATA").code == 354
        wire.send(b"Subject: cut\r\n\r\nhalf a message\r\n.")
    still_serves(server)
    assert [m.subject for m in server.mailbox.messages()] == ["after"]


LYING_MIME = {
    "wrong boundary": (
        b'Subject: wrong boundary\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="declared"\r\n\r\n'
        b"--actual\r\nContent-Type: text/plain\r\n\r\nhello\r\n--actual--\r\n"
    ),
    "no closing boundary": (
        b'Subject: unclosed\r\nMIME-Version: 1.0\r\nContent-Type: multipart/alternative; boundary="b"\r\n\r\n'
        b"--b\r\nContent-Type: text/plain\r\n\r\nhello\r\n"
    ),
    "bad base64": (
        b"Subject: bad base64\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n"
        b"!!!! not base64 at all ====\r\n"
    ),
    "missing charset on 8-bit text": b"Subject: no charset\r\nContent-Type: text/plain\r\n\r\ncaf\xe9 cr\xc3\xa8me\r\n",
    "unknown charset": (
        b"Subject: =?x-klingon?q?abc?=\r\nContent-Type: text/html; charset=x-klingon\r\n\r\n<p>hi</p>\r\n"
    ),
    "bad quoted-printable": (
        b"Subject: qp\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
        b"=ZZ=\r\n=E2=82\r\n"
    ),
    "1,000 nested parts": b"Subject: nested\r\nMIME-Version: 1.0\r\n"
    + b"".join(b'Content-Type: multipart/mixed; boundary="n%d"\r\n\r\n--n%d\r\n' % (i, i) for i in range(1000))
    + b"Content-Type: text/plain\r\n\r\ninnermost\r\n"
    + b"".join(b"--n%d--\r\n" % i for i in reversed(range(1000))),
    "1,000 sibling parts": b"Subject: siblings\r\nMIME-Version: 1.0\r\n"
    + b'Content-Type: multipart/mixed; boundary="s"\r\n\r\n'
    + b"".join(b"--s\r\nContent-Type: text/plain\r\n\r\npart %d\r\n" % i for i in range(1000))
    + b"--s--\r\n",
    "header without colon": b"Subject: colon\r\nthis line is no header\r\n\r\nbody\r\n",
}


@pytest.mark.parametrize("name", list(LYING_MIME))
def test_mime_that_lies_is_stored_raw_and_never_crashes_a_reader(server, name):
    source = LYING_MIME[name]
    with session(server) as wire:
        assert transaction(wire, "a@example.com", ["b@example.com"], source.replace(b"\r\n.", b"\r\n..")).code == 250
    (message,) = server.mailbox.messages()
    assert message.raw == source
    for reader in ("subject", "text", "html", "body", "headers", "source"):
        getattr(message, reader)
    str(message)
    assert Criteria.from_strings(body="x").matches(message) in (True, False)
    still_serves(server)
