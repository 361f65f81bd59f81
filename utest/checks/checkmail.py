"""Messages and signatures for the tests of the message checks."""

from __future__ import annotations

import dkim

from SMTPLibrary.core.checks import DKIMKey
from SMTPLibrary.core.mail import ReceivedMessage


def received(
    raw: bytes,
    sender: str = "alice@example.com",
    peer: object = ("192.0.2.1", 40000),
    helo: str = "mail.example.com",
    **options,
) -> ReceivedMessage:
    """``raw`` as the server would have received it from ``peer``, after ``HELO helo`` and ``MAIL FROM:<sender>``."""
    return ReceivedMessage(raw, sender, ["bob@example.org"], peer=peer, helo=helo, **options)


def sign(key: DKIMKey, message: bytes, **options) -> bytes:
    """``message`` with a dkimpy signature by ``key`` prepended."""
    signature = dkim.sign(
        message,
        key.selector.encode(),
        key.domain.encode(),
        key.dkimpy_private_key,
        signature_algorithm=key.algorithm.encode(),
        **options,
    )
    return signature + message
