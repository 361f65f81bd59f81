"""A stand-in for a system under test that is configured through its environment.

Sends ``MAIL_COUNT`` messages (default 1) to ``MAIL_TO`` through the SMTP server
at ``SMTP_HOST`` (default 127.0.0.1) and ``SMTP_PORT``, as a real application
told where its mail server is would.
"""

import os
import smtplib
from email.message import EmailMessage


def main() -> None:
    host = os.environ.get("SMTP_HOST", "127.0.0.1")
    port = int(os.environ["SMTP_PORT"])
    recipient = os.environ["MAIL_TO"]
    count = int(os.environ.get("MAIL_COUNT", "1"))
    with smtplib.SMTP(host, port, timeout=10) as client:
        for number in range(1, count + 1):
            message = EmailMessage()
            message["From"] = "notifier@example.com"
            message["To"] = recipient
            message["Subject"] = f"Notification {number}"
            message.set_content(f"Notification {number} of {count} for {recipient}.")
            client.send_message(message)


if __name__ == "__main__":
    main()
