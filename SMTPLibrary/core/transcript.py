"""What clients sent and what the server replied, session by session.

A session is one connection. Each holds entries, each a direction, a line
and the time it was recorded:

* ``C``: a command line from the client (secrets masked, see below),
* ``D``: the message data of a DATA command, summarized as its size,
* ``S``: a reply line from the server,
* ``*``: a note from SMTPLibrary (a fault that fired).

Everything is bounded: the newest ``max_sessions`` sessions are kept; a
session keeps its first and last entries (``max_entries`` in all) and says
how many it left out in between; a line is cut at ``max_line`` characters.

Credentials never enter the transcript: the argument after the mechanism
of ``AUTH <mechanism> <initial-response>`` and every client line of an AUTH
exchange (the answers to ``334`` challenges) are recorded as ``********``.

The server's loop thread records; test threads read snapshots, and can wait
for the retries of a client (see :func:`find_attempts`).
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from . import report
from .data import find_end
from .errors import InvalidArgument, RetryCountMismatch
from .formatting import peer_address
from .mailbox import WAIT_SLICE

CLIENT, DATA, SERVER, NOTE = "C", "D", "S", "*"
MASK = "********"
DROPPED = "connection dropped by the server"
LISTED_ATTEMPTS = 10
T = TypeVar("T")


@dataclass(frozen=True)
class Entry:
    time: float
    direction: str
    text: str

    def __str__(self) -> str:
        return f"{self.direction}: {self.text}"


@dataclass(frozen=True, repr=False)
class Session:
    """A snapshot of one connection's dialogue, oldest entry first."""

    number: int
    peer: tuple | None
    started: float
    ended: float | None
    entries: tuple[Entry, ...]
    dropped: bool = False

    @property
    def commands(self) -> list[str]:
        """The client's command lines (message data and AUTH secrets are not commands)."""
        return [entry.text for entry in self.entries if entry.direction == CLIENT]

    @property
    def replies(self) -> list[str]:
        """The server's reply lines, each line of a multi-line reply on its own."""
        return [entry.text for entry in self.entries if entry.direction == SERVER]

    @property
    def text(self) -> str:
        """Every entry on a line of its own: ``C: EHLO app.test``, ``S: 250 OK``..."""
        return "\n".join(str(entry) for entry in self.entries)

    @property
    def address(self) -> str:
        return peer_address(self.peer) or "an unknown address"

    def __repr__(self) -> str:
        return f"<Session {self.number} from {self.address}, {len(self.entries)} entries>"

    def __str__(self) -> str:
        state = " (dropped by the server)" if self.dropped else " (still open)" if self.ended is None else ""
        return f"Session {self.number} from {self.address}{state}\n{self.text}"


class _Record:
    """A session as it is recorded: its first entries, then a ring of its last ones."""

    __slots__ = ("dropped", "ended", "head", "head_size", "left_out", "number", "peer", "started", "tail")

    def __init__(self, number: int, peer: tuple | None, head_size: int, tail_size: int) -> None:
        self.number = number
        self.peer = peer
        self.started = time.time()
        self.ended: float | None = None
        self.dropped = False
        self.head: list[Entry] = []
        self.head_size = head_size
        self.tail: deque[Entry] = deque(maxlen=tail_size)
        self.left_out = 0

    def add(self, entry: Entry) -> None:
        if len(self.head) < self.head_size:
            self.head.append(entry)
            return
        if len(self.tail) == self.tail.maxlen:
            self.left_out += 1
        self.tail.append(entry)

    def snapshot(self) -> Session:
        entries = list(self.head)
        if self.left_out:
            entries.append(Entry(self.tail[0].time, NOTE, f"{self.left_out} entries left out"))
        entries.extend(self.tail)
        return Session(self.number, self.peer, self.started, self.ended, tuple(entries), self.dropped)


