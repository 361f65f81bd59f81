"""The SMTP protocol object of one connection: aiosmtpd's ``SMTP``, plus what a
test server needs to know about its connections."""

from __future__ import annotations

from typing import Any

from aiosmtpd.smtp import SMTP


class CaptureSMTP(SMTP):
    """Keeps itself in a set of open connections, so that stopping the server
    can close them all at once instead of waiting for idle clients."""

    def __init__(self, handler: Any, *, connections: set, **kwargs: Any) -> None:
        super().__init__(handler, **kwargs)
        self._connections = connections

    def connection_made(self, transport: Any) -> None:
        if self.transport is None:  # not the second call that STARTTLS makes
            self.event_handler.stats.session_opened()
        super().connection_made(transport)
        self._connections.add(self)

    async def push(self, status: Any) -> None:
        self.event_handler.stats.reply_sent(status)
        await super().push(status)

    def connection_lost(self, error: Exception | None) -> None:
        self._connections.discard(self)
        super().connection_lost(error)

    def abort(self) -> None:
        """Drop the connection now (called on the loop thread when the server stops)."""
        for transport in (self.transport, self._original_transport):
            if transport is not None:
                transport.abort()
