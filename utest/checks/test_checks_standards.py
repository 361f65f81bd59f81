"""Every problem code: one message that triggers it, one that does not; clean mail has no problem."""

from __future__ import annotations

import email.policy
import email.utils
from email.message import EmailMessage

import pytest

from SMTPLibrary.core import InvalidArgument
from SMTPLibrary.core.checks.standards import CODES, Envelope, ignored_warnings, not_ignored
from SMTPLibrary.core.checks.standards.codes import HEADER_COUNTS
from SMTPLibrary.core.checks.standards.problems import problems

SENDER = Envelope(sender="alice@example.com")
BASE_HEADERS = [
    ("From", "Alice <alice@example.com>"),
    ("To", "bob@example.org"),
    ("Subject", "Hello"),
    ("Date", "Mon, 01 Dec 2026 10:00:00 +0000"),
    ("Message-ID", "<1@example.com>"),
    ("MIME-Version", "1.0"),
    ("Content-Type", "text/plain; charset=utf-8"),
    ("Content-Transfer-Encoding", "7bit"),
]


def mail(body: bytes = b"Hello Bob.\r\n", *, drop=(), replace=None, add=()) -> bytes:
    """The base message with fields dropped, replaced (``{name: value}``) or added (``[(name, value)]``)."""
    replace = replace or {}
    lines = []
    for name, value in BASE_HEADERS:
        if name in drop:
            continue
        value = replace.get(name, value)
        lines.append(name.encode() + b": " + (value if isinstance(value, bytes) else value.encode()))
    for name, value in add:
        lines.append(name.encode() + b": " + (value if isinstance(value, bytes) else value.encode()))
    return b"\r\n".join(lines) + b"\r\n\r\n" + body


def multipart(parts: list[bytes], *, subtype="mixed", boundary="b1", close=True, headers=None) -> bytes:
    body = b"".join(b"--" + boundary.encode() + b"\r\n" + part + b"\r\n" for part in parts)
    if close:
        body += b"--" + boundary.encode() + b"--\r\n"
    content_type = f'multipart/{subtype}; boundary="{boundary}"'
    return mail(
        body,
        replace={"Content-Type": content_type},
        drop=("Content-Transfer-Encoding",),
        add=list((headers or {}).items()),
    )


TEXT_PART = b"Content-Type: text/plain; charset=utf-8\r\n\r\nHello Bob."
ATTACHMENT = b"Content-Type: text/plain; charset=utf-8\r\nContent-Disposition: attachment; "
HTML = b'<html lang="en"><body><p>Hello <img src="logo.png" alt="Logo"></p></body></html>'


def html_part(html: bytes = HTML) -> bytes:
    return b"Content-Type: text/html; charset=utf-8\r\n\r\n" + html


BULK = [
    ("List-Id", "News <news.example.com>"),
    ("List-Unsubscribe", "<https://example.com/u/1>, <mailto:u@example.com>"),
    ("List-Unsubscribe-Post", "List-Unsubscribe=One-Click"),
    (
        "DKIM-Signature",
        "v=1; a=rsa-sha256; d=example.com; s=t; h=from:to:subject:list-unsubscribe:list-unsubscribe-post; bh=x; b=y",
    ),
]


def bulk(drop=(), replace=None) -> bytes:
    replace = replace or {}
    return mail(add=[(name, replace.get(name, value)) for name, value in BULK if name not in drop])


