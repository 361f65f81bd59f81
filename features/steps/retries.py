"""Project-only steps: an application that tries again when sending fails, and a look at the transcript."""

from __future__ import annotations

import smtplib

from behave import then, when


def _attempt(port: int, recipient: str) -> str:
    try:
        with smtplib.SMTP("127.0.0.1", port, local_hostname="app.test", timeout=10) as client:
            client.sendmail("app@example.com", [recipient], b"Subject: Hello\r\n\r\nHello\r\n")
    except smtplib.SMTPRecipientsRefused as error:
        return str(error.recipients[recipient][0])
    except smtplib.SMTPResponseException as error:
        return str(error.smtp_code)
    except smtplib.SMTPServerDisconnected:
        return "disconnected"
    return "250"


@when('an application tries {attempts:d} times to send a message to "{recipient}"')
def step_app_tries(context, attempts, recipient):
    context.app_outcomes = []
    for _ in range(attempts):
        context.app_outcomes.append(_attempt(context.smtp_port, recipient))
        if context.app_outcomes[-1] == "250":
            break


@then('the application should have got "{outcomes}"')
def step_app_got(context, outcomes):
    actual = ", ".join(context.app_outcomes)
    assert actual == outcomes, f"expected {outcomes}, got {actual}"


@then('the transcript should show "{text}"')
def step_transcript_shows(context, text):
    sessions = context.smtp_server.transcript.sessions()
    assert any(text in session.text for session in sessions), "\n\n".join(map(str, sessions))
