"""The checks of a received message as the adapters call them: the envelope the server recorded,
Message Should Be Well Formed's failure, and the extra each check needs."""

from __future__ import annotations

import subprocess
import sys

import pytest
from checkmail import received

from SMTPLibrary.core import ContentMismatch, InvalidArgument, MissingExtra
from SMTPLibrary.core.checks import problems, require_extra, require_well_formed
from SMTPLibrary.core.checks.standards import Envelope
from SMTPLibrary.core.mail import ReceivedMessage

CLEAN = (
    b"From: Alice <alice@example.com>\r\nTo: bob@example.org\r\nSubject: Hello\r\n"
    b"Date: Mon, 01 Dec 2026 10:00:00 +0000\r\nMessage-ID: <1@example.com>\r\n\r\nHello Bob.\r\n"
)
UTF8 = CLEAN.replace(b"Subject: Hello", "Subject: Grüße".encode()).replace(b"Hello Bob.", "Grüße, Bob.".encode())


def codes(message: ReceivedMessage, **options) -> list[str]:
    return [item.code for item in problems(message, **options)]


def test_the_envelope_is_what_the_server_recorded():
    assert Envelope.of(received(CLEAN, mail_options=["SIZE=99", "SMTPUTF8", "BODY=8BITMIME"])) == Envelope(
        sender="alice@example.com", smtputf8=True, eight_bit_mime=True
    )
    assert Envelope.of(received(CLEAN, mail_options=["BODY=8BITMIME"])) == Envelope(
        sender="alice@example.com", smtputf8=False, eight_bit_mime=True
    )
    assert Envelope.of(received(CLEAN), bulk=True).bulk


def test_8bit_mail_needs_smtputf8_and_8bitmime_from_the_envelope():
    undeclared = ["mime.8bit.undeclared", "mime.charset.missing"]  # no MIME header fields: 7bit US-ASCII
    assert codes(received(UTF8)) == ["header.8bit", "mime.8bit.envelope", *undeclared]
    assert codes(received(UTF8, mail_options=["SMTPUTF8"])) == undeclared


def test_a_message_read_from_a_file_has_no_envelope_to_check_against():
    from_file = ReceivedMessage(UTF8, "", [])
    assert Envelope.of(from_file) == Envelope(smtputf8=None, eight_bit_mime=None)
    assert codes(from_file) == ["mime.8bit.undeclared", "mime.charset.missing"]
    assert "header.from.unaligned" not in codes(ReceivedMessage(CLEAN, "", []))


def test_bulk_marks_mail_as_bulk():
    assert codes(received(CLEAN)) == []
    assert codes(received(CLEAN), bulk=True) == ["bulk.list-unsubscribe.missing"]


def test_well_formed_fails_listing_errors_and_warnings_not_ignored():
    message = received(
        CLEAN.replace(b"Message-ID: <1@example.com>\r\n", b"") + b"x" * 1000 + b"\r\n", sender="b@esp.test"
    )
    message.seq = 3
    with pytest.raises(ContentMismatch) as failure:
        require_well_formed(message)
    assert str(failure.value) == (
        "Message #3 is not well formed: 2 errors and 1 warning.\n"
        "error line.too-long (line 7): 1 line is longer than 998 octets (line 7; the longest has 1000)\n"
        "error header.message-id.missing (Message-ID): there is no Message-ID field\n"
        "warning header.from.unaligned (From): From domain example.com aligns with neither the envelope "
        "sender's domain (esp.test) nor a DKIM d= (none): DMARC cannot pass"
    )
    with pytest.raises(ContentMismatch, match=r"^Message #3 is not well formed: 2 errors\.\n"):
        require_well_formed(message, ignore=["header.from.unaligned"])
    found = require_well_formed(received(CLEAN, sender="b@esp.test"), ignore=["bulk.*", "header.from.unaligned"])
    assert [item.code for item in found] == ["header.from.unaligned"]


def test_a_wrong_ignore_fails_before_anything_is_checked():
    with pytest.raises(InvalidArgument, match=r"^ignore: 'line\.bare-lf' names errors"):
        require_well_formed(received(CLEAN), ignore=["line.bare-lf"])


def test_the_extra_is_there_here():
    require_extra()


def test_without_the_extra_a_check_fails_naming_the_pip_command():
    """The check libraries hidden from a child process: importing everything still works, and
    each check fails with the command that installs them."""
    code = """
import sys
for name in ("dkim", "spf", "publicsuffixlist", "dns", "nacl"):
    sys.modules[name] = None
import SMTPLibrary, SMTPLibrary.core.checks as checks, SMTPLibrary.library, SMTPLibrary.pytest_plugin
from SMTPLibrary.core.mail import ReceivedMessage
message = ReceivedMessage(b"Subject: x\\r\\n\\r\\nx\\r\\n", "a@example.com", [])
dns = checks.TestDNS()
dns.add("example.com", "TXT", "v=spf1 -all")
for attempt in (lambda: checks.authenticate(message, dns), lambda: checks.problems(message),
                lambda: checks.create_dkim_key("example.com")):
    try:
        attempt()
    except Exception as error:
        print(type(error).__name__, error)
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    expected = (
        "MissingExtra Message checks need dkimpy, dnspython, PyNaCl, pyspf, publicsuffixlist, which are not "
        "installed. Install them with: pip install robotframework-smtplibrary[checks]"
    )
    assert done.stdout.splitlines() == [expected] * 3
    assert issubclass(MissingExtra, RuntimeError)
