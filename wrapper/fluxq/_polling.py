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

Whatever the policy, the caller or the server says, consecutive polls are at least `MIN_POLL_INTERVAL`
apart: a ``Retry-After: 0`` or a tiny interval would otherwise poll as fast as the network allows.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, replace

from ._arguments import check_seconds
from ._exceptions import ValidationError

MIN_POLL_INTERVAL = 0.1
"""The floor of every interval between polls, in seconds."""


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
            ValidationError: (a ``ValueError``) If a duration is not a positive finite number,
                ``minimum > maximum`` or ``jitter`` is outside [0, 1).
        """
        for name in ("initial", "minimum", "maximum", "hint_cap"):
            check_seconds(name, getattr(self, name))
        if self.fixed is not None:
            check_seconds("fixed", self.fixed)
        if not (math.isfinite(self.ratio) and self.ratio >= 0):
            problem = f"ratio: must be a finite number, 0 or more (got {self.ratio!r})"
            raise ValidationError([problem], "ratio")
        if self.minimum > self.maximum:
            raise ValidationError(["minimum: must not exceed maximum"], "minimum")
        if not 0 <= self.jitter < 1:
            raise ValidationError([f"jitter: must lie in [0, 1) (got {self.jitter!r})"], "jitter")

    @classmethod
    def every(cls, interval: float) -> PollPolicy:
        """Return a policy that polls at a fixed interval.

        Raises:
            ValidationError: (a ``ValueError``) If ``interval`` is not a positive finite number.
        """
        return cls(fixed=interval)

    def with_eagerness(self, eagerness: float) -> PollPolicy:
        """Return this policy with its intervals divided by ``eagerness`` (2 polls twice as often).

        The initial wait only ever grows (for ``eagerness < 1``): it reflects how soon a task can
        possibly finish, not how eager the caller is, and polling earlier than that buys no delay.

        Raises:
            ValidationError: (a ``ValueError``) If ``eagerness`` is not a positive finite number.
        """
        check_seconds("eagerness", eagerness)
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
    """Return how long to wait before the next poll: explicit > server hint > adaptive, never under the floor.

    Args:
        policy: The cadence parameters.
        poll_index: How many polls were made already.
        elapsed: Seconds since submit.
        rng: Source of jitter.
        explicit: An interval the caller asked for.
        server_hint: The server's ``Retry-After`` on the last 202, in seconds.
    """
    if explicit is not None:
        chosen = explicit
    elif server_hint is not None:
        chosen = min(server_hint, policy.hint_cap)
    else:
        chosen = policy.delay(poll_index, elapsed, rng)
    # `max` with the floor first: NaN compares false, so a NaN that slipped through still yields the floor.
    return max(MIN_POLL_INTERVAL, chosen) if chosen == chosen else MIN_POLL_INTERVAL


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
