"""Nothing is lost under load: every message stored once, byte for byte, with its envelope."""

from __future__ import annotations

import asyncio
import hashlib
import threading
from collections import Counter

from support import SCALE, send_many

from SMTPLibrary.core import Criteria

CLIENTS = 8
PER_CLIENT = 2000 * SCALE


def make_body(client: int, number: int) -> tuple[bytes, bytes]:
    """(bytes on the wire, bytes the server must store): distinct, with a line that needs dot-stuffing."""
    digest = hashlib.sha256(f"{client}/{number}".encode()).hexdigest()
    stored = (
        f"From: client{client}@load.test\r\nSubject: load {client}-{number}\r\n\r\n"
        f"{digest}\r\n.starts with a dot\r\n8-bit: \xe9\r\n"
    ).encode("latin-1")
    wire = stored.replace(b"\r\n.", b"\r\n..")
    return wire, stored


def test_every_message_is_stored_exactly_once_and_byte_for_byte(server):
    expected = Counter()
    batches = []
    for client in range(CLIENTS):
        batch = []
        for number in range(PER_CLIENT):
            wire, stored = make_body(client, number)
            expected[hashlib.sha256(stored).hexdigest()] += 1
            batch.append((f"client{client}@load.test", [f"rcpt{client}@load.test", "all@load.test"], wire))
        batches.append(batch)

    # Waiters for messages spread over the run, started before any mail: they must all wake.
    wanted = [(client, number) for client in range(CLIENTS) for number in (0, PER_CLIENT // 2, PER_CLIENT - 1)]
    found = {}

    def wait(client: int, number: int) -> None:
        criteria = Criteria.from_strings(subject=f"EQUALS:load {client}-{number}")
        found[(client, number)] = server.mailbox.wait_for(criteria, 300)

    waiters = [threading.Thread(target=wait, args=key) for key in wanted]
    for waiter in waiters:
        waiter.start()

    async def load() -> None:
        await asyncio.gather(*(send_many(server.host, server.port, batch) for batch in batches))

    asyncio.run(load())
    for waiter in waiters:
        waiter.join(300)

    messages = server.mailbox.messages()
    assert len(messages) == CLIENTS * PER_CLIENT
    stored = Counter(hashlib.sha256(message.raw).hexdigest() for message in messages)
    assert stored == expected
    for message in messages:
        client = int(message.sender.removeprefix("client").split("@")[0])
        assert message.recipients == [f"rcpt{client}@load.test", "all@load.test"]
        assert message.raw.startswith(f"From: client{client}@load.test\r\n".encode())
    assert sorted(found) == sorted(wanted)
    for (client, number), message in found.items():
        assert message.subject == f"load {client}-{number}"
