"""The application under test: mails a newsletter to every subscriber."""

from __future__ import annotations

import smtplib
from email.message import EmailMessage

SENDER = "news@example.com"


def send_newsletter(subscribers: list[str], issue: int, smtp_host: str = "127.0.0.1", smtp_port: int = 25) -> None:
    with smtplib.SMTP(smtp_host, smtp_port, timeout=10) as client:
        for address in subscribers:
            message = EmailMessage()
            message["From"] = SENDER
            message["To"] = address
            message["Subject"] = f"Newsletter #{issue}"
            message.set_content(
                f"Hello {address},\n\nhere is issue {issue}.\n\nUnsubscribe: https://example.com/u?{address}\n"
            )
            client.send_message(message)
