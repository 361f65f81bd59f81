"""Project-only steps: an application that signs its mail with the DKIM key a step made (dkimpy), as
an application under test configured with ``context.smtp_dkim_key`` would."""

from __future__ import annotations

import email.utils
import smtplib
from email.message import EmailMessage
from pathlib import Path

import dkim
from behave import when


def signed_message(key, subject: str, sender: str) -> bytes:
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = sender, "alice@example.com", subject
    message["Date"] = email.utils.formatdate()
    message["Message-ID"] = email.utils.make_msgid(domain=sender.rpartition("@")[2])
    message.set_content("Your invoice is attached.")
    source = message.as_bytes().replace(b"\n", b"\r\n")
    private = Path(key.private_key_path).read_bytes()
    return dkim.sign(source, key.selector.encode(), key.domain.encode(), private) + source


def send(context, source: bytes, sender: str) -> None:
    with smtplib.SMTP("127.0.0.1", context.smtp_port, local_hostname="mail.example.com", timeout=10) as client:
        client.sendmail(sender, ["alice@example.com"], source)


@when('the application sends "{subject}" signed with the DKIM key from "{sender}"')
def step_send_signed(context, subject, sender):
    send(context, signed_message(context.smtp_dkim_key, subject, sender), sender)
