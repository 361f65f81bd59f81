"""Clients this project did not write (smtplib, swaks, curl, nodemailer) against a server that
hides an extension or speaks only TLS 1.3: each does what it documents, and the server's side
of it is in the transcript.

nodemailer is installed from npm, pinned by itest/node/package-lock.json, by .ci/node-clients; swaks
and curl by .ci/tools. A missing client fails these tests, it never skips them.
"""

from __future__ import annotations

import json
import smtplib
import ssl
import subprocess
from email.message import EmailMessage
from pathlib import Path

import node_clients
import pytest

from SMTPLibrary.core import SMTPServer

NODE_CLIENT = node_clients.PROJECT / "nodemailer_send.cjs"
CLIENTS = ("smtplib", "swaks", "curl", "nodemailer")
UTF8_ADDRESS = "jörg@bücher.example"
LOGIN = ("alice", "s3cret")


class Client:
    """One client sending one message to ``server`` the way its users would ask it to; ``sent`` and
    ``output`` (what it printed, or the exception it raised) say how it went."""

    def __init__(self, name: str, server: SMTPServer, folder: Path) -> None:
        self.name, self.server, self.folder = name, server, folder
        self.sent = False
        self.output = ""

    def send(
        self,
        *,
        to: tuple[str, ...] = ("bob@example.com",),
        require_tls: bool = False,
        tls_max: str | None = None,
        login: tuple[str, str] | None = None,
        pipeline: bool = False,
    ) -> Client:
        getattr(self, f"_{self.name}")(list(to), require_tls or bool(tls_max), tls_max, login, pipeline)
        return self

    def _smtplib(self, to, tls, tls_max, login, pipeline) -> None:
        message = EmailMessage()
        message["From"], message["To"], message["Subject"] = "smtplib@example.com", ", ".join(to), "Sent by smtplib"
        message.set_content("Hello.\n")
        try:
            with smtplib.SMTP("127.0.0.1", self.server.port, local_hostname="smtplib.test", timeout=10) as client:
                if tls:
                    context = ssl.create_default_context(cafile=self.server.ca_certificate)
                    if tls_max:
                        context.maximum_version = ssl.TLSVersion[tls_max.replace(".", "_")]
                    client.starttls(context=context)
                if login:
                    client.login(*login)
                client.send_message(message)
            self.sent = True
        except (smtplib.SMTPException, OSError) as error:
            self.output = f"{type(error).__name__}: {error}"

    def _swaks(self, to, tls, tls_max, login, pipeline) -> None:
        command = ["swaks", "--server", f"127.0.0.1:{self.server.port}", "--helo", "swaks.test"]
        command += ["--from", "swaks@example.com", "--to", ",".join(to), "--timeout", "10"]
        if pipeline:
            command.append("--pipeline")
        if tls:
            command += ["--tls", "--tls-verify", "--tls-ca-path", self.server.ca_certificate]
        if tls_max:
            command += ["--tls-protocol", tls_max.lower().replace(".", "_")]
        if login:
            # swaks prefers LOGIN on its own; listing PLAIN first shows the fallback.
            command += ["--auth", "PLAIN,LOGIN", "--auth-user", login[0], "--auth-password", login[1]]
        self._run(command)

    def _curl(self, to, tls, tls_max, login, pipeline) -> None:
        source = self.folder / "curl.eml"
        source.write_bytes(b"From: curl@example.com\r\nSubject: Sent by curl\r\n\r\nHello.\r\n")
        command = [
            "curl",
            "--silent",
            "--show-error",
            "--max-time",
            "10",
            f"smtp://127.0.0.1:{self.server.port}/curl.test",
        ]
        command += ["--mail-from", "curl@example.com", "--upload-file", str(source)]
        for recipient in to:
            command += ["--mail-rcpt", recipient]
        if tls:
            command += ["--ssl-reqd", "--cacert", self.server.ca_certificate]
        if tls_max:
            command += ["--tls-max", tls_max.removeprefix("TLSv")]
        if login:
            command += ["--user", ":".join(login)]
        self._run(command)

    def _nodemailer(self, to, tls, tls_max, login, pipeline) -> None:
        transport: dict = {}
        if tls:
            transport["requireTLS"] = True
            transport["tls"] = {"ca": self.server.ca_certificate}
            if tls_max:
                transport["tls"]["maxVersion"] = tls_max
        if login:
            transport["auth"] = {"user": login[0], "pass": login[1]}
        options = {"port": self.server.port, "transport": transport, "mail": {"to": ", ".join(to)}}
        done = subprocess.run(
            [node_clients.node(), str(NODE_CLIENT), json.dumps(options)], capture_output=True, text=True, timeout=30
        )
        assert done.returncode == 0, done.stderr
        outcome = json.loads(done.stdout)
        self.sent, self.output = outcome["sent"], done.stdout

    def _run(self, command: list[str]) -> None:
        done = subprocess.run(command, capture_output=True, text=True, timeout=30)
        self.sent, self.output = done.returncode == 0, f"exit {done.returncode}\n{done.stdout}{done.stderr}"


