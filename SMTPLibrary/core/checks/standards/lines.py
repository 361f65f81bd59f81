"""Checks of the raw lines: length, bare CR and bare LF (the parser hides all three)."""

from __future__ import annotations

from collections.abc import Iterator

from ...wording import plural
from .message import Message, Problem, problem

MAX_LINE = 998  # octets, without the CRLF (RFC 5322 2.1.1)
_SHOWN = 5


def check(message: Message) -> Iterator[Problem]:
    long_lines: list[tuple[int, int]] = []
    bare_lf: list[int] = []
    bare_cr: list[int] = []
    raw = message.raw
    start = 0
    number = 0
    size = len(raw)
    while start < size:
        number += 1
        end = raw.find(b"\n", start)
        if end < 0:
            line = raw[start:]
            start = size
        else:
            if end == start or raw[end - 1] != 0x0D:
                bare_lf.append(number)
                line = raw[start:end]
            else:
                line = raw[start : end - 1]
            start = end + 1
        if len(line) > MAX_LINE:
            long_lines.append((number, len(line)))
        if b"\r" in line:
            bare_cr.append(number)
    if long_lines:
        numbers = [number for number, _ in long_lines]
        longest = max(length for _, length in long_lines)
        yield problem(
            "line.too-long",
            f"line {numbers[0]}",
            f"{plural(len(numbers), 'line')} {_are(numbers)} longer than {MAX_LINE} octets ({_numbers(numbers)}; "
            f"the longest has {longest})",
        )
    if bare_lf:
        every = len(bare_lf) == number or (len(bare_lf) == number - 1 and not raw.endswith(b"\n"))
        scope = (
            "every line ends" if every else f"{plural(len(bare_lf), 'line')} {'ends' if len(bare_lf) == 1 else 'end'}"
        )
        yield problem("line.bare-lf", f"line {bare_lf[0]}", f"{scope} with a bare LF, not CRLF ({_numbers(bare_lf)})")
    if bare_cr:
        yield problem(
            "line.bare-cr",
            f"line {bare_cr[0]}",
            f"{plural(len(bare_cr), 'line')} {_have(bare_cr)} a CR not followed by LF ({_numbers(bare_cr)})",
        )


def _are(items: list) -> str:
    return "is" if len(items) == 1 else "are"


def _have(items: list) -> str:
    return "has" if len(items) == 1 else "have"


def _numbers(numbers: list[int]) -> str:
    shown = ", ".join(str(n) for n in numbers[:_SHOWN])
    more = f" and {len(numbers) - _SHOWN} more" if len(numbers) > _SHOWN else ""
    return f"line{'s' if len(numbers) > 1 else ''} {shown}{more}"
