"""One connection as the fault rules, the transcript and the statistics see it.

The engine that speaks SMTP calls a connection's :class:`Dialogue` at every
stage (see :mod:`SMTPLibrary.core.smtp.engine`): the greeting goes through
:meth:`Dialogue.greet` (the ``CONNECT`` stage), every reply sent through
:meth:`Dialogue.sent`, each client byte through :meth:`Dialogue.received`,
and the faults of a stage are asked with :meth:`Dialogue.fault` where the
command would take effect, when :attr:`Dialogue.has_faults` says any are set. What
became of a TLS handshake goes through :meth:`Dialogue.tls_started` and
:meth:`Dialogue.tls_failed`.

A rule fires on a command the server would process: the engine asks only
then. A 4xx or 5xx reply refuses the command; ``421`` also closes the
connection once sent; a disconnect closes it at once, and nothing reaches the
client after it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from ..handshakes import read_failure
from ..stats import Statistics
from .rules import CLOSING_CODE, Action, Disconnect, Faults, Reply
from .transcript import Transcript

# RFC 5321 section 3.1: after refusing the greeting, a server answers 503 to all but QUIT.
REFUSED_SESSION = "503 Bad sequence of commands: this session was refused at the greeting, send QUIT"


class Dialogue:
    """Records one connection into the transcript and the statistics, and applies the fault rules to it.

    ``close`` closes the connection (after what was written is sent)."""

    def __init__(
        self, faults: Faults, transcript: Transcript, stats: Statistics, peer: Any, close: Callable[[], None]
    ) -> None:
        self._faults = faults
        self._stats = stats
        self._close = close
        self._log = transcript.open(peer)
        stats.session_opened()
        self._greeted = False
        self._ended = False
        self._close_after_reply = False
        # The greeting was refused: every command but QUIT gets REFUSED_SESSION.
        self.refused = False
        # The server dropped the connection (a fault): nothing more is sent or recorded.
        self.dropped = False

    def tls_started(self) -> None:
        """The TLS handshake completed (STARTTLS, or the start of an implicit TLS connection)."""
        self._log.tls_completed()

    def tls_failed(self, error: BaseException) -> None:
        """The TLS handshake failed with ``error``: the client gave up (it refused the certificate,
        say, with an alert), or left. Not the server's failure: recorded, not reported."""
        self._log.tls_failed(read_failure(error))

    def received(self, data: bytes) -> None:
        """Bytes from the client, as the network delivered them."""
        if not self.dropped:
            self._log.client(data)

    def ended(self) -> None:
        """The connection is closed (said once, however often the engine hears of it)."""
        if not self._ended:
            self._ended = True
            self._log.end()

    @property
    def greeted(self) -> bool:
        return self._greeted

    @property
    def has_faults(self) -> bool:
        """Whether any fault rule is set (else no stage needs asking)."""
        return bool(self._faults)

    async def greet(self, greeting: str | bytes) -> str | bytes | None:
        """The greeting to send instead of ``greeting`` (itself, unless the rules of ``CONNECT``
        change it); ``None``: send nothing, the connection was dropped."""
        self._greeted = True
        action = await self.fault("CONNECT") if self._faults else None
        if isinstance(action, Disconnect) or self.dropped:
            return None
        if action is None:
            return greeting
        self.refused = not action.accepts
        return action.status

    def sent(self, status: str | bytes) -> None:
        """A reply is being sent: recorded and counted."""
        self._log.server(status if isinstance(status, str) else status.decode("utf-8", "replace"))
        self._stats.reply_sent(status)

    def close_now(self) -> bool:
        """Whether the reply just sent must close the connection (``421``); asked after each reply."""
        close, self._close_after_reply = self._close_after_reply, False
        return close

    async def fault(
        self, stage: str, sender: str | None = None, recipient: str | None = None
    ) -> Reply | Disconnect | None:
        """Apply the rules for ``stage``: wait if a delay rule says so, then return the reply
        to send instead of the normal one (``None``: carry on normally). A disconnect has
        already closed the connection when it is returned."""
        faults = self._faults
        delay = faults.take(stage, True, sender, recipient)
        if delay is not None:
            self._note(stage, delay)
            # On the loop, never blocking it: other connections are served meanwhile.
            # A client that leaves during the wait cancels this task: nothing is stored.
            await asyncio.sleep(delay.seconds)
        action = faults.take(stage, False, sender, recipient)
        if action is None:
            return None
        self._note(stage, action)
        if isinstance(action, Disconnect):
            self.dropped = True
            self._log.dropped()
            self._close()
        elif action.code == CLOSING_CODE:
            self._close_after_reply = True
        return action

    def _note(self, stage: str, action: Action) -> None:
        self._log.note(f"fault at {stage}: {action}")
