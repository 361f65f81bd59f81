"""TLS for the test server: certificates made on the spot, and what a connection negotiated.

Without a certificate of the user's, the server presents one for
``localhost``, ``127.0.0.1`` and ``::1``, issued by a test CA that ``trustme``
makes the first time a TLS server starts in this process (the certificate
itself is made here: see :func:`issue_certificate`). The CA, the
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
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from ..errors import InvalidArgument

IDENTITIES = ("localhost", "127.0.0.1", "::1")


class Certificate:
    """A server ``SSLContext`` for :data:`IDENTITIES`, and the PEM file of the CA that issued it.

    ``authority`` is the trustme CA behind the test certificate, which issues its faulty variants;
    ``configure`` loads the certificate into another context (see :func:`limited_context`)."""

    def __init__(
        self,
        context: ssl.SSLContext,
        ca_certificate: str,
        authority: Any = None,
        configure: Callable[[ssl.SSLContext], None] | None = None,
    ) -> None:
        self.context = context
        self.ca_certificate = ca_certificate
        self.authority = authority
        self.configure = configure
        self.variants: dict[str, Certificate] = {}


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
    running server's :attr:`~SMTPLibrary.SMTPServer.ca_certificate` keeps working."""
    global _cached
    with _lock:
        _cached = None


def _make_default_certificate() -> Certificate:
    # trustme pulls in cryptography: about 0.1 s, paid only by TLS users.
    import trustme

    authority = trustme.CA(organization_name="SMTPLibrary")
    certificate = issue_certificate(authority, IDENTITIES)
    context = server_context()
    certificate.configure_cert(context)
    path = _new_file("smtplibrary-test-ca-{}.pem")
    authority.cert_pem.write_to_path(str(path))
    return Certificate(context, str(path), authority, certificate.configure_cert)


def issue_certificate(authority: Any, identities: Sequence[str]) -> Any:
    """A server certificate (a ``trustme.LeafCert``) for ``identities``, issued by ``authority`` (a ``trustme.CA``).

    An IP address is named twice: as an iPAddress entry, which RFC 6125 asks
    clients to check and Python, OpenSSL, curl, Node and Java's own check do,
    and as a dNSName entry, the only kind that Jakarta Mail 2.0 (on JDK 9 and
    newer) and s-nail compare a host with, even an address. Each client
    ignores the entry it does not check. trustme cannot write the second
    kind (it turns every address into an iPAddress), so the certificate is
    built here with ``cryptography``, shaped as trustme shapes its own."""
    import datetime
    import ipaddress

    import trustme
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID

    names: list[x509.GeneralName] = []
    for identity in identities:
        try:
            names.append(x509.IPAddress(ipaddress.ip_address(identity)))
        except ValueError:
            pass
        names.append(x509.DNSName(identity))
    ca_certificate = x509.load_pem_x509_certificate(authority.cert_pem.bytes())
    ca_key = serialization.load_pem_private_key(authority.private_key_pem.bytes(), password=None)
    key = ec.generate_private_key(ec.SECP256R1())
    now = datetime.datetime.now(datetime.timezone.utc)
    ca_key_id = ca_certificate.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
    certificate = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(x509.NameOID.ORGANIZATION_NAME, "SMTPLibrary test server")]))
        .issuer_name(ca_certificate.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        # Key identifiers: Python 3.13's default VERIFY_X509_STRICT wants them. Key usage: digital
        # signature and key encipherment only, as trustme's own certificates have.
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ca_key_id), critical=False)
        .add_extension(x509.SubjectAlternativeName(names), critical=True)
        .add_extension(x509.KeyUsage(True, False, True, False, False, False, False, False, False), critical=True)
        .add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.CLIENT_AUTH]), critical=True
        )
        .sign(ca_key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL, serialization.NoEncryption()
    )
    return trustme.LeafCert(key_pem, certificate.public_bytes(serialization.Encoding.PEM), [])


def _new_file(pattern: str) -> Path:
    global _directory, _written
    if _directory is None:
        _directory = tempfile.mkdtemp(prefix="smtplibrary-tls-")
        atexit.register(shutil.rmtree, _directory, ignore_errors=True)
    _written += 1
    return Path(_directory) / pattern.format(_written)


# What a server presents with certificate=...: the test certificate, or one with exactly one
# defect, for a test to see whether the application under test notices it.
TEST_CERTIFICATES = ("trusted", "untrusted", "wrong_host", "expired")
WRONG_HOST = "wrong-host.smtplibrary.invalid"


def test_certificate(kind: str) -> Certificate:
    """The process's test certificate (``trusted``), or a variant with one defect, made on first use:
    ``untrusted`` (issued by another CA than the one whose file the server hands out),
    ``wrong_host`` (by the test CA, for :data:`WRONG_HOST` only) or ``expired`` (by the test CA,
    valid until yesterday). Every variant's ``ca_certificate`` is the test CA's file."""
    base = default_certificate()
    if kind == "trusted":
        return base
    with _lock:
        made = base.variants.get(kind)
        if made is None:
            made = base.variants[kind] = _issue_variant(base, kind)
        return made


def _issue_variant(base: Certificate, kind: str) -> Certificate:
    import datetime

    import trustme

    if kind == "untrusted":
        issued = trustme.CA(organization_name="SMTPLibrary untrusted").issue_cert(*IDENTITIES)
    elif kind == "wrong_host":
        issued = base.authority.issue_cert(WRONG_HOST)
    elif kind == "expired":
        now = datetime.datetime.now(datetime.timezone.utc)
        issued = base.authority.issue_cert(
            *IDENTITIES, not_before=now - datetime.timedelta(days=30), not_after=now - datetime.timedelta(days=1)
        )
    else:
        raise InvalidArgument(f"certificate must be one of {', '.join(TEST_CERTIFICATES)} or a PEM file, got {kind!r}.")
    context = server_context()
    issued.configure_cert(context)
    return Certificate(context, base.ca_certificate, configure=issued.configure_cert)


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
