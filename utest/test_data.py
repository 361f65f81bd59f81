"""DATA read in chunks (core/smtp/aiosmtpd_engine/data.py) ends exactly as aiosmtpd's line-by-line reading:
same replies, same content, on random input sent in random pieces."""

from __future__ import annotations

import random
import socket

import pytest
from aiosmtpd.controller import Controller

from SMTPLibrary.core.smtp.aiosmtpd_engine.data import LineWatch
from SMTPLibrary.core.smtp.aiosmtpd_engine.protocol import CaptureSMTP
from SMTPLibrary.core.smtp.wire import END_OF_DATA, find_end


class Recorder:
    def __init__(self) -> None:
        self.contents: list[bytes] = []

    async def handle_DATA(self, server, session, envelope) -> str:
        self.contents.append(envelope.original_content)
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class CapturingController(Controller):
    """aiosmtpd's own controller, serving SMTPLibrary's protocol class with no services: the plain path."""

    def factory(self) -> CaptureSMTP:
        return CaptureSMTP(self.handler, **self.SMTP_kwargs)


@pytest.fixture(params=[3000, None], ids=["size limit", "no size limit"])
def servers(request):
    """aiosmtpd's own SMTP and SMTPLibrary's, with a small size limit so that random input hits
    it, and without any (then only a line too long stops a message)."""
    options = {"data_size_limit": request.param, "server_hostname": "localhost"}
    theirs, ours = Recorder(), Recorder()
    reference = Controller(theirs, hostname="127.0.0.1", port=_free_port(), **options)
    reference.start()
    captured = CapturingController(ours, hostname="127.0.0.1", port=_free_port(), **options)
    captured.start()
    yield (reference.port, theirs), (captured.port, ours)
    reference.stop()
    captured.stop()


def _line(sock_file) -> bytes:
    return sock_file.readline()


