"""What a server offers and refuses, decided per connection: TLS, logins and the ESMTP extensions.

Built from checked :class:`~.options.ServerOptions`; the engine asks it on the
event loop thread, for each connection. Its answers are the same for
STARTTLS and implicit TLS alike: "is this connection encrypted?" is all they
depend on. A server without credentials advertises no AUTH at all, and a
server that asks for logins over TLS only does not advertise AUTH before it.

An extension the server does not offer (``hide_extensions``, or
``smtputf8=False`` for 8BITMIME and SMTPUTF8) is left out of the EHLO reply,
and its command or parameter is refused as a server without it refuses it:

* ``STARTTLS``, ``AUTH``: ``502 5.5.1`` (RFC 5321 4.2.4: a command the server
  knows but does not implement);
* an AUTH mechanism: ``504 5.5.4`` (RFC 4954 4);
* the ``SIZE=``, ``BODY=`` and ``SMTPUTF8`` parameters of MAIL: ``555 5.5.4``
  (RFC 5321 4.1.1.11);
* without SMTPUTF8, a non-ASCII address: ``550 5.6.7`` at MAIL, ``553 5.6.7``
  at RCPT (RFC 6531 3.5).

8BITMIME hidden hides SMTPUTF8 too: RFC 6531 3.1 makes a server that offers
SMTPUTF8 offer 8BITMIME. PIPELINING, which aiosmtpd never advertises although
it answers pipelined commands in order, is advertised unless hidden; hidden,
a client that pipelines anyway is still answered in order (RFC 5321 3.8 does
not let a server drop it for that), and the transcript notes it.
"""

from __future__ import annotations

import ssl
from collections.abc import Iterable
from typing import Any

from .credentials import MECHANISMS
from .options import HIDEABLE, ServerOptions, auth_hidden
from .tls import describe as describe_tls
from .tls import limit_versions, limited_context, test_certificate, user_context

REFUSE_NO_CREDENTIALS = "502 5.5.1 AUTH not available: the server has no credentials"
REFUSE_PLAINTEXT_AUTH = "538 5.7.11 Encryption required for requested authentication mechanism"
REFUSE_UNAUTHENTICATED = "530 5.7.0 Authentication required"
# The replies of a server without the extension (see the module's docstring for the RFC of each).
NOT_IMPLEMENTED = "502 5.5.1 Command not implemented"
UNKNOWN_MECHANISM = "504 5.5.4 Unrecognized authentication type"
PARAMETER_REFUSED = "555 5.5.4 {parameter} not accepted: this server does not offer {extension}"
NON_ASCII_SENDER = "550 5.6.7 Non-ASCII addresses not permitted for that sender"
NON_ASCII_RECIPIENT = "553 5.6.7 Non-ASCII addresses not permitted for that recipient"
# The MAIL parameters of each extension.
PARAMETERS = {"SIZE": "SIZE", "BODY": "8BITMIME", "SMTPUTF8": "SMTPUTF8"}


def offered_nowhere(options: ServerOptions) -> tuple[str, ...]:
    """What the server does not offer, in :data:`~.options.HIDEABLE` order: what ``hide_extensions``
    hides, what goes with it (SMTPUTF8 with 8BITMIME, AUTH with every mechanism), and
    8BITMIME and SMTPUTF8 of a server with ``smtputf8=False``."""
    hidden = set(options.hide_extensions)
    if "8BITMIME" in hidden or not options.smtputf8:
        hidden.update(("8BITMIME", "SMTPUTF8"))
    if auth_hidden(options.hide_extensions):
        hidden.add("AUTH")
    return tuple(name for name in HIDEABLE if name in hidden)


