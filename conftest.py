"""Shared by every pytest suite of this repository (utest, itest, hard)."""

from __future__ import annotations

import socket
import threading

import pytest

DNS_PORT = 53


@pytest.fixture(autouse=True)
def no_server_threads_left():
    """Every test stops the servers it starts: none of their threads may outlive it."""
    yield
    left = [thread.name for thread in threading.enumerate() if thread.name.startswith("SMTPLibrary ")]
    assert not left, f"server threads left running: {left}"


class DNSGuard:
    """Refuses every DNS query a test's Python code tries to send, and remembers it: the message
    checks read a test DNS and nothing else, and every test proves it."""

    def __init__(self) -> None:
        self.attempts: list[str] = []

    def refuse(self, what: str) -> None:
        self.attempts.append(what)
        raise AssertionError(f"A DNS query tried to leave the process: {what}")


def _port(address: object) -> int | None:
    if isinstance(address, tuple) and len(address) >= 2 and isinstance(address[1], int):
        return address[1]
    return None


@pytest.fixture
def dns_guard(monkeypatch: pytest.MonkeyPatch):
    """Any connect or send to port 53, and any resolution by dnspython (which dkimpy and pyspf
    query through), fails the test, even when a library catches the error."""
    guard = DNSGuard()
    real = {name: getattr(socket.socket, name) for name in ("connect", "connect_ex", "sendto")}

    def connect(self, address, _real=real["connect"]):
        if _port(address) == DNS_PORT:
            guard.refuse(f"connect to {address}")
        return _real(self, address)

    def connect_ex(self, address, _real=real["connect_ex"]):
        if _port(address) == DNS_PORT:
            guard.refuse(f"connect_ex to {address}")
        return _real(self, address)

    def sendto(self, data, *args, _real=real["sendto"]):
        if _port(args[-1]) == DNS_PORT:
            guard.refuse(f"sendto {args[-1]}")
        return _real(self, data, *args)

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)
    monkeypatch.setattr(socket.socket, "sendto", sendto)
    try:
        import dns.resolver
    except ImportError:  # without the checks extra, nothing here could ask dnspython anything
        pass
    else:
        monkeypatch.setattr(dns.resolver.Resolver, "resolve", lambda self, *a, **k: guard.refuse(f"resolve {a}"))
        monkeypatch.setattr(dns.resolver, "resolve", lambda *a, **k: guard.refuse(f"resolve {a}"))
        monkeypatch.setattr(dns.resolver, "query", lambda *a, **k: guard.refuse(f"query {a}"))
    yield guard
    assert not guard.attempts, f"DNS queries tried to leave the process: {guard.attempts}"


@pytest.fixture(autouse=True)
def no_network_dns(dns_guard: DNSGuard) -> DNSGuard:
    """Every test runs under the :func:`dns_guard`."""
    return dns_guard
