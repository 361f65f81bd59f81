"""The protocol object of one connection: aiosmtpd's ``SMTP``, with the server's services applied.

Given no :class:`~..engine.Services`, it is aiosmtpd's ``SMTP`` with a faster
DATA reader and address parser (aiosmtpd's own test suite runs against it so,
see ``conformance/``). Given services, every stage of the dialogue meets the
fault rules, the transcript and the statistics through the connection's
:class:`~..faults.Dialogue`, and the :class:`~..security.Security` policy decides
what is offered. Each override below says which stage it is.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import warnings
from asyncio import sslproto
from typing import Any

from aiosmtpd.smtp import MISSING, SMTP, Session, TLSSetupException, syntax

from ..engine import Services
from ..faults import Dialogue
from ..faults.dialogue import REFUSED_SESSION
from ..security import REFUSE_UNAUTHENTICATED
from . import fastpath
from .data import read_data
from .handler import envelope_sender

log = logging.getLogger("mail.log")

# aiosmtpd calls the handler hook of these commands where the command takes effect: their stages.
HOOK_STAGES = {"MAIL": "MAIL", "RCPT": "RCPT", "DATA": "DATA_END"}


class _Session(Session):
    # aiosmtpd sets the deprecated login_data at every login, and its setter
    # logs a warning each time: keep the value, drop the noise.
    login_data = property(lambda self: self._login, lambda self, value: setattr(self, "_login", value))

    def __init__(self, loop: Any) -> None:
        super().__init__(loop)
        self._login = None


class CaptureSMTP(SMTP):
    """One connection. Keeps itself in the set of open connections of its server, so that
    stopping the server can close them all at once instead of waiting for idle clients.

    Given a ``template`` (an instance built with the server's arguments that never served
    a connection), it copies the template's state instead of running aiosmtpd's costly
    ``__init__`` again: see :mod:`.fastpath`."""

    # Attributes that connections made from a template share with it (see fastpath.init_like).
    fastpath_shared = ("connections",)

    def __init__(
        self,
        handler: Any,
        *,
        services: Services | None = None,
        connections: set | None = None,
        template: CaptureSMTP | None = None,
        **kwargs: Any,
    ) -> None:
        if template is not None:
            fastpath.init_like(self, template)
            return
        super().__init__(handler, **kwargs)
        self.services = services
        self.connections: set = set() if connections is None else connections
        self.dialogue: Dialogue | None = None
        # Under implicit TLS: the plain transport, while its handshake goes on.
        self._raw_transport: Any = None
        # The refusal of a MAIL parameter of an extension the server does not offer (see _getparams).
        self._parameter_refusal: str | None = None

    def _create_session(self) -> Session:
        return _Session(self.loop)

    # -- the connection --------------------------------------------------------

    def connection_made(self, transport: Any) -> None:
        services = self.services
        if services is not None:
            if self.dialogue is None:  # a new connection
                self.dialogue = services.dialogue(transport.get_extra_info("peername"), self.close, self)
                if services.security.tls == "implicit":
                    self._start_implicit_tls(transport, services.security.context)
                    return
            else:  # a handshake completed: STARTTLS (the second call), or implicit TLS
                self.dialogue.tls_started()
        super().connection_made(transport)
        session = self.session
        if session is not None and session.ssl is None:
            # Implicit TLS: the handshake is done before the protocol hears of the
            # connection, and aiosmtpd only fills session.ssl for STARTTLS.
            ssl_object = transport.get_extra_info("ssl_object")
            if ssl_object is not None:
                session.ssl = {key: transport.get_extra_info(key) for key in ("sslcontext", "peercert", "cipher")}
                session.ssl["ssl_object"] = ssl_object
        self.connections.add(self)

    def _start_implicit_tls(self, raw: Any, context: Any) -> None:
        """Implicit TLS: the handshake here, then the SMTP session (greeting first) over it, so that
        the dialogue sees a handshake the client gives up (a server given ``ssl=`` sees nothing of it).

        The TLS layer is in place before this returns (``loop.start_tls`` would put it there a
        moment later: on uvloop the client's ClientHello reached this protocol first), and it
        calls :meth:`connection_made` itself once the handshake completes, before it hands over
        anything the client sent (an immediate close, say). aiosmtpd's STARTTLS builds the same
        asyncio SSLProtocol."""
        self._raw_transport = raw
        self.connections.add(self)
        waiter = self.loop.create_future()
        layer = sslproto.SSLProtocol(self.loop, self, context, waiter, server_side=True)
        raw.set_protocol(layer)
        layer.connection_made(raw)
        self.loop.create_task(self._implicit_handshake(waiter))

    async def _implicit_handshake(self, waiter: asyncio.Future) -> None:
        try:
            await waiter
        except asyncio.CancelledError:  # the server stops
            self._handshake_ended(ConnectionAbortedError("the server stopped during the TLS handshake"))
            raise
        except Exception as error:  # noqa: BLE001 - the client gave up (or left): its doing, recorded
            self._handshake_ended(error)
            return
        if self.session is None:  # the connection closed before the handshake was over
            self._handshake_ended(ConnectionResetError("the connection closed during the TLS handshake"))

    def _handshake_ended(self, error: BaseException) -> None:
        """An implicit TLS handshake that never completed: recorded, and the connection ended.
        (The TLS layer tells the protocol of a lost connection only once it handed it over.)"""
        self.dialogue.tls_failed(error)  # type: ignore[union-attr]
        self._raw_transport.abort()
        self.connection_lost(None)

    def connection_lost(self, error: Exception | None) -> None:
        self.connections.discard(self)
        if self.dialogue is not None:
            self.dialogue.ended()
        if self.services is not None and self.session is None:
            return  # the implicit TLS handshake failed: the SMTP session never started
        super().connection_lost(error)

    def data_received(self, data: bytes) -> None:
        dialogue = self.dialogue
        if dialogue is not None:
            data = dialogue.received(data)  # a stall inside DATA holds bytes back
            if not data:
                return
        super().data_received(data)

    # -- what the dialogue may do to the connection (faults.Connection) -------------------

    def abort(self) -> None:
        """Drop the connection now (called on the loop thread when the server stops, or by a fault)."""
        for transport in (self.transport, self._original_transport, self._raw_transport):
            if transport is not None:
                transport.abort()

    def close(self) -> None:
        """Close the connection once what was written is sent."""
        if self.transport is not None:
            self.transport.close()

    def pass_on(self, data: bytes) -> None:
        """Hand the protocol bytes a stall held back."""
        super().data_received(data)

    def pause_reading(self) -> None:
        if self.transport is not None:
            self.transport.pause_reading()

    def resume_reading(self) -> None:
        if self.transport is not None:
            self.transport.resume_reading()

    # -- every reply (the first one is the greeting: the CONNECT stage) -------------------

    async def push(self, status: str | bytes) -> None:
        dialogue = self.dialogue
        if dialogue is None:
            await super().push(status)
            return
        if dialogue.dropped:
            return  # nothing reaches the client after a drop
        if not dialogue.greeted:
            greeting = await dialogue.greet(status)
            if greeting is None:
                return
            status = greeting
            if dialogue.refused:
                self._refuse_all_but_quit()
        dialogue.sent(status)
        await super().push(status)
        if dialogue.close_now():
            self.close()
            # RFC 5321 3.8: after 421 the server closes; commands the client pipelined behind the
            # command it refused are neither carried out nor answered. Ends this connection's task,
            # as losing the connection would.
            raise asyncio.CancelledError

    def _refuse_all_but_quit(self) -> None:
        """After a refused greeting, every command but QUIT gets 503."""

        async def refused(arg: str | None) -> None:
            await self.push(REFUSED_SESSION)

        for command in self._smtp_methods:
            if command != "QUIT":
                self._smtp_methods[command] = refused

    # -- commands with a stage of their own: EHLO, HELO, DATA, AUTH, STARTTLS -------------

    @functools.wraps(SMTP.smtp_EHLO)
    async def smtp_EHLO(self, arg: str) -> None:
        if not await self._refused_at("EHLO", arg):
            await super().smtp_EHLO(arg)

    @functools.wraps(SMTP.smtp_HELO)
    async def smtp_HELO(self, arg: str) -> None:
        if not await self._refused_at("EHLO", arg):
            await super().smtp_HELO(arg)

    @functools.wraps(SMTP.smtp_AUTH)
    async def smtp_AUTH(self, arg: str) -> None:
        if not await self._not_offered("AUTH") and not await self._refused_at("AUTH", arg):
            await super().smtp_AUTH(arg)

    @functools.wraps(SMTP.smtp_STARTTLS)
    async def smtp_STARTTLS(self, arg: str) -> None:
        if not await self._not_offered("STARTTLS") and not await self._refused_at("STARTTLS", arg):
            await super().smtp_STARTTLS(arg)

    async def _not_offered(self, command: str) -> bool:
        """Refuse ``command`` as a server without the extension does, when it is hidden; ``True`` then."""
        refusal = None if self.services is None else self.services.security.command_refusal(command)
        if refusal is not None:
            await self.push(refusal)
        return refusal is not None

    async def _refused_at(self, stage: str, arg: str | None) -> bool:
        """Apply the rules of ``stage`` to a command the server would process; ``True`` when a
        fault answered it (the command is then not carried out)."""
        if self.dialogue is None or not self.dialogue.has_faults or not self._reaches(stage, arg):
            return False
        sender = envelope_sender(self.envelope.mail_from) if stage == "DATA" and self.envelope is not None else None
        action = await self.dialogue.fault(stage, sender)
        if action is None:
            return False
        # Only refusals are accepted at these stages (checked when the rule was added).
        await self.push(action.status)
        if stage == "DATA":
            # A refused DATA ends the transaction, as a refused message does.
            self._set_post_data_state()
        return True

    def _reaches(self, stage: str, arg: str | None) -> bool:
        """Whether the command gets past the server's own checks to the stage."""
        if stage == "DATA":
            return not arg and bool(self.envelope is not None and self.envelope.rcpt_tos)
        if stage == "STARTTLS":
            return not arg and self.tls_context is not None
        if stage == "AUTH":
            session = self.session
            words = (arg or "").split()
            return (
                session is not None
                and session.extended_smtp
                and not session.authenticated
                and len(words) in (1, 2)
                and words[0] in self._auth_methods
                and self.services is not None
                and self.services.security.auth_refusal(session.ssl is not None, words[0]) is None
            )
        return bool(arg)

    # -- MAIL, RCPT and the end of DATA: where the handler's hook is called ----------------

    async def _call_handler_hook(self, command: str, *args: Any) -> Any:
        stage = HOOK_STAGES.get(command)
        if stage is None or self.dialogue is None:
            return await super()._call_handler_hook(command, *args)
        security = self.services.security  # type: ignore[union-attr]
        if command != "DATA" and (self._parameter_refusal is not None or security.refuses_non_ascii):
            # What a server without an extension refuses, before any fault rule (they fire on
            # commands the server would process).
            refusal, self._parameter_refusal = self._parameter_refusal, None
            refusal = refusal or security.address_refusal(args[0], sender=command == "MAIL")
            if refusal is not None:
                return refusal
        if not self.dialogue.has_faults:
            return await super()._call_handler_hook(command, *args)
        envelope = self.envelope
        sender = envelope_sender(args[0] if command == "MAIL" else envelope.mail_from)  # type: ignore[union-attr]
        recipient = args[0] if command == "RCPT" else None
        action = await self.dialogue.fault(stage, sender, recipient)
        if action is not None and not action.accepts:
            return action.status  # refused or dropped: the command has no effect, nothing is stored
        status = await super()._call_handler_hook(command, *args)
        # A success code only changes the reply's text.
        return status if action is None else action.status

    def _getparams(self, params: list[str]) -> dict[str, Any] | None:
        # aiosmtpd reads MAIL's parameters here (RCPT's too: it recognizes none), before it checks
        # SIZE, BODY and SMTPUTF8 itself. A parameter of an extension the server does not offer
        # is refused as unknown (555), by the handler hook, whatever aiosmtpd would say of it.
        found = super()._getparams(params)
        services = self.services
        if found is None or services is None or not services.security.checks_parameters:
            return found
        if self.envelope is not None and not self.envelope.mail_from:  # MAIL: RCPT comes after it
            refusal = services.security.parameters_refusal(params)
            if refusal is not None:
                self._parameter_refusal = refusal
                return {}
        return found

    async def check_auth_needed(self, caller_method: str) -> bool:
        # aiosmtpd's own check warns at every connection when plaintext AUTH is allowed.
        services = self.services
        if services is not None and services.security.auth_required and not self.session.authenticated:
            await self.push(REFUSE_UNAUTHENTICATED)
            return True
        return await super().check_auth_needed(caller_method)

    async def handle_exception(self, error: Exception) -> str:
        if self.services is not None and isinstance(error, TLSSetupException):
            # The client gave up the STARTTLS handshake (it does not trust the certificate,
            # say): its doing, not the server's failure. The SSLError is the cause.
            # aiosmtpd closes the connection and sends nothing.
            self.dialogue.tls_failed(error.__cause__ or error)  # type: ignore[union-attr]
            return "454 4.7.0 TLS handshake failed"
        return await super().handle_exception(error)

    # -- addresses and message data, read faster than aiosmtpd does (same results) --------

    def _getaddr(self, arg: str) -> tuple[str | None, str | None]:
        simple = None if self.local_part_limit else fastpath.simple_address(arg)
        return simple if simple is not None else super()._getaddr(arg)

    @syntax("DATA")
    async def smtp_DATA(self, arg: str) -> None:
        """aiosmtpd's DATA, step for step, with the message read by :func:`.data.read_data`."""
        if await self.check_helo_needed():
            return
        if await self.check_auth_needed("DATA"):
            return
        assert self.envelope is not None
        if not self.envelope.rcpt_tos:
            await self.push("503 Error: need RCPT command")
            return
        if arg:
            await self.push("501 Syntax: DATA")
            return
        if await self._refused_at("DATA", arg):
            return
        await self.push("354 End data with <CR><LF>.<CR><LF>")
        try:
            original_content, error = await read_data(self._reader, self.data_size_limit, self.line_length_limit)
        except asyncio.CancelledError:
            log.info("Connection lost during DATA")
            self._writer.close()
            raise
        if error:
            await self.push(error)
            self._set_post_data_state()
            return
        content: Any = original_content
        if self._decode_data:
            if self.enable_SMTPUTF8:
                content = original_content.decode("utf-8", errors="surrogateescape")
            else:
                try:
                    content = original_content.decode("ascii", errors="strict")
                except UnicodeDecodeError:
                    await self.push("500 Error: strict ASCII mode")
                    return
        self.envelope.content = content
        self.envelope.original_content = original_content
        status = await self._message_status()
        self._set_post_data_state()
        await self.push("250 OK" if status is MISSING else status)

    async def _message_status(self) -> Any:
        """The handler's answer to a finished message: its ``handle_DATA`` hook, or for an old-style
        handler, its ``process_message`` (deprecated by aiosmtpd, which still calls it)."""
        if "DATA" in self._handle_hooks:
            return await self._call_handler_hook("DATA")
        process = getattr(self.event_handler, "process_message", None)
        if process is None:
            return MISSING
        warnings.warn("Use handler.handle_DATA() instead of .process_message()", DeprecationWarning, stacklevel=1)
        envelope = self.envelope
        status = process(self.session.peer, envelope.mail_from, envelope.rcpt_tos, envelope.content)
        if asyncio.iscoroutine(status):
            status = await status
        return MISSING if status is None else status
