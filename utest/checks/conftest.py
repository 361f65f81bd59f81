"""The test DNS each check test fills (the root conftest.py refuses every DNS query a test tries)."""

from __future__ import annotations

import pytest

from SMTPLibrary.core.checks import TestDNS


@pytest.fixture
def dns() -> TestDNS:
    return TestDNS()
