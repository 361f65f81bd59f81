import gc
import re
import smtplib
import socket
import sys
import threading
import time

import pytest

from SMTPLibrary.core import ServerError, SMTPServer
from SMTPLibrary.core.smtp import loop as controller_module
from SMTPLibrary.core.smtp import server as server_module


def test_port_zero_binds_a_free_port_and_reports_it():
    with SMTPServer() as first, SMTPServer() as second:
        assert first.port > 0
        assert second.port > 0
        assert first.port != second.port
        with smtplib.SMTP("127.0.0.1", first.port) as client:
            assert client.noop()[0] == 250


def test_start_returns_the_bound_port():
    server = SMTPServer()
    try:
        port = server.start()
        assert port == server.port
        assert server.address == f"127.0.0.1:{port}"
    finally:
        server.stop()


def test_listens_on_ipv4_loopback_by_default(server):
    assert server.host == "127.0.0.1"
    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as sock:
        assert sock.recv(100).startswith(b"220 ")


def test_port_in_use_fails_at_once_naming_host_and_port(server):
    started = time.monotonic()
    with pytest.raises(ServerError) as failure:
        SMTPServer(port=server.port).start()
    # aiosmtpd alone waits its whole 5 s ready timeout before it says anything. Failing within
    # 1 s is this behaviour's contract (its issue's words), not a benchmark: the bound stays.
    assert time.monotonic() - started < 1
    assert str(failure.value) == f"Cannot start an SMTP server on 127.0.0.1:{server.port}: the port is already in use."


def test_unknown_host_is_a_clear_error():
    with pytest.raises(ServerError, match=r"Cannot start an SMTP server on no-such-host.invalid:0: unknown host"):
        SMTPServer(host="no-such-host.invalid").start()


def test_start_and_stop_are_idempotent():
    server = SMTPServer()
    port = server.start()
    assert server.start() == port
    server.stop()
    server.stop()
    assert not server.running


def test_connections_are_refused_once_stop_returns():
    server = SMTPServer()
    port = server.start()
    server.stop()
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", port), timeout=5)


def test_a_stopped_server_starts_again_on_the_same_port(send, server):
    port = server.port
    send(b"Subject: before\r\n\r\nx\r\n")
    server.stop()
    assert server.start() == port
    send(b"Subject: after\r\n\r\nx\r\n")
    assert [message.subject for message in server.mailbox.messages()] == ["before", "after"]


def test_stop_drops_idle_connections_instead_of_waiting_for_them(server):
    clients = [socket.create_connection(("127.0.0.1", server.port), timeout=5) for _ in range(5)]
    try:
        for client in clients:
            assert client.recv(100).startswith(b"220 ")
        server.stop(timeout=2)
        assert not server.running
        for client in clients:
            assert client.recv(100) == b""
    finally:
        for client in clients:
            client.close()


def test_no_thread_is_left_after_stop():
    before = set(threading.enumerate())
    with SMTPServer():
        pass
    assert set(threading.enumerate()) == before


def test_greeting_uses_the_given_server_hostname_without_dns(monkeypatch):
    def no_dns():
        raise AssertionError("socket.getfqdn() must not be called")

    monkeypatch.setattr(socket, "getfqdn", no_dns)
    with SMTPServer(server_hostname="mail.test") as server:
        with smtplib.SMTP("127.0.0.1", server.port, local_hostname="client.test") as client:
            code, reply = client.ehlo("client.test")
            assert code == 250
            assert reply.split(b"\n")[0] == b"mail.test"


def test_errors_in_the_server_thread_are_raised_by_the_next_check(server, send, monkeypatch):
    def broken_add(message):
        raise ValueError("disk full")

    monkeypatch.setattr(server.mailbox, "add", broken_add)
    with pytest.raises(smtplib.SMTPDataError) as refused:
        send(b"Subject: x\r\n\r\nx\r\n")
    assert refused.value.smtp_code == 451
    with pytest.raises(ServerError, match=r"failed while handling a connection: ValueError: disk full"):
        server.check()
    server.check()  # reported once


def test_every_error_in_the_server_thread_is_counted(server, send, monkeypatch):
    def broken_add(message):
        raise ValueError("disk full")

    monkeypatch.setattr(server.mailbox, "add", broken_add)
    for _ in range(3):
        with pytest.raises(smtplib.SMTPDataError):
            send(b"Subject: x\r\n\r\nx\r\n")
    with pytest.raises(ServerError, match=r"failed while handling a connection: ValueError: disk full") as failure:
        server.check()
    assert str(failure.value).endswith("disk full (and 2 more errors)")
    server.check()


def test_errors_recorded_while_checks_run_are_never_lost(server):
    # The loop thread records errors while a test thread checks: each error is reported exactly once.
    recorded = 2000
    record = server._record_error
    recorder = threading.Thread(target=lambda: [record(ValueError(n)) for n in range(recorded)])
    reported = 0

    def check() -> int:
        try:
            server.check()
        except ServerError as error:
            more = re.search(r"\(and (\d+) more errors?\)$", str(error))
            return 1 + (int(more.group(1)) if more else 0)
        return 0

    recorder.start()
    while recorder.is_alive():
        reported += check()
    recorder.join()
    reported += check()
    assert reported == recorded


def test_a_dead_server_thread_is_reported(server):
    server._thread.loop.call_soon_threadsafe(server._thread.loop.stop)
    server._thread._thread.join(5)
    with pytest.raises(ServerError, match=r"has stopped unexpectedly"):
        server.check()
    assert not server.running


def test_context_manager_starts_and_stops():
    with SMTPServer() as server:
        assert server.running
    assert not server.running


def test_a_server_whose_engine_fails_to_start_closes_its_loop_and_socket(monkeypatch):
    loops, sockets = [], []
    real_loop, real_bind = controller_module.new_event_loop, controller_module.bind

    def new_event_loop(kind=None):
        loops.append(real_loop(kind))
        return loops[-1]

    def bind(host, port):
        sockets.append(real_bind(host, port))
        return sockets[-1]

    def refuse(*args, **kwargs):
        raise TypeError("forced failure")

    monkeypatch.setattr(controller_module, "new_event_loop", new_event_loop)
    monkeypatch.setattr(server_module, "bind", bind)

    server = SMTPServer()
    monkeypatch.setattr(server._engine, "connections", refuse)
    with pytest.raises(TypeError, match="forced failure"):
        server.start()
    assert len(loops) == len(sockets) == 1
    assert loops[0].is_closed()
    assert sockets[0].fileno() == -1
    assert not server.running


@pytest.mark.filterwarnings("error::ResourceWarning")
def test_a_client_connecting_just_before_stop_leaves_no_socket_or_task(monkeypatch, caplog):
    # asyncio may still be turning the accepted socket into a connection when
    # stop() is called: that connection must be closed too, not leaked.
    leaks = []
    monkeypatch.setattr(sys, "unraisablehook", lambda leak: leaks.append(f"{leak.exc_type.__name__}: {leak.exc_value}"))
    for _ in range(50):
        server = SMTPServer()
        server.start()
        client = socket.create_connection(("127.0.0.1", server.port), timeout=5)
        server.stop()
        client.close()
        gc.collect()
    assert leaks == []
    assert not [record for record in caplog.records if record.name == "asyncio"]
