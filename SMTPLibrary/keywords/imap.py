"""Keywords of the IMAP and POP3 view: servers over the captured mail, mail users, delivered
mail, and waits on what the application's mail client did to a message."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from robot.api import logger
from robot.api.deco import keyword

from ..core import ReceivedMessage, SMTPServer
from ..core.imap import require_imap
from ..core.smtp import DEFAULT_HOST
from ..core.wording import format_address
from .context import LibraryContext
from .security import Password, given_certificate, reveal


class IMAPKeywords(LibraryContext):
    def _view_server(self, smtp_alias: str | None = None) -> SMTPServer:
        # Said before anything else: on Python 3.10 or without the extra, one sentence on what to install.
        require_imap()
        return self.server(smtp_alias)

    def _start_view(self, protocol: str, host: str, port: int, tls: str, smtp_alias: str | None) -> int:
        server = self._view_server(smtp_alias)
        start = server.start_imap if protocol == "IMAP" else server.start_pop3
        bound = start(host, port, tls)
        logger.info(
            f"{protocol} server listening on {format_address(host, bound)} (tls={tls}) over the mailbox of "
            f"{server.address}."
        )
        return bound

    @keyword("Start IMAP Server")
    def start_imap_server(
        self, host: str = DEFAULT_HOST, port: int = 0, tls: str = "none", smtp_alias: str | None = None
    ) -> int:
        """Starts an IMAP server over the mailbox of the current SMTP server and returns its port.

        ``smtp_alias`` names another SMTP server whose mailbox to serve.

        Every envelope recipient of a captured message is a mail user whose
        ``INBOX`` holds the mail delivered to that address (see `IMAP and POP3`).
        The server speaks IMAP4rev1 with IDLE, UIDPLUS and MOVE, listens on
        ``host`` (``127.0.0.1``: this machine only) and ``port`` (``0``: a free
        port), and stops with its SMTP server.

        ``tls`` is ``none``, ``starttls`` (offered to clients) or ``implicit``
        (IMAPS, TLS from the first byte), with the certificate of the SMTP
        server: clients verify it with `Get SMTP Server CA Certificate`
        (or `Get IMAP Server CA Certificate` when the SMTP server has no TLS).

        Needs Python 3.11 or newer and the ``imap`` extra:
        ``pip install 'robotframework-smtplibrary[imap]'``.

        | ${port} =         | Start IMAP Server |
        | ${imaps} =        | Start IMAP Server | tls=implicit |
        | Start SMTP Server | alias=second      |
        | ${second} =       | Start IMAP Server | smtp_alias=second |
        """
        return self._start_view("IMAP", host, port, tls, smtp_alias)

    @keyword("Start POP3 Server")
    def start_pop3_server(
        self, host: str = DEFAULT_HOST, port: int = 0, tls: str = "none", smtp_alias: str | None = None
    ) -> int:
        """Starts a POP3 server over the mailbox of the current SMTP server (or ``smtp_alias``) and returns its port.

        Each mail user's maildrop is its ``INBOX`` (see `IMAP and POP3`).
        RFC 1939 with UIDL, TOP and CAPA; ``tls=starttls`` offers STLS,
        ``tls=implicit`` is POP3S. ``DELE`` takes effect at ``QUIT``, when
        the messages retrieved with ``RETR`` also get ``\\Seen``; a dropped
        connection changes nothing. Other arguments as in `Start IMAP Server`.

        | ${port} =    | Start POP3 Server |
        | ${port} =    | Start POP3 Server | tls=starttls |
        """
        return self._start_view("POP3", host, port, tls, smtp_alias)

    @keyword("Get IMAP Server CA Certificate")
    def get_imap_server_ca_certificate(self, smtp_alias: str | None = None) -> str:
        """Returns the PEM file of the CA behind the TLS of the IMAP and POP3 servers.

        The same file as `Get SMTP Server CA Certificate` when the SMTP server
        has TLS; the run's test CA otherwise. Fails when the SMTP server uses a
        ``certificate`` given to `Start SMTP Server`: its CA is yours to give.

        | ${ca} =    | Get IMAP Server CA Certificate |
        """
        server = self._view_server(smtp_alias)
        path = server.imap_ca_certificate
        if path is None:
            raise given_certificate(server)
        return path

    @keyword("Add Mail User")
    def add_mail_user(self, address: str, password: Password, login: str | None = None) -> None:
        """Lets ``address`` log in over IMAP and POP3 with ``login`` (the address unless given) and ``password``.

        An added user logs in with these only (its address no longer works as
        its password). A user added in a test is removed when the test ends; one
        added in a suite setup stays for the suite's tests (see `IMAP and POP3`).
        ``password`` may be a Robot ``Secret``.

        | Add Mail User | support@example.com | s3cret |
        | Add Mail User | support@example.com | s3cret | login=support |
        """
        server = self._view_server()
        user = server.add_mail_user(address, reveal(password), login, owner=self.servers.owner)
        logger.info(f"Mail user {user.address} logs in as '{user.login}'.")

    @keyword("Deliver Message")
    def deliver_message(self, recipient: str, message: Any, sender: str | None = None) -> ReceivedMessage:
        """Puts ``message`` into ``recipient``'s ``INBOX`` without SMTP and returns the stored message.

        ``message`` is a message returned by another keyword, a path to an
        ``.eml`` file, or the text of a message (bare line feeds become CRLF).
        It is stored in the current server's mailbox as received for
        ``recipient`` alone, from ``sender`` (the ``From`` address when not
        given): `Get Messages` and the waits see it, and so do IMAP and POP3
        clients.

        | ${question} = | Deliver Message | support@example.com | ${CURDIR}/question.eml |
        | ${note} =     | Deliver Message | support@example.com | Subject: Help\\n\\nFire! | sender=alice@example.com |
        | Deliver Message | bob@example.com | ${msg} |
        """
        server = self._view_server()
        stored = server.deliver(recipient, message, sender)
        logger.info(f"Delivered message #{stored.seq} '{stored.subject}' to {recipient}.")
        self.log_messages([stored])
        return stored

    @keyword("Get Mailbox Folders")
    def get_mailbox_folders(self, address: str) -> list[str]:
        """Returns the IMAP folders of the mail user ``address``: ``INBOX`` and those its clients created.

        A user that neither received mail nor logged in has none yet (an empty list).

        | ${port} =           | Start IMAP Server   |
        | Deliver Message     | support@example.com | ${CURDIR}/question.eml |
        | Start Helpdesk      | ${port}             |
        | ${folders} =        | Get Mailbox Folders | support@example.com |
        | Should Contain      | ${folders}          | Tickets |
        """
        return self._view_server().mailbox_folders(address)

    @keyword("IMAP Message Should Have Flags")
    def imap_message_should_have_flags(
        self, message: ReceivedMessage, *flags: str, timeout: timedelta | None = None, user: str | None = None
    ) -> None:
        """Waits until ``message`` has every one of ``flags`` in the IMAP view.

        Flags are ``\\Seen``, ``\\Answered``, ``\\Flagged``, ``\\Deleted``,
        ``\\Draft`` (written with two backslashes in Robot data) or keywords
        such as ``$Forwarded``. Waits up to ``timeout`` (the library's
        default) for an application that works asynchronously. For a message
        with several recipients, one copy having them is enough unless
        ``user`` names whose copy.

        | ${port} =                      | Start IMAP Server |
        | ${msg} =                       | Deliver Message   | support@example.com | ${CURDIR}/question.eml |
        | Answer Support Mail            | ${port}           |
        | IMAP Message Should Have Flags | ${msg}            | \\\\Seen |
        | IMAP Message Should Have Flags | ${msg}            | \\\\Answered | $Processed | timeout=10 s |
        """
        self._view_server().wait_for_flags(message, *flags, timeout=self.seconds(timeout), user=user)

    @keyword("IMAP Message Should Not Have Flags")
    def imap_message_should_not_have_flags(
        self, message: ReceivedMessage, *flags: str, timeout: timedelta | None = None, user: str | None = None
    ) -> None:
        """Waits until no copy of ``message`` has any of ``flags`` (see `IMAP Message Should Have Flags`).

        | ${port} =                          | Start IMAP Server |
        | ${msg} =                           | Deliver Message   | support@example.com | ${CURDIR}/question.eml |
        | IMAP Message Should Not Have Flags | ${msg}            | \\\\Seen | \\\\Deleted |
        """
        self._view_server().wait_for_no_flags(message, *flags, timeout=self.seconds(timeout), user=user)

    @keyword("Message Should Be In Folder")
    def message_should_be_in_folder(
        self, message: ReceivedMessage, folder: str, timeout: timedelta | None = None, user: str | None = None
    ) -> None:
        """Waits until ``message`` is in the IMAP folder ``folder``, for applications that file mail.

        A message moved there, or copied there (``COPY``, then ``\\Deleted``
        and ``EXPUNGE`` in the INBOX, as older clients move), is in it.
        ``INBOX`` ignores case; other names are exact. ``user`` as in
        `IMAP Message Should Have Flags`.

        | ${port} =                   | Start IMAP Server |
        | ${msg} =                    | Deliver Message   | support@example.com | ${CURDIR}/question.eml |
        | Start Helpdesk              | ${port}           |
        | Message Should Be In Folder | ${msg}            | Tickets |
        | Message Should Be In Folder | ${msg}            | Tickets | timeout=10 s |
        """
        self._view_server().wait_in_folder(message, folder, timeout=self.seconds(timeout), user=user)

    @keyword("Message Should Be Expunged")
    def message_should_be_expunged(
        self, message: ReceivedMessage, timeout: timedelta | None = None, user: str | None = None
    ) -> None:
        """Waits until no copy of ``message`` is left in any folder: deleted and expunged over IMAP,
        or deleted over POP3 (``DELE`` and ``QUIT``).

        A message marked ``\\Deleted`` but not expunged yet is not expunged,
        and the failure says so.

        | ${port} =                  | Start IMAP Server |
        | ${msg} =                   | Deliver Message   | support@example.com | ${CURDIR}/question.eml |
        | Delete Support Mail        | ${port}           |
        | Message Should Be Expunged | ${msg}            |
        """
        self._view_server().wait_expunged(message, timeout=self.seconds(timeout), user=user)
