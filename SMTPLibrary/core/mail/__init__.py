"""A message and what it says: the bytes as received, parsed and decoded the way mail readers
do it, only when asked. No threads, no server: everything here works on a message alone."""

from .content import Attachment, MessageContent
from .content import of as content_of
from .decode import Problem
from .fields import attachment_fields, is_message_fields, message_fields, message_from_fields
from .files import eml_name, safe_filename, save_message
from .message import Headers, ReceivedMessage

__all__ = [
    "Attachment",
    "Headers",
    "MessageContent",
    "Problem",
    "ReceivedMessage",
    "attachment_fields",
    "content_of",
    "eml_name",
    "is_message_fields",
    "message_fields",
    "message_from_fields",
    "safe_filename",
    "save_message",
]
