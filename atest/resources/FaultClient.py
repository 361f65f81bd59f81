"""Test helper: an smtplib client that reports how the server treated it, instead of failing."""

from __future__ import annotations

import smtplib
import ssl

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
        self,
        port: int,
        sender: str = "app@example.com",
        recipients: str = "bob@example.com",
        timeout: float = 10,
        body_lines: int = 0,
    ) -> str:
        """Sends a message (``body_lines`` more lines of 50 bytes); returns ``sent``, or what went wrong:
        ``SMTPSenderRefused: 451 text``..."""
        source = SOURCE + (b"x" * 48 + b"\r\n") * body_lines
        try:
            with smtplib.SMTP("127.0.0.1", port, local_hostname="smtplib.test", timeout=timeout) as client:
                refused = client.sendmail(sender, [r.strip() for r in recipients.split(",")], source)
        except (smtplib.SMTPException, OSError) as error:
            return _describe(error)
        if refused:
            return "sent, but refused: " + ", ".join(f"{r} {c} {t.decode()}" for r, (c, t) in refused.items())
        return "sent"

    @keyword
    def send_messages_on_one_connection(self, port: int, count: int) -> str:
        """Sends ``count`` messages over one connection; the outcome of each, separated by commas."""
        outcomes = []
        with smtplib.SMTP("127.0.0.1", port, local_hostname="smtplib.test", timeout=10) as client:
            for _ in range(count):
                try:
                    client.sendmail("app@example.com", ["bob@example.com"], SOURCE)
                    outcomes.append("sent")
                except smtplib.SMTPException as error:
                    outcomes.append(_describe(error))
        return ", ".join(outcomes)

    @keyword
    def send_with_smtplib_over_starttls(self, port: int, ca: str, max_version: str | None = None) -> str:
        """Sends a message after STARTTLS, verifying the server with ``ca``, with TLS versions up to
        ``max_version`` (``TLSv1.2``); returns ``sent`` or what went wrong (``SSLEOFError: ...``)."""
        context = ssl.create_default_context(cafile=ca)
        if max_version:
            context.maximum_version = ssl.TLSVersion[max_version.replace(".", "_")]
        try:
            with smtplib.SMTP("127.0.0.1", port, local_hostname="smtplib.test", timeout=10) as client:
                client.starttls(context=context)
                client.sendmail("app@example.com", ["bob@example.com"], SOURCE)
        except (smtplib.SMTPException, OSError) as error:
            return _describe(error)
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
