"""Isolation between tests: what each test starts from, how long its servers live, addresses of its own.

A run is a stack of scopes, suites holding tests. The Robot listener (and
any other adapter) reports where each scope starts and ends; this module
decides, according to the ``auto_reset`` mode, which mailboxes are emptied
and which servers are stopped. :func:`reset_for_next_test` is what every Robot
test and behave scenario starts from: the server's own reset (the one
definition of a fresh start), fault rules included.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass, field

from ..errors import InvalidArgument
from ..imap import SMTPServer
from ..values import refuse_misnamed
from .registry import ServerRegistry

AUTO_RESET_MODES = ("test", "suite", "none")

_NAME = re.compile(r"[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*")
_DOMAIN = re.compile(r"[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*")
# 48 random bits: parallel processes draw their own, and collisions stay out of reach.
TOKEN_BYTES = 6


def check_auto_reset(value: str, name: str = "auto_reset") -> str:
    """``value`` as one of :data:`AUTO_RESET_MODES` (case does not matter), or an error naming ``name``."""
    mode = str(value).strip().lower()
    if mode not in AUTO_RESET_MODES:
        raise InvalidArgument(f"{name} must be 'test', 'suite' or 'none', got {value!r}.")
    return mode


def reset_for_next_test(server: SMTPServer) -> None:
    """Bring ``server`` to the state every test (or scenario) starts from: an empty mailbox and
    transcript, zeroed statistics, no faults.

    :meth:`~SMTPServer.clear`, not ``reset``: an error the server thread met stays for the
    test's first keyword (a listener's exception would lose it)."""
    server.clear(faults=True)


def unique_address(token: str, name: str = "test", domain: str = "example.test") -> str:
    """``name.token@domain``; refuses a ``name`` or ``domain`` holding a character that is special
    in a regular expression (other than ``.``), so the address is its own criterion."""
    for argument, value in (("domain", domain), ("name", name)):
        refuse_misnamed(value, argument, ("domain", "name"))
    if not _NAME.fullmatch(name):
        raise InvalidArgument(f"name may hold only letters, digits, '-', '_' and inner dots, got {name!r}.")
    if not _DOMAIN.fullmatch(domain):
        raise InvalidArgument(f"domain may hold only letters, digits, '-' and inner dots, got {domain!r}.")
    return f"{name}.{token}@{domain}"


def new_token() -> str:
    return secrets.token_hex(TOKEN_BYTES)


@dataclass
class Scope:
    kind: str  # "suite" or "test"
    key: str
    outer_owner: object | None
    current_at_start: str | None
    token: str = field(default_factory=new_token)


class Isolation:
    """Tracks the suites and tests of a run and applies the ``auto_reset`` mode to ``servers``.

    ``test``: every test starts with empty mailboxes; a server started in a test
    stops when the test ends, one started in a suite setup when the suite ends.
    ``suite``: the same with suites as the unit: mailboxes are emptied when a
    suite starts, and every server started in the suite stops when it ends.
    ``none``: nothing is emptied or stopped automatically.
    """

    def __init__(self, servers: ServerRegistry, mode: str = "test") -> None:
        self.servers = servers
        self.mode = check_auto_reset(mode)
        self._scopes: list[Scope] = []

    def start(self, kind: str, key: str) -> None:
        """A suite or a test called ``key`` starts."""
        scope = Scope(kind, key, self.servers.owner, self.servers.current_alias)
        self._scopes.append(scope)
        if self.mode == "test" or (self.mode == "suite" and kind == "suite"):
            self.servers.owner = scope
        if kind == self.mode:
            for server in self.servers:
                reset_for_next_test(server)

    def end(self, kind: str, key: str) -> None:
        """The suite or test called ``key`` ends: its servers stop. An end without a
        matching start (the library was imported in the middle of it) is ignored."""
        index = next(
            (i for i in range(len(self._scopes) - 1, -1, -1) if self._scopes[i].key == key),
            None,
        )
        if index is None or self._scopes[index].kind != kind:
            return
        ended, self._scopes = self._scopes[index:], self._scopes[:index]
        self.servers.owner = ended[0].outer_owner
        for scope in reversed(ended):
            self.servers.release(scope, current=scope.current_at_start)

    @property
    def test(self) -> Scope | None:
        """The running test's scope, if a test is running."""
        return next((scope for scope in reversed(self._scopes) if scope.kind == "test"), None)

    def unique_address(self, name: str = "test", domain: str = "example.test") -> str:
        """An address unique to the running test (the same for the same ``name`` throughout
        the test); outside a test, a new one on every call."""
        test = self.test
        return unique_address(test.token if test else new_token(), name, domain)