# code -> (message that triggers it, its envelope, message that does not, its envelope)
CASES: dict[str, tuple[bytes, Envelope, bytes, Envelope]] = {
    "line.too-long": (mail(b"x" * 999 + b"\r\n"), SENDER, mail(b"x" * 998 + b"\r\n"), SENDER),
    "line.bare-lf": (mail(b"one\ntwo\r\n"), SENDER, mail(b"one\r\ntwo\r\n"), SENDER),
    "line.bare-cr": (mail(b"one\rtwo\r\n"), SENDER, mail(b"onetwo\r\n"), SENDER),
    "header.malformed": (
        mail(add=[("X-Before", "1")]).replace(b"X-Before: 1", b"this line is no field"),
        SENDER,
        mail(add=[("X-Before", "1")]),
        SENDER,
    ),
    "header.from.syntax": (mail(replace={"From": "Alice"}), SENDER, mail(), SENDER),
    "header.sender.missing": (
        mail(replace={"From": "alice@example.com, carol@example.com"}),
        SENDER,
        mail(replace={"From": "alice@example.com, carol@example.com"}, add=[("Sender", "alice@example.com")]),
        SENDER,
    ),
    "header.address.syntax": (
        mail(replace={"To": "bob@example.org, <carol@"}),
        SENDER,
        mail(replace={"To": "bob@example.org, <carol@example.org>"}),
        SENDER,
    ),
    "header.date.syntax": (mail(replace={"Date": "tomorrow at noon"}), SENDER, mail(), SENDER),
    "header.message-id.missing": (mail(drop=("Message-ID",)), SENDER, mail(), SENDER),
    "header.message-id.syntax": (mail(replace={"Message-ID": "1@example.com"}), SENDER, mail(), SENDER),
    "header.8bit": (
        mail(replace={"Subject": "Grüße".encode()}),
        SENDER,
        mail(replace={"Subject": "Grüße".encode()}),
        Envelope(sender="alice@example.com", smtputf8=True),
    ),
    "header.utf8.invalid": (
        mail(replace={"Subject": "Grüße".encode("latin-1")}),
        Envelope(sender="alice@example.com", smtputf8=True),
        mail(replace={"Subject": "Grüße".encode()}),
        Envelope(sender="alice@example.com", smtputf8=True),
    ),
    "header.encoded-word": (
        mail(replace={"Subject": "=?utf-8?B?!!!!?="}),
        SENDER,
        mail(replace={"Subject": "=?utf-8?B?R3LDvMOfZQ==?="}),
        SENDER,
    ),
    "header.encoded-word.length": (
        mail(replace={"Subject": "=?utf-8?Q?" + "a" * 70 + "?="}),
        SENDER,
        mail(replace={"Subject": "=?utf-8?Q?" + "a" * 63 + "?="}),
        SENDER,
    ),
    "header.bcc": (mail(add=[("Bcc", "carol@example.org")]), SENDER, mail(add=[("Bcc", "")]), SENDER),
    "header.from.unaligned": (
        mail(),
        Envelope(sender="bounce@esp.test"),
        mail(),
        Envelope(sender="bounce@mail.example.com"),
    ),
    "mime.version.missing": (mail(drop=("MIME-Version",)), SENDER, mail(), SENDER),
    "mime.boundary.missing": (
        mail(b"--b1\r\n\r\nx\r\n--b1--\r\n", replace={"Content-Type": "multipart/mixed"}),
        SENDER,
        multipart([TEXT_PART]),
        SENDER,
    ),
    "mime.boundary.syntax": (
        multipart([TEXT_PART], boundary="b" * 71),
        SENDER,
        multipart([TEXT_PART], boundary="b" * 70),
        SENDER,
    ),
    "mime.boundary.not-found": (
        mail(b"no parts here\r\n", replace={"Content-Type": 'multipart/mixed; boundary="b1"'}),
        SENDER,
        multipart([TEXT_PART]),
        SENDER,
    ),
    "mime.boundary.unclosed": (multipart([TEXT_PART], close=False), SENDER, multipart([TEXT_PART]), SENDER),
    "mime.multipart.invalid": (
        mail(b"no parts here\r\n", replace={"Content-Type": 'multipart/mixed; boundary="b1"'}),
        SENDER,
        multipart([TEXT_PART]),
        SENDER,
    ),
    "mime.transfer-encoding.unknown": (
        mail(replace={"Content-Transfer-Encoding": "x-uuencode"}),
        SENDER,
        mail(),
        SENDER,
    ),
    "mime.transfer-encoding.composite": (
        multipart([TEXT_PART], headers={"Content-Transfer-Encoding": "base64"}),
        SENDER,
        multipart([TEXT_PART], headers={"Content-Transfer-Encoding": "7bit"}),
        SENDER,
    ),
    "mime.base64": (
        mail(b"SGVsbG8!!\r\n", replace={"Content-Transfer-Encoding": "base64"}),
        SENDER,
        mail(b"SGVsbG8=\r\n", replace={"Content-Transfer-Encoding": "base64"}),
        SENDER,
    ),
    "mime.quoted-printable": (
        mail(b"a =ZZ b\r\n", replace={"Content-Transfer-Encoding": "quoted-printable"}),
        SENDER,
        mail(b"a =3D b=\r\nsoft\r\n", replace={"Content-Transfer-Encoding": "quoted-printable"}),
        SENDER,
    ),
    "mime.quoted-printable.line-length": (
        mail(b"a" * 77 + b"\r\n", replace={"Content-Transfer-Encoding": "quoted-printable"}),
        SENDER,
        mail(b"a" * 75 + b"=\r\n" + b"a\r\n", replace={"Content-Transfer-Encoding": "quoted-printable"}),
        SENDER,
    ),
    "mime.8bit.undeclared": (
        mail("Grüße\r\n".encode()),
        SENDER,
        mail("Grüße\r\n".encode(), replace={"Content-Transfer-Encoding": "8bit"}),
        SENDER,
    ),
    "mime.8bit.envelope": (
        mail("Grüße\r\n".encode(), replace={"Content-Transfer-Encoding": "8bit"}),
        Envelope(sender="alice@example.com", eight_bit_mime=False),
        mail("Grüße\r\n".encode(), replace={"Content-Transfer-Encoding": "8bit"}),
        Envelope(sender="alice@example.com", eight_bit_mime=True),
    ),
    "mime.charset.unknown": (mail(replace={"Content-Type": "text/plain; charset=x-bogus"}), SENDER, mail(), SENDER),
    "mime.charset.missing": (
        mail("Grüße\r\n".encode(), replace={"Content-Type": "text/plain", "Content-Transfer-Encoding": "8bit"}),
        SENDER,
        mail("Grüße\r\n".encode(), replace={"Content-Transfer-Encoding": "8bit"}),
        SENDER,
    ),
    "mime.charset.mismatch": (
        mail(
            "Grüße\r\n".encode(),
            replace={"Content-Type": "text/plain; charset=us-ascii", "Content-Transfer-Encoding": "8bit"},
        ),
        SENDER,
        mail(
            "Grüße\r\n".encode(),
            replace={"Content-Type": "text/plain; charset=utf-8", "Content-Transfer-Encoding": "8bit"},
        ),
        SENDER,
    ),
    "mime.parameter": (
        multipart(
            [
                TEXT_PART,
                ATTACHMENT + b'filename="a.txt\r\n\r\nx',
            ]
        ),
        SENDER,
        multipart(
            [
                TEXT_PART,
                ATTACHMENT + b'filename="a.txt"\r\n\r\nx',
            ]
        ),
        SENDER,
    ),
    "mime.parameter.charset": (
        multipart(
            [
                TEXT_PART,
                ATTACHMENT + b"filename*=x-bogus''a.txt\r\n\r\nx",
            ]
        ),
        SENDER,
        multipart(
            [
                TEXT_PART,
                ATTACHMENT + b"filename*=utf-8''a.txt\r\n\r\nx",
            ]
        ),
        SENDER,
    ),
    "mime.parameter.encoding": (
        multipart(
            [
                TEXT_PART,
                ATTACHMENT + b"filename*=utf-8''%E2%82.txt\r\n\r\nx",
            ]
        ),
        SENDER,
        multipart(
            [
                TEXT_PART,
                ATTACHMENT + b"filename*=utf-8''%E2%82%AC.txt\r\n\r\nx",
            ]
        ),
        SENDER,
    ),
    "content.html-only": (
        mail(HTML, replace={"Content-Type": "text/html; charset=utf-8"}),
        SENDER,
        multipart([TEXT_PART, html_part()], subtype="alternative"),
        SENDER,
    ),
    "html.img.alt": (
        multipart([TEXT_PART, html_part(b'<html lang="en"><img src="logo.png"></html>')], subtype="alternative"),
        SENDER,
        multipart([TEXT_PART, html_part(b'<html lang="en"><img src="logo.png" alt=""></html>')], subtype="alternative"),
        SENDER,
    ),
    "html.lang": (
        multipart([TEXT_PART, html_part(b"<html><body>Hi</body></html>")], subtype="alternative"),
        SENDER,
        multipart([TEXT_PART, html_part(b'<html lang="de"><body>Hi</body></html>')], subtype="alternative"),
        SENDER,
    ),
    "bulk.list-unsubscribe.missing": (bulk(drop=("List-Unsubscribe",)), SENDER, bulk(), SENDER),
    "bulk.list-unsubscribe.https": (
        bulk(replace={"List-Unsubscribe": "<mailto:u@example.com>"}),
        SENDER,
        bulk(),
        SENDER,
    ),
    "bulk.list-unsubscribe-post": (bulk(drop=("List-Unsubscribe-Post",)), SENDER, bulk(), SENDER),
    "bulk.list-unsubscribe.unsigned": (
        bulk(replace={"DKIM-Signature": "v=1; a=rsa-sha256; d=example.com; s=t; h=from:to:subject; bh=x; b=y"}),
        SENDER,
        bulk(),
        SENDER,
    ),
}

