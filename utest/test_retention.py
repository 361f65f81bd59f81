"""max_messages: the oldest messages are dropped so that a long-running server stays bounded."""

from __future__ import annotations

import smtplib

import pytest

from SMTPLibrary.core import Criteria, InvalidArgument, Mailbox, ReceivedMessage, SMTPServer


def message(number: int) -> ReceivedMessage:
    return ReceivedMessage(f"Subject: {number}\r\n\r\n".encode(), "a@example.com", ["b@example.com"])


def test_the_oldest_messages_are_dropped_beyond_max_messages():
    mailbox = Mailbox(max_messages=3)
    for number in range(1, 6):
        mailbox.add(message(number))
    assert [m.subject for m in mailbox.messages()] == ["3", "4", "5"]
    assert [m.seq for m in mailbox.messages()] == [3, 4, 5]
    assert mailbox.count() == 3


def test_waits_see_new_messages_after_old_ones_were_dropped():
    mailbox = Mailbox(max_messages=1)
    mailbox.open()
    for number in range(1, 4):
        mailbox.add(message(number))
    assert mailbox.wait_for(Criteria.literal(subject="3"), 0).seq == 3
    mailbox.wait_for_count(1, 0)


def test_without_max_messages_nothing_is_dropped():
    mailbox = Mailbox()
    for number in range(100):
        mailbox.add(message(number))
    assert mailbox.count() == 100


@pytest.mark.parametrize("value", [0, -1, 2.5, "10", True, False])
def test_max_messages_must_be_a_positive_number(value):
    with pytest.raises(InvalidArgument, match=r"max_messages must be a positive number of messages, or None"):
        Mailbox(max_messages=value)


def test_the_server_passes_max_messages_to_its_mailbox():
    with SMTPServer(max_messages=2) as server:
        for number in range(3):
            with smtplib.SMTP(server.host, server.port) as client:
                client.sendmail("a@example.com", ["b@example.com"], f"Subject: {number}\r\n\r\n")
        assert [m.subject for m in server.mailbox.messages()] == ["1", "2"]


def test_max_messages_goes_to_the_mailbox_when_one_is_given():
    with pytest.raises(InvalidArgument, match="Give max_messages, maildir, mbox, latest and stores to the Mailbox"):
        SMTPServer(mailbox=Mailbox(), max_messages=2)
