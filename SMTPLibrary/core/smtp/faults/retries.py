"""How often a client tried to send, read from the transcript: what ``SMTP Client Should Have Retried`` counts."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ...errors import RetryCountMismatch
from ...values import whole_number
from ...wording import format_duration, plural
from .transcript import CLIENT, DATA, SERVER, Session, Transcript

DROPPED = "connection dropped by the server"
LISTED_ATTEMPTS = 10


@dataclass(frozen=True)
class Attempt:
    """One try of the client to send: a transaction, or a session refused before MAIL."""

    session: Session
    command: str | None
    outcome: str

    def __str__(self) -> str:
        what = self.command or "before MAIL"
        return f"session {self.session.number} from {self.session.address}: {what} -> {self.outcome}"


@dataclass
class _Transaction:
    """What a ``MAIL`` command led to, as the dialogue goes on."""

    mail: str
    refusal: str | None = None  # the first 4xx or 5xx reply
    final: str | None = None  # the reply to the message data
    data_sent: bool = False


def _code(line: str) -> int:
    return int(line[:3]) if line[:3].isdigit() else 0


def _verb(text: str) -> str:
    words = text.split(None, 1)
    return words[0].upper() if words else ""


def find_attempts(sessions: Sequence[Session]) -> list[Attempt]:
    """Every attempt of a client to send, oldest first. The definition:

    * each ``MAIL`` command is an attempt (one per transaction), whatever the reply;
    * a session without any ``MAIL`` is an attempt when the server refused
      something in it (a 4xx or 5xx reply: a refused greeting, EHLO, AUTH,
      STARTTLS) or dropped it: the client tried and was stopped before it
      could name the sender;
    * other sessions (a connection check, a NOOP and QUIT) are no attempt.

    The client retried ``len(attempts) - 1`` times. Each attempt's outcome is
    the first refusal (4xx/5xx) it got, else the reply to its message data,
    else how it ended.
    """
    return [attempt for session in sessions for attempt in _session_attempts(session)]


def _session_attempts(session: Session) -> list[Attempt]:
    transactions: list[_Transaction] = []
    current: _Transaction | None = None
    refused_before_mail = None
    for entry in session.entries:
        if entry.direction == CLIENT and _verb(entry.text) == "MAIL":
            current = _Transaction(entry.text)
            transactions.append(current)
        elif current is None:
            if entry.direction == SERVER and _code(entry.text) >= 400 and refused_before_mail is None:
                refused_before_mail = entry.text
        elif entry.direction == DATA:
            current.data_sent = entry.finished
        elif entry.direction == SERVER:
            if _code(entry.text) >= 400:
                current.refusal = current.refusal or entry.text
            elif current.data_sent and current.final is None:
                current.final = entry.text
    if not transactions:
        if refused_before_mail or session.dropped:
            return [Attempt(session, None, refused_before_mail or DROPPED)]
        return []
    result = []
    for number, transaction in enumerate(transactions, 1):
        ending = "no message sent"
        if number == len(transactions):
            ending = DROPPED if session.dropped else "still going on" if session.ended is None else ending
        result.append(Attempt(session, transaction.mail, transaction.refusal or transaction.final or ending))
    return result


def wait_for_retries(transcript: Transcript, expected: int, timeout: float) -> list[Attempt]:
    """Wait until the client has retried exactly ``expected`` times (see :func:`find_attempts`).

    Fails at once when it already retried more often, and after ``timeout``
    seconds when it retried less. Returns the attempts."""
    whole_number(expected, "The number of retries must be 0 or more")

    def reached(sessions: list[Session]) -> list[Attempt] | None:
        attempts = find_attempts(sessions)
        if len(attempts) - 1 > expected:
            raise RetryCountMismatch(retry_mismatch(expected, attempts, None))
        return attempts if len(attempts) - 1 == expected else None

    attempts = transcript.wait(reached, timeout).result
    if attempts is None:
        raise RetryCountMismatch(retry_mismatch(expected, find_attempts(transcript.sessions()), timeout))
    return attempts


def retry_mismatch(expected: int, attempts: Sequence[Attempt], waited: float | None) -> str:
    """The failure text of a retry count that does not match."""
    head = f"The client should have retried {plural(expected, 'time')}"
    if not attempts:
        return f"{head} but made no attempt to send in {format_duration(waited or 0)}."
    retried = plural(len(attempts) - 1, "time")
    if waited is None:
        head += f" but had already retried {retried}."
    else:
        head += f" but retried {retried} in {format_duration(waited)}."
    shown = attempts[-LISTED_ATTEMPTS:]
    heading = plural(len(attempts), "attempt") + (f", the last {len(shown)}:" if len(shown) < len(attempts) else ":")
    first = len(attempts) - len(shown) + 1
    lines = [f"{first + n}) {attempt}" for n, attempt in enumerate(shown)]
    return "\n".join([f"{head} {heading}", *lines])
