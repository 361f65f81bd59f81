"""Project-only steps: real clients this project did not write (smtplib, swaks, curl) send to
the scenario's server, over plain SMTP, STARTTLS or implicit TLS, verifying its certificate
against the CA file the server hands out."""

from __future__ import annotations

import smtplib
import ssl
import subprocess
import tempfile
from email.message import EmailMessage
from pathlib import Path

import parse
from behave import given, register_type, then, when

from SMTPLibrary.bdd.fixtures import use_smtp_server
from SMTPLibrary.core.mailbox.matching import Criteria

MODES = {"plain SMTP": "none", "STARTTLS": "starttls", "implicit TLS": "implicit"}


@parse.with_pattern(r"smtplib|swaks|curl")
def parse_client(text):
    return text


@parse.with_pattern(r"plain SMTP|STARTTLS|implicit TLS")
def parse_mode(text):
    return MODES[text]


register_type(ProjectClient=parse_client, ProjectMode=parse_mode)


def compose(sender, subject, body):
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = sender, "alice@example.com", subject
    message.set_content(body)
    return message.as_bytes()


def send(context, client, tls, *, subject="Hello", sender=None, body="Hello.", login=None, source=None, options=()):
    """Send with ``client``; returns ``(succeeded, what the client said)``."""
    server = context.smtp_server
    sender = sender or f"{client}@example.com"
    source = source or compose(sender, subject, body)
    if client == "smtplib":
        return send_with_smtplib(server, tls, sender, source, login, list(options))
    if client == "swaks":
        command = ["swaks", "--server", f"127.0.0.1:{server.port}", "--from", sender, "--to", "alice@example.com"]
        command += ["--data", "-"]
        command += {"starttls": ["--tls", "--tls-verify"], "implicit": ["--tls-on-connect", "--tls-verify"]}.get(
            tls, []
        )
        if server.ca_certificate:
            command += ["--tls-ca-path", server.ca_certificate]
        if login:
            command += ["--auth-user", login[0], "--auth-password", login[1], "--auth-hide-password"]
        # swaks ends the data with a line break and the terminating dot itself.
        return run(command, source.replace(b"\r\n", b"\n").removesuffix(b"\n"))
    with tempfile.NamedTemporaryFile(suffix=".eml", delete=False) as file:
        file.write(source)
    scheme = "smtps" if tls == "implicit" else "smtp"
    command = ["curl", "--verbose", "--silent", "--show-error", f"{scheme}://127.0.0.1:{server.port}/curl.test"]
    command += ["--mail-from", sender, "--mail-rcpt", "alice@example.com", "--upload-file", file.name]
    if tls == "starttls":
        command.append("--ssl-reqd")
    if server.ca_certificate:
        command += ["--cacert", server.ca_certificate]
    if login:
        command += ["--user", f"{login[0]}:{login[1]}"]
    try:
        return run(command)
    finally:
        Path(file.name).unlink()


def send_with_smtplib(server, tls, sender, source, login, options):
    context = ssl.create_default_context(cafile=server.ca_certificate)
    try:
        if tls == "implicit":
            client = smtplib.SMTP_SSL("127.0.0.1", server.port, timeout=10, context=context)
        else:
            client = smtplib.SMTP("127.0.0.1", server.port, timeout=10)
        with client:
            if tls == "starttls":
                client.starttls(context=context)
            if login:
                client.login(*login)
            client.sendmail(sender, ["alice@example.com"], source, options)
    except smtplib.SMTPResponseException as error:
        return False, f"{error.smtp_code} {error.smtp_error.decode()}"
    return True, ""


def run(command, stdin=b""):
    result = subprocess.run(command, input=stdin, capture_output=True, timeout=30)
    output = (result.stdout + result.stderr).decode("utf-8", "replace")
    return result.returncode == 0, output


def sends(context, client, tls, **arguments):
    succeeded, output = send(context, client, tls, **arguments)
    assert succeeded, f"{client} failed:\n{output}"


@given("an SMTP server is running with a size limit of {size:d} bytes")
def step_server_with_size_limit(context, size):
    use_smtp_server(context, size_limit=size)


@when('{client:ProjectClient} sends "{subject}" over {mode:ProjectMode}')
def step_client_sends(context, client, subject, mode):
    sends(context, client, mode, subject=subject)


@when(
    '{client:ProjectClient} sends "{subject}" over {mode:ProjectMode} logged in as "{user}" with password "{password}"'
)
def step_client_sends_logged_in(context, client, subject, mode, user, password):
    sends(context, client, mode, subject=subject, login=(user, password))


@when("{client:ProjectClient} tries to send over {mode:ProjectMode}")
def step_client_tries(context, client, mode):
    context.client_result = send(context, client, mode)


@when('{client:ProjectClient} tries to send over {mode:ProjectMode} logged in as "{user}" with password "{password}"')
def step_client_tries_logged_in(context, client, mode, user, password):
    context.client_result = send(context, client, mode, login=(user, password))


@when("{client:ProjectClient} tries to send a message of {size:d} bytes")
def step_client_tries_big(context, client, size):
    context.client_result = send(context, client, "none", body=("x" * 77 + "\n") * (size // 78 + 1))


@then('it should have been refused with "{reply}"')
def step_refused_with(context, reply):
    succeeded, output = context.client_result
    assert not succeeded, f"The client succeeded:\n{output}"
    assert reply in output, f"Expected the reply {reply!r}; the client said:\n{output}"


@when('{client:ProjectClient} sends a message in UTF-8 from "{sender}"')
def step_client_sends_utf8(context, client, sender):
    context.sent_source = f"From: {sender}\r\nSubject: Grüße\r\n\r\nÄpfel, Birnen, 日本語\r\n".encode()
    options = ["SMTPUTF8", "BODY=8BITMIME"] if client == "smtplib" else []
    sends(context, client, "none", sender=sender, source=context.sent_source, options=options)


@then('the message from "{sender}" should have arrived byte for byte')
def step_arrived_byte_for_byte(context, sender):
    message = context.smtp_server.mailbox.wait_for(Criteria.literal(sender=sender), 5)
    assert message.raw == context.sent_source, f"{message.raw!r}\n!=\n{context.sent_source!r}"
    assert message.subject == "Grüße"
