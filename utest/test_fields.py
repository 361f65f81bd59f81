"""core.fields: messages, attachments and sessions as dictionaries of plain values, and back."""

from __future__ import annotations

import inspect
import re
import smtplib
from datetime import datetime
from pathlib import Path

import pytest

from SMTPLibrary import SMTPLibrary
from SMTPLibrary.core import InvalidArgument, ReceivedMessage
from SMTPLibrary.core.mail.fields import (
    attachment_fields,
    is_message_fields,
    message_fields,
    message_from_fields,
)

CORPUS = Path(__file__).parent / "corpus"
PLAIN = (str, int, float, bool, bytes, type(None))


def corpus(name: str, seq: int = 4) -> ReceivedMessage:
    message = ReceivedMessage(
        (CORPUS / name).read_bytes(),
        "app@example.com",
        ["alice@example.com", "bob@example.com"],
        peer=("127.0.0.1", 40123),
        helo="client.test",
        mail_options=["SIZE=1234"],
        rcpt_options=["NOTIFY=NEVER"],
        authenticated_as="alice",
        tls={"version": "TLSv1.3", "cipher": "TLS_AES_256_GCM_SHA384", "bits": 256, "mode": "starttls"},
        timestamp=1_700_000_000.25,
    )
    message.seq = seq
    return message


def plain(value: object) -> bool:
    if isinstance(value, dict):
        return all(isinstance(key, str) and plain(item) for key, item in value.items())
    if isinstance(value, list):
        return all(plain(item) for item in value)
    return isinstance(value, PLAIN)


def documented(doc: str, heading: str) -> set[str]:
    """The names in the first column of the table under ``heading`` in ``doc``."""
    after = doc.split(heading, 1)[1]
    table = after[re.search(r"\n[ \t]*\|", after).start() + 1 :].split("\n\n", 1)[0]
    names = set(re.findall(r"^\s*\| (\w+)\s+\|", table, re.MULTILINE)) - {"Attribute"}
    assert len(names) > 5, table
    return names


def test_a_message_has_every_documented_attribute_as_plain_values():
    fields = message_fields(corpus("03-gmail-attachments.eml"))
    attributes = documented(inspect.getdoc(SMTPLibrary), "= Received messages =")
    assert attributes - {"message"} <= set(fields), attributes - set(fields)
    assert "source" in fields  # instead of the parsed message, which cannot travel
    assert plain(fields)
    assert fields["peer"] == ["127.0.0.1", 40123]
    assert fields["tls"]["mode"] == "starttls"
    assert fields["links"] == [
        "https://dossiers.example.fr/2025-017/formulaire?etape=2&ref=ZF",
        "mailto:dossiers@example.fr",
    ]
    assert [attachment["filename"] for attachment in fields["attachments"]] == [
        "Pièce d'identité.pdf",
        "photo justificatif.jpg",
    ]
    assert datetime.fromisoformat(fields["received_at"]).timestamp() == 1_700_000_000.25


def test_an_attachment_has_every_documented_attribute_and_an_enclosed_message_its_fields():
    attributes = documented(inspect.getdoc(SMTPLibrary.get_attachments), "Each one has these attributes:")
    (attachment,) = corpus("09-thunderbird-forward-as-attachment.eml").attachments
    fields = attachment_fields(attachment)
    assert attributes == set(fields)
    assert plain(fields)
    assert fields["content"] == attachment.content and isinstance(fields["content"], bytes)
    assert fields["message"]["subject"] == "Re: Your quote Q-2291"
    assert message_from_fields(fields["message"]).text == attachment.message.text


def test_a_message_without_the_optional_parts_keeps_none():
    fields = message_fields(ReceivedMessage(b"Content-Type: text/html\r\n\r\n<p>x</p>\r\n", "", []))
    assert fields["text"] is fields["helo"] is fields["tls"] is fields["peer"] is fields["authenticated_as"] is None
    assert fields["attachments"] == [] and fields["links"] == [] and fields["subject"] == ""


def test_a_message_is_rebuilt_from_its_fields():
    message = corpus("03-gmail-attachments.eml")
    rebuilt = message_from_fields(message_fields(message))
    for name in ("raw", "sender", "recipients", "peer", "helo", "mail_options", "rcpt_options", "seq", "tls"):
        assert getattr(rebuilt, name) == getattr(message, name), name
    assert rebuilt.authenticated_as == "alice"
    assert rebuilt.received_at == message.received_at
    assert rebuilt.text == message.text
    assert [repr(a) for a in rebuilt.attachments] == [repr(a) for a in message.attachments]


def test_empty_strings_stand_for_none_as_xmlrpc_writes_them():
    fields = {
        key: ("" if value is None else value)
        for key, value in message_fields(corpus("17-amazon-ses-html-only.eml")).items()
    }
    fields.update(peer="", helo="", authenticated_as="", tls="", received_at="")
    rebuilt = message_from_fields(fields)
    assert rebuilt.peer is rebuilt.helo is rebuilt.authenticated_as is rebuilt.tls is None
    assert rebuilt.timestamp == 0.0


def test_a_dictionary_without_the_raw_bytes_is_refused_naming_what_it_needs():
    assert not is_message_fields({"subject": "x"})
    assert is_message_fields({"raw": b""})
    with pytest.raises(
        InvalidArgument, match=r"^A message given as a dictionary must hold the message's bytes in 'raw'"
    ):
        message_from_fields({"raw": "Subject: text\n\n"})
    with pytest.raises(InvalidArgument, match=r"^received_at must be an ISO 8601 date and time, got 'yesterday'\.$"):
        message_from_fields({"raw": b"\r\n", "received_at": "yesterday"})


def test_a_session_has_every_documented_attribute(server):
    server.faults.reply("RCPT", 451)
    with smtplib.SMTP(server.host, server.port, local_hostname="client.test", timeout=10) as client:
        with pytest.raises(smtplib.SMTPRecipientsRefused):
            client.sendmail("a@example.com", ["b@example.com"], b"Subject: x\r\n\r\ny\r\n")
    (session,) = server.transcript.sessions()
    fields = session.as_fields()
    doc = inspect.getdoc(SMTPLibrary.get_smtp_transcript)
    for name in ("commands", "replies", "text", "entries", "number", "peer", "dropped"):
        assert f"``{name}``" in doc and name in fields, name
    assert plain(fields)
    assert fields["commands"][0] == "ehlo client.test"
    assert "451 Requested action aborted: local error in processing" in fields["replies"]
    assert fields["entries"][0]["direction"] == "S" and fields["entries"][0]["text"].startswith("220 ")
    assert fields["text"] == session.text and fields["peer"][0] == "127.0.0.1"
