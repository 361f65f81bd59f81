"""The one way SMTPLibrary waits: on a condition variable that every change notifies.

A waiter wakes the moment what it waits for changes, never at the next poll.
It still wakes every :data:`WAIT_SLICE` seconds, so that an outer timeout
(Robot Framework's test timeout is a signal in the main thread) can
interrupt it. What the waiter checks runs outside the lock: a slow check
never delays the thread that makes the changes (the server's event loop).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

WAIT_SLICE = 0.1
# Seconds a wait lasts unless told otherwise: the default of the keywords, the steps and the Python API.
DEFAULT_TIMEOUT = 5.0

Seen = TypeVar("Seen")
Result = TypeVar("Result")


@dataclass(frozen=True)
class Outcome(Generic[Result]):
    """How a wait ended: ``result`` (``None`` when it did not come), the seconds waited,
    and why waiting was cut short, if it was (``stopped``)."""

    result: Result | None
    waited: float
    stopped: str | None = None


class Changes(threading.Condition):
    """A condition variable that counts the changes made under its lock, for waiters to watch.

    Writers change their state inside ``with changes:`` and call :meth:`changed`
    before leaving it (the server's event loop does so for every message and
    transcript line: it costs one lock and a counter). :meth:`watch` hands a
    waiter's check what changed, now and after each change, until the check answers."""

    def __init__(self) -> None:
        super().__init__(threading.Lock())
        self.count = 0
        # Why nothing more can change (a stopped server), or None while changes may come.
        self.stopped: str | None = None

    def changed(self) -> None:
        """Count a change and wake the waiters (call with the lock held)."""
        self.count += 1
        self.notify_all()

    def stop(self, reason: str | None) -> None:
        """Nothing more will change (``reason``), or changes may come again (``None``)."""
        with self:
            self.stopped = reason
            self.notify_all()

    def watch(
        self,
        read: Callable[[int], Seen],
        check: Callable[[Seen], Result | None],
        timeout: float,
    ) -> Outcome[Result]:
        """Call ``read(count seen so far)`` with the lock held (0 the first time), then ``check``
        what it read, outside the lock, first at once and then after each change, until
        ``check`` returns something other than ``None`` or ``timeout`` seconds pass. A stop
        ends the wait early (the check has seen everything there was)."""
        start = time.monotonic()
        deadline = start + timeout
        seen: int | None = None
        while True:
            with self:
                while seen is not None and self.count == seen:
                    remaining = deadline - time.monotonic()
                    if remaining <= 0:
                        return Outcome(None, timeout)
                    if self.stopped:
                        return Outcome(None, time.monotonic() - start, self.stopped)
                    self.wait(min(remaining, WAIT_SLICE))
                what = read(seen or 0)
                seen = self.count
            result = check(what)
            if result is not None:
                return Outcome(result, time.monotonic() - start)
