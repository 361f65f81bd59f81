"""Several servers at once, each addressed by an alias, one of them current."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from ..errors import InvalidArgument, NoServer
from ..imap import SMTPServer
from ..values import refuse_misnamed
from .dns import RunDNS


class ServerRegistry:
    """Servers by alias, in the order they were added. A server without an
    alias is known by its position: ``'1'`` for the first one, and so on.
    With them, the run's test DNS (:attr:`dns`), whose records are owned as servers are."""

    def __init__(self) -> None:
        self.dns = RunDNS()
        self._servers: dict[str, SMTPServer] = {}
        self._current: str | None = None
        self._owners: dict[str, object] = {}
        # Servers added from now on belong to this owner (a test or suite scope
        # of core.isolation); release(owner) stops them. None: kept until stop_all.
        self.owner: object | None = None

    def check_free(self, alias: str | None) -> None:
        """Fail when a running server already has ``alias`` (check before starting another)."""
        existing = self._servers.get(str(alias)) if alias is not None else None
        if existing is not None and existing.running:
            raise InvalidArgument(
                f"An SMTP server with alias '{alias}' is already running on {existing.address}. "
                "Stop it first or give the new server another alias."
            )

    def add(self, server: SMTPServer, alias: str | None = None) -> str:
        """Register ``server`` under ``alias`` (replacing a stopped one of that name) and make it current."""
        self.check_free(alias)
        if alias is None:
            number = len(self._servers) + 1
            while str(number) in self._servers:
                number += 1
            alias = str(number)
        alias = str(alias)
        self._servers[alias] = server
        self._owners[alias] = self.owner
        self._current = alias
        return alias

    @property
    def current_alias(self) -> str | None:
        return self._current

    def get(self, alias: str | None = None) -> SMTPServer:
        """The server called ``alias``, or the current one when ``alias`` is None."""
        if alias is None:
            if self._current is None:
                raise NoServer("No SMTP server has been started.")
            return self._servers[self._current]
        try:
            return self._servers[str(alias)]
        except KeyError:
            # Stop SMTP Server    timout=5: a misspelled argument lands in alias, the only one.
            refuse_misnamed(alias, "alias", ("alias",))
            known = ", ".join(f"'{name}'" for name in self._servers) or "none"
            raise NoServer(f"No SMTP server with alias '{alias}'. Known aliases: {known}.") from None

    def switch(self, alias: str) -> str | None:
        """Make the server called ``alias`` current; returns the alias that was current."""
        self.get(alias)
        previous, self._current = self._current, str(alias)
        return previous

    def release(self, owner: object, current: str | None = None, timeout: float = 5.0) -> None:
        """Stop and forget the servers added while ``owner`` was the owner, remove the mail users it
        added to the others and the test DNS records it published. When the current server was one
        of them, ``current`` (if still known) or else the last one left becomes current."""
        self.dns.release(owner)
        aliases = [alias for alias, server_owner in self._owners.items() if server_owner is owner]
        servers = [self._servers.pop(alias) for alias in aliases]
        for alias in aliases:
            del self._owners[alias]
        if self._current in aliases:
            fallback = current if current in self._servers else next(reversed(self._servers), None)
            self._current = fallback
        for server in self._servers.values():
            server.release_mail_users(owner)
        stop_servers(servers, timeout)

    def stop_all(self, timeout: float = 5.0) -> None:
        """Stop every server and forget them all, mailboxes included."""
        servers, self._servers, self._current = list(self._servers.values()), {}, None
        self._owners = {}
        stop_servers(servers, timeout)

    def __iter__(self) -> Iterator[SMTPServer]:
        return iter(list(self._servers.values()))

    def __len__(self) -> int:
        return len(self._servers)


def stop_servers(servers: Iterable[SMTPServer], timeout: float = 5.0) -> None:
    """Stop every one of ``servers``, then raise the first error met, if any: one server
    that fails to stop never leaves the others running."""
    errors = []
    for server in servers:
        try:
            server.stop(timeout)
        except Exception as error:  # noqa: BLE001 - stop the others, then report
            errors.append(error)
    if errors:
        raise errors[0]
