"""Helpers the header checks share: unfolding, 8-bit bytes, and how defects and values are shown."""

from __future__ import annotations

import email.errors

# Defects of a malformed RFC 2047 encoded word, as the email package reports them.
ENCODED_WORD_DEFECTS = (
    email.errors.InvalidBase64PaddingDefect,
    email.errors.InvalidBase64CharactersDefect,
    email.errors.InvalidBase64LengthDefect,
    email.errors.CharsetError,
    email.errors.UndecodableBytesDefect,
)


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


def place(key: str, path: str, top: bool) -> tuple[str, str]:
    """``(where, how the text names it)`` for field ``key`` of the part at ``path``."""
    return (key, key) if top else (path, f"{key} of part {path}")


def shown(value: object) -> str:
    return repr(str(value)[:80])


def defects_text(defects: list) -> str:
    texts: list[str] = []
    for defect in defects:
        text = str(defect).strip() or type(defect).__name__
        if text not in texts:
            texts.append(text)
    return "; ".join(texts)


def bytes_text(data: bytes) -> str:
    return repr(data[:60].decode("ascii", "backslashreplace") + ("..." if len(data) > 60 else ""))
