"""Chaos replayed: 1,000 messages (10,000 with `make stress`) under random failures with a fixed
seed give the same refusals twice, compared transcript against transcript; another seed does not."""

from __future__ import annotations

import smtplib

from support import SCALE

from SMTPLibrary.core import SMTPServer

MESSAGES = 1000 * SCALE
PER_CONNECTION = 10  # one session holds ten transactions: well within what a transcript session keeps


def soak(seed: int, messages: int = MESSAGES) -> tuple[list[str], list[str]]:
    """One client sending ``messages`` one after the other, ten per connection, against chaos with
    ``seed``; the transcript of every session, and the subjects stored."""
    texts = []
    with SMTPServer() as server:
        server.faults.chaos(0.1, "451, 452, 554", "MAIL, RCPT, DATA_END", seed=seed)
        for connection in range(messages // PER_CONNECTION):
            with smtplib.SMTP("127.0.0.1", server.port, local_hostname="soak.test", timeout=10) as client:
                for number in range(PER_CONNECTION):
                    subject = f"Message {connection * PER_CONNECTION + number}"
                    try:
                        client.sendmail("app@example.com", ["bob@example.com"], f"Subject: {subject}\r\n\r\nHi\r\n")
                    except (smtplib.SMTPSenderRefused, smtplib.SMTPRecipientsRefused, smtplib.SMTPDataError):
                        pass  # the soak goes on, as an application with a queue would
            # The transcript keeps the last 50 sessions: each is read once it has ended.
            ended = server.transcript.wait(
                lambda found, number=connection + 1: (
                    found[-1] if found and found[-1].number == number and found[-1].ended else None
                ),
                10,
            ).result
            assert ended is not None, server.transcript.sessions()[-1]
            texts.append(ended.text)
        subjects = [message.subject for message in server.mailbox.messages()]
    return texts, subjects


def refusals(texts: list[str]) -> list[str]:
    return [line for text in texts for line in text.splitlines() if line.startswith(("S: 4", "S: 5"))]


def test_a_fixed_seed_gives_the_same_refusals_twice_and_another_seed_others():
    first, stored = soak(42)
    again, stored_again = soak(42)
    assert first == again  # every session, line for line: commands, replies, and the chaos notes
    assert stored == stored_again
    refused = refusals(first)
    # About one command in ten at each of three stages: the run did fail, at every stage.
    assert 0.15 * MESSAGES < len(refused) < 0.4 * MESSAGES
    assert {line.split()[1] for line in refused} == {"451", "452", "554"}
    assert len(stored) == MESSAGES - len(refused)
    other, _ = soak(43, messages=100)
    assert other != first[:10]
