"""Steps that check the message found last: its authentication over the scenario's test DNS, and its problems."""

from __future__ import annotations

from typing import Any

from ...core import checks
from ...core.report import render
from ..fixtures import use_test_dns
from .context import given, last_message, then


@given('the test DNS has a "{type}" record for "{name}" with "{value}"')
def step_dns_record(context: Any, type: str, name: str, value: str) -> None:
    checks.require_extra()
    use_test_dns(context).add(name, type, value)


# The step with a selector is registered first (decorators apply bottom up): behave takes the
# first step that matches, and the shorter text's "{domain}" would take the selector in.
@given('a DKIM key for "{domain}"')
@given('a DKIM key for "{domain}" with selector "{selector}"')
def step_dkim_key(context: Any, domain: str, selector: str = "test") -> None:
    context.smtp_dkim_key = checks.create_dkim_key(domain, selector, dns=use_test_dns(context))


@then('the message should pass "{names}"')
def step_should_pass(context: Any, names: str) -> None:
    message = last_message(context)
    expected = checks.passing(names)
    authentication = checks.authenticate(message, use_test_dns(context))
    _attach(context, message, authentication=authentication)
    checks.check_authentication(message, authentication, checks.expected_results(**expected))


@then('the message should be well formed, ignoring "{codes}"')
@then("the message should be well formed")
def step_well_formed(context: Any, codes: str = "") -> None:
    message = last_message(context)
    ignored = checks.ignored_warnings(codes)
    found = checks.problems(message)
    _attach(context, message, problems=found)
    checks.check_well_formed(message, found, ignored)


def _attach(context: Any, message: Any, **results: Any) -> None:
    context.attach("text/html", render(message, **results).encode("utf-8"))