_COUNT_VALUES = {
    "Date": "Tue, 02 Dec 2026 10:00:00 +0000",
    "From": "carol@example.com",
    "Sender": "alice@example.com",
    "Reply-To": "reply@example.com",
    "To": "dave@example.org",
    "Cc": "erin@example.org",
    "Bcc": "",
    "Message-ID": "<2@example.com>",
    "In-Reply-To": "<0@example.com>",
    "References": "<0@example.com>",
    "Subject": "Again",
}
for _name, (_low, _high) in HEADER_COUNTS.items():
    _once = mail(drop=(_name,), add=[(_name, _COUNT_VALUES[_name])]) if _name not in ("From", "Date") else mail()
    _twice = (
        mail(add=[(_name, _COUNT_VALUES[_name])] * 2)
        if _name not in ("From", "Date")
        else mail(add=[(_name, _COUNT_VALUES[_name])])
    )
    CASES[f"header.{_name.lower()}.count"] = (_twice, SENDER, _once, SENDER)


def codes(raw: bytes, envelope: Envelope) -> list[str]:
    return [item.code for item in problems(raw, envelope)]


@pytest.mark.parametrize("code", sorted(CASES))
def test_the_check_fires_on_its_message_and_not_on_the_fixed_one(code):
    trigger, trigger_envelope, fixed, fixed_envelope = CASES[code]
    assert code in codes(trigger, trigger_envelope)
    assert code not in codes(fixed, fixed_envelope)


