"""The options of an SMTP server: the one list that every way of starting one builds from.

The Robot keyword ``Start SMTP Server`` takes these fields as its arguments
(after ``alias``), the behave fixtures, the Python API and the pytest
plugin take them as keyword arguments, and ``smtplibrary serve`` makes a
command-line option of each one it offers. Every value is checked here,
once, in the caller's thread: the server's event loop never meets a bad one.
"""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass, field
from typing import Any

from ..errors import InvalidArgument
from ..values import port_number, refuse_misnamed, whole_number
from .credentials import MECHANISMS, Users, parse_credentials
from .tls import TEST_CERTIFICATES

DEFAULT_HOST = "127.0.0.1"
DEFAULT_SERVER_HOSTNAME = "localhost"
DEFAULT_SIZE_LIMIT = 33554432  # 32 MiB, aiosmtpd's default
TLS_MODES = ("none", "starttls", "implicit")
TLS_VERSIONS = ("TLSv1.2", "TLSv1.3")
# What the server can leave out of its EHLO reply: every extension it offers, and each AUTH mechanism.
EXTENSIONS = ("PIPELINING", "SIZE", "8BITMIME", "SMTPUTF8", "STARTTLS", "AUTH")
HIDEABLE = (*EXTENSIONS, *(f"AUTH={mechanism}" for mechanism in sorted(MECHANISMS)))


def tls_mode(tls: object) -> str:
    """``tls`` as one of :data:`TLS_MODES` (case ignored): how a server, SMTP, IMAP or POP3, offers TLS."""
    mode = tls.lower() if isinstance(tls, str) else tls
    if mode not in TLS_MODES:
        raise InvalidArgument(f"tls must be one of {', '.join(TLS_MODES)}, got {tls!r}.")
    return mode


def _help(text: str, **more: Any) -> dict[str, Any]:
    # The one-line description of an option, as `smtplibrary serve --help` shows it.
    return {"help": text, **more}


