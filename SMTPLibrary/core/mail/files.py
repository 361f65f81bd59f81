"""Writing what came in a mail to disk: file names that cannot escape their
directory, and messages saved byte for byte.

A file name in a mail is written by whoever sent it. Before it names a file
it loses everything that could point elsewhere or mean something special to
a file system, on any platform the test may run on: directories (``../``,
``/etc/``, ``C:\\``), NUL and control characters, characters Windows
forbids, Windows device names (``CON``, ``NUL``, ``COM1``...), trailing dots
and spaces, invisible direction overrides. A name without any of these
(non-ASCII letters and spaces included) is kept exactly.
"""

from __future__ import annotations

import hashlib
import os
import re
import unicodedata
from pathlib import Path

from ..errors import InvalidArgument

MAX_NAME_BYTES = 255
DEFAULT_NAME = "attachment"

_FORBIDDEN = re.compile(r'[<>:"|?*\x00-\x1f\x7f]')
# Characters that reorder or hide text: "invoice\u202efdp.exe" shows as "invoiceexe.pdf".
_INVISIBLE = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
_DEVICE = re.compile(r"^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³]|conin\$|conout\$)(\.|$)", re.IGNORECASE)


def safe_filename(name: str | None, default: str = DEFAULT_NAME) -> str:
    """``name`` made safe to create inside a directory, or ``default`` when nothing usable is left."""
    if not name:
        return default
    # Undecodable bytes (lone surrogates) cannot be file names on every system.
    name = "".join("_" if 0xD800 <= ord(char) <= 0xDFFF else char for char in name)
    name = _INVISIBLE.sub("", name)
    # The last path component, whichever separator the sender's system used.
    name = re.split(r"[/\\]", name)[-1]
    name = re.sub(r"^[A-Za-z]:", "", name)  # a drive letter: "C:evil.txt"
    name = _FORBIDDEN.sub("_", name)
    name = "".join("_" if unicodedata.category(char) == "Cc" else char for char in name)
    name = name.rstrip(". ")  # Windows drops them: "evil.exe. " would become "evil.exe"
    if name.strip(".") == "" or not name.strip():
        return default
    if _DEVICE.match(name):
        name = "_" + name
    return _shorten(name)


def _shorten(name: str) -> str:
    if len(name.encode("utf-8")) <= MAX_NAME_BYTES:
        return name
    stem, dot, extension = name.rpartition(".")
    if not dot or len(extension) > 16:
        stem, extension = name, ""
    suffix = f".{extension}" if extension else ""
    budget = MAX_NAME_BYTES - len(suffix.encode("utf-8"))
    return stem.encode("utf-8")[:budget].decode("utf-8", "ignore") + suffix


def save_into(directory: Path, name: str | None, data: bytes) -> Path:
    """Write ``data`` to ``directory/safe_filename(name)`` (creating the directory); returns the path."""
    target = directory / safe_filename(name)
    # safe_filename guarantees this already; the check keeps it true if that function ever regresses.
    if target.parent.resolve() != directory.resolve():
        raise InvalidArgument(f"Refusing to write {name!r} outside {str(directory)!r}.")
    _make_directory(directory)
    write_bytes(target, data)
    return target


def _make_directory(directory: Path) -> None:
    if directory.exists() and not directory.is_dir():
        raise InvalidArgument(f"Cannot create directory {str(directory)!r}: a file of that name exists.")
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise InvalidArgument(f"Cannot create directory {str(directory)!r}: {error.strerror or error}.") from None


def write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path``, replacing a file there but never following a symbolic link."""
    if path.is_dir():
        raise InvalidArgument(f"Cannot write to {str(path)!r}: it is a directory.")
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0) | getattr(os, "O_NOFOLLOW", 0)
    try:
        descriptor = os.open(path, flags, 0o644)
    except OSError as error:
        raise InvalidArgument(f"Cannot write to {str(path)!r}: {error.strerror or error}.") from None
    with os.fdopen(descriptor, "wb") as file:
        file.write(data)


def save_message(path: str | Path, raw: bytes) -> Path:
    """Write a message's bytes, exactly, to ``path`` (parent directories created); returns the path."""
    path = Path(path)
    if str(path) in ("", "."):
        raise InvalidArgument("Path must name a file, got an empty path.")
    _make_directory(path.parent)
    write_bytes(path, raw)
    return path


def eml_name(seq: int, raw: bytes) -> str:
    """A name for a saved message that two different messages never share: ``message-3-1a2b3c4d5e.eml``."""
    return f"message-{seq}-{hashlib.sha256(raw).hexdigest()[:10]}.eml"
