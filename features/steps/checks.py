"""Project-only steps that look behind the step library, to prove what it did."""

from __future__ import annotations

import smtplib

from behave import then, when


@when('an application sends a message with subject "{subject}" to context.smtp_port')
def step_app_sends(context, subject):
    with smtplib.SMTP("127.0.0.1", context.smtp_port, local_hostname="app.test") as client:
        client.sendmail("app@example.com", ["user@example.com"], f"Subject: {subject}\r\n\r\nHello\r\n".encode())


@then("the mailbox should hold {count:d} messages")
def step_mailbox_holds(context, count):
    actual = context.smtp_server.mailbox.count()
    assert actual == count, f"expected {count} stored messages, found {actual}"


@then('the last found message should have subject "{subject}"')
def step_last_found(context, subject):
    assert context.smtp_message.subject == subject, context.smtp_message.subject
