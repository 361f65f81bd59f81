"""TLS for the test server: certificates made on the spot, and what a connection negotiated.

Without a certificate of the user's, the server presents one for
``localhost``, ``127.0.0.1`` and ``::1``, issued by a test CA that ``trustme``
makes the first time a TLS server starts in this process. The CA, the
certificate and the server's ``SSLContext`` are then reused, so later TLS
servers start as fast as plain ones. The CA certificate is written to a PEM
file in a temporary directory of this process, removed when it exits:
clients load it to verify the server instead of turning verification off.
"""

from __future__ import annotations

import atexit
import shutil
import ssl
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..errors import InvalidArgument

MODES = ("none", "starttls", "implicit")
IDENTITIES = ("localhost", "127.0.0.1", "::1")


class Certificate:
    """A server ``SSLContext`` for :data:`IDENTITIES`, and the PEM file of the CA that issued it.

    ``configure`` loads the certificate into another context (see :func:`limited_context`)."""

    def __init__(
        self, context: ssl.SSLContext, ca_certificate: str, configure: Callable[[ssl.SSLContext], None] | None = None
    ) -> None:
        self.context = context
        self.ca_certificate = ca_certificate
        self.configure = configure


_lock = threading.Lock()
_cached: Certificate | None = None
_directory: str | None = None
_written = 0


def default_certificate() -> Certificate:
    """The process's test certificate, made on first use."""
    global _cached
    with _lock:
        if _cached is None:
            _cached = _make_default_certificate()
        return _cached


def clear_cache() -> None:
    """Forget the test CA and certificate: the next TLS server makes new ones.

    CA files already handed out stay on disk until the process exits, so a
    running server's :attr:`~SMTPServer.ca_certificate` keeps working."""
    global _cached
    with _lock:
        _cached = None


def _make_default_certificate() -> Certificate:
    # trustme pulls in cryptography: about 0.1 s, paid only by TLS users.
    import trustme

    authority = trustme.CA(organization_name="SMTPLibrary")
    certificate = authority.issue_cert(*IDENTITIES)
    context = server_context()
    certificate.configure_cert(context)
    path = _new_file("smtplibrary-test-ca-{}.pem")
    authority.cert_pem.write_to_path(str(path))
    return Certificate(context, str(path), certificate.configure_cert)


def _new_file(pattern: str) -> Path:
    global _directory, _written
    if _directory is None:
        _directory = tempfile.mkdtemp(prefix="smtplibrary-tls-")
        atexit.register(shutil.rmtree, _directory, ignore_errors=True)
    _written += 1
    return Path(_directory) / pattern.format(_written)


def server_context() -> ssl.SSLContext:
    """A server-side context with Python's secure defaults (TLS 1.2 or newer), no client certificates."""
    return ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)


def user_context(certificate: str, key: str | None) -> ssl.SSLContext:
    """A server context presenting the user's PEM ``certificate`` (and ``key``, when not in the same file).

    Loaded here, in the caller's thread, so that a wrong file fails the start with its name."""
    context = server_context()
    for name, path in (("certificate", certificate), ("key", key)):
        if path is not None and not Path(path).is_file():
            raise InvalidArgument(f"The {name} file '{path}' does not exist.")

    def no_passphrase() -> str:
        # Without this, OpenSSL would ask for the passphrase on the terminal and the test run would hang.
        raise InvalidArgument(f"The key in '{key or certificate}' is encrypted: give a key without a passphrase.")

    try:
        context.load_cert_chain(certificate, key, password=no_passphrase)
    except (ssl.SSLError, OSError) as error:
        files = f"'{certificate}'" + (f" and key '{key}'" if key else "")
        reason = getattr(error, "reason", None) or error.strerror or str(error)
        raise InvalidArgument(f"Cannot use certificate {files}: {reason}.") from None
    return context


def limited_context(certificate: Certificate, minimum: str | None, maximum: str | None) -> ssl.SSLContext:
    """A context of its own presenting ``certificate``, accepting only TLS versions from ``minimum``
    to ``maximum`` (``'TLSv1.2'``, ``'TLSv1.3'``; ``None``: no limit that side).

    The default certificate's context is shared by every server of the process: limits set on it
    would reach them all."""
    if certificate.configure is None:
        raise InvalidArgument("This certificate cannot be loaded into another context.")
    context = server_context()
    certificate.configure(context)
    limit_versions(context, minimum, maximum)
    return context


def limit_versions(context: ssl.SSLContext, minimum: str | None, maximum: str | None) -> None:
    """Accept only TLS versions from ``minimum`` to ``maximum`` (names as ``ssl.TLSVersion`` spells
    them with a dot: ``'TLSv1.3'``) on ``context``, a context of this server's own."""
    if minimum is not None:
        context.minimum_version = ssl.TLSVersion[minimum.replace(".", "_")]
    if maximum is not None:
        context.maximum_version = ssl.TLSVersion[maximum.replace(".", "_")]


def describe(ssl_object: Any, mode: str) -> dict[str, Any]:
    """What a connection negotiated: ``{'version': 'TLSv1.3', 'cipher': ..., 'bits': 256, 'mode': 'starttls'}``."""
    name, _protocol, bits = ssl_object.cipher()
    return {"version": ssl_object.version(), "cipher": name, "bits": bits, "mode": mode}
