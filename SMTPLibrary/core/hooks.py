"""Where faults and the transcript meet aiosmtpd's protocol: a mixin for ``CaptureSMTP``.

aiosmtpd 1.4 (the pinned range) has handler hooks for MAIL, RCPT and the end
of DATA only; ``handler.py`` applies those stages through :meth:`apply_faults`.
The other stages are reached here, each covered by a test:

* the greeting (``CONNECT``): the first ``push()`` of a connection;
* ``EHLO``/``HELO``, the ``DATA`` command, ``AUTH`` and ``STARTTLS``: wrappers
  around the entries of ``_smtp_methods``, aiosmtpd's table of command methods;
* every reply: ``push()``, which every reply goes through;
* every client byte: ``data_received()``, which the transport calls (after
  STARTTLS, the TLS layer calls it with the decrypted bytes).

A rule fires on a command the server would process: a command with a
syntax error (``EHLO`` without a name, ``DATA`` before any accepted
recipient), ``STARTTLS`` on a server that offers no STARTTLS, and ``AUTH``
where the server offers no login (no credentials, no TLS yet, before EHLO,
already logged in) get the server's usual error and leave the rule for the
next one.
"""

from __future__ import annotations

import asyncio
import functools
from typing import Any

from aiosmtpd.smtp import SMTP

from .faults import CLOSING_CODE, Action, Disconnect, Faults, Reply
from .stats import Statistics
from .transcript import SessionLog, Transcript

# aiosmtpd command -> stage, for the stages a command method reaches.
COMMAND_STAGES = {"EHLO": "EHLO", "HELO": "EHLO", "DATA": "DATA", "AUTH": "AUTH", "STARTTLS": "STARTTLS"}
# RFC 5321 section 3.1: after refusing the greeting, a server answers 503 to all but QUIT.
REFUSED_SESSION = "503 Bad sequence of commands: this session was refused at the greeting, send QUIT"


class SessionHooks:
    """Records the connection into the handler's ``transcript`` and ``stats``, and applies its ``faults``."""

    def install_hooks(self, handler: Any) -> None:
        """Set up this connection's state for the hooks. Called once per connection,
        after aiosmtpd's state is in place (a template, core/fastpath.py, has none)."""
        self._faults: Faults | None = getattr(handler, "faults", None)
        self._transcript: Transcript | None = getattr(handler, "transcript", None)
        self._stats: Statistics | None = getattr(handler, "stats", None)
        self._session_log: SessionLog | None = None
        self._greeted = False
        self._refused = False
        self._dropped = False
        self._close_after_reply = False

    # -- connection ------------------------------------------------------------

    def connection_made(self, transport: Any) -> None:
        if self.transport is None:  # not the second call, when a STARTTLS handshake completes
            if self._stats is not None:
                self._stats.session_opened()
            if self._transcript is not None:
                self._session_log = self._transcript.open(transport.get_extra_info("peername"))
        elif self._session_log is not None:
            # Called again when a STARTTLS handshake completes.
            self._session_log.note("TLS started")
        super().connection_made(transport)

    def connection_lost(self, error: Exception | None) -> None:
        if self._session_log is not None:
            self._session_log.end()
        super().connection_lost(error)

    def data_received(self, data: bytes) -> None:
        if self._session_log is not None and not self._dropped:
            self._session_log.client(data)
        super().data_received(data)

    async def push(self, status: str | bytes) -> None:
        if self._dropped:
            return  # nothing reaches the client after a drop
        if not self._greeted:
            self._greeted = True
            action = await self.apply_faults("CONNECT")
            if isinstance(action, Disconnect) or self._dropped:
                return
            if action is not None:
                status = action.status
                self._refused = not action.accepts
                if self._refused:
                    self._refuse_all_but_quit()
        if self._session_log is not None:
            self._session_log.server(status if isinstance(status, str) else status.decode("utf-8", "replace"))
        if self._stats is not None:
            self._stats.reply_sent(status)  # what is sent, after any fault changed it
        await super().push(status)
        if self._close_after_reply and self.transport is not None:
            self._close_after_reply = False
            self.transport.close()

    # -- faults ------------------------------------------------------------------

    async def apply_faults(
        self, stage: str, sender: str | None = None, recipient: str | None = None
    ) -> Reply | Disconnect | None:
        """Apply the rules for ``stage``: wait if a delay rule says so, then return the reply
        to send instead of the normal one (``None``: carry on normally). A disconnect has
        already closed the connection when it is returned."""
        faults = self._faults
        if faults is None:
            return None
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
            self._drop()
        elif action.code == CLOSING_CODE:
            self._close_after_reply = True
        return action

    def _note(self, stage: str, action: Action) -> None:
        if self._session_log is not None:
            self._session_log.note(f"fault at {stage}: {action}")

    def _drop(self) -> None:
        self._dropped = True
        if self._session_log is not None:
            self._session_log.dropped()
        if self.transport is not None:
            self.transport.close()

    def _reaches(self, stage: str, arg: str | None) -> bool:
        """Whether the command would get past the server's own checks to the stage."""
        if stage == "DATA":
            return not arg and bool(self.envelope is not None and self.envelope.rcpt_tos)
        if stage == "STARTTLS":
            return not arg and self.tls_context is not None
        if stage == "AUTH":
            session = self.session
            words = (arg or "").split()
            return (
                session is not None
                and session.extended_smtp
                and not session.authenticated
                and len(words) in (1, 2)
                and words[0] in self._auth_methods
                and self.security.auth_offered(session)
            )
        return bool(arg)

    async def _command_fault(self, stage: str, arg: str | None) -> bool:
        """Apply the rules of ``stage`` to a command; ``True`` when a fault answered it
        (the command is then not carried out)."""
        if self._faults is None or not self._reaches(stage, arg):
            return False
        sender = self.envelope.mail_from if stage == "DATA" and self.envelope is not None else None
        action = await self.apply_faults(stage, sender)
        if action is None:
            return False
        # Only refusals are accepted at these stages (checked when the rule was added).
        await self.push(action.status)
        if stage == "DATA":
            # A refused DATA ends the transaction, as a refused message does.
            self._set_post_data_state()
        return True

    def _refuse_all_but_quit(self) -> None:
        """After a refused greeting, every command but QUIT gets 503 (rare: made per connection then)."""

        async def refused(arg: str | None) -> None:
            await self.push(REFUSED_SESSION)

        for command in self._smtp_methods:
            if command != "QUIT":
                self._smtp_methods[command] = refused


def _staged(command: str, stage: str) -> Any:
    """``smtp_<command>`` of SessionHooks: the fault rules of ``stage`` first, then aiosmtpd's own.
    Defined once for the class, so a connection costs no wrapping; wraps() keeps
    the syntax attributes aiosmtpd's HELP reads."""
    name = f"smtp_{command}"

    @functools.wraps(getattr(SMTP, name))
    async def method(self: Any, arg: str | None) -> None:
        if not await self._command_fault(stage, arg):
            await getattr(super(SessionHooks, self), name)(arg)

    return method


for _command, _stage in COMMAND_STAGES.items():
    setattr(SessionHooks, f"smtp_{_command}", _staged(_command, _stage))
