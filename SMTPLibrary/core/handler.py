"""The aiosmtpd handler: a finished DATA becomes a stored message."""

from __future__ import annotations

import time
from typing import Any

from .faults import Faults
from .mailbox import Mailbox
from .message import ReceivedMessage
from .stats import Statistics
from .transcript import Transcript


class CaptureHandler:
    """Stores every completed message, raw, with its envelope.

    Runs on the server's event loop thread, so it does as little as it can:
    no parsing, no decoding (only a scan of the header block for a plain
    Subject, the index searches use), one lock taken briefly in :meth:`Mailbox.add`.
    """

    def __init__(
        self,
        mailbox: Mailbox,
        on_error: Any = None,
        faults: Faults | None = None,
        transcript: Transcript | None = None,
    ) -> None:
        self.mailbox = mailbox
        self._on_error = on_error
        # Read by each connection's protocol (core/hooks.py).
        self.faults = faults
        self.transcript = transcript

        # Also bumped by the protocol (sessions, refusals): one place per server.
        self.stats = Statistics()

    # MAIL, RCPT and the end of DATA consult the fault rules (server.apply_faults,
    # core/hooks.py) before doing what aiosmtpd does without a hook. A refusal
    # leaves the envelope as it was; a success code only changes the reply text.

    async def handle_MAIL(self, server: Any, session: Any, envelope: Any, address: str, options: list) -> str:
        action = await server.apply_faults("MAIL", sender=address)
        if action is not None and not action.accepts:
            return action.status
        envelope.mail_from = address
        envelope.mail_options.extend(options)
        return "250 OK" if action is None else action.status

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, options: list) -> str:
        action = await server.apply_faults("RCPT", sender=envelope.mail_from, recipient=address)
        if action is not None and not action.accepts:
            return action.status
        envelope.rcpt_tos.append(address)
        envelope.rcpt_options.extend(options)
        return "250 OK" if action is None else action.status

    async def handle_EHLO(self, server: Any, session: Any, envelope: Any, hostname: str, responses: list[str]) -> Any:
        # With this hook present, aiosmtpd leaves recording the name to it.
        session.host_name = hostname
        return server.security.ehlo(session, responses)

    async def handle_AUTH(self, server: Any, session: Any, envelope: Any, args: list[str]) -> Any:
        # A refusal (no credentials, or no TLS), or MISSING: aiosmtpd goes on with the login.
        return server.security.auth_refusal(session)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        action = await server.apply_faults("DATA_END", sender=envelope.mail_from)
        if action is not None and not action.accepts:
            return action.status  # refused or dropped: not stored
        self.mailbox.add(
            ReceivedMessage(
                envelope.original_content,
                envelope.mail_from,
                list(envelope.rcpt_tos),
                peer=session.peer,
                helo=session.host_name,
                mail_options=list(envelope.mail_options),
                rcpt_options=list(envelope.rcpt_options),
                timestamp=time.time(),
                **server.security.arrival(session),
            )
        )
        self.stats.message_stored(len(envelope.original_content))
        return "250 OK" if action is None else action.status

    async def handle_exception(self, error: Exception) -> str:
        # aiosmtpd calls this for any error raised while handling a command.
        # Remember it so the next keyword reports it, and let the client retry.
        if self._on_error is not None:
            self._on_error(error)
        return "451 4.3.0 Internal server error, please try again"
