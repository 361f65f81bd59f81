"""How a server is protected and what it accepts: TLS, AUTH, message size, SMTPUTF8.

:class:`Security` checks the arguments of :class:`~SMTPLibrary.core.server.SMTPServer`
once, in the caller's thread (the protocol factory running on the event
loop must never fail), and then answers the questions aiosmtpd asks per
connection. aiosmtpd alone gets some of them wrong for a test server:

* Under implicit TLS it neither advertises nor accepts AUTH, and leaves
  ``session.ssl`` empty. :class:`SecureSMTP` fills ``session.ssl`` from the
  transport, so "is this connection encrypted?" has one answer for STARTTLS
  and implicit TLS alike, and the policy below decides on that.
* ``auth_required`` together with plaintext AUTH makes aiosmtpd warn at every
  connection; the check is done here instead (:meth:`SecureSMTP.check_auth_needed`).
* A server without credentials advertises no AUTH at all.
"""

from __future__ import annotations

import ssl
from typing import Any

from aiosmtpd.smtp import MISSING, SMTP, Session, TLSSetupException

from .auth import MECHANISMS, Authenticator, parse_credentials
from .errors import InvalidArgument
from .tls import MODES as TLS_MODES
from .tls import default_certificate, user_context
from .tls import describe as describe_tls

DEFAULT_SIZE_LIMIT = 33554432  # 32 MiB, aiosmtpd's default

REFUSE_NO_CREDENTIALS = "502 5.5.1 AUTH not available: the server has no credentials"
REFUSE_PLAINTEXT_AUTH = "538 5.7.11 Encryption required for requested authentication mechanism"
REFUSE_UNAUTHENTICATED = "530 5.7.0 Authentication required"


class Security:
    """The checked TLS, AUTH and size settings of one server."""

    def __init__(
        self,
        *,
        tls: str = "none",
        require_tls: bool = False,
        certificate: str | None = None,
        key: str | None = None,
        credentials: object = None,
        auth_required: bool = False,
        allow_plaintext_auth: bool = False,
        size_limit: int | None = DEFAULT_SIZE_LIMIT,
        smtputf8: bool = True,
    ) -> None:
        mode = tls.lower() if isinstance(tls, str) else tls
        if mode not in TLS_MODES:
            raise InvalidArgument(f"tls must be one of {', '.join(TLS_MODES)}, got {tls!r}.")
        tls = mode
        for name, value in (
            ("require_tls", require_tls),
            ("auth_required", auth_required),
            ("allow_plaintext_auth", allow_plaintext_auth),
            ("smtputf8", smtputf8),
        ):
            if not isinstance(value, bool):
                raise InvalidArgument(f"{name} must be True or False, got {value!r}.")
        if require_tls and tls == "none":
            raise InvalidArgument("require_tls=True needs tls='starttls' (with 'implicit' every connection is TLS).")
        if (certificate is not None or key is not None) and tls == "none":
            raise InvalidArgument("certificate and key need tls='starttls' or tls='implicit'.")
        if key is not None and certificate is None:
            raise InvalidArgument("key needs certificate: the PEM file of the certificate it belongs to.")
        if size_limit is None:
            size_limit = 0
        if isinstance(size_limit, bool) or not isinstance(size_limit, int) or size_limit < 0:
            raise InvalidArgument(f"size_limit must be a number of bytes, 0 for no limit, got {size_limit!r}.")
        users = parse_credentials(credentials) if credentials is not None else {}
        if auth_required and not users:
            raise InvalidArgument("auth_required=True needs credentials: the users who may log in.")

        self.tls = tls
        self.require_tls = require_tls
        self.auth_required = auth_required
        self.allow_plaintext_auth = allow_plaintext_auth
        self.size_limit = size_limit
        self.smtputf8 = smtputf8
        self.authenticator = Authenticator(users) if users else None
        self.context: ssl.SSLContext | None = None
        self.ca_certificate: str | None = None
        if tls != "none":
            if certificate is not None:
                self.context = user_context(certificate, key)
            else:
                made = default_certificate()
                self.context, self.ca_certificate = made.context, made.ca_certificate

    @property
    def users(self) -> list[str]:
        return self.authenticator.users if self.authenticator else []

    # -- what aiosmtpd is given ----------------------------------------------

    def controller_kwargs(self) -> dict[str, Any]:
        """Keyword arguments for aiosmtpd's ``Controller`` (and through it, ``SMTP``)."""
        kwargs: dict[str, Any] = {
            "data_size_limit": self.size_limit or None,
            "enable_SMTPUTF8": self.smtputf8,
            # Decided per connection by Security.auth_refusal: aiosmtpd's own check
            # knows STARTTLS only.
            "auth_require_tls": False,
            "security": self,
        }
        if self.authenticator is not None:
            kwargs["authenticator"] = self.authenticator
        if self.tls == "starttls":
            kwargs["tls_context"] = self.context
            kwargs["require_starttls"] = self.require_tls
        elif self.tls == "implicit":
            kwargs["ssl_context"] = self.context
        return kwargs

    # -- per connection (event loop thread) -----------------------------------

    def auth_offered(self, session: Any) -> bool:
        return self.authenticator is not None and (session.ssl is not None or self.allow_plaintext_auth)

    def ehlo(self, session: Any, responses: list[str]) -> list[str]:
        """The EHLO reply lines aiosmtpd made, with AUTH (and 8BITMIME) as this server offers them."""
        kept = []
        for line in responses:
            keyword = line[4:].split(" ", 1)[0].upper()
            if keyword == "AUTH" and not self.auth_offered(session):
                continue
            if keyword == "AUTH":
                line = f"{line[:4]}AUTH {' '.join(MECHANISMS)}"
            if keyword == "8BITMIME" and not self.smtputf8:
                continue
            kept.append(line)
        return kept

    def auth_refusal(self, session: Any) -> Any:
        """The reply refusing an AUTH command now, or aiosmtpd's ``MISSING`` to let it proceed."""
        if self.authenticator is None:
            return REFUSE_NO_CREDENTIALS
        if session.ssl is None and not self.allow_plaintext_auth:
            return REFUSE_PLAINTEXT_AUTH
        return MISSING

    def arrival(self, session: Any) -> dict[str, Any]:
        """How a message arrived, for :class:`~SMTPLibrary.core.message.ReceivedMessage`."""
        facts: dict[str, Any] = {"authenticated_as": session.auth_data if session.authenticated else None}
        ssl_object = session.ssl.get("ssl_object") if session.ssl else None
        facts["tls"] = describe_tls(ssl_object, self.tls) if ssl_object is not None else None
        return facts

    def describe(self) -> str:
        """The settings in words, for a log (no passwords)."""
        parts = []
        if self.tls == "starttls":
            parts.append("STARTTLS" + (" required" if self.require_tls else ""))
        elif self.tls == "implicit":
            parts.append("implicit TLS")
        if self.authenticator is not None:
            plain = ", also without TLS" if self.allow_plaintext_auth else ""
            needed = "required" if self.auth_required else "accepted"
            parts.append(f"login {needed} for {', '.join(self.users)}{plain}")
        return "; ".join(parts)


