"""The thread-safe store of received messages, and the waits on it.

The server's event loop thread adds; test threads read and wait (see
:mod:`SMTPLibrary.core.waiting`): a waiter wakes the moment mail lands, and
matching runs outside the lock, so a slow criterion never delays the server.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from ..errors import MessageCountMismatch, MessageNotReceived, ServerStopped, UnexpectedMessage
from ..mail import ReceivedMessage
from ..values import whole_number
from ..waiting import DEFAULT_TIMEOUT, Changes, Outcome
from . import failures
from .matching import Criteria
from .stores import StorageError
from .writer import StoreWriter

NOT_STARTED = "The SMTP server has not been started."


class MailboxObserver(Protocol):
    """Another view of the mailbox (IMAP, POP3), kept in step with it.

    Called with the mailbox's lock held, in the mailbox's order: ``message_added`` on the
    thread that adds (the server's), before any waiter sees the message; ``message_dropped``
    for a message ``max_messages`` pushed out; ``mailbox_reset`` on the resetting thread. An
    observer must not call the mailbox (its lock is not reentrant) and must not raise."""

    def message_added(self, message: ReceivedMessage) -> None: ...
    def message_dropped(self, message: ReceivedMessage) -> None: ...
    def mailbox_reset(self) -> None: ...


class Mailbox:
    """Messages in the order they arrived, oldest first.

    ``max_messages`` bounds a long-running server's memory: beyond that many,
    the oldest message is dropped for each new one (``None``: no limit)."""

    def __init__(self, max_messages: int | None = None, *, storage: StoreWriter | None = None) -> None:
        if max_messages is not None:
            whole_number(max_messages, "max_messages must be a positive number of messages, or None for no limit", 1)
        self.max_messages = max_messages
        # Disk copies (Maildir, mbox...), written off the server's thread; memory stays the reference.
        self.storage = storage
        # Counts the messages ever added: a message's seq is the count its arrival made.
        self._changes = Changes()
        self._changes.stopped = NOT_STARTED
        self._messages: list[ReceivedMessage] = []
        # Empty unless an IMAP or POP3 view is attached: then the one test below is all a message pays.
        self._observers: tuple[MailboxObserver, ...] = ()

    # -- written by the server ----------------------------------------------

    def add(self, message: ReceivedMessage) -> None:
        with self._changes:
            self._changes.changed()
            message.seq = self._changes.count
            self._messages.append(message)
            if self._observers:
                for observer in self._observers:
                    observer.message_added(message)
            if self.max_messages is not None and len(self._messages) > self.max_messages:
                dropped = self._messages.pop(0)
                for observer in self._observers:
                    observer.message_dropped(dropped)
            if self.storage is not None:
                self.storage.add(message)

    def observe(self, observer: MailboxObserver) -> None:
        """Keep ``observer`` in step from now on: it is handed every message held now, in order,
        then each change as it happens (atomically: nothing is missed or handed twice)."""
        with self._changes:
            self._observers = (*self._observers, observer)
            for message in self._messages:
                observer.message_added(message)

    def unobserve(self, observer: MailboxObserver) -> None:
        with self._changes:
            self._observers = tuple(o for o in self._observers if o is not observer)

    def open(self) -> None:
        """The server is running: waits may last."""
        self._changes.stop(None)

    def close(self, reason: str) -> None:
        """No more mail can arrive: waiters stop waiting, with ``reason``."""
        self._changes.stop(reason)

    # -- read by tests --------------------------------------------------------

    def messages(self, criteria: Criteria | None = None) -> list[ReceivedMessage]:
        with self._changes:
            messages = list(self._messages)
        if criteria:
            return criteria.filter(messages)
        return messages

    def count(self) -> int:
        with self._changes:
            return len(self._messages)

    def reset(self, timeout: float = DEFAULT_TIMEOUT) -> None:
        """Forget every message; the disk copies too, once what was queued before is written.

        Raises :class:`StorageError` when the disk made no progress for ``timeout``
        seconds: a stuck disk must not hang the test run (a reset runs from Robot's
        listener, which no test timeout interrupts). The memory is empty all the same."""
        with self._changes:
            self._messages.clear()
            for observer in self._observers:
                observer.mailbox_reset()
            if self.storage is not None:
                self.storage.clear()
        if self.storage is not None and not self.storage.flush(timeout):
            stalled = self.storage.stalled(timeout)
            raise StorageError(f"{stalled} The mailbox is empty; its disk copies are cleared once the disk catches up.")

    def pop_all(self) -> list[ReceivedMessage]:
        """Every stored message, oldest first, leaving the mailbox empty."""
        with self._changes:
            messages, self._messages = self._messages, []
            return messages

    # -- waits -----------------------------------------------------------------

    def wait_for(self, criteria: Criteria, timeout: float) -> ReceivedMessage:
        """The first message matching ``criteria``, waiting up to ``timeout`` seconds for one."""
        outcome = self._watch(_first_match(criteria), timeout)
        if outcome.result is not None:
            return outcome.result
        messages = self.messages()
        # Worked out once (with body criteria, each message is parsed): for the text and for reports.
        explained = failures.closest(messages, criteria)
        failure = failures.not_received(criteria, outcome.waited, messages, explained)
        if outcome.stopped:
            raise ServerStopped(f"{outcome.stopped} {failure}")
        raise MessageNotReceived(failure, explained)

    def wait_for_count(self, expected: int, timeout: float) -> None:
        """Wait until exactly ``expected`` messages are stored; fail at once when there are more."""
        whole_number(expected, "The expected message count must be a whole number, 0 or more", 0)

        def reached(_new: list[ReceivedMessage]) -> bool | None:
            messages = self.messages()
            if len(messages) > expected:
                raise MessageCountMismatch(failures.count_mismatch(expected, messages, None))
            return True if len(messages) == expected else None

        outcome = self._watch(reached, timeout)
        if outcome.result is None:
            failure = failures.count_mismatch(expected, self.messages(), outcome.waited)
            if outcome.stopped:
                raise ServerStopped(f"{outcome.stopped} {failure}")
            raise MessageCountMismatch(failure)

    def assert_none(self, criteria: Criteria, within: float) -> None:
        """Fail when a message matching ``criteria`` is stored now or arrives within ``within`` seconds.
        A stopped server ends the wait early: nothing more can arrive."""
        found = self._watch(_first_match(criteria), within).result
        if found is not None:
            raise UnexpectedMessage(failures.unexpected(criteria, found, within))

    def _watch(self, check: Callable[[list[ReceivedMessage]], object], timeout: float) -> Outcome:
        """Hand ``check`` every stored message, then each new arrival, until it answers."""
        return self._changes.watch(self._after, check, timeout)

    def _after(self, seq: int) -> list[ReceivedMessage]:
        """Stored messages newer than ``seq`` (sequence numbers are contiguous in the list)."""
        messages = self._messages
        if not messages:
            return []
        return messages[max(0, seq - messages[0].seq + 1) :]


def _first_match(criteria: Criteria) -> Callable[[list[ReceivedMessage]], ReceivedMessage | None]:
    return lambda new: next((message for message in new if criteria.matches(message)), None)
