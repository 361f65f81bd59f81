"""SMTP AUTH: who may log in, where, and what a message remembers of it."""

import base64
import smtplib
import ssl

import pytest

from SMTPLibrary.core import InvalidArgument, SMTPServer
from SMTPLibrary.core.smtp.aiosmtpd_engine.auth import Authenticator
from SMTPLibrary.core.smtp.credentials import Users, parse_credentials

MAIL = b"Subject: hello\r\n\r\nx\r\n"
PASSWORD = "s3:cr,et"


def connect(server, local_hostname="client.test"):
    """A client on ``server``, over TLS when it has TLS, verifying the certificate."""
    context = ssl.create_default_context(cafile=server.ca_certificate) if server.tls != "none" else None
    if server.tls == "implicit":
        return smtplib.SMTP_SSL("localhost", server.port, timeout=5, context=context, local_hostname=local_hostname)
    client = smtplib.SMTP("localhost", server.port, timeout=5, local_hostname=local_hostname)
    if server.tls == "starttls":
        client.starttls(context=context)
    return client


def auth_advertised(client):
    client.ehlo()
    return client.has_extn("auth")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("alice:s3cret", {"alice": "s3cret"}),
        ("alice:s3:cret", {"alice": "s3:cret"}),
        ("alice:s3cret, bob:pw", {"alice": "s3cret", "bob": "pw"}),
        ("alice:", {"alice": ""}),
        (["alice:a,b", "bob:c:d"], {"alice": "a,b", "bob": "c:d"}),
        ({"alice": "a,b:c"}, {"alice": "a,b:c"}),
        ("jörg:pässwörd", {"jörg": "pässwörd"}),
    ],
)
def test_credentials_in_every_form(value, expected):
    assert parse_credentials(value) == expected


@pytest.mark.parametrize(
    ("value", "error"),
    [
        ("alice", "credentials entry 1 is not 'user:password'."),
        ("alice:ok, s3cret", "credentials entry 2 is not 'user:password'."),
        (":s3cret", "credentials contain an empty user name."),
        ("alice:s3cret,alice:other", "credentials give user 'alice' twice."),
        ([], "credentials must name at least one user."),
        ({"alice": 42}, "credentials: the password of user 'alice' must be a string, got int."),
        (["alice:x", 42], "credentials: the entry must be a string, got int."),
        (42, "credentials must be 'user:password', several separated by commas, a list or a dict, got int."),
    ],
    ids=["no-colon", "second-entry", "empty-user", "twice", "empty", "password-type", "entry-type", "type"],
)
def test_wrong_credentials_are_refused_without_showing_a_password(value, error):
    with pytest.raises(InvalidArgument) as failure:
        SMTPServer(credentials=value)
    assert str(failure.value) == error
    assert "s3cret" not in str(failure.value)
    assert "other" not in str(failure.value)


def test_passwords_are_not_in_any_representation():
    server = SMTPServer(tls="starttls", credentials={"alice": PASSWORD})
    shown = [repr(server), repr(server.security.users), server.security.describe(), str(vars(server))]
    assert not [text for text in shown if PASSWORD in text or "s3:cr" in text]
    assert "alice" in server.security.describe()


@pytest.mark.parametrize("tls", ["starttls", "implicit"])
@pytest.mark.parametrize("mechanism", ["PLAIN", "LOGIN"])
def test_login_over_tls_is_advertised_checked_and_recorded(tls, mechanism):
    with SMTPServer(tls=tls, credentials={"alice": PASSWORD, "bob": "pw"}) as server:
        with connect(server) as client:
            client.ehlo()
            assert client.esmtp_features["auth"].split() == ["LOGIN", "PLAIN"]
            client.user, client.password = "alice", PASSWORD
            client.auth(mechanism, getattr(client, f"auth_{mechanism.lower()}"))
            client.sendmail("a@example.com", ["b@example.com"], MAIL)
        (message,) = server.mailbox.messages()
    assert message.authenticated_as == "alice"
    assert message.tls["mode"] == tls
    assert message.helo == "client.test"


