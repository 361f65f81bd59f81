"""Matching time over many stored messages, for a sender, a subject and a body criterion.

Messages are put in a Mailbox the way the server stores them (a
ReceivedMessage with the raw bytes), without SMTP: the network is not what is
measured here. The criterion matches one message near the end, so the whole
mailbox is scanned. The reference is the floor of any implementation: a list
comprehension testing the same regular expression against a list of strings
extracted beforehand.
"""

from __future__ import annotations

import re
import time

from SMTPLibrary.core import Criteria, Mailbox, ReceivedMessage


def raw_message(number: int) -> bytes:
    return (
        f"From: User {number} <user{number}@example.com>\r\n"
        f"To: <rcpt@example.com>\r\n"
        f"Subject: Order {number} confirmed\r\n"
        f"Message-Id: <{number}@example.com>\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n"
        "\r\n"
        f"Hello user {number},\r\nyour order {number} is on its way.\r\n"
    ).encode()


def fill(count: int) -> Mailbox:
    mailbox = Mailbox()
    for number in range(count):
        mailbox.add(ReceivedMessage(raw_message(number), f"user{number}@example.com", ["rcpt@example.com"]))
    return mailbox


CRITERIA = {
    # name: (criterion for the keyword, regular expression for the floor, field for the floor)
    "sender": lambda n: {"sender": f"^user{n}@example\\.com$"},
    "subject": lambda n: {"subject": f"^Order {n} confirmed$"},
    "body": lambda n: {"body": f"your order {n} is"},
}

FLOOR_VALUES = {
    "sender": lambda n: f"user{n}@example.com",
    "subject": lambda n: f"Order {n} confirmed",
    "body": lambda n: f"Hello user {n},\nyour order {n} is on its way.\n",
}


def measure(mailbox: Mailbox, count: int, kind: str, repeats: int) -> list[float]:
    """Seconds for ``Get Messages``'s core call with one criterion over the whole mailbox."""
    target = count - 2
    criteria = Criteria.from_strings(**CRITERIA[kind](target))
    times = []
    for _ in range(repeats):
        began = time.perf_counter()
        found = mailbox.messages(criteria)
        times.append(time.perf_counter() - began)
        if len(found) != 1 or found[0].seq != target + 1:
            raise AssertionError(f"{kind} criterion found {found!r}")
    return times


def floor(count: int, kind: str, repeats: int) -> list[float]:
    values = [FLOOR_VALUES[kind](number) for number in range(count)]
    search = re.compile(next(iter(CRITERIA[kind](count - 2).values()))).search
    times = []
    for _ in range(repeats):
        began = time.perf_counter()
        found = [value for value in values if search(value)]
        times.append(time.perf_counter() - began)
        assert len(found) == 1
    return times
