"""The polling simulation: exact on hand-checked cases, consistent with its closed form."""

from __future__ import annotations

import random

import pytest

from benchmarks.policies import PollingPolicy, capped_doubling, fixed_policy
from benchmarks.simulation import (
    SimulationError,
    fixed_interval_matching_p50,
    fixed_interval_outcome,
    simulate,
    simulate_task,
)
from benchmarks.stats import percentile
from benchmarks.workload import FLUX_MODELS, flux_workload


def test_fixed_interval_task_counts_submit_polls_and_result_fetch() -> None:
    policy = fixed_policy(1.0)  # status polling: one more GET for the result
    outcome = simulate_task(2.5, policy, random.Random(0))
    # polls at 1, 2, 3 → 3 polls, + submit + result GET
    assert outcome.requests == 5
    assert outcome.detection_delay_s == pytest.approx(0.5)


def test_result_endpoint_polling_needs_no_extra_fetch_and_floor_is_two() -> None:
    policy = fixed_policy(100.0, polls_result_endpoint=True)
    outcome = simulate_task(5.0, policy, random.Random(0))
    assert outcome.requests == 2
    assert outcome.detection_delay_s == pytest.approx(95.0)


def test_latency_delays_every_poll_and_the_detection() -> None:
    policy = fixed_policy(1.0, polls_result_endpoint=True)
    # submit answers at 0.1; polls sent at 1.1, 2.2 (answers at 1.2, 2.3)
    outcome = simulate_task(2.0, policy, random.Random(0), latency_s=0.1)
    assert outcome.requests == 3
    assert outcome.detection_delay_s == pytest.approx(0.3)


def test_policy_sees_poll_index_and_elapsed_time() -> None:
    seen: list[tuple[int, float]] = []

    def recording(poll_index: int, elapsed_s: float, rng: random.Random) -> float:
        seen.append((poll_index, elapsed_s))
        return 0.75

    simulate_task(2.5, PollingPolicy("recording", recording, True), random.Random(0), latency_s=0.25)
    # elapsed counts from the submit response (0.25); each poll adds 0.75 of wait and 0.25 of round trip
    assert seen == [(0, 0.0), (1, 1.0), (2, 2.0)]


@pytest.mark.parametrize("polls_result_endpoint", [True, False])
@pytest.mark.parametrize("interval", [0.1, 0.5, 1.0, 3.0])
def test_closed_form_matches_the_simulation(interval: float, polls_result_endpoint: bool) -> None:
    durations = flux_workload(50, seed=7)
    policy = fixed_policy(interval, polls_result_endpoint=polls_result_endpoint)
    for duration in durations:
        simulated = simulate_task(duration, policy, random.Random(0))
        closed = fixed_interval_outcome(duration, interval, polls_result_endpoint)
        assert simulated.requests == closed.requests
        assert simulated.detection_delay_s == pytest.approx(closed.detection_delay_s, abs=1e-9)


def test_capped_doubling_without_jitter_doubles_then_caps() -> None:
    delay = capped_doubling(2.0, 2.0, 10.0, jitter=0.0)
    rng = random.Random(0)
    assert [delay(i, 0.0, rng) for i in range(6)] == [2.0, 4.0, 8.0, 10.0, 10.0, 10.0]


def test_capped_doubling_jitter_stays_within_bounds_and_varies() -> None:
    delay = capped_doubling(2.0, 2.0, 10.0, jitter=0.1)
    rng = random.Random(3)
    samples = [delay(0, 0.0, rng) for _ in range(200)]
    assert all(1.8 <= s <= 2.2 for s in samples)
    assert len(set(samples)) > 100


def test_simulation_is_reproducible_with_the_same_seed() -> None:
    durations = flux_workload(30, seed=1)
    policy = PollingPolicy("jittered", capped_doubling(2.0, 2.0, 10.0, 0.1), False)
    assert simulate(durations, policy, seed=5) == simulate(durations, policy, seed=5)
    assert simulate(durations, policy, seed=5) != simulate(durations, policy, seed=6)


def test_a_policy_that_never_waits_is_stopped() -> None:
    def never_waits(poll_index: int, elapsed_s: float, rng: random.Random) -> float:
        return 0.0

    with pytest.raises(SimulationError):
        simulate_task(1.0, PollingPolicy("zero", never_waits, True), random.Random(0))


def test_negative_delay_is_rejected() -> None:
    def negative(poll_index: int, elapsed_s: float, rng: random.Random) -> float:
        return -1.0

    with pytest.raises(SimulationError):
        simulate_task(1.0, PollingPolicy("negative", negative, True), random.Random(0))


def test_matched_interval_is_the_longest_no_worse_than_the_target() -> None:
    durations = flux_workload(200, seed=2)
    matched = fixed_interval_matching_p50(durations, target_p50_s=0.5, polls_result_endpoint=True)
    assert matched.p50_delay_s <= 0.5
    # delays of a fixed interval are roughly uniform on [0, T): the match sits near T = 1 s
    assert 0.8 <= matched.interval_s <= 1.2
    # every longer interval of the scan (0.25 s to 2 s in 400 steps) is later than the target
    step = (2.0 - 0.25) / 400
    longer = matched.interval_s + step
    while longer <= 2.0:
        delays = [fixed_interval_outcome(d, longer, True).detection_delay_s for d in durations]
        assert percentile(delays, 0.5) > 0.5
        longer += step


def test_workload_is_seeded_and_shaped_like_flux_latencies() -> None:
    assert flux_workload(10, seed=3) == flux_workload(10, seed=3)
    assert flux_workload(10, seed=3) != flux_workload(10, seed=4)
    durations = flux_workload(4000, seed=0)
    assert len(durations) == 4000 * len(FLUX_MODELS)
    per_model = [durations[i * 4000 : (i + 1) * 4000] for i in range(len(FLUX_MODELS))]
    for latency, sample in zip(FLUX_MODELS, per_model, strict=True):
        # the queue wait only lengthens tasks, so the median sits at or a little above the run median
        assert latency.run_median_s * 0.95 <= percentile(sample, 0.5) <= latency.run_median_s * 1.2
    assert max(durations) > 20.0  # a long tail
    assert min(durations) > 0.0


def test_percentile_interpolates_between_ranks() -> None:
    assert percentile([4.0, 1.0, 3.0, 2.0], 0.5) == 2.5
    assert percentile([1.0, 2.0, 3.0], 1.0) == 3.0
    assert percentile([1.0, 2.0, 3.0], 0.0) == 1.0
    with pytest.raises(ValueError, match="empty"):
        percentile([], 0.5)
