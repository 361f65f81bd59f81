"""The SMTP server with IMAP and POP3 doors to its mailbox: ``from SMTPLibrary import SMTPServer``.

Everything of :class:`~SMTPLibrary.core.smtp.SMTPCapture` (the SMTP side), plus the view of its mailbox
(:class:`~.view.MailView`), made when first asked for: a suite that never starts an
IMAP or POP3 server never imports pymap and pays nothing on the SMTP path.
"""

from __future__ import annotations

import ssl
from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from ..errors import InvalidArgument, NoServer
from ..mail import ReceivedMessage
from ..mailbox import Criteria
from ..smtp import DEFAULT_HOST, SMTPCapture
from ..smtp.server import reported_at_the_call
from ..smtp.tls import default_certificate
from ..values import port_number, seconds
from ..waiting import DEFAULT_TIMEOUT
from .copies import CopyState
from .deliver import delivered
from .users import MailUser
from .view import MailView


class SMTPServer(SMTPCapture):
    """An SMTP server in a background thread of this process, what it received, and IMAP and
    POP3 servers over it on demand (:meth:`start_imap`, :meth:`start_pop3`).

    Every envelope recipient of a captured message is a mail user whose ``INBOX`` holds
    the mail delivered to that address; see ``docs/imap-pop3.md``. IMAP and POP3 servers
    stop with the SMTP server."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._view: MailView | None = None

    @property
    def mail_view(self) -> MailView:
        """The IMAP and POP3 view of the mailbox (made on first use; it starts with its first server)."""
        if self._view is None:
            self._view = MailView(self.mailbox, self._tls_context)
        return self._view

    def _tls_context(self) -> ssl.SSLContext:
        # The SMTP server's own certificate when it has one, else the run's test certificate:
        # either way the CA clients already trust for SMTP.
        context = self.security.context
        return context if context is not None else default_certificate().context

    @property
    def imap_port(self) -> int | None:
        """The port of the last IMAP server started, ``None`` before."""
        return None if self._view is None else self._view.imap_port

    @property
    def pop3_port(self) -> int | None:
        """The port of the last POP3 server started, ``None`` before."""
        return None if self._view is None else self._view.pop3_port

    @property
    def imap_ca_certificate(self) -> str | None:
        """The PEM file of the CA behind the IMAP and POP3 servers' TLS (``None``: the user's own certificate)."""
        if self.security.context is not None:
            return self.security.ca_certificate
        return default_certificate().ca_certificate

    # -- servers -----------------------------------------------------------------------------

    @reported_at_the_call
    def start_imap(self, host: str = DEFAULT_HOST, port: int = 0, tls: str = "none") -> int:
        """Serve the mailbox over IMAP4rev1 on ``host:port`` (``0``: a free port); returns the port.

        ``tls``: ``none``, ``starttls`` (offered) or ``implicit`` (IMAPS), with the certificate
        the SMTP server has (the test certificate unless it was given its own)."""
        self._check_running("IMAP")
        return self.mail_view.start_imap(host, port_number(port), tls)

    @reported_at_the_call
    def start_pop3(self, host: str = DEFAULT_HOST, port: int = 0, tls: str = "none") -> int:
        """Serve every user's INBOX over POP3 on ``host:port``; returns the port. ``tls`` as for IMAP (STLS)."""
        self._check_running("POP3")
        return self.mail_view.start_pop3(host, port_number(port), tls)

    def _check_running(self, protocol: str) -> None:
        self.check()
        if not self.running:
            raise NoServer(f"The SMTP server on {self.address} is not running: start it before its {protocol} server.")

    def stop(self, timeout: float = 5.0) -> None:
        """Stop serving SMTP, and the IMAP and POP3 servers over the mailbox (their users stay)."""
        try:
            super().stop(timeout)
        finally:
            if self._view is not None:
                self._view.stop(f"The IMAP and POP3 view of the SMTP server on {self.address} was stopped.")

    def check(self) -> None:
        super().check()
        if self._view is not None:
            self._view.check()

    # -- users, mail, folders ----------------------------------------------------------------

    @reported_at_the_call
    def add_mail_user(self, address: str, password: str, login: str | None = None, *, owner: object = None) -> MailUser:
        """Let ``address`` log in over IMAP and POP3 with ``login`` (the address unless given) and
        ``password`` only; ``owner`` is who may :meth:`release_mail_users` it (a test, a suite)."""
        return self.mail_view.add_user(address, password, login, owner)

    def release_mail_users(self, owner: object) -> list[str]:
        """Remove the mail users added with ``owner``; returns their addresses."""
        return [] if self._view is None else self._view.release_users(owner)

    @reported_at_the_call
    def deliver(self, recipient: str, message: Any, sender: str | None = None) -> ReceivedMessage:
        """Store ``message`` as received for ``recipient`` alone, without SMTP; returns the stored message.

        It is in the one mailbox (waits and :meth:`get_messages` see it) and, from there, in the
        recipient's INBOX. ``message``: a stored message, bytes, a path to an ``.eml`` file or the
        text of a message; ``sender``: the envelope sender, the ``From`` address when not given."""
        self.check()
        stored = delivered(recipient, message, sender)
        self.mailbox.add(stored)
        self.mail_view.check()
        return stored

    @reported_at_the_call
    def mailbox_folders(self, address: str) -> list[str]:
        """The IMAP folders of ``address``: ``INBOX`` and those its clients created."""
        return self.mail_view.folders(address)

    @reported_at_the_call
    def newest_message_to(self, address: str, timeout: float | timedelta = DEFAULT_TIMEOUT) -> ReceivedMessage:
        """The newest message held for the envelope recipient ``address``, waiting up to ``timeout`` for one."""
        criteria = Criteria.from_strings(recipient=f"EQUALS:{address.strip()}")
        self.mailbox.wait_for(criteria, seconds(timeout))
        return self.mailbox.messages(criteria)[-1]

    # -- waits on what clients did -----------------------------------------------------------

    @reported_at_the_call
    def wait_for_flags(
        self, message: Any, *flags: str, timeout: float | timedelta = DEFAULT_TIMEOUT, user: str | None = None
    ) -> list[CopyState]:
        """Wait until ``message`` has every one of ``flags`` (``\\Seen``, ``\\Flagged``, a keyword...)
        in some folder (of ``user``'s copy, when given). Raises an ``AssertionError`` saying where it is."""
        return self.mail_view.should_have_flags(
            self._stored(message), *_flags(flags), timeout=seconds(timeout), user=user
        )

    @reported_at_the_call
    def wait_for_no_flags(
        self, message: Any, *flags: str, timeout: float | timedelta = DEFAULT_TIMEOUT, user: str | None = None
    ) -> list[CopyState]:
        """Wait until no copy of ``message`` has any of ``flags``."""
        return self.mail_view.should_not_have_flags(
            self._stored(message), *_flags(flags), timeout=seconds(timeout), user=user
        )

    @reported_at_the_call
    def wait_in_folder(
        self, message: Any, folder: str, timeout: float | timedelta = DEFAULT_TIMEOUT, user: str | None = None
    ) -> list[CopyState]:
        """Wait until ``message`` is in ``folder`` (moved or copied there by a client)."""
        return self.mail_view.should_be_in_folder(self._stored(message), folder, timeout=seconds(timeout), user=user)

    @reported_at_the_call
    def wait_expunged(
        self, message: Any, timeout: float | timedelta = DEFAULT_TIMEOUT, user: str | None = None
    ) -> list[CopyState]:
        """Wait until no copy of ``message`` is left in any folder (deleted and expunged, or POP3 DELE + QUIT)."""
        return self.mail_view.should_be_expunged(self._stored(message), timeout=seconds(timeout), user=user)

    def _stored(self, message: Any) -> Any:
        """The stored message ``message`` stands for: itself, or the one with its ``seq`` when it is the
        dictionary a remote keyword returned for it (the view knows messages by identity)."""
        if isinstance(message, ReceivedMessage):
            return message
        if isinstance(message, Mapping) and "seq" in message:
            seq = message["seq"]
            found = next((m for m in self.mailbox.messages() if str(m.seq) == str(seq)), None)
            if found is None:
                raise InvalidArgument(f"Message #{seq} is not in the mailbox of {self.address} (any more).")
            return found
        raise InvalidArgument(f"message must be a message a keyword returned, got {type(message).__name__}.")


def _flags(flags: tuple[str, ...]) -> tuple[str, ...]:
    if not flags:
        raise InvalidArgument("Give at least one flag: \\Seen, \\Answered, \\Flagged, \\Deleted, \\Draft or a keyword.")
    return flags
