"""The IMAP view: what starting one costs next to the SMTP server alone, what filing costs a
burst of mail, and how fast a client reads captured mail back (Python's imaplib)."""

from __future__ import annotations

import imaplib
import smtplib
import time

from SMTPLibrary.core import SMTPServer

from .servers import HOST


def message(number: int, size: int) -> bytes:
    head = f"From: app@example.com\r\nTo: bob@example.com\r\nSubject: Message {number}\r\n\r\n".encode()
    line = b"x" * 76 + b"\r\n"
    return head + line * max(1, (size - len(head)) // len(line))


def start_stop(count: int, imap: bool) -> list[float]:
    """Seconds to start and stop an SMTP server, with an IMAP server over its mailbox or without."""

    def cycle() -> float:
        began = time.perf_counter()
        server = SMTPServer(HOST)
        server.start()
        if imap:
            server.start_imap()
        server.stop()
        return time.perf_counter() - began

    cycle()  # imports (pymap: about 100 ms) and first-use costs are not what is measured
    return [cycle() for _ in range(count)]


def send_burst(count: int, size: int, imap: bool) -> float:
    """Seconds for one SMTP session to send ``count`` messages, filed into the IMAP view or not."""
    with SMTPServer(HOST) as server:
        if imap:
            server.start_imap()
        with smtplib.SMTP(HOST, server.port) as client:
            began = time.perf_counter()
            for number in range(count):
                client.sendmail("app@example.com", ["bob@example.com"], message(number, size))
            return time.perf_counter() - began


def fetch_all(count: int, size: int) -> float:
    """Seconds for imaplib to log in, SELECT and FETCH 1:* (BODY.PEEK[]) ``count`` captured messages."""
    with SMTPServer(HOST) as server:
        port = server.start_imap()
        with smtplib.SMTP(HOST, server.port) as client:
            for number in range(count):
                client.sendmail("app@example.com", ["bob@example.com"], message(number, size))
        began = time.perf_counter()
        reader = imaplib.IMAP4(HOST, port)
        reader.login("bob@example.com", "bob@example.com")
        reader.select("INBOX", readonly=True)
        typ, data = reader.fetch("1:*", "(BODY.PEEK[])")
        took = time.perf_counter() - began
        reader.logout()
    fetched = sum(1 for part in data if isinstance(part, tuple))
    if typ != "OK" or fetched != count:
        raise RuntimeError(f"imaplib fetched {fetched} of {count} messages ({typ})")
    return took
