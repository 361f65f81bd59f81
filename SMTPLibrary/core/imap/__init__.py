"""The IMAP and POP3 view of a mailbox: every envelope recipient a mail user whose INBOX holds
the mail delivered to that address, served by pymap (IMAP) and a small POP3 server of our own,
and waits on what clients did to the mail. pymap is imported only when a server starts."""

from .availability import IMAPUnavailable, missing_imap, require_imap
from .copies import CopyState, InvalidFlag, Place, normalise_flag
from .deliver import InvalidMessage, delivered, message_bytes
from .server import SMTPServer
from .users import InvalidUser, MailUser, MailUsers
from .view import MailView
from .waits import FlagsMismatch, FolderMismatch, IMAPStateMismatch, NotExpunged

__all__ = [
    "CopyState",
    "FlagsMismatch",
    "FolderMismatch",
    "IMAPStateMismatch",
    "IMAPUnavailable",
    "InvalidFlag",
    "InvalidMessage",
    "InvalidUser",
    "MailUser",
    "MailUsers",
    "MailView",
    "NotExpunged",
    "Place",
    "SMTPServer",
    "delivered",
    "message_bytes",
    "missing_imap",
    "normalise_flag",
    "require_imap",
]
