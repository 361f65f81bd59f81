"""Drives ``smtplibrary serve`` as a child process: its output lines as they come, signals, exit status."""

from __future__ import annotations

import contextlib
import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

SERVE = [sys.executable, "-m", "SMTPLibrary", "serve"]
BANNER = re.compile(r"listening on (?P<host>\S+):(?P<port>\d+), ")
TIMEOUT = 15.0


class ServeProcess:
    """``smtplibrary serve`` with ``args``; ``expect()`` waits for an output line, event-driven."""

    def __init__(self, *args: str, command: list[str] | None = None, cwd: Path | None = None) -> None:
        env = dict(os.environ, PYTHONUNBUFFERED="1", PYTHONIOENCODING="utf-8")
        self.command = [*(command or SERVE), *args]
        # A session of its own, so that kill() also ends what a shell in between started.
        self.process = subprocess.Popen(
            self.command,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=cwd,
            env=env,
            start_new_session=True,
        )
        self.lines: list[str] = []
        self._queue: queue.Queue[str | None] = queue.Queue()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        # stderr is read as it comes too, so that a test can wait for an error while the server runs.
        self.error_lines: list[str] = []
        self._error_queue: queue.Queue[str | None] = queue.Queue()
        self._stderr_text: list[str] = []
        self._error_reader = threading.Thread(target=self._read_errors, daemon=True)
        self._error_reader.start()
        self.stderr = ""
        self.port = 0

    def _read(self) -> None:
        for line in self.process.stdout:
            self._queue.put(line.rstrip("\n"))
        self._queue.put(None)

    def _read_errors(self) -> None:
        for line in self.process.stderr:
            self._stderr_text.append(line)
            self._error_queue.put(line.rstrip("\n"))
        self._error_queue.put(None)

    def expect(self, pattern: str, timeout: float = TIMEOUT) -> re.Match[str]:
        """The first new output line that matches ``pattern`` (``re.search``); fails with the output so far."""
        return self._expect(self._queue, self.lines, "Output", pattern, timeout)

    def expect_error(self, pattern: str, timeout: float = TIMEOUT) -> re.Match[str]:
        """The first new stderr line that matches ``pattern``, while the process runs."""
        return self._expect(self._error_queue, self.error_lines, "Stderr", pattern, timeout)

    def _expect(
        self, lines: queue.Queue[str | None], seen: list[str], name: str, pattern: str, timeout: float
    ) -> re.Match[str]:
        compiled = re.compile(pattern)
        deadline = time.monotonic() + timeout
        while True:
            try:
                line = lines.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                so_far = "\n".join(seen)
                raise AssertionError(f"No line matching {pattern!r} in {timeout} s. {name}:\n{so_far}") from None
            if line is None:
                lines.put(None)
                so_far = "\n".join(seen)
                raise AssertionError(f"{name} ended without a line matching {pattern!r}. {name}:\n{so_far}")
            seen.append(line)
            match = compiled.search(line)
            if match:
                return match

    def started(self) -> ServeProcess:
        self.port = int(self.expect(BANNER.pattern).group("port"))
        self.expect("Ctrl\\+C stops")
        return self

    def stop(self, signum: int = signal.SIGINT) -> int:
        self.process.send_signal(signum)
        return self.wait()

    def wait(self) -> int:
        status = self.process.wait(TIMEOUT)
        self._reader.join(TIMEOUT)
        while True:
            line = self._queue.get_nowait()
            if line is None:
                break
            self.lines.append(line)
        self._error_reader.join(TIMEOUT)
        self.stderr = "".join(self._stderr_text)
        self.process.stderr.close()
        self.process.stdout.close()
        return status

    @property
    def output(self) -> str:
        return "\n".join(self.lines)

    def kill(self) -> None:
        """End the process and everything it started, if still running."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        if not self.process.stdout.closed:
            self.wait()
