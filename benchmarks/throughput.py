"""Section 2: throughput and CPU overhead of the wrapper against bare httpx (being written)."""

from __future__ import annotations

from benchmarks.options import BenchOptions
from benchmarks.report import Goal, Section, unavailable

CPU_RATIO_GOAL = Goal("<=", 1.25)


def run_throughput(options: BenchOptions) -> Section:
    """Run the throughput section.

    Args:
        options: The run's options.

    Returns:
        The throughput section.
    """
    figure = unavailable("wrapper CPU per task ÷ bare httpx", "not measured yet", CPU_RATIO_GOAL)
    return Section("throughput", (figure,))
