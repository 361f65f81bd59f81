"""Steps about what the message found last says: its links, attachments and HTML."""

from __future__ import annotations

from typing import Any

from ...core import mailbox
from .context import last_message, then


@then('the message should contain a link matching "{pattern}"')
def step_link_matching(context: Any, pattern: str) -> None:
    context.smtp_link = mailbox.find_link(last_message(context), pattern)


@then('the message should have an attachment named "{filename}"')
def step_attachment_named(context: Any, filename: str) -> None:
    context.smtp_attachment = mailbox.find_attachment(last_message(context), filename)


@then('the message HTML should contain "{text}"')
def step_html_contains(context: Any, text: str) -> None:
    mailbox.require_html_containing(last_message(context), text)
