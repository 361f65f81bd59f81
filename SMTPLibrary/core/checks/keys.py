"""DKIM key pairs made with ``cryptography``, their public half published in a test DNS.

What the signers measured take as the private key (dkimpy 1.1.8, OpenDKIM
2.11.0~beta2 from Debian 12, nodemailer 10.6.1):

=================  ============================================  ==========================================
algorithm          :attr:`DKIMKey.private_key` (PKCS#8 PEM)      :attr:`DKIMKey.private_key_base64`
=================  ============================================  ==========================================
rsa-sha256         dkimpy, OpenDKIM, nodemailer                  (empty)
ed25519-sha256     OpenDKIM (``KeyFile``)                        dkimpy: the base64 of the raw 32-byte seed
=================  ============================================  ==========================================

dkimpy refuses the ed25519 PEM, OpenDKIM the raw seed; nodemailer signs with
RSA only (given an ed25519 key it sends the message unsigned, without a word).
dkimpy's own key tool shells out to a fixed ``openssl`` path, hence ``cryptography``.
"""

from __future__ import annotations

import atexit
import base64
import itertools
import os
import shutil
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import InvalidArgument
from .zone import Record, TestDNS, normalise_name

ALGORITHMS = ("rsa-sha256", "ed25519-sha256")
RSA_BITS = 2048


@dataclass(frozen=True)
class DKIMKey:
    """A DKIM key pair and where its public half is published."""

    domain: str
    selector: str
    algorithm: str
    private_key: str = field(repr=False)  # PKCS#8 PEM
    private_key_path: str
    dns_record: str  # the TXT value: v=DKIM1; k=...; p=...
    public_key: str = field(repr=False)  # base64, the p= value
    private_key_base64: str = field(repr=False, default="")  # ed25519: base64 of the 32-byte seed

    @property
    def dns_name(self) -> str:
        """Where :attr:`dns_record` is published: ``selector._domainkey.domain``."""
        return _dns_name(self.selector, self.domain)

    @property
    def dkimpy_private_key(self) -> bytes:
        """The key in the form dkimpy's ``sign`` and ``arc_sign`` take."""
        if self.algorithm == "ed25519-sha256":
            return self.private_key_base64.encode("ascii")
        return self.private_key.encode("ascii")

    def revoked_record(self) -> str:
        """The TXT value that revokes this key (RFC 6376 3.6.1: ``p=`` empty)."""
        return _record(self.algorithm, "")

    def as_fields(self) -> dict[str, Any]:
        """The key as plain values (for Robot's Remote interface)."""
        return {
            "domain": self.domain,
            "selector": self.selector,
            "algorithm": self.algorithm,
            "private_key": self.private_key,
            "private_key_path": self.private_key_path,
            "private_key_base64": self.private_key_base64,
            "public_key": self.public_key,
            "dns_name": self.dns_name,
            "dns_record": self.dns_record,
        }


def create_dkim_key(
    domain: str,
    selector: str = "test",
    algorithm: str = "rsa-sha256",
    *,
    dns: TestDNS | None = None,
    directory: str | os.PathLike | None = None,
) -> DKIMKey:
    """Make a key pair, write its private key to a PEM file (mode 0600) and, given ``dns``,
    publish its public key there, in place of any key published at that selector before.

    The file goes into ``directory``, or into a directory of this process removed when it exits."""
    # cryptography costs about 0.1 s to import: paid by those who make keys, when they do.
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ed25519, rsa

    word = str(algorithm).strip().lower()
    if word not in ALGORITHMS:
        raise InvalidArgument(f"algorithm must be one of {', '.join(ALGORITHMS)}, got {algorithm!r}.")
    domain, selector = normalise_name(domain), normalise_name(selector)
    private: Any
    if word == "rsa-sha256":
        private = rsa.generate_private_key(public_exponent=65537, key_size=RSA_BITS)
        public = private.public_key().public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        seed = b""
    else:
        private = ed25519.Ed25519PrivateKey.generate()
        public = private.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        seed = private.private_bytes(
            serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
        )
    pem = private.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode("ascii")
    public_b64 = base64.b64encode(public).decode("ascii")
    key = DKIMKey(
        domain=domain,
        selector=selector,
        algorithm=word,
        private_key=pem,
        private_key_path=str(_write(pem, _dns_name(selector, domain), directory)),
        dns_record=_record(word, public_b64),
        public_key=public_b64,
        private_key_base64=base64.b64encode(seed).decode("ascii"),
    )
    if dns is not None:
        publish(key, dns)
    return key


def publish(key: DKIMKey, dns: TestDNS) -> Record:
    """Publish ``key`` in ``dns`` at its selector, in place of any key published there before."""
    dns.remove(key.dns_name, "TXT")
    return dns.add(key.dns_name, "TXT", key.dns_record)


def _dns_name(selector: str, domain: str) -> str:
    return f"{selector}._domainkey.{domain}"


def _record(algorithm: str, public_key: str) -> str:
    """The TXT value publishing ``public_key`` (base64) of ``algorithm``; '' revokes the key."""
    return f"v=DKIM1; k={'ed25519' if algorithm == 'ed25519-sha256' else 'rsa'}; p={public_key}"


_lock = threading.Lock()
_numbers = itertools.count(1)
_directory: str | None = None


def _write(pem: str, name: str, directory: str | os.PathLike | None) -> Path:
    """A new file holding ``pem``, readable by its owner only. Numbered: a key made again for the
    same selector never overwrites the file an application may still be reading."""
    global _directory
    with _lock:
        number = next(_numbers)
        if directory is None:
            if _directory is None:
                _directory = tempfile.mkdtemp(prefix="smtplibrary-dkim-")
                atexit.register(shutil.rmtree, _directory, ignore_errors=True)
            directory = _directory
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}-{number}.pem"
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="ascii") as handle:
        handle.write(pem)
    return path