class Transcript:
    """The recent sessions of one server, oldest first."""

    def __init__(self, max_sessions: int = 50, max_entries: int = 200, max_line: int = 512) -> None:
        if max_sessions < 1 or max_entries < 2 or max_line < 1:
            raise InvalidArgument("A transcript keeps at least 1 session, 2 entries per session and 1 character.")
        self.max_line = max_line
        # The start of a session (greeting, EHLO, first transaction) and its end matter most.
        self._head_size = max(1, max_entries // 4)
        self._tail_size = max_entries - self._head_size
        self._cond = threading.Condition(threading.Lock())
        self._records: deque[_Record] = deque(maxlen=max_sessions)
        self._numbered = 0
        self._version = 0

    # -- the server's loop thread ----------------------------------------------

    def open(self, peer: tuple | None) -> SessionLog:
        """Start recording a new connection from ``peer``."""
        with self._cond:
            self._numbered += 1
            record = _Record(self._numbered, peer, self._head_size, self._tail_size)
            self._records.append(record)
            self._changed()
        return SessionLog(self, record)

    def _add(
        self, record: _Record, direction: str, text: str, size: int | None = None, unit: str = "characters"
    ) -> None:
        """Add a line; ``size`` is the length of the whole line when ``text`` holds only its start."""
        size = len(text) if size is None else size
        if size > self.max_line or len(text) > self.max_line:
            text = f"{text[: self.max_line]}... ({size} {unit})"
        with self._cond:
            record.add(Entry(time.time(), direction, text))
            self._changed()

    def _end(self, record: _Record, dropped: bool) -> None:
        with self._cond:
            record.ended = time.time()
            record.dropped = record.dropped or dropped
            self._changed()

    def _changed(self) -> None:
        self._version += 1
        self._cond.notify_all()

    # -- test threads ----------------------------------------------------------

    def sessions(self) -> list[Session]:
        """Snapshots of the recorded sessions, oldest first."""
        with self._cond:
            return [record.snapshot() for record in self._records]

    def clear(self) -> None:
        """Forget every session; numbering starts again at 1. Open connections are no longer recorded."""
        with self._cond:
            self._records.clear()
            self._numbered = 0
            self._changed()

    def wait(self, check: Callable[[list[Session]], T | None], timeout: float) -> tuple[T | None, list[Session]]:
        """Hand ``check`` the sessions now, then after each change, until it returns something
        other than ``None`` or ``timeout`` seconds pass. Returns its result and the sessions it saw last."""
        deadline = time.monotonic() + timeout
        seen = -1
        sessions: list[Session] = []
        while True:
            with self._cond:
                while self._version == seen:
                    remaining = deadline - time.monotonic()
                    if remaining <= 0:
                        return None, sessions
                    # In slices, so that an outer timeout (Robot's, a signal) can interrupt.
                    self._cond.wait(min(remaining, WAIT_SLICE))
                seen = self._version
                sessions = [record.snapshot() for record in self._records]
            result = check(sessions)
            if result is not None:
                return result, sessions

    def wait_for_retries(self, expected: int, timeout: float) -> list[Attempt]:
        """Wait until the client has retried exactly ``expected`` times (see :func:`find_attempts`).

        Fails at once when it already retried more often, and after ``timeout``
        seconds when it retried less. Returns the attempts."""
        if isinstance(expected, bool) or not isinstance(expected, int) or expected < 0:
            raise InvalidArgument(f"The number of retries must be 0 or more, got {expected!r}.")

        def reached(sessions: list[Session]) -> list[Attempt] | None:
            attempts = find_attempts(sessions)
            if len(attempts) - 1 > expected:
                raise RetryCountMismatch(retry_mismatch(expected, attempts, None))
            return attempts if len(attempts) - 1 == expected else None

        attempts, sessions = self.wait(reached, timeout)
        if attempts is None:
            raise RetryCountMismatch(retry_mismatch(expected, find_attempts(sessions), timeout))
        return attempts


class SessionLog:
    """Turns one connection's traffic into entries: the hooks in ``hooks.py`` feed it.

    Client bytes arrive as the network delivers them; they are cut into lines
    here. Between a ``354`` reply and the lone dot, the client sends message
    data: it is counted, not recorded."""

    def __init__(self, transcript: Transcript, record: _Record) -> None:
        self._transcript = transcript
        self._record = record
        self._pending = bytearray()
        self._pending_size = 0
        self._ends_with_cr = False
        self._in_auth = False
        self._in_data = False
        self._data_tail = b""
        self._data_size = 0

    def client(self, data: bytes) -> None:
        """Bytes received from the client."""
        while data:
            data = self._data(data) if self._in_data else self._line(data)

    def server(self, status: str) -> None:
        """A reply as pushed to the client (several lines separated by CRLF)."""
        for line in status.split("\r\n"):
            self._transcript._add(self._record, SERVER, line)
            if not line.startswith("334"):
                # Any reply but a challenge ends an AUTH exchange.
                self._in_auth = False
            if line.startswith("354"):
                self._in_data = True
                # The DATA command line ended with CRLF: an immediate ".\r\n" ends an empty message.
                self._data_tail = b"\r\n"
                self._data_size = 0

    def note(self, text: str) -> None:
        self._transcript._add(self._record, NOTE, text)

    def dropped(self) -> None:
        """The server dropped the connection (a fault), rather than the client closing it."""
        self._transcript._end(self._record, dropped=True)

    def end(self) -> None:
        """The connection is closed: record what the client left unfinished."""
        if self._in_data:
            self._transcript._add(self._record, DATA, f"{self._data_size} bytes of message data, unfinished")
            self._in_data = False
        if self._pending_size:
            self._command(bytes(self._pending), self._pending_size, "the client's last line had no line end")
        self._transcript._end(self._record, dropped=False)

    def _data(self, data: bytes) -> bytes:
        # The end of data may straddle chunks: the last bytes of the previous chunk are kept.
        end = find_end(self._data_tail, data)
        if end < 0:
            self._data_size += len(data)
            self._data_tail = (self._data_tail + data)[-4:]
            return b""
        # The message ends with the CRLF before the dot (bytes of the tail were counted already).
        self._data_size += end - len(b".\r\n")
        self._transcript._add(self._record, DATA, f"{self._data_size} bytes of message data")
        self._in_data = False
        return data[end:]

    def _line(self, data: bytes) -> bytes:
        newline = data.find(b"\n")
        part = data if newline < 0 else data[:newline]
        # Keep one byte more than a line shows: enough to know it was cut, never more.
        room = self._transcript.max_line + 1 - len(self._pending)
        if room > 0:
            self._pending += part[:room]
        self._pending_size += len(part)
        if part:
            self._ends_with_cr = part.endswith(b"\r")
        if newline < 0:
            return b""
        line, size = bytes(self._pending), self._pending_size
        if self._ends_with_cr:
            size -= 1
            line = line[:size]
        self._pending.clear()
        self._pending_size = 0
        self._ends_with_cr = False
        self._command(line, size)
        return data[newline + 1 :]

    def _command(self, line: bytes, size: int, suffix: str = "") -> None:
        text = line.decode("utf-8", "replace")
        if self._in_auth:
            # An answer to a challenge (or anything pipelined after AUTH): a secret, unless it aborts.
            text = "*" if text.strip() == "*" else MASK
            size = len(text)
        else:
            words = text.split(None, 2)
            if words and words[0].upper() == "AUTH":
                self._in_auth = True
                if len(words) == 3:
                    text = f"{words[0]} {words[1]} {MASK}"
                    size = len(text)
        self._transcript._add(self._record, CLIENT, text, size, "bytes")
        if suffix:
            self._transcript._add(self._record, NOTE, suffix)


# -- retries -----------------------------------------------------------------


@dataclass(frozen=True)
class Attempt:
    """One try of the client to send: a transaction, or a session refused before MAIL."""

    session: Session
    command: str | None
    outcome: str

    def __str__(self) -> str:
        what = self.command or "before MAIL"
        return f"session {self.session.number} from {self.session.address}: {what} -> {self.outcome}"


def _code(line: str) -> int:
    return int(line[:3]) if line[:3].isdigit() else 0


def _verb(text: str) -> str:
    words = text.split(None, 1)
    return words[0].upper() if words else ""


def find_attempts(sessions: Sequence[Session]) -> list[Attempt]:
    """Every attempt of a client to send, oldest first. The definition:

    * each ``MAIL`` command is an attempt (one per transaction), whatever the reply;
    * a session without any ``MAIL`` is an attempt when the server refused
      something in it (a 4xx or 5xx reply: a refused greeting, EHLO, AUTH,
      STARTTLS) or dropped it: the client tried and was stopped before it
      could name the sender;
    * other sessions (a connection check, a NOOP and QUIT) are no attempt.

    The client retried ``len(attempts) - 1`` times. Each attempt's outcome is
    the first refusal (4xx/5xx) it got, else the reply to its message data,
    else how it ended.
    """
    return [attempt for session in sessions for attempt in _session_attempts(session)]


def _session_attempts(session: Session) -> list[Attempt]:
    attempts: list[Attempt] = []
    # Per transaction: [MAIL line, first refusal, reply to the data, data sent]
    current: list | None = None
    refused_before_mail = None
    for entry in session.entries:
        if entry.direction == CLIENT and _verb(entry.text) == "MAIL":
            current = [entry.text, None, None, False]
            attempts.append(current)
        elif current is None:
            if entry.direction == SERVER and _code(entry.text) >= 400 and refused_before_mail is None:
                refused_before_mail = entry.text
        elif entry.direction == DATA:
            current[3] = not entry.text.endswith("unfinished")
        elif entry.direction == SERVER:
            if _code(entry.text) >= 400:
                current[1] = current[1] or entry.text
            elif current[3] and current[2] is None:
                current[2] = entry.text
    if not attempts:
        if refused_before_mail or session.dropped:
            return [Attempt(session, None, refused_before_mail or DROPPED)]
        return []
    result = []
    for number, (mail, refusal, final, _) in enumerate(attempts, 1):
        ending = "no message sent"
        if number == len(attempts):
            ending = DROPPED if session.dropped else "still going on" if session.ended is None else ending
        result.append(Attempt(session, mail, refusal or final or ending))
    return result


def _times(count: int) -> str:
    return f"{count} time" + ("" if count == 1 else "s")


def retry_mismatch(expected: int, attempts: Sequence[Attempt], waited: float | None) -> str:
    """The failure text of a retry count that does not match."""
    head = f"The client should have retried {_times(expected)}"
    if not attempts:
        return f"{head} but made no attempt to send in {report.format_duration(waited or 0)}."
    retried = _times(len(attempts) - 1)
    if waited is None:
        head += f" but had already retried {retried}."
    else:
        head += f" but retried {retried} in {report.format_duration(waited)}."
    shown = attempts[-LISTED_ATTEMPTS:]
    heading = f"{report.plural(len(attempts), 'attempt')}" + (
        f", the last {len(shown)}:" if len(shown) < len(attempts) else ":"
    )
    first = len(attempts) - len(shown) + 1
    lines = [f"{first + n}) {attempt}" for n, attempt in enumerate(shown)]
    return "\n".join([f"{head} {heading}", *lines])
