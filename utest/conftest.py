"""Shared fixtures for the unit tests of the capture core."""

from __future__ import annotations

import smtplib

import pytest

from SMTPLibrary.core import SMTPServer


@pytest.fixture
def server():
    with SMTPServer() as running:
        yield running


@pytest.fixture
def send(server):
    """send(source, sender=..., recipients=[...]): deliver bytes to ``server`` with smtplib."""

    def deliver(source: bytes | str, sender: str = "app@example.com", recipients=("alice@example.com",)):
        with smtplib.SMTP(server.host, server.port, timeout=10) as client:
            client.sendmail(sender, list(recipients), source)

    return deliver


@pytest.fixture
def view():
    """A started server whose IMAP and POP3 view the test starts (``view.start_imap()``)."""
    with SMTPServer() as running:
        yield running


@pytest.fixture
def mailbox(view):
    return view.mailbox


@pytest.fixture
def smtp(view):
    return view


@pytest.fixture
def ca(view):
    from imap_support import TrustedCA

    return TrustedCA(view.imap_ca_certificate)