class Security:
    """The TLS context, the login policy and the extensions of one server."""

    def __init__(self, options: ServerOptions) -> None:
        self.tls = options.tls
        self.require_tls = options.require_tls
        self.auth_required = options.auth_required
        self.allow_plaintext_auth = options.allow_plaintext_auth
        self.users = options.users
        self.hide_extensions = options.hide_extensions
        self.hidden = frozenset(offered_nowhere(options))
        self.mechanisms = [mechanism for mechanism in MECHANISMS if f"AUTH={mechanism}" not in self.hidden]
        # Read at every MAIL and RCPT: only a server that hides something pays for the checks.
        self.checks_parameters = any(extension in self.hidden for extension in PARAMETERS.values())
        self.refuses_non_ascii = "SMTPUTF8" in self.hidden
        self.tls_versions = (options.tls_min_version, options.tls_max_version)
        self.context: ssl.SSLContext | None = None
        self.ca_certificate: str | None = None
        # trusted, untrusted, wrong_host, expired, or the path of the server's own certificate.
        self.certificate = options.certificate
        if options.tls != "none":
            limited = any(self.tls_versions)
            if options.certificate_file is not None:
                self.context = user_context(options.certificate_file, options.key)
                if limited:
                    limit_versions(self.context, *self.tls_versions)
            else:
                made = test_certificate(options.certificate)
                self.context, self.ca_certificate = made.context, made.ca_certificate
                if limited:
                    self.context = limited_context(made, *self.tls_versions)

    @property
    def user_names(self) -> list[str]:
        return self.users.names if self.users else []

    def auth_offered(self, encrypted: bool) -> bool:
        return self.users is not None and "AUTH" not in self.hidden and (encrypted or self.allow_plaintext_auth)

    def ehlo(self, encrypted: bool, lines: list[str]) -> list[str]:
        """The EHLO reply lines with the extensions this server offers: PIPELINING added,
        AUTH with its mechanisms when logins are offered on this connection, hidden ones left out."""
        hidden = self.hidden
        kept = lines[:1]
        if "PIPELINING" not in hidden:
            kept.append(f"{lines[0][:3]}-PIPELINING")
        for line in lines[1:]:
            keyword = line[4:].split(" ", 1)[0].upper()
            if keyword == "AUTH":
                if not self.auth_offered(encrypted):
                    continue
                line = f"{line[:4]}AUTH {' '.join(self.mechanisms)}"
            elif keyword in hidden:
                continue
            kept.append(line)
        return kept

    def command_refusal(self, command: str) -> str | None:
        """The reply refusing ``STARTTLS`` or ``AUTH`` on a server that does not offer it, else ``None``."""
        return NOT_IMPLEMENTED if command in self.hidden else None

    def auth_refusal(self, encrypted: bool, mechanism: str | None = None) -> str | None:
        """The reply refusing an AUTH command (with ``mechanism``) now, or ``None`` to let the login go on."""
        if "AUTH" in self.hidden:
            return NOT_IMPLEMENTED
        if self.users is None:
            return REFUSE_NO_CREDENTIALS
        if mechanism is not None and mechanism.upper() not in self.mechanisms:
            return UNKNOWN_MECHANISM
        if not encrypted and not self.allow_plaintext_auth:
            return REFUSE_PLAINTEXT_AUTH
        return None

    def parameters_refusal(self, parameters: Iterable[str]) -> str | None:
        """The reply refusing MAIL for a parameter (``SIZE=1000``, ``BODY=8BITMIME``,
        ``SMTPUTF8``) of an extension the server does not offer, else ``None``."""
        for parameter in parameters:
            extension = PARAMETERS.get(parameter.split("=", 1)[0].upper())
            if extension in self.hidden:
                return PARAMETER_REFUSED.format(parameter=parameter, extension=extension)
        return None

    def address_refusal(self, address: str, sender: bool) -> str | None:
        """The reply refusing a non-ASCII ``address`` (of the sender, or a recipient) on a server
        without SMTPUTF8, else ``None``."""
        if self.refuses_non_ascii and not address.isascii():
            return NON_ASCII_SENDER if sender else NON_ASCII_RECIPIENT
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
        low, high = self.tls_versions
        if low and low == high:
            parts.append(f"{low} only")
        elif low or high:
            parts.append(f"{low} or newer" if low else f"{high} or older")
        if self.users is not None:
            plain = ", also without TLS" if self.allow_plaintext_auth else ""
            needed = "required" if self.auth_required else "accepted"
            parts.append(f"login {needed} for {', '.join(self.user_names)}{plain}")
        if self.hide_extensions:
            parts.append(f"not offering {', '.join(name for name in HIDEABLE if name in self.hidden)}")
        return "; ".join(parts)
