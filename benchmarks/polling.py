"""Section 1: polling policies on a virtual clock, and the simulation checked against reality.

fluxq's default policy and the peers' cadences are played over the same seeded FLUX workload;
then fluxq's policy at several eagerness settings is compared, point by point, with the
cheapest fixed interval that is at least as prompt (same or lower median detection delay).
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Sequence

from benchmarks.fluxq_policy import PolicyUnavailable, fluxq_policy
from benchmarks.options import BenchOptions
from benchmarks.policies import PEER_POLICIES, REPLICATE_LABEL, PollingPolicy, fixed_policy
from benchmarks.reality_check import check_against_reality, check_in_real_time
from benchmarks.report import Figure, Goal, Section, Table, unavailable
from benchmarks.simulation import PolicyResult, fixed_interval_matching_p50, simulate
from benchmarks.workload import FLUX_MODELS, flux_workload

EAGERNESS_CURVE = (0.25, 0.5, 1.0, 2.0, 4.0)
P50_GOAL = Goal("<=", 0.5, "s")
P95_GOAL = Goal("<=", 1.5, "s")
SHARE_OF_FIXED_GOAL = Goal("<=", 0.6)
CURVE_GOAL = Goal("<", 1.0)
FLOOR_REQUESTS = 2


def policy_row(result: PolicyResult, endpoint: str) -> tuple[str, ...]:
    """One row of the policy table."""
    d = result.delays
    return (
        result.label,
        endpoint,
        f"{result.requests_per_task:.2f}",
        f"{d.p50:.2f}",
        f"{d.p95:.2f}",
        f"{d.max:.2f}",
    )


def compare_policies(durations: Sequence[float], seed: int) -> tuple[list[PolicyResult], Table]:
    """Simulate the peers and, if importable, fluxq's default over one workload."""
    policies: list[PollingPolicy] = list(PEER_POLICIES)
    policies.append(fixed_policy(0.5, "polling the result endpoint", polls_result_endpoint=True))
    with contextlib.suppress(PolicyUnavailable):  # the peers are measured even before the wrapper lands
        policies.insert(0, fluxq_policy())
    results = [simulate(durations, policy, seed) for policy in policies]
    rows = tuple(
        policy_row(result, "result" if policy.polls_result_endpoint else "status + result GET")
        for policy, result in zip(policies, results, strict=True)
    )
    table = Table(
        f"policies over {len(durations)} simulated tasks (delays in s)",
        ("policy", "polls", "requests/task", "p50 delay", "p95 delay", "max delay"),
        rows,
    )
    return results, table


def eagerness_curve(durations: Sequence[float], seed: int, steps: int) -> tuple[float, Table]:
    """Compare fluxq at each eagerness with the cheapest fixed interval that is as prompt.

    Returns:
        The worst (largest) ratio of fluxq's requests to the fixed interval's, and the table.

    Raises:
        PolicyUnavailable: If the wrapper's policy cannot be imported.
    """
    rows = []
    worst = 0.0
    for eagerness in EAGERNESS_CURVE:
        result = simulate(durations, fluxq_policy(eagerness), seed)
        matched = fixed_interval_matching_p50(durations, result.delays.p50, True, steps)
        ratio = result.requests_per_task / matched.requests_per_task
        worst = max(worst, ratio)
        rows.append(
            (
                f"{eagerness:g}",
                f"{result.delays.p50:.3f}",
                f"{result.delays.p95:.2f}",
                f"{result.requests_per_task:.2f}",
                f"{matched.interval_s:.3f}",
                f"{matched.p50_delay_s:.3f}",
                f"{matched.requests_per_task:.2f}",
                f"{ratio:.3f}",
            )
        )
    table = Table(
        "eagerness curve: fluxq vs the longest fixed interval with no later p50 delay (both poll the result)",
        ("eagerness", "p50", "p95", "requests", "fixed T", "fixed p50", "fixed requests", "ratio"),
        tuple(rows),
    )
    return worst, table


