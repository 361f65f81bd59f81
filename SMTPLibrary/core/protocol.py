"""The SMTP protocol object of one connection: aiosmtpd's ``SMTP``, plus what a
test server needs to know about its connections."""

from __future__ import annotations

from typing import Any

from . import fastpath
from .data import ChunkedData
from .hooks import SessionHooks
from .security import SecureSMTP


class CaptureSMTP(SessionHooks, ChunkedData, SecureSMTP):
    """Keeps itself in a set of open connections, so that stopping the server
    can close them all at once instead of waiting for idle clients.

    Given a ``template`` (an instance built with the server's arguments that
    never served a connection), it copies the template's state instead of
    running aiosmtpd's costly ``__init__`` again: see :mod:`.fastpath`. The
    set of open connections is the template's own, shared, never copied."""

    # Attributes that connections made from a template share with it (see fastpath.init_like).
    fastpath_shared = ("_connections",)

    def __init__(
        self,
        handler: Any,
        *,
        connections: set | None = None,
        template: CaptureSMTP | None = None,
        hooks: bool = True,
        **kwargs: Any,
    ) -> None:
        if template is None:
            super().__init__(handler, **kwargs)
            self._connections: set = set() if connections is None else connections
        else:
            if connections is not None and connections is not template._connections:
                raise ValueError("A connection made from a template belongs to the template's set of connections.")
            fastpath.init_like(self, template)
        if hooks:  # a template has none: see SessionHooks.install_hooks
            self.install_hooks(handler)

    def _getaddr(self, arg: str) -> tuple[str | None, str | None]:
        simple = None if self.local_part_limit else fastpath.simple_address(arg)
        return simple if simple is not None else super()._getaddr(arg)

    def connection_made(self, transport: Any) -> None:
        super().connection_made(transport)
        self._connections.add(self)

    def connection_lost(self, error: Exception | None) -> None:
        self._connections.discard(self)
        super().connection_lost(error)

    def abort(self) -> None:
        """Drop the connection now (called on the loop thread when the server stops)."""
        for transport in (self.transport, self._original_transport):
            if transport is not None:
                transport.abort()
