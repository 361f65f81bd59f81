"""The subject indexed from raw bytes is the subject the email package decodes."""

from __future__ import annotations

import email
import email.policy
import random

import pytest

from SMTPLibrary.core import ReceivedMessage
from SMTPLibrary.core.headerscan import UNKNOWN, raw_header


def parsed_subject(raw: bytes) -> str:
    """What the subject was before the index: the parsed message's decoded header."""
    message = email.message_from_bytes(raw, policy=email.policy.default)
    for name, value in message.raw_items():
        if name.lower() == "subject":
            try:
                return str(message.policy.header_fetch_parse(name, value))
            except Exception:  # noqa: BLE001 - the library falls back to the raw value too
                return str(value)
    return ""


SOURCES = [
    b"Subject: Hello\r\n\r\nbody\r\n",
    b"From: a@example.com\r\nSubject: Hello  world  \r\nTo: b@example.com\r\n\r\nbody",
    b"subject:no space\r\n\r\n",
    b"SUBJECT:   lots of space\r\n\r\n",
    b"Subject: folded\r\n  over two lines\r\n\r\n",
    b"Subject:\r\n continued only\r\n\r\n",
    b"Subject: =?utf-8?q?caf=C3=A9?= and more\r\n\r\n",
    b"Subject: =?iso-8859-1?b?R3L832U=?=\r\n\r\n",
    b"Subject: raw \xc3\xa9 utf-8\r\n\r\n",
    b"Subject: bad \xff byte\r\n\r\n",
    b"Subject: tab\there\r\n\r\n",
    b"Subject: first\r\nSubject: second\r\n\r\n",
    b"X-Subject: not this\r\nSubject: this\r\n\r\n",
    b"To: a@b\r\n Subject: continuation, not a header\r\n\r\n",
    b"To: a@b\r\n\r\nSubject: in the body\r\n",
    b"Subject: LF only\n\nbody\n",
    b"Subject: lone\rCR\r\n\r\n",
    b"Garbage line\r\nSubject: after garbage\r\n\r\n",
    b" Subject: continuation first\r\n\r\n",
    b"Subject : space before colon\r\n\r\n",
    b"From nobody Mon Jan  1 00:00:00 2024\r\nSubject: mbox\r\n\r\n",
    b"Subject: no body, no blank line\r\n",
    b"Subject: no line end at all",
    b"",
    b"\r\nSubject: body only\r\n",
    b"To: nobody@example.com\r\n\r\n",
]


@pytest.mark.parametrize("raw", SOURCES)
def test_the_indexed_subject_is_the_parsed_subject(raw):
    message = ReceivedMessage(raw, "a@example.com", ["b@example.com"])
    assert message.subject == parsed_subject(raw)


def test_random_header_blocks():
    names = [b"Subject:", b"subject:", b"SUBJECT: ", b"To:", b"X-Subject:", b" ", b"\t", b"Bad line", b""]
    values = [b" ", b"\t", b"a", b"Re: x", b"=?utf-8?q?a=C3=A9?=", b"=?", b"\xc3\xa9", b"\xff", b"(", b'"', b"\r"]
    endings = [b"\r\n"] * 6 + [b"\n"] * 2 + [b"\r", b""]
    rng = random.Random(11)
    for _ in range(3000):
        lines = [
            rng.choice(names) + b"".join(rng.choice(values) for _ in range(rng.randint(0, 4))) + rng.choice(endings)
            for _ in range(rng.randint(0, 4))
        ]
        raw = b"".join(lines) + rng.choice([b"\r\nbody\r\n", b"\nbody", b""])
        message = ReceivedMessage(raw, "a@example.com", [])
        assert message.subject == parsed_subject(raw), raw


def test_the_scan_declines_header_blocks_it_cannot_vouch_for():
    assert raw_header(b"Subject: a\r\n\r\n", b"subject") == b" a\r\n"
    assert raw_header(b"To: a\r\n\r\n", b"subject") is None
    assert raw_header(b"Garbage\r\nSubject: a\r\n\r\n", b"subject") is UNKNOWN
    assert raw_header(b"Subject: a\rb\r\n\r\n", b"subject") is UNKNOWN


def test_searching_by_subject_does_not_parse():
    message = ReceivedMessage(b"Subject: Welcome\r\n\r\nHello\r\n", "a@example.com", [])
    assert message.subject == "Welcome"
    assert message._parsed is None
