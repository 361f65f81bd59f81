"""The standard library client the steps and demos send with (core/smtp/client.py)."""

from __future__ import annotations

import pytest

from SMTPLibrary.core import Criteria, SMTPServer
from SMTPLibrary.core.smtp.client import compose, dial_host, send_to


def test_wildcard_hosts_are_dialled_on_the_loopback_address():
    assert [dial_host(host) for host in ("", "0.0.0.0", "::")] == ["127.0.0.1", "127.0.0.1", "::1"]
    assert [dial_host(host) for host in ("127.0.0.1", "localhost", "::1")] == ["127.0.0.1", "localhost", "::1"]


# These servers listen on every address of the machine, for the few seconds of the test: that is the point.
@pytest.mark.parametrize("host", ["", "0.0.0.0", "::"])
@pytest.mark.parametrize("tls", ["none", "starttls", "implicit"])
def test_send_to_reaches_a_server_listening_on_every_address(host, tls):
    with SMTPServer(host=host, tls=tls) as server:
        send_to(server, "app@example.com", ["bob@example.com"], compose("app@example.com", "bob@example.com", "Hi"))
        message = server.mailbox.wait_for(Criteria.from_strings(subject="EQUALS:Hi"), 5)
    assert (message.tls or {}).get("mode", "none") == tls
