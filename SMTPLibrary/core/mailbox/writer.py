"""The thread that writes received messages to their stores on disk, in arrival order."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from functools import partial

from ..errors import ErrorLog
from ..mail import ReceivedMessage
from ..wording import plural
from .stores import StorageError, Store

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
        self.errors = ErrorLog()

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
        self.errors.raise_first(StorageError)

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
                    failure = f"Could not write {plural(len(messages), 'message')} to {store}"
                    self._try(partial(store.add, messages), failure)
                if item is _CLEAR:
                    self._try(store.clear, f"Could not clear {store}")
            messages = []

    def _try(self, action: Callable[[], None], what: str) -> None:
        try:
            action()
        except Exception as error:  # noqa: BLE001 - reported by the next check()
            reason = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
            self.errors.record(f"{what}: {type(error).__name__}: {reason}.", error)

    def __str__(self) -> str:
        return ", ".join(str(store) for store in self.stores) or "memory only"
