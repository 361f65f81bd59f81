"""SMTPLibrary.remote in-process: what a keyword takes and returns once XML-RPC has carried it both ways.

Each call goes the whole way a Remote call goes, without the network: Robot's
Remote library coerces the arguments, XML-RPC marshals them, robotremoteserver
unpacks them and runs the keyword, and its result comes back the same way.
"""

from __future__ import annotations

import smtplib
import xmlrpc.client
from pathlib import Path

import pytest
from robot.libraries.Remote import ArgumentCoercer, RemoteResult
from robotremoteserver import RemoteLibraryFactory

from SMTPLibrary.core.mail.message import ReceivedMessage
from SMTPLibrary.remote import RemoteLibrary, _Keyword, to_remote

CORPUS = Path(__file__).parent / "corpus"


class Failed(AssertionError):
    """A remote keyword failed: its error as the calling suite sees it."""


@pytest.fixture
def remote():
    library = RemoteLibrary()
    yield RemoteLibraryFactory(library)
    library.close()


def call(remote, name: str, *args, **kwargs):
    coercer = ArgumentCoercer()
    request = xmlrpc.client.dumps((name, coercer.coerce(list(args)), coercer.coerce(kwargs)), "run_keyword")
    params, _ = xmlrpc.client.loads(request)  # as the remote server reads it: bytes still xmlrpc Binary
    response = xmlrpc.client.dumps((remote.run_keyword(*params),), methodresponse=True)
    (result,), _ = xmlrpc.client.loads(response, use_builtin_types=True)  # as Robot's Remote client reads it
    result = RemoteResult(result)
    if result.status != "PASS":
        raise Failed(result.error)
    return result.return_


def send(port: int, source: bytes) -> None:
    with smtplib.SMTP("127.0.0.1", port, local_hostname="client.test", timeout=10) as client:
        client.sendmail("app@example.com", ["alice@example.com"], source)


@pytest.fixture
def gmail(remote):
    """The message of the Gmail corpus file, as a remote keyword returns it."""
    source = (CORPUS / "03-gmail-attachments.eml").read_bytes()
    send(call(remote, "Start SMTP Server"), source)
    return call(remote, "Message Should Be Received Matching", subject="^Re: Pièces", timeout="2 s")


def test_the_content_keywords_take_the_message_a_remote_keyword_returned(remote, gmail):
    assert call(remote, "Get Message Text", gmail) == gmail.text
    assert call(remote, "Get Message HTML", gmail) == gmail.html
    assert call(remote, "Get Message Header", gmail, "from") == "Zoë François <zoe.francois@gmail.com>"
    assert call(remote, "Get Message Header", gmail, "X-Missing") == ""  # None: XML-RPC has no such value
    assert call(remote, "Get Message Header", gmail, "Subject", all="True") == [gmail.subject]
    assert call(remote, "Get Links From Message", gmail, pattern="^mailto:") == ["mailto:dossiers@example.fr"]
    messages = call(remote, "Get Messages")
    assert call(remote, "Get Message Text", messages) == gmail.text


def test_attachments_are_dictionaries_with_their_content_as_bytes(remote, gmail, tmp_path):
    attachments = call(remote, "Get Attachments", gmail)
    assert attachments == gmail.attachments
    assert [attachment.filename for attachment in attachments] == ["Pièce d'identité.pdf", "photo justificatif.jpg"]
    assert attachments[0].content.startswith(b"%PDF-1.4") and attachments[0].size == 88
    assert attachments[1].inline is False and attachments[1].message == ""
    saved = call(remote, "Save Attachment", gmail, "photo justificatif.jpg", str(tmp_path))
    assert Path(saved).read_bytes() == attachments[1].content
    saved = call(remote, "Save Message", gmail, str(tmp_path / "gmail.eml"))
    assert Path(saved).read_bytes() == (CORPUS / "03-gmail-attachments.eml").read_bytes()


def test_a_content_failure_reads_as_it_does_locally(remote, gmail):
    with pytest.raises(Failed) as failure:
        call(remote, "Save Attachment", gmail, "invoice.pdf", "unused")
    assert str(failure.value) == (
        f"Message #{gmail.seq} has no attachment named 'invoice.pdf'. "
        "Its attachments: \"Pièce d'identité.pdf\", 'photo justificatif.jpg'."
    )
    with pytest.raises(Failed, match=r"^Argument message must be a message .* got str 'hello'\.$"):
        call(remote, "Get Message Text", "hello")


def test_a_message_carries_tls_links_and_attachments(remote, gmail):
    assert gmail.tls == ""  # no TLS: None, which XML-RPC writes as an empty string
    assert gmail.links == [
        "https://dossiers.example.fr/2025-017/formulaire?etape=2&ref=ZF",
        "mailto:dossiers@example.fr",
    ]
    assert gmail.attachments[0].filename == "Pièce d'identité.pdf"
    assert gmail.peer[0] == "127.0.0.1" and gmail.helo == "client.test"


def test_the_transcript_is_a_list_of_session_dictionaries(remote):
    port = call(remote, "Start SMTP Server")
    call(remote, "Set SMTP Reply", "RCPT", "451")
    with pytest.raises(smtplib.SMTPRecipientsRefused):
        send(port, b"Subject: refused\r\n\r\nx\r\n")
    (session,) = call(remote, "Get SMTP Transcript")
    assert session.number == 1 and session.dropped is False
    assert session.commands[0] == "ehlo client.test"
    assert "451 Requested action aborted: local error in processing" in session.replies
    assert session.entries[0].direction == "S" and session.entries[0].text.startswith("220 ")
    assert session.text.startswith("S: 220 ")


def test_an_argument_of_a_type_robot_does_not_know_is_passed_as_it_came():
    received = []

    def keyword(message: ReceivedMessage, count: int) -> None:
        received.append((message, count))

    message = ReceivedMessage(b"Subject: x\r\n\r\ny\r\n", "a@example.com", ["b@example.com"])
    _Keyword(keyword).run([message, "2"], {})
    _Keyword(keyword).run([{"raw": b"\r\n"}], {"count": "3"})
    assert received == [(message, 2), ({"raw": b"\r\n"}, 3)]
    with pytest.raises(ValueError, match=r"^Argument 'count' got value 'two' that cannot be converted to integer"):
        _Keyword(keyword).run([message, "two"], {})


def test_to_remote_makes_none_an_empty_string_and_keeps_bytes():
    assert to_remote({"a": None, "b": [None, b"\x00\x01"], "c\x01": "d\x02"}) == {
        "a": "",
        "b": ["", b"\x00\x01"],
        "c\ufffd": "d\ufffd",
    }


def test_a_minimal_message_travels_with_empty_strings_for_what_it_lacks():
    (fields,) = to_remote([ReceivedMessage(b"\r\n", "", [])])
    assert fields["text"] == "" and fields["html"] == "" and fields["subject"] == ""
    assert fields["peer"] == "" and fields["helo"] == "" and fields["authenticated_as"] == "" and fields["tls"] == ""
    assert fields["recipients"] == [] and fields["attachments"] == [] and fields["links"] == []
    assert to_remote(3) == 3
