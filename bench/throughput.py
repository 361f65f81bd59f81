"""Messages per second through a whole SMTP session, one connection per message."""

from __future__ import annotations

import subprocess
import sys
import time

from .client import message
from .servers import ROOT_ENV
from .tools import PostfixTools

SUBJECT = "Benchmark message"
WARM_UP = 20


class Driver:
    """Sends ``count`` messages to a port and returns the seconds it took."""

    def __init__(self, postfix: PostfixTools | None) -> None:
        self.postfix = postfix
        self.name = "postfix smtp-source" if postfix else "built-in asyncio client (bench/client.py)"

    def send(self, port: int, sessions: int, count: int, size: int, timeout: float = 300) -> float:
        if self.postfix:
            start = time.perf_counter()
            self.postfix.run_source(port, sessions, count, size, SUBJECT, timeout)
            return time.perf_counter() - start
        output = subprocess.run(
            [sys.executable, "-m", "bench.client", str(port), str(sessions), str(count), str(size), SUBJECT],
            check=True,
            timeout=timeout,
            capture_output=True,
            env=ROOT_ENV,
        ).stdout
        return float(output.decode().split()[-1])


def run(target, driver: Driver, sessions: int, size: int, count: int) -> float:
    """One measurement: messages per second, after checking every message arrived intact."""
    port = target.start()
    try:
        driver.send(port, min(sessions, WARM_UP), WARM_UP, size)
        target.verify(WARM_UP, SUBJECT, size)
        target.reset()
        seconds = driver.send(port, sessions, count, size)
        target.verify(count, SUBJECT, size)
        target.reset()
    finally:
        target.stop()
    return count / seconds


def message_bytes(size: int) -> int:
    return len(message(size, SUBJECT))