def converse(port: int, data: bytes, pieces: list[int]) -> list[bytes]:
    """Send a message with ``data`` as DATA in pieces of the given sizes; the replies after it."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        replies = sock.makefile("rb")
        _line(replies)
        for command in (b"HELO x", b"MAIL FROM:<a@example.com>", b"RCPT TO:<b@example.com>", b"DATA"):
            sock.sendall(command + b"\r\n")
            _line(replies)
        start = 0
        for size in pieces:
            sock.sendall(data[start : start + size])
            start += size
        sock.sendall(data[start:] + b"NOOP\r\nQUIT\r\n")  # pipelined after the end of data
        return [_line(replies), _line(replies), _line(replies)]


# No line is a lone dot: that would end the data early (and the rest become commands).
LINES = [b"", b"..", b".x", b"x.", b"a" * 997, b"b" * 998, b"c" * 999, b"d" * 1000, b"e" * 1001, b"f" * 1500,
         b"\r", b"\n", b"x\ry", b"x\ny", b".\r", b"\r\n..", b"Subject: hi", b"g" * 200, b"k" * 7000,
         b"l" * 999 + b"\r", b"m" * 1001 + b"\r"]  # fmt: skip


def random_data(rng: random.Random) -> bytes:
    lines = [rng.choice(LINES) for _ in range(rng.randint(0, 8))]
    if rng.random() < 0.3:
        lines += [b"h" * 500] * rng.randint(1, 8)  # around the size limit
    return b"".join(line + b"\r\n" for line in lines) + b".\r\n"


def test_random_data_ends_as_with_aiosmtpd(servers):
    (their_port, theirs), (our_port, ours) = servers
    rng = random.Random(5)
    for case in range(150):
        data = random_data(rng)
        pieces = [rng.randint(1, rng.choice([700, 3000])) for _ in range(rng.randint(0, 4))]
        theirs.contents.clear()
        ours.contents.clear()
        expected = converse(their_port, data, pieces)
        actual = converse(our_port, data, pieces)
        assert actual == expected, (case, data[:200], pieces)
        assert ours.contents == theirs.contents, (case, data[:200])


@pytest.mark.parametrize(
    "data",
    [
        b".\r\n",
        b"\r\n.\r\n",
        b"..\r\n.\r\n",
        b".x\r\n..y\r\n.\r\n",
        b"a\r\n.\r\n",
        b"x" * 999 + b"\r\n.\r\n",
        b"x" * 1000 + b"\r\n.\r\n",
        b"x" * 5000 + b"\r\n.\r\n",
        (b"y" * 78 + b"\r\n") * 60 + b".\r\n",
        # A line a little too long that also crosses the size limit (3000): which error wins.
        (b"h" * 998 + b"\r\n") * 2 + b"d" * 1000 + b"\r\n.\r\n",
        (b"h" * 998 + b"\r\n") * 2 + b"e" * 1001 + b"\r\n.\r\n",
        (b"h" * 998 + b"\r\n") * 2 + b"f" * 1002 + b"\r\n.\r\n",
        (b"h" * 990 + b"\r\n") * 2 + b"d" * 1000 + b"\r\n.\r\n",
        (b"h" * 998 + b"\r\n") * 3 + b"i\r\n.\r\n",
        (b"j" * 998 + b"\r\n") * 40 + b".\r\n",
        # Lines too long among short ones, and one endless line: aiosmtpd drops the data at once.
        (b"s" * 70 + b"\r\n") * 30 + b"L" * 1002 + b"\r\n" + (b"s" * 70 + b"\r\n") * 30 + b".\r\n",
        (b"s" * 70 + b"\r\n") * 30 + b"L" * 1003 + b"\r\n" + b"t" * 1001 + b"\r\n.\r\n",
        b"E" * 300_000 + b"\r\n.\r\n",
        b"s\r\n" + b"E" * 300_000 + b"\r\n" + b"s" * 50 + b"\r\n.\r\n",
    ],
)
def test_edge_cases_end_as_with_aiosmtpd(servers, data):
    (their_port, theirs), (our_port, ours) = servers
    for pieces in ([], [1, 1, 1], [2], [len(data) - 2], [len(data) - 4]):
        theirs.contents.clear()
        ours.contents.clear()
        assert converse(our_port, data, pieces) == converse(their_port, data, pieces)
        assert ours.contents == theirs.contents


def _too_long(data: bytes, limit: int) -> bool:
    """What LineWatch must say after ``data``: a line ended longer than ``limit``, or one not
    ended yet already longer than ``limit`` plus CRLF."""
    *ended, unended = data.split(b"\r\n")
    return any(len(line) + 2 > limit for line in ended) or len(unended) > limit + 2


def test_line_watch_finds_lines_too_long_in_any_chunking():
    rng = random.Random(9)
    for _ in range(3000):
        lines = [rng.choice([b"", b"\r", b"\n", b"x\r"]) + b"x" * rng.choice([0, 1, 10, 17, 18, 19, 20, 21, 40])
                 for _ in range(rng.randint(1, 12))]  # fmt: skip
        data = b"\r\n".join(lines) + rng.choice([b"", b"\r", b"\r\n"])
        limit = rng.choice([18, 20, 22])
        watch = LineWatch(limit)
        start = 0
        while start < len(data):
            stop = start + rng.randint(1, 30)
            assert watch.feed(data[start:stop]) == _too_long(data[:stop], limit), (data, limit, stop)
            start = stop


def test_end_of_data_is_found_across_chunks():
    rng = random.Random(3)
    for _ in range(3000):
        data = bytes(rng.choice(b"\r\n.x") for _ in range(rng.randint(0, 30)))
        # After the DATA command's line end: the end of data may come first.
        found_at = (b"\r\n" + data).find(END_OF_DATA)
        ends = None if found_at < 0 else found_at + len(END_OF_DATA) - 2
        tail, offset = b"\r\n", 0
        while offset < len(data):
            chunk = data[offset : offset + rng.randint(1, 6)]
            found = find_end(tail, chunk)
            if ends is not None and offset < ends <= offset + len(chunk):
                assert found == ends - offset, (data, offset, chunk)
                break
            assert found == -1, (data, offset, chunk)
            tail, offset = (tail + chunk)[-4:], offset + len(chunk)
