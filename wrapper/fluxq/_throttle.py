"""A batch's shared pace: how many jobs may be in flight, and when the next request may go out.

Pure functions of a small frozen state, so the policy is tested without time or I/O.

- **Concurrency** is additive-increase / multiplicative-decrease: it starts at the ceiling the user
  chose; every 429 halves it (never below 1) and every accepted submit adds ``1 / limit`` back, so
  it regains one slot per round of submits.
- **A 429 pauses the whole batch**: no request of any job (submit or poll) goes out until
  ``Retry-After`` has passed (``default_pause`` when the server gave none), because a rate limit is
  about the account, not about the one request that happened to hit it.
- **Rate**: with ``--rate R``, submits are spaced ``1 / R`` seconds apart (polls are not rate-limited).
"""

from __future__ import annotations

from dataclasses import dataclass, replace


@dataclass(frozen=True, slots=True)
class Pace:
    """The batch's pace at one moment.

    Attributes:
        ceiling: The most jobs in flight the user allows.
        limit: Jobs in flight allowed now (1 to ``ceiling``; fractional while it climbs back).
        paused_until: Clock time before which no request may go out.
        rate: Submits per second at most (None: no limit).
        next_submit_at: Clock time before which no submit may go out (from ``rate``).
        rate_limited: 429 answers seen so far.
        default_pause: Pause after a 429 without ``Retry-After``, in seconds.
        max_pause: Longest pause honoured, in seconds.
    """

    ceiling: int
    limit: float
    paused_until: float = 0.0
    rate: float | None = None
    next_submit_at: float = 0.0
    rate_limited: int = 0
    default_pause: float = 1.0
    max_pause: float = 60.0

    @classmethod
    def start(cls, concurrency: int, rate: float | None = None) -> Pace:
        """The pace of a new batch.

        Raises:
            ValueError: If ``concurrency`` is below 1 or ``rate`` is not positive.
        """
        if concurrency < 1:
            raise ValueError("concurrency must be at least 1")
        if rate is not None and rate <= 0:
            raise ValueError("rate must be positive")
        return cls(ceiling=concurrency, limit=float(concurrency), rate=rate)

    @property
    def slots(self) -> int:
        """Jobs that may be in flight now (whole jobs)."""
        return max(1, int(self.limit))


def rate_limited(pace: Pace, now: float, retry_after: float | None) -> Pace:
    """After a 429: halve the concurrency and pause every request until ``Retry-After`` has passed."""
    pause = pace.default_pause if retry_after is None else min(retry_after, pace.max_pause)
    return replace(
        pace,
        limit=max(1.0, pace.limit / 2),
        paused_until=max(pace.paused_until, now + pause),
        rate_limited=pace.rate_limited + 1,
    )


def accepted(pace: Pace) -> Pace:
    """After a submit was accepted: climb back by one slot per round (``1 / limit`` per submit)."""
    return replace(pace, limit=min(float(pace.ceiling), pace.limit + 1.0 / pace.limit))


def request_wait(pace: Pace, now: float) -> float:
    """Seconds any request must still wait (the pause after a 429)."""
    return max(0.0, pace.paused_until - now)


def submit_wait(pace: Pace, now: float) -> float:
    """Seconds the next submit must still wait (the pause, and the spacing ``rate`` asks for)."""
    return max(request_wait(pace, now), pace.next_submit_at - now)


def submitted(pace: Pace, now: float) -> Pace:
    """After a submit went out: the next one waits ``1 / rate`` seconds (when a rate is set)."""
    if pace.rate is None:
        return pace
    return replace(pace, next_submit_at=max(now, pace.next_submit_at) + 1.0 / pace.rate)
