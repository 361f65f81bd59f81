"""A provider's rate limit: after so many messages within a window of time, MAIL is refused until there is room.

A message counts when its ``MAIL FROM`` is accepted (as Postfix's anvil counts
message delivery requests); a refused MAIL does not count. The window slides:
it holds the messages of the last ``per`` seconds, measured on the monotonic
clock, so a clock set back or forward changes nothing. The scope says whose
messages share a window:

* ``connection``: each connection has its own (with code 421, which closes it,
  that is "so many messages per connection": a client that reconnects starts afresh);
* ``sender``: each envelope sender, compared without case (``<>`` is one too);
* ``server``: every message the server receives.

Windows are kept and checked on the server's event loop thread only.
"""

from __future__ import annotations

import time
import weakref
from collections import deque
from collections.abc import Callable
from typing import Any

from ...errors import InvalidArgument
from ...values import duration, whole_number
from ...wording import format_duration, plural
from .rules import Reply, make_reply

SCOPES = ("connection", "sender", "server")
# Beyond this many windows of senders, empty ones are swept: a server left running meets many senders.
SWEEP_ABOVE = 1000


def default_text(code: int) -> str:
    """What providers answer (Gmail's ``4.7.0``), the limit itself left to the transcript."""
    if code == 421:
        return "4.7.0 Too many messages, try again later, closing connection"
    if code < 500:
        return "4.7.0 Too many messages, try again later"
    return "5.7.0 Too many messages, sending limit exceeded"


def normalize_scope(scope: object) -> str:
    name = str(scope).strip().lower()
    if name not in SCOPES:
        raise InvalidArgument(f"scope must be one of {', '.join(SCOPES)}, got {scope!r}.")
    return name


class RateLimit:
    """Refuse MAIL once ``messages`` were accepted within ``per`` seconds, in each window of ``scope``."""

    def __init__(
        self,
        messages: int,
        per: float,
        code: int = 421,
        text: str | None = None,
        scope: str = "connection",
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.messages = whole_number(messages, "messages must be a positive number of messages", 1)
        self.per = duration(per, "per")
        whole_number(code, "The reply code must be a number like 421 or 450", minimum=None)
        if not 400 <= code <= 599:
            raise InvalidArgument(
                f"A rate limit refuses: give a 4xx code (421 also closes the connection, as providers do; "
                f"450 or 451 keep it open) or a 5xx code, got {code}."
            )
        self.reply: Reply = make_reply("MAIL", code, default_text(code) if text is None else text)
        self.scope = normalize_scope(scope)
        self._clock = clock
        self._shared: deque[float] = deque()
        self._senders: dict[str, deque[float]] = {}
        self._connections: weakref.WeakKeyDictionary[Any, deque[float]] = weakref.WeakKeyDictionary()

    def _window(self, connection: Any, sender: str | None) -> deque[float]:
        if self.scope == "server":
            return self._shared
        if self.scope == "connection":
            window = self._connections.get(connection)
            if window is None:
                window = self._connections[connection] = deque()
            return window
        key = (sender or "").lower()
        window = self._senders.get(key)
        if window is None:
            if len(self._senders) > SWEEP_ABOVE:
                self._sweep()
            window = self._senders[key] = deque()
        return window

    def _sweep(self) -> None:
        now = self._clock()
        for key, window in list(self._senders.items()):
            if not window or window[-1] <= now - self.per:
                del self._senders[key]

    def wait(self, connection: Any, sender: str | None) -> float | None:
        """Seconds until the window of this MAIL has room again; ``None``: it has room now."""
        window = self._window(connection, sender)
        now = self._clock()
        cutoff = now - self.per
        while window and window[0] <= cutoff:
            window.popleft()
        if len(window) < self.messages:
            return None
        return window[0] + self.per - now

    def count(self, connection: Any, sender: str | None) -> None:
        """This MAIL was accepted: it takes a place in its window."""
        self._window(connection, sender).append(self._clock())

    def refusal(self, waited: float) -> str:
        """The transcript's note for a refusal, with the time until there is room again."""
        return f"{self} reached: {self.reply}, room again in {waited:.1f} s"

    def __str__(self) -> str:
        whose = {"connection": "per connection", "sender": "per sender", "server": "for the whole server"}
        return f"rate limit of {plural(self.messages, 'message')} in {format_duration(self.per)} {whose[self.scope]}"

    def __repr__(self) -> str:
        return f"<RateLimit {self}: {self.reply.code} {self.reply.text!r}>"
