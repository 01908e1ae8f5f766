"""The throughput benchmark runs and counts what it sent."""

from __future__ import annotations

from benchmarks.provider_bench import measure


async def test_measure_runs_full_lifecycles_with_and_without_downloads() -> None:
    plain = await measure(tasks=6, concurrency=3, download=False)
    assert plain.tasks == 6
    assert plain.requests == 18
    assert plain.tasks_per_second > 0
    with_files = await measure(tasks=3, concurrency=3, download=True)
    assert with_files.requests == 12
