import pytest

from SMTPLibrary.core import ContentMismatch, Criteria, InvalidArgument, ReceivedMessage
from SMTPLibrary.core.mail import content
from SMTPLibrary.core.mail.links import html_links, text_links
from SMTPLibrary.core.mailbox import expectations
from SMTPLibrary.core.mailbox import failures as report

MIXED = (
    b"From: =?utf-8?q?Zo=C3=AB?= <zoe@example.com>\r\n"
    b"Subject: Links and files\r\n"
    b"Received: from a\r\n"
    b"Received: from b\r\n"
    b'Content-Type: multipart/mixed; boundary="m"\r\n'
    b"\r\n"
    b"--m\r\n"
    b'Content-Type: multipart/alternative; boundary="a"\r\n'
    b"\r\n"
    b"--a\r\n"
    b"Content-Type: text/plain; charset=utf-8\r\n"
    b"\r\n"
    b"Verify: https://example.com/verify?t=1&u=2.\r\n"
    b"Again https://example.com/verify?t=1&u=2 and (https://example.com/a_(b)).\r\n"
    b"--a\r\n"
    b"Content-Type: text/html; charset=utf-8\r\n"
    b"Content-Transfer-Encoding: quoted-printable\r\n"
    b"\r\n"
    b'<a href=3D"https://example.com/verify?t=3D1&amp;u=3D2">v</a><a href=3D"#top">top</a>=\r\n'
    b'<a href=3D" https://example.com/long=\r\n/path ">l</a><area href=3D"mailto:x@example.com">\r\n'
    b"--a--\r\n"
    b"--m\r\n"
    b'Content-Type: application/pdf; name="invoice.pdf"\r\n'
    b"Content-Disposition: attachment\r\n"
    b"Content-Transfer-Encoding: base64\r\n"
    b"\r\n"
    b"JVBERi0x\r\n"
    b"--m--\r\n"
)


def message(raw: bytes = MIXED, seq: int = 7) -> ReceivedMessage:
    received = ReceivedMessage(raw, "app@example.com", ["alice@example.com"])
    received.seq = seq
    return received


def test_links_from_text_then_html_in_order_without_duplicates():
    assert message().links == [
        "https://example.com/verify?t=1&u=2",
        "https://example.com/a_(b)",
        "https://example.com/long/path",
        "mailto:x@example.com",
    ]


def test_links_filtered_by_pattern():
    assert expectations.links(message(), r"^mailto:") == ["mailto:x@example.com"]
    assert expectations.links(message(), "nothing") == []
    with pytest.raises(InvalidArgument, match=r"Invalid regular expression in pattern='\(': "):
        expectations.links(message(), "(")
    with pytest.raises(InvalidArgument, match=r"^Invalid regular expression in pattern='\(': "):
        expectations.find_link(message(), "(")
    with pytest.raises(InvalidArgument, match=r"^pattern must be a string, got int 5\.$"):
        expectations.find_link(message(), 5)


@pytest.mark.parametrize(
    ("text", "links"),
    [
        ("See <https://a.example/x>.", ["https://a.example/x"]),
        ("Visit https://a.example/x, then https://b.example/y!", ["https://a.example/x", "https://b.example/y"]),
        ("'https://a.example/q?x=1'", ["https://a.example/q?x=1"]),
        ("[https://a.example/]", ["https://a.example/"]),
        (
            "ftp://files.example/f.zip and mailto:me@example.com?subject=hi",
            ["ftp://files.example/f.zip", "mailto:me@example.com?subject=hi"],
        ),
        ("no links: http:// or https:/// or example.com", []),
    ],
)
def test_text_links(text, links):
    assert text_links(text) == links


def test_html_links_survive_broken_html():
    assert html_links('<a href="https://x.example/&quot;q&quot;">x</a><a href=<<<') == ['https://x.example/"q"']


def test_attachment_attributes():
    (attachment,) = message().attachments
    assert attachment.filename == "invoice.pdf"
    assert attachment.content_type == "application/pdf"
    assert attachment.content == b"%PDF-1"
    assert attachment.size == 6
    assert attachment.inline is False
    assert attachment.decoded is True
    assert attachment.problems == []
    assert attachment.text is None
    assert attachment.message is None
    assert repr(attachment) == "<Attachment 'invoice.pdf' application/pdf 6 bytes>"


def test_header_values():
    received = message()
    assert expectations.header(received, "from") == "Zoë <zoe@example.com>"
    assert expectations.header(received, "Received") == "from a"
    assert expectations.header(received, "Received", all=True) == ["from a", "from b"]
    assert expectations.header(received, "X-Missing") is None
    assert expectations.header(received, "X-Missing", all=True) == []


