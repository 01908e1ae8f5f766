"""Discrete-event simulation of polling on a virtual clock.

One task is submitted at time 0 and completes at ``duration_s``. The client waits the policy's
delay, polls, and repeats until a poll observes completion. Each request takes ``latency_s``
of round trip; the server answers with the state at the moment the request is sent. Like the
wrapper, the policy's "elapsed" counts from the moment the submit response arrived.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass

from benchmarks.policies import PollingPolicy
from benchmarks.stats import DelaySummary, percentile

MAX_POLLS_PER_TASK = 100_000


class SimulationError(RuntimeError):
    """A policy did not finish a task within the poll budget, or returned a bad delay."""


@dataclass(frozen=True)
class TaskOutcome:
    """What one task cost and how late its completion was seen.

    Attributes:
        requests: Submit, every poll and, for status-polling policies, the result GET.
        detection_delay_s: Time from completion to the response that showed it.
    """

    requests: int
    detection_delay_s: float


@dataclass(frozen=True)
class PolicyResult:
    """A policy's figures over a whole workload."""

    label: str
    tasks: int
    requests_per_task: float
    delays: DelaySummary


def simulate_task(
    duration_s: float, policy: PollingPolicy, rng: random.Random, latency_s: float = 0.0
) -> TaskOutcome:
    """Play one task through a policy.

    Args:
        duration_s: Seconds from submit to completion.
        policy: The polling policy.
        rng: The random source handed to the policy (for jitter).
        latency_s: Round-trip time of every request.

    Returns:
        The task's request count and detection delay.

    Raises:
        SimulationError: If the policy returns a negative delay or polls more than
            ``MAX_POLLS_PER_TASK`` times.
    """
    submitted_at = now = latency_s
    polls = 0
    while True:
        delay = policy.next_delay(polls, now - submitted_at, rng)
        if delay < 0 or math.isnan(delay):
            raise SimulationError(f"{policy.label}: invalid delay {delay!r} before poll {polls}")
        now += delay
        polls += 1
        observed_at = now
        now += latency_s
        if observed_at >= duration_s:
            break
        if polls >= MAX_POLLS_PER_TASK:
            raise SimulationError(f"{policy.label}: more than {MAX_POLLS_PER_TASK} polls")
    result_fetch = 0 if policy.polls_result_endpoint else 1
    return TaskOutcome(requests=1 + polls + result_fetch, detection_delay_s=now - duration_s)


def simulate(
    durations: Sequence[float], policy: PollingPolicy, seed: int, latency_s: float = 0.0
) -> PolicyResult:
    """Play every task of a workload through a policy.

    Args:
        durations: Task durations in seconds.
        policy: The polling policy.
        seed: Seed of the policy's random source.
        latency_s: Round-trip time of every request.

    Returns:
        Requests per task and the detection-delay distribution.

    Raises:
        SimulationError: As raised by :func:`simulate_task`.
        ValueError: If ``durations`` is empty.
    """
    if not durations:
        raise ValueError("empty workload")
    rng = random.Random(seed)
    outcomes = [simulate_task(duration, policy, rng, latency_s) for duration in durations]
    return PolicyResult(
        label=policy.label,
        tasks=len(outcomes),
        requests_per_task=sum(o.requests for o in outcomes) / len(outcomes),
        delays=DelaySummary.of([o.detection_delay_s for o in outcomes]),
    )


def fixed_interval_outcome(duration_s: float, interval_s: float, polls_result_endpoint: bool) -> TaskOutcome:
    """Closed form of :func:`simulate_task` for a fixed interval and no latency."""
    polls = max(1, math.ceil(duration_s / interval_s))
    result_fetch = 0 if polls_result_endpoint else 1
    return TaskOutcome(requests=1 + polls + result_fetch, detection_delay_s=polls * interval_s - duration_s)


@dataclass(frozen=True)
class MatchedInterval:
    """The fixed interval whose median detection delay matches a target, and what it costs."""

    interval_s: float
    p50_delay_s: float
    requests_per_task: float


def fixed_interval_matching_p50(
    durations: Sequence[float], target_p50_s: float, polls_result_endpoint: bool, steps: int = 400
) -> MatchedInterval:
    """Find the longest fixed interval whose median detection delay is at most ``target_p50_s``.

    The median delay of a fixed interval T is about T/2 but not monotone in T, so this scans
    intervals from ``target/2`` to ``4 × target`` and keeps the longest that qualifies: the
    cheapest fixed-interval policy that is at least as prompt as the target.

    Args:
        durations: Task durations in seconds.
        target_p50_s: The median delay to match.
        polls_result_endpoint: Whether the fixed-interval client polls the result endpoint.
        steps: Number of intervals scanned.

    Returns:
        The matching interval with its median delay and requests per task.

    Raises:
        ValueError: If ``durations`` is empty, the target is not positive, or no scanned
            interval qualifies.
    """
    if not durations:
        raise ValueError("empty workload")
    if target_p50_s <= 0:
        raise ValueError("target must be positive")
    low, high = target_p50_s / 2, target_p50_s * 4
    best: MatchedInterval | None = None
    for step in range(steps + 1):
        interval = low + (high - low) * step / steps
        outcomes = [fixed_interval_outcome(d, interval, polls_result_endpoint) for d in durations]
        p50 = percentile([o.detection_delay_s for o in outcomes], 0.5)
        if p50 <= target_p50_s:
            requests = sum(o.requests for o in outcomes) / len(outcomes)
            best = MatchedInterval(interval_s=interval, p50_delay_s=p50, requests_per_task=requests)
    if best is None:
        raise ValueError(
            f"no fixed interval in [{low:g}, {high:g}] s reaches a p50 delay of {target_p50_s:g} s"
        )
    return best
