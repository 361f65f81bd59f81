"""Helpers of the hardening suite: the load scale, and raw SMTP over a socket for
tests that must send what no polite client would."""

from __future__ import annotations

import asyncio
import os
import socket
from dataclasses import dataclass

# `make stress` sets SMTPLIBRARY_STRESS=1: every load is ten times larger.
SCALE = 10 if os.environ.get("SMTPLIBRARY_STRESS") else 1


@dataclass
class Reply:
    code: int
    lines: list[bytes]

    @property
    def text(self) -> str:
        return b"\n".join(self.lines).decode("utf-8", "replace")


class Wire:
    """A client that sends bytes as given and reads whole (multi-line) replies."""

    def __init__(self, host: str, port: int, timeout: float = 10.0) -> None:
        self.sock = socket.create_connection((host, port), timeout=timeout)
        self.reader = self.sock.makefile("rb")

    def reply(self) -> Reply:
        lines = []
        while True:
            line = self.reader.readline()
            if not line:
                raise ConnectionError("server closed the connection")
            lines.append(line.rstrip(b"\r\n"))
            if line[3:4] != b"-":
                return Reply(int(line[:3]), lines)

    def send(self, data: bytes) -> None:
        self.sock.sendall(data)

    def command(self, line: bytes) -> Reply:
        self.send(line + b"\r\n")
        return self.reply()

    def close(self) -> None:
        self.reader.close()
        self.sock.close()

    def __enter__(self) -> Wire:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def transaction(wire: Wire, sender: str, recipients: list[str], body: bytes) -> Reply:
    """MAIL, RCPT..., DATA with ``body`` sent as is (it must already be dot-stuffed and end in CRLF)."""
    assert wire.command(f"MAIL FROM:<{sender}>".encode()).code == 250
    for recipient in recipients:
        assert wire.command(f"RCPT TO:<{recipient}>".encode()).code == 250
    assert wire.command(b"DATA").code == 354
    wire.send(body + b".\r\n")
    return wire.reply()


async def _reply(reader: asyncio.StreamReader) -> int:
    while True:
        line = await reader.readline()
        if not line:
            raise ConnectionError("server closed the connection")
        if line[3:4] != b"-":
            return int(line[:3])


async def send_many(host: str, port: int, messages: list[tuple[str, list[str], bytes]]) -> None:
    """Send each (sender, recipients, body) in one session, as fast as the protocol allows."""
    reader, writer = await asyncio.open_connection(host, port)
    try:
        assert await _reply(reader) == 220
        writer.write(b"EHLO load.test\r\n")
        assert await _reply(reader) == 250
        for sender, recipients, body in messages:
            writer.write(f"MAIL FROM:<{sender}>\r\n".encode())
            assert await _reply(reader) == 250
            for recipient in recipients:
                writer.write(f"RCPT TO:<{recipient}>\r\n".encode())
                assert await _reply(reader) == 250
            writer.write(b"DATA\r\n")
            assert await _reply(reader) == 354
            writer.write(body + b".\r\n")
            code = await _reply(reader)
            assert code == 250, code
        writer.write(b"QUIT\r\n")
        await _reply(reader)
    finally:
        writer.close()
        await writer.wait_closed()
