"""What the steps keep on behave's context, and how they get at it."""

from __future__ import annotations

from typing import Any

from ...core.errors import NoServer
from ...core.message import ReceivedMessage
from ...core.server import SMTPServer


def current_server(context: Any) -> SMTPServer:
    server = getattr(context, "smtp_server", None)
    if server is None:
        raise NoServer('No SMTP server is running in this scenario: add the step "Given an SMTP server is running".')
    server.check()
    return server


def last_message(context: Any) -> ReceivedMessage:
    message = getattr(context, "smtp_message", None)
    if message is None:
        raise AssertionError(
            'No message has been found yet: a step like "Then a message to "..." should be received" must come first.'
        )
    return message
