"""Every problem code: its severity, what it means and the rule it comes from.

The table is data, so that the keyword reference (whose table of codes is made
from it) and the checks cannot drift apart: a test asserts that every code a
check emits is listed here, and that each has a message that triggers it.
Codes are stable: a check may change its wording, never its code.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Code:
    code: str
    severity: str  # 'error' or 'warning'
    meaning: str
    reference: str  # the RFC section (or other rule) it comes from


# RFC 5322 section 3.6: how often each origination field may appear.
# (min, max) per field; fields not listed may repeat.
HEADER_COUNTS = {
    "Date": (1, 1),
    "From": (1, 1),
    "Sender": (0, 1),
    "Reply-To": (0, 1),
    "To": (0, 1),
    "Cc": (0, 1),
    "Bcc": (0, 1),
    "Message-ID": (0, 1),
    "In-Reply-To": (0, 1),
    "References": (0, 1),
    "Subject": (0, 1),
}


def _count_code(name: str, bounds: tuple[int, int]) -> Code:
    low, high = bounds
    times = "exactly once" if low == high == 1 else "at most once"
    return Code(
        f"header.{name.lower()}.count", "error", f"{name} must appear {times} in the message header", "RFC 5322 3.6"
    )


_TABLE = [
    # -- lines -------------------------------------------------------------------------------
    Code(
        "line.too-long",
        "error",
        "a line is longer than 998 octets (not counting CRLF); relays refuse or break it",
        "RFC 5322 2.1.1, RFC 5321 4.5.3.1.6",
    ),
    Code(
        "line.bare-lf",
        "error",
        "a line ends with LF alone instead of CRLF (the SMTP smuggling ambiguity)",
        "RFC 5322 2.3, RFC 5321 2.3.8",
    ),
    Code("line.bare-cr", "error", "a CR that is not followed by LF", "RFC 5322 2.3, RFC 5321 2.3.8"),
    # -- header fields ---------------------------------------------------------------------
    *(_count_code(name, bounds) for name, bounds in HEADER_COUNTS.items()),
    Code(
        "header.malformed",
        "error",
        "a header line that is not a field (no colon, or a continuation before any field)",
        "RFC 5322 2.2, 3.6.8",
    ),
    Code("header.from.syntax", "error", "From holds no mailbox with a domain", "RFC 5322 3.4, 3.6.2"),
    Code("header.sender.missing", "error", "From names several mailboxes but there is no Sender", "RFC 5322 3.6.2"),
    Code(
        "header.address.syntax",
        "error",
        "an address field (To, Cc, Reply-To, ...) cannot be parsed as an address list",
        "RFC 5322 3.4",
    ),
    Code("header.date.syntax", "error", "Date cannot be parsed as a date-time", "RFC 5322 3.3"),
    Code(
        "header.message-id.missing",
        "error",
        "no Message-ID (a SHOULD in the RFC; large mailbox providers refuse such mail)",
        "RFC 5322 3.6.4",
    ),
    Code("header.message-id.syntax", "error", "Message-ID is not one <id-left@id-right>", "RFC 5322 3.6.4"),
    Code(
        "header.8bit",
        "error",
        "8-bit bytes in a header field of a message sent without SMTPUTF8",
        "RFC 6531 3.2, RFC 6532 3, RFC 5322 2.2",
    ),
    Code(
        "header.utf8.invalid",
        "error",
        "a header field of an SMTPUTF8 message holds bytes that are not UTF-8",
        "RFC 6532 3.2",
    ),
    Code(
        "header.encoded-word",
        "error",
        "a malformed RFC 2047 encoded word (bad base64 or Q, unknown charset or encoding, undecodable bytes)",
        "RFC 2047 2, 4, 5",
    ),
    Code("header.encoded-word.length", "warning", "an encoded word longer than 75 characters", "RFC 2047 2"),
    Code(
        "header.bcc",
        "error",
        "a delivered message still carries Bcc addresses: every recipient sees the blind copies",
        "RFC 5322 3.6.3",
    ),
    Code(
        "header.from.unaligned",
        "warning",
        "the From domain aligns with neither the envelope sender's domain nor any DKIM d=: DMARC cannot pass",
        "RFC 7489 3.1",
    ),
    # -- MIME ------------------------------------------------------------------------------------
    Code("mime.version.missing", "error", "MIME header fields are used without MIME-Version", "RFC 2045 4"),
    Code("mime.boundary.missing", "error", "a multipart part has no boundary parameter", "RFC 2046 5.1.1"),
    Code(
        "mime.boundary.syntax",
        "error",
        "a boundary is longer than 70 characters, uses characters outside bchars or ends in a space",
        "RFC 2046 5.1.1",
    ),
    Code(
        "mime.boundary.not-found",
        "error",
        "the boundary of a multipart part never appears in its body",
        "RFC 2046 5.1.1",
    ),
    Code("mime.boundary.unclosed", "error", "a multipart body has no close-delimiter (--boundary--)", "RFC 2046 5.1.1"),
    Code("mime.multipart.invalid", "error", "a part declared multipart could not be read as multipart", "RFC 2046 5.1"),
    Code(
        "mime.transfer-encoding.unknown",
        "error",
        "Content-Transfer-Encoding is not 7bit, 8bit, binary, quoted-printable or base64",
        "RFC 2045 6.1",
    ),
    Code(
        "mime.transfer-encoding.composite",
        "error",
        "a multipart or message part has a transfer encoding other than 7bit, 8bit or binary",
        "RFC 2045 6.4",
    ),
    Code(
        "mime.base64", "error", "base64 content with characters outside the alphabet or wrong padding", "RFC 2045 6.8"
    ),
    Code(
        "mime.quoted-printable",
        "error",
        "quoted-printable content with '=' not followed by two hex digits or a line end",
        "RFC 2045 6.7",
    ),
    Code(
        "mime.quoted-printable.line-length",
        "warning",
        "a quoted-printable line longer than 76 characters",
        "RFC 2045 6.7 (5)",
    ),
    Code(
        "mime.8bit.undeclared",
        "error",
        "8-bit bytes in a part whose transfer encoding is 7bit (declared or by default)",
        "RFC 2045 2.7, 6.2",
    ),
    Code(
        "mime.8bit.envelope",
        "error",
        "8-bit body bytes in a message sent without BODY=8BITMIME (or SMTPUTF8)",
        "RFC 6152 3",
    ),
    Code("mime.charset.unknown", "error", "a text part names a charset no decoder knows", "RFC 2046 4.1.2"),
    Code(
        "mime.charset.missing",
        "error",
        "a text part holds 8-bit text but names no charset (so it means US-ASCII)",
        "RFC 2046 4.1.2",
    ),
    Code(
        "mime.charset.mismatch", "error", "a text part's bytes are not valid in the charset it names", "RFC 2046 4.1.2"
    ),
    Code(
        "mime.parameter",
        "error",
        "a malformed Content-Type or Content-Disposition parameter "
        "(syntax, repeated name, broken RFC 2231 continuation)",
        "RFC 2045 5.1, RFC 2231 3, 4",
    ),
    Code("mime.parameter.charset", "error", "an RFC 2231 parameter value in an unknown charset", "RFC 2231 4"),
    Code(
        "mime.parameter.encoding",
        "error",
        "an RFC 2231 parameter value with a broken %-escape or bytes not valid in its charset",
        "RFC 2231 4",
    ),
    # -- content ---------------------------------------------------------------------------------
    Code(
        "content.html-only",
        "warning",
        "the message has an HTML body and no text/plain alternative",
        "RFC 2046 5.1.4; spam-filter practice",
    ),
    Code("html.img.alt", "warning", "an HTML image without an alt attribute", "WCAG 2.2 1.1.1"),
    Code("html.lang", "warning", "an HTML part whose <html> element has no lang attribute", "WCAG 2.2 3.1.1"),
    # -- bulk mail ---------------------------------------------------------------------------------
    Code(
        "bulk.list-unsubscribe.missing",
        "warning",
        "bulk or list mail without List-Unsubscribe",
        "RFC 2369 3.2, RFC 8058 3.1",
    ),
    Code(
        "bulk.list-unsubscribe.https",
        "warning",
        "List-Unsubscribe has no https URI for one-click unsubscription",
        "RFC 8058 3.1",
    ),
    Code(
        "bulk.list-unsubscribe-post",
        "warning",
        "List-Unsubscribe-Post: List-Unsubscribe=One-Click is missing or has another value",
        "RFC 8058 3.1",
    ),
    Code(
        "bulk.list-unsubscribe.unsigned",
        "warning",
        "no DKIM signature covers both List-Unsubscribe and List-Unsubscribe-Post",
        "RFC 8058 4",
    ),
]

CODES: dict[str, Code] = {code.code: code for code in _TABLE}


def documentation_table() -> str:
    """The codes as a table of Robot Framework's documentation syntax, for the keyword reference."""
    rows = ["| = Code = | = Severity = | = Meaning = | = Reference = |"]
    rows += [f"| ``{code.code}`` | {code.severity} | {code.meaning} | {code.reference} |" for code in _TABLE]
    return "\n".join(rows)
