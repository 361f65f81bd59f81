"""The capture core: server, mailbox, messages, criteria.

Only the standard library and aiosmtpd are imported here, never Robot
Framework, behave or pytest: every adapter builds on this package.
"""

from .api import SMTPServer
from .errors import (
    ContentMismatch,
    InvalidArgument,
    MessageCountMismatch,
    MessageNotReceived,
    NoServer,
    ServerError,
    ServerStopped,
    SMTPLibraryError,
    UnexpectedMessage,
)
from .mailbox import Mailbox
from .matching import Criteria, TextMatcher
from .message import ReceivedMessage
from .stats import Statistics
from .storage import StorageError

__all__ = [
    "ContentMismatch",
    "Criteria",
    "InvalidArgument",
    "Mailbox",
    "MessageCountMismatch",
    "MessageNotReceived",
    "NoServer",
    "ReceivedMessage",
    "SMTPLibraryError",
    "SMTPServer",
    "ServerError",
    "ServerStopped",
    "Statistics",
    "StorageError",
    "TextMatcher",
    "UnexpectedMessage",
]
