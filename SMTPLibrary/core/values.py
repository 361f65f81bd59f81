"""Checks of argument values, written once: each adapter hands the core what the user typed."""

from __future__ import annotations

import math
import re
from datetime import timedelta

from .errors import InvalidArgument


def whole_number(value: object, requirement: str, minimum: int | None = 0) -> int:
    """``value`` when it is an ``int`` (not a ``bool``) of at least ``minimum`` (``None``: any);
    otherwise an :class:`InvalidArgument` saying ``requirement``, the value it got, and nothing else."""
    if isinstance(value, bool) or not isinstance(value, int) or (minimum is not None and value < minimum):
        raise InvalidArgument(f"{requirement}, got {value!r}.")
    return value


def seconds(value: float | timedelta) -> float:
    """A timeout in seconds, from a ``timedelta`` or a number."""
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


_UNITS = {
    "ms": 0.001,
    "millisecond": 0.001,
    "milliseconds": 0.001,
    "s": 1.0,
    "sec": 1.0,
    "secs": 1.0,
    "second": 1.0,
    "seconds": 1.0,
    "m": 60.0,
    "min": 60.0,
    "mins": 60.0,
    "minute": 60.0,
    "minutes": 60.0,
    "h": 3600.0,
    "hour": 3600.0,
    "hours": 3600.0,
}
_DURATION = re.compile(r"\s*(\d+(?:\.\d*)?|\.\d+)?\s*([a-z]*)\s*", re.IGNORECASE)


def duration(value: object, name: str) -> float:
    """Seconds, from a number, a ``timedelta``, or text such as ``10 s``, ``1m``, ``500 ms``,
    ``2 minutes`` or ``minute`` (one); more than zero. ``name`` names the argument in the error."""
    if isinstance(value, timedelta):
        result = value.total_seconds()
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        result = float(value)
    else:
        match = _DURATION.fullmatch(str(value))
        unit = match and _UNITS.get(match.group(2).lower() or "s")
        if not match or unit is None or not (match.group(1) or match.group(2)):
            raise InvalidArgument(f"{name} must be a duration such as '1 minute', '10 s' or '500 ms', got {value!r}.")
        result = float(match.group(1) or 1) * unit
    if not math.isfinite(result) or result <= 0:
        raise InvalidArgument(f"{name} must be a duration longer than 0 seconds, got {value!r}.")
    return result
