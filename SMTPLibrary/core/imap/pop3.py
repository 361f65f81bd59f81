"""A small POP3 server (RFC 1939, CAPA/RESP-CODES of RFC 2449, STLS of RFC 2595) over a user's INBOX.

USER/PASS, STAT, LIST, RETR, DELE, RSET, NOOP, QUIT, UIDL, TOP, CAPA, STLS; implicit TLS
with ``tls="implicit"``. The maildrop is the INBOX of the IMAP view's store, seen through
:class:`Maildrops`: a session works on the messages that were there at login, DELE only
marks, and QUIT commits (marked messages are expunged from the INBOX, retrieved ones get
\\Seen, as Dovecot does); a dropped connection commits nothing. Sessions of one user are not
locked against each other (RFC 1939's exclusive lock is what Dovecot leaves off by default,
``pop3_lock_session = no``): an application that reconnects at once after a dropped connection
would otherwise get ``-ERR [IN-USE]`` until the server noticed the drop. A message expunged by
another session answers ``-ERR`` on RETR. Answers follow Dovecot's wording.
No pymap here: the store is reached only through :class:`Maildrops`.
"""

from __future__ import annotations

import asyncio
import ssl
from collections.abc import Callable
from typing import Protocol

from .loop import Connections, Listener

GREETING = b"+OK SMTPLibrary POP3 server ready.\r\n"
LINE_LIMIT = 1024  # RFC 2449: 255 octets for a command; some slack for long user names
BAD_COMMAND_LIMIT = 10
IDLE_TIMEOUT = 600.0  # RFC 1939: an autologout timer of at least 10 minutes


class Item(Protocol):
    uid: int
    size: int
    unique_id: str


class Maildrops(Protocol):
    async def inbox(self, address: str) -> list[Item]: ...
    async def inbox_raw(self, address: str, uid: int) -> bytes | None: ...
    async def commit(self, address: str, seen: set[int], deleted: set[int]) -> None: ...


Authenticate = Callable[[str, str], "str | None"]  # (login, password) -> address or None


def stuff(raw: bytes) -> bytes:
    """The message as sent after ``+OK``: CRLF lines, a leading dot doubled, ending in CRLF."""
    lines = raw.split(b"\r\n")
    if lines and lines[-1] == b"":
        lines.pop()
    return b"".join((b"." + line if line.startswith(b".") else line) + b"\r\n" for line in lines)


def top(raw: bytes, count: int) -> bytes:
    """The header, the blank line and the first ``count`` lines of the body."""
    head, separator, body = raw.partition(b"\r\n\r\n")
    if not separator:
        return raw
    lines = body.split(b"\r\n")[:count] if count else []
    return head + b"\r\n\r\n" + b"".join(line + b"\r\n" for line in lines)


