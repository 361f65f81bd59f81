"""Helpers the header checks share: the encoded-word defects, and how defects and values are shown."""

from __future__ import annotations

import email.errors

# Defects of a malformed RFC 2047 encoded word that the email package has a class for.
_ENCODED_WORD_DEFECTS = (
    email.errors.InvalidBase64PaddingDefect,
    email.errors.InvalidBase64CharactersDefect,
    email.errors.InvalidBase64LengthDefect,
    email.errors.CharsetError,
    email.errors.UndecodableBytesDefect,
)


def is_encoded_word_defect(defect: email.errors.MessageDefect) -> bool:
    """Whether ``defect`` says an RFC 2047 encoded word is malformed. The rest of them are plain
    InvalidHeaderDefects, told apart only by their text, which the email package writes both as
    "encoded word" and "encoded-word" ("missing trailing whitespace after encoded-word")."""
    if isinstance(defect, _ENCODED_WORD_DEFECTS):
        return True
    text = str(defect)
    return isinstance(defect, email.errors.InvalidHeaderDefect) and ("encoded word" in text or "encoded-word" in text)


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
