"""Keywords that read the current server's mailbox and wait for mail."""

from __future__ import annotations

from datetime import timedelta

from robot.api import logger
from robot.api.deco import keyword

from ..core import MessageNotReceived, ReceivedMessage
from ..core.values import seconds
from .context import LibraryContext
from .converters import MessageCount


class MailboxKeywords(LibraryContext):
    @keyword("Reset Mailbox")
    def reset_mailbox(self) -> None:
        """Empties the current server's mailbox and forgets its `transcript`.

        Fault rules stay: see `Clear SMTP Faults`.

        A Maildir, mbox or latest file given to `Start SMTP Server` is
        emptied too (every message in it, not only this run's).

        | Reset Mailbox |
        """
        self.server().reset()

    @keyword("Get Message Count")
    def get_message_count(self) -> int:
        """Returns the number of messages in the current server's mailbox, without waiting.

        | ${count} = | Get Message Count |
        """
        return self.server().mailbox.count()

    @keyword("Message Count Should Be")
    def message_count_should_be(self, expected: MessageCount, timeout: timedelta | None = None) -> None:
        """Waits until the mailbox holds exactly ``expected`` messages.

        Waits up to ``timeout`` (the library's default when not given) and
        fails at once when more than ``expected`` messages are already there.

        | Register User           | alice@example.com |
        | Register User           | bob@example.com   |
        | Message Count Should Be | 2 |
        | Reset Mailbox           |   |
        | Message Count Should Be | 0 | timeout=0 s |
        """
        self.server().mailbox.wait_for_count(expected, self.seconds(timeout))

    @keyword("Get Messages")
    def get_messages(
        self,
        pattern: str | None = None,
        sender: str | None = None,
        recipient: str | None = None,
        subject: str | None = None,
        body: str | None = None,
        header: str | list[str] | None = None,
        authenticated_as: str | None = None,
        tls: str | None = None,
        attachment: str | None = None,
        link: str | None = None,
    ) -> list[ReceivedMessage]:
        """Returns the messages matching the given `criteria`, oldest first, without waiting.

        With no criteria, returns every message in the mailbox.

        | Register User       | bob@example.com |
        | Send The Newsletter |                 |
        | ${messages} =       | Get Messages | recipient=bob@example.com |
        | Length Should Be    | ${messages}  | 2 |
        | Should Be Equal     | ${messages[0].subject} | Welcome |
        """
        criteria = self.criteria(locals())
        messages = self.server().mailbox.messages(criteria)
        logger.info(f"{len(messages)} of the stored messages match {criteria}.")
        self.log_matches(criteria, messages)
        self.log_messages(messages)
        return messages

    @keyword("Message Should Be Received Matching")
    def message_should_be_received_matching(
        self,
        pattern: str | None = None,
        sender: str | None = None,
        recipient: str | None = None,
        subject: str | None = None,
        body: str | None = None,
        header: str | list[str] | None = None,
        authenticated_as: str | None = None,
        tls: str | None = None,
        attachment: str | None = None,
        link: str | None = None,
        timeout: timedelta | None = None,
    ) -> ReceivedMessage:
        """Waits for a message matching the given `criteria` and returns the first one.

        Messages already in the mailbox count: the oldest match is returned at
        once. Otherwise the keyword waits up to ``timeout`` (the library's
        default when not given) and returns as soon as a matching message
        arrives. The failure names the criteria, the time waited, and the
        messages that did arrive, closest first, each with the criteria it
        failed on.

        | Register User       | alice@example.com |
        | ${msg} =            | Message Should Be Received Matching | subject=Welcome | recipient=alice@example.com |
        | Should Contain      | ${msg.text}  | Hello Alice |
        | Message Should Be Received Matching | From: .*\\nTo: alice@ | timeout=10 s |
        """
        criteria = self.criteria(locals())
        server = self.server()
        try:
            message = server.mailbox.wait_for(criteria, self.seconds(timeout))
        except MessageNotReceived as failure:
            self.log_nearest(failure)
            raise
        self.log_matches(criteria, [message])
        self.log_messages([message])
        return message

    @keyword("Message Should Not Be Received Matching")
    def message_should_not_be_received_matching(
        self,
        pattern: str | None = None,
        sender: str | None = None,
        recipient: str | None = None,
        subject: str | None = None,
        body: str | None = None,
        header: str | list[str] | None = None,
        authenticated_as: str | None = None,
        tls: str | None = None,
        attachment: str | None = None,
        link: str | None = None,
        within: timedelta = timedelta(0),
    ) -> None:
        """Fails if a message matching the given `criteria` is in the mailbox, or arrives within ``within``.

        With the default ``within=0 s`` only the messages already received are
        checked. A positive ``within`` keeps watching for that long, returning
        early if the server is stopped.

        | Message Should Not Be Received Matching | recipient=bob@example.com |
        | Message Should Not Be Received Matching | subject=Password reset | within=1 s |
        """
        criteria = self.criteria(locals())
        server = self.server()
        try:
            server.mailbox.assert_none(criteria, seconds(within, "within"))
        except AssertionError:
            self.log_messages(server.mailbox.messages(criteria)[:1])
            raise
