"""The aiosmtpd handler: a finished DATA becomes a stored message."""

from __future__ import annotations

import time
from typing import Any

from .mailbox import Mailbox
from .message import ReceivedMessage


class CaptureHandler:
    """Stores every completed message, raw, with its envelope.

    Runs on the server's event loop thread, so it does as little as it can:
    no parsing, no decoding, one lock taken briefly in :meth:`Mailbox.add`.
    """

    def __init__(self, mailbox: Mailbox, on_error: Any = None) -> None:
        self.mailbox = mailbox
        self._on_error = on_error

    async def handle_EHLO(self, server: Any, session: Any, envelope: Any, hostname: str, responses: list[str]) -> Any:
        # With this hook present, aiosmtpd leaves recording the name to it.
        session.host_name = hostname
        return server.security.ehlo(session, responses)

    async def handle_AUTH(self, server: Any, session: Any, envelope: Any, args: list[str]) -> Any:
        # A refusal (no credentials, or no TLS), or MISSING: aiosmtpd goes on with the login.
        return server.security.auth_refusal(session)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
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
        return "250 OK"

    async def handle_exception(self, error: Exception) -> str:
        # aiosmtpd calls this for any error raised while handling a command.
        # Remember it so the next keyword reports it, and let the client retry.
        if self._on_error is not None:
            self._on_error(error)
        return "451 4.3.0 Internal server error, please try again"
