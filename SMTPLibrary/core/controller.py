"""aiosmtpd's threaded ``Controller``, with its traps for test use removed.

* The listening socket is bound here, in the caller's thread, before the
  event loop starts: port 0 works and the bound port is known at once, and a
  port in use fails immediately instead of after aiosmtpd's 5 s ready timeout.
* No self-connection is made to "trigger" the server: the protocol factory
  cannot fail (its arguments are checked before), and a phantom session
  would otherwise show up in statistics and transcripts.
* Stopping aborts the open connections first, so an idle client cannot keep
  the server (and the caller) waiting, and closes connections that were
  still being accepted, so that no socket or task is left behind.
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
from typing import Any

from aiosmtpd.controller import Controller

from .errors import InvalidArgument, ServerError
from .formatting import format_address
from .protocol import CaptureSMTP

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


class ThreadedController(Controller):
    """Serves SMTP on an already bound socket, in a thread of its own."""

    def __init__(self, handler: Any, sock: socket.socket, **kwargs: Any) -> None:
        host, port = sock.getsockname()[:2]
        try:
            self.loop_kind = event_loop_kind()
            loop = new_event_loop(self.loop_kind)
        except BaseException:
            sock.close()
            raise
        try:
            super().__init__(handler, hostname=host, port=port, loop=loop, **kwargs)
        except BaseException:
            # Nothing else holds them: the caller only gets the error.
            loop.close()
            sock.close()
            raise
        self._sock = sock
        self.connections: set[CaptureSMTP] = set()
        self.error: BaseException | None = None
        try:
            # aiosmtpd's full __init__ runs once, here: arguments it rejects fail the
            # start in the caller's thread; connections copy this pristine instance.
            self._template = CaptureSMTP(
                handler, connections=self.connections, hooks=False, loop=self.loop, **self.SMTP_kwargs
            )
        except BaseException:
            sock.close()
            self.loop.close()
            raise

    def factory(self) -> CaptureSMTP:
        return CaptureSMTP(self.handler, template=self._template)

    def _create_server(self) -> Any:
        return self.loop.create_server(self._factory_invoker, sock=self._sock, ssl=self.ssl_context)

    def start(self, timeout: float = 5.0) -> None:  # type: ignore[override]
        ready = threading.Event()
        self._thread = threading.Thread(
            target=self._serve,
            args=(ready,),
            name=f"SMTPLibrary {format_address(self.hostname, self.port)}",
            daemon=True,
        )
        self._thread.start()
        if not ready.wait(timeout):
            raise ServerError(f"The SMTP server on {format_address(self.hostname, self.port)} did not start in time.")
        failure = self._thread_exception or self.error
        if failure is not None:
            raise ServerError(
                f"The SMTP server on {format_address(self.hostname, self.port)} failed to start: {failure}"
            ) from failure

    def _serve(self, ready: threading.Event) -> None:
        try:
            self._run(ready)
        except BaseException as error:  # noqa: BLE001 - reported by the next keyword
            self.error = error
        finally:
            ready.set()
            if not self.loop.is_closed():
                self.loop.close()
            self._sock.close()

    def stop(self, timeout: float = 5.0) -> None:  # type: ignore[override]
        thread = self._thread
        if thread is None:
            return
        try:
            self.loop.call_soon_threadsafe(self.loop.create_task, self._shutdown())
        except RuntimeError:
            pass  # the loop is already closed: the thread has ended
        thread.join(timeout)
        if thread.is_alive():
            raise ServerError(
                f"The SMTP server on {format_address(self.hostname, self.port)} did not stop within {timeout:g} s."
            )
        self._thread = None
        self._cleanup()

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
            for connection in list(self.connections):
                connection.abort()
            pending = [task for task in asyncio.all_tasks() if task is not me]
            if not pending or self.loop.time() >= deadline:
                break
            await asyncio.wait(pending, timeout=SHUTDOWN_STEP)
        # No await between the last look at the tasks and this: no accept can slip in.
        self.server.close()
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)
        self.loop.stop()

    @property
    def alive(self) -> bool:
        return self._thread is not None and self._thread.is_alive()
