"""Test helper: an smtplib client that reports how the server treated it, instead of failing."""

from __future__ import annotations

import smtplib

from robot.api.deco import keyword, library

SOURCE = b"From: app@example.com\r\nSubject: Hello\r\n\r\nHello from smtplib.\r\n"


def _describe(error: Exception) -> str:
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        (code, text), *_ = error.recipients.values()
    elif isinstance(error, smtplib.SMTPResponseException):
        code, text = error.smtp_code, error.smtp_error
    else:
        return f"{type(error).__name__}: {error}"
    text = text.decode() if isinstance(text, bytes) else text
    return f"{type(error).__name__}: {code} {text}"


@library(scope="GLOBAL")
class FaultClient:
    @keyword
    def send_with_smtplib(
        self, port: int, sender: str = "app@example.com", recipients: str = "bob@example.com", timeout: float = 10
    ) -> str:
        """Sends a message; returns ``sent``, or what went wrong: ``SMTPSenderRefused: 451 text``..."""
        try:
            with smtplib.SMTP("127.0.0.1", port, local_hostname="smtplib.test", timeout=timeout) as client:
                refused = client.sendmail(sender, [r.strip() for r in recipients.split(",")], SOURCE)
        except (smtplib.SMTPException, OSError) as error:
            return _describe(error)
        if refused:
            return "sent, but refused: " + ", ".join(f"{r} {c} {t.decode()}" for r, (c, t) in refused.items())
        return "sent"

    @keyword
    def send_smtp_command(self, port: int, command: str) -> str:
        """Says EHLO, sends ``command`` and returns the reply as ``code text``, or how the connection ended."""
        try:
            with smtplib.SMTP("127.0.0.1", port, local_hostname="smtplib.test", timeout=10) as client:
                client.ehlo()
                code, text = client.docmd(command)
        except (smtplib.SMTPException, OSError) as error:
            return _describe(error)
        return f"{code} {text.decode()}"
