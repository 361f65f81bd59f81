"""Keywords about TLS and login, and the conversion of their Robot arguments."""

from __future__ import annotations

from typing import Any

from robot.api.deco import keyword

from ..core import InvalidArgument
from .context import LibraryContext

try:
    from robot.api.types import Secret
except ImportError:  # Robot Framework before 7.4: no secret values, plain strings only
    Secret = None

if Secret is not None:
    Credentials = str | Secret | list[str | Secret] | dict[str, str | Secret] | None
else:
    Credentials = str | list[str] | dict[str, str] | None  # type: ignore[misc]
Password = str if Secret is None else str | Secret  # type: ignore[misc]


def reveal(credentials: Any) -> Any:
    """``credentials`` with every Robot ``Secret`` replaced by its value, for the core."""
    if Secret is not None and isinstance(credentials, Secret):
        return credentials.value
    if isinstance(credentials, dict):
        return {user: reveal(password) for user, password in credentials.items()}
    if isinstance(credentials, list):
        return [reveal(entry) for entry in credentials]
    return credentials


def given_certificate(server: Any) -> InvalidArgument:
    """The failure of asking for the CA of a certificate the user gave the server (IMAP and POP3
    share the SMTP server's certificate, so both keywords say it alike)."""
    return InvalidArgument(
        f"The SMTP server on {server.address} uses the certificate it was given: "
        "its CA certificate is not SMTPLibrary's to give."
    )


class SecurityKeywords(LibraryContext):
    @keyword("Get SMTP Server CA Certificate")
    def get_smtp_server_ca_certificate(self) -> str:
        """Returns the path of a PEM file with the CA certificate that the current server's certificate comes from.

        Clients given this file verify the server's certificate as they
        would a real server's, instead of turning verification off. The file
        stays until the test run ends. Fails when the server has no TLS, or
        uses a ``certificate`` given to `Start SMTP Server`. See `TLS and authentication`.

        | ${port} =     | Start SMTP Server | tls=starttls |
        | ${ca} =       | Get SMTP Server CA Certificate |
        | Run Process   | curl | --ssl-reqd | --cacert | ${ca} | smtp://127.0.0.1:${port} | --upload-file | mail.eml |
        | ...           | --mail-from | app@example.com | --mail-rcpt | alice@example.com |
        | Message Should Be Received Matching | tls=yes |
        """
        server = self.server()
        if server.ca_certificate is None:
            if server.tls == "none":
                raise InvalidArgument(
                    f"The SMTP server on {server.address} has no TLS: start it with tls=starttls or tls=implicit."
                )
            raise given_certificate(server)
        return server.ca_certificate
