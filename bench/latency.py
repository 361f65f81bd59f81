"""Wake-up latency: from the moment the sender has the server's final ``250``
to the return of a waiting ``Message Should Be Received Matching``.

The sender is another process (``python -m bench.latency_sender``) on a
persistent smtplib connection; it stamps ``time.monotonic()`` (one clock for
every process on Linux) when ``sendmail`` returns, that is when the ``250``
arrived, and hands the stamp back. The waiter stamps its own return. The
server stores a message before it sends the ``250``, so a wake-up can beat
the sender's stamp: negative latencies are real, not errors.
"""

from __future__ import annotations

import subprocess
import sys
import threading
import time

from aiosmtpd.controller import Controller

from .servers import HOST, ROOT_ENV, free_port, loop_choice, make_loop

# The sender waits this long after being asked before it sends, so that the
# waiter is surely asleep in its wait by then: the wake-up is what is measured.
SEND_DELAY = 0.002
# Rounds not counted: the first calls import, compile and warm caches.
WARM_UP = 5


class Sender:
    def __init__(self, port: int) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bench.latency_sender", str(port), str(SEND_DELAY)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=ROOT_ENV,
            text=True,
            bufsize=1,
        )
        assert self.process.stdout.readline().strip() == "ready"

    def ask(self, subject: str) -> None:
        self.process.stdin.write(subject + "\n")
        self.process.stdin.flush()

    def stamp(self) -> float:
        return float(self.process.stdout.readline())

    def close(self) -> None:
        self.process.stdin.close()
        self.process.wait(10)


def _measure(wait, port: int, rounds: int, before_round=None) -> list[float]:
    """``wait(subject)`` blocks until the message with ``subject`` is there."""
    sender = Sender(port)
    latencies = []
    try:
        for number in range(rounds + WARM_UP):
            if before_round:
                before_round()
            subject = f"Wake up {number}"
            sender.ask(subject)
            wait(subject)
            woke = time.monotonic()
            latencies.append(woke - sender.stamp())
    finally:
        sender.close()
    return latencies[WARM_UP:]


def keyword(loop: str, rounds: int) -> list[float]:
    """Through the Robot keyword's own code: the library method, as Robot calls it."""
    from datetime import timedelta

    from SMTPLibrary import SMTPLibrary

    library = SMTPLibrary()
    with loop_choice(loop):
        port = library.start_smtp_server()
    try:
        return _measure(
            lambda subject: library.message_should_be_received_matching(
                subject=f"EQUALS:{subject}", timeout=timedelta(seconds=10)
            ),
            port,
            rounds,
            library.reset_mailbox,
        )
    finally:
        library.stop_all_smtp_servers()


def core(loop: str, rounds: int) -> list[float]:
    """The core wait alone: ``Mailbox.wait_for``."""
    from SMTPLibrary.core import Criteria, SMTPServer

    with loop_choice(loop):
        server = SMTPServer(HOST)
        server.start()
    try:
        return _measure(
            lambda subject: server.mailbox.wait_for(Criteria.literal(subject=subject), 10),
            server.port,
            rounds,
            server.mailbox.reset,
        )
    finally:
        server.stop()


class _Signalling:
    """The least a waiter on bare aiosmtpd could do: a condition notified from the handler."""

    def __init__(self) -> None:
        self.cond = threading.Condition()
        self.subjects: list[bytes] = []

    async def handle_DATA(self, server, session, envelope) -> str:
        with self.cond:
            self.subjects.append(envelope.original_content)
            self.cond.notify_all()
        return "250 OK"

    def wait(self, subject: str) -> None:
        wanted = f"Subject: {subject}\r\n".encode()
        with self.cond:
            if not self.cond.wait_for(lambda: any(wanted in raw for raw in self.subjects), 10):
                raise AssertionError(f"{subject} did not arrive")


def bare(loop: str, rounds: int) -> list[float]:
    """The reference: bare aiosmtpd whose handler notifies a condition variable."""
    handler = _Signalling()
    port = free_port()
    controller = Controller(handler, hostname=HOST, port=port, server_hostname="localhost", loop=make_loop(loop))
    controller.start()
    try:
        return _measure(handler.wait, port, rounds, handler.subjects.clear)
    finally:
        controller.stop()
