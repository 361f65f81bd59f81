"""Project-only steps for the misbehaving server: an application sending one message after another,
or with a short timeout of its own, and a look at what the server offers."""

from __future__ import annotations

import smtplib

from behave import then, when

BODY = b"Subject: Hello\r\n\r\n" + b"A line of the message, long enough to be stalled.\r\n" * 20


def _attempt(port: int, recipient: str, timeout: float) -> str:
    try:
        with smtplib.SMTP("127.0.0.1", port, local_hostname="app.test", timeout=timeout) as client:
            client.sendmail("app@example.com", [recipient], BODY)
    except smtplib.SMTPRecipientsRefused as error:
        return str(error.recipients[recipient][0])
    except smtplib.SMTPResponseException as error:
        return str(error.smtp_code)
    except smtplib.SMTPServerDisconnected as error:
        return "timed out" if "timed out" in str(error) else "disconnected"
    return "250"


@when('an application sends {count:d} messages to "{recipient}", one after the other')
def step_app_sends(context, count, recipient):
    context.app_outcomes = [_attempt(context.smtp_port, recipient, 10) for _ in range(count)]


@when('an application sends a message to "{recipient}" with a {timeout:g} second timeout')
def step_app_sends_with_timeout(context, recipient, timeout):
    context.app_outcomes = [_attempt(context.smtp_port, recipient, timeout)]


def _offers(context, keyword):
    with smtplib.SMTP("127.0.0.1", context.smtp_port, timeout=10) as client:
        client.ehlo()
        return client.has_extn(keyword), client.ehlo_resp.decode()


@then('the server should offer "{keyword}"')
def step_server_offers(context, keyword):
    offered, reply = _offers(context, keyword)
    assert offered, f"EHLO: {reply}"


@then('the server should not offer "{keyword}"')
def step_server_does_not_offer(context, keyword):
    offered, reply = _offers(context, keyword)
    assert not offered, f"EHLO: {reply}"
