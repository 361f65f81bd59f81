"""Who may log in to the test server: user names and passwords as a user writes them, and the check.

Passwords never leave this module: they are not in any error message, in
``repr()``, or in what a message records (only the user name is).
"""

from __future__ import annotations

import hmac
from collections.abc import Mapping

from ..errors import InvalidArgument

MECHANISMS = ("LOGIN", "PLAIN")


def parse_credentials(value: object) -> dict[str, str]:
    """User names and passwords from what a user wrote.

    ``'alice:s3cret'``, several separated by commas (``'alice:s3cret, bob:pw'``),
    a list of such strings, or a ``{user: password}`` dict. A password may
    contain ``:``; in a list or dict it may also contain ``,``."""
    if isinstance(value, Mapping):
        pairs = [(_text(user, "user name"), _text(password, "password", user)) for user, password in value.items()]
    elif isinstance(value, str):
        pairs = [_split(entry.strip(), number) for number, entry in enumerate(value.split(","), 1)]
    elif isinstance(value, (list, tuple)):
        pairs = [_split(_text(entry, "entry"), number) for number, entry in enumerate(value, 1)]
    else:
        raise InvalidArgument(
            f"credentials must be 'user:password', several separated by commas, a list or a dict, "
            f"got {type(value).__name__}."
        )
    if not pairs:
        raise InvalidArgument("credentials must name at least one user.")
    accepted: dict[str, str] = {}
    for user, password in pairs:
        if not user:
            raise InvalidArgument("credentials contain an empty user name.")
        if user in accepted:
            raise InvalidArgument(f"credentials give user '{user}' twice.")
        accepted[user] = password
    return accepted


def _text(value: object, what: str, user: object = None) -> str:
    if isinstance(value, str):
        return value
    whose = f" of user '{user}'" if user is not None else ""
    # The value itself is not shown: it may be a password.
    raise InvalidArgument(f"credentials: the {what}{whose} must be a string, got {type(value).__name__}.")


def _split(entry: str, number: int) -> tuple[str, str]:
    user, colon, password = entry.partition(":")
    if not colon:
        # Not even the user name is shown: a forgotten "user:" would show the password.
        raise InvalidArgument(f"credentials entry {number} is not 'user:password'.")
    return user.strip(), password


class Users:
    """Who may log in, and the check of a password (in constant time); ``repr()`` shows no password."""

    def __init__(self, credentials: Mapping[str, str]) -> None:
        self._passwords = {user.encode(): password.encode() for user, password in credentials.items()}
        self.names = list(credentials)

    def check(self, login: object, password: object) -> str | None:
        """The user name when ``login`` (bytes) and ``password`` (bytes) are right, else ``None``."""
        expected = self._passwords.get(login) if isinstance(login, bytes) else None
        if expected is not None and isinstance(password, bytes) and hmac.compare_digest(expected, password):
            return login.decode("utf-8", "replace")  # type: ignore[union-attr]
        return None

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Users) and other._passwords == self._passwords

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"<Users {', '.join(self.names)}>"