@pytest.mark.parametrize("name", ["", " ", "Sub ject", "Subject:", 42])
def test_header_name_must_be_a_name(name):
    with pytest.raises(InvalidArgument, match="Header name must be a name like 'Subject'"):
        expectations.header(message(), name)


def test_find_link_and_its_failures():
    assert expectations.find_link(message(), "verify") == "https://example.com/verify?t=1&u=2"
    with pytest.raises(ContentMismatch) as failure:
        expectations.find_link(message(), "reset")
    assert str(failure.value) == (
        "Message #7 has no link matching 'reset'. Its links: 'https://example.com/verify?t=1&u=2', "
        "'https://example.com/a_(b)', 'https://example.com/long/path', 'mailto:x@example.com'."
    )
    with pytest.raises(ContentMismatch, match=r"^Message #1 has no link matching 'x': it has no links\.$"):
        expectations.find_link(message(b"Subject: s\r\n\r\nno links\r\n", seq=1), "x")


def test_find_attachment_and_its_failures():
    assert expectations.find_attachment(message(), "invoice.pdf").size == 6
    with pytest.raises(ContentMismatch, match=r"^Message #7 has no attachment named 'x.pdf'. Its attachments: "):
        expectations.find_attachment(message(), "x.pdf")
    with pytest.raises(ContentMismatch, match=r"^The message has no attachment named 'x': it has no named attach"):
        expectations.find_attachment(message(b"Subject: s\r\n\r\nbody\r\n", seq=0), "x")


def test_require_html_containing_finds_literal_text_and_fails_showing_the_html():
    html_only = message(b"Subject: s\r\nContent-Type: text/html\r\n\r\n<p>Dear (Alice)</p>\r\n", seq=5)
    assert expectations.require_html_containing(html_only, "Dear (Alice)") == "<p>Dear (Alice)</p>\n"
    with pytest.raises(ContentMismatch) as failure:
        expectations.require_html_containing(html_only, "Dear Bob")
    assert str(failure.value) == "Message #5 does not match: HTML '<p>Dear (Alice)</p>' did not contain 'Dear Bob'."
    with pytest.raises(ContentMismatch, match=r"^Message #6 has no text/html part; its parts: text/plain\.$"):
        expectations.require_html_containing(message(b"Subject: s\r\n\r\nplain\r\n", seq=6), "x")


def test_require_text_and_html_fail_naming_the_parts_there_are():
    html_only = message(b"Subject: s\r\nContent-Type: text/html\r\n\r\n<p>hi</p>\r\n", seq=3)
    assert expectations.require_html(html_only) == "<p>hi</p>\n"
    with pytest.raises(ContentMismatch) as failure:
        expectations.require_text(html_only)
    assert str(failure.value) == "Message #3 has no text/plain part; its parts: text/html."
    broken = message(b"Subject: s\r\nContent-Type: multipart/mixed\r\n\r\nraw\r\n", seq=4)
    with pytest.raises(ContentMismatch) as failure:
        expectations.require_html(broken)
    assert str(failure.value) == (
        "Message #4 has no text/html part; it has no decodable part; problems: "
        "message (multipart/mixed): multipart without a boundary: its body is kept as the raw bytes."
    )


def test_text_joins_inline_parts_of_a_mixed_message():
    raw = (
        b'Content-Type: multipart/mixed; boundary="b"\r\n\r\n'
        b"--b\r\nContent-Type: text/plain\r\n\r\nfirst\r\n"
        b"--b\r\nContent-Type: image/png\r\nContent-Disposition: inline\r\n\r\nPNG\r\n"
        b"--b\r\nContent-Type: text/plain\r\nContent-Disposition: inline\r\n\r\nsecond\r\n"
        b"--b\r\nContent-Type: text/plain; name=notes.txt\r\n\r\nan attachment\r\n"
        b"--b--\r\n"
    )
    received = message(raw)
    assert received.text == "first\nsecond"
    assert [(a.filename, a.inline) for a in received.attachments] == [(None, True), ("notes.txt", False)]
    assert received.attachments[1].text == "an attachment"


