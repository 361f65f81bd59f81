"""Helpers of the IMAP and POP3 tests: a message, a client TLS context that trusts the test CA."""

from __future__ import annotations

import ssl


def message(subject: str, to: str = "bob@example.com", sender: str = "app@example.com", body: str = "Hello") -> bytes:
    return (
        f"From: {sender}\r\nTo: {to}\r\nSubject: {subject}\r\nMessage-ID: <{subject.replace(' ', '.')}@test>\r\n"
        f"\r\n{body}\r\n"
    ).encode()


class TrustedCA:
    """The CA behind a server's IMAP and POP3 TLS, as clients load it."""

    def __init__(self, ca_file: str) -> None:
        self.ca_file = ca_file

    def client_context(self) -> ssl.SSLContext:
        return ssl.create_default_context(cafile=self.ca_file)
