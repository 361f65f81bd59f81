"""One connection as the fault rules, the transcript and the statistics see it.

The engine that speaks SMTP calls a connection's :class:`Dialogue` at every
stage (see :mod:`SMTPLibrary.core.smtp.engine`): the greeting goes through
:meth:`Dialogue.greet` (the ``CONNECT`` stage), every reply sent through
:meth:`Dialogue.sent`, each client byte through :meth:`Dialogue.received`
(which hands back what the protocol gets now), and the faults of a stage are
asked with :meth:`Dialogue.fault` where the command would take effect, when
:attr:`Dialogue.has_faults` says any rule is set. What
became of a TLS handshake goes through :meth:`Dialogue.tls_started` and
:meth:`Dialogue.tls_failed`.

A rule fires on a command the server would process: the engine asks only
then. A 4xx or 5xx reply refuses the command; ``421`` also closes the
connection once sent, and nothing the client sent after it is carried out
or answered; a disconnect closes it at once, and nothing reaches the client
after it.

At a stage, the first matching delay rule waits, then the first matching
reply or disconnect rule acts; when none refuses, chaos may fail the command,
and at ``MAIL`` a rate limit may refuse it. A stall acts inside DATA, on the
bytes themselves (:mod:`.stall`).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any, Protocol

from ..handshakes import read_failure
from ..stats import Statistics
from .rules import CLOSING_CODE, Action, Disconnect, Faults, Reply
from .stall import DataStall
from .transcript import Transcript

# RFC 5321 section 3.1: after refusing the greeting, a server answers 503 to all but QUIT.
REFUSED_SESSION = "503 Bad sequence of commands: this session was refused at the greeting, send QUIT"
# Loop iterations the end of a message that stalled waits before it is stored: enough for the
# event loop to read a FIN that came behind the rest of the message (see .stall).
SETTLE_STEPS = 3


class Connection(Protocol):
    """What a dialogue may do to its connection: the engine's side of it."""

    def close(self) -> None:
        """Close once what was written is sent."""

    def abort(self) -> None:
        """Drop the connection now."""

    def pass_on(self, data: bytes) -> None:
        """Give the protocol client bytes held back until now."""

    def pause_reading(self) -> None: ...

    def resume_reading(self) -> None: ...


class Dialogue:
    """Records one connection into the transcript and the statistics, and applies the fault rules to it.

    ``close`` closes the connection (after what was written is sent); ``connection``,
    when given, lets a stall hold the client's bytes back (see :class:`Connection`)."""

    def __init__(
        self,
        faults: Faults,
        transcript: Transcript,
        stats: Statistics,
        peer: Any,
        close: Callable[[], None],
        connection: Connection | None = None,
    ) -> None:
        self._faults = faults
        self._stats = stats
        self._close = close
        self._connection = connection
        self._log = transcript.open(peer)
        stats.session_opened()
        self._greeted = False
        self._ended = False
        self._close_after_reply = False
        self._stall: DataStall | None = None
        self._settle = False
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

    def received(self, data: bytes) -> bytes:
        """Bytes from the client, as the network delivered them; returns those to hand to the protocol
        now (all of them, unless a stall holds some back)."""
        if not self.dropped:
            self._log.client(data)
        stall = self._stall
        if stall is None:
            return data
        data = stall.feed(data)
        if stall.finished:
            self._stall = None
            self._settle = stall.stalled
        return data

    def ended(self) -> None:
        """The connection is closed (said once, however often the engine hears of it)."""
        if self._stall is not None:
            self._stall.connection_closed()
            self._stall = None
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
        """A reply is being sent: recorded and counted. After ``354`` the message data comes, which
        a stall rule may hold back (:mod:`.stall`)."""
        text = status if isinstance(status, str) else status.decode("utf-8", "replace")
        self._log.server(text)
        self._stats.reply_sent(status)
        if text.startswith("354") and self._faults.stalls and self._connection is not None:
            self._stall = DataStall(self._faults.stalls[0], self._faults, self._connection, self._log.note, self._drop)

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
        if self._settle and stage == "DATA_END":
            self._settle = False
            # A client that left during a stall is seen leaving now, before its message is stored.
            for _ in range(SETTLE_STEPS):
                await asyncio.sleep(0)
        delay = faults.take(stage, True, sender, recipient)
        if delay is not None:
            self._note(stage, delay)
            # On the loop, never blocking it: other connections are served meanwhile.
            # A client that leaves during the wait cancels this task: nothing is stored.
            await asyncio.sleep(delay.seconds)
        action = faults.take(stage, False, sender, recipient)
        if action is not None:
            self._note(stage, action)
        if (action is None or action.accepts) and (faults.chaos_rules or faults.rate_limits):
            action = self._shaped(stage, sender) or action
        if action is None:
            return None
        if isinstance(action, Disconnect):
            self.dropped = True
            self._log.dropped()
            self._close()
        elif action.code == CLOSING_CODE:
            self._close_after_reply = True
        return action

    def _shaped(self, stage: str, sender: str | None) -> Reply | None:
        """A refusal by chaos or, at MAIL, by a rate limit; a MAIL they let through counts in the rate limits."""
        faults = self._faults
        for chaos in faults.chaos_rules:
            reply = chaos.draw(stage)
            if reply is not None:
                self._log.note(f"fault at {stage}: {reply} by chaos (seed {chaos.seed})")
                return reply
        if stage != "MAIL" or not faults.rate_limits:
            return None
        limits = faults.rate_limits
        for limit in limits:
            waited = limit.wait(self, sender)
            if waited is not None:
                self._log.note(f"fault at MAIL: {limit.refusal(waited)}")
                return limit.reply
        for limit in limits:
            limit.count(self, sender)
        return None

    def _drop(self) -> None:
        self.dropped = True
        self._log.dropped()

    def _note(self, stage: str, action: Action) -> None:
        self._log.note(f"fault at {stage}: {action}")
