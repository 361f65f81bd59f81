"""The subject indexed from raw bytes is the subject the email package decodes."""

from __future__ import annotations

import email
import email.policy
import random

import pytest

from SMTPLibrary.core import ReceivedMessage
from SMTPLibrary.core.mail.headerscan import UNKNOWN, raw_header


def parsed_subject(raw: bytes) -> str:
    """The subject without the index: the parsed message's decoded header, without the white
    space around it (as mail readers show it; the email package keeps a fold's, gh-124452)."""
    message = email.message_from_bytes(raw, policy=email.policy.default)
    for name, value in message.raw_items():
        if name.lower() == "subject":
            try:
                return str(message.policy.header_fetch_parse(name, value)).strip(" \t\r\n")
            except Exception:  # noqa: BLE001 - the library falls back to the raw value too
                return str(value).strip(" \t\r\n")
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


def test_storing_a_message_indexes_a_plain_subject_and_parses_nothing(server, send):
    # The server's thread scans the header block for a plain Subject (the index searches
    # use); an encoded one is decoded when asked for, and nothing is parsed.
    send(b"Subject: Welcome\r\n\r\nHello\r\n")
    send(b"Subject: =?utf-8?q?Gr=C3=BC=C3=9Fe?=\r\n\r\nHello\r\n")
    plain, encoded = server.mailbox.messages()
    assert (plain._subject, plain._parsed) == ("Welcome", None)
    assert (encoded._subject, encoded._parsed) == (None, None)
    assert encoded.subject == "Grüße"


def test_searching_by_subject_does_not_parse():
    message = ReceivedMessage(b"Subject: Welcome\r\n\r\nHello\r\n", "a@example.com", [])
    assert message.subject == "Welcome"
    assert message._parsed is None


BODIES = [
    b"Subject: a\r\n\r\nHello\r\nWorld\r\n",
    b"Subject: a\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nGr\xc3\xbc\xc3\x9fe\r\n",
    b'Content-Type: TEXT/PLAIN; CHARSET="UTF-8"\r\n\r\nGr\xc3\xbc\xc3\x9fe\r\n',
    b"Content-Type: text/plain; charset=iso-8859-1\r\n\r\nGr\xfc\xdfe\r\n",
    b"Content-Type: text/plain\r\n\r\nbad \xff byte\r\n",
    b"Content-Type: text/plain; charset=utf-8\r\n\r\nbad \xff byte\r\n",
    b"Content-Type: text/plain; charset=no-such-charset\r\n\r\nx\r\n",
    b"Content-Type: text/plain; charset=hex\r\n\r\nx\r\n",
    b"Content-Transfer-Encoding: 8bit\r\n\r\nx\r\n",
    b"Content-Transfer-Encoding: quoted-printable\r\n\r\nx=3Dy\r\n",
    b"Content-Transfer-Encoding: base64\r\n\r\naGVsbG8=\r\n",
    b"Content-Type: text/html\r\n\r\n<p>Hello</p>\r\n",
    b"Content-Type: text/plain; format=flowed\r\n\r\nx\r\n",
    b"Content-Disposition: attachment; filename=a.txt\r\n\r\nx\r\n",
    b"Content-Type: multipart/alternative; boundary=b\r\n\r\n--b\r\n\r\nx\r\n--b--\r\n",
    b"Subject: LF only\n\nbody\nmore\n",
    b"Subject: no body",
    b"Subject: empty body\r\n\r\n",
    b"\r\nbody without headers\r\n",
    b"Content-Type: text/plain\r\nContent-Type: text/html\r\n\r\nx\r\n",
]


@pytest.mark.parametrize("raw", BODIES)
def test_a_plain_body_read_from_raw_bytes_is_the_parsed_body(raw):
    from SMTPLibrary.core.mail.headerscan import plain_body

    fast = plain_body(raw)
    if fast is not None:
        assert fast == ReceivedMessage(raw, "a@example.com", []).body


def test_random_plain_bodies():
    from SMTPLibrary.core.mail.headerscan import plain_body

    headers = [b"Subject: x\r\n", b"Content-Type: text/plain\r\n", b"Content-Type: text/plain; charset=utf-8\r\n",
               b"Content-Type: text/plain; charset=latin-1\r\n", b"Content-Type: text/plain; charset=ascii\r\n",
               b"Content-Transfer-Encoding: 7bit\r\n", b"Content-Transfer-Encoding: 8BIT \r\n",
               b"MIME-Version: 1.0\r\n", b'content-type:text/plain;charset="utf-8"\r\n',
               b"X: y\r\n z\r\n"]  # fmt: skip
    body = [b"a", b" ", b"\r\n", b"\n", b"\r", b"\xc3\xa9", b"\xe9", b"\xff", b".", b"=3D", b"\t", b"<p>"]
    rng = random.Random(3)
    fast_paths = 0
    for _ in range(1500):
        raw = b"".join(rng.sample(headers, rng.randint(0, 3))) + b"\r\n"
        raw += b"".join(rng.choice(body) for _ in range(rng.randint(0, 20)))
        fast = plain_body(raw)
        if fast is not None:
            fast_paths += 1
            assert fast == ReceivedMessage(raw, "a@example.com", []).body, raw
    assert fast_paths > 500


def test_searching_by_body_does_not_parse_plain_messages():
    from SMTPLibrary.core import Criteria

    message = ReceivedMessage(b"Subject: Welcome\r\n\r\nYour code is 1234\r\n", "a@example.com", [])
    assert Criteria.from_strings(body="code is \\d+").matches(message)
    assert message._parsed is None
