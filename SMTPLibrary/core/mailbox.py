"""The thread-safe store of received messages, and the waits on it.

The server's event loop thread adds; test threads read and wait. A waiter
sleeps on a condition variable that every arrival notifies, so it wakes the
moment mail lands. It still wakes every ``WAIT_SLICE`` seconds so that an
outer timeout (Robot's test timeout is a signal in the main thread) can
interrupt it. Matching runs outside the lock: a slow criterion never delays
the server.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from . import report
from .errors import InvalidArgument, MessageCountMismatch, MessageNotReceived, ServerStopped, UnexpectedMessage
from .matching import Criteria
from .message import ReceivedMessage
from .storage import StorageError, StoreWriter

WAIT_SLICE = 0.1
# Seconds a wait lasts unless told otherwise: the default of the keywords, the steps and the Python API.
DEFAULT_TIMEOUT = 5.0


class Mailbox:
    """Messages in the order they arrived, oldest first.

    ``max_messages`` bounds a long-running server's memory: beyond that many,
    the oldest message is dropped for each new one (``None``: no limit)."""

    def __init__(self, max_messages: int | None = None, *, storage: StoreWriter | None = None) -> None:
        if max_messages is not None and (
            isinstance(max_messages, bool) or not isinstance(max_messages, int) or max_messages < 1
        ):
            raise InvalidArgument(
                f"max_messages must be a positive number of messages, or None for no limit; got {max_messages!r}."
            )
        self.max_messages = max_messages
        # Disk copies (Maildir, mbox...), written off the server's thread; memory stays the reference.
        self.storage = storage
        self._cond = threading.Condition(threading.Lock())
        self._messages: list[ReceivedMessage] = []
        self._last_seq = 0
        self._stopped: str | None = "The SMTP server has not been started."

    # -- written by the server ----------------------------------------------

    def add(self, message: ReceivedMessage) -> None:
        with self._cond:
            self._last_seq += 1
            message.seq = self._last_seq
            self._messages.append(message)
            if self.max_messages is not None and len(self._messages) > self.max_messages:
                del self._messages[0]
            self._cond.notify_all()
            if self.storage is not None:
                self.storage.add(message)

    def open(self) -> None:
        """The server is running: waits may last."""
        with self._cond:
            self._stopped = None

    def close(self, reason: str) -> None:
        """No more mail can arrive: waiters stop waiting, with ``reason``."""
        with self._cond:
            self._stopped = reason
            self._cond.notify_all()

    # -- read by tests --------------------------------------------------------

    def messages(self, criteria: Criteria | None = None) -> list[ReceivedMessage]:
        with self._cond:
            messages = list(self._messages)
        if criteria:
            return criteria.filter(messages)
        return messages

    def count(self) -> int:
        with self._cond:
            return len(self._messages)

    def reset(self, timeout: float = DEFAULT_TIMEOUT) -> None:
        """Forget every message; the disk copies too, once what was queued before is written.

        Raises :class:`StorageError` when the disk made no progress for ``timeout``
        seconds: a stuck disk must not hang the test run (a reset runs from Robot's
        listener, which no test timeout interrupts). The memory is empty all the same."""
        with self._cond:
            self._messages.clear()
            if self.storage is not None:
                self.storage.clear()
        if self.storage is not None and not self.storage.flush(timeout):
            stalled = self.storage.stalled(timeout)
            raise StorageError(f"{stalled} The mailbox is empty; its disk copies are cleared once the disk catches up.")

    def pop_all(self) -> list[ReceivedMessage]:
        """Every stored message, oldest first, leaving the mailbox empty."""
        with self._cond:
            messages, self._messages = self._messages, []
            return messages

    # -- waits -----------------------------------------------------------------

    def wait_for(self, criteria: Criteria, timeout: float) -> ReceivedMessage:
        """The first message matching ``criteria``, waiting up to ``timeout`` seconds for one."""
        found, waited, stopped = self._watch(_first_match(criteria), timeout)
        if found is not None:
            return found
        messages = self.messages()
        # Worked out once (with body criteria, each message is parsed): for the text and for reports.
        explained = report.closest(messages, criteria)
        failure = report.not_received(criteria, waited, messages, explained)
        if stopped:
            raise ServerStopped(f"{stopped} {failure}")
        raise MessageNotReceived(failure, explained)

    def wait_for_count(self, expected: int, timeout: float) -> None:
        """Wait until exactly ``expected`` messages are stored; fail at once when there are more."""
        if isinstance(expected, bool) or not isinstance(expected, int) or expected < 0:
            raise InvalidArgument(f"The expected message count must be a whole number, 0 or more; got {expected!r}.")

        def reached(_new: list[ReceivedMessage]) -> bool | None:
            messages = self.messages()
            if len(messages) > expected:
                raise MessageCountMismatch(report.count_mismatch(expected, messages, None))
            return True if len(messages) == expected else None

        found, waited, stopped = self._watch(reached, timeout)
        if found is None:
            failure = report.count_mismatch(expected, self.messages(), waited)
            raise ServerStopped(f"{stopped} {failure}") if stopped else MessageCountMismatch(failure)

    def assert_none(self, criteria: Criteria, within: float) -> None:
        """Fail when a message matching ``criteria`` is stored now or arrives within ``within`` seconds.
        A stopped server ends the wait early: nothing more can arrive."""
        found, _waited, _stopped = self._watch(_first_match(criteria), within)
        if found is not None:
            raise UnexpectedMessage(report.unexpected(criteria, found, within))

    def _watch(
        self, check: Callable[[list[ReceivedMessage]], object], timeout: float
    ) -> tuple[object | None, float, str | None]:
        """Hand ``check`` every stored message, then each new arrival, until it returns
        something other than ``None``. Returns ``(result, seconds waited, stop reason)``:
        result ``None`` when ``timeout`` passed or the server stopped first."""
        start = time.monotonic()
        deadline = start + timeout
        seen = 0
        first = True
        while True:
            with self._cond:
                while not first and self._last_seq == seen:
                    remaining = deadline - time.monotonic()
                    if remaining <= 0:
                        return None, timeout, None
                    if self._stopped:
                        return None, time.monotonic() - start, self._stopped
                    self._cond.wait(min(remaining, WAIT_SLICE))
                first = False
                new = self._after(seen)
                seen = self._last_seq
            result = check(new)
            if result is not None:
                return result, time.monotonic() - start, None

    def _after(self, seq: int) -> list[ReceivedMessage]:
        """Stored messages newer than ``seq`` (sequence numbers are contiguous in the list)."""
        messages = self._messages
        if not messages:
            return []
        return messages[max(0, seq - messages[0].seq + 1) :]


def _first_match(criteria: Criteria) -> Callable[[list[ReceivedMessage]], ReceivedMessage | None]:
    return lambda new: next((message for message in new if criteria.matches(message)), None)