def test_every_code_has_a_case_and_every_case_a_code():
    assert sorted(CASES) == sorted(CODES)


@pytest.mark.parametrize("name", ["From", "Date"])
def test_a_missing_required_field_is_a_count_error(name):
    found = [item for item in problems(mail(drop=(name,)), SENDER) if item.code == f"header.{name.lower()}.count"]
    assert [(item.severity, item.where, item.text) for item in found] == [
        ("error", name, f"there is no {name} field; RFC 5322 requires one")
    ]


def test_the_base_messages_are_clean():
    assert problems(mail(), SENDER) == []
    assert problems(multipart([TEXT_PART, html_part()], subtype="alternative"), SENDER) == []
    assert problems(bulk(), SENDER) == []


def test_problem_fields_read_well():
    found = problems(mail(b"x" * 1200 + b"\r\n" + b"y" * 1001 + b"\r\n"), SENDER)
    (item,) = found
    assert (item.code, item.severity, item.where) == ("line.too-long", "error", "line 10")
    assert item.text == "2 lines are longer than 998 octets (lines 10, 11; the longest has 1200)"
    assert str(item).startswith("error line.too-long (line 10): ")


def test_a_message_saved_with_lf_line_ends_says_so_once():
    raw = mail().replace(b"\r\n", b"\n")
    (item,) = [p for p in problems(raw, SENDER) if p.code == "line.bare-lf"]
    assert item.text.startswith("every line ends with a bare LF")


