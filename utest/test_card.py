"""The message card: everything from the mail escaped, its HTML only in a sandboxed frame.

(itest/test_log_in_browser.py proves the same in a real browser.)"""

from html.parser import HTMLParser

from SMTPLibrary.core import ReceivedMessage
from SMTPLibrary.core.report import card

HOSTILE = (
    b"From: <script>alert(1)</script> <evil@example.com>\r\n"
    b"Subject: <img src=x onerror=alert(2)>\r\n"
    b'Content-Type: multipart/mixed; boundary="m"\r\n'
    b"\r\n"
    b"--m\r\n"
    b'Content-Type: multipart/related; boundary="r"\r\n'
    b"\r\n"
    b"--r\r\n"
    b"Content-Type: text/html; charset=utf-8\r\n"
    b"\r\n"
    b'<META HTTP-EQUIV="refresh" content="0;url=https://evil.example/">'
    b'<meta/http-equiv=Refresh content="0;url=https://evil.example/2">'
    b"<script>alert(3)</script><img src=\"cid:logo@x\"><img src='https://tracker.example/p.gif'>"
    b'"></iframe><a href="javascript:alert(4)">click</a>\r\n'
    b"--r\r\n"
    b"Content-Type: image/png\r\n"
    b"Content-ID: <logo@x>\r\n"
    b"Content-Transfer-Encoding: base64\r\n"
    b"\r\n"
    b"iVBORw0KGgo=\r\n"
    b"--r--\r\n"
    b"--m\r\n"
    b'Content-Type: text/plain; name="<b onmouseover=alert(5)>.txt"\r\n'
    b"\r\n"
    b"</pre><script>alert(6)</script>\r\n"
    b"--m--\r\n"
)


class Elements(HTMLParser):
    """The elements a browser would create from the card, outside any srcdoc."""

    def __init__(self) -> None:
        super().__init__()
        self.elements: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))


def elements(html: str) -> list[tuple[str, dict]]:
    parser = Elements()
    parser.feed(html)
    return parser.elements


def render(raw: bytes = HOSTILE, **options) -> str:
    message = ReceivedMessage(raw, "evil@example.com", ["victim@example.com"], peer=("127.0.0.1", 4242))
    message.seq = 5
    return card.render(message, **options)


def test_nothing_from_the_message_becomes_an_element_of_the_report():
    found = elements(render(eml_href="mail/message-5.eml"))
    tags = {tag for tag, _ in found}
    card_tags = "style details summary b table tr th td h4 ul ol li pre code iframe p a"
    assert tags <= set(card_tags.split())
    assert not [attrs for _, attrs in found if any(name.startswith("on") for name in attrs)]
    assert [attrs["href"] for tag, attrs in found if tag == "a"] == ["mail/message-5.eml"]


def test_the_html_part_is_only_in_a_sandboxed_frame_with_a_policy_first():
    (frame,) = [attrs for tag, attrs in elements(render()) if tag == "iframe"]
    assert frame["sandbox"] == ""
    document = frame["srcdoc"]
    assert document.startswith(f'<meta http-equiv="Content-Security-Policy" content="{card.FRAME_POLICY}">')
    assert "default-src 'none'" in card.FRAME_POLICY and "script-src" not in card.FRAME_POLICY
    assert "<script>alert(3)</script>" in document  # kept, for the frame to show and not run
    assert '"></iframe>' in document  # the frame's attribute holds it: it cannot close the frame


def test_meta_http_equiv_of_the_mail_is_disabled_however_written():
    document = next(attrs["srcdoc"] for tag, attrs in elements(render()) if tag == "iframe")
    mail_part = document.split('content="no-referrer">', 1)[1]
    assert "http-equiv" not in mail_part.lower().replace("data-disabled-http-equiv", "")
    assert mail_part.lower().count("data-disabled-http-equiv") == 2


def test_inline_images_are_embedded_and_remote_ones_left_for_the_policy_to_block():
    document = next(attrs["srcdoc"] for tag, attrs in elements(render()) if tag == "iframe")
    assert '<img src="data:image/png;base64,iVBORw0KGgo=">' in document
    assert "cid:" not in document
    assert "<img src='https://tracker.example/p.gif'>" in document


def test_headers_text_attachment_names_and_links_are_escaped_text():
    html = render()
    assert "&lt;img src=x onerror=alert(2)&gt;" in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;/pre&gt;&lt;script&gt;alert(6)&lt;/script&gt;" in html
    assert "&lt;b onmouseover=alert(5)&gt;.txt" in html
    assert "<code>javascript:alert(4)</code>" in html


def test_card_shows_envelope_misses_and_sizes():
    html = render(misses=["subject 'x' did not match 'y'"], open_=False)
    assert "<details class='smtplibrary-message'>" in html
    assert "<b>Message #5</b>: from evil@example.com to victim@example.com" in html
    assert "<li>subject &#x27;x&#x27; did not match &#x27;y&#x27;</li>" in html
    assert "<th>Client</th><td>127.0.0.1:4242</td>" in html
    assert "(2 attachments, " in html


def test_card_of_an_undecodable_message_shows_problems_and_source():
    html = render(b"Subject: raw\r\nContent-Type: multipart/mixed\r\n\r\n\xff\xfe raw bytes\r\n")
    assert "<h4 class='bad'>Problems</h4>" in html
    assert "multipart without a boundary" in html
    assert "<summary>Source (" in html
    assert "\ufffd\ufffd raw bytes" in html


def test_large_sources_are_cut_in_the_card():
    big = b"Subject: big\r\n\r\n" + b"x" * (card.SHOWN_SOURCE_BYTES + 10) + b"\r\n"
    html = render(big)
    assert "more bytes in the .eml]" in html


def test_the_client_address_is_written_as_everywhere_else():
    for peer, shown in ((("127.0.0.1", 40123), "127.0.0.1:40123"), (("::1", 40123, 0, 0), "[::1]:40123")):
        message = ReceivedMessage(b"Subject: s\r\n\r\nx\r\n", "a@example.com", ["b@example.com"], peer=peer)
        assert f"<th>Client</th><td>{shown}</td>" in card.render(message)


def test_the_results_of_message_checks_are_shown_escaped():
    from SMTPLibrary.core.checks import TestDNS, authenticate, problems

    hostile = b"DKIM-Signature: v=1; a=rsa-sha256; d=<b>evil</b>.example; s=<i>x</i>; h=from; bh=x; b=y\r\n" + HOSTILE
    message = ReceivedMessage(hostile, "<script>@example.com", ["victim@example.com"], peer=("127.0.0.1", 4242))
    message.seq = 5
    authentication = authenticate(message, TestDNS())
    found = problems(message)
    html = card.render(message, authentication=authentication, problems=found)
    tags = {tag for tag, _ in elements(html)}
    assert tags <= set("style details summary b table tr th td h4 ul ol li pre code iframe p a".split())
    assert "<h4>Authentication</h4>" in html and "<h4>Message checks</h4>" in html
    assert "d=&lt;b&gt;evil&lt;/b&gt;.example" in html
    assert "Authentication-Results: localhost;" in html
    assert found and all(problem.code in html for problem in found)
    assert "<p>No problem found.</p>" in card.render(message, problems=[])
    assert "<h4>Authentication</h4>" not in render()
