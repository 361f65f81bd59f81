"""Hostile TLS handshakes at an implicit TLS server, whose handshakes the engine does itself: clients
that say nothing, speak plain SMTP, give up halfway or refuse the certificate do not keep others from
being served, each ends as a recorded session, and stopping the server waits for none of them."""

from __future__ import annotations

import smtplib
import socket
import ssl

from support import SCALE

from SMTPLibrary.core import SMTPServer
from SMTPLibrary.core.smtp.faults import Session

CLIENTS = 10 * SCALE


def half_a_client_hello() -> bytes:
    """The first half of the ClientHello a real client sends."""
    incoming, outgoing = ssl.MemoryBIO(), ssl.MemoryBIO()
    client = ssl.create_default_context().wrap_bio(incoming, outgoing, server_hostname="localhost")
    try:
        client.do_handshake()
    except ssl.SSLWantReadError:
        pass
    hello = outgoing.read()
    return hello[: len(hello) // 2]


def sent_over_tls(server: SMTPServer, subject: str) -> None:
    context = ssl.create_default_context(cafile=server.ca_certificate)
    with smtplib.SMTP_SSL("127.0.0.1", server.port, context=context, timeout=10) as client:
        client.sendmail("a@example.com", ["b@example.com"], f"Subject: {subject}\r\n\r\nx\r\n".encode())
    server.wait_for(subject=f"EQUALS:{subject}", timeout=10)


def ended(sessions: list[Session], count: int) -> list[Session] | None:
    """The sessions, once ``count`` were opened and every one kept has ended."""
    done = sessions and sessions[-1].number == count and all(found.ended for found in sessions)
    return sessions if done else None


def test_hostile_handshakes_do_not_block_others_and_each_is_recorded():
    with SMTPServer(tls="implicit") as server:
        silent = [socket.create_connection(("127.0.0.1", server.port), timeout=10) for _ in range(CLIENTS)]
        try:
            for _ in range(CLIENTS):
                with socket.create_connection(("127.0.0.1", server.port), timeout=10) as plain:
                    plain.sendall(b"EHLO plain.test\r\n")
                    plain.recv(100)
                with socket.create_connection(("127.0.0.1", server.port), timeout=10) as halfway:
                    halfway.sendall(half_a_client_hello())
            sent_over_tls(server, "through them all")
        finally:
            for sock in silent:
                sock.close()

        sessions = server.transcript.wait(lambda found: ended(found, 3 * CLIENTS + 1), 10).result
        assert sessions is not None, server.transcript.sessions()
        # The transcript keeps the newest 50 sessions: the TLS client's, and handshakes that failed without an alert.
        assert [found.tls for found in sessions].count("completed") == 1
        assert all(found.tls == "failed" and not found.tls_alert for found in sessions if found.tls != "completed")
        assert server.stats.snapshot().sessions == 3 * CLIENTS + 1
        assert server.mailbox.count() == 1


def test_stop_does_not_wait_for_handshakes_that_never_end():
    server = SMTPServer(tls="implicit")
    server.start()
    silent = [socket.create_connection(("127.0.0.1", server.port), timeout=10) for _ in range(CLIENTS)]
    try:
        assert server.transcript.wait(lambda found: (found and found[-1].number == CLIENTS) or None, 10).result
        server.stop(timeout=2)
    finally:
        for sock in silent:
            sock.close()
    sessions = server.transcript.sessions()
    assert all(found.ended and found.tls == "failed" for found in sessions), sessions
