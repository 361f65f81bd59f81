"""Where received messages are kept and found: the mailbox and its waits, criteria,
disk stores, and the failures that say what arrived instead."""

from .expectations import (
    find_attachment,
    find_link,
    header,
    links,
    require_html,
    require_html_containing,
    require_text,
)
from .failures import summary
from .mailbox import Mailbox, MailboxObserver
from .matching import CRITERIA_ARGUMENTS, CRITERIA_NAMES, FIELDS, Criteria, Criterion, TextMatcher
from .stores import LatestFileStore, MaildirStore, MboxStore, StorageError, Store, open_stores
from .writer import StoreWriter

__all__ = [
    "CRITERIA_ARGUMENTS",
    "CRITERIA_NAMES",
    "FIELDS",
    "Criteria",
    "Criterion",
    "LatestFileStore",
    "Mailbox",
    "MailboxObserver",
    "MaildirStore",
    "MboxStore",
    "StorageError",
    "Store",
    "StoreWriter",
    "TextMatcher",
    "find_attachment",
    "find_link",
    "header",
    "links",
    "open_stores",
    "require_html",
    "require_html_containing",
    "require_text",
    "summary",
]
