"""The SMTP engine built on aiosmtpd: one :class:`~.protocol.CaptureSMTP` per connection.

Every aiosmtpd private name it uses is listed in :mod:`.internals`; nothing
outside this package touches aiosmtpd's internals.
"""

from __future__ import annotations

import asyncio
from typing import Any

from ..engine import Services
from . import log
from .auth import Authenticator
from .handler import CaptureHandler
from .protocol import CaptureSMTP

__all__ = ["AiosmtpdEngine", "CaptureSMTP"]

log.quiet()


class AiosmtpdConnections:
    """The protocol factory of one server start: connections copied from a template."""

    def __init__(self, services: Services, loop: asyncio.AbstractEventLoop) -> None:
        self.open: set[CaptureSMTP] = set()
        # aiosmtpd's full __init__ runs once, here: arguments it rejects fail the start
        # in the caller's thread; connections copy this pristine instance.
        self._template = CaptureSMTP(
            CaptureHandler(services), services=services, connections=self.open, loop=loop, **_arguments(services)
        )

    def __call__(self) -> CaptureSMTP:
        return CaptureSMTP(None, template=self._template)

    def abort_all(self) -> None:
        for connection in list(self.open):
            connection.abort()


def _arguments(services: Services) -> dict[str, Any]:
    """aiosmtpd's ``SMTP`` arguments for the server's options."""
    options, security = services.options, services.security
    arguments: dict[str, Any] = {
        "hostname": options.server_hostname,
        "ident": services.ident,
        "data_size_limit": options.size_limit or None,
        "enable_SMTPUTF8": options.smtputf8,
        # Decided per connection by Security.auth_refusal: aiosmtpd's own check knows STARTTLS only.
        "auth_require_tls": False,
    }
    if security.users is not None:
        arguments["authenticator"] = Authenticator(security.users)
    if security.tls == "starttls":
        arguments["tls_context"] = security.context
        arguments["require_starttls"] = security.require_tls
    return arguments


class AiosmtpdEngine:
    """Speaks SMTP with aiosmtpd (see :mod:`SMTPLibrary.core.smtp.engine` for what an engine does)."""

    def connections(self, services: Services, loop: asyncio.AbstractEventLoop) -> AiosmtpdConnections:
        return AiosmtpdConnections(services, loop)