def test_a_wrong_password_gets_535_at_once_and_the_client_may_try_again():
    with SMTPServer(tls="starttls", credentials={"alice": PASSWORD}) as server:
        with connect(server) as client:
            for user, password in (("alice", "wrong"), ("mallory", PASSWORD), ("alice", "")):
                # aiosmtpd's default failure result sends nothing: the client would wait until its
                # socket timeout (5 s) and fail with TimeoutError, not with the server's refusal.
                with pytest.raises(smtplib.SMTPAuthenticationError) as refused:
                    client.login(user, password)
                assert refused.value.smtp_code == 535
                assert refused.value.smtp_error == b"5.7.8 Authentication credentials invalid"
            client.login("alice", PASSWORD)
            client.sendmail("a@example.com", ["b@example.com"], MAIL)
        assert server.mailbox.messages()[0].authenticated_as == "alice"
        server.check()


def test_utf8_user_names_and_passwords():
    with SMTPServer(tls="implicit", credentials="jörg:pässwörd") as server:
        with connect(server) as client:
            client.ehlo()
            blob = base64.b64encode("\0jörg\0pässwörd".encode()).decode()
            assert client.docmd("AUTH", f"PLAIN {blob}")[0] == 235
            client.sendmail("a@example.com", ["b@example.com"], MAIL)
        assert server.mailbox.messages()[0].authenticated_as == "jörg"


def test_plaintext_login_is_neither_advertised_nor_accepted_by_default():
    with SMTPServer(tls="starttls", credentials={"alice": PASSWORD}) as server:
        with smtplib.SMTP("127.0.0.1", server.port, timeout=5) as client:
            assert not auth_advertised(client)
            blob = base64.b64encode(f"\0alice\0{PASSWORD}".encode()).decode()
            assert client.docmd("AUTH", f"PLAIN {blob}") == (
                538,
                b"5.7.11 Encryption required for requested authentication mechanism",
            )


def test_plaintext_login_when_allowed():
    with SMTPServer(credentials={"alice": PASSWORD}, allow_plaintext_auth=True) as server:
        with smtplib.SMTP("127.0.0.1", server.port, timeout=5) as client:
            assert auth_advertised(client)
            client.login("alice", PASSWORD)
            client.sendmail("a@example.com", ["b@example.com"], MAIL)
        message = server.mailbox.messages()[0]
        assert (message.authenticated_as, message.tls) == ("alice", None)


def test_without_credentials_there_is_no_auth():
    with SMTPServer(tls="starttls", allow_plaintext_auth=True) as server:
        with connect(server) as client:
            assert not auth_advertised(client)
            assert client.docmd("AUTH", "PLAIN AGFsaWNlAHB3") == (
                502,
                b"5.5.1 AUTH not available: the server has no credentials",
            )
            client.sendmail("a@example.com", ["b@example.com"], MAIL)
        assert server.mailbox.messages()[0].authenticated_as is None


@pytest.mark.parametrize("tls", ["starttls", "implicit"])
def test_auth_required_refuses_mail_before_login_with_530(tls):
    with SMTPServer(tls=tls, credentials={"alice": PASSWORD}, auth_required=True) as server:
        with connect(server) as client:
            client.ehlo()
            assert client.mail("a@example.com") == (530, b"5.7.0 Authentication required")
            assert client.rcpt("b@example.com")[0] == 530
            client.login("alice", PASSWORD)
            client.sendmail("a@example.com", ["b@example.com"], MAIL)
        assert server.mailbox.count() == 1


def test_auth_required_needs_credentials():
    with pytest.raises(InvalidArgument, match=r"^auth_required=True needs credentials: the users who may log in\.$"):
        SMTPServer(tls="starttls", auth_required=True)


def test_the_authenticator_answers_535_rather_than_leaving_the_client_waiting():
    # handled=True, aiosmtpd's default, would send no reply at all.
    result = Authenticator(Users({"alice": "pw"}))(None, None, None, "PLAIN", None)
    assert (result.success, result.handled) == (False, False)


def test_a_login_logs_no_warning(caplog):
    # aiosmtpd's Session logs a deprecation warning each time a login sets login_data.
    with SMTPServer(tls="starttls", credentials={"alice": PASSWORD}) as server:
        with connect(server) as client:
            client.login("alice", PASSWORD)
            client.sendmail("a@example.com", ["b@example.com"], MAIL)
    assert [record.getMessage() for record in caplog.records if record.levelname == "WARNING"] == []
