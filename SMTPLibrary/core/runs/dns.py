"""The test DNS of a run: records live as long as the test or suite that published them.

The records a test publishes are its own, as the mail it receives is: when the
test ends (``auto_reset=test``), the records it added are removed, so the next
test starts without them, while those a suite setup published stay until the
suite ends. ``auto_reset=suite`` does the same with suites; ``none`` never
removes anything by itself. The owners are the scopes of :class:`.isolation.Isolation`,
the same ones that own the servers.
"""

from __future__ import annotations

import threading

from ..checks import DKIMKey, Record, TestDNS
from ..checks.keys import publish


class RunDNS:
    """The one :class:`TestDNS` of a run, and which scope published each of its records."""

    def __init__(self) -> None:
        self.dns = TestDNS()
        self._lock = threading.Lock()
        self._owned: list[tuple[object, Record]] = []

    def add(self, name: str, type: str, value: object, owner: object) -> Record:
        return self._own(self.dns.add(name, type, value), owner)

    def publish_key(self, key: DKIMKey, owner: object) -> Record:
        """Publish ``key`` at its selector, in place of the key published there before."""
        return self._own(publish(key, self.dns), owner)

    def _own(self, record: Record, owner: object) -> Record:
        with self._lock:
            self._owned.append((owner, record))
        return record

    def release(self, owner: object) -> None:
        """Remove the records ``owner`` published (a scope that ended), but those another scope
        still holds: the same record published by a suite setup and by a test stays for the suite."""
        with self._lock:
            mine = [record for who, record in self._owned if who is owner]
            self._owned = [(who, record) for who, record in self._owned if who is not owner]
            held = {record for _, record in self._owned}
        for record in mine:
            if record not in held:
                self.dns.discard(record)

    def clear(self) -> None:
        with self._lock:
            self._owned.clear()
        self.dns.clear()
