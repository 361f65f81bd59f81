"""Integration tests: the library among real programs (see the Makefile's itest target)."""

from __future__ import annotations

import threading

import pytest


@pytest.fixture(autouse=True)
def no_server_threads_left():
    yield
    left = [thread.name for thread in threading.enumerate() if thread.name.startswith("SMTPLibrary ")]
    assert not left, f"server threads left running: {left}"
