"""Steps for servers with TLS or login, and for how a message arrived."""

from __future__ import annotations

from typing import Any

from ...core import Criteria
from ..fixtures import use_smtp_server
from .context import given, last_message, then


@given("an SMTP server is running with STARTTLS")
def step_server_with_starttls(context: Any) -> None:
    use_smtp_server(context, tls="starttls")


@given("an SMTP server is running with implicit TLS")
def step_server_with_implicit_tls(context: Any) -> None:
    use_smtp_server(context, tls="implicit")


@given('an SMTP server is running that requires login as "{user}" with password "{password}"')
def step_server_requires_login(context: Any, user: str, password: str) -> None:
    # STARTTLS is offered and a login is only accepted over it: the application
    # under test is tested with the configuration it should use in production.
    use_smtp_server(context, tls="starttls", credentials={user: password}, auth_required=True)


@then("the message should have been sent over TLS")
def step_sent_over_tls(context: Any) -> None:
    Criteria.literal(tls="yes").check(last_message(context))


@then('the message should have been sent by user "{user}"')
def step_sent_by_user(context: Any, user: str) -> None:
    Criteria.literal(authenticated_as=user).check(last_message(context))
