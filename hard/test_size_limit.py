"""The size limit holds before the data is buffered: a client pushing 200 MB at a
server that takes 1 MB costs the server a few megabytes of memory, not 200, gets
its refusal, and the server goes on receiving mail."""

from __future__ import annotations

import json
import smtplib
import subprocess
import sys
from pathlib import Path

import pytest
from support import Wire

from SMTPLibrary.core import Criteria

MB = 1 << 20
PUSHED = 200 * MB
# Generous: the server keeps about one size limit of data (and its copies) at most.
GROWTH_BOUND = 60 * MB

SERVER = """
import json, sys
from SMTPLibrary.core import SMTPServer

with SMTPServer(size_limit=int(sys.argv[1])) as server:
    print(server.port, flush=True)
    sys.stdin.read()  # until the test closes it
    print(json.dumps([message.subject for message in server.mailbox.messages()]), flush=True)
"""

LINES = (b"x" * 998 + b"\r\n") * (MB // 1000)  # about 1 MB of lines as long as SMTP allows
ENDLESS = b"x" * MB  # a part of one line that never ends


def peak_memory(pid: int) -> int:
    """The process's peak resident memory so far (VmHWM), in bytes."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    raise AssertionError(f"no VmHWM in /proc/{pid}/status")


def send(port: int, subject: str, size: int = 0) -> None:
    with smtplib.SMTP("127.0.0.1", port, timeout=30) as client:
        body = (b"y" * 70 + b"\r\n") * (size // 72)
        client.sendmail("a@example.com", ["b@example.com"], f"Subject: {subject}\r\n\r\n".encode() + body)


@pytest.mark.parametrize(
    ("size_limit", "chunk", "refusal"),
    [
        (MB, LINES, b"552 Error: Too much mail data"),
        (MB, ENDLESS, b"500 Line too long (see RFC5321 4.5.3.1.6)"),
        (0, ENDLESS, b"500 Line too long (see RFC5321 4.5.3.1.6)"),
    ],
    ids=["1 MB limit, 200 MB of lines", "1 MB limit, a 200 MB line", "no limit, a 200 MB line"],
)
def test_200_mb_pushed_at_a_limited_server_is_refused_without_being_buffered(size_limit, chunk, refusal):
    child = subprocess.Popen(
        [sys.executable, "-c", SERVER, str(size_limit)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        port = int(child.stdout.readline())
        send(port, "warm-up", size=MB // 2)  # the everyday path has run once before the baseline
        baseline = peak_memory(child.pid)
        with Wire("127.0.0.1", port, timeout=60) as wire:
            assert wire.reply().code == 220
            assert wire.command(b"EHLO big.test").code == 250
            assert wire.command(b"MAIL FROM:<big@example.com>").code == 250
            assert wire.command(b"RCPT TO:<b@example.com>").code == 250
            assert wire.command(b"DATA").code == 354
            for _ in range(PUSHED // len(chunk)):
                wire.send(chunk)
            wire.send(b"\r\n.\r\n")
            assert wire.reply().lines == [refusal]
            growth = peak_memory(child.pid) - baseline
            # The same session goes on: the next message is received.
            assert wire.command(b"MAIL FROM:<a@example.com>").code == 250
            assert wire.command(b"RCPT TO:<b@example.com>").code == 250
            assert wire.command(b"DATA").code == 354
            wire.send(b"Subject: after\r\n\r\nnormal\r\n.\r\n")
            assert wire.reply().code == 250
        send(port, "another session")
        assert growth < GROWTH_BOUND, (
            f"the server's peak memory grew by {growth / MB:.1f} MB while {PUSHED // MB} MB were pushed at it"
        )
        output, _ = child.communicate("", timeout=30)
        assert json.loads(output) == ["warm-up", "after", "another session"]
        assert child.returncode == 0
    finally:
        child.kill()
        child.wait()


def test_a_size_announced_over_the_limit_is_refused_at_mail_before_any_data():
    from SMTPLibrary.core import SMTPServer

    with SMTPServer(size_limit=MB) as server:
        with Wire(server.host, server.port) as wire:
            assert wire.reply().code == 220
            assert f"250-SIZE {MB}".encode() in wire.command(b"EHLO big.test").lines
            reply = wire.command(f"MAIL FROM:<big@example.com> SIZE={PUSHED}".encode())
            assert reply.lines == [b"552 Error: message size exceeds fixed maximum message size"]
            assert wire.command(b"RCPT TO:<b@example.com>").code == 503  # no transaction was opened
            assert wire.command(b"DATA").code == 503
            assert wire.command(f"MAIL FROM:<a@example.com> SIZE={MB}".encode()).code == 250
            assert wire.command(b"RCPT TO:<b@example.com>").code == 250
            assert wire.command(b"DATA").code == 354
            wire.send(b"Subject: within the limit\r\n\r\nnormal\r\n.\r\n")
            assert wire.reply().code == 250
        server.mailbox.wait_for(Criteria.from_strings(subject="EQUALS:within the limit"), 10)
        assert server.mailbox.count() == 1
