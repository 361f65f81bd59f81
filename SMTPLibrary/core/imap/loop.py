"""An asyncio event loop in a thread of its own, and a clean stop of everything on it.

Both servers of the view (IMAP, POP3) run on one such loop. Other threads hand
it coroutines with :meth:`LoopThread.run`, which blocks until the result comes
or its timeout passes.

Stopping: servers close their listening sockets, each connection is aborted
(``transport.abort()``: an implicit-TLS connection would otherwise wait for a
close_notify that never comes) and its task cancelled, then every task still
on the loop is cancelled and awaited, async generators are shut down, the loop
closed and the thread joined. No thread or descriptor is left.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import ssl
import threading
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass
from typing import Any, TypeVar

from ..errors import ErrorLog

T = TypeVar("T")

STOP_TIMEOUT = 5.0


class LoopStopped(RuntimeError):
    """The loop was stopped (or never started): nothing more runs on it."""


class Connections:
    """The connections a server has open: their writers and tasks, to end them at stop."""

    def __init__(self) -> None:
        # task -> the socket's own transport, kept from before any TLS: on Python 3.11 a second
        # close() of a TLS transport forgets its socket (sslproto sets _ssl_protocol = None), after
        # which its abort() does nothing; the socket transport can always be aborted.
        self._open: dict[asyncio.Task, asyncio.Transport] = {}

    def track(
        self,
        handler: Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]],
        tls: ssl.SSLContext | None = None,
        handshake_timeout: float = 10.0,
    ):
        """Wrap a ``start_server`` callback so that each connection is known until it ends.

        With ``tls``, the connection starts TLS at once (implicit TLS) *inside* the tracked task,
        instead of ``start_server(ssl=...)``: on Python 3.11 a connection whose handshake never
        completes is known to nobody there, so a stop would leave its socket open; here it is
        cancelled and aborted like any other; a failed handshake aborts the connection."""

        async def tracked(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            task = asyncio.current_task()
            assert task is not None
            self._open[task] = writer.transport
            try:
                if tls is not None:
                    try:
                        await writer.start_tls(tls, ssl_handshake_timeout=handshake_timeout)
                    except (ssl.SSLError, ConnectionError, OSError, asyncio.TimeoutError):
                        # The client refused the certificate or never finished: nothing to serve.
                        writer.transport.abort()
                        return
                await handler(reader, writer)
            except (ConnectionError, asyncio.IncompleteReadError):
                pass
            finally:
                self._open.pop(task, None)
                if not writer.is_closing():
                    writer.close()

        return tracked

    def __len__(self) -> int:
        return len(self._open)

    async def close_all(self, grace: float = 1.0) -> None:
        """Cancel each connection (pymap then sends ``* BYE [UNAVAILABLE]``), give them ``grace``
        seconds to say so, then abort every transport: a TLS one would otherwise wait for the
        peer's close_notify, and the loop would close with it open."""
        connections = list(self._open.items())
        for task, _transport in connections:
            task.cancel()
        if connections:
            await asyncio.wait([task for task, _ in connections], timeout=grace)
        for _task, transport in connections:
            transport.abort()
        self._open.clear()


@dataclass
class Listener:
    """A listening server of the view (IMAP or POP3), its port, and the connections it accepted."""

    server: asyncio.AbstractServer
    port: int
    connections: Connections

    async def close(self) -> None:
        self.server.close()
        await self.connections.close_all()
        await self.server.wait_closed()


class LoopThread:
    """The loop's thread. What fails on it is recorded in ``errors`` (its owner's log, read from
    the test thread under a lock), never raised or logged there."""

    def __init__(self, errors: ErrorLog, name: str = "smtplibrary-imap") -> None:
        self.name = name
        self.errors = errors
        self.loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._closers: list[Callable[[], Coroutine[Any, Any, None]]] = []

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> None:
        if self._thread is not None:
            raise RuntimeError("This loop thread was started already; make a new one.")
        ready = threading.Event()

        def main() -> None:
            loop = asyncio.new_event_loop()
            loop.set_exception_handler(self._record)
            self.loop = loop
            asyncio.set_event_loop(loop)
            ready.set()
            try:
                loop.run_forever()
            finally:
                try:
                    loop.run_until_complete(self._finish(loop))
                    loop.run_until_complete(loop.shutdown_asyncgens())
                finally:
                    asyncio.set_event_loop(None)
                    loop.close()

        self._thread = threading.Thread(target=main, name=self.name, daemon=True)
        self._thread.start()
        ready.wait()

    def _record(self, loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
        # Never log from here (Robot accepts logs only from the main thread): keep for the next call.
        error = context.get("exception")
        if isinstance(error, asyncio.CancelledError):
            return  # a task ended by a stop: how connections end then, not a failure
        self._keep(error if error is not None else RuntimeError(context.get("message", "loop error")))

    def _keep(self, error: BaseException) -> None:
        self.errors.record(f"The IMAP and POP3 view failed: {type(error).__name__}: {error}", error)

    def on_stop(self, closer: Callable[[], Coroutine[Any, Any, None]]) -> None:
        """Run ``closer()`` on the loop when it stops (servers register their close here)."""
        self._closers.append(closer)

    async def _finish(self, loop: asyncio.AbstractEventLoop) -> None:
        for closer in reversed(self._closers):
            try:
                await closer()
            except Exception as error:  # noqa: BLE001 - a stop goes on; the error is kept
                self._keep(error)
        self._closers.clear()
        current = asyncio.current_task()
        for _ in range(3):  # cancelled tasks may start others (pymap's IDLE does)
            pending = [task for task in asyncio.all_tasks(loop) if task is not current and not task.done()]
            if not pending:
                break
            for task in pending:
                task.cancel()
            await asyncio.gather(*pending, return_exceptions=True)

    def run(self, coroutine: Coroutine[Any, Any, T], timeout: float | None = STOP_TIMEOUT) -> T:
        """Run ``coroutine`` on the loop and return its result (from any thread but the loop's)."""
        future = self._submit(coroutine)
        try:
            return future.result(timeout)
        except concurrent.futures.TimeoutError:
            future.cancel()
            raise TimeoutError(f"The IMAP view did not answer in {timeout} seconds.") from None

    def _submit(self, coroutine: Coroutine[Any, Any, T]) -> concurrent.futures.Future[T]:
        loop = self.loop
        if loop is None or loop.is_closed() or not self.running:
            coroutine.close()
            raise LoopStopped("The IMAP view is not running.")
        if threading.current_thread() is self._thread:
            coroutine.close()
            raise RuntimeError("LoopThread.run was called on the loop's own thread: it would wait for itself.")
        return asyncio.run_coroutine_threadsafe(coroutine, loop)

    def stop(self, timeout: float = STOP_TIMEOUT) -> None:
        thread, loop = self._thread, self.loop
        if thread is None or loop is None:
            return
        if thread.is_alive() and not loop.is_closed():
            loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout)
        if thread.is_alive():
            raise TimeoutError(f"The IMAP view's thread did not stop in {timeout} seconds.")
