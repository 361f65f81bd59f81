"""The shortcuts of core/smtp/aiosmtpd_engine/fastpath.py must give exactly what aiosmtpd gives."""

from __future__ import annotations

import asyncio
import random
import socket
import types

import pytest
from aiosmtpd.smtp import SMTP

from SMTPLibrary.core import SMTPServer
from SMTPLibrary.core.smtp.aiosmtpd_engine.fastpath import _rebind, simple_address
from SMTPLibrary.core.smtp.aiosmtpd_engine.handler import CaptureHandler
from SMTPLibrary.core.smtp.aiosmtpd_engine.protocol import CaptureSMTP
from SMTPLibrary.core.smtp.engine import Services


def services() -> Services:
    """What a server hands its engine, for a connection built here without a server thread."""
    server = SMTPServer()
    return Services(
        options=server.options,
        security=server.security,
        faults=server.faults,
        transcript=server.transcript,
        stats=server.stats,
        deliver=server.mailbox.add,
        on_error=server.errors.record,
        ident="test",
    )


@pytest.fixture
def loop():
    loop = asyncio.new_event_loop()
    yield loop
    loop.close()


def _state(protocol: SMTP, as_if: SMTP) -> dict:
    """The instance state, with methods bound to ``protocol`` shown as bound to ``as_if``."""
    return {name: _rebind(value, protocol, as_if) for name, value in vars(protocol).items()}


@pytest.mark.parametrize(
    "options",
    [
        {"hostname": "localhost", "ident": "Test"},
        {"hostname": "h", "enable_SMTPUTF8": True, "data_size_limit": 100, "auth_require_tls": False},
        {"hostname": "h", "command_call_limit": {"MAIL": 3}, "auth_exclude_mechanism": ["LOGIN"]},
    ],
)
def test_a_copied_connection_has_the_state_aiosmtpd_would_give_it(loop, options):
    given = services()
    handler = CaptureHandler(given)
    template = CaptureSMTP(handler, services=given, connections=set(), loop=loop, **options)
    fresh = CaptureSMTP(handler, services=given, connections=set(), loop=loop, **options)
    copied = CaptureSMTP(handler, template=template)

    expected, actual = _state(fresh, copied), vars(copied)
    assert set(actual) == set(expected)
    # The stream machinery is new per connection; everything else equals a fresh instance.
    per_connection = {"_stream_reader_wr", "_strong_reader", "_closed"}
    for name in set(expected) - per_connection:
        assert actual[name] == expected[name], name
    assert copied._stream_reader_wr() is not template._stream_reader_wr()
    assert copied._closed is not template._closed
    # Nothing mutable is shared with the template but the server's set of open
    # connections, and commands run on the copy.
    assert copied.connections is template.connections
    assert copied.services is template.services
    for name, value in actual.items():
        if isinstance(value, list | set | dict) and name != "connections":
            assert value is not getattr(template, name), name
    assert copied._smtp_methods["DATA"].__self__ is copied
    assert all(isinstance(hook, types.MethodType) for hook in copied._handle_hooks.values())


def test_the_set_of_open_connections_is_shared_not_copied_per_connection(loop):
    # Copying it would cost each new connection a walk over every open one.
    connections = {object() for _ in range(3)}
    template = CaptureSMTP(CaptureHandler(services()), connections=connections, loop=loop, hostname="h")
    copied = CaptureSMTP(None, template=template)
    assert copied.connections is connections
    shared, rebound = template._fastpath_plan
    assert shared["connections"] is connections and "connections" not in rebound


def test_stop_aborts_every_connection_made_from_the_template(monkeypatch):
    aborted = []
    real_abort = CaptureSMTP.abort

    def abort(connection):
        aborted.append(connection)
        real_abort(connection)

    monkeypatch.setattr(CaptureSMTP, "abort", abort)
    server = SMTPServer()
    server.start()
    made = server._thread.connections
    clients = [socket.create_connection(("127.0.0.1", server.port), timeout=10) for _ in range(3)]
    try:
        for client in clients:
            assert client.recv(100).startswith(b"220 ")  # greeted: its connection is made
        connections = set(made.open)
        assert len(connections) == 3
        assert all(connection.connections is made.open for connection in connections)
        server.stop()
    finally:
        for client in clients:
            client.close()
    assert connections <= set(aborted)


