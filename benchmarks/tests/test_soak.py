"""The fault soak tool itself works: a small soak with heavy faults holds and reports what it saw.

The real soak (1,000 tasks, 10 % faults) is ``scripts/soak``; its figures are in the README.
"""

from __future__ import annotations

from benchmarks.soak import run_soak


def test_a_small_soak_with_heavy_faults_holds_and_counts_server_side() -> None:
    figures = run_soak(tasks=40, fault_rate=0.3, concurrency=20, seed=5)

    assert figures.holds() == []
    assert sum(figures.faults_fired.values()) > 0  # faults really fired
    assert figures.completed + sum(figures.typed_errors.values()) == 40
    assert figures.server_tasks_created == figures.client_ids
    assert figures.log_records > 0  # the key was looked for in real log lines
