"""Steps of the IMAP and POP3 view: servers over the scenario's mailbox, delivered mail, and
what the application's mail client did to a message."""

from __future__ import annotations

from typing import Any

from ...core import SMTPServer, smtp
from ...core.imap import require_imap
from ..fixtures import smtp_timeout, use_smtp_server
from .context import given, then


def _view_server(context: Any) -> SMTPServer:
    """The scenario's SMTP server (started now when there is none), once the view can run here."""
    require_imap()
    server = getattr(context, "smtp_server", None)
    if server is None:
        server = use_smtp_server(context)
    server.check()
    return server


@given("an IMAP server is running")
def step_imap_running(context: Any) -> None:
    context.imap_port = _view_server(context).start_imap()


@given("a POP3 server is running")
def step_pop3_running(context: Any) -> None:
    context.pop3_port = _view_server(context).start_pop3()


@given('a message with subject "{subject}" is delivered to "{address}"')
def step_delivered(context: Any, subject: str, address: str) -> None:
    server = _view_server(context)
    sender = "sender@example.test"
    context.smtp_message = server.deliver(address, smtp.compose(sender, address, subject))


def _message_to(context: Any, address: str) -> Any:
    return _view_server(context).newest_message_to(address, smtp_timeout(context))


@then('the message to "{address}" should be marked as read')
def step_marked_read(context: Any, address: str) -> None:
    message = _message_to(context, address)
    _view_server(context).wait_for_flags(message, "\\Seen", timeout=smtp_timeout(context), user=address)


@then('the message to "{address}" should be in folder "{folder}"')
def step_in_folder(context: Any, address: str, folder: str) -> None:
    message = _message_to(context, address)
    _view_server(context).wait_in_folder(message, folder, timeout=smtp_timeout(context), user=address)
