"""The capture core: the server, its mailbox, messages and criteria, in layers.

Importing it imports only the standard library and aiosmtpd, never Robot
Framework, behave or pytest: every adapter builds on this package, through
the names it and its subpackages export. Two more dependencies are imported
when first needed, and only then: trustme when the first TLS server makes
its test certificate, and uvloop (the optional ``uvloop`` extra) when a
server starts and finds it installed, and pymap (the ``imap`` extra) when
an IMAP or POP3 server starts. ``docs/architecture.md`` draws the
layers; utest/test_boundaries.py and utest/test_layers.py keep them so.
"""

from .errors import (
    CertificateNotRejected,
    ContentMismatch,
    InvalidArgument,
    MessageCountMismatch,
    MessageNotReceived,
    MissingExtra,
    NoServer,
    RetryCountMismatch,
    ServerError,
    ServerStopped,
    SMTPLibraryError,
    UnexpectedMessage,
)
from .imap import IMAPStateMismatch, IMAPUnavailable, SMTPServer
from .mail import Attachment, ReceivedMessage
from .mailbox import Criteria, Mailbox, StorageError, TextMatcher
from .smtp import ServerOptions, Statistics
from .waiting import DEFAULT_TIMEOUT

__all__ = [
    "DEFAULT_TIMEOUT",
    "Attachment",
    "CertificateNotRejected",
    "ContentMismatch",
    "Criteria",
    "IMAPStateMismatch",
    "IMAPUnavailable",
    "InvalidArgument",
    "Mailbox",
    "MessageCountMismatch",
    "MessageNotReceived",
    "MissingExtra",
    "NoServer",
    "ReceivedMessage",
    "RetryCountMismatch",
    "SMTPLibraryError",
    "SMTPServer",
    "ServerError",
    "ServerOptions",
    "ServerStopped",
    "Statistics",
    "StorageError",
    "TextMatcher",
    "UnexpectedMessage",
]
