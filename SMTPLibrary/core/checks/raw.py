"""Header fields as the checks read them: the raw header section, a field's value unfolded
(its 8-bit bytes read as UTF-8 where the message allows), and ``policy.default``'s parse of
one field, which never raises."""

from __future__ import annotations

import email.errors
import email.policy

_FACTORY = email.policy.default.header_factory


def header_section(raw: bytes) -> bytes:
    """The bytes before the first empty line (all of ``raw`` when there is none)."""
    ends = [i for i in (raw.find(b"\r\n\r\n"), raw.find(b"\n\n")) if i >= 0]
    return raw[: min(ends)] if ends else raw


def has_field(raw: bytes, name: str) -> bool:
    """Whether a line of the header section starts with ``name:`` (any case)."""
    wanted = name.lower().encode("ascii") + b":"
    return any(line.lower().startswith(wanted) for line in header_section(raw).splitlines())


def unfolded(value: str, smtputf8: bool | None) -> str:
    """A raw field value unfolded; with SMTPUTF8 (or unknown), its 8-bit bytes read as UTF-8 where valid."""
    text = "".join(value.splitlines())
    if smtputf8 is not False and has_8bit(text):
        try:
            text = text.encode("ascii", "surrogateescape").decode("utf-8")
        except UnicodeError:
            pass
    return text


def has_8bit(text: str) -> bool:
    """Whether a raw value (8-bit bytes held as surrogates by the email package) has 8-bit bytes."""
    return any("\udc80" <= ch <= "\udcff" for ch in text)


class Unreadable:
    """What :func:`parse_field` gives for a value the header parser raises on (it does, for some)."""

    def __init__(self, value: str, error: Exception) -> None:
        self.value = value
        self.defects = [email.errors.InvalidHeaderDefect(f"{type(error).__name__}: {error}")]
        self.addresses = ()

    def __str__(self) -> str:
        return self.value


def parse_field(name: str, value: str):
    """``policy.default``'s header object for an unfolded ``value``; an :class:`Unreadable`
    carrying the parser's exception as a defect when it raises (HeaderParseError, IndexError
    are seen on malformed address lists)."""
    try:
        return _FACTORY(name, value)
    except Exception as error:  # noqa: BLE001
        return Unreadable(value, error)
