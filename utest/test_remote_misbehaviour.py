"""The misbehaviour keywords and options through Robot's Remote interface: arguments arrive as strings
and lists, are converted as a local run converts them, and the seed comes back."""

import smtplib

import pytest
from test_remote_library import Failed, call, remote, send  # noqa: F401  (remote is a fixture)


def test_rate_limit_chaos_and_stall_take_their_arguments_as_strings(remote):  # noqa: F811
    port = call(remote, "Start SMTP Server", hide_extensions="PIPELINING, SIZE")
    call(remote, "Set SMTP Rate Limit", "1", "1 minute", "450", scope="server")
    # Stages this test never reaches: the conversion of the arguments is what is looked at.
    assert call(remote, "Set SMTP Chaos", "0.5", codes=["451", "452"], stages="AUTH, STARTTLS", seed="42") == 42
    call(remote, "Set SMTP Stall", "100000", "2 s", "continue")
    send(port, b"Subject: one\r\n\r\nx\r\n")
    with pytest.raises(smtplib.SMTPSenderRefused) as refused:
        send(port, b"Subject: two\r\n\r\nx\r\n")
    assert refused.value.smtp_code == 450
    (session, _) = call(remote, "Get SMTP Transcript")
    assert "250-PIPELINING" not in session.replies and "250-SIZE" not in " ".join(session.replies)


def test_a_wrong_value_fails_as_it_does_locally(remote):  # noqa: F811
    call(remote, "Start SMTP Server")
    with pytest.raises(Failed) as failure:
        call(remote, "Set SMTP Rate Limit", "2", "1 minute", scope="ip")
    assert str(failure.value) == "scope must be one of connection, sender, server, got 'ip'."
    with pytest.raises(Failed) as failure:
        call(remote, "Start SMTP Server", tls="starttls", tls_min_version="SSLv3", alias="old")
    assert str(failure.value) == "tls_min_version must be one of TLSv1.2, TLSv1.3, got 'SSLv3'."