@dataclass(frozen=True)
class ServerOptions:
    """How a server listens, what it offers and where it keeps mail. See the keyword
    ``Start SMTP Server`` in the keyword reference for each option in full."""

    host: str = field(default=DEFAULT_HOST, metadata=_help("address to listen on"))
    port: int = field(default=0, metadata=_help("port to listen on, 0 for a free one"))
    tls: str = field(
        default="none",
        metadata=_help("none, starttls (offered) or implicit (TLS from the first byte)", choices=TLS_MODES),
    )
    require_tls: bool = field(default=False, metadata=_help("refuse mail sent before STARTTLS with 530"))
    certificate: str | None = field(
        default="trusted",
        metadata=_help(
            "the test certificate (trusted), one with a defect (untrusted, wrong_host, expired), "
            "or the PEM file of the server's own",
            metavar="KIND|FILE",
        ),
    )
    key: str | None = field(
        default=None, metadata=_help("PEM file of the private key of a certificate FILE", metavar="FILE")
    )
    # Shown nowhere: it holds passwords. Compared through the users it names (see users).
    credentials: Any = field(
        default=None,
        repr=False,
        compare=False,
        metadata=_help("users who may log in (AUTH PLAIN and LOGIN)", list=True, metavar="USER:PASSWORD"),
    )
    auth_required: bool = field(default=False, metadata=_help("refuse mail sent before logging in with 530"))
    allow_plaintext_auth: bool = field(default=False, metadata=_help("accept logins on unencrypted connections too"))
    size_limit: int = field(
        default=DEFAULT_SIZE_LIMIT, metadata=_help("largest message in bytes, advertised as SIZE; 0: no limit")
    )
    smtputf8: bool = field(default=True, metadata=_help("advertise SMTPUTF8 and 8BITMIME"))
    max_messages: int | None = field(default=None, metadata=_help("keep only this many messages in memory, the newest"))
    maildir: str | None = field(
        default=None, metadata=_help("also write every message to this Maildir (created if missing)", metavar="DIR")
    )
    mbox: str | None = field(
        default=None, metadata=_help("also append every message to this mbox file", metavar="FILE")
    )
    latest: str | None = field(
        default=None, metadata=_help("keep the newest message in FILE, replaced by each new one", metavar="FILE")
    )
    server_hostname: str = field(
        default=DEFAULT_SERVER_HOSTNAME, metadata=_help("the name the server gives in its greeting", metavar="NAME")
    )
    hide_extensions: str | list[str] | None = field(
        default=None,
        metadata=_help(
            f"do not offer these ESMTP extensions ({', '.join(HIDEABLE)}), and refuse their commands "
            "as a server without them does",
            list=True,
            metavar="EXTENSION",
        ),
    )
    tls_min_version: str | None = field(
        default=None, metadata=_help("the oldest TLS version the server accepts", choices=TLS_VERSIONS)
    )
    tls_max_version: str | None = field(
        default=None, metadata=_help("the newest TLS version the server accepts", choices=TLS_VERSIONS)
    )
    users: Users | None = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        set_ = object.__setattr__  # frozen: values are normalised once, here
        _text("host", self.host)
        # Start SMTP Server    timeout=10: a misspelled option lands in host, the first argument.
        refuse_misnamed(self.host, "host", self.names())
        port_number(self.port)
        mode = tls_mode(self.tls)
        set_(self, "tls", mode)
        for name in ("require_tls", "auth_required", "allow_plaintext_auth", "smtputf8"):
            if not isinstance(getattr(self, name), bool):
                raise InvalidArgument(f"{name} must be True or False, got {getattr(self, name)!r}.")
        if self.require_tls and mode == "none":
            raise InvalidArgument("require_tls=True needs tls='starttls' (with 'implicit' every connection is TLS).")
        self._check_certificate(mode)
        if self.size_limit is None:
            set_(self, "size_limit", 0)
        whole_number(self.size_limit, "size_limit must be a number of bytes, 0 for no limit")
        if self.max_messages is not None:
            whole_number(
                self.max_messages, "max_messages must be a positive number of messages, or None for no limit", 1
            )
        for name in ("maildir", "mbox", "latest"):
            value = getattr(self, name)
            if value is not None and not isinstance(value, (str, os.PathLike)):
                raise InvalidArgument(f"{name} must be a path, got {type(value).__name__} {value!r}.")
        _text("server_hostname", self.server_hostname)
        users = Users(parse_credentials(self.credentials)) if self.credentials is not None else None
        if self.auth_required and users is None:
            raise InvalidArgument("auth_required=True needs credentials: the users who may log in.")
        set_(self, "users", users)
        hidden = hidden_extensions(self.hide_extensions)
        set_(self, "hide_extensions", hidden)
        if self.require_tls and "STARTTLS" in hidden:
            raise InvalidArgument(
                "require_tls=True cannot go with hiding STARTTLS: no client could ever send mail. Leave one out."
            )
        if self.auth_required and auth_hidden(hidden):
            raise InvalidArgument(
                "auth_required=True cannot go with hiding AUTH (or every AUTH mechanism): no client could ever "
                "log in and send mail. Leave one out."
            )
        for name in ("tls_min_version", "tls_max_version"):
            version = tls_version(name, getattr(self, name))
            if version is not None and mode == "none":
                raise InvalidArgument(f"{name} needs tls='starttls' or tls='implicit'.")
            set_(self, name, version)
        if (
            self.tls_min_version
            and self.tls_max_version
            and TLS_VERSIONS.index(self.tls_min_version) > TLS_VERSIONS.index(self.tls_max_version)
        ):
            raise InvalidArgument(
                f"tls_min_version={self.tls_min_version!r} is newer than tls_max_version={self.tls_max_version!r}: "
                "no TLS version would be left."
            )

    def _check_certificate(self, mode: str) -> None:
        """``certificate``: one of :data:`TEST_CERTIFICATES` (any case; ``None`` is ``trusted``) or a file."""
        certificate = "trusted" if self.certificate is None else self.certificate
        if isinstance(certificate, os.PathLike):
            certificate = os.fspath(certificate)
        _text("certificate", certificate)
        word = certificate.strip().lower() in TEST_CERTIFICATES
        if word:
            certificate = certificate.strip().lower()
            object.__setattr__(self, "certificate", certificate)
        if mode == "none":
            if not word or self.key is not None:
                raise InvalidArgument("certificate and key need tls='starttls' or tls='implicit'.")
            if certificate != "trusted":
                raise InvalidArgument(f"certificate={certificate} needs tls='starttls' or tls='implicit'.")
        if self.key is not None and word:
            if certificate == "trusted":
                raise InvalidArgument("key needs certificate: the PEM file of the certificate it belongs to.")
            raise InvalidArgument(
                f"key goes with a certificate file only: certificate={certificate} is a test certificate "
                "with a key of its own."
            )
        looks_like_a_word = not any(mark in certificate for mark in "./\\")
        if not word and looks_like_a_word and not os.path.exists(certificate):
            raise InvalidArgument(
                f"certificate {certificate!r} is neither a file nor one of {', '.join(TEST_CERTIFICATES)}."
            )

    @property
    def certificate_file(self) -> str | None:
        """The PEM file of the server's own certificate; ``None`` for a test certificate."""
        return None if self.certificate in TEST_CERTIFICATES else self.certificate

    @classmethod
    def names(cls) -> list[str]:
        """The options, in the order the keyword takes them."""
        return [option.name for option in dataclasses.fields(cls) if option.init]

    @classmethod
    def build(cls, options: dict[str, Any]) -> ServerOptions:
        """Options from keyword arguments; a name that is no option fails naming the ones there are."""
        unknown = [name for name in options if name not in cls.names()]
        if unknown:
            raise InvalidArgument(
                f"Unknown server option{'s' if len(unknown) > 1 else ''} {', '.join(map(repr, unknown))}: "
                f"expected one of {', '.join(cls.names())}."
            )
        return cls(**options)

    def differences(self, other: ServerOptions) -> list[str]:
        """The names of the options that differ (credentials compared by the users they allow)."""

        def value(options: ServerOptions, name: str) -> Any:
            return options.users if name == "credentials" else getattr(options, name)

        return [name for name in self.names() if value(self, name) != value(other, name)]


