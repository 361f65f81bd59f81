"""Where each copy of a message is, and its flags: the view's record, read by the waits.

A message delivered to three recipients is three *copies*, one per user. A copy
is filed in the user's INBOX and then lives wherever the user's clients put it:
MOVE takes it to another folder, COPY gives it a second *place* (so that the
classic COPY + STORE \\Deleted + EXPUNGE move is followed too), EXPUNGE ends a
place; a copy with no place left and none to come is expunged.

The IMAP store reports each change from its event loop thread; tests read from
theirs, and wait on :attr:`Copies.changes` (the core's one wait loop): every
change counts there and wakes the waiters. Nothing here knows pymap: folders
are opaque keys with a name given by the store.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from ..errors import InvalidArgument
from ..waiting import Changes, Outcome

SYSTEM_FLAGS = {f.lower(): f for f in ("\\Seen", "\\Answered", "\\Flagged", "\\Deleted", "\\Draft", "\\Recent")}
_ATOM_SPECIALS = set('(){ %*"\\]') | {chr(c) for c in range(0x20)} | {"\x7f"}


class InvalidFlag(InvalidArgument):
    """Not an IMAP flag or keyword."""


def normalise_flag(flag: str) -> str:
    """``'\\seen'`` -> ``'\\Seen'`` (system flags are case-insensitive); keywords are kept as given."""
    if not isinstance(flag, str) or not flag:
        raise InvalidFlag(f"A flag must be non-empty text; got {flag!r}.")
    if flag.startswith("\\"):
        known = SYSTEM_FLAGS.get(flag.lower())
        if known is None:
            raise InvalidFlag(
                f"'{flag}' is not an IMAP system flag: use one of {', '.join(SYSTEM_FLAGS.values())}, "
                "or a keyword without the backslash."
            )
        return known
    if any(c in _ATOM_SPECIALS for c in flag) or not flag.isascii():
        raise InvalidFlag(f"'{flag}' cannot be an IMAP keyword: it contains a space or one of (){{%*\"\\].")
    return flag


@dataclass(frozen=True)
class Place:
    folder: str
    uid: int
    flags: frozenset[str]


@dataclass(frozen=True)
class CopyState:
    """A copy of a message as a user has it now."""

    user: str
    places: tuple[Place, ...]
    pending: bool  # handed to the store, not filed yet
    error: str | None = None  # the store failed to file it

    @property
    def expunged(self) -> bool:
        return not self.pending and not self.places and self.error is None


class _Copy:
    __slots__ = ("error", "pending", "places", "user")

    def __init__(self, user: str) -> None:
        self.user = user
        self.pending = True
        self.error: str | None = None
        self.places: list[_Place] = []


class _Place:
    __slots__ = ("copy", "flags", "key", "uid")

    def __init__(self, copy: _Copy, key: Hashable, uid: int, flags: frozenset[str]) -> None:
        self.copy, self.key, self.uid, self.flags = copy, key, uid, flags


class Copies:
    def __init__(self) -> None:
        self.changes = Changes()
        self._by_message: dict[Any, dict[str, _Copy]] = {}  # message (by identity) -> user -> copy
        self._places: dict[tuple[Hashable, int], _Place] = {}
        self._folders: dict[Hashable, tuple[str, str]] = {}  # key -> (user, folder name)

    def _bump(self) -> None:
        self.changes.changed()

    # -- reported by the store (its loop thread), or by the delivering thread ------

    def expect(self, message: Any, users: Iterable[str]) -> None:
        with self.changes:
            copies = self._by_message.setdefault(message, {})
            for user in users:
                copies.setdefault(user, _Copy(user))
            self._bump()

    def filed(self, message: Any, user: str, key: Hashable, uid: int, flags: Iterable[str]) -> None:
        with self.changes:
            copy = self._by_message.setdefault(message, {}).setdefault(user, _Copy(user))
            copy.pending = False
            place = _Place(copy, key, uid, frozenset(flags))
            copy.places.append(place)
            self._places[(key, uid)] = place
            self._bump()

    def failed(self, message: Any, user: str, error: str) -> None:
        with self.changes:
            copy = self._by_message.setdefault(message, {}).setdefault(user, _Copy(user))
            copy.pending = False
            copy.error = error
            self._bump()

    def flags_set(self, key: Hashable, uid: int, flags: Iterable[str]) -> None:
        with self.changes:
            place = self._places.get((key, uid))
            if place is not None:
                place.flags = frozenset(flags)
            self._bump()

    def copied(self, key: Hashable, uid: int, to_key: Hashable, to_uid: int) -> None:
        with self.changes:
            place = self._places.get((key, uid))
            if place is not None:
                new = _Place(place.copy, to_key, to_uid, place.flags)
                place.copy.places.append(new)
                self._places[(to_key, to_uid)] = new
            self._bump()

    def moved(self, key: Hashable, uid: int, to_key: Hashable, to_uid: int) -> None:
        with self.changes:
            place = self._places.pop((key, uid), None)
            if place is not None:
                place.key, place.uid = to_key, to_uid
                self._places[(to_key, to_uid)] = place
            self._bump()

    def expunged(self, key: Hashable, uids: Iterable[int]) -> None:
        with self.changes:
            for uid in uids:
                self._drop(self._places.pop((key, uid), None))
            self._bump()

    def touched(self) -> None:
        """Something changed that no copy records (a client's APPEND): wake the waiters."""
        with self.changes:
            self._bump()

    def folders(self, user: str, names: Mapping[Hashable, str]) -> None:
        """The user's folders now (after a CREATE, DELETE or RENAME): places in a deleted folder end."""
        with self.changes:
            gone = [key for key, (owner, _) in self._folders.items() if owner == user and key not in names]
            for key in gone:
                del self._folders[key]
                for place_key in [k for k in self._places if k[0] == key]:
                    self._drop(self._places.pop(place_key))
            for key, name in names.items():
                self._folders[key] = (user, name)
            self._bump()

    def dropped(self, message: Any) -> list[tuple[Hashable, int]]:
        """Forget ``message`` (its mailbox dropped it); returns the places it had, for the store to expunge."""
        with self.changes:
            copies = self._by_message.pop(message, {})
            places = [(place.key, place.uid) for copy in copies.values() for place in copy.places]
            for key in places:
                self._places.pop(key, None)
            self._bump()
            return places

    def clear(self) -> None:
        """Forget every copy (a reset); folders stay."""
        with self.changes:
            self._forget()
            self._bump()

    def open(self) -> None:
        """The view runs: waits may last."""
        self.changes.stop(None)

    def close(self, reason: str) -> None:
        """The view stopped: every wait ends now with ``reason``, and every copy is forgotten (a
        view started again files them anew). The forgetting counts no change, so that each wait
        reports the copies as it saw them last, not an empty record."""
        self.changes.stop(reason)
        with self.changes:
            self._forget()

    def _forget(self) -> None:
        self._by_message.clear()
        self._places.clear()

    def _drop(self, place: _Place | None) -> None:
        if place is not None:
            place.copy.places.remove(place)

    # -- read by tests (any thread) -----------------------------------------------

    def state(self, message: Any, user: str | None = None) -> list[CopyState] | None:
        """The copies of ``message`` (only ``user``'s when given); ``None`` when it was never handed over."""
        with self.changes:
            return self._state(message, user)

    def _state(self, message: Any, user: str | None) -> list[CopyState] | None:
        copies = self._by_message.get(message)
        if copies is None:
            return None
        chosen = [copies[user]] if user is not None and user in copies else [] if user is not None else copies.values()
        return [
            CopyState(
                copy.user,
                tuple(Place(self._folders.get(p.key, ("", "?"))[1], p.uid, p.flags) for p in copy.places),
                copy.pending,
                copy.error,
            )
            for copy in chosen
        ]

    def watch(
        self, message: Any, user: str | None, holds: Callable[[list[CopyState]], bool], timeout: float
    ) -> tuple[Outcome[bool], list[CopyState] | None]:
        """Wait until ``holds(states of message)``: how the wait ended (``result`` true when it held,
        ``stopped`` when the view stopped), and the states last seen. Gives up at once when the
        message is known but ``user`` is not among its recipients."""
        last: list[list[CopyState] | None] = [None]

        def check(states: list[CopyState] | None) -> bool | None:
            last[0] = states
            if states is None:
                return None
            if not states:
                return False
            return True if holds(states) else None

        return self.changes.watch(lambda _seen: self._state(message, user), check, timeout), last[0]
