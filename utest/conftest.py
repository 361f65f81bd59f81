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
