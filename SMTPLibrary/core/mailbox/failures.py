"""The words of failures about the mailbox: what arrived, what came closest, what did not match.

Every adapter raises these texts, so a failure reads the same in Robot, behave and pytest.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..mail import ReceivedMessage
from ..wording import format_duration, plural
from .matching import Criteria

LISTED_MESSAGES = 5
# Messages, each with the criteria it failed on.
Explained = list[tuple[ReceivedMessage, list[str]]]


def summary(message: ReceivedMessage) -> str:
    """One line: ``from a@example.com to b@example.com, subject 'Hello'``."""
    recipients = ", ".join(message.recipients) or "nobody"
    return f"from {message.sender or '<>'} to {recipients}, subject {message.subject!r}"


def arrived_report(messages: Sequence[ReceivedMessage], explained: Explained | None = None) -> str:
    """What did arrive, for a failure text. With the :func:`closest` messages, those come
    first, each with the criteria it failed on: the nearest miss is the first line."""
    if not messages:
        return "No message arrived."
    if explained is not None:
        lines = [f"{summary(message)}: {'; '.join(misses)}" for message, misses in explained]
        heading = f"{plural(len(messages), 'message')} arrived, closest first:"
    else:
        lines = [summary(message) for message in messages[-LISTED_MESSAGES:]]
        heading = f"{plural(len(messages), 'message')} arrived" + (
            f", the last {LISTED_MESSAGES}:" if len(messages) > LISTED_MESSAGES else ":"
        )
    numbered = [f"{index}) {line}" for index, line in enumerate(lines, 1)]
    return "\n".join([heading, *numbered])


def closest(messages: Sequence[ReceivedMessage], criteria: Criteria, limit: int = LISTED_MESSAGES) -> Explained:
    """The ``limit`` messages nearest to matching ``criteria``, each with the criteria it failed on:
    fewest failed criteria first; among equals, the newest first."""
    explained = [(message, criteria.misses(message)) for message in messages]
    explained.sort(key=lambda pair: (len(pair[1]), -pair[0].seq))
    return explained[:limit]


def not_received(criteria: Criteria, waited: float, messages: Sequence[ReceivedMessage], explained: Explained) -> str:
    """The failure of a wait; ``explained``: the :func:`closest` of ``messages``."""
    arrived = arrived_report(messages, explained if criteria else None)
    problems = "".join(f"{problem} " for problem in criteria.regexp_problems())
    return f"No message matching {criteria} arrived in {format_duration(waited)}. {problems}{arrived}"


def unexpected(criteria: Criteria, message: ReceivedMessage, within: float) -> str:
    when = f" within {format_duration(within)}" if within else ""
    # A match through a part of an address is likely the reason the test did not expect it.
    notes = "".join(f" Note: {note}." for note in criteria.partial_matches(message))
    return f"A message matching {criteria} arrived{when}: {summary(message)}.{notes}"


def count_mismatch(expected: int, messages: Sequence[ReceivedMessage], waited: float | None) -> str:
    actual = len(messages)
    if waited is None:
        head = f"Expected {plural(expected, 'message')} but {actual} had already arrived."
    else:
        head = f"Expected {plural(expected, 'message')} but {actual} arrived in {format_duration(waited)}."
    return f"{head} {arrived_report(messages)}"
