"""Test helper: Python's smtplib as an application configured for TLS and login would use it.

A refusal fails with the server's reply, ``530 5.7.0 Authentication required``,
so that a test can expect the exact code and text."""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage
from pathlib import Path

from robot.api.deco import keyword, library


@library(scope="GLOBAL")
class SecureMailer:
    @keyword
    def send_mail_with_smtplib(
        self,
        port: int,
        tls: str = "none",
        ca: str | None = None,
        user: str | None = None,
        password: str | None = None,
        mechanism: str | None = None,
        sender: str = "smtplib@example.com",
        recipients: str | list[str] = "alice@example.com",
        subject: str = "Sent by smtplib",
        body: str = "Hello from smtplib.",
        source: bytes | None = None,
        mail_options: list[str] | None = None,
    ) -> None:
        """Sends a message over ``tls`` (none, starttls, implicit), verifying the server against ``ca``,
        after logging in when ``user`` is given (with ``mechanism`` when given, else smtplib's choice)."""
        if source is None:
            message = EmailMessage()
            message["From"], message["To"], message["Subject"] = sender, recipients, subject
            message.set_content(body)
            source = message.as_bytes()
        if isinstance(recipients, str):
            recipients = [address.strip() for address in recipients.split(",")]
        try:
            with self._connect(port, tls, ca) as client:
                if user is not None:
                    if mechanism:
                        client.ehlo()
                        client.user, client.password = user, password
                        client.auth(mechanism, getattr(client, f"auth_{mechanism.lower()}"))
                    else:
                        client.login(user, password)
                client.sendmail(sender, recipients, source, mail_options or [])
        except smtplib.SMTPRecipientsRefused as error:
            code, text = next(iter(error.recipients.values()))
            raise AssertionError(f"{code} {text.decode()}") from None
        except smtplib.SMTPResponseException as error:
            raise AssertionError(f"{error.smtp_code} {error.smtp_error.decode()}") from None

    @keyword
    def smtp_reply(self, port: int, command: str, tls: str = "none", ca: str | None = None) -> str:
        """Sends one ``command`` after EHLO and returns the reply as ``code text``."""
        with self._connect(port, tls, ca) as client:
            client.ehlo()
            code, text = client.docmd(command)
            return f"{code} {text.decode()}"

    @keyword
    def get_ehlo_keywords(self, port: int, tls: str = "none", ca: str | None = None) -> list[str]:
        """The extensions the server advertises, upper case, sorted: ``['8BITMIME', 'AUTH', ...]``."""
        with self._connect(port, tls, ca) as client:
            client.ehlo()
            return sorted(name.upper() for name in client.esmtp_features)

    @keyword
    def make_certificate_files(self, directory: str) -> tuple[str, str, str]:
        """A certificate for 127.0.0.1 from a CA of its own: paths of the certificate, its key and the CA, as PEM."""
        import trustme

        authority = trustme.CA()
        issued = authority.issue_cert("127.0.0.1", "localhost")
        paths = [str(Path(directory) / name) for name in ("own-server.pem", "own-server.key", "own-ca.pem")]
        for blob, path in zip(
            (issued.cert_chain_pems[0], issued.private_key_pem, authority.cert_pem), paths, strict=True
        ):
            blob.write_to_path(path)
        return paths[0], paths[1], paths[2]

    @staticmethod
    def _connect(port: int, tls: str, ca: str | None) -> smtplib.SMTP:
        context = ssl.create_default_context(cafile=ca)
        if tls == "implicit":
            return smtplib.SMTP_SSL("127.0.0.1", port, timeout=10, context=context, local_hostname="smtplib.test")
        client = smtplib.SMTP("127.0.0.1", port, timeout=10, local_hostname="smtplib.test")
        if tls == "starttls":
            client.starttls(context=context)
        return client
