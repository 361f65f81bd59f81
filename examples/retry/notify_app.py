"""A tiny application under test: it mails an order confirmation, and tries again when that fails for now.

    python notify_app.py --smtp-port 2525 alice@example.com 42

The retry policy: up to ``--attempts`` tries. A 4xx reply or a dropped
connection is a temporary failure: wait (``--backoff`` seconds, doubled each
time) and try again. A 5xx reply is permanent: give up at once. The exit
status is 0 when the mail was sent, 1 after a permanent failure, 2 when every
attempt failed.

It knows nothing of SMTPLibrary: it sends to whatever SMTP server it is told to.
"""

from __future__ import annotations

import argparse
import smtplib
import sys
import time
from email.message import EmailMessage

SENDER = "Shop <orders@shop.example.test>"


def confirmation(email: str, order: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = SENDER
    message["To"] = email
    message["Subject"] = f"Order {order} confirmed"
    message.set_content(f"Thank you! Your order {order} is on its way.\n")
    return message


def temporary(error: Exception) -> bool:
    """Whether trying again later may help: a 4xx reply, or a connection that broke."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(400 <= code < 500 for code, _ in error.recipients.values())
    if isinstance(error, smtplib.SMTPResponseException):
        return 400 <= error.smtp_code < 500
    return isinstance(error, (smtplib.SMTPServerDisconnected, OSError))


def send_confirmation(email: str, order: str, port: int, attempts: int = 3, backoff: float = 1.0) -> int:
    """Send with the retry policy; returns the number of attempts it took."""
    message = confirmation(email, order)
    for attempt in range(1, attempts + 1):
        try:
            with smtplib.SMTP("127.0.0.1", port, local_hostname="shop.example.test", timeout=10) as client:
                client.send_message(message)
            return attempt
        except (smtplib.SMTPException, OSError) as error:
            if not temporary(error):
                raise
            print(f"attempt {attempt} failed for now: {error}", file=sys.stderr)
            if attempt == attempts:
                raise
            time.sleep(backoff * 2 ** (attempt - 1))
    raise AssertionError("unreachable")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--smtp-port", type=int, default=25)
    parser.add_argument("--attempts", type=int, default=3)
    parser.add_argument("--backoff", type=float, default=1.0, help="seconds before the first retry")
    parser.add_argument("email")
    parser.add_argument("order")
    options = parser.parse_args()
    try:
        attempts = send_confirmation(options.email, options.order, options.smtp_port, options.attempts, options.backoff)
    except (smtplib.SMTPException, OSError) as error:
        print(f"not sent: {error}", file=sys.stderr)
        return 2 if temporary(error) else 1
    print(f"sent after {attempts} attempt{'s' if attempts > 1 else ''}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
