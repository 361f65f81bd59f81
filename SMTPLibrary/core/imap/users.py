"""Mail users of the IMAP and POP3 view: who may log in, with which password.

The rule (``docs/imap-pop3.md``, "Users and passwords"):

* Mail is filed for every envelope recipient, whether or not it was added;
  one whose address :func:`normalise_address` refuses (``"john doe"@x``) is skipped.
* A user added with :meth:`MailUsers.add` logs in with its login (the address
  unless another was given) and its password, and with nothing else.
* A recipient that was never added logs in with its address as login and its
  address as password, as in GreenMail, so that a suite can read the captured
  mail with no setup; ``recipients_can_log_in=False`` turns that off (then only
  added users log in).
* Anything else is refused: a wrong password, a login nobody has, an address
  that never received mail. A refused login changes nothing here: it creates no
  user and no mailbox.

An added user belongs to an *owner* (the Robot test or suite that added it,
see ``core/runs``): :meth:`MailUsers.release` removes the users of an owner
when it ends. ``None`` owns users for as long as the view lives.

Addresses are compared without regard to case (``Bob@Example.COM`` and
``bob@example.com`` are one user, as every mail server of practice treats
them); so are logins. Passwords are compared exactly.

Thread-safe: users are added from the test thread, recipients noted from the
thread that delivers, logins checked on the servers' event loop.
"""

from __future__ import annotations

import hmac
import threading
from dataclasses import dataclass

from ..errors import InvalidArgument


class InvalidUser(InvalidArgument):
    """An address, login or password that cannot make a mail user."""


@dataclass(frozen=True)
class MailUser:
    address: str  # normalised: the key of the user's folders
    login: str
    password: str
    added: bool  # False: a recipient that was never added (address as password)


def normalise_address(address: str) -> str:
    """``' <Bob@Example.com> '`` -> ``'bob@example.com'``: the key of a user."""
    if not isinstance(address, str):
        raise InvalidUser(f"A mail address must be text; got {address!r}.")
    key = address.strip()
    if key.startswith("<") and key.endswith(">"):
        key = key[1:-1].strip()
    if not key or any(c.isspace() for c in key):
        raise InvalidUser(f"'{address}' is not a mail address.")
    return key.lower()


def _same(secret: str, given: str) -> bool:
    return hmac.compare_digest(secret.encode("utf-8", "surrogateescape"), given.encode("utf-8", "surrogateescape"))


class MailUsers:
    def __init__(self, *, recipients_can_log_in: bool = True) -> None:
        self.recipients_can_log_in = recipients_can_log_in
        self._lock = threading.Lock()
        self._added: dict[str, MailUser] = {}  # address -> user
        self._logins: dict[str, str] = {}  # lowercased login -> address
        self._recipients: set[str] = set()
        self._owners: dict[str, object] = {}  # address -> who added it

    def add(self, address: str, password: str, login: str | None = None, owner: object = None) -> MailUser:
        """Add (or replace) a user; its mail is kept when it is replaced."""
        key = normalise_address(address)
        if not isinstance(password, str) or not password:
            raise InvalidUser(f"The password of {key} must be non-empty text.")
        if any(c in password for c in "\r\n\0"):
            raise InvalidUser(f"The password of {key} cannot hold a line break or NUL: no client could send it.")
        login = key if login is None else login
        if not isinstance(login, str) or not login.strip() or any(c.isspace() for c in login):
            raise InvalidUser(f"The login of {key} must be text without spaces; got {login!r}.")
        folded = login.lower()
        with self._lock:
            holder = self._logins.get(folded)
            if holder is not None and holder != key:
                raise InvalidUser(f"The login '{login}' already belongs to {holder}.")
            previous = self._added.get(key)
            if previous is not None:
                self._logins.pop(previous.login.lower(), None)
            user = MailUser(key, login, password, True)
            self._added[key] = user
            self._logins[folded] = key
            self._owners[key] = owner
            return user

    def release(self, owner: object) -> list[str]:
        """Remove the users ``owner`` added (its test or suite ended); returns their addresses.
        An address that also received mail keeps it, and logs in by the recipients' rule again."""
        with self._lock:
            gone = [key for key, who in self._owners.items() if who is owner]
            for key in gone:
                user = self._added.pop(key)
                self._logins.pop(user.login.lower(), None)
                del self._owners[key]
            return gone

    def note_recipient(self, address: str) -> str:
        """Mail is being filed for ``address``: it has folders from now on. Returns its key."""
        key = normalise_address(address)
        with self._lock:
            self._recipients.add(key)
        return key

    def find(self, login: str) -> MailUser | None:
        """The user that logs in with ``login``, ``None`` when nobody does (nothing is created)."""
        folded = login.lower()
        with self._lock:
            key = self._logins.get(folded)
            if key is not None:
                return self._added[key]
            if self.recipients_can_log_in and folded in self._recipients and folded not in self._added:
                return MailUser(folded, folded, folded, False)
        return None

    def authenticate(self, login: str, password: str) -> str | None:
        """The address of the user when ``login`` and ``password`` are right, else ``None``."""
        user = self.find(login)
        if user is None or not _same(user.password, password):
            return None
        return user.address

    def addresses(self) -> list[str]:
        """Every user with folders or a login, sorted."""
        with self._lock:
            return sorted(self._recipients | set(self._added))
