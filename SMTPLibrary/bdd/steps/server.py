"""Steps that start servers, reset mailboxes and send messages."""

from __future__ import annotations

from typing import Any

from ...core import smtp
from ..fixtures import use_smtp_server
from .context import current_server, given, when


@given("an SMTP server is running")
def step_server_running(context: Any) -> None:
    use_smtp_server(context)


@given("an SMTP server is running on port {port:d}")
def step_server_running_on_port(context: Any, port: int) -> None:
    use_smtp_server(context, port=port)


@given("the mailbox is empty")
@when("the mailbox is reset")
def step_reset_mailbox(context: Any) -> None:
    current_server(context).reset()


@given('a message is sent from "{sender}" to "{recipient}" with subject "{subject}"')
@when('a message is sent from "{sender}" to "{recipient}" with subject "{subject}"')
def step_send_message(context: Any, sender: str, recipient: str, subject: str) -> None:
    server = current_server(context)
    smtp.send_to(server, sender, [recipient], smtp.compose(sender, recipient, subject))


@given('the following message is sent from "{sender}" to "{recipient}":')
@when('the following message is sent from "{sender}" to "{recipient}":')
def step_send_source(context: Any, sender: str, recipient: str) -> None:
    server = current_server(context)
    smtp.send_to(server, sender, [recipient], smtp.as_source(context.text or ""))
