"""Keywords that start, stop and choose servers."""

from __future__ import annotations

from robot.api import logger
from robot.api.deco import keyword

from ..core.api import SMTPServer
from ..core.server import DEFAULT_HOST
from .context import LibraryContext


class ServerKeywords(LibraryContext):
    @keyword("Start SMTP Server")
    def start_smtp_server(
        self,
        host: str = DEFAULT_HOST,
        port: int = 0,
        alias: str | None = None,
        maildir: str | None = None,
        mbox: str | None = None,
        latest: str | None = None,
    ) -> int:
        """Starts an SMTP server in this process and returns the port it listens on.

        ``host`` is the address to listen on. The default ``127.0.0.1`` accepts
        connections from this machine only; give ``0.0.0.0`` (or ``""``) to
        accept them from anywhere.

        ``port`` ``0`` (the default) lets the operating system choose a free port,
        so parallel runs never collide: pass the returned port to the
        application under test.

        ``alias`` names the server when a test runs several; see `Switch SMTP Server`.
        The new server becomes the current one, the one other keywords use.

        ``maildir``, ``mbox`` and ``latest`` also keep the messages on disk,
        see `Persistent mailboxes`: a Maildir directory (created if missing),
        an mbox file, a file that always holds the newest message. Any
        combination works.

        Fails at once, naming host and port, when the port is in use.

        | ${port} =         | Start SMTP Server |
        | Start SMTP Server | port=2525         |
        | ${port} =         | Start SMTP Server | alias=second |
        | Start SMTP Server | maildir=${OUTPUT DIR}/mail | latest=${OUTPUT DIR}/latest.eml |
        """
        self.servers.check_free(alias)
        server = SMTPServer(host, port, maildir=maildir, mbox=mbox, latest=latest)
        bound = server.start()
        alias = self.servers.add(server, alias)
        logger.info(f"SMTP server '{alias}' listening on {server.address}.")
        if server.storage is not None:
            logger.info(f"Messages are also written to {server.storage}.")
        return bound

    @keyword("Stop SMTP Server")
    def stop_smtp_server(self, alias: str | None = None) -> None:
        """Stops the current server, or the one called ``alias``.

        Open connections are dropped; after the keyword returns, connections to
        the port are refused, and every message is written to the disk
        mailboxes, if any. The messages it received stay available to the
        keywords that read them. Stopping a stopped server does nothing.

        | Stop SMTP Server |
        | Stop SMTP Server | second |
        """
        server = self.servers.get(alias)
        server.stop()
        logger.info(f"SMTP server on {server.address} stopped.")

    @keyword("Stop All SMTP Servers")
    def stop_all_smtp_servers(self) -> None:
        """Stops every server this library started and forgets them, with their mailboxes.

        Aliases and numbers start afresh afterwards. The library also does this
        when it is closed at the end of the run.

        | [Teardown] | Stop All SMTP Servers |
        """
        self.servers.stop_all()

    @keyword("Switch SMTP Server")
    def switch_smtp_server(self, alias: str) -> str | None:
        """Makes the server called ``alias`` the current one and returns the alias of the previous one.

        A server started without an alias is known by its position: ``1`` for
        the first server started, ``2`` for the second, and so on, counting
        from the last `Stop All SMTP Servers`.

        | Start SMTP Server  | alias=first  |
        | Start SMTP Server  | alias=second |
        | ${previous} =      | Switch SMTP Server | first |
        | Should Be Equal    | ${previous}  | second |
        """
        return self.servers.switch(alias)

    @keyword("Get SMTP Server Port")
    def get_smtp_server_port(self) -> int:
        """Returns the port the current server listens on.

        | ${port} = | Get SMTP Server Port |
        """
        return self.servers.get().port

    def _close(self) -> None:
        # Listener method: Robot calls it when the library goes out of scope.
        self.servers.stop_all()
