"""The seam between the server and the engine that speaks SMTP on its connections.

:class:`~.server.SMTPCapture` owns what outlives a connection: the options,
the mailbox, the fault rules, the transcript, the statistics, the errors.
An engine turns each accepted connection into an SMTP dialogue. For every
server start it is handed :class:`Services` and an event loop, in the
caller's thread, and returns the :class:`~.loop.Connections` the server
thread serves. It must:

* check there whatever it could refuse later: the factory never fails;
* open a :class:`~.faults.Dialogue` per connection and call it at each stage:
  the greeting through ``greet`` (the ``CONNECT`` stage), every reply sent
  through ``sent``, then ``close_now`` (a ``421`` closes the connection),
  every client byte through ``received`` (handing the protocol the bytes it
  returns: a stall holds some back), the faults of a stage through ``fault``
  where the command would take effect (``EHLO``, ``MAIL``, ``RCPT``,
  ``DATA``, ``DATA_END``, ``AUTH``, ``STARTTLS``) when ``has_faults`` says a
  rule is set, honouring ``dropped`` and ``refused``, and ``ended`` when the
  connection closes;
* apply the :class:`~.security.Security` policy, and do the TLS handshake of
  implicit TLS itself, so that the connection's dialogue hears of a handshake
  the client gives up (``tls_failed``), as it hears of one that completes
  (``tls_started``, STARTTLS too);
* hand each accepted message to ``deliver`` before replying to it, and each
  error it meets to ``on_error`` (the next keyword reports it);
* drop every connection when asked (``abort_all``).

aiosmtpd is the engine today (:mod:`.aiosmtpd_engine`); a faster one for the
plain path can take its place here without touching the mailbox, the fault
rules or any adapter.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from ..mail import ReceivedMessage
from .faults import Connection, Dialogue, Faults, Transcript
from .loop import Connections
from .options import ServerOptions
from .security import Security
from .stats import Statistics


@dataclass(frozen=True)
class Services:
    """What a server gives its engine for every connection."""

    options: ServerOptions
    security: Security
    faults: Faults
    transcript: Transcript
    stats: Statistics
    deliver: Callable[[ReceivedMessage], None]
    on_error: Callable[[BaseException], None]
    ident: str

    def dialogue(self, peer: Any, close: Callable[[], None], connection: Connection | None = None) -> Dialogue:
        """A new connection's dialogue, recorded from now on. ``connection`` lets a stall inside DATA
        hold the client's bytes back (see :class:`~.faults.Connection`)."""
        return Dialogue(self.faults, self.transcript, self.stats, peer, close, connection)


class Engine(Protocol):
    def connections(self, services: Services, loop: asyncio.AbstractEventLoop) -> Connections:
        """The connections of one server start (called in the caller's thread)."""
