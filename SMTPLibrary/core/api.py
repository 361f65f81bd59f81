"""The Python API: ``from SMTPLibrary import SMTPServer``.

The threaded engine (:mod:`.server`) plus what a Python test or script
expects of an SMTP test server: the methods of the old ``smtpd``-based mock
servers (``reset``, ``get_messages``, ``get_message_count``,
``get_results``, ``is_running``), waits with the keywords' criteria, and
mailboxes kept on disk. Robot keywords, behave steps and the pytest plugin
all use this class, so they share it all.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from datetime import timedelta
from typing import Any, TypeVar

from . import server
from .errors import InvalidArgument, SMTPLibraryError
from .mailbox import DEFAULT_TIMEOUT, Mailbox
from .matching import Criteria
from .message import ReceivedMessage
from .stats import Statistics
from .storage import StoreWriter, open_stores

PathArgument = str | os.PathLike[str] | None


Method = TypeVar("Method", bound=Callable[..., Any])


def seconds(value: float | timedelta) -> float:
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


def reported_at_the_call(method: Method) -> Method:
    """A failure of ``method`` is shown where the test called it: its message says it all,
    SMTPLibrary's own frames would only hide the test's line in a long traceback."""

    @functools.wraps(method)
    def call(*args: Any, **kwargs: Any) -> Any:
        __tracebackhide__ = True
        try:
            return method(*args, **kwargs)
        except SMTPLibraryError as error:
            raise error.with_traceback(None)  # noqa: B904 - the same error, re-raised with a short traceback

    return call  # type: ignore[return-value]


class SMTPServer(server.SMTPServer):
    """An SMTP server in a background thread of this process, and what it received.

    ``host`` defaults to ``127.0.0.1`` (this machine only) and ``port`` to
    ``0``, a free port chosen by the operating system: read :attr:`port`
    once started. ``maildir``, ``mbox`` and ``latest`` also keep every
    message on disk (see :mod:`SMTPLibrary.core.storage`); messages are
    always kept in memory too. Other keyword arguments go to the engine.

    >>> with SMTPServer() as server:
    ...     port = server.port  # give it to the application under test
    """

    def __init__(
        self,
        host: str = server.DEFAULT_HOST,
        port: int = 0,
        *,
        maildir: PathArgument = None,
        mbox: PathArgument = None,
        latest: PathArgument = None,
        mailbox: Mailbox | None = None,
        max_messages: int | None = None,
        **options: Any,
    ) -> None:
        stores = open_stores(maildir=maildir, mbox=mbox, latest=latest)
        if stores:
            if mailbox is not None:
                raise InvalidArgument("Give either mailbox or maildir/mbox/latest, not both.")
            # The mailbox is ours, so max_messages is too: the engine takes it only without a mailbox.
            mailbox, max_messages = Mailbox(max_messages, storage=StoreWriter(stores)), None
        super().__init__(host, port, mailbox=mailbox, max_messages=max_messages, **options)

    @property
    def stats(self) -> Statistics:
        """Sessions, refusals (4xx and 5xx replies), messages and bytes since the start or the last reset."""
        return self._handler.stats

    @property
    def storage(self) -> StoreWriter | None:
        """The disk copies, ``None`` when messages are kept in memory only."""
        return self.mailbox.storage

    # -- lifecycle ------------------------------------------------------------------

    def start(self, timeout: float = 5.0) -> int:
        # The disk writer runs before the first message can arrive, so that the server's
        # thread only ever hands messages over to it (see StoreWriter).
        if self.storage is not None:
            self.storage.open()
        try:
            return super().start(timeout)
        except BaseException:
            if self.storage is not None and not self.running:
                self.storage.close(timeout)
            raise

    def stop(self, timeout: float = 5.0) -> None:
        """Stop serving; returns once connections are refused and every message is on disk
        (a slow disk is waited for as long as it makes progress)."""
        try:
            super().stop(timeout)
        finally:
            if self.storage is not None and not self.storage.close(timeout):
                raise self.storage.stalled(timeout)

    def check(self) -> None:
        super().check()
        if self.storage is not None:
            self.storage.check()

    def is_running(self) -> bool:
        return self.running

    def flush(self, timeout: float = 5.0) -> bool:
        """Wait until the messages received so far are on disk; ``False`` if ``timeout`` passed first.

        Waits return as soon as a message is in memory; the disk copy follows
        a moment later. :meth:`stop` and :meth:`reset` flush by themselves."""
        return True if self.storage is None else self.storage.flush(timeout)

    # -- the mock server methods -----------------------------------------------------

    @reported_at_the_call
    def reset(self, *, faults: bool = False) -> None:
        """Forget every message (the disk copies too) and the transcript, and zero the statistics;
        ``faults=True`` also clears the fault rules, as Robot and behave do before each test.

        Raises first what went wrong in the server thread since the last call, if anything."""
        self.check()
        super().reset(faults=faults)

    @reported_at_the_call
    def get_messages(self) -> list[ReceivedMessage]:
        """The messages received so far, oldest first, removed from the server (not from disk).

        Each message has :meth:`~ReceivedMessage.as_dict` for the
        ``{'peer', 'mail_from', 'rcpt_tos', 'data'}`` shape."""
        self.check()
        return self.mailbox.pop_all()

    @reported_at_the_call
    def get_message_count(self) -> int:
        """How many messages the server holds now (:meth:`get_messages` empties it)."""
        self.check()
        return self.mailbox.count()

    @reported_at_the_call
    def get_results(self) -> dict[str, Any]:
        """Where the server listens, its statistics, and the messages it holds (as dicts), without removing them."""
        self.check()
        return {
            "host": self.host,
            "port": self.port,
            "running": self.running,
            "storage": str(self.storage or "memory only"),
            "statistics": self.stats.snapshot().as_dict(),
            "messages": [message.as_dict() for message in self.mailbox.messages()],
        }

    # -- waits, with the keywords' criteria ----------------------------------------------

    @reported_at_the_call
    def wait_for(
        self, pattern: str | None = None, *, timeout: float | timedelta = DEFAULT_TIMEOUT, **criteria: Any
    ) -> ReceivedMessage:
        """The first message matching the criteria, waiting up to ``timeout`` seconds for one.

        Criteria are those of the keywords (``pattern``, ``sender``,
        ``recipient``, ``subject``, ``body``, ``header``...), regular
        expressions unless prefixed ``EQUALS:``, ``STARTS:``, ``CONTAINS:`` or
        ``GLOB:``. Raises :class:`~SMTPLibrary.core.errors.MessageNotReceived`
        (an ``AssertionError``) with the text the Robot keyword fails with.
        """
        self.check()
        return self.mailbox.wait_for(Criteria.from_strings(pattern=pattern, **criteria), seconds(timeout))

    @reported_at_the_call
    def wait_for_count(self, count: int, timeout: float | timedelta = DEFAULT_TIMEOUT) -> None:
        """Wait until exactly ``count`` messages are held; fail at once when there are more."""
        self.check()
        self.mailbox.wait_for_count(count, seconds(timeout))

    @reported_at_the_call
    def assert_not_received(
        self, pattern: str | None = None, *, within: float | timedelta = 0.0, **criteria: Any
    ) -> None:
        """Fail if a message matching the criteria is held, or arrives within ``within`` seconds."""
        self.check()
        self.mailbox.assert_none(Criteria.from_strings(pattern=pattern, **criteria), seconds(within))
