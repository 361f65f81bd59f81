"""Steps that assert on the mail received."""

from __future__ import annotations

from typing import Any

from ...core import Criteria, MessageNotReceived
from ..fixtures import smtp_timeout
from .context import attach_message, attach_nearest, current_server, last_message, then


def _expect(context: Any, criteria: Criteria) -> None:
    mailbox = current_server(context).mailbox
    try:
        context.smtp_message = mailbox.wait_for(criteria, smtp_timeout(context))
    except MessageNotReceived as failure:
        attach_nearest(context, failure)
        raise
    attach_message(context, context.smtp_message)


@then('a message should be received matching "{pattern}"')
def step_received_matching(context: Any, pattern: str) -> None:
    # Read as the keywords read a pattern: as written, or as a regular expression, or as a prefix says.
    _expect(context, Criteria.from_strings(pattern=pattern))


@then('a message with subject "{subject}" should be received')
def step_received_with_subject(context: Any, subject: str) -> None:
    _expect(context, Criteria.literal(subject=subject))


@then('a message to "{recipient}" should be received')
def step_received_to(context: Any, recipient: str) -> None:
    _expect(context, Criteria.literal(recipient=recipient))


@then('no message should be received matching "{pattern}"')
def step_not_received_matching(context: Any, pattern: str) -> None:
    current_server(context).mailbox.assert_none(Criteria.from_strings(pattern=pattern), 0)


@then("{count:d} messages should be received")
@then("1 message should be received")
def step_count_received(context: Any, count: int = 1) -> None:
    current_server(context).mailbox.wait_for_count(count, smtp_timeout(context))


@then('the message body should contain "{text}"')
def step_body_contains(context: Any, text: str) -> None:
    Criteria.literal(body=text).check(last_message(context))
