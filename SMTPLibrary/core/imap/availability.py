"""Whether the IMAP and POP3 view can run here, said in one sentence when it cannot.

Checked without importing pymap (about 100 ms): ``import SMTPLibrary`` and
``Library    SMTPLibrary`` never pay for it; a server that starts does.
"""

from __future__ import annotations

import sys
from importlib.metadata import PackageNotFoundError, version

from ..errors import SMTPLibraryError

PYMAP_VERSION = "0.36.7"
INSTALL = "pip install 'robotframework-smtplibrary[imap]'"


class IMAPUnavailable(SMTPLibraryError, RuntimeError):
    """The IMAP and POP3 view cannot run: too old a Python, or pymap missing."""


def missing_imap() -> str | None:
    """Why the view cannot run here (one sentence), or ``None`` when it can."""
    if sys.version_info < (3, 11):
        found = ".".join(map(str, sys.version_info[:3]))
        return (
            f"The IMAP and POP3 view needs Python 3.11 or newer (its server, pymap, does); this is Python {found}. "
            "Everything else in SMTPLibrary works on it."
        )
    try:
        installed = version("pymap")
    except PackageNotFoundError:
        return f"The IMAP and POP3 view needs pymap {PYMAP_VERSION}, which is not installed: {INSTALL}."
    if installed != PYMAP_VERSION:
        return (
            f"The IMAP and POP3 view is built for pymap {PYMAP_VERSION}, but pymap {installed} is installed: {INSTALL}."
        )
    return None


# Set once the view was found able to run: reading the installed version costs about 1.5 ms,
# as much as starting the IMAP server itself.
_ready = False


def require_imap() -> None:
    """Raise :class:`IMAPUnavailable` saying what to install, when the view cannot run here."""
    global _ready
    if _ready:
        return
    reason = missing_imap()
    if reason is not None:
        raise IMAPUnavailable(reason)
    _ready = True
