"""A small asyncio SMTP load generator, for machines without postfix's smtp-source.

Run as its own process (``python -m bench.client PORT SESSIONS COUNT SIZE SUBJECT``)
so that it never competes with the server under test for the GIL. Like
smtp-source, it opens one connection per message, ``SESSIONS`` at a time.
"""

from __future__ import annotations

import asyncio
import sys
import time

SENDER = "sender@example.com"
RECIPIENT = "rcpt@example.com"


def message(size: int, subject: str, number: int = 0) -> bytes:
    """Headers plus ``size`` bytes of body in 80-byte lines (dot-free: no stuffing needed)."""
    head = (
        f"From: <{SENDER}>\r\nTo: <{RECIPIENT}>\r\nSubject: {subject}\r\n"
        f"Message-Id: <{number}.bench@example.com>\r\n\r\n"
    ).encode()
    line = b"X" * 78 + b"\r\n"
    body = line * (size // len(line)) + b"X" * (size % len(line))
    return head + body + (b"" if body.endswith(b"\r\n") else b"\r\n")


class Refused(Exception):
    pass


async def _reply(reader: asyncio.StreamReader, expected: bytes) -> None:
    while True:
        line = await reader.readline()
        if not line.startswith(expected):
            raise Refused(f"expected {expected.decode()}, got {line!r}")
        if line[3:4] != b"-":
            return


async def send_one(port: int, data: bytes) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        await _reply(reader, b"220")
        for command, code in (
            (b"EHLO bench.example.com", b"250"),
            (f"MAIL FROM:<{SENDER}>".encode(), b"250"),
            (f"RCPT TO:<{RECIPIENT}>".encode(), b"250"),
            (b"DATA", b"354"),
        ):
            writer.write(command + b"\r\n")
            await _reply(reader, code)
        writer.write(data + b".\r\n")
        await _reply(reader, b"250")
        writer.write(b"QUIT\r\n")
        await _reply(reader, b"221")
    finally:
        writer.close()


async def send_all(port: int, sessions: int, count: int, size: int, subject: str) -> None:
    data = message(size, subject)
    left = iter(range(count))

    async def session() -> None:
        for _ in left:
            await send_one(port, data)

    await asyncio.gather(*(session() for _ in range(sessions)))


def main(argv: list[str]) -> int:
    port, sessions, count, size = (int(value) for value in argv[:4])
    start = time.perf_counter()
    asyncio.run(send_all(port, sessions, count, size, argv[4]))
    print(f"seconds {time.perf_counter() - start:.6f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
