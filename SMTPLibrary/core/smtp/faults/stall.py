"""A server that stalls inside DATA: once so many bytes of the message have arrived, it stops reading.

:class:`Stall` is the rule a test sets; :class:`DataStall` carries it out on
one message, fed every byte the client sends after the ``354`` reply. The
bytes after ``after_bytes`` are held back from the protocol, which waits for
them as for a slow client; ``duration`` seconds later (never, without one) the
server drops the connection (``then=disconnect``) or hands them over and reads
on (``then=continue``).

While it stalls the server keeps reading the socket and holding what
arrives (up to :data:`HOLD_LIMIT`, then it stops reading too): so it sees a
client that gives up at once, and a message the client abandoned is never
completed from bytes read later. After a stall, the end of the message waits
for the event loop to settle before it is stored (:meth:`~.dialogue.Dialogue.fault`),
so that a client that left while more than ``HOLD_LIMIT`` was held is seen
leaving first. Nothing of an interrupted message is stored.

A message whose data ends before ``after_bytes`` does not stall: the rule
stays for the next one, and the transcript says so.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ...errors import InvalidArgument
from ...values import duration as check_duration
from ...values import whole_number
from ...wording import format_duration, plural
from ..wire import find_end

if TYPE_CHECKING:
    from .rules import Faults

THEN = ("disconnect", "continue")
# Bytes held while stalling before the server stops reading the socket as well.
HOLD_LIMIT = 1 << 20


class Stall:
    """Stop reading the message data after ``after_bytes``, for ``duration`` seconds (``None``: until
    the client leaves), then drop the connection or carry on; for ``count`` messages (0: until cleared)."""

    __slots__ = ("after_bytes", "duration", "remaining", "then")

    def __init__(self, after_bytes: int, duration: float | None = None, then: str = "disconnect", count: int = 1):
        self.after_bytes = whole_number(after_bytes, "after_bytes must be a number of bytes, 0 or more")
        self.duration = None if duration is None else check_duration(duration, "duration")
        then = str(then).strip().lower()
        if then not in THEN:
            raise InvalidArgument(f"then must be one of {', '.join(THEN)}, got {then!r}.")
        self.then = then
        count = whole_number(count, "count must be 0 (every message, until cleared) or a positive number")
        self.remaining: int | None = count or None

    @property
    def ending(self) -> str:
        if self.duration is None:
            return "until the client gives up"
        then = "drop the connection" if self.then == "disconnect" else "read on"
        return f"for {format_duration(self.duration)}, then {then}"

    def __str__(self) -> str:
        times = "until cleared" if self.remaining is None else plural(self.remaining, "more time")
        return f"stall after {plural(self.after_bytes, 'byte')} of message data {self.ending}, {times}"

    def __repr__(self) -> str:
        return f"<Stall {self}>"


class DataStall:
    """The stall of one message, fed the client's bytes after the ``354`` reply.

    ``connection`` is what the engine lets the dialogue do to the connection (see
    :class:`~.dialogue.Connection`), ``note`` adds a line to the transcript, and
    ``dropping`` marks the session as dropped by the server."""

    def __init__(
        self,
        rule: Stall,
        faults: Faults,
        connection: Any,
        note: Callable[[str], None],
        dropping: Callable[[], None],
    ) -> None:
        self.rule = rule
        self._faults = faults
        self._connection = connection
        self._note = note
        self._dropping = dropping
        self._seen = 0  # bytes handed on before the stall
        self._tail = b"\r\n"  # the last bytes handed on: the end of data may straddle two reads
        self._held: list[bytes] = []
        self._held_size = 0
        self._paused = False
        self._timer: asyncio.TimerHandle | None = None
        self._started = 0.0
        self.stalling = False
        # The message went through a stall: its end waits for the loop to settle before it is stored.
        self.stalled = False
        self.finished = False

    def feed(self, data: bytes) -> bytes:
        """The part of ``data`` the protocol gets now; the rest is held."""
        if self.stalling:
            self._hold(data)
            return b""
        end = find_end(self._tail, data)
        if self.stalled:  # reading on after the stall, to the end of the message
            self._passed(data, end)
            return data
        room = self.rule.after_bytes - self._seen
        if 0 <= end <= room:
            self._note(
                f"no stall: the message data ended after {plural(self._seen + end, 'byte')}, "
                f"before the {plural(self.rule.after_bytes, 'byte')} the stall waits for"
            )
            self.finished = True
            return data
        if len(data) <= room and room > 0:
            self._passed(data, -1)
            return data
        self._start(data[room:])
        self._passed(data[:room], -1)
        return data[:room]

    def _passed(self, data: bytes, end: int) -> None:
        self._seen += len(data)
        self._tail = (self._tail + data)[-4:]
        if end >= 0:
            self.finished = True

    def _hold(self, data: bytes) -> None:
        if not data:
            return
        self._held.append(data)
        self._held_size += len(data)
        if self._held_size > HOLD_LIMIT and not self._paused:
            self._paused = True
            self._connection.pause_reading()

    def _start(self, held: bytes) -> None:
        self._faults.spend_stall(self.rule)
        self.stalling = self.stalled = True
        self._started = time.monotonic()
        self._hold(held)
        after = plural(self.rule.after_bytes, "byte")
        self._note(f"fault at DATA: stall after {after} of message data, {self.rule.ending}")
        if self.rule.duration is not None:
            self._timer = asyncio.get_running_loop().call_later(self.rule.duration, self._over)

    def _over(self) -> None:
        self._timer = None
        self.stalling = False
        waited = format_duration(time.monotonic() - self._started)
        if self.rule.then == "disconnect":
            self._note(f"stall over after {waited}: the server drops the connection")
            self.finished = True
            self._dropping()
            self._connection.abort()
            return
        self._note(f"stall over after {waited}: the server reads on")
        held = b"".join(self._held)
        self._held.clear()
        self._held_size = 0
        self._passed(held, find_end(self._tail, held))
        if self._paused:
            self._paused = False
            self._connection.resume_reading()
        if held:
            self._connection.pass_on(held)

    def connection_closed(self) -> None:
        """The connection closed while this message was being read."""
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        if self.stalling:
            self.stalling = False
            elapsed = time.monotonic() - self._started
            self._note(f"the connection closed {elapsed:.1f} s into the stall: nothing of the message stored")
