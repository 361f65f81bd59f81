"""The application that reads mail in the keyword reference's IMAP examples: a help desk.

Its keywords stand for the application under test there: each logs in over
IMAP (with Python's imaplib, as any IMAP client would) as a mail user of the
current server and does one pass over that user's INBOX, as the help desk
does each time it polls: it turns each mail into a ticket (marks it read and
moves it to a folder), answers it, or deletes it.
"""

from __future__ import annotations

import imaplib

from robot.api.deco import keyword, library

SUPPORT = "support@example.com"


@library(scope="GLOBAL")
class ExampleHelpdesk:
    @keyword("Start Helpdesk")
    def start_helpdesk(
        self, imap_port: int, user: str = SUPPORT, password: str = SUPPORT, folder: str = "Tickets"
    ) -> None:
        """One pass of the help desk: every mail in ``user``'s INBOX is marked read and ``$Processed``
        and moved to ``folder``."""
        with _inbox(imap_port, user, password) as client:
            client.create(folder)
            client.uid("STORE", "1:*", "+FLAGS", r"(\Seen $Processed)")
            client.uid("MOVE", "1:*", folder)

    @keyword("Answer Support Mail")
    def answer_support_mail(self, imap_port: int, user: str = SUPPORT, password: str = SUPPORT) -> None:
        """Every mail in ``user``'s INBOX is read, answered and ``$Processed``, and stays there."""
        with _inbox(imap_port, user, password) as client:
            client.uid("STORE", "1:*", "+FLAGS", r"(\Seen \Answered $Processed)")

    @keyword("Delete Support Mail")
    def delete_support_mail(self, imap_port: int, user: str = SUPPORT, password: str = SUPPORT) -> None:
        """Every mail in ``user``'s INBOX is deleted and expunged."""
        with _inbox(imap_port, user, password) as client:
            client.uid("STORE", "1:*", "+FLAGS", r"(\Deleted)")
            client.expunge()


class _inbox:
    """``user``'s INBOX over IMAP, selected, logged out at the end."""

    def __init__(self, port: int, user: str, password: str) -> None:
        self.client = imaplib.IMAP4("127.0.0.1", int(port), timeout=10)
        self.client.login(user, password)
        self.client.select("INBOX")

    def __enter__(self) -> imaplib.IMAP4:
        return self.client

    def __exit__(self, *exc_info: object) -> None:
        self.client.logout()