@pytest.fixture
def client(request, tmp_path):
    """``client(server)``: the client of the test's parameter, sending to ``server``."""
    return lambda server: Client(request.param, server, tmp_path)


def sessions(server: SMTPServer):
    """The transcript once every connection has ended."""
    ended = server.transcript.wait(lambda found: found if found and all(s.ended for s in found) else None, 10)
    assert ended.result, server.transcript.sessions()
    return ended.result


def text(server: SMTPServer) -> str:
    return "\n\n".join(str(session) for session in sessions(server))


# -- PIPELINING --------------------------------------------------------------------------------------


@pytest.mark.parametrize("client", CLIENTS, indirect=True)
def test_pipelining_hidden_the_client_still_delivers_one_command_at_a_time(client):
    with SMTPServer(hide_extensions="PIPELINING") as server:
        sent = client(server).send(to=("bob@example.com", "carol@example.com"), pipeline=True)
        assert sent.sent, sent.output
        assert server.wait_for_count(1, 5) is None
        transcript = text(server)
    assert "pipelined:" not in transcript and "PIPELINING" not in transcript
    assert server.mailbox.messages()[0].recipients == ["bob@example.com", "carol@example.com"]


@pytest.mark.parametrize("client", ["swaks", "nodemailer"], indirect=True)
def test_pipelining_offered_the_same_clients_pipeline(client):
    # What the previous test would see, had the client not noticed that PIPELINING was missing.
    with SMTPServer() as server:
        sent = client(server).send(to=("bob@example.com", "carol@example.com"), pipeline=True)
        assert sent.sent, sent.output
        transcript = text(server)
    assert "*: pipelined: MAIL, RCPT, RCPT, DATA came in one read" in transcript


# -- SMTPUTF8 ----------------------------------------------------------------------------------------

# What each client does with a UTF-8 address when the server does not offer SMTPUTF8, as it documents it:
# smtplib refuses to send; swaks sends the address as it is; curl and nodemailer send the domain as an
# A-label (xn--bcher-kva.example) but the local part as it is. The server refuses those with 553 5.6.7.
UTF8_REFUSAL = "553 5.6.7 Non-ASCII addresses not permitted for that recipient"
UTF8_OUTCOMES = {
    "smtplib": "SMTPNotSupportedError: One or more source or delivery addresses require internationalized email "
    "support, but the server does not advertise the required SMTPUTF8 capability",
    "swaks": f"<** {UTF8_REFUSAL}",
    "curl": "curl: (55) RCPT failed: 553",
    "nodemailer": UTF8_REFUSAL,
}


