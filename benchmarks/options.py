"""The knobs every section receives from ``scripts/bench``."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class BenchOptions:
    """Options of one benchmark run.

    Attributes:
        quick: Smaller workloads and fewer repetitions (the whole run under two minutes).
        seed: Seed of every random workload, so two runs simulate the same tasks.
        throughput_tasks: Tasks per throughput measurement (None: 2,000, or 200 when quick).
    """

    quick: bool = False
    seed: int = 6
    throughput_tasks: int | None = None

    @property
    def tasks_for_throughput(self) -> int:
        """How many zero-duration tasks each throughput measurement sends."""
        if self.throughput_tasks is not None:
            return self.throughput_tasks
        return 200 if self.quick else 2000
