"""Property-based: random SMTP sessions of valid and invalid commands. After each,
the server still answers, and it stored exactly the messages it acknowledged."""

from __future__ import annotations

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from support import SCALE, Wire

from SMTPLibrary.core import SMTPServer

ADDRESSES = st.sampled_from(["a@example.com", "b@example.com", "ü@bücher.example", "x+y@example.com", ""])
LINE_TEXT = st.text(alphabet=st.sampled_from("ab .\tZé"), max_size=40)
GARBAGE = st.binary(max_size=80).map(lambda data: data.replace(b"\r", b"").replace(b"\n", b""))

COMMAND = st.one_of(
    st.builds(lambda name: f"EHLO {name}".encode(), st.sampled_from(["client.test", "x"])),
    st.builds(lambda name: f"HELO {name}".encode(), st.sampled_from(["client.test", "y"])),
    st.builds(lambda address: f"MAIL FROM:<{address}>".encode(), ADDRESSES),
    st.builds(lambda address: f"RCPT TO:<{address}>".encode(), ADDRESSES),
    st.sampled_from([b"RSET", b"NOOP", b"VRFY a@example.com", b"HELP", b"EXPN x", b"MAIL", b"RCPT", b"DATA x"]),
    GARBAGE,
    st.just(b"NOOP " + b"n" * 600),
)
DATA_BODY = st.lists(LINE_TEXT, max_size=8).map(lambda lines: "".join(line + "\r\n" for line in lines).encode())
VALID_ADDRESS = st.sampled_from(["a@example.com", "ü@bücher.example", "x+y@example.com"])
TRANSACTION = st.tuples(VALID_ADDRESS, st.lists(VALID_ADDRESS, min_size=1, max_size=3), DATA_BODY).map(
    lambda parts: [
        ("command", f"MAIL FROM:<{parts[0]}>".encode()),
        *[("command", f"RCPT TO:<{address}>".encode()) for address in parts[1]],
        ("data", parts[2]),
    ]
)
# A step is one command, a DATA attempt, or a whole transaction (so that many
# sessions store something), freely interleaved.
STEPS = st.lists(
    st.one_of(
        COMMAND.map(lambda command: [("command", command)]),
        DATA_BODY.map(lambda body: [("data", body)]),
        TRANSACTION,
    ),
    max_size=20,
).map(lambda groups: [("command", b"EHLO client.test")] * bool(groups) + [step for group in groups for step in group])


def play(server: SMTPServer, steps: list[tuple[str, bytes]]) -> list[bytes]:
    """Run the session; return the bodies the server acknowledged with 250 after DATA."""
    acknowledged = []
    with Wire(server.host, server.port) as wire:
        assert wire.reply().code == 220
        try:
            for kind, payload in steps:
                if kind == "command":
                    assert 200 <= wire.command(payload).code < 600
                    continue
                if wire.command(b"DATA").code != 354:
                    continue
                stuffed = b"".join(
                    b"." + line if line.startswith(b".") else line for line in payload.splitlines(keepends=True)
                )
                wire.send(stuffed + b".\r\n")
                if wire.reply().code == 250:
                    acknowledged.append(payload)
        except ConnectionError:
            pass  # the server may hang up on too many bogus commands; nothing pending is lost
    return acknowledged


@settings(
    max_examples=60 * SCALE,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=STEPS)
def test_random_sessions_store_exactly_what_was_acknowledged(server, steps):
    server.mailbox.reset()
    acknowledged = play(server, steps)
    event(
        f"{min(len(acknowledged), 3)}+ messages acknowledged"
        if len(acknowledged) >= 3
        else f"{len(acknowledged)} acknowledged"
    )
    with Wire(server.host, server.port) as wire:
        assert wire.reply().code == 220
        assert wire.command(b"NOOP").code == 250
    assert [message.raw for message in server.mailbox.messages()] == acknowledged
