"""Header values as mail readers show them: unfolded, decoded, without the white space around them.

The mail is what Django's ``EmailMessage`` writes for long and non-ASCII
headers: ``Subject:`` CRLF SP ``=?utf-8?q?...?=`` with Django 5.2, a display
name split inside a word across encoded words with Django 5.2 and 6. Python's
``email`` keeps the fold's space in front of the first kind (gh-124452) and
puts a space into the second (gh-128110); the raw bytes stay as they came.
"""

from __future__ import annotations

import django
import pytest
from django.conf import settings

from SMTPLibrary.core import Criteria, ReceivedMessage
from SMTPLibrary.core.mail import message_fields
from SMTPLibrary.core.report import render

SUBJECT = "Grüße aus Köln: Ihre Bestellung Nr. 12345 ist unterwegs und kommt bald an"
SENDER_NAME = "Kundenservice der Großhandlung Müller & Söhne GmbH, Köln"
UMLAUT = "Überraschung für Jürgen \u2013 eine Nachricht mit Sonderzeichen"
FILENAME = "Rechnung für Jürgen Müller über die Bestellung Nummer 12345 vom März.pdf"


@pytest.fixture(scope="module")
def django_mail() -> bytes:
    if not settings.configured:
        settings.configure(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend", DEFAULT_CHARSET="utf-8")
        django.setup()
    from django.core.mail import EmailMessage

    mail = EmailMessage(
        subject=SUBJECT,
        body="Hallo!\n",
        from_email=f'"{SENDER_NAME}" <service@example.com>',
        to=[f"Empfänger Nummer {number} <empfaenger{number}@example.com>" for number in range(1, 7)],
        headers={"X-Umlaut": UMLAUT, "Message-ID": "<order.12345@example.com>"},
    )
    mail.attach(FILENAME, b"%PDF-1.4", "application/pdf")
    # As smtplib sends it: CRLF line ends.
    return mail.message().as_bytes().replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")


@pytest.fixture
def received(django_mail) -> ReceivedMessage:
    return ReceivedMessage(django_mail, "service@example.com", ["empfaenger1@example.com"])


def test_django_folds_the_headers_this_is_about(django_mail):
    # If a Django release stops folding this way, the tests below lose their point.
    assert b"=?utf-8?" in django_mail
    assert b"\r\n =?utf-8?" in django_mail


def test_the_subject_is_unfolded_and_decoded(received):
    assert received.subject == SUBJECT
    assert received.headers["Subject"] == SUBJECT


def test_every_decoded_header_is_as_a_mail_reader_shows_it(received):
    headers = received.headers
    assert headers["X-Umlaut"] == UMLAUT
    assert headers["Message-ID"] == "<order.12345@example.com>"
    assert headers["From"] == f'"{SENDER_NAME}" <service@example.com>'
    assert headers["To"].startswith("Empfänger Nummer 1 <empfaenger1@example.com>, Empfänger Nummer 2 <")
    for name, value in headers.items_all():
        assert value == value.strip(), name
        assert "\r" not in value and "\n" not in value, name


def test_criteria_on_the_subject_and_headers_find_the_mail(received):
    for criteria in [
        {"subject": f"EQUALS:{SUBJECT}"},
        {"subject": "STARTS:Grüße aus Köln"},
        {"subject": "^Grüße aus Köln: "},
        {"subject": SUBJECT},
        {"header": f"X-Umlaut: EQUALS:{UMLAUT}"},
        {"header": f"From: CONTAINS:{SENDER_NAME}"},
        {"header": "From: service@example.com"},
    ]:
        assert Criteria.from_strings(**criteria).matches(received), criteria


def test_the_attachment_name_the_card_and_the_fields_are_decoded(received):
    assert [attachment.filename for attachment in received.attachments] == [FILENAME]
    card = render(received)
    assert "Grüße aus Köln: Ihre Bestellung" in card
    assert "Söhne GmbH, Köln" in card
    fields = message_fields(received)
    assert fields["subject"] == SUBJECT
    assert fields["headers"]["X-Umlaut"] == UMLAUT


def test_the_raw_bytes_stay_as_received(received, django_mail):
    assert received.raw == django_mail


@pytest.mark.parametrize(
    ("raw_header", "expected"),
    [
        (b"Subject:\r\n Hello world", "Hello world"),
        (b"Subject: \r\n\tafter a tab fold", "after a tab fold"),
        (b"Subject: trailing blanks  ", "trailing blanks"),
        (b"Subject: inner  runs   stay", "inner  runs   stay"),
        (b"Subject: =?utf-8?q?M=C3=BCller_Gmb?=\r\n =?utf-8?q?H?=", "Müller GmbH"),
        (b"Subject: =?utf-8?q?no-break_space=C2=A0?=", "no-break space\u00a0"),
        (b"Reply-To: =?utf-8?q?Gmb?= =?utf-8?q?H?= <r@example.com>", "GmbH <r@example.com>"),
        (b"To:\r\n alice@example.com,\r\n bob@example.com", "alice@example.com, bob@example.com"),
        (b"In-Reply-To:\r\n <parent@example.com>", "<parent@example.com>"),
    ],
)
def test_folds_and_blanks_around_values_go_and_what_is_inside_stays(raw_header, expected):
    message = ReceivedMessage(raw_header + b"\r\n\r\nbody\r\n", "a@example.com", [])
    name = raw_header.split(b":", 1)[0].decode()
    assert message.headers[name] == expected
    if name == "Subject":
        assert message.subject == expected
