"""fluxq's own polling policy, imported from the wrapper (the real function, not a copy)."""

from __future__ import annotations

import random

from benchmarks.policies import PollingPolicy


class PolicyUnavailable(RuntimeError):
    """The wrapper's polling policy cannot be imported (not written yet, or broken)."""


def fluxq_policy(eagerness: float = 1.0) -> PollingPolicy:
    """Return fluxq's default polling policy, optionally at another eagerness.

    The delay comes from the wrapper's ``next_poll_delay`` with no explicit interval and no
    server hint, so the simulation exercises exactly the decision the clients make. fluxq polls
    the result endpoint, so its final poll is the result fetch.

    Args:
        eagerness: 1 is the default; 2 polls twice as often.

    Returns:
        The policy, labelled with its eagerness.

    Raises:
        PolicyUnavailable: If the wrapper's polling module cannot be imported.
    """
    try:
        from fluxq._polling import PollPolicy, next_poll_delay
    except ImportError as error:
        raise PolicyUnavailable(f"wrapper polling policy not importable: {error}") from error
    policy = PollPolicy().with_eagerness(eagerness)

    def delay(poll_index: int, elapsed_s: float, rng: random.Random) -> float:
        return next_poll_delay(policy, poll_index=poll_index, elapsed=elapsed_s, rng=rng)

    label = "fluxq default" if eagerness == 1.0 else f"fluxq eagerness {eagerness:g}"
    return PollingPolicy(label, delay, polls_result_endpoint=True)
