"""The servers a benchmark compares: SMTPLibrary's, a bare aiosmtpd Controller
with a do-nothing handler, and postfix's smtp-sink (C)."""

from __future__ import annotations

import asyncio
import contextlib
import importlib.util
import os
import socket
import subprocess
import threading
from collections.abc import Iterator

from aiosmtpd.controller import Controller

from SMTPLibrary.core import SMTPServer
from SMTPLibrary.core.smtp.loop import LOOP_VARIABLE

from .tools import PostfixTools

HOST = "127.0.0.1"
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# For child processes that import bench.*: the repository root on their path.
ROOT_ENV = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [ROOT, os.environ.get("PYTHONPATH")]))}


def loops() -> list[str]:
    """The event loops to compare: asyncio always, uvloop when installed."""
    return ["asyncio", "uvloop"] if importlib.util.find_spec("uvloop") else ["asyncio"]


def make_loop(kind: str) -> asyncio.AbstractEventLoop:
    if kind == "uvloop":
        import uvloop

        return uvloop.new_event_loop()
    return asyncio.new_event_loop()


@contextlib.contextmanager
def loop_choice(kind: str) -> Iterator[None]:
    """Make SMTPLibrary start its next server on ``kind``, as a user would: with the variable."""
    saved = os.environ.get(LOOP_VARIABLE)
    os.environ[LOOP_VARIABLE] = kind
    try:
        yield
    finally:
        if saved is None:
            del os.environ[LOOP_VARIABLE]
        else:
            os.environ[LOOP_VARIABLE] = saved


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


class CountingHandler:
    """The reference handler: accepts every message and only counts it."""

    def __init__(self) -> None:
        self.count = 0

    async def handle_DATA(self, server, session, envelope) -> str:
        self.count += 1
        return "250 OK"


class Library:
    """SMTPLibrary's server, the way a test starts it."""

    def __init__(self, loop: str) -> None:
        self.loop = loop
        self.label = f"SMTPLibrary ({loop})"
        self.server: SMTPServer | None = None

    def start(self) -> int:
        with loop_choice(self.loop):
            self.server = SMTPServer(HOST)
            self.server.start()
        assert self.server.event_loop == self.loop, (self.server.event_loop, self.loop)
        return self.server.port

    def stop(self) -> None:
        self.server.stop()

    def reset(self) -> None:
        self.server.mailbox.reset()

    def stored(self) -> int:
        return self.server.mailbox.count()

    def verify(self, count: int, subject: str, size: int) -> None:
        """Every message is there, from the right sender to the right recipient, with the
        subject sent and a body as long as asked (checked by its indexed fields and length)."""
        messages = self.server.mailbox.messages()
        if len(messages) != count:
            raise AssertionError(f"{self.label}: {len(messages)} messages stored, {count} sent")
        body = None
        for message in messages:
            if message.sender != "sender@example.com" or message.recipients != ["rcpt@example.com"]:
                raise AssertionError(f"{self.label}: wrong envelope {message!r}")
            if message.subject != subject:
                raise AssertionError(f"{self.label}: wrong subject {message.subject!r}")
            raw = message.raw
            start = raw.find(b"\r\n\r\n") + 4
            if body is None:
                body = raw[start:]
                if len(body) < size:
                    raise AssertionError(f"{self.label}: body of {len(body)} bytes, {size} sent")
            elif raw[start:] != body:
                raise AssertionError(f"{self.label}: message #{message.seq} has another body")


class BareAiosmtpd:
    """aiosmtpd's own Controller with a handler that only counts: the reference.

    It gets ``server_hostname`` like SMTPLibrary's server does, so neither pays
    for ``socket.getfqdn()`` on each connection."""

    def __init__(self, loop: str) -> None:
        self.loop = loop
        self.label = f"bare aiosmtpd ({loop})"
        self.handler = CountingHandler()
        self.controller: Controller | None = None

    def start(self) -> int:
        port = free_port()
        self.controller = Controller(
            self.handler, hostname=HOST, port=port, server_hostname="localhost", loop=make_loop(self.loop)
        )
        self.controller.start()
        return port

    def stop(self) -> None:
        self.controller.stop()

    def reset(self) -> None:
        self.handler.count = 0

    def stored(self) -> int:
        return self.handler.count

    def verify(self, count: int, subject: str, size: int) -> None:
        if self.handler.count != count:
            raise AssertionError(f"{self.label}: {self.handler.count} messages accepted, {count} sent")


class SmtpSink:
    """postfix's smtp-sink: the C reference. It stores nothing; smtp-source checks its replies."""

    loop = "C"
    label = "postfix smtp-sink (C)"

    def __init__(self, tools: PostfixTools) -> None:
        self.tools = tools
        self.process: subprocess.Popen | None = None

    def start(self) -> int:
        port = free_port()
        self.process = self.tools.start_sink(port)
        # Its socket is open once it accepts a connection; it logs nothing to wait on.
        for _ in range(200):
            with contextlib.suppress(OSError), socket.create_connection((HOST, port), timeout=1) as probe:
                probe.recv(100)
                return port
            if self.process.poll() is not None:
                raise RuntimeError(f"smtp-sink exited: {self.process.stderr.read().decode(errors='replace')}")
            threading.Event().wait(0.01)
        raise RuntimeError("smtp-sink did not start")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(5)

    def reset(self) -> None:
        pass

    def stored(self) -> int:
        return 0

    def verify(self, count: int, subject: str, size: int) -> None:
        pass  # smtp-source exits non-zero when any message is refused
