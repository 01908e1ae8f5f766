"""Seeded task durations shaped like real FLUX latencies.

A task's duration is what the client waits from submit to completion: an occasional queue wait
(exponential) plus a run time drawn from a log-normal distribution per model (medians of a few
seconds, a long right tail into tens of seconds).
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class ModelLatency:
    """How long one model takes.

    Attributes:
        model: The model id.
        run_median_s: Median run time in seconds.
        run_sigma: Shape of the log-normal run time (0.5 puts p99 at about 3.2 × the median).
        queue_probability: Chance that a task waits in the queue before running.
        queue_mean_s: Mean of the exponential queue wait, when there is one.
    """

    model: str
    run_median_s: float
    run_sigma: float
    queue_probability: float
    queue_mean_s: float


FLUX_MODELS: tuple[ModelLatency, ...] = (
    ModelLatency(
        "flux_kontext_pro", run_median_s=5.0, run_sigma=0.45, queue_probability=0.1, queue_mean_s=5.0
    ),
    ModelLatency("flux_pro_11", run_median_s=4.0, run_sigma=0.40, queue_probability=0.1, queue_mean_s=5.0),
    ModelLatency("flux_2_pro", run_median_s=8.0, run_sigma=0.50, queue_probability=0.1, queue_mean_s=8.0),
)
"""Default latencies: medians 4–8 s, tails into tens of seconds, a queue wait for one task in ten."""


def sample_duration(latency: ModelLatency, rng: random.Random) -> float:
    """Draw one task duration (queue wait plus run time) in seconds."""
    run = rng.lognormvariate(math.log(latency.run_median_s), latency.run_sigma)
    queued = rng.random() < latency.queue_probability
    wait = rng.expovariate(1.0 / latency.queue_mean_s) if queued else 0.0
    return wait + run


def flux_workload(
    tasks_per_model: int, seed: int, models: Sequence[ModelLatency] = FLUX_MODELS
) -> list[float]:
    """Return ``tasks_per_model`` seeded durations for each model, model after model.

    Args:
        tasks_per_model: How many tasks to draw per model.
        seed: Seed of the random generator; the same seed gives the same durations.
        models: The latency shape of each model.

    Returns:
        The durations in seconds.

    Raises:
        ValueError: If ``tasks_per_model`` is negative.
    """
    if tasks_per_model < 0:
        raise ValueError("tasks_per_model must not be negative")
    rng = random.Random(seed)
    return [sample_duration(latency, rng) for latency in models for _ in range(tasks_per_model)]
