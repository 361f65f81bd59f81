"""A tiny application under test: signing up sends a verification e-mail.

    python signup_app.py --smtp-port 2525 alice@example.com Alice

It knows nothing of SMTPLibrary: it sends to whatever SMTP server it is
told to, as a real application would.
"""

from __future__ import annotations

import argparse
import secrets
import smtplib
from email.message import EmailMessage
from html import escape
from urllib.parse import urlencode

VERIFY_URL = "https://signup.example.test/verify"
SENDER = "Signup <no-reply@signup.example.test>"


def verification_mail(email: str, name: str, token: str) -> EmailMessage:
    link = f"{VERIFY_URL}?{urlencode({'token': token, 'email': email})}"
    message = EmailMessage()
    message["From"] = SENDER
    message["To"] = f"{name} <{email}>"
    message["Subject"] = "Confirm your e-mail address"
    message.set_content(f"Hello {name},\n\nplease confirm your address by opening this link:\n{link}\n")
    message.add_alternative(
        f'<p>Hello {escape(name)},</p><p><a href="{escape(link)}">Confirm your address</a></p>', subtype="html"
    )
    return message


def sign_up(email: str, name: str, smtp_host: str = "127.0.0.1", smtp_port: int = 25) -> str:
    """Register the user and send the verification mail; returns the token."""
    token = secrets.token_urlsafe(16)
    with smtplib.SMTP(smtp_host, smtp_port, local_hostname="signup.example.test", timeout=10) as client:
        client.send_message(verification_mail(email, name, token))
    return token


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--smtp-host", default="127.0.0.1")
    parser.add_argument("--smtp-port", type=int, default=25)
    parser.add_argument("email")
    parser.add_argument("name")
    options = parser.parse_args()
    sign_up(options.email, options.name, options.smtp_host, options.smtp_port)


if __name__ == "__main__":
    main()
