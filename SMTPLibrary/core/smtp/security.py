"""What a server offers and refuses for TLS and logins, decided per connection.

Built from checked :class:`~.options.ServerOptions`; the engine asks it on the
event loop thread, for each connection. Its answers are the same for
STARTTLS and implicit TLS alike: "is this connection encrypted?" is all they
depend on. A server without credentials advertises no AUTH at all, and a
server that asks for logins over TLS only does not advertise AUTH before it.
"""

from __future__ import annotations

import ssl
from typing import Any

from .credentials import MECHANISMS
from .options import ServerOptions
from .tls import describe as describe_tls
from .tls import test_certificate, user_context

REFUSE_NO_CREDENTIALS = "502 5.5.1 AUTH not available: the server has no credentials"
REFUSE_PLAINTEXT_AUTH = "538 5.7.11 Encryption required for requested authentication mechanism"
REFUSE_UNAUTHENTICATED = "530 5.7.0 Authentication required"


class Security:
    """The TLS context and the login policy of one server."""

    def __init__(self, options: ServerOptions) -> None:
        self.tls = options.tls
        self.require_tls = options.require_tls
        self.auth_required = options.auth_required
        self.allow_plaintext_auth = options.allow_plaintext_auth
        self.smtputf8 = options.smtputf8
        self.users = options.users
        self.context: ssl.SSLContext | None = None
        self.ca_certificate: str | None = None
        # trusted, untrusted, wrong_host, expired, or the path of the server's own certificate.
        self.certificate = options.certificate
        if options.tls != "none":
            if options.certificate_file is not None:
                self.context = user_context(options.certificate_file, options.key)
            else:
                made = test_certificate(options.certificate)
                self.context, self.ca_certificate = made.context, made.ca_certificate

    @property
    def user_names(self) -> list[str]:
        return self.users.names if self.users else []

    def auth_offered(self, encrypted: bool) -> bool:
        return self.users is not None and (encrypted or self.allow_plaintext_auth)

    def ehlo(self, encrypted: bool, lines: list[str]) -> list[str]:
        """The EHLO reply lines with AUTH (and 8BITMIME) as this server offers them."""
        kept = []
        for line in lines:
            keyword = line[4:].split(" ", 1)[0].upper()
            if keyword == "AUTH" and not self.auth_offered(encrypted):
                continue
            if keyword == "AUTH":
                line = f"{line[:4]}AUTH {' '.join(MECHANISMS)}"
            if keyword == "8BITMIME" and not self.smtputf8:
                continue
            kept.append(line)
        return kept

    def auth_refusal(self, encrypted: bool) -> str | None:
        """The reply refusing an AUTH command now, or ``None`` to let the login go on."""
        if self.users is None:
            return REFUSE_NO_CREDENTIALS
        if not encrypted and not self.allow_plaintext_auth:
            return REFUSE_PLAINTEXT_AUTH
        return None

    def arrival(self, ssl_object: Any, user: str | None) -> dict[str, Any]:
        """How a message arrived, for :class:`~SMTPLibrary.core.mail.ReceivedMessage`."""
        tls = describe_tls(ssl_object, self.tls) if ssl_object is not None else None
        return {"authenticated_as": user, "tls": tls}

    def describe(self) -> str:
        """The settings in words, for a log (no passwords)."""
        parts = []
        if self.tls == "starttls":
            parts.append("STARTTLS" + (" required" if self.require_tls else ""))
        elif self.tls == "implicit":
            parts.append("implicit TLS")
        if self.tls != "none" and self.certificate != "trusted":
            parts.append(f"certificate {self.certificate}")
        if self.users is not None:
            plain = ", also without TLS" if self.allow_plaintext_auth else ""
            needed = "required" if self.auth_required else "accepted"
            parts.append(f"login {needed} for {', '.join(self.user_names)}{plain}")
        return "; ".join(parts)
