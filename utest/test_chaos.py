"""Chaos: random failures drawn from a generator of the rule's own, the same for the same seed.

hard/test_chaos_replay.py replays a 1,000-message run and compares the transcripts.
"""

import smtplib

import pytest

from SMTPLibrary.core import InvalidArgument
from SMTPLibrary.core.smtp.faults import Chaos

SOURCE = b"From: app@example.com\r\nSubject: Hello\r\n\r\nHello.\r\n"


def draws(chaos, stages, rounds=200):
    return [None if reply is None else reply.code for _ in range(rounds) for reply in map(chaos.draw, stages)]


def test_the_same_seed_gives_the_same_failures_and_another_seed_others():
    stages = ["MAIL", "RCPT", "RCPT", "DATA_END"]
    first = draws(Chaos(0.3, "451, 452", "RCPT, DATA_END", seed=42), stages)
    assert first == draws(Chaos(0.3, [451, 452], ["RCPT", "DATA_END"], seed=42), stages)
    assert first != draws(Chaos(0.3, "451, 452", "RCPT, DATA_END", seed=43), stages)
    # Commands at other stages take no draw and never fail.
    assert all(code is None for code in first[::4])
    failed = [code for code in first if code]
    assert set(failed) == {451, 452}
    assert 0.2 < len(failed) / 600 < 0.4


def test_probability_zero_never_fails_one_always_does():
    assert set(draws(Chaos(0, seed=1), ["RCPT"], 50)) == {None}
    assert set(draws(Chaos(1, 554, seed=1), ["RCPT"], 50)) == {554}
    assert Chaos("20%", seed=1).probability == 0.2


def test_without_a_seed_one_is_chosen_and_kept_to_replay():
    chaos = Chaos(0.5)
    assert isinstance(chaos.seed, int)
    assert draws(chaos, ["RCPT"]) == draws(Chaos(0.5, seed=chaos.seed), ["RCPT"])
    assert str(chaos) == f"chaos failing 50% of RCPT commands with 451, seed {chaos.seed}"


@pytest.mark.parametrize(
    ("arguments", "error"),
    [
        ({"probability": 20}, "probability must be a number from 0 to 1 (0.2 fails one command in five), or a "),
        ({"probability": "often"}, "probability must be a number from 0 to 1"),
        ({"probability": 0.1, "codes": 250}, "Chaos fails commands: give 4xx codes (the client should retry, e.g. "),
        ({"probability": 0.1, "codes": "451, soon"}, "codes must be reply codes like 451 or 554, got 'soon'."),
        ({"probability": 0.1, "codes": ""}, "codes must name at least one, got ''."),
        ({"probability": 0.1, "stages": "HELLO"}, "Unknown SMTP stage 'HELLO': expected one of CONNECT, EHLO, "),
        ({"probability": 0.1, "seed": -1}, "seed must be a whole number, 0 or more, got -1."),
    ],
)
def test_arguments_are_checked_when_the_chaos_is_set(server, arguments, error):
    with pytest.raises(InvalidArgument) as failure:
        server.faults.chaos(**arguments)
    assert str(failure.value).startswith(error)
    assert server.faults.chaos_rules == ()


def outcomes(server, count):
    result = []
    for _ in range(count):
        try:
            with smtplib.SMTP("127.0.0.1", server.port, timeout=5) as client:
                client.sendmail("app@example.com", ["bob@example.com"], SOURCE)
            result.append("sent")
        except smtplib.SMTPRecipientsRefused as refused:
            result.append(str(refused.recipients["bob@example.com"][0]))
    return result


def test_through_the_server_a_seed_replays_the_same_refusals_and_the_transcript_names_it(server):
    server.faults.chaos(0.5, seed=7)
    first = outcomes(server, 12)
    server.faults.clear()
    server.reset()
    server.faults.chaos(0.5, seed=7)
    assert outcomes(server, 12) == first
    assert {"sent", "451"} == set(first)
    assert server.mailbox.count() == first.count("sent")
    noted = [
        entry.text for session in server.transcript.sessions() for entry in session.entries if entry.direction == "*"
    ]
    assert noted == ["fault at RCPT: reply 451 by chaos (seed 7)"] * first.count("451")


def test_explicit_rules_fire_first(server):
    server.faults.chaos(1, 451, seed=1)
    server.faults.reply("RCPT", 550, "No such user")
    with smtplib.SMTP("127.0.0.1", server.port, timeout=5) as client:
        with pytest.raises(smtplib.SMTPRecipientsRefused) as refused:
            client.sendmail("app@example.com", ["bob@example.com"], SOURCE)
    assert refused.value.recipients["bob@example.com"] == (550, b"No such user")
    assert server.faults.chaos_rules[0].drawn == 0
