"""The IMAP and POP3 view of one mailbox: one event-loop thread, the users, the store and its listeners.

A :class:`MailView` observes a :class:`~SMTPLibrary.core.mailbox.Mailbox`: every message
the mailbox stores is filed, before the SMTP client gets its ``250``, in the INBOX of each
of its envelope recipients (Bcc included: each user holds only their own copy); a message
the mailbox drops (``max_messages``) leaves the view too; a reset of the mailbox returns
every user to a fresh start. The view starts with its first listener and stops with
:meth:`stop`; users outlive a stop.
"""

from __future__ import annotations

import ssl
import threading
from collections.abc import Callable, Iterator
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from ..errors import ErrorLog, ServerError
from ..mail import ReceivedMessage
from ..mailbox import Mailbox
from ..smtp.loop import cannot_listen
from ..smtp.options import tls_mode
from . import waits
from .availability import require_imap
from .copies import Copies, CopyState
from .loop import LoopStopped, LoopThread
from .users import InvalidUser, MailUser, MailUsers, normalise_address

if TYPE_CHECKING:
    from .pymap_adapter import FolderMessage, PymapStore

# How long the SMTP thread waits for a message to be filed before it gives up on the view.
FILE_TIMEOUT = 5.0


class MailView:
    """The IMAP and POP3 doors to ``mailbox``. ``certificate()`` gives the servers' TLS context
    when a listener with TLS starts (only the context: which CA file clients trust is the
    caller's to say, as ``SMTPServer.imap_ca_certificate`` does)."""

    def __init__(self, mailbox: Mailbox, certificate: Callable[[], ssl.SSLContext]) -> None:
        self.mailbox = mailbox
        self.users = MailUsers()
        self.copies = Copies()
        self.errors = ErrorLog()
        self.imap_port: int | None = None
        self.pop3_port: int | None = None
        self._certificate = certificate
        self._lock = threading.RLock()
        self._loop: LoopThread | None = None
        self._store: PymapStore | None = None
        self._listeners: list[Any] = []

    # -- life -------------------------------------------------------------------------------

    def _started(self) -> tuple[LoopThread, PymapStore]:
        with self._lock:
            if self._loop is None or self._store is None:
                require_imap()
                from .pymap_adapter import PymapStore  # pymap: about 100 ms, paid by IMAP users only

                loop = LoopThread(self.errors)
                loop.start()
                loop.on_stop(self._close_listeners)
                self._loop, self._store = loop, PymapStore(self.users, self.copies)
                self.copies.open()
                # Every message the mailbox holds is filed now, in order; later ones as they come.
                self.mailbox.observe(self)
            return self._loop, self._store

    def stop(self, reason: str = "The IMAP and POP3 view was stopped.") -> None:
        """Stop every listener (clients get ``* BYE``) and the loop; the users stay. A wait on
        another thread fails at once, saying ``reason``."""
        with self._lock:
            loop, self._loop, self._store = self._loop, None, None
            if loop is None:
                return
            self.mailbox.unobserve(self)
            self.copies.close(reason)
            self.imap_port = self.pop3_port = None
            loop.stop()
        self.errors.raise_first(ServerError)

    async def _close_listeners(self) -> None:
        for listener in self._listeners:
            await listener.close()
        self._listeners.clear()

    def check(self) -> None:
        """Raise what went wrong on the view's threads since the last check, if anything."""
        self.errors.raise_first(ServerError)

    # -- listeners ----------------------------------------------------------------------------

    def start_imap(self, host: str = "127.0.0.1", port: int = 0, tls: str = "none") -> int:
        """Serve IMAP4rev1 (IDLE, UIDPLUS, MOVE) on ``host:port``; returns the bound port."""
        tls, context = self._tls(tls)
        loop, store = self._started()
        listener = self._listen(loop, store.listen_imap(host, port, tls, context), "IMAP", host, port)
        self.imap_port = listener.port
        return listener.port

    def start_pop3(self, host: str = "127.0.0.1", port: int = 0, tls: str = "none") -> int:
        """Serve POP3 (UIDL, TOP, CAPA, STLS) on ``host:port``; returns the bound port."""
        tls, context = self._tls(tls)
        loop, store = self._started()
        from .pop3 import listen_pop3

        listener = self._listen(
            loop, listen_pop3(store, self.users.authenticate, host, port, tls, context), "POP3", host, port
        )
        self.pop3_port = listener.port
        return listener.port

    def _listen(self, loop: LoopThread, coroutine: Any, protocol: str, host: str, port: int) -> Any:
        try:
            listener = loop.run(coroutine)
        except OSError as error:
            raise cannot_listen(f"the {protocol} server", host, port, error) from None
        self._listeners.append(listener)
        return listener

    def _tls(self, tls: str) -> tuple[str, ssl.SSLContext | None]:
        mode = tls_mode(tls)
        return mode, None if mode == "none" else self._certificate()

    # -- users and folders --------------------------------------------------------------------

    def add_user(self, address: str, password: str, login: str | None = None, owner: object = None) -> MailUser:
        return self.users.add(address, password, login, owner)

    def release_users(self, owner: object) -> list[str]:
        return self.users.release(owner)

    def folders(self, address: str) -> list[str]:
        """The folders of ``address``: ``[]`` for a user that has none yet (no mail, no login)."""
        key = normalise_address(address)
        loop, store = self._running()
        return loop.run(store.folder_names(key))

    def folder_messages(self, address: str, folder: str = "INBOX") -> list[FolderMessage] | None:
        loop, store = self._running()
        return loop.run(store.folder_messages(normalise_address(address), folder))

    def state(self, message: Any, user: str | None = None) -> list[CopyState] | None:
        return self.copies.state(message, None if user is None else normalise_address(user))

    def _running(self) -> tuple[LoopThread, PymapStore]:
        loop, store = self._loop, self._store
        if loop is None or store is None:
            raise ServerError("No IMAP or POP3 server is running for this mailbox: start one first.")
        self.check()
        return loop, store

    # -- the mailbox's observer (called with the mailbox's lock held) ------------------------

    def message_added(self, message: ReceivedMessage) -> None:
        """File ``message`` for each recipient; on the adding thread, before any waiter sees it."""
        loop, store = self._loop, self._store
        if loop is None or store is None:
            return
        try:
            users = list(dict.fromkeys(self._users_of(message)))
            self.copies.expect(message, users)
            when = datetime.fromtimestamp(message.timestamp, timezone.utc) if message.timestamp else None
            loop.run(store.file(message, message.raw, users, when), FILE_TIMEOUT)
        except LoopStopped:
            pass
        except Exception as error:  # noqa: BLE001 - never into the SMTP server; raised by the next call
            self.errors.record(f"Message #{message.seq} could not be filed in the IMAP view: {error}", error)

    def _users_of(self, message: ReceivedMessage) -> Iterator[str]:
        for recipient in message.recipients:
            try:
                yield self.users.note_recipient(recipient)
            except InvalidUser:
                # SMTP accepts recipients that are no mail user's address (a quoted local part with a
                # space, '"john doe"@x', which normalise_address refuses): that copy is not filed, and
                # that is no failure of the view; the other recipients still get theirs.
                continue

    def message_dropped(self, message: ReceivedMessage) -> None:
        loop, store = self._loop, self._store
        if loop is None or store is None:
            return
        try:
            loop.run(store.drop(self.copies.dropped(message)), FILE_TIMEOUT)
        except LoopStopped:
            pass
        except Exception as error:  # noqa: BLE001
            self.errors.record(f"Message #{message.seq} could not be removed from the IMAP view: {error}", error)

    def mailbox_reset(self) -> None:
        loop, store = self._loop, self._store
        if loop is None or store is None:
            return
        try:
            loop.run(store.reset())
        except LoopStopped:
            pass
        except Exception as error:  # noqa: BLE001
            self.errors.record(f"The IMAP view could not be reset: {error}", error)

    # -- waits --------------------------------------------------------------------------------

    def should_have_flags(self, message: Any, *flags: str, timeout: float, user: str | None = None) -> list[CopyState]:
        self._running()
        return waits.wait_for_flags(self.copies, message, flags, timeout, user=user)

    def should_not_have_flags(
        self, message: Any, *flags: str, timeout: float, user: str | None = None
    ) -> list[CopyState]:
        self._running()
        return waits.wait_for_no_flags(self.copies, message, flags, timeout, user=user)

    def should_be_in_folder(
        self, message: Any, folder: str, timeout: float, user: str | None = None
    ) -> list[CopyState]:
        self._running()
        return waits.wait_in_folder(self.copies, message, folder, timeout, user=user)

    def should_be_expunged(self, message: Any, timeout: float, user: str | None = None) -> list[CopyState]:
        self._running()
        return waits.wait_expunged(self.copies, message, timeout, user=user)
