"""certificate=untrusted|wrong_host|expired: one defect each, what the transcript keeps of a handshake the
client aborts, and what wait_for_certificate_rejection makes of it."""

from __future__ import annotations

import datetime
import smtplib
import socket
import ssl

import pytest
from cryptography import x509

from SMTPLibrary.core import CertificateNotRejected, InvalidArgument, ServerOptions, SMTPServer
from SMTPLibrary.core.smtp import tls
from SMTPLibrary.core.smtp.faults import Session, verdict
from SMTPLibrary.core.smtp.handshakes import read_failure

MAIL = b"Subject: secret\r\n\r\nx\r\n"


def presented(server: SMTPServer) -> x509.Certificate:
    """The certificate the server presents, fetched without checking it."""
    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as raw:
        with ssl._create_unverified_context().wrap_socket(raw) as sock:
            return x509.load_der_x509_certificate(sock.getpeercert(binary_form=True))


def names(certificate: x509.Certificate) -> set[str]:
    extension = certificate.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    return {str(name.value) for name in extension}


def issuer_of(ca_file: str) -> x509.Name:
    with open(ca_file, "rb") as file:
        return x509.load_pem_x509_certificate(file.read()).subject


def test_each_variant_has_exactly_one_defect():
    now = datetime.datetime.now(datetime.timezone.utc)
    found = {}
    for kind in tls.TEST_CERTIFICATES:
        with SMTPServer(tls="implicit", certificate=kind) as server:
            found[kind] = presented(server)
            ca = issuer_of(server.ca_certificate)
    identities = {"localhost", "127.0.0.1", "::1"}
    for kind, certificate in found.items():
        from_test_ca = certificate.issuer == ca
        valid = certificate.not_valid_before_utc < now < certificate.not_valid_after_utc
        assert (from_test_ca, identities <= names(certificate), valid) == (
            kind != "untrusted", kind != "wrong_host", kind != "expired",
        ), kind  # fmt: skip
    assert names(found["wrong_host"]) == {tls.WRONG_HOST}


def test_the_variants_are_made_once_per_test_ca():
    assert tls.test_certificate("expired") is tls.test_certificate("expired")
    assert tls.test_certificate("trusted") is tls.default_certificate()
    with pytest.raises(InvalidArgument, match=r"^certificate must be one of trusted, untrusted, wrong_host, expired"):
        tls.test_certificate("weird")


@pytest.mark.parametrize(
    ("options", "error"),
    [
        ({"certificate": "untrusted"}, "certificate=untrusted needs tls='starttls' or tls='implicit'."),
        ({"certificate": "server.pem"}, "certificate and key need tls='starttls' or tls='implicit'."),
        ({"key": "server.key"}, "certificate and key need tls='starttls' or tls='implicit'."),
        (
            {"tls": "starttls", "key": "server.key"},
            "key needs certificate: the PEM file of the certificate it belongs to.",
        ),
        (
            {"tls": "starttls", "certificate": "wrong_host", "key": "k.pem"},
            "key goes with a certificate file only: certificate=wrong_host is a test certificate "
            "with a key of its own.",
        ),
        (
            {"tls": "starttls", "certificate": "expird"},
            "certificate 'expird' is neither a file nor one of trusted, untrusted, wrong_host, expired.",
        ),
    ],
)
def test_wrong_certificate_options_name_the_fix(options, error):
    with pytest.raises(InvalidArgument) as refused:
        ServerOptions(**options)
    assert str(refused.value) == error


def test_certificate_words_ignore_case_and_none_means_trusted():
    assert ServerOptions(tls="starttls", certificate=" Wrong_Host ").certificate == "wrong_host"
    assert ServerOptions(certificate=None).certificate == "trusted"
    assert ServerOptions(tls="starttls", certificate="Wrong_Host").certificate_file is None
    assert ServerOptions().differences(ServerOptions(certificate=None)) == []


@pytest.mark.parametrize(
    ("reason", "alert", "refused"),
    [
        ("TLSV1_ALERT_UNKNOWN_CA", "unknown ca", True),
        ("SSLV3_ALERT_BAD_CERTIFICATE", "bad certificate", True),
        ("SSLV3_ALERT_CERTIFICATE_EXPIRED", "certificate expired", True),
        ("TLSV13_ALERT_CERTIFICATE_REQUIRED", "certificate required", False),
        ("SSLV3_ALERT_HANDSHAKE_FAILURE", "handshake failure", False),
        ("WRONG_VERSION_NUMBER", None, False),
    ],
)
def test_the_alert_is_read_off_the_error(reason, alert, refused):
    error = ssl.SSLError(1, f"[SSL: {reason}] ...")
    error.reason = reason
    failure = read_failure(error)
    assert (failure.alert, failure.certificate_refused, failure.error) == (alert, refused, reason)
    assert read_failure(ConnectionResetError()).error == "ConnectionResetError"


def session(**facts) -> Session:
    return Session(1, ("127.0.0.1", 4000), 0.0, facts.pop("ended", 1.0), (), **facts)


