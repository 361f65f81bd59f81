"""Sending a message with the standard library's client, for steps and demos."""

from __future__ import annotations

import email.policy
import email.utils
import smtplib
import ssl
from email.message import EmailMessage
from typing import Any


def compose(sender: str, recipient: str, subject: str, body: str = "") -> bytes:
    """A well-formed message, as a careful application writes it: Date and Message-ID set, and
    CRLF line ends (smtplib sends bytes as they are: LF alone would be bare LFs on the wire)."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = recipient
    message["Subject"] = subject
    message["Date"] = email.utils.formatdate()
    message["Message-ID"] = email.utils.make_msgid(domain=sender.rpartition("@")[2] or None)
    message.set_content(body or f"Sent by SMTPLibrary to {recipient}.")
    return message.as_bytes(policy=email.policy.SMTP)


def as_source(text: str) -> bytes:
    """A message typed as text (a Gherkin doc-string, say) as wire bytes with CRLF line ends."""
    return "\r\n".join(text.splitlines()).encode("utf-8") + b"\r\n"


def send(
    host: str,
    port: int,
    sender: str,
    recipients: list[str],
    source: bytes,
    timeout: float = 10.0,
    *,
    tls: str = "none",
    ca_certificate: str | None = None,
    login: tuple[str, str] | None = None,
) -> None:
    """Send ``source`` as it is, with ``smtplib``; raises ``smtplib.SMTPException`` on refusal.

    ``tls``: ``"starttls"`` or ``"implicit"`` to encrypt, verifying the server's certificate
    against ``ca_certificate`` (a PEM file; the system's CAs when ``None``)."""
    context = ssl.create_default_context(cafile=ca_certificate) if tls != "none" else None
    if tls == "implicit":
        client: smtplib.SMTP = smtplib.SMTP_SSL(host, port, timeout=timeout, context=context)
    else:
        client = smtplib.SMTP(host, port, timeout=timeout)
    with client:
        if tls == "starttls":
            client.starttls(context=context)
        if login is not None:
            client.login(*login)
        client.sendmail(sender, recipients, source)


# A server listening on every address of the machine is reached on its loopback address:
# nothing answers at the wildcard itself, and the test certificate names 127.0.0.1 and ::1.
_WILDCARDS = {"": "127.0.0.1", "0.0.0.0": "127.0.0.1", "::": "::1"}


def dial_host(host: str) -> str:
    """The address a client on this machine dials to reach a server listening on ``host``."""
    return _WILDCARDS.get(host, host)


def send_to(server: Any, sender: str, recipients: list[str], source: bytes) -> None:
    """Send to a running :class:`~SMTPLibrary.core.smtp.SMTPCapture` the way it listens: over TLS if it has TLS."""
    host = dial_host(server.host)
    send(host, server.port, sender, recipients, source, tls=server.tls, ca_certificate=server.ca_certificate)
