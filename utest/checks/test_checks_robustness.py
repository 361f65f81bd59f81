"""Neither check raises on mail broken the ways real and hostile mail is."""

from __future__ import annotations

import random

import pytest
from checkmail import received

from SMTPLibrary.core.checks import TestDNS, authenticate, problems

NESTED = (
    b"".join(b'Content-Type: multipart/mixed; boundary="n%d"\r\n\r\n--n%d\r\n' % (i, i) for i in range(300))
    + b"Content-Type: text/plain\r\n\r\nx\r\n"
)

BROKEN = [
    b"",
    b"\r\n",
    b"no header at all",
    b"From: a@example.com",  # no body, no line end
    b"From: a@example.com\r\n\r\n",
    b" continuation first\r\nFrom: a@example.com\r\n\r\nx",
    b"From: a@example.com\r\nContent-Type: multipart/mixed; boundary=\r\n\r\n--\r\n",
    b'From: a@example.com\r\nContent-Type: text/plain; charset="\r\n\r\nx',
    b"From: \xff\xfe <a@example.com>\r\nSubject: \x00\x01\r\n\r\n\x00\xff",
    b"DKIM-Signature: v=1; a=rsa-sha256; d=; s=; h=; bh=; b=\r\nFrom: a@example.com\r\n\r\nx",
    b"DKIM-Signature: =====\r\nARC-Seal: i=1; cv=none\r\nFrom: a@example.com\r\n\r\nx",
    b"ARC-Seal: i=x\r\nARC-Message-Signature: i=1; d=a\r\nARC-Authentication-Results: i=1; a\r\n"
    b"From: a@example.com\r\n\r\nx",
    b"From: a@example.com\r\nContent-Type: message/rfc822\r\n\r\nFrom: b@example.com\r\n"
    b"Content-Type: multipart/mixed; boundary=x\r\n\r\n--x\r\n\r\ny\r\n",
    b"From: a@example.com\r\nContent-Disposition: attachment; filename*0*=utf-8''%; filename*1=\r\n\r\nx",
    b"From: a@example.com\r\nContent-Transfer-Encoding: base64\r\nContent-Type: text/html; charset=utf-8\r\n\r\n"
    b"PGh0bWw+PGltZw==\r\n",
    b"From: a@example.com\r\n" + NESTED,
]


@pytest.mark.parametrize("raw", BROKEN, ids=range(len(BROKEN)))
def test_no_exception_on_broken_mail(raw, dns: TestDNS):
    message = received(raw, "<>", ("192.0.2.1", 25), "h.test")
    problems(message)
    assert authenticate(message, dns).header.startswith("Authentication-Results: ")


def test_no_exception_on_random_bytes(dns: TestDNS):
    generator = random.Random(14)
    base = (
        b"From: Alice <alice@example.com>\r\nTo: b@example.org\r\nSubject: =?utf-8?B?SGk=?=\r\n"
        b'MIME-Version: 1.0\r\nContent-Type: multipart/alternative; boundary="b"\r\n\r\n'
        b"--b\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
        b"Hi =3D\r\n"
        b"--b\r\nContent-Type: text/html\r\n\r\n<html><img src=x></html>\r\n--b--\r\n"
    )
    for _ in range(300):
        raw = bytearray(base)
        for _ in range(generator.randint(1, 12)):
            raw[generator.randrange(len(raw))] = generator.choice(b'\r\n:;=?<>"\\-\x00\xff ab')
        message = received(bytes(raw), "a@example.com")
        problems(message)
        authenticate(message, dns)
