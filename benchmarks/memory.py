"""Section 3: peak memory while submitting large input images (being written)."""

from __future__ import annotations

from benchmarks.options import BenchOptions
from benchmarks.report import Goal, Section, unavailable

GROWTH_GOAL = Goal("<=", 3.0)


def run_memory(options: BenchOptions) -> Section:
    """Run the memory section.

    Args:
        options: The run's options.

    Returns:
        The memory section.
    """
    figure = unavailable("peak RSS growth ÷ raw image bytes", "not measured yet", GROWTH_GOAL)
    return Section("memory", (figure,))
