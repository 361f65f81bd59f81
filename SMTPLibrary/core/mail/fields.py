"""Received messages and their attachments as dictionaries of plain values.

What cannot carry objects (Robot Framework's Remote interface, over XML-RPC)
carries these instead: every attribute a test reads, as ``str``, ``int``,
``float``, ``bool``, ``bytes``, ``None``, and lists and dictionaries of
them. :func:`message_from_fields` turns such a dictionary back into the
message, so that it can be handed to whatever takes a message.

:meth:`ReceivedMessage.as_dict` is another thing: the four fields the old
``smtpd``-based mock servers gave.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any, TypeGuard

from ..errors import InvalidArgument
from .content import Attachment
from .message import ReceivedMessage


def message_fields(message: ReceivedMessage) -> dict[str, Any]:
    """``message`` as a dictionary with the attributes of :class:`ReceivedMessage`.

    ``raw`` stays bytes, ``peer`` becomes a list, ``received_at`` an ISO 8601
    string, ``attachments`` a list of :func:`attachment_fields`; ``headers``
    maps each header name, as spelt in the message, to its first value;
    ``source`` (the message as text) replaces the parsed ``message``."""
    headers: dict[str, str] = {}
    for name, value in message.headers.items_all():
        headers.setdefault(name, value)
    return {
        "sender": message.sender,
        "recipients": list(message.recipients),
        "subject": message.subject,
        "text": message.text,
        "html": message.html,
        "body": message.body,
        "headers": headers,
        "attachments": [attachment_fields(attachment) for attachment in message.attachments],
        "links": list(message.links),
        "raw": bytes(message.raw),
        "source": message.source,
        "peer": list(message.peer) if isinstance(message.peer, (tuple, list)) else message.peer,
        "helo": message.helo,
        "authenticated_as": message.authenticated_as,
        "tls": dict(message.tls) if message.tls else None,
        "mail_options": list(message.mail_options),
        "rcpt_options": list(message.rcpt_options),
        "received_at": message.received_at.isoformat(),
        "size": message.size,
        "seq": message.seq,
    }


def attachment_fields(attachment: Attachment) -> dict[str, Any]:
    """``attachment`` as a dictionary with its attributes; ``content`` is bytes, an enclosed
    ``message`` is itself a :func:`message_fields` dictionary."""
    enclosed = attachment.message
    return {
        "filename": attachment.filename,
        "content_type": attachment.content_type,
        "size": attachment.size,
        "content": attachment.content,
        "inline": attachment.inline,
        "content_id": attachment.content_id,
        "text": attachment.text,
        "message": None if enclosed is None else message_fields(enclosed),
        "decoded": attachment.decoded,
        "problems": attachment.problems,
    }


def is_message_fields(value: object) -> TypeGuard[Mapping[str, Any]]:
    """Whether ``value`` looks like a :func:`message_fields` dictionary (it has the ``raw`` message)."""
    return isinstance(value, Mapping) and "raw" in value


def message_from_fields(fields: Mapping[str, Any]) -> ReceivedMessage:
    """The message a :func:`message_fields` dictionary describes, rebuilt from its ``raw`` bytes and envelope.

    Everything derived from the bytes (text, headers, attachments...) is read
    from them again. An empty string stands for ``None``, as XML-RPC, which
    has no ``None``, writes it."""
    raw = fields.get("raw")
    if not isinstance(raw, (bytes, bytearray)):
        raise InvalidArgument(
            "A message given as a dictionary must hold the message's bytes in 'raw', as the dictionaries "
            f"remote keywords return do; got {type(raw).__name__} there."
        )
    peer = fields.get("peer")
    received_at = fields.get("received_at") or None
    try:
        timestamp = 0.0 if received_at is None else datetime.fromisoformat(str(received_at)).timestamp()
    except ValueError:
        raise InvalidArgument(f"received_at must be an ISO 8601 date and time, got {received_at!r}.") from None
    message = ReceivedMessage(
        bytes(raw),
        str(fields.get("sender") or ""),
        [str(recipient) for recipient in fields.get("recipients") or []],
        peer=tuple(peer) if isinstance(peer, (list, tuple)) else peer or None,
        helo=fields.get("helo") or None,
        mail_options=list(fields.get("mail_options") or []),
        rcpt_options=list(fields.get("rcpt_options") or []),
        authenticated_as=fields.get("authenticated_as") or None,
        tls=dict(fields["tls"]) if fields.get("tls") else None,
        timestamp=timestamp,
    )
    message.seq = int(fields.get("seq") or 0)
    return message
