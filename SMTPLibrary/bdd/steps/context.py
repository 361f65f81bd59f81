"""What the steps keep on behave's context, and how they get at it."""

from __future__ import annotations

from typing import Any

from ...core import MessageNotReceived, NoServer, ReceivedMessage, SMTPServer
from ...core.report import render


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


def attach_message(context: Any, message: ReceivedMessage, misses: list[str] | None = None) -> None:
    """Attach the message's card (and the message itself, as an .eml) to the report of the running
    step, for the formatters that keep attachments (behave's ``json``); the others ignore it."""
    context.attach("text/html", render(message, misses=misses or ()).encode("utf-8"))
    context.attach("message/rfc822", message.raw)


def attach_nearest(context: Any, failure: MessageNotReceived) -> None:
    """Attach the cards of the messages a failed wait found closest, as its failure lists them."""
    for message, misses in failure.closest:
        attach_message(context, message, misses)
