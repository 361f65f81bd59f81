"""The aiosmtpd handler of a server: a finished DATA becomes a stored message."""

from __future__ import annotations

import time
from typing import Any

from aiosmtpd.smtp import MISSING

from ...mail import ReceivedMessage
from ..engine import Services


def envelope_sender(address: str | None) -> str | None:
    """The envelope sender as SMTPLibrary keeps it: the null reverse path of ``MAIL FROM:<>``
    (bounces, delivery reports) is the empty string, where aiosmtpd gives ``'<>'``."""
    return "" if address == "<>" else address


class CaptureHandler:
    """Hands every accepted message over to the server, raw, with its envelope.

    Runs on the server's event loop thread, so it does as little as it can:
    no parsing, no decoding. The fault rules of MAIL, RCPT and the end of DATA
    are applied before these hooks run (see ``CaptureSMTP._call_handler_hook``):
    a hook runs only for a command that takes effect."""

    def __init__(self, services: Services) -> None:
        self.services = services

    async def handle_MAIL(self, server: Any, session: Any, envelope: Any, address: str, options: list) -> str:
        envelope.mail_from = address
        envelope.mail_options.extend(options)
        return "250 OK"

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, options: list) -> str:
        envelope.rcpt_tos.append(address)
        envelope.rcpt_options.extend(options)
        return "250 OK"

    async def handle_EHLO(self, server: Any, session: Any, envelope: Any, hostname: str, responses: list[str]) -> Any:
        # With this hook present, aiosmtpd leaves recording the name to it.
        session.host_name = hostname
        # aiosmtpd pushes each line of the list on its own, a write and a drain each: the lines
        # of one reply go as one (the transcript still records a line each).
        return ["\r\n".join(self.services.security.ehlo(session.ssl is not None, responses))]

    async def handle_AUTH(self, server: Any, session: Any, envelope: Any, args: list[str]) -> Any:
        # A refusal (no credentials, a hidden mechanism, or no TLS), or MISSING: aiosmtpd goes on with the login.
        refusal = self.services.security.auth_refusal(session.ssl is not None, args[0])
        return MISSING if refusal is None else refusal

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        ssl_object = session.ssl.get("ssl_object") if session.ssl else None
        user = session.auth_data if session.authenticated else None
        content = envelope.original_content
        self.services.deliver(
            ReceivedMessage(
                content,
                envelope_sender(envelope.mail_from),
                list(envelope.rcpt_tos),
                peer=session.peer,
                helo=session.host_name,
                mail_options=list(envelope.mail_options),
                rcpt_options=list(envelope.rcpt_options),
                timestamp=time.time(),
                **self.services.security.arrival(ssl_object, user),
            )
        )
        self.services.stats.message_stored(len(content))
        return "250 OK"

    async def handle_exception(self, error: Exception) -> str:
        # aiosmtpd calls this for any error raised while handling a command.
        # Remember it so the next keyword reports it, and let the client retry.
        self.services.on_error(error)
        return "451 4.3.0 Internal server error, please try again"
