"""What clients sent and what the server replied, session by session.

A session is one connection. Each holds entries, each a direction, a line
and the time it was recorded:

* ``C``: a command line from the client (secrets masked, see below),
* ``D``: the message data of a DATA command, summarized as its size,
* ``S``: a reply line from the server,
* ``*``: a note from SMTPLibrary (a fault that fired, a TLS handshake, commands the client pipelined).

What became of a TLS handshake is kept as facts of the session too (``tls``,
``tls_alert``, ``tls_error``, and what the client did after it), which is what
:mod:`.certificates` reads to tell whether the client refused the certificate.

Everything is bounded: the newest ``max_sessions`` sessions are kept; a
session keeps its first and last entries (``max_entries`` in all) and says
how many it left out in between; a line is cut at ``max_line`` characters.

Credentials never enter the transcript: the argument after the mechanism
of ``AUTH <mechanism> <initial-response>`` and every client line of an AUTH
exchange (the answers to ``334`` challenges) are recorded as ``********``.

The server's loop thread records; test threads read snapshots, and can wait
for what they look for in them (the retries of a client, see :mod:`.retries`).
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from ...errors import InvalidArgument
from ...waiting import Changes, Outcome
from ...wording import peer_address, plural
from ..handshakes import HandshakeFailure
from ..wire import find_end

CLIENT, DATA, SERVER, NOTE = "C", "D", "S", "*"
MASK = "********"
T = TypeVar("T")


@dataclass(frozen=True)
class Entry:
    """One line of a dialogue. ``finished`` is false only for message data the client
    never ended (the connection closed first)."""

    time: float
    direction: str
    text: str
    finished: bool = True

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
    # None: no TLS handshake; "completed" or "failed".
    tls: str | None = None
    tls_alert: str | None = None  # the alert the client ended a failed handshake with ("unknown ca")
    tls_error: str | None = None  # the failure as the server met it
    commands_after_tls: int = 0
    first_command_after_tls: str | None = None
    messages_after_tls: int = 0  # message data the client finished sending after the handshake

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
        return f"<Session {self.number} from {self.address}, {plural(len(self.entries), 'entry', 'entries')}>"

    def __str__(self) -> str:
        state = " (dropped by the server)" if self.dropped else " (still open)" if self.ended is None else ""
        return f"Session {self.number} from {self.address}{state}\n{self.text}"

    def __contains__(self, text: object) -> bool:
        """Whether ``text`` is in the dialogue: ``"S: 250" in session``, and so Robot's
        ``Should Contain    ${session}    S: 250``."""
        return isinstance(text, str) and text in self.text

    def as_fields(self) -> dict[str, Any]:
        """This session as a dictionary of plain values (for Robot's Remote interface); each entry is
        a dictionary with ``time`` (seconds since the epoch), ``direction`` (``C``, ``S``, ``D``
        or ``*``) and ``text``."""
        return {
            "number": self.number,
            "peer": None if self.peer is None else list(self.peer),
            "address": self.address,
            "started": self.started,
            "ended": self.ended,
            "dropped": self.dropped,
            "commands": self.commands,
            "replies": self.replies,
            "text": self.text,
            "tls": self.tls,
            "tls_alert": self.tls_alert,
            "tls_error": self.tls_error,
            "commands_after_tls": self.commands_after_tls,
            "first_command_after_tls": self.first_command_after_tls,
            "messages_after_tls": self.messages_after_tls,
            "entries": [
                {"time": entry.time, "direction": entry.direction, "text": entry.text} for entry in self.entries
            ],
        }


class _Record:
    """A session as it is recorded: its first entries, then a ring of its last ones."""

    __slots__ = (
        "commands_after_tls",
        "dropped",
        "ended",
        "first_command_after_tls",
        "head",
        "head_size",
        "left_out",
        "messages_after_tls",
        "number",
        "peer",
        "started",
        "tail",
        "tls",
        "tls_alert",
        "tls_error",
    )

    def __init__(self, number: int, peer: tuple | None, head_size: int, tail_size: int) -> None:
        self.number = number
        self.peer = peer
        self.started = time.time()
        self.ended: float | None = None
        self.dropped = False
        self.tls: str | None = None
        self.tls_alert: str | None = None
        self.tls_error: str | None = None
        # What the client sent once TLS was up.
        self.commands_after_tls = 0
        self.first_command_after_tls: str | None = None
        self.messages_after_tls = 0
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
            entries.append(Entry(self.tail[0].time, NOTE, f"{plural(self.left_out, 'entry', 'entries')} left out"))
        entries.extend(self.tail)
        return Session(
            self.number,
            self.peer,
            self.started,
            self.ended,
            tuple(entries),
            self.dropped,
            self.tls,
            self.tls_alert,
            self.tls_error,
            self.commands_after_tls,
            self.first_command_after_tls,
            self.messages_after_tls,
        )


class Transcript:
    """The recent sessions of one server, oldest first."""

    def __init__(self, max_sessions: int = 50, max_entries: int = 200, max_line: int = 512) -> None:
        if max_sessions < 1 or max_entries < 2 or max_line < 1:
            raise InvalidArgument("A transcript keeps at least 1 session, 2 entries per session and 1 character.")
        self.max_line = max_line
        # The start of a session (greeting, EHLO, first transaction) and its end matter most.
        self._head_size = max(1, max_entries // 4)
        self._tail_size = max_entries - self._head_size
        self._changes = Changes()
        self._records: deque[_Record] = deque(maxlen=max_sessions)
        self._numbered = 0

    # -- the server's loop thread ----------------------------------------------

    def open(self, peer: tuple | None) -> SessionLog:
        """Start recording a new connection from ``peer``."""
        with self._changes:
            self._numbered += 1
            record = _Record(self._numbered, peer, self._head_size, self._tail_size)
            self._records.append(record)
            self._changes.changed()
        return SessionLog(self, record)

    def _add(
        self,
        record: _Record,
        direction: str,
        text: str,
        size: int | None = None,
        unit: str = "characters",
        finished: bool = True,
    ) -> None:
        """Add a line; ``size`` is the length of the whole line when ``text`` holds only its start."""
        size = len(text) if size is None else size
        if size > self.max_line or len(text) > self.max_line:
            text = f"{text[: self.max_line]}... ({size} {unit})"
        with self._changes:
            record.add(Entry(time.time(), direction, text, finished))
            self._changes.changed()

    def _tls(self, record: _Record, outcome: str, alert: str | None = None, error: str | None = None) -> None:
        with self._changes:
            record.tls, record.tls_alert, record.tls_error = outcome, alert, error
            self._changes.changed()

    def _after_tls(self, record: _Record, command: str | None = None) -> None:
        """Count a command (or, without one, a message) the client sent over TLS."""
        if record.tls != "completed":
            return
        with self._changes:
            if command is None:
                record.messages_after_tls += 1
            else:
                record.commands_after_tls += 1
                record.first_command_after_tls = record.first_command_after_tls or command
            self._changes.changed()

    def _end(self, record: _Record, dropped: bool) -> None:
        with self._changes:
            record.ended = time.time()
            record.dropped = record.dropped or dropped
            self._changes.changed()

    # -- test threads ----------------------------------------------------------

    def sessions(self) -> list[Session]:
        """Snapshots of the recorded sessions, oldest first."""
        with self._changes:
            return [record.snapshot() for record in self._records]

    def clear(self) -> None:
        """Forget every session; numbering starts again at 1. Open connections are no longer recorded."""
        with self._changes:
            self._records.clear()
            self._numbered = 0
            self._changes.changed()

    def wait(self, check: Callable[[list[Session]], T | None], timeout: float) -> Outcome[T]:
        """Hand ``check`` the sessions now, then after each change, until it returns something
        other than ``None`` or ``timeout`` seconds pass."""
        return self._changes.watch(lambda _seen: [record.snapshot() for record in self._records], check, timeout)


class SessionLog:
    """Turns one connection's traffic into entries: the connection's :class:`~.dialogue.Dialogue` feeds it.

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
        self._read_commands: list[str] = []

    def client(self, data: bytes) -> None:
        """Bytes received from the client. Several commands in one read mean the client pipelined
        them (RFC 2920): a note says so, which a test of a server without PIPELINING looks for."""
        self._read_commands.clear()
        while data:
            data = self._data(data) if self._in_data else self._line(data)
        if len(self._read_commands) > 1:
            verbs = [text if text == MASK else text.split(" ", 1)[0].upper() for text in self._read_commands]
            self._transcript._add(self._record, NOTE, f"pipelined: {', '.join(verbs)} came in one read")

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

    def tls_completed(self) -> None:
        """The TLS handshake is done: what the client sends from now on, it sends over TLS."""
        self.note("TLS started")
        self._transcript._tls(self._record, "completed")

    def tls_failed(self, failure: HandshakeFailure) -> None:
        """The TLS handshake failed: with the alert the client sent, if it sent one."""
        self.note(str(failure))
        self._transcript._tls(self._record, "failed", failure.alert, failure.error)

    def dropped(self) -> None:
        """The server dropped the connection (a fault), rather than the client closing it."""
        self._transcript._end(self._record, dropped=True)

    def end(self) -> None:
        """The connection is closed: record what the client left unfinished."""
        record = self._record
        if record.tls == "completed" and not record.commands_after_tls and not self._pending_size:
            self.note("the client closed the connection after the TLS handshake without sending a command")
        if self._in_data:
            self._transcript._add(
                self._record, DATA, f"{plural(self._data_size, 'byte')} of message data, unfinished", finished=False
            )
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
        self._transcript._add(self._record, DATA, f"{plural(self._data_size, 'byte')} of message data")
        self._transcript._after_tls(self._record)
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
        self._transcript._after_tls(self._record, text)
        self._read_commands.append(text)
        if suffix:
            self._transcript._add(self._record, NOTE, suffix)