def test_part_paths_are_imap_numbers():
    inner = multipart([TEXT_PART, html_part(b"<html>x</html>")], subtype="alternative", boundary="b2")
    inner_body = inner.split(b"\r\n\r\n", 1)[1]
    raw = multipart(
        [
            b'Content-Type: multipart/alternative; boundary="b2"\r\n\r\n' + inner_body,
            b"Content-Type: text/plain; charset=x-bogus\r\n\r\nx",
        ]
    )
    where = {p.code: p.where for p in problems(raw, SENDER)}
    assert where["html.lang"] == "1.2"
    assert where["mime.charset.unknown"] == "2"


def test_only_warnings_can_be_ignored_by_code_or_family():
    raw = mail(
        HTML.replace(b' lang="en"', b""), replace={"Content-Type": "text/html; charset=utf-8"}, drop=("Message-ID",)
    )
    found = problems(raw, SENDER)
    assert sorted(p.code for p in found) == ["content.html-only", "header.message-id.missing", "html.lang"]
    skipped = ignored_warnings(["html.*", "content.html-only"])
    assert [p.code for p in not_ignored(found, skipped)] == ["header.message-id.missing"]
    assert [p.code for p in not_ignored(found, ignored_warnings(" html.lang, "))] == [
        "header.message-id.missing",
        "content.html-only",
    ]


@pytest.mark.parametrize(
    ("ignore", "error"),
    [
        ("html.alt", "ignore: 'html.alt' is no problem code. Did you mean html.img.alt, html.lang?"),
        ("nonsense", "ignore: 'nonsense' is no problem code. The keyword reference lists every code."),
        (
            "header.message-id.missing",
            "ignore: 'header.message-id.missing' names errors (header.message-id.missing), and an error cannot be "
            "ignored: a message that has one is not well formed.",
        ),
        (
            "mime.*",
            "ignore: 'mime.*' names errors (mime.version.missing, mime.boundary.missing, mime.boundary.syntax and 15 "
            "more), and an error cannot be ignored: a message that has one is not well formed. Name the warnings "
            "instead: mime.quoted-printable.line-length.",
        ),
    ],
)
def test_a_wrong_code_to_ignore_is_refused_naming_the_fix(ignore, error):
    with pytest.raises(InvalidArgument) as refused:
        ignored_warnings([ignore])
    assert str(refused.value) == error


def test_encoded_word_variants():
    for subject in ("=?utf-8?X?abc?=", "=?no-such-charset?Q?abc?=", "=?utf-8?Q?caf=C3?=", "=?utf-8?B?SGVsbG8?="):
        assert "header.encoded-word" in codes(mail(replace={"Subject": subject}), SENDER), subject
    assert "header.encoded-word" in codes(mail(replace={"To": "=?no-such-charset?Q?Bob?= <bob@example.org>"}), SENDER)
    for fine in ("=?UTF-8?q?caf=C3=A9?=", "Plain =? text ?=", "=?utf-8*en?Q?Hello?="):
        assert "header.encoded-word" not in codes(mail(replace={"Subject": fine}), SENDER), fine


def test_a_bcc_is_fine_before_delivery():
    raw = mail(add=[("Bcc", "carol@example.org")])
    assert "header.bcc" not in codes(raw, Envelope(sender="alice@example.com", delivered=False))


def test_bulk_is_also_precedence_or_the_tests_word():
    assert "bulk.list-unsubscribe.missing" in codes(mail(add=[("Precedence", "bulk")]), SENDER)
    assert "bulk.list-unsubscribe.missing" in codes(mail(), Envelope(sender="alice@example.com", bulk=True))
    assert "bulk.list-unsubscribe.missing" not in codes(mail(add=[("Precedence", "junk")]), SENDER)


