"""Small statistics for noisy measurements: medians, percentiles, spreads."""

from __future__ import annotations

import statistics
from collections.abc import Sequence


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


def percentile(values: Sequence[float], fraction: float) -> float:
    """The value below which ``fraction`` of ``values`` lie (nearest rank)."""
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * len(ordered) + 0.5) - 1))
    return ordered[index]


def spread(values: Sequence[float]) -> str:
    """``'-low%/+high%'`` of repeated measurements, as a percentage around the median."""
    if len(values) < 2:
        return "single run"
    middle = median(values)
    if not middle:
        return "n/a"
    low, high = (min(values) - middle) / middle * 100, (max(values) - middle) / middle * 100
    return f"{low:+.0f}%/{high:+.0f}%"
