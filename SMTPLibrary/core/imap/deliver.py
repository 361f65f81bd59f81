"""A message delivered without SMTP: what ``Deliver Message`` stores for one recipient.

``message`` is a stored message (anything with ``raw`` bytes), bytes, a path to an ``.eml``
file (a ``pathlib.Path``, or text naming an existing file and holding no line break), or the
text of a message. Text is encoded as UTF-8; bare line feeds become CRLF, as on the wire.
"""

from __future__ import annotations

import email.utils
import os
import re
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..errors import InvalidArgument
from ..mail import ReceivedMessage
from ..wording import shorten
from .users import normalise_address

_BARE_LF = re.compile(rb"(?<!\r)\n")


class InvalidMessage(InvalidArgument):
    """Not something a message can be made of."""


def message_bytes(message: Any) -> bytes:
    raw = message.get("raw") if isinstance(message, Mapping) else getattr(message, "raw", None)
    if isinstance(raw, bytes):
        return raw
    if isinstance(message, (bytes, bytearray)):
        data = bytes(message)
    elif isinstance(message, Path):
        data = _read(message)
    elif isinstance(message, str):
        if "\n" not in message and len(message) < 4096 and os.path.isfile(message):
            data = _read(Path(message))
        else:
            first = message.lstrip("\r\n").partition("\n")[0]
            if ":" not in first:
                raise InvalidMessage(
                    f"'{shorten(message)}' is neither an existing file nor the text of a message "
                    "(its first line is no header such as 'Subject: ...')."
                )
            data = message.encode("utf-8")
    else:
        raise InvalidMessage(
            f"message must be a message returned by another keyword, bytes, a path to an .eml file or the text "
            f"of a message, got {type(message).__name__}."
        )
    return crlf(data)


def crlf(raw: bytes) -> bytes:
    """IMAP and POP3 send lines ending in CRLF; a message written with bare LF is converted."""
    return _BARE_LF.sub(b"\r\n", raw) if b"\n" in raw else raw


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        raise InvalidMessage(f"Cannot read the message file '{path}': {error.strerror}.") from None


def sender_of(message: ReceivedMessage) -> str:
    """The address in the message's first ``From`` header, ``''`` without one."""
    for name, value in message.message.raw_items():
        if name.lower() == "from":
            # The value as written, unfolded (decoded display names could hold commas and quotes
            # that parseaddr would misread); 8-bit bytes, which the parser keeps as surrogates, as UTF-8.
            text = "".join(value.splitlines()).encode("ascii", "surrogateescape").decode("utf-8", "replace")
            return email.utils.parseaddr(text)[1]
    return ""


def delivered(recipient: str, message: Any, sender: str | None = None) -> ReceivedMessage:
    """``message`` as received for ``recipient`` alone, from ``sender`` (the ``From`` address
    when not given); not stored yet."""
    normalise_address(recipient)  # fails naming it when it is no address
    address = recipient.strip()
    if address.startswith("<") and address.endswith(">"):
        address = address[1:-1].strip()
    received = ReceivedMessage(message_bytes(message), "", [address], timestamp=time.time())
    received.sender = sender if sender is not None else sender_of(received)
    return received
