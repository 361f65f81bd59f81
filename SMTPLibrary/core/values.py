"""Checks of argument values, written once: each adapter hands the core what the user typed."""

from __future__ import annotations

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
