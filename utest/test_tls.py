"""STARTTLS and implicit TLS, with the cached test certificate or the user's own."""

import smtplib
import socket
import ssl
import subprocess
import sys
from pathlib import Path

import pytest
import trustme

from SMTPLibrary.core import InvalidArgument, SMTPServer
from SMTPLibrary.core.smtp import tls

MAIL = b"Subject: secret\r\n\r\nx\r\n"


def verifying(cafile):
    return ssl.create_default_context(cafile=cafile)


def ehlo_keywords(client):
    client.ehlo()
    return sorted(client.esmtp_features)


def test_starttls_is_offered_and_the_certificate_verifies_against_the_ca_file():
    with SMTPServer(tls="starttls") as server:
        with smtplib.SMTP("localhost", server.port, timeout=5) as client:
            assert "starttls" in ehlo_keywords(client)
            client.starttls(context=verifying(server.ca_certificate))
            assert "starttls" not in ehlo_keywords(client)
            client.sendmail("a@example.com", ["b@example.com"], MAIL)
        (message,) = server.mailbox.messages()
    assert message.tls["mode"] == "starttls"
    assert message.tls["version"].startswith("TLSv1.")
    assert message.tls["cipher"]
    assert message.tls["bits"] >= 128


def test_implicit_tls_speaks_tls_from_the_first_byte():
    with SMTPServer(tls="implicit") as server:
        with smtplib.SMTP_SSL("127.0.0.1", server.port, timeout=5, context=verifying(server.ca_certificate)) as client:
            assert "starttls" not in ehlo_keywords(client)
            client.sendmail("a@example.com", ["b@example.com"], MAIL)
        (message,) = server.mailbox.messages()
    assert message.tls["mode"] == "implicit"
    assert message.tls["version"].startswith("TLSv1.")


def test_a_plain_message_records_no_tls(server, send):
    send(MAIL)
    assert server.mailbox.messages()[0].tls is None
    assert server.ca_certificate is None
    assert server.tls == "none"


def test_the_test_certificate_names_localhost_and_both_loopback_addresses():
    # Each address twice: as an IP entry (Python, OpenSSL, curl, Java's own check) and as a DNS
    # entry (Jakarta Mail 2.0 and s-nail compare hosts with DNS names only: itest/test_tls_clients.py).
    with SMTPServer(tls="implicit") as server:
        raw = socket.create_connection(("127.0.0.1", server.port), timeout=5)
        with verifying(server.ca_certificate).wrap_socket(raw, server_hostname="127.0.0.1") as sock:
            names = sock.getpeercert()["subjectAltName"]
    assert sorted(names) == [
        ("DNS", "127.0.0.1"),
        ("DNS", "::1"),
        ("DNS", "localhost"),
        ("IP Address", "0:0:0:0:0:0:0:1"),
        ("IP Address", "127.0.0.1"),
    ]


def test_require_tls_refuses_mail_before_starttls_with_530():
    with SMTPServer(tls="starttls", require_tls=True) as server:
        with smtplib.SMTP("127.0.0.1", server.port, timeout=5) as client:
            client.ehlo()
            assert client.mail("a@example.com") == (530, b"Must issue a STARTTLS command first")
            client.starttls(context=verifying(server.ca_certificate))
            client.sendmail("a@example.com", ["b@example.com"], MAIL)
        assert server.mailbox.count() == 1


def test_the_certificate_is_made_once_per_process_and_cleared_on_request():
    with SMTPServer(tls="starttls") as first, SMTPServer(tls="implicit") as second:
        assert first.ca_certificate == second.ca_certificate
        assert Path(first.ca_certificate).read_text().startswith("-----BEGIN CERTIFICATE-----")
    tls.clear_cache()
    with SMTPServer(tls="starttls") as third:
        assert third.ca_certificate != first.ca_certificate
        # Files already handed out stay until the process ends.
        assert Path(first.ca_certificate).is_file()
        with smtplib.SMTP("127.0.0.1", third.port, timeout=5) as client:
            client.ehlo()
            with pytest.raises(ssl.SSLCertVerificationError):
                client.starttls(context=verifying(first.ca_certificate))


@pytest.fixture
def own_certificate(tmp_path):
    authority = trustme.CA()
    issued = authority.issue_cert("localhost")
    certificate, key, ca = tmp_path / "server.pem", tmp_path / "server.key", tmp_path / "ca.pem"
    issued.cert_chain_pems[0].write_to_path(str(certificate))
    issued.private_key_pem.write_to_path(str(key))
    authority.cert_pem.write_to_path(str(ca))
    return str(certificate), str(key), str(ca)


def test_a_certificate_of_the_users(own_certificate):
    certificate, key, ca = own_certificate
    with SMTPServer(tls="starttls", certificate=certificate, key=key) as server:
        assert server.ca_certificate is None
        with smtplib.SMTP("localhost", server.port, timeout=5) as client:
            client.starttls(context=verifying(ca))
            client.sendmail("a@example.com", ["b@example.com"], MAIL)
        assert server.mailbox.messages()[0].tls["mode"] == "starttls"


