"""Steps that make the scenario's server refuse, delay or drop, and check the client's retries.

A rule set by a step is cleared when the scenario ends, whoever owns the
server: the cleanup is registered on the scenario by the step itself.
"""

from __future__ import annotations

from typing import Any

from ...core import InvalidArgument, TextMatcher
from ..fixtures import smtp_timeout
from .context import current_server, faults_cleared, given, then


@given('the SMTP server replies {code:d} to the next {count:d} RCPT commands for "{recipient}"')
def step_reply_to_rcpt(context: Any, code: int, count: int, recipient: str) -> None:
    if count < 1:
        # The core reads 0 as "until cleared"; "the next 0" would read as "none".
        raise InvalidArgument(f"The number of RCPT commands must be 1 or more, got {count}.")
    faults_cleared(context).reply("RCPT", code, count=count, recipient=TextMatcher("EQUALS", recipient, "recipient"))


@given("the SMTP server replies {code:d} to the next message")
def step_reply_to_message(context: Any, code: int) -> None:
    faults_cleared(context).reply("DATA_END", code)


@given("the SMTP server waits {seconds:g} seconds before replying to DATA")
def step_delay_data(context: Any, seconds: float) -> None:
    faults_cleared(context).delay("DATA", seconds)


@given("the SMTP server drops the connection at {stage}")
def step_disconnect(context: Any, stage: str) -> None:
    faults_cleared(context).disconnect(stage)


@then("the client should have retried {count:d} times")
@then("the client should have retried 1 time")
def step_retried(context: Any, count: int = 1) -> None:
    current_server(context).wait_for_retries(count, smtp_timeout(context))
