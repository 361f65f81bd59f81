"""Test helper: an application that signs its mail with DKIM (dkimpy) before sending it with smtplib,
configured with the key `Create DKIM Key` returned (an object locally, a dictionary through the Remote
library): the PEM file for RSA, the raw key for ed25519 (the form dkimpy signs with)."""

from __future__ import annotations

import email.utils
import smtplib
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import dkim
from robot.api.deco import keyword, library


def _field(key: Any, name: str) -> Any:
    return key[name] if isinstance(key, dict) else getattr(key, name)


@library(scope="GLOBAL")
class SignedMailer:
    @keyword
    def compose_mail(
        self,
        sender: str = "app@example.com",
        recipient: str = "alice@example.com",
        subject: str = "Invoice 42",
        body: str = "Your invoice is attached.",
        html: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> bytes:
        """A well-formed message with CRLF line ends, Date, Message-ID and MIME fields, as careful applications send."""
        message = EmailMessage()
        message["From"] = sender
        message["To"] = recipient
        message["Subject"] = subject
        message["Date"] = email.utils.formatdate()
        message["Message-ID"] = email.utils.make_msgid(domain=sender.rpartition("@")[2] or "example.com")
        for name, value in (headers or {}).items():
            message[name] = value
        message.set_content(body)
        if html is not None:
            message.add_alternative(html, subtype="html")
        return message.as_bytes().replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")

    @keyword
    def sign_mail(self, source: bytes, key: Any, canonicalization: str = "relaxed/simple") -> bytes:
        """``source`` with a DKIM-Signature by ``key`` prepended, over dkimpy's fields and List-Unsubscribe-Post."""
        algorithm = _field(key, "algorithm")
        if algorithm == "ed25519-sha256":
            private = _field(key, "private_key_base64").encode()
        else:
            private = Path(_field(key, "private_key_path")).read_bytes()
        header, body = canonicalization.encode().split(b"/")
        signature = dkim.sign(
            source,
            _field(key, "selector").encode(),
            _field(key, "domain").encode(),
            private,
            signature_algorithm=algorithm.encode(),
            canonicalize=(header, body),
            # dkimpy signs List-Unsubscribe but not List-Unsubscribe-Post; RFC 8058 4 wants both signed.
            include_headers=[*dkim.DKIM.SHOULD, b"list-unsubscribe-post"],
        )
        return signature + source

    @keyword
    def send_signed_mail(
        self,
        port: int,
        key: Any,
        sender: str = "app@example.com",
        recipient: str = "alice@example.com",
        subject: str = "Invoice 42",
        body: str = "Your invoice is attached.",
        change_after_signing: bool = False,
    ) -> None:
        """Composes, signs and sends a message from ``sender``; ``change_after_signing`` changes one
        byte of the body after signing, as a template engine or a relay might."""
        source = self.sign_mail(self.compose_mail(sender, recipient, subject, body), key)
        if change_after_signing:
            head, _, text = source.partition(b"\r\n\r\n")
            source = head + b"\r\n\r\n" + text.replace(b"invoice", b"invoicE", 1)
        with smtplib.SMTP("127.0.0.1", port, local_hostname="mail.example.com", timeout=10) as client:
            client.sendmail(sender, [recipient], source)
