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

The event loop thread must never wait for a disk: :class:`StoreWriter` hands
the writes to a thread of its own, in arrival order.
"""

from __future__ import annotations

import itertools
import os
import re
import shutil
import socket
import threading
import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import partial
from pathlib import Path

from .errors import InvalidArgument, ServerError
from .message import ReceivedMessage

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


# -- the writer thread ----------------------------------------------------------

_CLEAR = object()
BATCH = 100
LINGER = 0.5


class StoreWriter:
    """Writes messages to its stores on a thread of its own, in arrival order.

    :meth:`open` starts the writer thread, from the caller's thread, and it
    waits for work until :meth:`close`. :meth:`add` runs on the server's
    event loop thread: it only appends to a list and wakes the writer, never
    starts a thread nor touches a disk. (Work queued while the writer is not
    open, such as the reset of a stopped server, gets a writer of its own
    that ends after ``LINGER`` idle seconds.) Messages that arrive while a
    batch is written form the next batch. A write that fails is remembered
    and raised by :meth:`check`; the message stays in memory.
    """

    def __init__(self, stores: Iterable[Store]) -> None:
        self.stores = list(stores)
        lock = threading.Lock()
        # Two conditions on one lock: ``_work`` wakes the writer alone (one notify per message),
        # ``_cond`` wakes those waiting for progress (flush, close) after each batch.
        self._cond = threading.Condition(lock)
        self._work = threading.Condition(lock)
        self._pending: list[object] = []
        self._queued = 0
        self._done = 0
        self._thread: threading.Thread | None = None
        self._last: threading.Thread | None = None
        self._open = False
        self._closing = False
        self._errors: list[str] = []

    def open(self) -> None:
        """Keep a writer thread waiting for work until :meth:`close` (call before the server starts)."""
        with self._cond:
            self._open = True
            self._closing = False
            if self._thread is None:
                self._start()

    def add(self, message: ReceivedMessage) -> None:
        self._enqueue(message)

    def clear(self) -> None:
        """Clear every store once the messages queued before are written (see :meth:`flush`)."""
        self._enqueue(_CLEAR)

    def _enqueue(self, item: object) -> None:
        with self._cond:
            self._pending.append(item)
            self._queued += 1
            if self._thread is None:
                self._closing = False
                self._start()
            else:
                self._work.notify()

    def _start(self) -> None:
        # Called with the lock held: the new thread waits for it before looking at the queue.
        self._thread = threading.Thread(target=self._run, name="SMTPLibrary store writer", daemon=True)
        self._thread.start()

    def flush(self, timeout: float | None = None) -> bool:
        """Wait until everything queued so far is on disk. A slow disk is waited for as long as
        it makes progress; ``False`` when nothing was written for ``timeout`` seconds."""
        with self._cond:
            target = self._queued
            return self._wait(lambda: self._done >= target, timeout)

    def close(self, timeout: float | None = None) -> bool:
        """Flush, then wait for the writer thread to end (call when nothing more can be added)."""
        with self._cond:
            self._open = False
            self._closing = True
            self._work.notify()
            done = self._wait(lambda: self._thread is None, timeout)
            last = self._last
        if done and last is not None:
            last.join(timeout)
        return done

    def stalled(self, timeout: float) -> StorageError:
        """The error to raise when :meth:`flush` or :meth:`close` returned ``False``."""
        return StorageError(f"Writing to the {self} made no progress in {timeout:g} s.")

    def _wait(self, finished: Callable[[], bool], timeout: float | None) -> bool:
        # Called with the lock held; the writer notifies after every batch.
        while not finished():
            done = self._done
            if not self._cond.wait_for(lambda done=done: finished() or self._done != done, timeout):
                return False
        return True

    def check(self) -> None:
        """Raise the first write error since the last check, if any."""
        with self._cond:
            errors, self._errors = self._errors, []
        if errors:
            more = f" (and {len(errors) - 1} more errors)" if len(errors) > 1 else ""
            raise StorageError(errors[0] + more)

    def _run(self) -> None:
        while True:
            with self._cond:
                while not (self._pending or self._closing):
                    # Open: wait as long as the server runs. Otherwise linger a moment, then end:
                    # a thread per message would cost more than the message.
                    if not self._work.wait(None if self._open else LINGER) and not self._open:
                        break
                # Bounded batches: waiters see progress, mbox rewrites stay amortised.
                batch, self._pending = self._pending[:BATCH], self._pending[BATCH:]
                if not batch:
                    self._last, self._thread = self._thread, None
                    self._cond.notify_all()
                    return
            self._write(batch)
            with self._cond:
                self._done += len(batch)
                self._cond.notify_all()

    def _write(self, batch: list[object]) -> None:
        # Runs of messages between clears go to each store as one batch.
        messages: list[ReceivedMessage] = []
        for item in [*batch, None]:
            if isinstance(item, ReceivedMessage):
                messages.append(item)
                continue
            for store in self.stores:
                if messages:
                    self._try(partial(store.add, messages), f"Could not write {len(messages)} message(s) to {store}")
                if item is _CLEAR:
                    self._try(store.clear, f"Could not clear {store}")
            messages = []

    def _try(self, action: Callable[[], None], what: str) -> None:
        try:
            action()
        except Exception as error:  # noqa: BLE001 - reported by the next check()
            reason = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
            with self._cond:
                self._errors.append(f"{what}: {type(error).__name__}: {reason}.")

    def __str__(self) -> str:
        return ", ".join(str(store) for store in self.stores) or "memory only"
