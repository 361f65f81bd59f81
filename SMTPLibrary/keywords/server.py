"""Keywords that start, stop and choose servers."""

from __future__ import annotations

import inspect
import typing
from collections.abc import Callable
from typing import Any

from robot.api import logger
from robot.api.deco import keyword

from ..core import ServerOptions, SMTPServer
from ..core.values import refuse_misnamed
from .context import LibraryContext
from .security import Credentials, reveal

# Robot converts each argument from these types; the core's own types otherwise (see ServerOptions).
_ROBOT_TYPES: dict[str, Any] = {"credentials": Credentials}


def takes_server_options(method: Callable[..., Any]) -> Callable[..., Any]:
    """Gives ``method(self, alias, options)`` the arguments of ``Start SMTP Server``: ``host``,
    ``port``, ``alias``, then every other server option, each with its default and type, built
    from :class:`ServerOptions` (the one list of them), for Robot to convert and libdoc to show."""
    hints = typing.get_type_hints(ServerOptions)
    defaults = {option.name: option.default for option in ServerOptions.__dataclass_fields__.values()}
    names = ServerOptions.names()
    order = [*names[:2], "alias", *names[2:]]
    annotations = {name: _ROBOT_TYPES.get(name, hints.get(name, str | None)) for name in order}
    parameters = [inspect.Parameter("self", inspect.Parameter.POSITIONAL_OR_KEYWORD)] + [
        inspect.Parameter(
            name,
            inspect.Parameter.POSITIONAL_OR_KEYWORD,
            default=None if name == "alias" else defaults[name],
            annotation=annotations[name],
        )
        for name in order
    ]
    signature = inspect.Signature(parameters, return_annotation=int)

    def start(*args: Any, **kwargs: Any) -> int:
        bound = signature.bind(*args, **kwargs)
        bound.apply_defaults()
        arguments = dict(bound.arguments)
        self, alias = arguments.pop("self"), arguments.pop("alias")
        # A misspelled name (timeout=10) lands in host: named with the keyword's own arguments.
        refuse_misnamed(arguments["host"], "host", order)
        return method(self, alias, arguments)

    start.__name__ = method.__name__
    start.__qualname__ = method.__qualname__
    start.__doc__ = method.__doc__
    start.__signature__ = signature  # type: ignore[attr-defined]
    start.__annotations__ = {**{name: annotations[name] for name in order}, "return": int}
    return start


