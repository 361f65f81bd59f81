"""Clean mail from each real client of the suites has no error (the checks cry no wolf), and what
they do find in the clients' everyday mail is so: nodemailer's and OpenDKIM's are in test_signers.py."""

from __future__ import annotations

import email.policy
import email.utils
import smtplib
import subprocess
from email.message import EmailMessage

import pytest

from SMTPLibrary.core import SMTPServer
from SMTPLibrary.core.checks import problems


def letter(cte: str | None = None) -> EmailMessage:
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = "app@example.com", "alice@example.com", "Grüße"
    message["Date"] = email.utils.formatdate()
    message["Message-ID"] = email.utils.make_msgid(domain="example.com")
    message.set_content("Hallo Alice,\nschöne Grüße.\n", cte=cte)
    message.add_alternative(
        '<html lang="de"><body><p>Hallo Alice</p><img src="cid:l" alt="Logo"></body></html>', subtype="html"
    )
    return message


@pytest.fixture
def server():
    with SMTPServer() as running:
        yield running


def codes(server: SMTPServer, **criteria) -> list[str]:
    return [problem.code for problem in problems(server.wait_for(timeout=10, **criteria))]


# Python's email package writes quoted-printable lines of up to 78 characters, where RFC 2045 6.7 says 76:
# a warning, on every message it writes with a long enough line.
QP_WARNING = "mime.quoted-printable.line-length"


def test_smtplib_send_message_is_clean_when_it_announces_its_8bit_body(server):
    with smtplib.SMTP("127.0.0.1", server.port, local_hostname="app.example.com") as client:
        client.send_message(letter(), mail_options=["BODY=8BITMIME"])
        # As smtplib sends it by default: 8-bit text without BODY=8BITMIME (RFC 6152 3), which the check finds.
        client.send_message(letter())
    first, second = server.mailbox.messages()
    assert [problem.code for problem in problems(first)] == [QP_WARNING]
    assert [problem.code for problem in problems(second)] == ["mime.8bit.envelope", QP_WARNING]


def test_swaks_default_message_is_clean(server):
    done = subprocess.run(
        ["swaks", "--server", f"127.0.0.1:{server.port}", "--from", "app@example.com", "--to", "alice@example.com"],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert codes(server, header="X-Mailer: swaks") == []


def test_curl_sends_a_clean_file_as_it_is(server, tmp_path):
    file = tmp_path / "mail.eml"
    file.write_bytes(letter(cte="quoted-printable").as_bytes(policy=email.policy.SMTP))
    done = subprocess.run(
        ["curl", "--silent", "--show-error", f"smtp://127.0.0.1:{server.port}/app.example.com",
         "--mail-from", "app@example.com", "--mail-rcpt", "alice@example.com", "--upload-file", str(file)],
        capture_output=True,
        text=True,
        timeout=30,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert codes(server, subject="Grüße") == [QP_WARNING]
