"""Words and HTML about messages: failure texts and log summaries.

Both adapters show these, so a failure reads the same in Robot and behave.
Everything that comes from a message is escaped before it enters HTML.
"""

from __future__ import annotations

from collections.abc import Sequence

from .matching import Criteria
from .message import ReceivedMessage

LISTED_MESSAGES = 5
# Messages, each with the criteria it failed on.
Explained = list[tuple[ReceivedMessage, list[str]]]


def format_duration(seconds: float) -> str:
    """``5`` -> ``'5 seconds'``, ``0.5`` -> ``'500 milliseconds'``, ``1`` -> ``'1 second'``."""
    if 0 < seconds < 1:
        return f"{round(seconds * 1000):g} milliseconds"
    seconds = round(seconds, 3)
    return f"{seconds:g} second" + ("" if seconds == 1 else "s")


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}" + ("" if count == 1 else "s")


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
    return f"No message matching {criteria} arrived in {format_duration(waited)}. {arrived}"


def unexpected(criteria: Criteria, message: ReceivedMessage, within: float) -> str:
    when = f" within {format_duration(within)}" if within else ""
    return f"A message matching {criteria} arrived{when}: {summary(message)}."


def count_mismatch(expected: int, messages: Sequence[ReceivedMessage], waited: float | None) -> str:
    actual = len(messages)
    if waited is None:
        head = f"Expected {plural(expected, 'message')} but {actual} had already arrived."
    else:
        head = f"Expected {plural(expected, 'message')} but {actual} arrived in {format_duration(waited)}."
    return f"{head} {arrived_report(messages)}"
