"""Signers this project did not write, driven from tests: OpenDKIM (Debian package ``opendkim``: its
milter binary's test mode, ``opendkim -t``, signs or verifies a message file) and nodemailer (npm,
installed into itest/node by .ci/node-clients)."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import node_clients

NODE = node_clients.PROJECT
_INSERTED = re.compile(r"### INSHEADER: idx=\d+ hname='([^']*)' hvalue='([^']*)'", re.S)


def install_nodemailer() -> None:
    """nodemailer at the version its lockfile pins (nothing to do when it is there already)."""
    node_clients.node()


def _opendkim(config: Path, message: Path) -> str:
    done = subprocess.run(
        ["opendkim", "-x", str(config), "-t", str(message), "-vv"], capture_output=True, text=True, timeout=30
    )
    return done.stdout + done.stderr


def opendkim_sign(
    raw: bytes,
    key_path: str,
    domain: str,
    selector: str,
    folder: Path,
    *,
    canonicalization: str = "relaxed/simple",
    algorithm: str = "rsa-sha256",
) -> bytes:
    """``raw`` with the DKIM-Signature OpenDKIM's test mode adds, prepended.

    ``RequireSafeKeys no``: test folders live under /tmp, which others may write (OpenDKIM then
    refuses the key, naming the configuration file in its message)."""
    folder.mkdir(parents=True, exist_ok=True)
    message = folder / "message.eml"
    message.write_bytes(raw)
    config = folder / "opendkim.conf"
    config.write_text(
        f"Mode s\nDomain {domain}\nSelector {selector}\nKeyFile {key_path}\nCanonicalization {canonicalization}\n"
        f"SignatureAlgorithm {algorithm}\nRequireSafeKeys no\nSyslog no\n"
    )
    output = _opendkim(config, message)
    found = _INSERTED.search(output)
    assert found is not None, f"opendkim did not sign: {output}"
    name, value = found.groups()
    return f"{name}: {value}".replace("\n", "\r\n").encode("ascii") + b"\r\n" + raw


def opendkim_verify(raw: bytes, keys: dict[str, str], folder: Path, authserv_id: str = "mx.test") -> str:
    """The Authentication-Results value OpenDKIM's verifier adds, reading public keys from ``keys``
    (``{'sel._domainkey.example.com': 'v=DKIM1; k=rsa; p=...'}``) instead of DNS."""
    folder.mkdir(parents=True, exist_ok=True)
    message = folder / "verify.eml"
    message.write_bytes(raw)
    table = folder / "keys.txt"
    table.write_text("".join(f"{name} {record}\n" for name, record in keys.items()))
    config = folder / "verify.conf"
    config.write_text(f"Mode v\nSyslog no\nTestPublicKeys {table}\nAuthservID {authserv_id}\n")
    output = _opendkim(config, message)
    for name, value in _INSERTED.findall(output):
        if name == "Authentication-Results":
            return " ".join(value.split())
    raise AssertionError(f"opendkim added no Authentication-Results: {output}")


def nodemailer(mail: dict, dkim: dict | None = None, port: int | None = None) -> bytes:
    """A message composed by nodemailer, signed when ``dkim`` is given (``{'domainName', 'keySelector',
    'privateKeyPath'}``): its bytes, or, with ``port``, what the server replied once it was sent there."""
    argument = json.dumps({"mail": mail, "dkim": dkim, "port": port})
    done = subprocess.run(
        [node_clients.node(), str(NODE / "sign.mjs"), argument], capture_output=True, timeout=60, cwd=NODE
    )
    assert done.returncode == 0, f"nodemailer failed: {done.stderr.decode(errors='replace')}"
    return done.stdout