def test_a_certificate_file_holding_the_key_too(own_certificate, tmp_path):
    certificate, key, ca = own_certificate
    both = tmp_path / "both.pem"
    both.write_text(Path(key).read_text() + Path(certificate).read_text())
    with SMTPServer(tls="implicit", certificate=str(both)) as server:
        with smtplib.SMTP_SSL("localhost", server.port, timeout=5, context=verifying(ca)) as client:
            assert client.noop()[0] == 250


@pytest.mark.parametrize(
    ("arguments", "error"),
    [
        ({"tls": "ssl"}, "tls must be one of none, starttls, implicit, got 'ssl'."),
        ({"tls": None}, "tls must be one of none, starttls, implicit, got None."),
        ({"require_tls": True}, "require_tls=True needs tls='starttls' (with 'implicit' every connection is TLS)."),
        ({"require_tls": "yes", "tls": "starttls"}, "require_tls must be True or False, got 'yes'."),
        ({"certificate": "server.pem"}, "certificate and key need tls='starttls' or tls='implicit'."),
        (
            {"tls": "starttls", "key": "server.key"},
            "key needs certificate: the PEM file of the certificate it belongs to.",
        ),
        ({"tls": "starttls", "certificate": "/no/such.pem"}, "The certificate file '/no/such.pem' does not exist."),
    ],
    ids=["tls", "tls-none", "require_tls", "require_tls-type", "certificate-without-tls", "key-alone", "missing-file"],
)
def test_wrong_tls_arguments_are_refused_before_starting(arguments, error):
    with pytest.raises(InvalidArgument) as failure:
        SMTPServer(**arguments)
    assert str(failure.value) == error


def test_tls_mode_is_case_insensitive():
    assert SMTPServer(tls="STARTTLS").tls == "starttls"


def test_an_unusable_certificate_file_names_itself(tmp_path, own_certificate):
    certificate, _key, _ca = own_certificate
    with pytest.raises(InvalidArgument, match=rf"^Cannot use certificate '{certificate}': .+\.$"):
        SMTPServer(tls="starttls", certificate=certificate)  # no key anywhere
    garbage = tmp_path / "garbage.pem"
    garbage.write_text("not a certificate")
    with pytest.raises(InvalidArgument, match=r"^Cannot use certificate '.*garbage.pem' and key '.*server.key': "):
        SMTPServer(tls="implicit", certificate=str(garbage), key=_key)


def test_an_encrypted_key_is_refused_instead_of_prompting_for_its_passphrase(own_certificate, tmp_path):
    from cryptography.hazmat.primitives import serialization

    certificate, key, _ca = own_certificate
    private = serialization.load_pem_private_key(Path(key).read_bytes(), password=None)
    encrypted = tmp_path / "encrypted.key"
    encrypted.write_bytes(
        private.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.BestAvailableEncryption(b"passphrase"),
        )
    )
    with pytest.raises(InvalidArgument) as failure:
        SMTPServer(tls="starttls", certificate=certificate, key=str(encrypted))
    assert str(failure.value) == f"The key in '{encrypted}' is encrypted: give a key without a passphrase."


def test_a_client_that_rejects_the_certificate_is_not_a_server_error():
    for mode in ("starttls", "implicit"):
        with SMTPServer(tls=mode) as server:
            with pytest.raises(ssl.SSLCertVerificationError):
                if mode == "implicit":
                    smtplib.SMTP_SSL("localhost", server.port, timeout=5, context=ssl.create_default_context())
                else:
                    with smtplib.SMTP("localhost", server.port, timeout=5) as client:
                        client.starttls(context=ssl.create_default_context())
            # The server goes on serving, and has nothing to report.
            client_class = smtplib.SMTP_SSL if mode == "implicit" else smtplib.SMTP
            extra = {"context": verifying(server.ca_certificate)} if mode == "implicit" else {}
            with client_class("localhost", server.port, timeout=5, **extra) as client:
                assert client.noop()[0] == 250
            server.check()


def test_stop_drops_a_client_stuck_before_the_handshake():
    server = SMTPServer(tls="implicit")
    server.start()
    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as stuck:
        # Connections are accepted in order: once a later client is greeted, the stuck one is in.
        with smtplib.SMTP_SSL("localhost", server.port, timeout=5, context=verifying(server.ca_certificate)):
            pass
        # asyncio's handshake timeout is 60 s; stopping must not wait for it: stop() fails when
        # its thread has not ended within its timeout, and the stuck client sees its connection closed.
        server.stop(timeout=5)
        assert stuck.recv(100) == b""


def test_servers_without_tls_never_import_trustme():
    # trustme brings cryptography: about a tenth of a second that only TLS users should pay.
    code = (
        "import sys; from SMTPLibrary import SMTPServer; "
        "server = SMTPServer(credentials='alice:pw', allow_plaintext_auth=True); server.start(); server.stop(); "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('trustme', 'cryptography')))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.stdout.strip() == "[]", result.stdout + result.stderr