@pytest.mark.parametrize(
    ("facts", "outcome"),
    [
        ({"tls": "failed", "tls_alert": "unknown ca"}, "rejected"),
        ({"tls": "failed", "tls_alert": "protocol version"}, "failed"),
        ({"tls": "failed", "tls_error": "ConnectionResetError"}, "failed"),
        ({"tls": "completed"}, "rejected"),
        ({"tls": "completed", "ended": None}, "pending"),
        ({"tls": "completed", "commands_after_tls": 1, "first_command_after_tls": "QUIT"}, "accepted"),
    ],
)
def test_what_a_session_says_of_the_certificate(facts, outcome):
    assert verdict(session(**facts)).outcome == outcome
    assert verdict(session()) is None


@pytest.mark.parametrize("mode", ["starttls", "implicit"])
def test_a_client_that_checks_is_seen_rejecting(mode):
    with SMTPServer(tls=mode, certificate="untrusted") as server:
        with pytest.raises(ssl.SSLCertVerificationError):
            connect(server, mode, ssl.create_default_context(cafile=server.ca_certificate))
        found = server.wait_for_certificate_rejection(timeout=5)
        assert found.outcome == "rejected" and found.session.tls_alert == "unknown ca"
        assert str(found).endswith(": the client rejected the certificate with the alert 'unknown ca'")
        assert server.mailbox.count() == 0


@pytest.mark.parametrize("mode", ["starttls", "implicit"])
def test_a_client_that_does_not_check_fails_the_wait_at_once(mode):
    with SMTPServer(tls=mode, certificate="expired") as server:
        with connect(server, mode, ssl._create_unverified_context()) as client:
            client.sendmail("a@example.com", ["b@example.com"], MAIL)
        with pytest.raises(CertificateNotRejected) as failure:
            # The text proves it failed at once: after the timeout it would say no client rejected it.
            server.wait_for_certificate_rejection(timeout=60)
    assert str(failure.value).startswith(
        f"The client accepted the expired certificate of the SMTP server on {server.address} and sent a message: "
        "a security bug in the application under test, which does not check whom it talks to.\nsession 1 from "
    )
    assert str(failure.value).endswith(": after the TLS handshake it sent ehlo app.test, and 1 message")


def test_the_transcript_says_what_became_of_each_handshake():
    with SMTPServer(tls="implicit", certificate="wrong_host") as server:
        with pytest.raises(ssl.SSLCertVerificationError):
            connect(server, "implicit", ssl.create_default_context(cafile=server.ca_certificate))
        with socket.create_connection(("127.0.0.1", server.port), timeout=5) as plain:
            plain.sendall(b"EHLO plain.test\r\n")  # SMTP where TLS is expected
            plain.recv(100)  # the server closes (after an alert of its own)
        server.wait_for_certificate_rejection(timeout=5)
        sessions = wait_until_ended(server, 2)
    assert sessions[0].text == "*: the client ended the TLS handshake with the alert 'bad certificate'"
    assert (sessions[1].tls, sessions[1].tls_alert, sessions[1].tls_error) == ("failed", None, "WRONG_VERSION_NUMBER")
    assert sessions[1].as_fields()["tls_error"] == "WRONG_VERSION_NUMBER"
    assert verdict(sessions[1]).text == "the TLS handshake failed without an alert: WRONG_VERSION_NUMBER"


def test_a_server_stopped_during_a_handshake_ends_the_session():
    server = SMTPServer(tls="implicit")
    server.start()
    silent = socket.create_connection(("127.0.0.1", server.port), timeout=5)  # sends no ClientHello
    try:
        assert server.transcript.wait(lambda sessions: sessions or None, 5).result
    finally:
        server.stop()
        silent.close()
    (stopped,) = server.transcript.sessions()
    assert stopped.ended is not None and stopped.tls == "failed"
    assert stopped.tls_error in (
        "the server stopped during the TLS handshake",
        "the connection closed during the TLS handshake",
    )


def test_without_tls_the_wait_says_how_to_start_the_server(server):
    with pytest.raises(
        InvalidArgument, match=r"has no TLS: start it with tls=starttls or tls=implicit, and certificate="
    ):
        server.wait_for_certificate_rejection(timeout=0)


def connect(server: SMTPServer, mode: str, context: ssl.SSLContext) -> smtplib.SMTP:
    if mode == "implicit":
        return smtplib.SMTP_SSL("127.0.0.1", server.port, context=context, timeout=5, local_hostname="app.test")
    client = smtplib.SMTP("127.0.0.1", server.port, timeout=5, local_hostname="app.test")
    try:
        client.starttls(context=context)
    except BaseException:
        client.close()
        raise
    return client


def wait_until_ended(server: SMTPServer, count: int) -> list[Session]:
    def ended(sessions: list[Session]) -> list[Session] | None:
        return sessions if len(sessions) == count and all(found.ended for found in sessions) else None

    found = server.transcript.wait(ended, 5).result
    assert found is not None, server.transcript.sessions()
    return found
