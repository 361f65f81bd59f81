"""The SMTP side of the server a test starts: :class:`SMTPCapture`.

``from SMTPLibrary import SMTPServer`` is this class with the IMAP and POP3
doors of its mailbox added (``core/imap/server.py``); Robot keywords, behave
steps, the pytest plugin and the ``smtplibrary`` command all use that one.
Everything SMTP is here: starting and stopping, the methods of the old
``smtpd``-based mock servers (``reset``, ``get_messages``,
``get_message_count``, ``get_results``, ``is_running``), waits with the
keywords' criteria, and mailboxes kept on disk.
"""

from __future__ import annotations

import functools
import logging
import threading
from collections.abc import Callable, Sequence
from datetime import timedelta
from types import TracebackType
from typing import Any, TypeVar

from ...version import __version__
from ..errors import ErrorLog, InvalidArgument, ServerError, SMTPLibraryError
from ..mail import ReceivedMessage
from ..mailbox import CRITERIA_ARGUMENTS, Criteria, Mailbox, Store, StoreWriter, open_stores
from ..values import seconds
from ..waiting import DEFAULT_TIMEOUT
from ..wording import format_address, plural
from .aiosmtpd_engine import AiosmtpdEngine
from .engine import Engine, Services
from .faults import Attempt, Faults, Transcript, Verdict, wait_for_rejection, wait_for_retries
from .handshakes import certificate_words
from .loop import ServerThread, bind
from .options import DEFAULT_HOST, ServerOptions
from .security import Security
from .stats import Statistics

Method = TypeVar("Method", bound=Callable[..., Any])
# What a wait takes: seconds, a timedelta, or a time string such as "5 s" (see values.seconds).
Duration = float | timedelta | str
log = logging.getLogger("SMTPLibrary")


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


