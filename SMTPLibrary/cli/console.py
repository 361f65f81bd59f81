"""What ``smtplibrary serve`` prints: a line per message, statistics, and the message itself with ``--verbose``."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator, Sequence
from typing import TextIO

from ..core import ReceivedMessage
from ..core.mailbox import Store, summary
from ..core.report import as_text
from ..core.smtp import Snapshot
from ..core.wording import plural


def clock(timestamp: float | None = None) -> str:
    return time.strftime("%H:%M:%S", time.localtime(timestamp))


def message_line(message: ReceivedMessage) -> str:
    """``12:00:01 from a@example.com to b@example.com, subject 'Hi', 312 bytes``."""
    return f"{clock(message.timestamp)} {summary(message)}, {plural(message.size, 'byte')}"


def totals(snapshot: Snapshot) -> str:
    return (
        f"{plural(snapshot.messages, 'message')} ({plural(snapshot.bytes, 'byte')}), "
        f"{plural(snapshot.sessions, 'session')}, {plural(snapshot.refusals, 'refusal')}"
    )


def periodic_statistics(now: Snapshot, before: Snapshot) -> str:
    """Totals so far, and the rate over the interval since ``before``."""
    interval = now.seconds - before.seconds
    return (
        f"{clock()} statistics: {totals(now)}; {now.rate_since(before):.2f} messages/s over the last {interval:.0f} s"
    )


def final_statistics(now: Snapshot, reason: str) -> str:
    rate = now.rate_since()
    return f"{clock()} {reason}. Final statistics: {totals(now)}; {rate:.2f} messages/s over {now.seconds:.1f} s"


class Console:
    """Whole lines to a stream, from any thread, flushed at once (a pipe reader sees them now).
    A reader that went away (``| head``) silences the output instead of failing the server."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self._lock = threading.Lock()
        self._broken = False

    def print(self, text: str) -> None:
        with self._lock:
            if self._broken:
                return
            try:
                self._stream.write(text + "\n")
                self._stream.flush()
            except (BrokenPipeError, ValueError):
                self._broken = True


class ConsoleStore(Store):
    """Received messages printed, one line each (decoded, whole, with ``verbose``).

    A store like the disk ones, and the last of them: it runs on the writer
    thread, never on the server's, and when a message's line is printed the
    message is already on disk."""

    kind = "console"

    def __init__(self, console: Console, verbose: bool = False) -> None:
        self.console = console
        self.verbose = verbose

    def add(self, messages: Sequence[ReceivedMessage]) -> None:
        for message in messages:
            self.console.print(message_line(message))
            if self.verbose:
                self.console.print(as_text(message))

    def clear(self) -> None:
        pass  # printed lines stay printed

    def __iter__(self) -> Iterator[bytes]:
        return iter(())
