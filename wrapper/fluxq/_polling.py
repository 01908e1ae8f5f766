"""How long to wait between polls: pure functions of a small policy object.

Precedence: an explicit interval > the server's hint (``Retry-After`` on a 202) > the adaptive default.

The adaptive default waits ``ratio × elapsed`` seconds (elapsed = time since submit), clamped to
``[minimum, maximum]``, then scaled by a random factor in ``[1 - jitter, 1 + jitter]``. Waiting in
proportion to elapsed time keeps the *relative* lateness of detection bounded (a task that ran 10 s is
noticed at most about ``ratio × 10`` s late) while the number of polls grows only logarithmically
with the task's duration. The first poll waits ``initial`` (1.5 s: FLUX tasks practically never finish
sooner), then polls are quick (``minimum``) and back off as the task ages. ``PollPolicy.with_eagerness(e)``
divides the intervals by ``e`` — the knob a benchmark turns to trace requests against detection delay.
Tuning is a constants change.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace


@dataclass(frozen=True, slots=True)
class PollPolicy:
    """Parameters of the polling cadence (all durations in seconds).

    Attributes:
        initial: Wait before the first poll after submit.
        ratio: Adaptive interval as a fraction of the time elapsed since submit.
        minimum: Shortest adaptive interval.
        maximum: Longest adaptive interval.
        jitter: Relative spread of each interval, in ``[0, 1)`` (spreads clients apart).
        hint_cap: Longest server hint (``Retry-After`` on a 202) that is honoured as given.
        fixed: When set, every interval is exactly this (no adaptation, no jitter).
    """

    initial: float = 1.5
    ratio: float = 0.07
    minimum: float = 0.8
    maximum: float = 3.0
    jitter: float = 0.1
    hint_cap: float = 30.0
    fixed: float | None = None

    def __post_init__(self) -> None:
        """Check the parameters.

        Raises:
            ValueError: If a duration is not positive, ``minimum > maximum`` or ``jitter`` is outside [0, 1).
        """
        durations = (self.initial, self.minimum, self.maximum, self.hint_cap)
        if min(durations) <= 0 or self.ratio < 0 or (self.fixed is not None and self.fixed <= 0):
            raise ValueError("poll durations must be positive")
        if self.minimum > self.maximum:
            raise ValueError("minimum must not exceed maximum")
        if not 0 <= self.jitter < 1:
            raise ValueError("jitter must lie in [0, 1)")

    @classmethod
    def every(cls, interval: float) -> PollPolicy:
        """Return a policy that polls at a fixed interval.

        Raises:
            ValueError: If ``interval`` is not positive.
        """
        return cls(fixed=interval)

    def with_eagerness(self, eagerness: float) -> PollPolicy:
        """Return this policy with its intervals divided by ``eagerness`` (2 polls twice as often).

        The initial wait only ever grows (for ``eagerness < 1``): it reflects how soon a task can
        possibly finish, not how eager the caller is, and polling earlier than that buys no delay.

        Raises:
            ValueError: If ``eagerness`` is not positive.
        """
        if eagerness <= 0:
            raise ValueError("eagerness must be positive")
        return replace(
            self,
            initial=self.initial / min(eagerness, 1.0),
            ratio=self.ratio / eagerness,
            minimum=self.minimum / eagerness,
            maximum=self.maximum / eagerness,
            fixed=None if self.fixed is None else self.fixed / eagerness,
        )

    def delay(self, poll_index: int, elapsed: float, rng: random.Random) -> float:
        """Return the adaptive wait before poll number ``poll_index`` (0 = first poll after submit).

        Args:
            poll_index: How many polls were made already.
            elapsed: Seconds since submit.
            rng: Source of jitter.
        """
        if self.fixed is not None:
            return self.fixed
        base = self.initial if poll_index == 0 else min(self.maximum, max(self.minimum, self.ratio * elapsed))
        return base * rng.uniform(1.0 - self.jitter, 1.0 + self.jitter)


def next_poll_delay(
    policy: PollPolicy,
    *,
    poll_index: int,
    elapsed: float,
    rng: random.Random,
    explicit: float | None = None,
    server_hint: float | None = None,
) -> float:
    """Return how long to wait before the next poll: explicit > server hint > adaptive.

    Args:
        policy: The cadence parameters.
        poll_index: How many polls were made already.
        elapsed: Seconds since submit.
        rng: Source of jitter.
        explicit: An interval the caller asked for.
        server_hint: The server's ``Retry-After`` on the last 202, in seconds.
    """
    if explicit is not None:
        return max(0.0, explicit)
    if server_hint is not None:
        return min(max(0.0, server_hint), policy.hint_cap)
    return policy.delay(poll_index, elapsed, rng)


def parse_retry_after(value: str | None) -> float | None:
    """Return a ``Retry-After`` header's delay in seconds, or None when absent or not a number.

    HTTP dates are not used by these providers and are ignored.
    """
    if value is None:
        return None
    try:
        seconds = float(value.strip())
    except ValueError:
        return None
    if seconds != seconds or seconds < 0 or seconds == float("inf"):  # NaN, negative, infinite
        return None
    return seconds
