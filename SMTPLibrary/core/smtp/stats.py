"""What a server has seen: sessions, refusals, messages and bytes.

The counters are bumped on the server's event loop thread, on every
connection and reply, so bumping is a plain integer increment: no lock.
Each counter has one writer (the loop thread); readers in other threads get
a snapshot that may be one event behind, which is all statistics need.
"""

from __future__ import annotations

import time
from dataclasses import dataclass


@dataclass(frozen=True)
class Snapshot:
    """The counters at one moment, and how long they have been counting."""

    sessions: int
    refusals: int
    messages: int
    bytes: int
    seconds: float

    def rate_since(self, earlier: Snapshot | None = None) -> float:
        """Messages per second since ``earlier`` (since counting began when ``None``)."""
        messages = self.messages - (earlier.messages if earlier else 0)
        seconds = self.seconds - (earlier.seconds if earlier else 0.0)
        return messages / seconds if seconds > 0 else 0.0

    def as_dict(self) -> dict[str, float]:
        return {
            "sessions": self.sessions,
            "refusals": self.refusals,
            "messages": self.messages,
            "bytes": self.bytes,
            "seconds": round(self.seconds, 3),
            "rate": round(self.rate_since(), 3),
        }


class Statistics:
    """Counters of one server, kept across stops and restarts until :meth:`reset`."""

    __slots__ = ("_started", "bytes", "messages", "refusals", "sessions")

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        self.sessions = 0
        self.refusals = 0
        self.messages = 0
        self.bytes = 0
        self._started = time.monotonic()

    # -- bumped on the loop thread --------------------------------------------

    def session_opened(self) -> None:
        self.sessions += 1

    def reply_sent(self, status: str | bytes) -> None:
        """Every reply the server sends, a line or several lines at once (a fault's reply);
        a 4xx or 5xx reply is a refusal, counted once, on its last line (``550-`` continues,
        ``550 `` ends)."""
        if isinstance(status, bytes):
            status = status.decode("latin-1")
        last = status[status.rfind("\n", 0, len(status) - 1) + 1 :]
        if last[:1] in ("4", "5") and last[3:4] != "-":
            self.refusals += 1

    def message_stored(self, size: int) -> None:
        self.messages += 1
        self.bytes += size

    # -- read anywhere -----------------------------------------------------------

    def snapshot(self) -> Snapshot:
        return Snapshot(self.sessions, self.refusals, self.messages, self.bytes, time.monotonic() - self._started)
