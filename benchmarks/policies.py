"""Polling policies to compare: the peers' cadences as pure delay functions.

A policy answers one question — how long to wait before poll number ``poll_index`` (0 is the
first poll after submit), given the seconds elapsed since submit — and says which endpoint it
polls. A client that polls the *result* endpoint gets the outputs with its final poll; a client
that polls the *status* endpoint needs one more GET for the result.

Every peer is modelled as "sleep, then poll" (no poll right after submit), which is the most
favourable reading for the peers.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass

DelayFunction = Callable[[int, float, random.Random], float]
"""``(poll_index, elapsed_s, rng) -> seconds to wait before that poll``."""


@dataclass(frozen=True)
class PollingPolicy:
    """A named polling cadence.

    Attributes:
        label: What the table shows.
        next_delay: The delay before each poll.
        polls_result_endpoint: True when the final poll already returns the outputs, so no
            separate result GET is needed.
    """

    label: str
    next_delay: DelayFunction
    polls_result_endpoint: bool


def fixed_interval(interval_s: float) -> DelayFunction:
    """Return a delay function that always waits ``interval_s``.

    Raises:
        ValueError: If ``interval_s`` is not positive.
    """
    if interval_s <= 0:
        raise ValueError("interval must be positive")

    def delay(poll_index: int, elapsed_s: float, rng: random.Random) -> float:
        return interval_s

    return delay


def capped_doubling(first_s: float, factor: float, cap_s: float, jitter: float) -> DelayFunction:
    """Return a delay function that starts at ``first_s``, multiplies by ``factor`` up to ``cap_s``.

    Each delay is scaled by a uniform factor in ``[1 - jitter, 1 + jitter]``.

    Raises:
        ValueError: If a duration is not positive, ``factor`` is below 1 or ``jitter`` outside [0, 1).
    """
    if first_s <= 0 or cap_s <= 0:
        raise ValueError("delays must be positive")
    if factor < 1:
        raise ValueError("factor must be at least 1")
    if not 0 <= jitter < 1:
        raise ValueError("jitter must lie in [0, 1)")

    def delay(poll_index: int, elapsed_s: float, rng: random.Random) -> float:
        base = min(cap_s, first_s * factor**poll_index)
        return base * rng.uniform(1.0 - jitter, 1.0 + jitter)

    return delay


def fixed_policy(interval_s: float, who: str = "", *, polls_result_endpoint: bool = False) -> PollingPolicy:
    """Return a fixed-interval policy labelled with its interval and, optionally, who uses it."""
    label = f"fixed {interval_s:g} s" + (f" ({who})" if who else "")
    return PollingPolicy(label, fixed_interval(interval_s), polls_result_endpoint)


PEER_POLICIES: tuple[PollingPolicy, ...] = (
    fixed_policy(0.1, "fal-client"),
    fixed_policy(0.5, "replicate"),
    fixed_policy(1.0, "upstream vendor"),
    fixed_policy(3.0, "providers' example script"),
    PollingPolicy("2 s ×2 to 10 s ±10 % (SeaCloud SDK)", capped_doubling(2.0, 2.0, 10.0, 0.10), False),
)
"""The peers' cadences (see anchors.md); all poll a status endpoint, then GET the result."""

REPLICATE_LABEL = PEER_POLICIES[1].label
