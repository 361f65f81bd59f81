"""Helpers of the IMAP and POP3 tests: a message, a client TLS context that trusts the test CA."""

from __future__ import annotations

import ssl
import sys

import pytest

# pymap, the IMAP server of the view, installs on Python 3.11 and newer only (the imap extra): there
# these tests run, and fail when pymap is missing; on 3.10 the view does not exist to be tested.
needs_pymap = pytest.mark.skipif(sys.version_info < (3, 11), reason="pymap installs on Python 3.11 and newer only")


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
