"""One small hierarchy of errors shared by every adapter.

Assertion-type failures subclass ``AssertionError`` so that behave marks a
step *failed* (not *errored*) and pytest shows them as test failures.
``ROBOT_SUPPRESS_NAME`` keeps Robot Framework from prefixing the class name:
the message is written to be read on its own.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .message import ReceivedMessage


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
