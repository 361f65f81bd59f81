"""Persistent mailboxes: received messages also written to a Maildir, an mbox
file, or a file that always holds the newest message.

The :class:`~SMTPLibrary.core.mailbox.Mailbox` keeps every message in memory
whatever happens (waits and criteria read it there): memory alone is the
default, and a store is a copy on disk next to it. Every store has the same
small interface (:class:`Store`): add a batch of messages, clear, iterate.

Writes are atomic: a message is written whole to a file no reader looks at,
flushed to disk, then moved into place with one ``link``/``rename``. A kill
or crash at any moment leaves either the old state or the new one, never a
half-written message (the Maildir ``tmp/`` -> ``new/`` protocol; for mbox
and the latest file, a full copy renamed over the old one).

On disk each message gets ``X-Peer``, ``X-MailFrom`` and ``X-RcptTo`` header
lines in front, like ``str(message)``, so the envelope (Bcc recipients
included) survives, and LF line ends, as mail readers expect.

The event loop thread must never wait for a disk: :class:`~.writer.StoreWriter`
hands the writes to a thread of its own, in arrival order.
"""

from __future__ import annotations

import itertools
import os
import re
import shutil
import socket
import time
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from ..errors import InvalidArgument, ServerError
from ..mail import ReceivedMessage

_counter = itertools.count(1)


class StorageError(ServerError):
    """A message could not be written to, or a store cleared on, disk."""


# -- file helpers ----------------------------------------------------------------


def write_all(fd: int, data: bytes) -> None:
    """Write every byte of ``data`` to ``fd`` (``os.write`` may write less)."""
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def write_new_file(path: Path, data: bytes) -> None:
    """Create ``path`` (it must not exist), write ``data``, and make it durable before returning."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        write_all(fd, data)
        os.fsync(fd)
    finally:
        os.close(fd)


def sync_directory(path: Path) -> None:
    """Make a rename or link in ``path`` durable (best effort: not every platform can)."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def unique_name() -> str:
    """``seconds.Mmicroseconds P pid Q counter``: the left part of a Maildir file name, unique in this host."""
    seconds, microseconds = divmod(time.time_ns() // 1000, 1_000_000)
    return f"{seconds}.M{microseconds:06d}P{os.getpid()}Q{next(_counter)}"


def file_content(message: ReceivedMessage) -> bytes:
    """A message as it is written to disk: envelope headers first, LF line ends, a final newline."""
    data = message.envelope_header().encode("utf-8", "surrogateescape") + message.raw.replace(b"\r\n", b"\n")
    return data if data.endswith(b"\n") else data + b"\n"


def _natural(name: str) -> list[object]:
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", name)]


# -- the stores -------------------------------------------------------------------


class Store(ABC):
    """Where received messages also go. Called from one thread at a time (the writer's)."""

    kind = "store"
    path: Path | None = None

    @abstractmethod
    def add(self, messages: Sequence[ReceivedMessage]) -> None:
        """Store ``messages`` (oldest first), each one atomically."""

    @abstractmethod
    def clear(self) -> None:
        """Remove every stored message."""

    @abstractmethod
    def __iter__(self) -> Iterator[bytes]:
        """The stored messages as they are on disk, oldest first."""

    def __str__(self) -> str:
        return self.kind if self.path is None else f"{self.kind} {self.path}"


class MaildirStore(Store):
    """A Maildir: one file per message, written in ``tmp/`` and linked into ``new/``.

    Readable by Python's ``mailbox.Maildir``, mutt, and every other Maildir reader.
    """

    path: Path

    kind = "Maildir"

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path).absolute()
        subdirs = [self.path / name for name in ("tmp", "new", "cur")]
        if self.path.exists():
            if not self.path.is_dir():
                raise InvalidArgument(f"Cannot use {self.path} for the Maildir: it is not a directory.")
            if any(self.path.iterdir()) and not all(subdir.is_dir() for subdir in subdirs):
                # Refuse to sprinkle tmp/ new/ cur/ into, and later clear, a directory of other files.
                raise InvalidArgument(
                    f"Cannot use {self.path} for the Maildir: it is not empty and has no cur/, new/ and tmp/ folders."
                )
        try:
            for subdir in subdirs:
                subdir.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise StorageError(f"Cannot create the Maildir {self.path}: {error.strerror or error}.") from None
        self._host = socket.gethostname().replace("/", r"\057").replace(":", r"\072") or "localhost"

    def add(self, messages: Sequence[ReceivedMessage]) -> None:
        tmp, new = self.path / "tmp", self.path / "new"
        for message in messages:
            data = file_content(message)
            while True:
                name = f"{unique_name()}.{self._host}"
                try:
                    write_new_file(tmp / name, data)
                    break
                except FileExistsError:
                    continue
            try:
                # link() never replaces an existing message, unlike rename().
                os.link(tmp / name, new / name)
                os.unlink(tmp / name)
            except OSError:
                os.replace(tmp / name, new / name)
        sync_directory(new)

    def clear(self) -> None:
        for subdir in ("new", "cur"):
            for entry in os.scandir(self.path / subdir):
                if not entry.name.startswith("."):
                    try:
                        os.unlink(entry.path)
                    except FileNotFoundError:
                        pass  # a reader (mutt) moved or removed it meanwhile

    def files(self) -> list[Path]:
        """The message files in ``new/`` and ``cur/``, oldest first."""
        names = [
            (entry.name.split(":")[0], Path(entry.path))
            for subdir in ("new", "cur")
            for entry in os.scandir(self.path / subdir)
            if not entry.name.startswith(".")
        ]
        return [path for _, path in sorted(names, key=lambda pair: _natural(pair[0]))]

    def __iter__(self) -> Iterator[bytes]:
        for path in self.files():
            try:
                yield path.read_bytes()
            except FileNotFoundError:
                continue