@pytest.mark.parametrize("client", CLIENTS, indirect=True)
def test_smtputf8_hidden_the_client_refuses_or_is_refused_a_utf8_address(client):
    with SMTPServer(hide_extensions="SMTPUTF8") as server:
        sent = client(server).send(to=(UTF8_ADDRESS,))
        assert not sent.sent
        assert UTF8_OUTCOMES[sent.name] in sent.output, sent.output
        transcript = text(server)
    assert server.mailbox.count() == 0
    if sent.name == "smtplib":
        assert "C: MAIL" not in transcript.upper()  # refused on the client's side, before MAIL
    else:
        assert f"S: {UTF8_REFUSAL}" in transcript


# -- STARTTLS ----------------------------------------------------------------------------------------

STARTTLS_OUTCOMES = {
    "smtplib": "SMTPNotSupportedError: STARTTLS extension not supported by server.",
    "swaks": "*** Host did not advertise STARTTLS",
    "curl": "curl: (64) STARTTLS not supported.",
    # nodemailer sends STARTTLS even when it is not offered, and gets the RFC's reply.
    "nodemailer": "Error upgrading connection with STARTTLS: 502 5.5.1 Command not implemented",
}


@pytest.mark.parametrize("client", CLIENTS, indirect=True)
def test_starttls_hidden_a_client_that_requires_tls_does_not_send(client):
    with SMTPServer(tls="starttls", hide_extensions="STARTTLS") as server:
        sent = client(server).send(require_tls=True)
        assert not sent.sent
        assert STARTTLS_OUTCOMES[sent.name] in sent.output, sent.output
        transcript = text(server)
    assert server.mailbox.count() == 0
    assert "C: MAIL" not in transcript.upper()
    if sent.name == "nodemailer":
        assert "C: STARTTLS\nS: 502 5.5.1 Command not implemented" in transcript


# -- AUTH=PLAIN ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("client", CLIENTS, indirect=True)
def test_auth_plain_hidden_the_client_falls_back_to_login(client):
    options = {"credentials": ":".join(LOGIN), "allow_plaintext_auth": True}
    used = {}
    for hidden in (None, "AUTH=PLAIN"):
        with SMTPServer(hide_extensions=hidden, **options) as server:
            sent = client(server).send(login=LOGIN)
            assert sent.sent, sent.output
            message = server.wait_for(authenticated_as="EQUALS:alice", timeout=5)
            assert message.authenticated_as == "alice"
            used[hidden] = [
                command for session in sessions(server) for command in session.commands if "AUTH" in command
            ]
    # The same run of the client: PLAIN while it is offered, LOGIN once it is not.
    assert used[None][0].upper().startswith("AUTH PLAIN")
    assert used["AUTH=PLAIN"][0].upper().startswith("AUTH LOGIN")


# -- TLS versions ---------------------------------------------------------------------------------------

# Python 3.11 to 3.13 close the connection without sending the server's "protocol version" alert
# (CPython issue 98078): the clients report the end of the connection, or the alert once it is sent.
TLS_FAILURES = {
    "smtplib": ("UNEXPECTED_EOF_WHILE_READING", "TLSV1_ALERT_PROTOCOL_VERSION"),
    "swaks": ("*** TLS startup failed",),
    "curl": ("curl: (35) ",),
    "nodemailer": ("Client network socket disconnected before secure TLS connection", "alert protocol version"),
}


@pytest.mark.parametrize("client", CLIENTS, indirect=True)
def test_a_tls_1_3_server_and_a_client_limited_to_tls_1_2_the_handshake_fails(client):
    with SMTPServer(tls="starttls", tls_min_version="TLSv1.3") as server:
        sent = client(server).send(tls_max="TLSv1.2")
        assert not sent.sent
        assert any(failure in sent.output for failure in TLS_FAILURES[sent.name]), sent.output
        transcript = text(server)
    assert "C: STARTTLS\nS: 220 Ready to start TLS\n*: the TLS handshake failed: UNSUPPORTED_PROTOCOL" in transcript
    assert server.mailbox.count() == 0
