"""The decoder over a corpus of mail as real clients and services write it (utest/corpus/).

Each message has its expected reading in corpus/expected.json: subject, sender,
headers, a piece of its text and HTML, every attachment, every link, and the
problems that must be reported (none, for well-formed mail).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from SMTPLibrary.core import ReceivedMessage
from SMTPLibrary.core.mail import content, files
from SMTPLibrary.core.mailbox import expectations
from SMTPLibrary.core.report import card

CORPUS = Path(__file__).parent / "corpus"
EXPECTED = json.loads((CORPUS / "expected.json").read_text(encoding="utf-8"))
NAMES = sorted(EXPECTED)


def load(name: str) -> ReceivedMessage:
    return ReceivedMessage((CORPUS / name).read_bytes(), "app@example.com", ["alice@example.com"])


def test_every_corpus_file_has_an_expected_reading():
    assert sorted(path.name for path in CORPUS.glob("*.eml")) == NAMES
    assert len(NAMES) >= 20


def test_corpus_files_are_wire_format():
    for name in NAMES:
        raw = (CORPUS / name).read_bytes()
        assert raw.endswith(b"\r\n"), name
        assert b"\n" not in raw.replace(b"\r\n", b""), f"{name} has bare line feeds"
        assert max(len(line) for line in raw.split(b"\r\n")) <= 998, name


@pytest.mark.parametrize("name", NAMES)
def test_headers(name):
    expected, message = EXPECTED[name], load(name)
    assert message.subject == expected["subject"]
    assert expectations.header(message, "From") == expected["from"]
    for header, value in expected["headers"].items():
        assert expectations.header(message, header) == value
    for _name, value in message.headers.items_all():
        value.encode("utf-8")  # no undecodable byte survives as a lone surrogate


@pytest.mark.parametrize("name", NAMES)
def test_text_and_html(name):
    expected, message = EXPECTED[name], load(name)
    for kind, actual in (("text", message.text), ("html", message.html)):
        if expected[kind] is None:
            assert actual is None, f"{kind}: {actual!r}"
        else:
            assert expected[kind] in actual, f"{kind}: {actual!r}"
            assert "\r" not in actual


@pytest.mark.parametrize("name", NAMES)
def test_attachments(name, tmp_path):
    expected, message = EXPECTED[name], load(name)
    attachments = message.attachments
    assert [a.filename for a in attachments] == [e["filename"] for e in expected["attachments"]]
    for attachment, wanted in zip(attachments, expected["attachments"], strict=True):
        assert attachment.content_type == wanted["content_type"]
        assert attachment.inline is wanted["inline"]
        assert attachment.content_id == wanted.get("content_id")
        assert attachment.decoded is wanted.get("decoded", True)
        if wanted["size"] is not None:
            assert attachment.size == len(attachment.content) == wanted["size"]
        if wanted.get("verbatim"):
            # An enclosed message or report comes out exactly as it was sent.
            assert attachment.content and attachment.content in message.raw
        if "text" in wanted:
            assert wanted["text"] in attachment.text
        enclosed = wanted.get("enclosed")
        if enclosed:
            inner = attachment.message
            assert inner.subject == enclosed["subject"]
            assert enclosed["text"] in inner.text
            assert inner.links == enclosed["links"]


@pytest.mark.parametrize("name", NAMES)
def test_attachments_are_saved_inside_the_directory_under_safe_names(name, tmp_path):
    expected, message = EXPECTED[name], load(name)
    target = tmp_path / "saved"
    for attachment, wanted in zip(message.attachments, expected["attachments"], strict=True):
        path = attachment.save(target)
        assert path.parent == target
        assert path.name == wanted.get("saved_as", wanted["filename"])
        assert path.read_bytes() == attachment.content
    assert [p for p in tmp_path.rglob("*") if not p.is_relative_to(target) and p != target] == []


@pytest.mark.parametrize("name", NAMES)
def test_links(name):
    assert load(name).links == EXPECTED[name]["links"]


@pytest.mark.parametrize("name", NAMES)
def test_problems_are_reported_and_only_on_broken_mail(name):
    expected, message = EXPECTED[name], load(name)
    problems = content.of(message).all_problems()
    if not expected["problems"]:
        assert problems == []
    for wanted in expected["problems"]:
        assert any(wanted in problem for problem in problems), problems


@pytest.mark.parametrize("name", NAMES)
def test_card_renders_every_message_escaped(name):
    message = load(name)
    html = card.render(message, eml_href="mail/x.eml")
    assert "<iframe" not in html or 'sandbox=""' in html
    # The only live elements are the card's own: the message's tags are all escaped.
    for needle in ("<a href='mail/x.eml'>", "<details open class='smtplibrary-message'>"):
        assert needle in html
    assert html.count("<a ") == 1
    assert html.count("<img") == 0


@pytest.mark.parametrize("name", NAMES)
def test_every_corpus_message_is_stored_byte_for_byte(name, server, send):
    raw = (CORPUS / name).read_bytes()
    send(raw)
    (stored,) = server.mailbox.messages()
    assert stored.raw == raw
    assert stored.subject == EXPECTED[name]["subject"]


def test_saved_message_is_byte_for_byte(tmp_path):
    for name in NAMES:
        raw = (CORPUS / name).read_bytes()
        path = files.save_message(tmp_path / "out" / name, raw)
        assert path.read_bytes() == raw
