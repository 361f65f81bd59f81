"""Sending a message with the standard library's client, for steps and demos."""

from __future__ import annotations

import smtplib
from email.message import EmailMessage


def compose(sender: str, recipient: str, subject: str, body: str = "") -> bytes:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = recipient
    message["Subject"] = subject
    message.set_content(body or f"Sent by SMTPLibrary to {recipient}.")
    return message.as_bytes()


def as_source(text: str) -> bytes:
    """A message typed as text (a Gherkin doc-string, say) as wire bytes with CRLF line ends."""
    return "\r\n".join(text.splitlines()).encode("utf-8") + b"\r\n"


def send(host: str, port: int, sender: str, recipients: list[str], source: bytes, timeout: float = 10.0) -> None:
    """Send ``source`` as it is, with ``smtplib``; raises ``smtplib.SMTPException`` on refusal."""
    with smtplib.SMTP(host, port, timeout=timeout) as client:
        client.sendmail(sender, recipients, source)
