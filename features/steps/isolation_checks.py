"""Project-only steps for the isolation features: remember a server across scenarios."""

from __future__ import annotations

from behave import then

# behave drops what a scenario sets on the context when it ends: keep it here.
_remembered: dict[str, object] = {}


@then("the server is remembered")
def step_remember_server(context):
    _remembered["server"] = context.smtp_server


@then("the server should be the one remembered")
def step_same_server(context):
    remembered = _remembered.get("server")
    assert remembered is not None, "no server was remembered by an earlier scenario"
    assert context.smtp_server is remembered, f"{context.smtp_server!r} is not {remembered!r}"
    assert remembered.running, f"{remembered!r} is not running"
