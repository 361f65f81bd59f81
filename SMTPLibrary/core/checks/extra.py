"""The packages the message checks need, which the ``checks`` extra installs, and the error
when they are missing.

They are optional so that a user who never checks a message installs none of them:
``import SMTPLibrary``, ``Library    SMTPLibrary``, the pytest plugin and the behave
steps work without them, and a check fails at its first use, naming the command that
installs them. Why each one (the measured facts are in the project's design notes):

* dkimpy: DKIM and ARC verification, with a DNS function of ours, so no query leaves the process;
* dnspython: dkimpy imports it (and never gets to use it here);
* PyNaCl: dkimpy's ed25519-sha256;
* pyspf: the whole of RFC 7208's evaluation (include, redirect, mx, ptr, macros, limits);
* publicsuffixlist: organisational domains for DMARC, from the list bundled in the package;
* cryptography: DKIM key pairs (it comes with trustme, a dependency already).
"""

from __future__ import annotations

import importlib
import threading

from ..errors import MissingExtra

INSTALL = "pip install robotframework-smtplibrary[checks]"
# Import name -> distribution name.
PACKAGES = {
    "dkim": "dkimpy",
    "dns": "dnspython",
    "nacl": "PyNaCl",
    "spf": "pyspf",
    "publicsuffixlist": "publicsuffixlist",
    "cryptography": "cryptography",
}

_lock = threading.Lock()
_installed = False


def missing() -> list[str]:
    """The distributions of :data:`PACKAGES` that cannot be imported."""
    absent = []
    for module, distribution in PACKAGES.items():
        try:
            importlib.import_module(module)
        except ImportError:
            absent.append(distribution)
    return absent


def require_extra() -> None:
    """Raise :class:`MissingExtra` unless every package the checks use is installed.

    Looked for once per process: once they are there, this costs nothing."""
    global _installed
    if _installed:
        return
    with _lock:
        absent = missing()
        if absent:
            raise MissingExtra(
                f"Message checks need {', '.join(absent)}, which {'is' if len(absent) == 1 else 'are'} not installed. "
                f"Install them with: {INSTALL}"
            )
        _installed = True