def hidden_extensions(value: object) -> tuple[str, ...]:
    """``hide_extensions`` as the names of :data:`HIDEABLE`, in that order: from a list of names or
    a string of them separated by commas, case ignored (``auth plain`` is ``AUTH=PLAIN``)."""
    if value is None:
        return ()
    if isinstance(value, str):
        items: list[object] = [value]
    elif isinstance(value, (list, tuple, set, frozenset)):
        items = list(value)
    else:
        raise InvalidArgument(
            f"hide_extensions must be a list of extensions or a string of them separated by commas, "
            f"got {type(value).__name__} {value!r}."
        )
    names = set()
    for item in items:
        if not isinstance(item, str):
            raise InvalidArgument(f"hide_extensions must name extensions as strings, got {item!r}.")
        for part in item.split(","):
            name = "=".join(part.strip().upper().replace("=", " ").split())
            if not name:
                continue
            if name not in HIDEABLE:
                raise InvalidArgument(
                    f"Cannot hide '{part.strip()}': hide_extensions takes {', '.join(HIDEABLE)} "
                    "(what this server can offer)."
                )
            names.add(name)
    return tuple(name for name in HIDEABLE if name in names)


def auth_hidden(hidden: tuple[str, ...]) -> bool:
    """Whether no AUTH is left to offer: AUTH itself, or every mechanism, is hidden."""
    return "AUTH" in hidden or all(f"AUTH={mechanism}" in hidden for mechanism in MECHANISMS)


def tls_version(name: str, value: object) -> str | None:
    """A TLS version as :data:`TLS_VERSIONS` spells it (``tlsv1.3`` is ``TLSv1.3``), or ``None``."""
    if value is None:
        return None
    for version in TLS_VERSIONS:
        if isinstance(value, str) and value.strip().lower() == version.lower():
            return version
    raise InvalidArgument(f"{name} must be one of {', '.join(TLS_VERSIONS)}, got {value!r}.")


def _text(name: str, value: object) -> None:
    if not isinstance(value, str):
        raise InvalidArgument(f"{name} must be a string, got {type(value).__name__} {value!r}.")
