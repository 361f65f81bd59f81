"""Hardening suite: load, hostile input, faults, security.

The bounded run is part of `make test`; `make stress` sets SMTPLIBRARY_STRESS=1
and multiplies the loads by ten.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from SMTPLibrary.core import SMTPServer

# itest/serve_process.py drives `smtplibrary serve` as a child process here too.
sys.path.append(str(Path(__file__).resolve().parent.parent / "itest"))


@pytest.fixture
def server():
    with SMTPServer() as running:
        yield running
