"""How values are written into failures, logs and reports, the same way everywhere."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


def format_address(host: str, port: int) -> str:
    """``host:port`` as a client writes it: ``[::1]:25`` for an IPv6 address."""
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def peer_address(peer: Any) -> str | None:
    """A client's ``(host, port, ...)`` as an address; ``None`` when it is not such a pair."""
    if isinstance(peer, (tuple, list)) and len(peer) >= 2:
        return format_address(str(peer[0]), peer[1])
    return None


def label(message: Any) -> str:
    """How a failure names a message: ``Message #3`` when it was received, ``The message``
    for one that has no sequence number (read from a file, or enclosed in another)."""
    return f"Message #{message.seq}" if message.seq else "The message"


def plural(count: int, noun: str, many: str | None = None, spec: str = "") -> str:
    """``1 message``, ``2 messages``; ``many`` for nouns that do not just take an s (``entry``,
    ``entries``); ``spec`` formats the number (``","``: ``12,345 bytes``)."""
    return f"{count:{spec}} " + (noun if count == 1 else many or noun + "s")


def format_duration(seconds: float) -> str:
    """``5`` -> ``'5 seconds'``, ``0.5`` -> ``'500 milliseconds'``, ``1`` -> ``'1 second'``."""
    if 0 < seconds < 1:
        milliseconds = round(seconds * 1000)
        return f"{milliseconds:g} millisecond" + ("" if milliseconds == 1 else "s")
    seconds = round(seconds, 3)
    return f"{seconds:g} second" + ("" if seconds == 1 else "s")


def shorten(text: str, limit: int = 60) -> str:
    """``text`` on one line (runs of white space made one space), cut to ``limit`` characters."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def quoted_list(values: Sequence[str], limit: int) -> str:
    """``'a', 'b' and 3 more``: the first ``limit`` values quoted, and how many are left out."""
    shown = ", ".join(repr(value) for value in values[:limit])
    return shown + (f" and {len(values) - limit} more" if len(values) > limit else "")
