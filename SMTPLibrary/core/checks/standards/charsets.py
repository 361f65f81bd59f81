"""Checks of the charset of text parts (RFC 2046 4.1.2): named, known, and true to the bytes.

Strict, unlike the mail reader of :mod:`SMTPLibrary.core.mail`, which reads
``us-ascii`` as ``windows-1252`` as browsers do: here a label means what it says.
"""

from __future__ import annotations

import email.utils
from collections.abc import Iterator
from email.message import EmailMessage

from ...mail.decode import codec_name
from .message import Problem, problem


def codec(label: str | None) -> str | None:
    """The Python codec a charset label names, taken literally; ``None`` when unknown."""
    return codec_name(label, strict=True)


def check(part: EmailMessage, path: str, content_type: str, data: bytes) -> Iterator[Problem]:
    label = part.get_param("charset")
    if isinstance(label, tuple):  # an RFC 2231 charset parameter
        label = email.utils.collapse_rfc2231_value(label)
    if not label:
        if not data.isascii():
            yield problem("mime.charset.missing", path, f"{content_type} with 8-bit text and no charset parameter")
        return
    python_codec = codec(str(label))
    if python_codec is None:
        yield problem("mime.charset.unknown", path, f"charset {label!r} is not a known charset")
        return
    try:
        data.decode(python_codec)
    except UnicodeDecodeError as error:
        text = f"the text is not valid {label} (byte {data[error.start]:#04x} at offset {error.start})"
        yield problem("mime.charset.mismatch", path, text)
