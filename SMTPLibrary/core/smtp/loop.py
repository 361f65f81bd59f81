"""An event loop in a thread of its own, serving connections on a socket bound beforehand.

* The socket is bound in the caller's thread, before the loop starts: port 0
  works and the bound port is known at once, and a port in use fails
  immediately, naming host and port.
* No connection is made to "trigger" the server: the protocol factory cannot
  fail (its arguments were checked before), and a phantom session would
  otherwise show up in statistics and transcripts.
* Stopping aborts the open connections first, so an idle client cannot keep
  the server (and the caller) waiting, and closes connections that were still
  being accepted, so that no socket or task is left behind.
* A loop that fails to start is closed, not leaked.
* The event loop is uvloop's when it is installed (the ``uvloop`` extra),
  unless ``SMTPLIBRARY_EVENT_LOOP=asyncio`` says otherwise.
"""

from __future__ import annotations

import asyncio
import errno
import functools
import os
import socket
import threading
from collections.abc import Callable
from typing import Protocol

from ..errors import InvalidArgument, ServerError
from ..wording import format_address

_BIND_ERRORS = {
    errno.EADDRINUSE: "the port is already in use",
    errno.EADDRNOTAVAIL: "the address is not available on this machine",
    errno.EACCES: "permission denied (ports below 1024 need privileges)",
}

# Stopping waits this long at most for connections being accepted or closed.
SHUTDOWN_GRACE = 0.2
SHUTDOWN_STEP = 0.01


def cannot_listen(what: str, host: str, port: int, error: OSError) -> ServerError:
    """Why ``what`` could not listen on ``host:port``, in one line without errno:
    ``Cannot start an SMTP server on 127.0.0.1:25: the port is already in use.``"""
    if isinstance(error, socket.gaierror):
        reason = f"unknown host ({error.strerror})"
    else:
        reason = _BIND_ERRORS.get(error.errno, error.strerror or str(error))
    return ServerError(f"Cannot start {what} on {format_address(host or '*', port)}: {reason}.")


def bind(host: str, port: int) -> socket.socket:
    """A socket bound to ``host:port`` (port 0: a free port), not yet listening."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(
            host or None, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
        )[0]
    except socket.gaierror as error:
        raise cannot_listen("an SMTP server", host, port, error) from None
    sock = socket.socket(family, kind, proto)
    try:
        # As asyncio does: a restarted server can bind its port again at once.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
    except OSError as error:
        sock.close()
        raise cannot_listen("an SMTP server", host, port, error) from None
    return sock


LOOP_VARIABLE = "SMTPLIBRARY_EVENT_LOOP"
LOOP_KINDS = ("auto", "uvloop", "asyncio")


@functools.cache
def _uvloop_installed() -> bool:
    try:
        import uvloop  # noqa: F401 - optional, and only imported when a server starts
    except ImportError:
        return False
    return True


def event_loop_kind() -> str:
    """``'uvloop'`` or ``'asyncio'``: the loop the next server runs on.

    ``$SMTPLIBRARY_EVENT_LOOP`` chooses: ``auto`` (the default) takes uvloop
    when it is installed, ``asyncio`` never does, ``uvloop`` insists on it."""
    choice = os.environ.get(LOOP_VARIABLE, "").strip().lower() or "auto"
    if choice not in LOOP_KINDS:
        raise InvalidArgument(f"{LOOP_VARIABLE} must be one of {', '.join(LOOP_KINDS)}, got {choice!r}.")
    if choice == "asyncio":
        return "asyncio"
    if _uvloop_installed():
        return "uvloop"
    if choice == "uvloop":
        raise ServerError(f"{LOOP_VARIABLE}=uvloop but uvloop is not installed (pip install uvloop).")
    return "asyncio"


def new_event_loop(kind: str | None = None) -> asyncio.AbstractEventLoop:
    if (kind or event_loop_kind()) == "uvloop":
        import uvloop

        return uvloop.new_event_loop()
    return asyncio.new_event_loop()


class Connections(Protocol):
    """What a server thread serves: a factory of one protocol object per accepted connection
    (never raising), that can also drop every connection it made."""

    def __call__(self) -> asyncio.BaseProtocol: ...

    def abort_all(self) -> None:
        """Drop every open connection now (called on the loop thread)."""


class ServerThread:
    """Serves ``connections`` on an already bound socket, in a thread of its own.

    ``make_connections(loop)`` runs in the caller's thread, before the thread
    starts: whatever it refuses fails the start there."""

    def __init__(
        self,
        sock: socket.socket,
        make_connections: Callable[[asyncio.AbstractEventLoop], Connections],
    ) -> None:
        self.host, self.port = sock.getsockname()[:2]
        self._sock = sock
        try:
            self.loop_kind = event_loop_kind()
            self.loop = new_event_loop(self.loop_kind)
        except BaseException:
            sock.close()
            raise
        try:
            self.connections = make_connections(self.loop)
        except BaseException:
            # Nothing else holds them: the caller only gets the error.
            self.loop.close()
            sock.close()
            raise
        self.error: BaseException | None = None
        self._server: asyncio.AbstractServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def address(self) -> str:
        return format_address(self.host, self.port)

    def start(self, timeout: float = 5.0) -> None:
        ready = threading.Event()
        self._thread = threading.Thread(
            target=self._serve, args=(ready,), name=f"SMTPLibrary {self.address}", daemon=True
        )
        self._thread.start()
        if not ready.wait(timeout):
            raise ServerError(f"The SMTP server on {self.address} did not start in time.")
        if self.error is not None:
            raise ServerError(f"The SMTP server on {self.address} failed to start: {self.error}") from self.error

    def _serve(self, ready: threading.Event) -> None:
        loop = self.loop
        try:
            asyncio.set_event_loop(loop)
            self._server = loop.run_until_complete(loop.create_server(self.connections, sock=self._sock))
            loop.call_soon(ready.set)
            loop.run_forever()
            self._server.close()
            loop.run_until_complete(self._server.wait_closed())
        except BaseException as error:  # noqa: BLE001 - reported by start(), or by the next keyword
            self.error = error
        finally:
            ready.set()
            if not loop.is_closed():
                loop.close()
            self._sock.close()

    def stop(self, timeout: float = 5.0) -> None:
        thread = self._thread
        if thread is None:
            return
        try:
            self.loop.call_soon_threadsafe(self.loop.create_task, self._shutdown())
        except RuntimeError:
            pass  # the loop is already closed: the thread has ended
        thread.join(timeout)
        if thread.is_alive():
            raise ServerError(f"The SMTP server on {self.address} did not stop within {timeout:g} s.")
        self._thread = None

    async def _shutdown(self) -> None:
        """Close everything on the loop before it stops, so nothing is left half-open.

        A client may have connected just before: asyncio then has a task turning the
        accepted socket into a connection. That task fails (and leaks the socket) if
        the listener is closed first, and cancelling it before it runs leaks the
        socket too. So: drop every connection as it appears until no task is left
        (bounded in time), and only then close the listener; whatever is still
        pending after the grace period is cancelled."""
        me = asyncio.current_task()
        deadline = self.loop.time() + SHUTDOWN_GRACE
        while True:
            self.connections.abort_all()
            pending = [task for task in asyncio.all_tasks() if task is not me]
            if not pending or self.loop.time() >= deadline:
                break
            await asyncio.wait(pending, timeout=SHUTDOWN_STEP)
        # No await between the last look at the tasks and this: no accept can slip in.
        assert self._server is not None
        self._server.close()
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)
        self.loop.stop()

    @property
    def alive(self) -> bool:
        return self._thread is not None and self._thread.is_alive()
