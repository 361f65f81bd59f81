"""Every standards and bulk-sender check over one message."""

from __future__ import annotations

from . import addresses, bulk, content, headers, lines, mime, words
from .message import Envelope, Message, Problem

_CHECKS = (lines.check, headers.check, addresses.check, words.check, mime.check, content.check, bulk.check)


def problems(raw: bytes, envelope: Envelope) -> list[Problem]:
    """Every problem of ``raw`` (the message as received), errors first, each kind in the order found."""
    message = Message(bytes(raw), envelope)
    found = [item for check in _CHECKS for item in check(message)]
    return sorted(found, key=lambda item: item.severity != "error")
