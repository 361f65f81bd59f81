"""An application under test: Django sends an order confirmation through its SMTP backend.

Usage: python django_mailer.py PORT USER PASSWORD. STARTTLS and login as
production settings have them; the certificate is verified against the CA
file that SSL_CERT_FILE names (Django's backend uses ssl.create_default_context()).
"""

import sys

import django
from django.conf import settings

SUBJECT = "Grüße aus Köln: Ihre Bestellung Nr. 12345 ist unterwegs und kommt bald an"


def main(port: str, user: str, password: str) -> None:
    settings.configure(
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=int(port),
        EMAIL_USE_TLS=True,
        EMAIL_HOST_USER=user,
        EMAIL_HOST_PASSWORD=password,
        EMAIL_TIMEOUT=20,
        DEFAULT_CHARSET="utf-8",
    )
    django.setup()
    from django.core.mail import EmailMessage

    EmailMessage(
        subject=SUBJECT,
        body="Hallo Jürgen,\nIhre Bestellung ist unterwegs.\n",
        from_email='"Kundenservice der Großhandlung Müller & Söhne GmbH, Köln" <service@example.com>',
        to=["Jürgen Müller <juergen@example.com>"],
    ).send()


if __name__ == "__main__":
    main(*sys.argv[1:])
