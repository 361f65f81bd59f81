"""State shared by the keyword mixins: the servers and the default wait."""

from __future__ import annotations

from datetime import timedelta

from robot.api import logger

from ..core import report
from ..core.isolation import Isolation
from ..core.message import ReceivedMessage
from ..core.registry import ServerRegistry
from ..core.server import SMTPServer

LOGGED_MESSAGES = 10


class LibraryContext:
    def __init__(self, timeout: timedelta, auto_reset: str = "test") -> None:
        self.servers = ServerRegistry()
        self.timeout = timeout
        self.isolation = Isolation(self.servers, auto_reset)

    def server(self, alias: str | None = None) -> SMTPServer:
        """The current server (or the one called ``alias``), after reporting any
        error its thread met since the last keyword."""
        server = self.servers.get(alias)
        server.check()
        return server

    def seconds(self, timeout: timedelta | None) -> float:
        return (self.timeout if timeout is None else timeout).total_seconds()

    def log_messages(self, messages: list[ReceivedMessage]) -> None:
        for message in messages[:LOGGED_MESSAGES]:
            logger.info(report.message_html(message), html=True)
        if len(messages) > LOGGED_MESSAGES:
            logger.info(f"... and {len(messages) - LOGGED_MESSAGES} more messages.")
