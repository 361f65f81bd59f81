"""Keywords that make the current server refuse, delay or drop, and show what clients did about it."""

from __future__ import annotations

from datetime import timedelta

from robot.api import logger
from robot.api.deco import keyword

from ..core.smtp.faults import Rule, Session
from .context import LibraryContext
from .converters import RetryCount


class FaultKeywords(LibraryContext):
    @keyword("Set SMTP Reply")
    def set_smtp_reply(
        self,
        stage: str,
        code: int,
        text: str | None = None,
        count: int = 1,
        sender: str | None = None,
        recipient: str | None = None,
    ) -> None:
        """Makes the current server answer ``code`` and ``text`` at ``stage``, instead of its normal reply.

        ``stage`` is one of the `Fault injection` stages: ``CONNECT``, ``EHLO``,
        ``MAIL``, ``RCPT``, ``DATA``, ``DATA_END``, ``AUTH``, ``STARTTLS``.

        ``code`` 4xx refuses for now (the client should retry later), 5xx refuses
        for good; the command has no effect, and a message refused at
        ``DATA_END`` is not stored. ``421`` also closes the connection. A
        success code keeps the command's effect and only changes the reply's
        text: ``220`` at ``CONNECT``, ``250`` at ``MAIL`` and ``DATA_END``,
        ``250`` or ``251`` at ``RCPT``.

        ``text`` defaults to the wording of RFC 5321 for the code; a newline
        in it makes a multi-line reply.

        ``count`` is how many times the rule fires; ``0`` means every time until
        `Clear SMTP Faults`. ``sender`` and ``recipient`` are conditions, written
        like `criteria`; ``recipient`` works at ``RCPT`` only.

        | Set SMTP Reply | RCPT     | 452 | count=2 | recipient=bob@example.com |
        | Set SMTP Reply | DATA_END | 451 | 4.7.1 Greylisted, try again later |
        | Set SMTP Reply | DATA_END | 250 | 2.0.0 Ok: queued as 4F2A1 | count=0 |
        | Set SMTP Reply | CONNECT  | 421 | Too busy, try again later |
        """
        self._added(self.server().faults.reply(stage, code, text, count, sender=sender, recipient=recipient))

    @keyword("Set SMTP Delay")
    def set_smtp_delay(
        self,
        stage: str,
        delay: timedelta,
        count: int = 1,
        sender: str | None = None,
        recipient: str | None = None,
    ) -> None:
        """Makes the current server wait ``delay`` at ``stage`` before it carries on.

        The wait happens before the reply of that stage, which is otherwise
        normal (or comes from a `Set SMTP Reply` or `Set SMTP Disconnect` rule for
        the same stage). Other connections are served meanwhile. A message
        delayed at ``DATA_END`` is stored once, when the wait is over; if the
        client gives up during the wait, it is not stored.

        ``delay`` is a `time format` such as ``2 s`` or ``500 ms``. ``count``,
        ``sender`` and ``recipient`` work as in `Set SMTP Reply`.

        | Set SMTP Delay | DATA_END | 3 s |
        | Set SMTP Delay | RCPT     | 500 ms | count=0 | recipient=slow@example.com |
        """
        self._added(self.server().faults.delay(stage, delay.total_seconds(), count, sender=sender, recipient=recipient))

    @keyword("Set SMTP Disconnect")
    def set_smtp_disconnect(
        self,
        stage: str,
        count: int = 1,
        sender: str | None = None,
        recipient: str | None = None,
    ) -> None:
        """Makes the current server close the connection at ``stage`` without replying.

        Nothing of an unfinished message is stored: dropped at ``DATA_END``,
        the message was received but never accepted. ``count``, ``sender`` and
        ``recipient`` work as in `Set SMTP Reply`.

        | Set SMTP Disconnect | DATA_END |
        | Set SMTP Disconnect | CONNECT  | count=3 |
        """
        self._added(self.server().faults.disconnect(stage, count, sender=sender, recipient=recipient))

    @keyword("Clear SMTP Faults")
    def clear_smtp_faults(self) -> None:
        """Removes every fault rule of the current server: it behaves normally again.

        Rate limits, chaos and stalls go too (`Set SMTP Rate Limit`, `Set SMTP
        Chaos`, `Set SMTP Stall`); hidden extensions and TLS versions, being
        options of the server, stay.

        `Reset Mailbox` leaves the rules alone; stopping the server keeps them
        for its next start.

        | Set SMTP Reply    | MAIL | 421 | count=0 |
        | Clear SMTP Faults |      |     |         |
        | Register User     | alice@example.com |  |  |
        | [Teardown]        | Clear SMTP Faults |  |  |
        """
        self.server().faults.clear()

    @keyword("Get SMTP Transcript")
    def get_smtp_transcript(self) -> list[Session]:
        """Returns what clients sent and what the server replied, one session per connection, newest last.

        Each session has ``commands`` (the client's lines), ``replies`` (the
        server's lines), ``text`` (everything, a line each: ``C: MAIL
        FROM:<a@example.com>``, ``S: 250 OK``, ``D:`` for message data, ``*:``
        for a fault that fired), ``entries``, ``number``, ``peer`` and
        ``dropped``. See `Fault injection` for what is kept and what is masked.
        The transcript is logged.

        | Set SMTP Reply      | RCPT | 451 | count=2 |
        | Send The Newsletter |      |     |         |
        | ${sessions} =      | Get SMTP Transcript |
        | Length Should Be   | ${sessions}         | 3 |
        | Should Contain     | ${sessions[0].replies} | 451 Requested action aborted: local error in processing |
        | Should Contain     | ${sessions[-1].text}   | S: 250 OK |
        """
        sessions = self.server().transcript.sessions()
        self.log_sessions(sessions)
        return sessions

    @keyword("SMTP Client Should Have Retried")
    def smtp_client_should_have_retried(self, count: RetryCount, timeout: timedelta | None = None) -> None:
        """Waits until the client has retried exactly ``count`` times, and fails if it retried more.

        An attempt is a ``MAIL`` command, or a session refused or dropped
        before any ``MAIL``; the client retried once less than it attempted.
        See `Fault injection` for the exact definition. Waits up to ``timeout``
        (the library's default when not given) for retries still to come,
        and fails at once when there were already more. The failure lists
        the attempts and how each ended.

        | Set SMTP Reply                  | RCPT | 451 | count=2 |
        | Send The Newsletter             |      |     |         |
        | SMTP Client Should Have Retried | 2    |     |         |
        """
        server = self.server()
        try:
            server.wait_for_retries(count, self.seconds(timeout))
        except AssertionError:
            self.log_sessions(server.transcript.sessions())
            raise

    def _added(self, rule: Rule) -> None:
        logger.info(f"Fault rule added: {rule}.")
