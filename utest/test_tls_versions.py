"""tls_min_version and tls_max_version: a server that speaks only some TLS versions, with a context of its own."""

import smtplib
import ssl

import pytest

from SMTPLibrary.core import InvalidArgument, ServerOptions, SMTPServer
from SMTPLibrary.core.smtp.tls import default_certificate

SOURCE = b"From: app@example.com\r\nSubject: Hello\r\n\r\nHello.\r\n"
# What a client limited to the other version sees: the server's "protocol version" alert, or, on
# Python 3.11 to 3.13 whose asyncio closes without sending it (CPython issue 98078), the end of the connection.
HANDSHAKE_FAILED = (ssl.SSLEOFError, ssl.SSLError, ConnectionResetError)


def client_context(server, minimum=None, maximum=None):
    context = ssl.create_default_context(cafile=server.ca_certificate)
    if minimum:
        context.minimum_version = minimum
    if maximum:
        context.maximum_version = maximum
    return context


def send_starttls(server, context):
    with smtplib.SMTP("127.0.0.1", server.port, timeout=5) as client:
        client.starttls(context=context)
        client.sendmail("app@example.com", ["bob@example.com"], SOURCE)


def wait_for_session_end(server):
    ended = server.transcript.wait(lambda found: found if found and found[-1].ended else None, 5).result
    assert ended, server.transcript.sessions()
    return ended[-1]


@pytest.mark.parametrize(
    ("options", "error"),
    [
        ({"tls": "starttls", "tls_min_version": "TLSv1.1"}, "tls_min_version must be one of TLSv1.2, TLSv1.3, got "),
        ({"tls": "implicit", "tls_max_version": "1.3"}, "tls_max_version must be one of TLSv1.2, TLSv1.3, got '1.3'."),
        ({"tls_min_version": "TLSv1.3"}, "tls_min_version needs tls='starttls' or tls='implicit'."),
        (
            {"tls": "starttls", "tls_min_version": "TLSv1.3", "tls_max_version": "TLSv1.2"},
            "tls_min_version='TLSv1.3' is newer than tls_max_version='TLSv1.2': no TLS version would be left.",
        ),
    ],
)
def test_versions_are_checked_before_anything_starts(options, error):
    with pytest.raises(InvalidArgument) as failure:
        SMTPServer(**options)
    assert str(failure.value).startswith(error)


def test_versions_are_spelt_as_ssl_spells_them_whatever_the_case():
    options = ServerOptions(tls="starttls", tls_min_version="tlsv1.2", tls_max_version=" TLSV1.3")
    assert (options.tls_min_version, options.tls_max_version) == ("TLSv1.2", "TLSv1.3")


def test_a_client_limited_to_tls_1_2_fails_against_a_tls_1_3_server_and_the_transcript_says_why():
    with SMTPServer(tls="starttls", tls_min_version="TLSv1.3") as server:
        with pytest.raises(HANDSHAKE_FAILED):
            send_starttls(server, client_context(server, maximum=ssl.TLSVersion.TLSv1_2))
        session = wait_for_session_end(server)
        assert session.commands[-1] == "STARTTLS"
        assert "*: the TLS handshake failed: UNSUPPORTED_PROTOCOL" in session.text
        send_starttls(server, client_context(server))
        (message,) = server.mailbox.messages()
        assert message.tls["version"] == "TLSv1.3"


def test_a_tls_1_2_server_refuses_a_client_that_wants_1_3_and_serves_the_others_1_2():
    with SMTPServer(tls="starttls", tls_max_version="TLSv1.2") as server:
        with pytest.raises(HANDSHAKE_FAILED):
            send_starttls(server, client_context(server, minimum=ssl.TLSVersion.TLSv1_3))
        assert "the TLS handshake failed: UNSUPPORTED_PROTOCOL" in wait_for_session_end(server).text
        send_starttls(server, client_context(server))
        assert server.mailbox.messages()[0].tls["version"] == "TLSv1.2"


def test_implicit_tls_with_a_version_limit():
    with SMTPServer(tls="implicit", tls_min_version="TLSv1.3", tls_max_version="TLSv1.3") as server:
        with pytest.raises(HANDSHAKE_FAILED):
            smtplib.SMTP_SSL(
                "localhost", server.port, timeout=5, context=client_context(server, maximum=ssl.TLSVersion.TLSv1_2)
            )
        with smtplib.SMTP_SSL("localhost", server.port, timeout=5, context=client_context(server)) as client:
            client.sendmail("app@example.com", ["bob@example.com"], SOURCE)
        assert server.mailbox.messages()[0].tls["version"] == "TLSv1.3"


def test_limits_are_the_servers_own_the_shared_test_certificate_context_is_untouched():
    shared = default_certificate().context
    before = (shared.minimum_version, shared.maximum_version)
    with (
        SMTPServer(tls="starttls", tls_max_version="TLSv1.2") as limited,
        SMTPServer(tls="starttls") as plain,
    ):
        assert limited.security.context is not shared and plain.security.context is shared
        assert limited.ca_certificate == plain.ca_certificate
        send_starttls(plain, client_context(plain))
        send_starttls(limited, client_context(limited))
        assert plain.mailbox.messages()[0].tls["version"] == "TLSv1.3"
        assert limited.mailbox.messages()[0].tls["version"] == "TLSv1.2"
    assert (shared.minimum_version, shared.maximum_version) == before


def test_a_users_certificate_gets_the_limits_too(tmp_path):
    import trustme

    authority = trustme.CA()
    issued = authority.issue_cert("localhost")
    certificate = tmp_path / "server.pem"
    issued.private_key_and_cert_chain_pem.write_to_path(str(certificate))
    with SMTPServer(tls="starttls", certificate=str(certificate), tls_max_version="TLSv1.2") as server:
        context = ssl.create_default_context()
        authority.configure_trust(context)
        with smtplib.SMTP("localhost", server.port, timeout=5) as client:
            client.starttls(context=context)
            client.sendmail("app@example.com", ["bob@example.com"], SOURCE)
        assert server.mailbox.messages()[0].tls["version"] == "TLSv1.2"
        assert "TLSv1.2 or older" in server.security.describe()
