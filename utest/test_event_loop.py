"""The event loop: uvloop's when installed, unless SMTPLIBRARY_EVENT_LOOP says otherwise."""

from __future__ import annotations

import importlib.util
import smtplib

import pytest

from SMTPLibrary.core import InvalidArgument, ServerError, SMTPServer
from SMTPLibrary.core.smtp import loop as controller_module
from SMTPLibrary.core.smtp.loop import LOOP_VARIABLE, event_loop_kind

UVLOOP_INSTALLED = importlib.util.find_spec("uvloop") is not None


def deliver(server: SMTPServer) -> None:
    with smtplib.SMTP(server.host, server.port, timeout=10) as client:
        client.sendmail("a@example.com", ["b@example.com"], b"Subject: loop\r\n\r\nHello\r\n")
    server.mailbox.wait_for_count(1, 5)


def test_by_default_uvloop_runs_the_server_when_installed(monkeypatch):
    monkeypatch.delenv(LOOP_VARIABLE, raising=False)
    expected = "uvloop" if UVLOOP_INSTALLED else "asyncio"
    assert event_loop_kind() == expected
    with SMTPServer() as server:
        assert server.event_loop == expected
        assert type(server._thread.loop).__module__.split(".")[0] == expected
        deliver(server)
    assert server.event_loop is None


def test_asyncio_opts_out(monkeypatch):
    monkeypatch.setenv(LOOP_VARIABLE, "asyncio")
    with SMTPServer() as server:
        assert server.event_loop == "asyncio"
        assert type(server._thread.loop).__module__.startswith("asyncio")
        deliver(server)


def test_uvloop_demanded_but_missing_is_an_error(monkeypatch):
    monkeypatch.setenv(LOOP_VARIABLE, "uvloop")
    monkeypatch.setattr(controller_module, "_uvloop_installed", lambda: False)
    server = SMTPServer()
    with pytest.raises(ServerError, match=r"SMTPLIBRARY_EVENT_LOOP=uvloop but uvloop is not installed"):
        server.start()
    # The port it had bound was released.
    monkeypatch.setenv(LOOP_VARIABLE, "asyncio")
    with SMTPServer(port=server.port):
        pass


def test_an_unknown_loop_names_the_choices(monkeypatch):
    monkeypatch.setenv(LOOP_VARIABLE, "trio")
    with pytest.raises(
        InvalidArgument, match=r"SMTPLIBRARY_EVENT_LOOP must be one of auto, uvloop, asyncio, got 'trio'"
    ):
        SMTPServer().start()
