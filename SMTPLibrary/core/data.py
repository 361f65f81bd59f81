"""Reading the DATA of a message in large chunks instead of line by line.

aiosmtpd reads DATA one line at a time, with a coroutine step, a list append
and a bytearray per line: for a 100 KB message, nine tenths of the server's
time, and about three times the message in memory at the end. This reader
asks asyncio's stream for everything up to the end-of-data line at once and
checks line lengths, the size limit and dot-stuffing on the whole message
afterwards, with the same outcome as aiosmtpd in every case (same replies,
same ``original_content``: utest/test_data.py compares the two on random
input): the same line-length and size limits, answered after the end of
data, in the order aiosmtpd would have met them. Once the reply is decided
(past the size limit, or inside a line already too long) the rest of the
data is read and dropped: a client cannot make the server hold more than
that, whatever it sends (hard/test_size_limit.py measures it).
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from aiosmtpd.smtp import MISSING, SMTP, syntax

log = logging.getLogger("mail.log")

END = b"\r\n.\r\n"
# The end-of-data line may start in bytes already read: their last bytes are then
# one of these beginnings of END, and the bytes still needed are few.
_STARTED = (b"\r\n.\r", b"\r\n.", b"\r\n", b"\r")
TOO_LONG = "500 Line too long (see RFC5321 4.5.3.1.6)"
TOO_MUCH = "552 Error: Too much mail data"


async def read_data(reader: asyncio.StreamReader, size_limit: int | None, line_limit: int) -> tuple[bytes, str | None]:
    """Everything up to the end-of-data line (dot-unstuffed) and the error reply due, if
    any. Reads nothing past the end-of-data line: pipelined commands stay in ``reader``."""
    chunks: list[bytes] = []
    size = 0
    tail = b"\r\n"  # the DATA command's line end: the end-of-data line may come first
    error: str | None = None
    discarding = False
    # Beyond this, the reply is decided (see _check); the rest is read and dropped.
    keep_up_to = None if not size_limit else size_limit + line_limit + 3
    # So is it once the line being read is too long, limit or not: a line that never ends costs no memory.
    line_so_far = 0
    while True:
        started = next((prefix for prefix in _STARTED if tail.endswith(prefix)), None)
        if started is not None:
            rest = END[len(started) :]
            chunk = await reader.readexactly(len(rest))
            done = chunk == rest
        else:
            try:
                chunk = await reader.readuntil(END)
                done = True
            except asyncio.LimitOverrunError as overrun:
                chunk = await reader.read(overrun.consumed)
                done = False
        if not discarding:
            chunks.append(chunk)
            last_end = chunk.rfind(b"\r\n")
            if last_end >= 0:
                line_so_far = len(chunk) - last_end - 2
            elif tail.endswith(b"\r") and chunk.startswith(b"\n"):
                line_so_far = len(chunk) - 1
            else:
                line_so_far += len(chunk)
        size += len(chunk)
        tail = (tail + chunk)[-4:]
        if not discarding and (line_so_far > line_limit + 2 or (keep_up_to is not None and size > keep_up_to)):
            error = _check(b"".join(chunks), size_limit, line_limit, complete=False)
            chunks.clear()
            discarding = True
        if done:
            break
    if discarding:
        return b"", error
    data = _without_end(chunks)
    del chunks
    error = _check(data, size_limit, line_limit, complete=True)
    if error:
        return b"", error
    # RFC 5321 4.5.2: a line that starts with a dot lost that dot (transparency).
    if data.startswith(b"."):
        data = data[1:]
    if b"\r\n." in data:
        data = data.replace(b"\r\n.", b"\r\n")
    return data, None


def _without_end(chunks: list[bytes]) -> bytes:
    """The chunks joined, without the final ``.\\r\\n`` (the CRLF before it is data)."""
    drop = 3
    while drop and chunks:
        last = chunks.pop()
        if len(last) > drop:
            chunks.append(last[:-drop])
            break
        drop -= len(last)
    return b"".join(chunks)


_WINDOW = 1 << 20


def _has_long_line(data: bytes, line_limit: int) -> bool:
    """Whether a CRLF-ended line of ``data`` is longer than ``line_limit`` (CRLF included),
    found by splitting windows of about a megabyte: C speed, and little memory."""
    if len(data) <= line_limit:
        return False
    start, end = 0, len(data)
    while start < end:
        stop = min(start + _WINDOW, end)
        if stop < end:
            cut = data.rfind(b"\r\n", start, stop)
            if cut < start:
                cut = data.find(b"\r\n", stop)  # one line longer than the window
            stop = end if cut < 0 else cut + 2
        if max(map(len, data[start:stop].split(b"\r\n"))) + 2 > line_limit:
            return True
        start = stop
    return False


def _check(data: bytes, size_limit: int | None, line_limit: int, complete: bool) -> str | None:
    """The error aiosmtpd would reply after reading ``data`` line by line, if any."""
    if complete and (not size_limit or len(data) <= size_limit) and not _has_long_line(data, line_limit):
        return None  # the everyday case, decided without a loop over the lines
    return _first_error(data, size_limit, line_limit, complete)


def _first_error(data: bytes, size_limit: int | None, line_limit: int, complete: bool) -> str | None:
    """The error aiosmtpd would reply after reading ``data`` line by line, if any.

    aiosmtpd meets, line after line: a line longer than its stream limit
    (``line_limit`` plus CRLF) at once -> too long; then the running size over
    ``size_limit`` -> too much; then a line longer than ``line_limit`` -> too long.
    The first one met decides. ``complete=False``: ``data`` may end inside a line."""
    if len(data) > line_limit:
        start = 0
        end_of_data = len(data)
        while start < end_of_data:
            cr = data.find(b"\r\n", start)
            end = end_of_data if cr < 0 else cr + 2
            length = end - start
            if cr < 0 and complete:
                break  # cannot happen: complete data ends with CRLF
            if length > line_limit:
                if length > line_limit + 2:
                    return TOO_LONG  # every line before it ended within the size limit
                if size_limit and end > size_limit:
                    return TOO_MUCH
                return TOO_LONG
            if size_limit and end > size_limit:
                return TOO_MUCH
            if cr < 0:
                break
            start = end
    if size_limit and len(data) > size_limit:
        return TOO_MUCH
    return None


class ChunkedData(SMTP):
    """aiosmtpd's SMTP with :func:`read_data` for DATA. The rest of DATA (checks before,
    the handler hook and replies after) is aiosmtpd's, step for step."""

    @syntax("DATA")
    async def smtp_DATA(self, arg: str) -> None:
        if "DATA" not in self._handle_hooks:
            # The deprecated process_message() API: leave it all to aiosmtpd.
            await super().smtp_DATA(arg)
            return
        if await self.check_helo_needed():
            return
        if await self.check_auth_needed("DATA"):
            return
        assert self.envelope is not None
        if not self.envelope.rcpt_tos:
            await self.push("503 Error: need RCPT command")
            return
        if arg:
            await self.push("501 Syntax: DATA")
            return
        await self.push("354 End data with <CR><LF>.<CR><LF>")
        try:
            original_content, error = await read_data(self._reader, self.data_size_limit, self.line_length_limit)
        except asyncio.CancelledError:
            log.info("Connection lost during DATA")
            self._writer.close()
            raise
        if error:
            await self.push(error)
            self._set_post_data_state()
            return
        content: Any = original_content
        if self._decode_data:
            if self.enable_SMTPUTF8:
                content = original_content.decode("utf-8", errors="surrogateescape")
            else:
                try:
                    content = original_content.decode("ascii", errors="strict")
                except UnicodeDecodeError:
                    await self.push("500 Error: strict ASCII mode")
                    return
        self.envelope.content = content
        self.envelope.original_content = original_content
        status = await self._call_handler_hook("DATA")
        self._set_post_data_state()
        await self.push("250 OK" if status is MISSING else status)