class SMTPCapture:
    """An SMTP server in a background thread of this process, and what it received.

    ``host`` defaults to ``127.0.0.1`` (this machine only) and ``port`` to
    ``0``, a free port chosen by the operating system: :attr:`port` holds
    the bound port once started. Starting a running server or stopping a
    stopped one does nothing. A stopped server can be started again; it then
    binds the same port as before, so the application under test finds it
    where it was.

    The other keyword arguments are the :class:`~.options.ServerOptions`
    (TLS, logins, size limit, disk mailboxes...), checked here, before
    anything starts. Every message that completes DATA lands in :attr:`mailbox`,
    which outlives stops and restarts until it is reset; ``maildir``, ``mbox``
    and ``latest`` also keep every message on disk, and so do ``stores`` of the
    caller's own, after those. ``mailbox`` gives a
    :class:`~SMTPLibrary.core.mailbox.Mailbox` of the caller's own.

    >>> with SMTPCapture() as server:
    ...     port = server.port  # give it to the application under test
    """

    def __init__(
        self,
        host: str = DEFAULT_HOST,
        port: int = 0,
        *,
        mailbox: Mailbox | None = None,
        stores: Sequence[Store] = (),
        engine: Engine | None = None,
        **options: Any,
    ) -> None:
        self.options = ServerOptions.build({"host": host, "port": port, **options})
        stores = [
            *open_stores(maildir=self.options.maildir, mbox=self.options.mbox, latest=self.options.latest),
            *stores,
        ]
        if mailbox is not None and (stores or self.options.max_messages is not None):
            raise InvalidArgument(
                "Give max_messages, maildir, mbox, latest and stores to the Mailbox passed as mailbox."
            )
        if mailbox is None:
            mailbox = Mailbox(self.options.max_messages, storage=StoreWriter(stores) if stores else None)
        self.mailbox = mailbox
        self.security = Security(self.options)
        self.host = self.options.host
        self.port = self.options.port
        # Fault rules the test sets, and the dialogues of recent connections; both outlive restarts.
        self.faults = Faults()
        self.transcript = Transcript()
        self.stats = Statistics()
        self.errors = ErrorLog()
        self._engine = engine or AiosmtpdEngine()
        self._thread: ServerThread | None = None
        self._lock = threading.RLock()

    # -- what it is ------------------------------------------------------------------

    @property
    def address(self) -> str:
        """``host:port``, as a client would write it."""
        return format_address(self.host, self.port)

    @property
    def tls(self) -> str:
        """``"none"``, ``"starttls"`` or ``"implicit"``."""
        return self.security.tls

    @property
    def ca_certificate(self) -> str | None:
        """Path of the PEM file of the CA that issued the server's certificate, for clients
        to verify it. ``None`` without TLS, or when the certificate was given by the user."""
        return self.security.ca_certificate

    @property
    def event_loop(self) -> str | None:
        """``'uvloop'`` or ``'asyncio'``: the event loop the server runs on (``None`` when stopped)."""
        thread = self._thread
        return None if thread is None else thread.loop_kind

    @property
    def running(self) -> bool:
        thread = self._thread
        return thread is not None and thread.alive

    def is_running(self) -> bool:
        return self.running

    @property
    def storage(self) -> StoreWriter | None:
        """The disk copies, ``None`` when messages are kept in memory only."""
        return self.mailbox.storage

    # -- lifecycle ---------------------------------------------------------------------

    def start(self, timeout: float = 5.0) -> int:
        """Start serving and return the bound port."""
        with self._lock:
            if self._thread is not None:
                self.check()
                return self.port
            # The disk writer runs before the first message can arrive, so that the server's
            # thread only ever hands messages over to it (see StoreWriter).
            if self.storage is not None:
                self.storage.open()
            try:
                self._start(timeout)
            except BaseException:
                if self.storage is not None:
                    self.storage.close(timeout)
                raise
            self.mailbox.open()
            return self.port

    def _start(self, timeout: float) -> None:
        sock = bind(self.host, self.port)
        self.port = sock.getsockname()[1]
        services = Services(
            options=self.options,
            security=self.security,
            faults=self.faults,
            transcript=self.transcript,
            stats=self.stats,
            deliver=self._deliver,
            on_error=self._record_error,
            ident=f"SMTPLibrary {__version__}",
        )
        thread = ServerThread(sock, lambda loop: self._engine.connections(services, loop))
        try:
            thread.start(timeout)
        except BaseException:
            thread.stop(timeout)
            raise
        self._thread = thread

    def stop(self, timeout: float = 5.0) -> None:
        """Stop serving; open connections are dropped. Returns once connections are refused and
        every message is on disk (a slow disk is waited for as long as it makes progress)."""
        with self._lock:
            thread, self._thread = self._thread, None
            if thread is None:
                return
            self.mailbox.close(f"The SMTP server on {self.address} was stopped.")
            try:
                thread.stop(timeout)
            finally:
                if self.storage is not None and not self.storage.close(timeout):
                    raise self.storage.stalled(timeout)

    def reconfigure(self, **changes: Any) -> None:
        """Change server options (``hide_extensions=["PIPELINING"]``, ``tls_max_version="TLSv1.2"``...).

        A running server restarts on the same port to apply them: open connections are
        dropped; the mailbox, the fault rules and the transcript stay. The options are
        checked first: a bad value changes nothing. Where messages are kept (``max_messages``,
        ``maildir``, ``mbox``, ``latest``) cannot change: start another server for that."""
        fixed = [name for name in ("max_messages", "maildir", "mbox", "latest") if name in changes]
        if fixed:
            raise InvalidArgument(
                f"{', '.join(fixed)} cannot change on a server: its mailbox is made when it is created. "
                "Start another server."
            )
        current = {name: getattr(self.options, name) for name in ServerOptions.names()}
        options = ServerOptions.build({**current, "port": self.port, **changes})
        security = Security(options)
        with self._lock:
            running = self._thread is not None
            # The SMTP side only: what a subclass serves over the same mailbox (the IMAP and POP3
            # view) keeps running.
            if running:
                SMTPCapture.stop(self)
            self.options, self.security = options, security
            self.host, self.port = options.host, options.port
            if running:
                SMTPCapture.start(self)

    def clear(self, *, faults: bool = False) -> None:
        """Start afresh: empty the mailbox (its disk copies too), forget the transcript and zero
        the statistics; with ``faults``, clear the fault rules as well (by default they stay).

        The one definition of a fresh start, for every adapter. It raises nothing the server
        thread met (that stays for the next :meth:`check`); only a disk stuck for the reset's
        timeout fails it, the mailbox in memory emptied all the same."""
        self.transcript.clear()
        self.stats.reset()
        if faults:
            self.faults.clear()
        self.mailbox.reset()

    @reported_at_the_call
    def reset(self, *, faults: bool = False) -> None:
        """Forget every message (the disk copies too) and the transcript, and zero the statistics;
        ``faults=True`` also clears the fault rules, as Robot and behave do before each test.

        Raises first what went wrong in the server thread since the last call, if anything."""
        self.check()
        self.clear(faults=faults)

    def check(self) -> None:
        """Raise what went wrong in the server thread (or on the disk) since the last check, if anything.

        The server thread cannot report to the test itself (Robot Framework, for
        one, only accepts log calls from the main thread): errors are kept until
        the test asks."""
        self.errors.raise_first(ServerError)
        thread = self._thread
        if thread is not None and not thread.alive:
            self._thread = None
            self.mailbox.close(f"The SMTP server on {self.address} has stopped unexpectedly.")
            cause = thread.error
            raise ServerError(
                f"The SMTP server on {self.address} has stopped unexpectedly"
                + (f": {type(cause).__name__}: {cause}" if cause else ".")
            ) from cause
        if self.storage is not None:
            self.storage.check()

    def _deliver(self, message: ReceivedMessage) -> None:
        self.mailbox.add(message)

    def _record_error(self, error: BaseException) -> None:
        self.errors.record(
            f"The SMTP server on {self.address} failed while handling a connection: {type(error).__name__}: {error}",
            error,
        )

    def flush(self, timeout: float = 5.0) -> bool:
        """Wait until the messages received so far are on disk; ``False`` if ``timeout`` passed first.

        Waits return as soon as a message is in memory; the disk copy follows
        a moment later. :meth:`stop` and :meth:`reset` flush by themselves."""
        return True if self.storage is None else self.storage.flush(timeout)

    # -- the mock server methods -----------------------------------------------------

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
        self, pattern: str | None = None, *, timeout: Duration = DEFAULT_TIMEOUT, **criteria: Any
    ) -> ReceivedMessage:
        """The first message matching the criteria, waiting up to ``timeout`` for one.

        Criteria are those of the keywords (``pattern``, ``sender``,
        ``recipient``, ``subject``, ``body``, ``header``...), read the same way:
        a whole address matches that address only, other text matches as written
        or as a regular expression, and ``EQUALS:``, ``STARTS:``, ``CONTAINS:``,
        ``GLOB:`` and ``REGEXP:`` say how to compare. ``timeout`` is seconds, a
        ``timedelta`` or a time string such as ``"5 s"`` or ``"500 ms"``. Raises
        :class:`~SMTPLibrary.core.errors.MessageNotReceived` (an ``AssertionError``)
        with the text the Robot keyword fails with. A criterion that held only
        through a part of an address (``recipient="alice@"`` on
        ``malice@example.com``) is logged at INFO on the ``SMTPLibrary`` logger.
        """
        self.check()
        criteria_ = Criteria.from_strings(pattern=pattern, arguments=(*CRITERIA_ARGUMENTS, "timeout"), **criteria)
        message = self.mailbox.wait_for(criteria_, seconds(timeout))
        for note in criteria_.partial_matches(message):
            log.info("Message #%d: %s.", message.seq, note)
        return message

    @reported_at_the_call
    def wait_for_count(self, count: int, timeout: Duration = DEFAULT_TIMEOUT) -> None:
        """Wait until exactly ``count`` messages are held; fail at once when there are more."""
        self.check()
        self.mailbox.wait_for_count(count, seconds(timeout))

    @reported_at_the_call
    def assert_not_received(self, pattern: str | None = None, *, within: Duration = 0.0, **criteria: Any) -> None:
        """Fail if a message matching the criteria is held, or arrives within ``within``
        (seconds, a ``timedelta`` or a time string)."""
        self.check()
        criteria_ = Criteria.from_strings(pattern=pattern, arguments=(*CRITERIA_ARGUMENTS, "within"), **criteria)
        self.mailbox.assert_none(criteria_, seconds(within, "within"))

    @reported_at_the_call
    def wait_for_retries(self, count: int, timeout: Duration = DEFAULT_TIMEOUT) -> list[Attempt]:
        """Wait until the client has retried exactly ``count`` times (see
        :func:`~.faults.find_attempts`); fail at once when it retried more. Returns the attempts."""
        self.check()
        return wait_for_retries(self.transcript, count, seconds(timeout))

    @reported_at_the_call
    def wait_for_certificate_rejection(self, timeout: float | timedelta = DEFAULT_TIMEOUT) -> Verdict:
        """Wait until a client rejected the server's certificate (see :mod:`.faults.certificates`);
        fail at once when a client accepted it and went on, and after ``timeout`` seconds when none
        rejected it, naming what each session did. Returns the rejecting session's verdict.

        Start the server with a faulty ``certificate`` (``untrusted``, ``wrong_host`` or
        ``expired``) to find out whether the application under test checks the certificate."""
        self.check()
        if self.tls == "none":
            raise InvalidArgument(
                f"The SMTP server on {self.address} has no TLS: start it with tls=starttls or tls=implicit, "
                "and certificate=untrusted, wrong_host or expired."
            )
        words = certificate_words(self.security.certificate)
        return wait_for_rejection(self.transcript, seconds(timeout), words, self.address)

    # -- with ----------------------------------------------------------------------------

    def __enter__(self) -> SMTPCapture:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    def __repr__(self) -> str:
        state = "running" if self.running else "stopped"
        return f"<SMTPServer {self.address} {state}, {plural(self.mailbox.count(), 'message')}>"