def default_policy_figures(results: Sequence[PolicyResult]) -> list[Figure]:
    """The goals of fluxq's default policy, read from the simulated results."""
    by_label = {r.label: r for r in results}
    fluxq = by_label.get("fluxq default")
    names = ("fluxq default: p50 detection delay", "fluxq default: p95 detection delay")
    share_name = f"fluxq requests ÷ {REPLICATE_LABEL} requests"
    if fluxq is None:
        reason = "wrapper polling policy not importable yet"
        return [
            unavailable(names[0], reason, P50_GOAL),
            unavailable(names[1], reason, P95_GOAL),
            unavailable(share_name, reason, SHARE_OF_FIXED_GOAL),
        ]
    replicate = by_label[REPLICATE_LABEL]
    strict = by_label["fixed 0.5 s (polling the result endpoint)"]
    return [
        Figure(names[0], fluxq.delays.p50, "s", P50_GOAL),
        Figure(names[1], fluxq.delays.p95, "s", P95_GOAL),
        Figure(
            share_name,
            fluxq.requests_per_task / replicate.requests_per_task,
            goal=SHARE_OF_FIXED_GOAL,
            note=f"{fluxq.requests_per_task:.2f} vs {replicate.requests_per_task:.2f} requests/task",
        ),
        Figure(
            "same, against fixed 0.5 s polling the result endpoint",
            fluxq.requests_per_task / strict.requests_per_task,
            note="stricter: no extra result GET for the peer",
        ),
        Figure(
            "fluxq default: requests per task",
            fluxq.requests_per_task,
            note=f"floor {FLOOR_REQUESTS} (submit + one poll that returns the result)",
        ),
    ]


REAL_TIME_SPEEDUP = 10.0
REAL_TIME_GOAL = Goal("<=", 0.05)


def reality_figures(
    durations: Sequence[float], real_time_durations: Sequence[float], seed: int
) -> list[Figure]:
    """Run the same tasks through the real client and provider, and through the simulation."""
    name = "reality check: tasks whose real request count ≠ simulated"
    try:
        check = check_against_reality(durations, seed)
        hinted = check_against_reality(durations, seed, hints=True)
        real_time = check_in_real_time(real_time_durations, seed, REAL_TIME_SPEEDUP)
    except ImportError as error:
        return [unavailable(name, f"client or provider not importable: {error}", Goal("<=", 0))]
    except (PolicyUnavailable, RuntimeError) as error:
        return [unavailable(name, str(error), Goal("<=", 0))]
    return [
        Figure(
            name,
            check.mismatches,
            goal=Goal("<=", 0),
            note=f"{len(durations)} tasks over loopback, shared manual clock",
        ),
        Figure(
            "reality check: requests/task, provider counters",
            check.real_mean,
            note=f"simulation of the same durations: {check.simulated_mean:.2f}",
        ),
        Figure(
            "real-time check: |real ÷ simulated requests/task − 1|",
            abs(real_time.real_mean / real_time.simulated_mean - 1),
            goal=REAL_TIME_GOAL,
            note=f"{len(real_time_durations)} tasks ×{REAL_TIME_SPEEDUP:g} speed, real clock: "
            f"{real_time.real_mean:.2f} vs {real_time.simulated_mean:.2f}; "
            f"{real_time.mismatches} tasks off (sleep overshoot)",
        ),
        Figure(
            "requests/task when the client follows the reference provider's Retry-After hints",
            hinted.real_mean,
            note="the reference provider hints the exact time left; real providers document no hint",
        ),
    ]


def run_polling(options: BenchOptions) -> Section:
    """Run the polling section.

    Args:
        options: ``quick`` simulates 1,500 tasks instead of 6,000; ``seed`` picks the workload.

    Returns:
        The polling section.
    """
    started = time.perf_counter()
    tasks_per_model = 500 if options.quick else 2000
    durations = flux_workload(tasks_per_model, options.seed)
    results, policy_table = compare_policies(durations, options.seed)
    figures = default_policy_figures(results)
    tables = [policy_table]
    curve_name = "eagerness curve: worst fluxq ÷ fixed-interval requests at equal p50"
    try:
        worst, curve_table = eagerness_curve(durations, options.seed, steps=150 if options.quick else 400)
    except PolicyUnavailable as error:
        figures.append(unavailable(curve_name, str(error), CURVE_GOAL))
    else:
        figures.append(Figure(curve_name, worst, goal=CURVE_GOAL, note=f"eagerness {EAGERNESS_CURVE}"))
        tables.append(curve_table)
    figures.extend(
        reality_figures(
            flux_workload(4 if options.quick else 12, options.seed + 1),
            flux_workload(4 if options.quick else 8, options.seed + 2),
            options.seed,
        )
    )
    models = ", ".join(f"{m.model} median {m.run_median_s:g} s" for m in FLUX_MODELS)
    notes = (
        f"workload: {len(durations)} tasks, seed {options.seed}; run time log-normal per model ({models}), "
        "queue wait for 1 task in 10",
        "every peer is modelled as sleep-then-poll (no poll right after submit), the reading most favourable "
        "to them; status pollers pay one extra GET for the result",
    )
    return Section("polling", tuple(figures), tuple(tables), notes, time.perf_counter() - started)
