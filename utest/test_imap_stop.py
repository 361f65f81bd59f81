import asyncio
import gc
import imaplib
import os
import poplib
import re
import socket
import threading
import time
import warnings

import aioimaplib
import pytest
from imap_support import TrustedCA, message, needs_pymap

import SMTPLibrary.core
from SMTPLibrary.core import SMTPServer
from SMTPLibrary.core.imap.loop import LoopStopped

pytestmark = needs_pymap


def descriptors() -> set[str]:
    return set(os.listdir("/proc/self/fd"))


def test_stop_leaves_no_thread_or_descriptor_with_clients_connected():
    gc.collect()
    threads_before = set(threading.enumerate())
    fds_before = descriptors()
    view = SMTPServer()
    view.start()
    ca = TrustedCA(view.imap_ca_certificate)
    plain = view.start_imap()
    implicit = view.start_imap(tls="implicit")
    starttls = view.start_imap(tls="starttls")
    pop3 = view.start_pop3()
    pop3s = view.start_pop3(tls="implicit")
    view.deliver("bob@example.com", message("x"))

    idle_plain = imaplib.IMAP4("127.0.0.1", plain)
    idle_plain.login("bob@example.com", "bob@example.com")
    idle_plain.select("INBOX")
    tls_client = imaplib.IMAP4_SSL("localhost", implicit, ssl_context=ca.client_context())
    tls_client.login("bob@example.com", "bob@example.com")
    upgraded = imaplib.IMAP4("localhost", starttls)
    upgraded.starttls(ssl_context=ca.client_context())
    pop_client = poplib.POP3("127.0.0.1", pop3)
    pop_client.user("bob@example.com")
    pop_client.pass_("bob@example.com")
    pops_client = poplib.POP3_SSL("localhost", pop3s, context=ca.client_context())
    silent = socket.create_connection(("127.0.0.1", implicit))  # never does the handshake

    # A client in IDLE, on a loop of its own in another thread.
    idling = threading.Event()
    idle_result = {}

    def idle_client():
        async def run():
            client = aioimaplib.IMAP4(host="127.0.0.1", port=plain, timeout=5)
            await client.wait_hello_from_server()
            await client.login("bob@example.com", "bob@example.com")
            await client.select("INBOX")
            await client.idle_start(timeout=30)
            idling.set()
            idle_result["push"] = await client.wait_server_push(timeout=5)
            client.protocol.transport.close()  # the client's own socket

        asyncio.run(run())

    idler = threading.Thread(target=idle_client)
    idler.start()
    assert idling.wait(5)

    started = time.perf_counter()
    view.stop()
    stop_ms = (time.perf_counter() - started) * 1000
    idler.join(5)
    assert not idler.is_alive()
    assert any(b"BYE [UNAVAILABLE]" in line for line in idle_result["push"]), idle_result  # the client in IDLE

    # The idle client is told, as a server that shuts down tells it.
    idle_plain._get_response()
    assert idle_plain.untagged_responses.get("BYE") == [b"[UNAVAILABLE] Server has closed the connection."]
    for client in (idle_plain, tls_client, upgraded, pop_client, pops_client):
        try:
            client.sock.close()
            client.file.close()
        except OSError:
            pass
    silent.close()
    with warnings.catch_warnings():
        warnings.simplefilter("error", ResourceWarning)
        gc.collect()
    assert set(threading.enumerate()) == threads_before
    assert descriptors() <= fds_before, descriptors() - fds_before
    print(f"stop with 7 connections: {stop_ms:.1f} ms")


def test_start_stop_many_times_leaves_nothing():
    gc.collect()
    fds = descriptors()
    threads = set(threading.enumerate())
    for _ in range(20):
        view = SMTPServer()
        view.start()
        view.start_imap()
        view.start_pop3()
        view.stop()
    assert descriptors() <= fds and set(threading.enumerate()) == threads


def test_a_stopped_view_is_fed_no_more_and_starts_again_with_its_users():
    view = SMTPServer()
    view.start()
    view.start_imap()
    view.add_mail_user("bob@example.com", "s3cret")
    view.stop()
    view.deliver("carol@example.com", message("late"))  # not observed any more: nothing to file
    assert view.mail_view.state(view.mailbox.messages()[0]) is None
    with pytest.raises(SMTPLibrary.core.NoServer, match="not running: start it before its IMAP server"):
        view.start_imap()
    view.start()
    try:
        port = view.start_imap()  # a new view over the same mailbox: the late message is filed now
        client = imaplib.IMAP4("127.0.0.1", port)
        client.login("bob@example.com", "s3cret")
        client.logout()
        view.wait_in_folder(view.mailbox.messages()[0], "INBOX", timeout=0)
    finally:
        view.stop()
    with pytest.raises(LoopStopped):
        raise LoopStopped("kept importable for the adapter's users")


def test_an_error_on_the_loop_thread_is_raised_by_the_next_call_once():
    view = SMTPServer()
    view.start()
    try:
        view.start_imap()
        loop = view.mail_view._loop

        def fails() -> None:
            raise ValueError("broken on the loop")

        loop.loop.call_soon_threadsafe(fails)

        async def after() -> None:  # scheduled after the failing callback: it has run when this returns
            return None

        loop.run(after())
        with pytest.raises(SMTPLibrary.core.ServerError, match=r"^The IMAP and POP3 view failed: ValueError: broken"):
            view.mail_view.check()
        view.mail_view.check()  # raised once, then forgotten
    finally:
        view.stop()


def test_a_wait_on_another_thread_ends_at_once_when_the_server_stops(monkeypatch):
    view = SMTPServer()
    view.start()
    try:
        view.start_imap()
        stored = view.deliver("bob@example.com", message("Pending"))
        copies = view.mail_view.copies
        waiting = threading.Event()
        read = copies._state

        def state_read(*args):
            waiting.set()  # the wait has read the copies: it is inside its watch
            return read(*args)

        monkeypatch.setattr(copies, "_state", state_read)
        failures = []

        def wait() -> None:
            try:
                view.wait_for_flags(stored, "\\Seen", timeout=60)
            except Exception as error:  # noqa: BLE001 - looked at below
                failures.append(error)

        worker = threading.Thread(target=wait, daemon=True)
        worker.start()
        assert waiting.wait(10)
    finally:
        view.stop()
    worker.join(10)  # the wait's own timeout is 60 s: only the stop can end it this soon
    assert not worker.is_alive()
    [failure] = failures
    assert isinstance(failure, SMTPLibrary.core.ServerStopped)
    assert re.fullmatch(
        rf"The IMAP and POP3 view of the SMTP server on {re.escape(view.address)} was stopped\. "
        r"Message #1 'Pending' did not get \\Seen in [\d.]+ (milli)?seconds?: "
        r"for bob@example\.com it is in INBOX with no flags\.",
        str(failure),
    ), str(failure)