class _Session:
    def __init__(
        self,
        reader,
        writer,
        maildrops: Maildrops,
        authenticate: Authenticate,
        tls: str,
        ssl_context: ssl.SSLContext | None,
    ) -> None:
        self.reader, self.writer = reader, writer
        self.maildrops, self.authenticate = maildrops, authenticate
        self.can_stls = tls == "starttls"
        self.tls_active = tls == "implicit"
        self.ssl_context = ssl_context
        self.login: str | None = None
        self.address: str | None = None
        self.items: list[Item] = []
        self.deleted: set[int] = set()  # message numbers
        self.retrieved: set[int] = set()

    async def send(self, line: bytes | str) -> None:
        if isinstance(line, str):
            line = line.encode("utf-8")
        self.writer.write(line if line.endswith(b"\r\n") else line + b"\r\n")
        await self.writer.drain()

    def capabilities(self) -> list[str]:
        caps = ["CAPA", "TOP", "UIDL", "RESP-CODES", "PIPELINING", "AUTH-RESP-CODE", "USER"]
        if self.can_stls and not self.tls_active and self.address is None:
            caps.append("STLS")
        caps.append("IMPLEMENTATION SMTPLibrary")
        return caps

    async def run(self) -> None:
        self.writer.write(GREETING)
        bad = 0
        while True:
            try:
                raw = await asyncio.wait_for(self.reader.readline(), IDLE_TIMEOUT)
            except asyncio.TimeoutError:
                await self.send("-ERR Disconnected for inactivity.")
                return
            except ValueError:  # longer than the reader's limit
                await self.send("-ERR Line too long.")
                return
            if not raw:
                return  # the client went away: no UPDATE state, nothing committed
            line = raw.rstrip(b"\r\n").decode("utf-8", "surrogateescape")
            command, _, argument = line.partition(" ")
            handler = getattr(self, "do_" + command.upper(), None) if command.isalpha() else None
            if handler is None:
                ok = False
                await self.send("-ERR Unknown command.")
            else:
                ok = await handler(argument)
                if ok is None:  # QUIT, or a terminal failure
                    return
            bad = 0 if ok else bad + 1
            if bad >= BAD_COMMAND_LIMIT:
                await self.send("-ERR Too many bad commands.")
                return

    # -- AUTHORIZATION ---------------------------------------------------------------

    async def do_CAPA(self, argument: str) -> bool:
        await self.send("+OK\r\n" + "".join(cap + "\r\n" for cap in self.capabilities()) + ".")
        return True

    async def do_STLS(self, argument: str) -> bool | None:
        if not self.can_stls:
            await self.send("-ERR Unknown command.")
            return False
        if self.tls_active:
            await self.send("-ERR TLS is already active.")
            return False
        if self.address is not None:
            await self.send("-ERR STLS is only allowed before authentication.")
            return False
        await self.send("+OK Begin TLS negotiation now.")
        try:
            await self.writer.start_tls(self.ssl_context)
        except (ssl.SSLError, ConnectionError, OSError):
            return None
        self.tls_active = True
        self.login = None
        return True

    async def do_USER(self, argument: str) -> bool:
        if self.address is not None:
            await self.send("-ERR Already logged in.")
            return False
        if not argument.strip():
            await self.send("-ERR USER needs a user name.")
            return False
        self.login = argument.strip()
        await self.send("+OK")  # whether the user exists is told only after PASS
        return True

    async def do_PASS(self, argument: str) -> bool:
        if self.address is not None:
            await self.send("-ERR Already logged in.")
            return False
        if self.login is None:
            await self.send("-ERR No user name given: USER first.")
            return False
        login, self.login = self.login, None
        address = self.authenticate(login, argument)
        if address is None:
            await self.send("-ERR [AUTH] Authentication failed.")
            return False
        try:
            self.items = list(await self.maildrops.inbox(address))
        except Exception:  # noqa: BLE001
            await self.send("-ERR [SYS/TEMP] Cannot open the mailbox.")
            return False
        self.address = address
        await self.send("+OK Logged in.")
        return True

    async def do_QUIT(self, argument: str) -> None:
        if self.address is None:
            await self.send("+OK Logging out.")
            return None
        deleted = {self.items[n - 1].uid for n in self.deleted}
        seen = {self.items[n - 1].uid for n in self.retrieved}
        try:
            await self.maildrops.commit(self.address, seen, deleted)
        except Exception:  # noqa: BLE001
            await self.send("-ERR [SYS/TEMP] Some deleted messages were not removed.")
            return None
        await self.send("+OK Logging out, messages deleted." if deleted else "+OK Logging out.")
        return None

    # -- TRANSACTION -----------------------------------------------------------------------

    async def _logged_in(self) -> bool:
        if self.address is None:
            await self.send("-ERR Not logged in: USER and PASS first.")
            return False
        return True

    async def _number(self, text: str) -> int | None:
        """The message number in ``text``, after sending the -ERR when there is none."""
        text = text.strip()
        if not text.isdigit():
            await self.send("-ERR Invalid message number: " + (text or "none given") + ".")
            return None
        number = int(text)
        if not 1 <= number <= len(self.items):
            await self.send(f"-ERR There's no message {number}.")
            return None
        if number in self.deleted:
            await self.send(f"-ERR Message {number} is deleted.")
            return None
        return number

    def _live(self) -> list[int]:
        return [n for n in range(1, len(self.items) + 1) if n not in self.deleted]

    async def do_STAT(self, argument: str) -> bool:
        if not await self._logged_in():
            return False
        live = self._live()
        await self.send(f"+OK {len(live)} {sum(self.items[n - 1].size for n in live)}")
        return True

    async def do_LIST(self, argument: str) -> bool:
        return await self._listing(argument, lambda n: str(self.items[n - 1].size))

    async def do_UIDL(self, argument: str) -> bool:
        return await self._listing(argument, lambda n: self.items[n - 1].unique_id)

    async def _listing(self, argument: str, value: Callable[[int], str]) -> bool:
        if not await self._logged_in():
            return False
        if argument.strip():
            number = await self._number(argument)
            if number is None:
                return False
            await self.send(f"+OK {number} {value(number)}")
            return True
        live = self._live()
        await self.send(f"+OK {len(live)} messages:\r\n" + "".join(f"{n} {value(n)}\r\n" for n in live) + ".")
        return True

    async def _raw(self, number: int) -> bytes | None:
        raw = await self.maildrops.inbox_raw(self.address, self.items[number - 1].uid)
        if raw is None:
            await self.send(f"-ERR Message {number} was expunged by another session.")
        return raw

    async def do_RETR(self, argument: str) -> bool:
        if not await self._logged_in():
            return False
        number = await self._number(argument)
        if number is None or (raw := await self._raw(number)) is None:
            return False
        self.retrieved.add(number)
        await self.send(f"+OK {len(raw)} octets\r\n".encode() + stuff(raw) + b".")
        return True

    async def do_TOP(self, argument: str) -> bool:
        if not await self._logged_in():
            return False
        number_text, _, count_text = argument.strip().partition(" ")
        if not count_text.strip().isdigit():
            await self.send("-ERR TOP needs a message number and a number of lines.")
            return False
        number = await self._number(number_text)
        if number is None or (raw := await self._raw(number)) is None:
            return False
        await self.send(b"+OK\r\n" + stuff(top(raw, int(count_text))) + b".")
        return True

    async def do_DELE(self, argument: str) -> bool:
        if not await self._logged_in():
            return False
        number = await self._number(argument)
        if number is None:
            return False
        self.deleted.add(number)
        await self.send("+OK Marked to be deleted.")
        return True

    async def do_RSET(self, argument: str) -> bool:
        if not await self._logged_in():
            return False
        self.deleted.clear()
        await self.send("+OK")
        return True

    async def do_NOOP(self, argument: str) -> bool:
        if not await self._logged_in():
            return False
        await self.send("+OK")
        return True


async def listen_pop3(
    maildrops: Maildrops,
    authenticate: Authenticate,
    host: str = "127.0.0.1",
    port: int = 0,
    tls: str = "none",
    ssl_context: ssl.SSLContext | None = None,
) -> Listener:
    """Serve POP3 on ``host:port`` (0: a free port) on the running loop. ``tls``: none, starttls, implicit."""
    if tls != "none" and ssl_context is None:
        raise ValueError(f"tls={tls} needs an ssl_context.")
    connections = Connections()

    async def connection(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await _Session(reader, writer, maildrops, authenticate, tls, ssl_context).run()

    server = await asyncio.start_server(
        connections.track(connection, tls=ssl_context if tls == "implicit" else None), host, port, limit=LINE_LIMIT
    )
    return Listener(server, server.sockets[0].getsockname()[1], connections)
