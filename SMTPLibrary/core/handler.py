"""The aiosmtpd handler: a finished DATA becomes a stored message."""

from __future__ import annotations

import time
from typing import Any

from .mailbox import Mailbox
from .message import ReceivedMessage
from .stats import Statistics


class CaptureHandler:
    """Stores every completed message, raw, with its envelope.

    Runs on the server's event loop thread, so it does as little as it can:
    no parsing, no decoding, one lock taken briefly in :meth:`Mailbox.add`.
    """

    def __init__(self, mailbox: Mailbox, on_error: Any = None) -> None:
        self.mailbox = mailbox
        self._on_error = on_error
        # Also bumped by the protocol (sessions, refusals): one place per server.
        self.stats = Statistics()

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
            )
        )
        self.stats.message_stored(len(envelope.original_content))
        return "250 OK"

    async def handle_exception(self, error: Exception) -> str:
        # aiosmtpd calls this for any error raised while handling a command.
        # Remember it so the next keyword reports it, and let the client retry.
        if self._on_error is not None:
            self._on_error(error)
        return "451 4.3.0 Internal server error, please try again"