def test_unaligned_from_accepts_a_dkim_domain():
    raw = mail(add=[("DKIM-Signature", "v=1; a=rsa-sha256; d=mail.example.com; s=t; h=from; bh=x; b=y")])
    assert "header.from.unaligned" not in codes(raw, Envelope(sender="bounce@esp.test"))
    assert "header.from.unaligned" not in codes(mail(), Envelope(sender="bounce@Example.COM"))


def test_a_clean_message_from_pythons_email_package():
    message = EmailMessage()
    message["From"] = "Alice Ä <alice@example.com>"
    message["To"] = "Bob <bob@example.org>"
    message["Subject"] = "Grüße aus Köln, a subject long enough to be folded by the generator at least once or twice"
    message["Date"] = email.utils.formatdate(localtime=False)
    message["Message-ID"] = email.utils.make_msgid(domain="example.com")
    message.set_content("Hallo Bob,\n\nschöne Grüße.\n" + "Eine lange Zeile " * 80 + "\n")
    message.add_alternative(
        '<html lang="de"><body><p>Hallo Bob</p><img src="cid:x" alt="Logo"></body></html>', subtype="html"
    )
    message.add_attachment(b"\x00\x01" * 5000, maintype="application", subtype="octet-stream", filename="Prüfung €.bin")
    raw = message.as_bytes(policy=email.policy.SMTP)
    # The email package writes quoted-printable lines of up to 78 characters (its policy's
    # max_line_length), not RFC 2045's 76: a warning, the only problem.
    found = problems(raw, SENDER)
    assert [(p.code, p.where) for p in found] == [
        ("mime.quoted-printable.line-length", "1.1"),
        ("mime.quoted-printable.line-length", "1.2"),
    ]
    assert all(p.severity == "warning" for p in found)


def test_severities_are_error_or_warning():
    assert {code.severity for code in CODES.values()} == {"error", "warning"}


@pytest.mark.parametrize(
    "name, value",
    [
        ("To", "undisclosed-recipients:;"),
        ("To", '"Doe, John" <john@example.org>, jane@example.org (Jane)'),
        ("Cc", "Team: a@example.org, b@example.org;"),
        ("Reply-To", "=?utf-8?Q?Bj=C3=B6rn?= <bjorn@example.com>"),
        ("Subject", "=?utf-8?B?R3LDvMOfZQ==?= =?utf-8?B?IGF1cw==?= =?iso-8859-1?Q?K=F6ln?="),
        ("X-MS-Has-Attach", ""),
        (
            "Received",
            "from mail.example.com (mail.example.com [192.0.2.1]) by mx.example.org with ESMTPS id abc; "
            "Mon, 1 Dec 2026 10:00:00 +0000",
        ),
        ("Content-Type", "text/plain; charset=utf-8; format=flowed; delsp=yes"),
        ("Date", "1 Dec 2026 10:00 +0100"),
        ("Message-ID", "<CAF=abc+def_123@mail.gmail.com>"),
        ("References", "<a@example.com> <b@example.com>"),
        ("Keywords", "one, two"),
    ],
)
def test_common_valid_forms_are_not_problems(name, value):
    raw = mail(replace={name: value}) if name in dict(BASE_HEADERS) else mail(add=[(name, value)])
    assert problems(raw, SENDER) == []


def test_an_encoded_word_run_into_the_next_word_is_malformed():
    # The email package says "missing trailing whitespace after encoded-word" (a hyphen, where its
    # other defects say "encoded word"): in an address field and in text alike it is reported once.
    to = codes(mail(replace={"To": "=?utf-8?q?Ann?=x <bob@example.org>"}), SENDER)
    assert to.count("header.encoded-word") == 1 and "header.address.syntax" not in to
    assert "header.encoded-word" in codes(mail(replace={"Subject": "=?utf-8?q?Ann?=x"}), SENDER)
