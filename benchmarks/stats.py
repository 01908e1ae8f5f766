"""Small, dependency-free statistics used by every section."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass


def percentile(values: Sequence[float], fraction: float) -> float:
    """Return the ``fraction`` quantile of ``values`` by linear interpolation between ranks.

    Args:
        values: The sample; it does not need to be sorted.
        fraction: The quantile wanted, between 0 and 1 (0.5 is the median).

    Returns:
        The interpolated quantile.

    Raises:
        ValueError: If ``values`` is empty or ``fraction`` lies outside [0, 1].
    """
    if not values:
        raise ValueError("percentile of an empty sample")
    if not 0.0 <= fraction <= 1.0:
        raise ValueError(f"fraction must lie in [0, 1], got {fraction}")
    ordered = sorted(values)
    position = fraction * (len(ordered) - 1)
    lower = math.floor(position)
    upper = math.ceil(position)
    weight = position - lower
    return ordered[lower] * (1.0 - weight) + ordered[upper] * weight


def median(values: Sequence[float]) -> float:
    """Return the median of ``values``.

    Raises:
        ValueError: If ``values`` is empty.
    """
    return percentile(values, 0.5)


@dataclass(frozen=True)
class DelaySummary:
    """The distribution of detection delays, in seconds."""

    p50: float
    p95: float
    max: float

    @classmethod
    def of(cls, delays: Sequence[float]) -> DelaySummary:
        """Summarise a sample of delays.

        Raises:
            ValueError: If ``delays`` is empty.
        """
        return cls(p50=percentile(delays, 0.5), p95=percentile(delays, 0.95), max=max(delays))
