"""Steps for a server without some extensions, with a rate limit, with chaos, or that stalls inside DATA.

What a step sets is undone when the scenario ends, whoever owns the server:
the cleanup is registered on the scenario by the step itself, before the change.
"""

from __future__ import annotations

from typing import Any

from ...core import InvalidArgument
from ...core.values import duration
from .context import current_server, faults_cleared, given


@given('the SMTP server does not offer "{extensions}"')
def step_hide_extensions(context: Any, extensions: str) -> None:
    # A server option: the server restarts on its port with it, and with the options it had when the scenario ends.
    server = current_server(context)
    before = server.options.hide_extensions
    context.add_cleanup(server.reconfigure, hide_extensions=before)
    server.reconfigure(hide_extensions=[*before, extensions])


@given("the SMTP server accepts at most {count:d} messages per {period}")
def step_rate_limit(context: Any, count: int, period: str) -> None:
    # "per minute", "per 10 seconds": for the whole server, as the words say; 421 closes the connection.
    faults_cleared(context).rate_limit(count, duration(period, "The period"), scope="server")


@given('the SMTP server fails {percent:d}% of "{stage}" commands with seed {seed:d}')
def step_chaos(context: Any, percent: int, stage: str, seed: int) -> None:
    if not 0 <= percent <= 100:
        raise InvalidArgument(f"The share of failing commands must be from 0% to 100%, got {percent}%.")
    faults_cleared(context).chaos(percent / 100, 451, stage, seed)


@given("the SMTP server stalls after {size:d} bytes of data")
def step_stall(context: Any, size: int) -> None:
    # Until the client gives up: the next message is never completed, and nothing of it is stored.
    faults_cleared(context).stall(size)