class _SingleFileStore(Store):
    """A store that is one file, replaced whole on every write."""

    path: Path

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path).absolute()
        if self.path.exists() and not self.path.is_file():
            raise InvalidArgument(f"Cannot use {self.path} for the {self.kind}: it is not a regular file.")
        if not self.path.parent.is_dir():
            raise InvalidArgument(f"Cannot use {self.path} for the {self.kind}: {self.path.parent} is not a directory.")

    def _replace(self, parts: Iterable[bytes], keep_old: bool) -> None:
        """Write ``parts`` (after the current content when ``keep_old``) to a hidden file
        next to the target, then rename it over the target."""
        temporary = self.path.with_name(f".{self.path.name}.{unique_name()}.tmp")
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        try:
            try:
                if keep_old:
                    try:
                        with open(self.path, "rb") as old, open(fd, "wb", closefd=False) as out:
                            shutil.copyfileobj(old, out)
                    except FileNotFoundError:
                        pass
                for part in parts:
                    write_all(fd, part)
                os.fsync(fd)
            finally:
                os.close(fd)
            os.replace(temporary, self.path)
        except BaseException:
            temporary.unlink(missing_ok=True)
            raise
        sync_directory(self.path.parent)

    def clear(self) -> None:
        self.path.unlink(missing_ok=True)


class MboxStore(_SingleFileStore):
    """An mbox file (mboxrd quoting: ``>From`` lines in bodies get one more ``>``).

    Each batch rewrites the file to a copy and renames it into place, so a
    reader never sees half a message. That costs a copy of the file per batch
    (batches grow under load): fine for test mailboxes; use a Maildir for
    very large ones.
    """

    kind = "mbox file"

    _QUOTE = re.compile(rb"^(>*From )", re.MULTILINE)
    _UNQUOTE = re.compile(rb"^>(>*From )", re.MULTILINE)

    def __init__(self, path: str | os.PathLike[str]) -> None:
        super().__init__(path)
        if self.path.is_file() and self.path.stat().st_size:
            with open(self.path, "rb") as existing:
                if not existing.read(5) == b"From ":
                    raise InvalidArgument(f"Cannot use {self.path} for the mbox file: it is not empty and not an mbox.")

    @classmethod
    def entry(cls, message: ReceivedMessage) -> bytes:
        sender = "".join((message.sender or "MAILER-DAEMON").split()) or "MAILER-DAEMON"
        when = time.asctime(time.gmtime(message.timestamp or time.time()))
        return f"From {sender} {when}\n".encode("utf-8", "surrogateescape") + (
            cls._QUOTE.sub(rb">\1", file_content(message)) + b"\n"
        )

    def add(self, messages: Sequence[ReceivedMessage]) -> None:
        self._replace([self.entry(message) for message in messages], keep_old=True)

    def __iter__(self) -> Iterator[bytes]:
        try:
            data = self.path.read_bytes()
        except FileNotFoundError:
            return
        # Every entry is "From ...\n", the message, and a blank line.
        entries = re.split(rb"(?:\A|(?<=\n)\n)From [^\n]*\n", data)[1:]
        for entry in entries:
            entry = entry[:-1] if entry.endswith(b"\n\n") else entry
            yield self._UNQUOTE.sub(rb"\1", entry)


class LatestFileStore(_SingleFileStore):
    """One file holding the newest message only, for shell scripts
    (``grep -o 'https://[^ ]*' latest.eml``). Cleared, the file is removed."""

    kind = "latest-message file"

    def add(self, messages: Sequence[ReceivedMessage]) -> None:
        if messages:
            self._replace([file_content(messages[-1])], keep_old=False)

    def __iter__(self) -> Iterator[bytes]:
        try:
            yield self.path.read_bytes()
        except FileNotFoundError:
            return


def open_stores(
    maildir: str | os.PathLike[str] | None = None,
    mbox: str | os.PathLike[str] | None = None,
    latest: str | os.PathLike[str] | None = None,
) -> list[Store]:
    """The stores asked for (none: memory only), checked and created now so a wrong path fails at once."""
    stores: list[Store] = []
    if maildir:
        stores.append(MaildirStore(maildir))
    if mbox:
        stores.append(MboxStore(mbox))
    if latest:
        stores.append(LatestFileStore(latest))
    return stores
