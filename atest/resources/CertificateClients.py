"""Test helper: real clients (Python's smtplib, curl, swaks) sending over TLS as applications configured
to check the server's certificate against a CA file would, or with the check turned off."""

from __future__ import annotations

import smtplib
import ssl
import subprocess
import tempfile
from pathlib import Path

from robot.api.deco import keyword, library

MESSAGE = b"From: app@example.com\r\nTo: alice@example.com\r\nSubject: Over TLS\r\n\r\nHello.\r\n"


@library(scope="GLOBAL")
class CertificateClients:
    @keyword
    def send_over_tls(self, client: str, port: int, tls: str, ca: str | None = None, verify: bool = True) -> str:
        """Sends one message with ``client`` over ``tls`` (starttls, implicit); with ``verify``, checking
        the certificate against ``ca`` (as smtplib's default context, ``curl --cacert``,
        ``swaks --tls-verify --tls-ca-path`` do), else not checking it at all. Fails with what the
        client said when it did not send; returns its output otherwise."""
        method = {"smtplib": self._smtplib, "curl": self._curl, "swaks": self._swaks}[client]
        succeeded, output = method(port, tls, ca, verify)
        if not succeeded:
            raise AssertionError(f"{client} did not send: {output}")
        return output

    @staticmethod
    def _smtplib(port: int, tls: str, ca: str | None, verify: bool) -> tuple[bool, str]:
        context = ssl.create_default_context(cafile=ca) if verify else ssl._create_unverified_context()
        try:
            if tls == "implicit":
                client = smtplib.SMTP_SSL("127.0.0.1", port, context=context, timeout=10, local_hostname="app.test")
            else:
                client = smtplib.SMTP("127.0.0.1", port, timeout=10, local_hostname="app.test")
            with client:
                if tls == "starttls":
                    client.starttls(context=context)
                client.sendmail("app@example.com", ["alice@example.com"], MESSAGE)
        except (OSError, smtplib.SMTPException) as error:
            return False, f"{type(error).__name__}: {error}"
        return True, ""

    @staticmethod
    def _curl(port: int, tls: str, ca: str | None, verify: bool) -> tuple[bool, str]:
        with tempfile.NamedTemporaryFile(suffix=".eml", delete=False) as file:
            file.write(MESSAGE)
        scheme = "smtps" if tls == "implicit" else "smtp"
        command = ["curl", "--silent", "--show-error", f"{scheme}://127.0.0.1:{port}/app.test"]
        command += ["--mail-from", "app@example.com", "--mail-rcpt", "alice@example.com", "--upload-file", file.name]
        if tls == "starttls":
            command.append("--ssl-reqd")
        command += ["--cacert", ca] if verify else ["--insecure"]
        try:
            return _run(command)
        finally:
            Path(file.name).unlink()

    @staticmethod
    def _swaks(port: int, tls: str, ca: str | None, verify: bool) -> tuple[bool, str]:
        command = ["swaks", "--server", f"127.0.0.1:{port}", "--helo", "app.test", "--from", "app@example.com"]
        command += ["--to", "alice@example.com", "--header", "Subject: Over TLS"]
        command.append("--tls-on-connect" if tls == "implicit" else "--tls")
        if verify:
            command += ["--tls-verify", "--tls-ca-path", ca]
        return _run(command)


def _run(command: list[str]) -> tuple[bool, str]:
    done = subprocess.run(command, capture_output=True, text=True, timeout=30)
    return done.returncode == 0, (done.stdout + done.stderr).strip()