class ServerKeywords(LibraryContext):
    @keyword("Start SMTP Server")
    @takes_server_options
    def start_smtp_server(self, alias: str | None, options: dict[str, Any]) -> int:
        """Starts an SMTP server in this process and returns the port it listens on.

        ``host`` is the address to listen on. The default ``127.0.0.1`` accepts
        connections from this machine only; give ``0.0.0.0`` (or ``""``) to
        accept them from anywhere.

        ``port`` ``0`` (the default) lets the operating system choose a free port,
        so parallel runs never collide: pass the returned port to the
        application under test.

        ``alias`` names the server when a test runs several; see `Switch SMTP Server`.
        The new server becomes the current one, the one other keywords use.

        ``max_messages`` bounds the mailbox of a long-running server: beyond
        that many messages, the oldest is dropped for each new one. The
        default ``None`` keeps every message.

        ``maildir``, ``mbox`` and ``latest`` also keep the messages on disk,
        see `Persistent mailboxes`: a Maildir directory (created if missing),
        an mbox file, a file that always holds the newest message. Any
        combination works.

        Fails at once, naming host and port, when the port is in use.

        The other arguments are described in `TLS and authentication`, with
        more examples:

        - ``tls``: ``none`` (the default), ``starttls`` (offered to clients) or
          ``implicit`` (TLS from the first byte, as on port 465).
        - ``require_tls``: with ``tls=starttls``, mail sent before STARTTLS is
          refused with ``530``.
        - ``certificate``: ``trusted`` (the default) presents a test certificate
          for ``localhost``, ``127.0.0.1`` and ``::1``, which clients verify with
          `Get SMTP Server CA Certificate`; ``untrusted``, ``wrong_host`` and
          ``expired`` present one with that defect, to see whether the
          application checks it (see `Certificate checks`). Any other value is the
          PEM file of the server's own certificate (write ``./trusted`` for a
          file of that name).
        - ``key``: the PEM file of the private key of a certificate file, when
          the certificate file does not hold it.
        - ``credentials``: the users who may log in (AUTH PLAIN and LOGIN):
          ``user:password``, several separated by commas, a list of such
          strings, or a dictionary of passwords by user name. A password may
          contain ``:``; use a list or dictionary when one contains ``,``.
          Robot ``Secret`` values (Robot Framework 7.4 and newer) are accepted
          anywhere a password is.
        - ``auth_required``: mail sent before logging in is refused with ``530``.
        - ``allow_plaintext_auth``: accept logins on unencrypted connections
          too; by default they are refused with ``538`` and AUTH is only
          advertised over TLS.
        - ``size_limit``: the largest message in bytes, advertised as
          ``SIZE``; larger ones are refused with ``552``. ``0``: no limit.
        - ``smtputf8``: advertise SMTPUTF8 and 8BITMIME (the default), so
          that UTF-8 addresses are accepted. ``False`` makes a 7-bit server.
        - ``server_hostname``: the name the server gives in its greeting and
          its reply to ``EHLO`` (``localhost`` by default).
        - ``hide_extensions``: ESMTP extensions the server does not offer,
          as a list or separated by commas: ``PIPELINING``, ``SIZE``,
          ``8BITMIME``, ``SMTPUTF8``, ``STARTTLS``, ``AUTH``, ``AUTH=LOGIN``,
          ``AUTH=PLAIN``. They are left out of the reply to ``EHLO``, and their
          commands and parameters are refused as a server without them
          refuses them; see `Hidden extensions`. PIPELINING is advertised
          unless hidden.
        - ``tls_min_version``, ``tls_max_version``: ``TLSv1.2`` or ``TLSv1.3``,
          the oldest and newest TLS version the server accepts (see `TLS versions`).

        | ${port} =         | Start SMTP Server |
        | Start SMTP Server | port=2525         |
        | ${port} =         | Start SMTP Server | alias=second |
        | ${port} =         | Start SMTP Server | tls=starttls | require_tls=True |
        | ${port} =         | Start SMTP Server | tls=implicit | certificate=server.pem | key=server.key |
        | ${port} =         | Start SMTP Server | tls=starttls | certificate=untrusted |
        | ${port} =         | Start SMTP Server | tls=starttls | credentials=alice:s3cret | auth_required=True |
        | ${port} =         | Start SMTP Server | credentials=alice:s3cret, bob:pa:ss | allow_plaintext_auth=True |
        | ${port} =         | Start SMTP Server | size_limit=1000000 | smtputf8=False |
        | ${port} =         | Start SMTP Server | hide_extensions=PIPELINING, SMTPUTF8 |
        | ${port} =         | Start SMTP Server | tls=starttls | tls_min_version=TLSv1.3 |
        | Start SMTP Server | max_messages=1000 |
        | Start SMTP Server | maildir=${OUTPUT DIR}/maildir | latest=${OUTPUT DIR}/latest.eml |
        """
        self.servers.check_free(alias)
        options["credentials"] = reveal(options["credentials"])
        server = SMTPServer(**options)
        bound = server.start()
        alias = self.servers.add(server, alias)
        settings = server.security.describe()
        details = ", ".join(filter(None, [settings, f"{server.event_loop} event loop"]))
        logger.info(f"SMTP server '{alias}' listening on {server.address} ({details}).")
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

        | Start SMTP Server | alias=second |
        | Stop SMTP Server  | second       |
        | Stop SMTP Server  |              |
        """
        server = self.servers.get(alias)
        server.stop()
        logger.info(f"SMTP server on {server.address} stopped.")

    @keyword("Stop All SMTP Servers")
    def stop_all_smtp_servers(self) -> None:
        """Stops every server this library started and forgets them, with their mailboxes.

        Aliases and numbers start afresh afterwards. The library also does this
        when it is closed at the end of the run.

        | Start SMTP Server | alias=first  |
        | Start SMTP Server | alias=second |
        | [Teardown]        | Stop All SMTP Servers |
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