class _Session(Session):
    # aiosmtpd sets the deprecated login_data at every login, and its setter
    # logs a warning each time: keep the value, drop the noise.
    login_data = property(lambda self: self._login, lambda self, value: setattr(self, "_login", value))

    def __init__(self, loop: Any) -> None:
        super().__init__(loop)
        self._login = None


class SecureSMTP(SMTP):
    """aiosmtpd's ``SMTP`` with the :class:`Security` of its server applied."""

    def __init__(self, handler: Any, *, security: Security | None = None, **kwargs: Any) -> None:
        super().__init__(handler, **kwargs)
        self.security = security if security is not None else Security()

    def _create_session(self) -> Session:
        return _Session(self.loop)

    def connection_made(self, transport: Any) -> None:
        super().connection_made(transport)
        session = self.session
        if session is not None and session.ssl is None:
            # Implicit TLS: the handshake is done before the protocol hears of
            # the connection, and aiosmtpd only fills session.ssl for STARTTLS.
            ssl_object = transport.get_extra_info("ssl_object")
            if ssl_object is not None:
                session.ssl = {key: transport.get_extra_info(key) for key in ("sslcontext", "peercert", "cipher")}
                session.ssl["ssl_object"] = ssl_object

    async def check_auth_needed(self, caller_method: str) -> bool:
        if self.security.auth_required and not self.session.authenticated:
            await self.push(REFUSE_UNAUTHENTICATED)
            return True
        return await super().check_auth_needed(caller_method)

    async def handle_exception(self, error: Exception) -> str:
        if isinstance(error, TLSSetupException):
            # The client gave up the handshake (it does not trust the certificate,
            # say): its failure, not the server's. aiosmtpd closes the connection.
            return "454 4.7.0 TLS handshake failed"
        return await super().handle_exception(error)