def test_each_connection_runs_the_fault_stages_on_itself(loop):
    # The fault stages are methods of the class (no per-connection wrapping): a copied
    # connection's command table calls them on that connection, never on the template.
    given = services()
    template = CaptureSMTP(CaptureHandler(given), services=given, connections=set(), loop=loop, hostname="h")
    first = CaptureSMTP(None, template=template)
    second = CaptureSMTP(None, template=template)
    assert template.dialogue is None
    for connection in (first, second):
        for command in ("EHLO", "HELO", "DATA", "AUTH", "STARTTLS", "MAIL"):
            method = connection._smtp_methods[command]
            assert method.__self__ is connection, command
            assert method.__func__ is getattr(CaptureSMTP, f"smtp_{command}"), command


def test_a_copied_connection_resets_the_command_size_limits_as_aiosmtpd_does(loop):
    # aiosmtpd keeps them class-wide: EHLO raises MAIL's, each new connection clears them.
    template = CaptureSMTP(CaptureHandler(services()), connections=set(), loop=loop, hostname="h")
    CaptureSMTP.command_size_limits["MAIL"] += 36
    CaptureSMTP(None, template=template)
    assert "MAIL" not in CaptureSMTP.command_size_limits
    assert CaptureSMTP.command_size_limits["MAIL"] == SMTP.command_size_limit


ADDRESSES = [
    "<a@b.c>",
    "<alice@example.com> SIZE=1000",
    "<alice@example.com>  SIZE=1000 BODY=8BITMIME",
    "<alice@example.com>\tSIZE=1",
    "<a.b+c-d@x-y.example.com> SMTPUTF8",
    "<a@b.c> SIZE=1 (comment)",
    "<a@b.c>(comment) SIZE=1",
    "<a@b.c> (comment)",
    "<a@b.c>SIZE=1",
    "<a@b.c> ",
    '<"a b"@example.com>',
    "<a..b@example.com>",
    "<.a@example.com>",
    "<a.@example.com>",
    "<a@[127.0.0.1]>",
    "<a@b..c>",
    "<>",
    "<@relay:a@b.c>",
    "a@b.c",
    " <a@b.c>",
    "<a@b.c",
    "<ä@example.com>",
    "<a@exämple.com>",
    "<a@b.c> x\ny",
    "",
]


def _aiosmtpd(arg: str):
    return SMTP._getaddr(SMTP.__new__(SMTP), arg)


@pytest.mark.parametrize("arg", ADDRESSES)
def test_simple_addresses_parse_as_aiosmtpd_parses_them(arg):
    fast = simple_address(arg)
    if fast is not None:
        assert fast == _aiosmtpd(arg)
    protocol = CaptureSMTP.__new__(CaptureSMTP)
    assert protocol._getaddr(arg) == _aiosmtpd(arg)


def test_random_addresses_parse_as_aiosmtpd_parses_them():
    pieces = ["a", "b", "Z", "0", ".", "@", "<", ">", " ", "\t", "(", ")", '"', "+", "-", "_", "=", "[", "]", ":", "é"]
    rng = random.Random(7)
    for _ in range(3000):
        arg = "<" + "".join(rng.choice(pieces) for _ in range(rng.randint(0, 14)))
        if rng.random() < 0.7:
            local = "".join(rng.choice("aab.+") for _ in range(3))
            arg = "<" + local + "@" + "".join(rng.choice("ccd.-") for _ in range(4))
            arg += ">" + "".join(rng.choice(pieces) for _ in range(rng.randint(0, 6)))
        fast = simple_address(arg)
        if fast is not None:
            assert fast == _aiosmtpd(arg), arg


def test_the_fast_path_is_taken_for_everyday_addresses():
    assert simple_address("<alice@example.com> SIZE=1000") == ("alice@example.com", "SIZE=1000")
    assert simple_address('<"a b"@example.com>') is None
