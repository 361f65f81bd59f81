"""Steps about what the message found last says: its links, attachments and HTML."""

from __future__ import annotations

from typing import Any

from behave import then

from ...core import content
from ...core.errors import ContentMismatch
from ...core.matching import TextMatcher
from .context import last_message


@then('the message should contain a link matching "{pattern}"')
def step_link_matching(context: Any, pattern: str) -> None:
    context.smtp_link = content.find_link(last_message(context), pattern)


@then('the message should have an attachment named "{filename}"')
def step_attachment_named(context: Any, filename: str) -> None:
    context.smtp_attachment = content.find_attachment(last_message(context), filename)


@then('the message HTML should contain "{text}"')
def step_html_contains(context: Any, text: str) -> None:
    message = last_message(context)
    html = content.require_html(message)
    matcher = TextMatcher("CONTAINS", text, "html")
    if not matcher.matches(html):
        raise ContentMismatch(f"{content.label(message)} does not match: {matcher.describe_miss('HTML', html)}.")
