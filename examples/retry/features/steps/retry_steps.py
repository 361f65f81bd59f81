import subprocess
import sys
from pathlib import Path

from behave import then, when

import SMTPLibrary.bdd.steps  # noqa: F401  (registers SMTPLibrary's steps)

APP = Path(__file__).resolve().parents[2] / "notify_app.py"


def confirm(context, order, email, attempts=3, backoff=0.05):
    command = [sys.executable, str(APP), "--backoff", str(backoff), "--attempts", str(attempts)]
    command += ["--smtp-port", str(context.smtp_port), email, order]
    return subprocess.run(command, capture_output=True, text=True, timeout=60)


@when('the order {order} of "{email}" is confirmed')
def step_confirmed(context, order, email):
    result = confirm(context, order, email)
    assert result.returncode == 0, result.stderr


@when('the order {order} of "{email}" is confirmed, which fails')
def step_confirmation_fails(context, order, email):
    result = confirm(context, order, email)
    assert result.returncode != 0, result.stdout


@when('the orders {first:d} to {last:d} of "{email}" are confirmed, one after the other')
def step_orders_confirmed(context, first, last, email):
    context.orders = range(first, last + 1)
    for order in context.orders:
        # Backing off long enough for a rate limit's window to have room again.
        result = confirm(context, str(order), email, attempts=6, backoff=0.1)
        assert result.returncode == 0, result.stderr


@then("each order should have been confirmed once")
def step_each_confirmed_once(context):
    subjects = sorted(message.subject for message in context.smtp_server.mailbox.messages())
    assert subjects == sorted(f"Order {order} confirmed" for order in context.orders), subjects


@then("the client should have retried once for each refusal")
def step_retried_per_refusal(context):
    sessions = context.smtp_server.transcript.sessions()
    refused = sum(reply.startswith("421 4.7.0 Too many messages") for s in sessions for reply in s.replies)
    assert refused > 0, "The rate limit never refused: the scenario proved nothing."
    # One attempt per order, one more per refusal; retries are attempts after the first.
    context.smtp_server.wait_for_retries(len(context.orders) + refused - 1, 5)
