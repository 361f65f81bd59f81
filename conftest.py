"""Shared by every pytest suite of this repository (utest, itest, hard)."""

from __future__ import annotations

import threading

import pytest


@pytest.fixture(autouse=True)
def no_server_threads_left():
    """Every test stops the servers it starts: none of their threads may outlive it."""
    yield
    left = [thread.name for thread in threading.enumerate() if thread.name.startswith("SMTPLibrary ")]
    assert not left, f"server threads left running: {left}"