def test_related_start_parameter_chooses_the_root():
    raw = (
        b'Content-Type: multipart/related; boundary="r"; start="<root@x>"\r\n\r\n'
        b"--r\r\nContent-Type: text/html\r\nContent-ID: <other@x>\r\n\r\n<p>not me</p>\r\n"
        b"--r\r\nContent-Type: text/html\r\nContent-ID: <root@x>\r\n\r\n<p>root</p>\r\n"
        b"--r--\r\n"
    )
    received = message(raw)
    assert received.html == "<p>root</p>"
    assert [(a.content_id, a.inline) for a in received.attachments] == [("other@x", True)]


def test_content_is_analysed_once_per_parsed_message():
    received = message()
    assert content.of(received) is content.of(received)


def test_decoding_problems_are_not_piled_up_by_repeated_reads():
    raw = (
        b"Content-Type: application/x\r\nContent-Disposition: attachment\r\n"
        b"Content-Transfer-Encoding: base64\r\n\r\nQUJDRA\r\n"
    )
    received = message(raw)
    for _ in range(3):
        assert received.attachments[0].problems == ["base64 with wrong padding"]
    assert received.message.defects == []


def test_attachment_and_link_criteria():
    received = message()
    assert Criteria.from_strings(attachment=r"^invoice\.pdf$", link="verify").matches(received)
    assert Criteria.from_strings(attachment="GLOB:*.pdf").matches(received)
    assert Criteria.from_strings(link="EQUALS:mailto:x@example.com").matches(received)
    assert Criteria.from_strings(attachment="report", link="reset").misses(received) == [
        "attachment names ['invoice.pdf'] did not match 'report'",
        "links ['https://example.com/verify?t=1&u=2', 'https://example.com/a_(b)', 'https://example.com/long/path', "
        "'mailto:x@example.com'] did not match 'reset'",
    ]
    assert Criteria.from_strings(attachment=".").misses(message(b"Subject: s\r\n\r\nx\r\n")) == [
        "attachment names [] did not match '.'"
    ]


def test_long_lists_are_shortened_in_misses():
    text = "\r\n".join(f"https://example.com/{n}" for n in range(8)).encode()
    (miss,) = Criteria.from_strings(link="nope").misses(message(b"Subject: s\r\n\r\n" + text + b"\r\n"))
    assert miss == (
        "links ['https://example.com/0', 'https://example.com/1', 'https://example.com/2', 'https://example.com/3', "
        "'https://example.com/4' and 3 more] did not match 'nope'"
    )


def test_closest_ranks_by_fewest_misses_then_newest():
    one, two, three = message(seq=1), message(b"Subject: Links and files\r\n\r\nx\r\n", seq=2), message(seq=3)
    ranked = report.closest([one, two, three], Criteria.from_strings(subject="files", link="reset"))
    assert [(m.seq, len(misses)) for m, misses in ranked] == [(3, 1), (2, 1), (1, 1)]
    ranked = report.closest([one, two, three], Criteria.from_strings(link="verify", attachment="pdf"))
    assert (ranked[0][0].seq, ranked[0][1]) == (3, [])
    assert ranked[-1][0].seq == 2


def test_the_last_alternative_of_a_kind_is_the_one_shown():
    raw = (
        b'Content-Type: multipart/alternative; boundary="a"\r\n\r\n'
        b"--a\r\nContent-Type: text/plain\r\n\r\nplain\r\n"
        b"--a\r\nContent-Type: text/html\r\n\r\n<p>simple</p>\r\n"
        b'--a\r\nContent-Type: multipart/related; boundary="r"\r\n\r\n'
        b"--r\r\nContent-Type: text/html\r\n\r\n<p>rich <img src=cid:i></p>\r\n"
        b"--r\r\nContent-Type: image/png\r\nContent-ID: <i>\r\n\r\nPNG\r\n"
        b"--r--\r\n"
        b"--a--\r\n"
    )
    received = message(raw)
    assert (received.text, received.html) == ("plain", "<p>rich <img src=cid:i></p>")
    # The other renderings of the body are no files; an invitation is.
    assert [(a.content_type, a.inline) for a in received.attachments] == [("image/png", True)]


def test_a_calendar_alternative_is_an_attachment():
    raw = (
        b'Content-Type: multipart/alternative; boundary="a"\r\n\r\n'
        b"--a\r\nContent-Type: text/plain\r\n\r\nplain\r\n"
        b"--a\r\nContent-Type: text/html\r\n\r\n<p>html</p>\r\n"
        b"--a\r\nContent-Type: text/calendar; method=REQUEST\r\n\r\nBEGIN:VCALENDAR\r\n"
        b"--a--\r\n"
    )
    (invitation,) = message(raw).attachments
    assert (invitation.content_type, invitation.text) == ("text/calendar", "BEGIN:VCALENDAR")
