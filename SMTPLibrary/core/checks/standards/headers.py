"""Checks of the header section: lines that are no field, how often each field appears
(RFC 5322 3.6), Date and Message-ID."""

from __future__ import annotations

import email.errors
import email.utils
from collections.abc import Iterator

from ..raw import parse_field, unfolded
from .codes import HEADER_COUNTS
from .fields import defects_text
from .message import Message, Problem, problem

_MALFORMED = {
    email.errors.MissingHeaderBodySeparatorDefect: "a header line without a colon ends the header section early",
    email.errors.FirstHeaderLineIsContinuationDefect: "the first header line is a continuation line",
}


def check(message: Message) -> Iterator[Problem]:
    yield from _malformed(message)
    yield from _counts(message)
    yield from _date(message)
    yield from _message_id(message)


def _malformed(message: Message) -> Iterator[Problem]:
    for index, (part, path, _type) in enumerate(message.parts):
        for defect in part.defects:
            for kind, text in _MALFORMED.items():
                if isinstance(defect, kind):
                    line = str(defect).strip()
                    found = f": {line[:60]!r}" if line else ""
                    yield problem("header.malformed", "header" if index == 0 else path, f"{text}{found}")


def _counts(message: Message) -> Iterator[Problem]:
    present: dict[str, int] = {}
    for key, _ in message.parsed.raw_items():
        present[key.lower()] = present.get(key.lower(), 0) + 1
    for name, (low, high) in HEADER_COUNTS.items():
        count = present.get(name.lower(), 0)
        if low <= count <= high:
            continue
        if count == 0:
            text = f"there is no {name} field; RFC 5322 requires one"
        else:
            text = f"{name} appears {count} times; RFC 5322 allows {'exactly' if low == high else 'at most'} one"
        yield problem(f"header.{name.lower()}.count", name, text)


def _date(message: Message) -> Iterator[Problem]:
    for value in message.header_values("Date"):
        text = unfolded(value, False).strip()
        try:
            parsed = email.utils.parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            parsed = None
        if parsed is None:
            yield problem("header.date.syntax", "Date", f"Date {text!r} is not an RFC 5322 date-time")


def _message_id(message: Message) -> Iterator[Problem]:
    values = message.header_values("Message-ID")
    if not values:
        yield problem("header.message-id.missing", "Message-ID", "there is no Message-ID field")
    for value in values:
        text = unfolded(value, message.envelope.smtputf8).strip()
        header = parse_field("Message-ID", text)
        if header.defects or not text:
            why = defects_text(header.defects) if header.defects else "empty"
            yield problem(
                "header.message-id.syntax", "Message-ID", f"Message-ID {text!r} is not <id-left@id-right> ({why})"
            )
