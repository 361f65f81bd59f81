"""What every standards check reads: the message's bytes, one parse of them, the SMTP envelope,
and the :class:`Problem` a check reports."""

from __future__ import annotations

import email
import email.policy
from dataclasses import dataclass, field
from email.message import EmailMessage
from functools import cached_property
from typing import Any

from ...mail import ReceivedMessage
from ..raw import header_section
from .codes import CODES


@dataclass(frozen=True)
class Problem:
    """One problem of a message: a stable ``code`` (see the keyword reference), its
    ``severity`` (``error`` or ``warning``), ``where`` (a header name, a MIME part path
    such as ``1.2``, or ``line 42``) and ``text``, saying what was found."""

    code: str
    severity: str
    where: str
    text: str

    def as_fields(self) -> dict[str, Any]:
        return {"code": self.code, "severity": self.severity, "where": self.where, "text": self.text}

    def __str__(self) -> str:
        return f"{self.severity} {self.code} ({self.where}): {self.text}"


def problem(code: str, where: str, text: str) -> Problem:
    return Problem(code, CODES[code].severity, where, text)


@dataclass(frozen=True)
class Envelope:
    """The SMTP facts some checks need beside the message bytes.

    ``smtputf8`` and ``eight_bit_mime`` are ``None`` when unknown (a message read
    from a file): the checks of 8-bit bytes against the envelope are then left out."""

    sender: str | None = None  # MAIL FROM as stored; '' is the null reverse path
    smtputf8: bool | None = False
    eight_bit_mime: bool | None = None
    delivered: bool = True  # as a recipient receives it: Bcc must be gone
    bulk: bool = False  # the test says the mail is bulk, List-Id and Precedence or not

    @classmethod
    def of(cls, message: ReceivedMessage, *, bulk: bool = False) -> Envelope:
        """The envelope the server recorded for ``message``; unknown when it did not come over SMTP."""
        if message.peer is None:
            return cls(bulk=bulk, smtputf8=None)
        options = {option.strip().upper() for option in message.mail_options}
        smtputf8 = "SMTPUTF8" in options
        return cls(
            sender=message.sender,
            smtputf8=smtputf8,
            eight_bit_mime=smtputf8 or bool(options & {"BODY=8BITMIME", "BODY=BINARYMIME"}),
            bulk=bulk,
        )


@dataclass
class Message:
    """The message as the checks read it. Parsed here, not taken from :class:`ReceivedMessage`:
    reading a part's payload records decoding defects on the parse, which the content
    keywords share."""

    raw: bytes
    envelope: Envelope
    parsed: EmailMessage = field(init=False)

    def __post_init__(self) -> None:
        self.parsed = email.message_from_bytes(self.raw, policy=email.policy.default)  # type: ignore[assignment]

    @cached_property
    def parts(self) -> list[tuple[EmailMessage, str, str]]:
        """Every MIME entity with its path, numbered as IMAP does (``1``, ``1.2``; ``message`` for a
        top-level multipart), and its content type (read once: each read parses the field anew)."""
        found: list[tuple[EmailMessage, str, str]] = []
        _walk(self.parsed, "", found, 0)
        return found

    @cached_property
    def header_end(self) -> int:
        """Where the top-level header section ends (the length of ``raw`` when nothing follows it)."""
        return len(header_section(self.raw))

    @cached_property
    def dkim_signatures(self) -> list[dict[str, str]]:
        """The tags of each DKIM-Signature, unverified: ``{'d': 'example.com', 'h': 'from:to:...'}``;
        names lower case, folding white space removed from values."""
        found = []
        for value in self.header_values("DKIM-Signature"):
            tags: dict[str, str] = {}
            for spec in "".join(value.splitlines()).split(";"):
                key, sep, text = spec.partition("=")
                if sep:
                    tags.setdefault(key.strip().lower(), "".join(text.split()))
            tags["d"] = tags.get("d", "").lower()
            found.append(tags)
        return found

    def header_values(self, name: str) -> list[str]:
        """Every raw (unparsed, folded) value of the top-level field ``name``."""
        wanted = name.lower()
        return [value for key, value in self.parsed.raw_items() if key.lower() == wanted]


# Deeper nesting than this is reported by no check: real mail never comes close, and hostile
# mail nested thousands deep must not exhaust the stack.
_MAX_DEPTH = 50


def _walk(part: EmailMessage, path: str, found: list, depth: int) -> None:
    if depth > _MAX_DEPTH:
        return
    content_type = part.get_content_type()
    if content_type.startswith("multipart/") and part.is_multipart():
        found.append((part, path or "message", content_type))
        for number, child in enumerate(part.get_payload(), 1):
            _walk(child, f"{path}.{number}" if path else str(number), found, depth + 1)
    elif content_type == "message/rfc822" and part.is_multipart():
        here = path or "1"
        found.append((part, here, content_type))
        inner = part.get_payload(0)
        inner_type = inner.get_content_type()
        # IMAP numbering: an enclosed multipart's parts are here.1, here.2; a single body is here.1.
        if inner_type.startswith("multipart/") and inner.is_multipart():
            found.append((inner, here, inner_type))
            for number, child in enumerate(inner.get_payload(), 1):
                _walk(child, f"{here}.{number}", found, depth + 1)
        else:
            _walk(inner, f"{here}.1", found, depth + 1)
    else:
        found.append((part, path or "1", content_type))
