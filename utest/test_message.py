from datetime import datetime

from SMTPLibrary.core import ReceivedMessage

MULTIPART = (
    b"From: app@example.com\r\n"
    b"To: alice@example.com\r\n"
    b"Subject: =?iso-8859-1?q?Gr=FC=DFe?=\r\n"
    b"MIME-Version: 1.0\r\n"
    b'Content-Type: multipart/alternative; boundary="b"\r\n'
    b"\r\n"
    b"--b\r\n"
    b"Content-Type: text/plain; charset=utf-8\r\n"
    b"Content-Transfer-Encoding: quoted-printable\r\n"
    b"\r\n"
    b"Hall=C3=B6chen\r\n"
    b"--b\r\n"
    b"Content-Type: text/html; charset=utf-8\r\n"
    b"\r\n"
    b"<p>Hall\xc3\xb6chen <b>Alice</b></p><script>x()</script>\r\n"
    b"--b--\r\n"
)


def received(raw: bytes, **envelope) -> ReceivedMessage:
    return ReceivedMessage(raw, envelope.pop("sender", "app@example.com"), ["alice@example.com"], **envelope)


def test_nothing_is_parsed_until_asked():
    message = received(MULTIPART)
    assert message._parsed is None
    assert message.subject == "Grüße"  # indexed when stored: no parse needed
    assert message._parsed is None
    assert message.text == "Hallöchen"
    assert message._parsed is not None


def test_text_html_and_body():
    message = received(MULTIPART)
    assert message.text == "Hallöchen"
    assert message.html.startswith("<p>Hallöchen <b>Alice</b></p>")
    assert message.body == "Hallöchen"


def test_body_falls_back_to_the_text_of_the_html_part():
    html_only = (
        b"Subject: x\r\nContent-Type: text/html\r\n\r\n<h1>Hi</h1><p>there &amp; here</p><script>no()</script>\r\n"
    )
    message = received(html_only)
    assert message.text is None
    assert message.body == "Hi\nthere & here"


def test_headers_are_decoded_and_case_insensitive():
    headers = received(MULTIPART).headers
    assert headers["subject"] == "Grüße"
    assert headers["SUBJECT"] == "Grüße"
    assert "To" in headers
    assert headers.get("X-Nope") is None


def test_repeated_headers_are_all_kept():
    message = received(b"Received: a\r\nReceived: b\r\nSubject: s\r\n\r\nbody\r\n")
    assert message.headers.get_all("received") == ["a", "b"]
    assert list(message.headers) == ["Received", "Subject"]
    assert len(message.headers) == 2


def test_str_adds_the_envelope_headers_like_aiosmtpd():
    message = received(b"Subject: s\r\nFrom: a\r\n\r\nline 1\r\nline 2\r\n", peer=("127.0.0.1", 4242))
    message.recipients = ["b@example.com", "c@example.com"]
    assert str(message) == (
        "Subject: s\nFrom: a\n"
        "X-Peer: ('127.0.0.1', 4242)\nX-MailFrom: app@example.com\nX-RcptTo: b@example.com, c@example.com\n"
        "\nline 1\nline 2\n"
    )


def test_str_of_a_message_without_body():
    assert str(received(b"Subject: s\r\n", peer=None)).startswith("Subject: s\nX-Peer: None\n")


def test_received_at_is_an_aware_datetime():
    moment = received(b"\r\n", timestamp=1_700_000_000.5).received_at
    assert isinstance(moment, datetime)
    assert moment.tzinfo is not None
    assert moment.timestamp() == 1_700_000_000.5


def test_malformed_mail_never_raises():
    broken = (
        b"Subject: =?unknown-charset?q?abc?=\r\n"
        b"To: <<<>>>@@@\r\n"
        b"Content-Type: text/plain; charset=no-such-charset\r\n"
        b"Content-Transfer-Encoding: base64\r\n"
        b"\r\n"
        b"@@@ not base64 \xff\xfe\r\n"
    )
    message = received(broken)
    assert isinstance(message.subject, str)
    assert isinstance(message.text, str)
    assert isinstance(message.body, str)
    assert isinstance(message.headers["To"], str)
    assert message.raw == broken


def test_eight_bit_bytes_stay_as_they_were_sent():
    raw = b"Subject: caf\xe9\r\n\r\n\xff\xfe bytes\r\n"
    message = received(raw)
    assert message.raw == raw
    assert "caf" in message.subject


def test_parts_nested_too_deep_to_parse_keep_headers_and_say_so():
    depth = 1000
    raw = b"Subject: deep\r\nMIME-Version: 1.0\r\n"
    for level in range(depth):
        raw += b'Content-Type: multipart/mixed; boundary="b%d"\r\n\r\n--b%d\r\n' % (level, level)
    raw += b"Content-Type: text/plain\r\n\r\ninnermost\r\n"
    for level in reversed(range(depth)):
        raw += b"--b%d--\r\n" % level
    message = received(raw)
    assert message.subject == "deep"
    assert message.text is None
    assert message.body == ""
    assert any("body not parsed: RecursionError" in str(defect) for defect in message.message.defects)
    assert message.raw == raw


def test_only_the_most_recently_parsed_messages_keep_their_parse():
    from SMTPLibrary.core.mail.message import PARSED_KEPT

    messages = [received(MULTIPART) for _ in range(PARSED_KEPT + 10)]
    for message in messages:
        assert message.text == "Hallöchen"
    assert all(message._parsed is None for message in messages[:10])
    assert all(message._parsed is not None for message in messages[10:])
    assert messages[0].text == "Hallöchen"  # parsed again on demand
