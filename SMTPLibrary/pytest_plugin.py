"""pytest fixtures, active as soon as the package is installed (``pytest11`` entry point).

``smtp_server``: a started :class:`~SMTPLibrary.SMTPServer` on a free port of
127.0.0.1, stopped after the test. ``smtp_server_factory``: a function that
starts more servers (its keyword arguments go to ``SMTPServer``), every one
of them stopped after the test. ``imap_port`` and ``pop3_port``: an IMAP or
POP3 server over ``smtp_server``'s mailbox (Python 3.11+ and the ``imap``
extra), stopped with it; ``smtp_server.deliver(...)`` and the waits on flags
and folders are on the server.
``smtp_dns``: the test DNS the message checks
read (:mod:`SMTPLibrary.core.checks`), empty for each test.

Only the capture core is imported here: never Robot Framework or behave.
Failures are the core's errors, so they read as the Robot keywords' do.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from .core import SMTPServer
from .core.checks import TestDNS
from .core.runs import stop_servers


@pytest.fixture
def smtp_server_factory() -> Iterator[Callable[..., SMTPServer]]:
    """Start an SMTP server: ``smtp_server_factory(maildir=tmp_path / "mail")``. All are stopped after the test."""
    servers: list[SMTPServer] = []

    def start(**options: Any) -> SMTPServer:
        server = SMTPServer(**options)
        servers.append(server)
        server.start()
        return server

    yield start
    stop_servers(servers)


@pytest.fixture
def smtp_server(smtp_server_factory: Callable[..., SMTPServer]) -> SMTPServer:
    """A started SMTP server on 127.0.0.1 and a free port (``smtp_server.port``), stopped after the test."""
    return smtp_server_factory()


@pytest.fixture
def imap_port(smtp_server: SMTPServer) -> int:
    """The port of an IMAP server over ``smtp_server``'s mailbox (every recipient logs in with its address
    as login and password), stopped with it."""
    return smtp_server.start_imap()


@pytest.fixture
def pop3_port(smtp_server: SMTPServer) -> int:
    """The port of a POP3 server over ``smtp_server``'s mailbox, stopped with it."""
    return smtp_server.start_pop3()


@pytest.fixture
def smtp_dns() -> TestDNS:
    """The test DNS of the message checks, empty for each test: ``smtp_dns.add("example.com", "TXT",
    "v=spf1 ip4:127.0.0.1 -all")``, ``create_dkim_key("example.com", dns=smtp_dns)``, then
    ``authenticate(message, smtp_dns)``; no check asks anything of a real resolver."""
    return TestDNS()
