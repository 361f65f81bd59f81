"""Waits on what IMAP and POP3 clients did to a message: its flags, its folder, its expunge.

Event-driven, on :attr:`Copies.changes` (the core's one wait loop): every change the
store reports wakes the waits at once.

A message filed for several users (or copied by a client) has several copies and places:
``user`` narrows the check to one user's copy. Without it: *has flags* holds when some place
has every flag; *has not* holds when every place lacks each flag (and there is a place);
*in folder* holds when some place is in the folder; *expunged* when no place is left.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from ..errors import ServerStopped, SMTPLibraryError
from ..mail import ReceivedMessage
from ..waiting import Outcome
from ..wording import format_duration, label, shorten
from .copies import Copies, CopyState, normalise_flag
from .users import normalise_address


class IMAPStateMismatch(SMTPLibraryError, AssertionError):
    """A message did not reach the state a test expected of it in the IMAP view."""

    def __init__(self, text: str, states: list[CopyState] | None) -> None:
        super().__init__(text)
        self.states = states  # the facts, for a report; never parse the text back


class FlagsMismatch(IMAPStateMismatch):
    """The message did not get (or did not lose) the flags."""


class FolderMismatch(IMAPStateMismatch):
    """The message did not reach the folder."""


class NotExpunged(IMAPStateMismatch):
    """The message was not expunged."""


def describe_message(message: Any) -> str:
    named = label(message) if isinstance(message, ReceivedMessage) else "The message"
    subject = getattr(message, "subject", "") or ""
    return f"{named} '{shorten(subject)}'" if subject else f"{named} without subject"


def describe_flags(flags: Iterable[str]) -> str:
    ordered = sorted(flags, key=lambda f: (not f.startswith("\\"), f))
    return " ".join(ordered) if ordered else "no flags"


def describe_copy(state: CopyState) -> str:
    if state.error:
        return f"could not be filed ({state.error})"
    if state.pending:
        return "is being filed"
    if not state.places:
        return "was expunged"
    return ", and ".join(f"is in {p.folder} with {describe_flags(p.flags)}" for p in state.places)


def describe_states(states: list[CopyState] | None, user: str | None) -> str:
    if states is None:
        return "it never reached the IMAP view (it is not in the mailbox of this server, or a reset removed it)."
    if not states:
        return f"it was not delivered to {user}."
    if len(states) == 1 and user is not None:
        return f"it {describe_copy(states[0])}."
    return "; ".join(f"for {s.user} it {describe_copy(s)}" for s in states) + "."


def _user(user: str | None) -> str | None:
    return None if user is None else normalise_address(user)


def _who(user: str | None) -> str:
    return f" to {user}" if user else ""


def wait_for_flags(
    copies: Copies, message: Any, flags: Iterable[str], timeout: float, *, user: str | None = None
) -> list[CopyState]:
    wanted = frozenset(normalise_flag(f) for f in flags)
    user = _user(user)
    outcome, states = copies.watch(
        message, user, lambda ss: any(wanted <= p.flags for s in ss for p in s.places), timeout
    )
    return _settled(
        FlagsMismatch,
        outcome,
        timeout,
        states,
        lambda took: (
            f"{describe_message(message)}{_who(user)} did not get {describe_flags(wanted)} in {took}: "
            f"{describe_states(states, user)}"
        ),
    )


def wait_for_no_flags(
    copies: Copies, message: Any, flags: Iterable[str], timeout: float, *, user: str | None = None
) -> list[CopyState]:
    unwanted = frozenset(normalise_flag(f) for f in flags)
    user = _user(user)

    def holds(states: list[CopyState]) -> bool:
        places = [p for s in states for p in s.places]
        return bool(places) and not any(s.pending for s in states) and all(not (unwanted & p.flags) for p in places)

    outcome, states = copies.watch(message, user, holds, timeout)
    return _settled(
        FlagsMismatch,
        outcome,
        timeout,
        states,
        lambda took: (
            f"{describe_message(message)}{_who(user)} still had {describe_flags(unwanted)} after "
            f"{took}: {describe_states(states, user)}"
        ),
    )


def same_folder(a: str, b: str) -> bool:
    """Folder names are compared exactly, but for INBOX, whose name ignores case (RFC 3501)."""
    return a == b or (a.upper() == "INBOX" and b.upper() == "INBOX")


def wait_in_folder(
    copies: Copies, message: Any, folder: str, timeout: float, *, user: str | None = None
) -> list[CopyState]:
    user = _user(user)
    outcome, states = copies.watch(
        message, user, lambda ss: any(same_folder(p.folder, folder) for s in ss for p in s.places), timeout
    )
    return _settled(
        FolderMismatch,
        outcome,
        timeout,
        states,
        lambda took: (
            f"{describe_message(message)}{_who(user)} was not in folder '{folder}' after {took}: "
            f"{describe_states(states, user)}"
        ),
    )


def wait_expunged(copies: Copies, message: Any, timeout: float, *, user: str | None = None) -> list[CopyState]:
    user = _user(user)
    outcome, states = copies.watch(message, user, lambda ss: all(s.expunged for s in ss), timeout)
    hint = ""
    if states and any("\\Deleted" in p.flags for s in states for p in s.places):
        hint = " (\\Deleted is set: the client has not expunged yet)"
    return _settled(
        NotExpunged,
        outcome,
        timeout,
        states,
        lambda took: (
            f"{describe_message(message)}{_who(user)} was not expunged in {took}: {describe_states(states, user)}{hint}"
        ),
    )


def _settled(
    kind: type[IMAPStateMismatch],
    outcome: Outcome,
    timeout: float,
    states: list[CopyState] | None,
    text: Callable[[str], str],
) -> list[CopyState]:
    """The states, when the wait held. Otherwise ``kind`` saying ``text(the timeout)``; or, when the
    view stopped, :class:`ServerStopped` saying so first and then ``text(the time it waited)``, as a
    wait on the mailbox says that its SMTP server stopped."""
    if outcome.result and states is not None:
        return states
    if outcome.stopped:
        raise ServerStopped(f"{outcome.stopped} {text(format_duration(outcome.waited))}")
    raise kind(text(format_duration(timeout)), states)
