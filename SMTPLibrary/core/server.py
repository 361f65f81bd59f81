"""The SMTP server a test starts: a threaded aiosmtpd server and its mailbox."""

from __future__ import annotations

import logging
import threading
from types import TracebackType

from ..version import __version__
from . import aiosmtpd_log
from .controller import ThreadedController, bind
from .errors import InvalidArgument, ServerError
from .faults import Faults
from .formatting import format_address
from .handler import CaptureHandler
from .mailbox import Mailbox
from .security import DEFAULT_SIZE_LIMIT, Security
from .transcript import Transcript

DEFAULT_HOST = "127.0.0.1"
DEFAULT_SERVER_HOSTNAME = "localhost"

# aiosmtpd logs every command at INFO on "mail.log", and each odd command a
# test sends on purpose at WARNING. Test runners that capture logging (behave,
# pytest) would print all of it with each failure, and Python prints warnings
# to stderr when logging is not configured. Quiet it, unless the user has set
# its level. Errors in the server thread are reported by the next keyword.
_aiosmtpd_log = logging.getLogger("mail.log")
if _aiosmtpd_log.level == logging.NOTSET:
    _aiosmtpd_log.setLevel(logging.ERROR)
# Whatever its level, it shows no password.
aiosmtpd_log.install(_aiosmtpd_log)


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

    ``tls`` is ``"none"``, ``"starttls"`` (offered; ``require_tls=True``: MAIL
    before STARTTLS gets ``530``) or ``"implicit"`` (TLS from the first byte).
    Without ``certificate`` (and ``key``, PEM files) the server presents a
    certificate for ``localhost``, ``127.0.0.1`` and ``::1`` from a test CA
    whose PEM file is :attr:`ca_certificate`. ``credentials`` (``"user:password"``,
    several separated by commas, a list of them or a dict) enables AUTH PLAIN
    and LOGIN, over TLS only unless ``allow_plaintext_auth``; ``auth_required``
    refuses MAIL before AUTH with ``530``. ``size_limit`` (bytes, 0: none) is
    advertised as SIZE and enforced with ``552``; ``smtputf8`` advertises
    SMTPUTF8 and 8BITMIME. Every argument is checked here, before anything starts.

    >>> with SMTPServer() as server:
    ...     port = server.port
    """

    def __init__(
        self,
        host: str = DEFAULT_HOST,
        port: int = 0,
        *,
        tls: str = "none",
        require_tls: bool = False,
        certificate: str | None = None,
        key: str | None = None,
        credentials: object = None,
        auth_required: bool = False,
        allow_plaintext_auth: bool = False,
        size_limit: int = DEFAULT_SIZE_LIMIT,
        smtputf8: bool = True,
        server_hostname: str = DEFAULT_SERVER_HOSTNAME,
        mailbox: Mailbox | None = None,
        max_messages: int | None = None,
    ) -> None:
        self.security = Security(
            tls=tls,
            require_tls=require_tls,
            certificate=certificate,
            key=key,
            credentials=credentials,
            auth_required=auth_required,
            allow_plaintext_auth=allow_plaintext_auth,
            size_limit=size_limit,
            smtputf8=smtputf8,
        )
        self.host = host
        self.port = port
        self.server_hostname = server_hostname
        if mailbox is not None and max_messages is not None:
            raise InvalidArgument("Give max_messages to the Mailbox passed as mailbox, not to the server.")
        self.mailbox = mailbox if mailbox is not None else Mailbox(max_messages)
        self._controller: ThreadedController | None = None
        self._lock = threading.RLock()
        # Appended on the loop thread, taken by check() on test threads.
        self._errors: list[BaseException] = []
        self._errors_lock = threading.Lock()
        # Fault rules the test sets, and the dialogues of recent connections; both outlive restarts.
        self.faults = Faults()
        self.transcript = Transcript()
        self._handler = CaptureHandler(
            self.mailbox, on_error=self._record_error, faults=self.faults, transcript=self.transcript
        )

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
                **self.security.controller_kwargs(),
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

    def reset(self, *, faults: bool = False) -> None:
        """Start afresh: empty the mailbox (its disk copies too), forget the transcript and zero the
        statistics; with ``faults``, clear the fault rules as well (by default they stay).

        The one definition of a fresh start, for every adapter. It never raises: an error
        the server thread met stays for the next :meth:`check`."""
        self.mailbox.reset()
        self.transcript.clear()
        self._handler.stats.reset()
        if faults:
            self.faults.clear()

    def check(self) -> None:
        """Raise what went wrong in the server thread since the last check, if anything.

        The server thread cannot report to the test itself (Robot Framework, for
        one, only accepts log calls from the main thread): errors are kept until
        the test asks."""
        with self._errors_lock:
            errors, self._errors = self._errors, []
        if errors:
            error = errors[0]
            more = f" (and {len(errors) - 1} more errors)" if len(errors) > 1 else ""
            raise ServerError(
                f"The SMTP server on {self.address} failed while handling a connection: "
                f"{type(error).__name__}: {error}{more}"
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

    def _record_error(self, error: BaseException) -> None:
        with self._errors_lock:
            self._errors.append(error)

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
