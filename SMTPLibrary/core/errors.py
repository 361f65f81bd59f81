"""One small hierarchy of errors shared by every adapter.

Assertion-type failures subclass ``AssertionError`` so that behave marks a
step *failed* (not *errored*) and pytest shows them as test failures.
``ROBOT_SUPPRESS_NAME`` keeps Robot Framework from prefixing the class name:
the message is written to be read on its own.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .mail import ReceivedMessage


class SMTPLibraryError(Exception):
    """Base class of every error raised by SMTPLibrary."""

    ROBOT_SUPPRESS_NAME = True


class ServerError(SMTPLibraryError, RuntimeError):
    """The server could not start, stop or keep running."""


class ServerStopped(ServerError):
    """A wait was cut short because its server was stopped."""


class NoServer(SMTPLibraryError, RuntimeError):
    """A keyword needs a server but none is started (or the alias is unknown)."""


class InvalidArgument(SMTPLibraryError, ValueError):
    """An argument has a value that cannot be used; the message names it."""


class MessageNotReceived(SMTPLibraryError, AssertionError):
    """No message matching the criteria arrived in time.

    :attr:`closest` holds the messages that came nearest to matching, closest
    first, each with the criteria it failed on: what the failure text lists,
    for reports to show in full."""

    def __init__(self, message: str, closest: Sequence[tuple[ReceivedMessage, list[str]]] = ()) -> None:
        super().__init__(message)
        self.closest = list(closest)


class UnexpectedMessage(SMTPLibraryError, AssertionError):
    """A message arrived although the test said none should."""


class MessageCountMismatch(SMTPLibraryError, AssertionError):
    """The mailbox did not reach the expected number of messages."""


class ContentMismatch(SMTPLibraryError, AssertionError):
    """A message was found but its content is not what was expected."""


class RetryCountMismatch(SMTPLibraryError, AssertionError):
    """The client did not retry as often as expected."""


class CertificateNotRejected(SMTPLibraryError, AssertionError):
    """No client rejected the server's certificate, or a client accepted it."""


class MissingExtra(SMTPLibraryError, RuntimeError):
    """A capability needs packages of an optional extra that are not installed; the message
    names them and the ``pip install`` command that brings them."""


class ErrorLog:
    """Errors met on a thread that cannot report them itself (the server's event loop, the disk
    writer), kept until a test thread asks: Robot Framework, for one, takes log calls and
    failures from the main thread only."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: list[tuple[str, BaseException | None]] = []

    def record(self, text: str, cause: BaseException | None = None) -> None:
        """Keep ``text``, a whole sentence saying what failed, and the exception behind it."""
        with self._lock:
            self._entries.append((text, cause))

    def raise_first(self, kind: type[SMTPLibraryError]) -> None:
        """Raise the first error kept since the last call, as ``kind``, and forget them all."""
        with self._lock:
            entries, self._entries = self._entries, []
        if entries:
            text, cause = entries[0]
            others = len(entries) - 1  # (not wording.plural: the leaf modules import none of each other)
            more = f" (and {others} more error{'s' if others > 1 else ''})" if others else ""
            raise kind(text + more) from cause
