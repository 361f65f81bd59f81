"""SIGINT and SIGTERM as something the main thread can wait on.

Our own handlers are installed because a process started in the background
by a non-interactive shell inherits SIGINT as *ignored*: waiting for
``KeyboardInterrupt`` would leave it deaf to ``kill -INT``.

The handler only records the signal. It does not set a ``threading.Event``:
``Event.set`` takes a lock that the main thread itself may hold at that very
moment (inside ``Event.wait``), which deadlocks. Instead the wake-up file
descriptor of :func:`signal.set_wakeup_fd` ends a ``select`` that the main
thread waits in, with a timeout for periodic work.
"""

from __future__ import annotations

import select
import signal
import socket
from types import FrameType, TracebackType

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


class StopSignals:
    """``with StopSignals() as signals: signals.wait(timeout)`` returns the signal that asked to stop, if any."""

    def __init__(self) -> None:
        self.received: signal.Signals | None = None
        self._previous: dict[int, object] = {}
        self._previous_fd = -1
        self._reader: socket.socket | None = None
        self._writer: socket.socket | None = None

    def __enter__(self) -> StopSignals:
        self._reader, self._writer = socket.socketpair()
        self._reader.setblocking(False)
        self._writer.setblocking(False)
        self._previous_fd = signal.set_wakeup_fd(self._writer.fileno(), warn_on_full_buffer=False)
        for number in STOP_SIGNALS:
            self._previous[number] = signal.signal(number, self._record)
        return self

    def _record(self, number: int, _frame: FrameType | None) -> None:
        if self.received is None:
            self.received = signal.Signals(number)

    def wait(self, timeout: float | None) -> signal.Signals | None:
        """Wait until a stop signal arrives (returns it) or ``timeout`` seconds pass (returns ``None``)."""
        assert self._reader is not None
        if self.received is None:
            readable, _, _ = select.select([self._reader], [], [], timeout)
            if readable:
                try:
                    self._reader.recv(4096)
                except BlockingIOError:
                    pass
        return self.received

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        for number, handler in self._previous.items():
            signal.signal(number, handler)  # type: ignore[arg-type]
        signal.set_wakeup_fd(self._previous_fd)
        for sock in (self._reader, self._writer):
            if sock is not None:
                sock.close()
