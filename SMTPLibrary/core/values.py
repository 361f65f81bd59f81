"""Checks of argument values, written once: each adapter hands the core what the user typed."""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Iterable
from datetime import timedelta

from .errors import InvalidArgument
from .wording import shorten


def whole_number(value: object, requirement: str, minimum: int | None = 0) -> int:
    """``value`` when it is an ``int`` (not a ``bool``) of at least ``minimum`` (``None``: any);
    otherwise an :class:`InvalidArgument` saying ``requirement``, the value it got, and nothing else."""
    if isinstance(value, bool) or not isinstance(value, int) or (minimum is not None and value < minimum):
        raise InvalidArgument(f"{requirement}, got {value!r}.")
    return value


def port_number(value: object) -> int:
    """``value`` when it is a port to listen on: a whole number from 0 (a free port) to 65535."""
    requirement = "port must be a number from 0 (a free port) to 65535"
    port = whole_number(value, requirement)
    if port > 65535:
        raise InvalidArgument(f"{requirement}, got {port!r}.")
    return port


# -- durations ---------------------------------------------------------------------------------------

# Robot Framework's time units (robot.utils.robottime), each with its length in seconds. Its
# parser is not imported: the core never imports Robot (pytest and behave users have none).
_UNITS = {
    "w": 604800.0,
    "week": 604800.0,
    "d": 86400.0,
    "day": 86400.0,
    "h": 3600.0,
    "hour": 3600.0,
    "m": 60.0,
    "min": 60.0,
    "minute": 60.0,
    "s": 1.0,
    "sec": 1.0,
    "second": 1.0,
    "ms": 1e-3,
    "msec": 1e-3,
    "millis": 1e-3,
    "millisec": 1e-3,
    "millisecond": 1e-3,
    "us": 1e-6,
    "μs": 1e-6,
    "microsecond": 1e-6,
    "ns": 1e-9,
    "nanosecond": 1e-9,
}
_NUMBER = r"(?:\d+(?:\.\d*)?|\.\d+)"
_PART = re.compile(rf"({_NUMBER})\s*([^\W\d_]+)\s*")
_TIMER = re.compile(r"(?:(\d+):)?(\d+):(\d+(?:\.\d+)?)")
TIME_EXAMPLES = "such as 5, 1.5, '5 s', '500 ms', '1 minute 30 seconds' or timedelta(seconds=5)"


def _unit(name: str) -> float | None:
    name = name.lower()
    if name in _UNITS:
        return _UNITS[name]
    return _UNITS.get(name[:-1]) if name.endswith("s") and len(name) > 2 else None


def _time_string(text: str) -> float | None:
    """Seconds in ``text`` written as Robot Framework writes times, ``None`` when it is not such a
    text: a number (``1.5``), units (``1 min 30 s``, ``500ms``, ``2 hours``) or a timer (``01:30``)."""
    text = text.strip()
    try:
        return float(text)
    except ValueError:
        pass
    if text.startswith(("-", "+")):
        rest = _time_string(text[1:])
        return None if rest is None else -rest if text[0] == "-" else rest
    timer = _TIMER.fullmatch(text)
    if timer:
        hours, minutes, secs = timer.groups()
        return int(hours or 0) * 3600 + int(minutes) * 60 + float(secs)
    total, position, seen = 0.0, 0, set()
    for part in _PART.finditer(text):
        unit = _unit(part.group(2))
        if part.start() != position or unit is None or unit in seen:
            return None
        seen.add(unit)
        total += float(part.group(1)) * unit
        position = part.end()
    return total if seen and position == len(text) else None


def seconds(value: object, name: str = "timeout") -> float:
    """``value`` in seconds, 0 or more: a number, a :class:`~datetime.timedelta`, or a time as
    Robot Framework writes it (``'5 s'``, ``'500 ms'``, ``'1 minute 30 seconds'``, ``'1.5'``).
    Anything else is an :class:`InvalidArgument` naming ``name`` and examples."""
    if isinstance(value, timedelta):
        result: float | None = value.total_seconds()
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        result = float(value)
    elif isinstance(value, str):
        result = _time_string(value)
    else:
        result = None
    if result is None or math.isnan(result):
        raise InvalidArgument(f"{name} must be a time, {TIME_EXAMPLES}; got {value!r}.")
    if result < 0:
        raise InvalidArgument(f"{name} must be 0 seconds or more, got {value!r}.")
    return result


# -- argument names --------------------------------------------------------------------------------------

_NAMED = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)=")


def refuse_misnamed(value: object, argument: str, accepted: Iterable[str], on_purpose: str | None = None) -> None:
    """Fail when ``value``, given for ``argument``, reads as ``name=value`` with a name that is no
    argument: a misspelled argument name (``timout=5``), which Robot Framework and a positional
    Python call hand over as the value of the first free argument instead of refusing it.

    The :class:`InvalidArgument` names the unknown name, the ``accepted`` argument names (and the
    closest of them), and ``on_purpose``: how to write such a value when it is meant. Without
    ``accepted`` names (a caller that takes no misspellable arguments) nothing is checked."""
    accepted = list(accepted)
    if not accepted or not isinstance(value, str):
        return
    found = _NAMED.match(value)
    if found is None or found.group(1) in accepted:
        return
    unknown = found.group(1)
    close = difflib.get_close_matches(unknown, accepted, n=1)
    guess = f" Did you mean {close[0]}?" if close else ""
    purpose = f" {on_purpose}" if on_purpose else ""
    raise InvalidArgument(
        f"Unknown argument {unknown!r} in {argument}={shorten(value, 80)!r}: the arguments are "
        f"{', '.join(accepted)}.{guess}"
        f"{purpose}"
    )


def duration(value: object, name: str) -> float:
    """A length of time longer than 0 seconds, read as :func:`seconds` reads it; a unit alone is one
    of it (``minute``, ``hour``: what "10 messages per minute" says)."""
    if isinstance(value, str) and _unit(value.strip()) is not None:
        value = f"1 {value.strip()}"
    try:
        result = seconds(value, name)
    except InvalidArgument:
        raise InvalidArgument(
            f"{name} must be a duration such as '1 minute', '10 s' or '500 ms', got {value!r}."
        ) from None
    if result <= 0:
        raise InvalidArgument(f"{name} must be a duration longer than 0 seconds, got {value!r}.")
    return result
