"""The capture core: server, mailbox, messages, criteria.

Importing it imports only the standard library and aiosmtpd, never Robot
Framework, behave or pytest: every adapter builds on this package. Two more
dependencies are imported when first needed, and only then: trustme (a
runtime dependency) when the first TLS server makes its test certificate,
and uvloop (the optional ``uvloop`` extra) when a server starts and finds it
installed. utest/test_boundaries.py checks all of this.
"""

from .api import SMTPServer
from .errors import (
    ContentMismatch,
    InvalidArgument,
    MessageCountMismatch,
    MessageNotReceived,
    NoServer,
    RetryCountMismatch,
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
    "RetryCountMismatch",
    "SMTPLibraryError",
    "SMTPServer",
    "ServerError",
    "ServerStopped",
    "Statistics",
    "StorageError",
    "TextMatcher",
    "UnexpectedMessage",
]
