"""The SMTP server a test starts: a threaded aiosmtpd server and its mailbox."""

from __future__ import annotations

import logging
import threading
from types import TracebackType

from ..version import __version__
from .controller import ThreadedController, bind, format_address
from .errors import InvalidArgument, ServerError
from .handler import CaptureHandler
from .mailbox import Mailbox

DEFAULT_HOST = "127.0.0.1"
DEFAULT_SERVER_HOSTNAME = "localhost"

# aiosmtpd logs every command at INFO on "mail.log". Test runners that capture
# logging (behave, pytest) would print all of it with each failure. Quiet it,
# unless the user has set its level.
_aiosmtpd_log = logging.getLogger("mail.log")
if _aiosmtpd_log.level == logging.NOTSET:
    _aiosmtpd_log.setLevel(logging.WARNING)


class SMTPServer:
    """An SMTP server running in a background thread of this process.

    ``port=0`` (the default) lets the operating system choose a free port;
    :attr:`port` holds the bound port once started. Starting a running server
    or stopping a stopped one does nothing. A stopped server can be started
    again; it then binds the same port as before, so the application under
    test finds it where it was.

    Every message that completes DATA lands in :attr:`mailbox`, which outlives
    stops and restarts until it is reset. ``max_messages`` keeps only that many,
    the newest (default: no limit).

    >>> with SMTPServer() as server:
    ...     port = server.port
    """

    def __init__(
        self,
        host: str = DEFAULT_HOST,
        port: int = 0,
        *,
        server_hostname: str = DEFAULT_SERVER_HOSTNAME,
        mailbox: Mailbox | None = None,
        max_messages: int | None = None,
    ) -> None:
        self.host = host
        self.port = port
        self.server_hostname = server_hostname
        if mailbox is not None and max_messages is not None:
            raise InvalidArgument("Give max_messages to the Mailbox passed as mailbox, not to the server.")
        self.mailbox = mailbox if mailbox is not None else Mailbox(max_messages)
        self._controller: ThreadedController | None = None
        self._lock = threading.RLock()
        self._errors: list[BaseException] = []
        self._handler = CaptureHandler(self.mailbox, on_error=self._errors.append)

    @property
    def address(self) -> str:
        """``host:port``, as a client would write it."""
        return format_address(self.host, self.port)

    @property
    def event_loop(self) -> str | None:
        """``'uvloop'`` or ``'asyncio'``: the event loop the server runs on (``None`` when stopped)."""
        controller = self._controller
        return None if controller is None else controller.loop_kind

    @property
    def running(self) -> bool:
        controller = self._controller
        return controller is not None and controller.alive

    def start(self, timeout: float = 5.0) -> int:
        """Start serving and return the bound port."""
        with self._lock:
            if self._controller is not None:
                self.check()
                return self.port
            sock = bind(self.host, self.port)
            self.port = sock.getsockname()[1]
            controller = ThreadedController(
                self._handler,
                sock,
                server_hostname=self.server_hostname,
                ident=f"SMTPLibrary {__version__}",
            )
            try:
                controller.start(timeout)
            except BaseException:
                controller.stop(timeout)
                raise
            self._controller = controller
            self.mailbox.open()
            return self.port

    def stop(self, timeout: float = 5.0) -> None:
        """Stop serving; open connections are dropped. After this returns, connections are refused."""
        with self._lock:
            controller, self._controller = self._controller, None
            if controller is None:
                return
            self.mailbox.close(f"The SMTP server on {self.address} was stopped.")
            controller.stop(timeout)

    def check(self) -> None:
        """Raise what went wrong in the server thread since the last check, if anything.

        The server thread cannot report to the test itself (Robot Framework, for
        one, only accepts log calls from the main thread): errors are kept until
        the test asks."""
        if self._errors:
            error = self._errors.pop(0)
            self._errors.clear()
            raise ServerError(
                f"The SMTP server on {self.address} failed while handling a connection: {type(error).__name__}: {error}"
            ) from error
        controller = self._controller
        if controller is not None and not controller.alive:
            self._controller = None
            self.mailbox.close(f"The SMTP server on {self.address} has stopped unexpectedly.")
            cause = controller.error
            raise ServerError(
                f"The SMTP server on {self.address} has stopped unexpectedly"
                + (f": {type(cause).__name__}: {cause}" if cause else ".")
            ) from cause

    def __enter__(self) -> SMTPServer:
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
        return f"<SMTPServer {self.address} {state}, {self.mailbox.count()} messages>"
