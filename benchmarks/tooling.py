"""Tooling speed: the CLI's start-up, the conformance runs, the code generator.

Every tool runs as a subprocess, exactly as a user would start it; wall time comes from
``time.perf_counter`` around the process.
"""

from __future__ import annotations

import filecmp
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from benchmarks.options import BenchOptions
from benchmarks.report import Figure, Goal, Section, unavailable
from benchmarks.stats import median

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
FLUXQ = VENV_BIN / "fluxq"
CASSETTES = ROOT / "conformance" / "fluxq_conformance" / "cassettes" / "recorded" / "reference"

HELP_GOAL = Goal("<=", 0.3, "s")
CONFORMANCE_GOAL = Goal("<=", 60, "s")
REPLAY_GOAL = Goal("<=", 10, "s")


@dataclass(frozen=True)
class Timed:
    """A finished process: its wall time, exit code, last output line and whether it crashed."""

    seconds: float
    returncode: int
    last_line: str
    crashed: bool


def timed_run(args: list[str], timeout_s: float) -> Timed:
    """Run a command and time it.

    Args:
        args: The command line.
        timeout_s: Seconds after which the process is killed.

    Returns:
        Wall time, exit code, the last line of its combined output, and whether it printed a traceback.

    Raises:
        subprocess.TimeoutExpired: If the command runs longer than ``timeout_s``.
        OSError: If the command cannot be started.
    """
    started = time.perf_counter()
    # S603: the commands are the project's own tools, built from fixed paths, never from input.
    done = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=timeout_s, check=False)  # noqa: S603
    seconds = time.perf_counter() - started
    output = done.stdout + done.stderr
    lines = output.strip().splitlines()
    return Timed(seconds, done.returncode, lines[-1][-200:] if lines else "", "Traceback" in output)


def _exit_note(run: Timed) -> str:
    return "" if run.returncode == 0 else f"exit {run.returncode}: {run.last_line}"


def measure_help(runs: int) -> Figure:
    """Median wall time of ``fluxq --help`` over ``runs`` runs (after one warm-up run)."""
    name = "fluxq --help wall time (median)"
    if not FLUXQ.exists():
        return unavailable(name, "no fluxq entry point in the virtualenv", HELP_GOAL)
    warm = timed_run([str(FLUXQ), "--help"], timeout_s=30)
    if warm.returncode != 0:
        return unavailable(name, f"fluxq --help failed: {warm.last_line}", HELP_GOAL)
    times = [timed_run([str(FLUXQ), "--help"], timeout_s=30).seconds for _ in range(runs)]
    return Figure(name, median(times), "s", HELP_GOAL, note=f"{runs} runs, min {min(times):.3f} s")


def measure_conformance(args: list[str], name: str, goal: Goal, timeout_s: float) -> Figure:
    """Wall time of one ``fluxq conformance`` invocation."""
    if not FLUXQ.exists():
        return unavailable(name, "no fluxq entry point in the virtualenv", goal)
    try:
        run = timed_run([str(FLUXQ), "conformance", *args], timeout_s=timeout_s)
    except subprocess.TimeoutExpired:
        return Figure(name, timeout_s, "s", goal, note=f"killed after {timeout_s:g} s")
    if run.crashed or run.returncode == 2:
        return unavailable(name, f"fluxq conformance not usable: {run.last_line}", goal)
    return Figure(name, run.seconds, "s", goal, note=_exit_note(run))


def measure_regenerate(timeout_s: float) -> list[Figure]:
    """Wall time of ``scripts/regenerate --out TMP`` and whether its output equals ``generated/``."""
    name = "scripts/regenerate --out TMP wall time"
    with tempfile.TemporaryDirectory() as tmp:
        try:
            run = timed_run([sys.executable, str(ROOT / "scripts" / "regenerate"), "--out", tmp], timeout_s)
        except subprocess.TimeoutExpired:
            return [Figure(name, timeout_s, "s", note=f"killed after {timeout_s:g} s")]
        if run.returncode != 0:
            return [unavailable(name, f"exit {run.returncode}: {run.last_line}")]
        differing = count_differing_files(Path(tmp), ROOT / "generated")
    return [
        Figure(name, run.seconds, "s"),
        Figure("regenerated files differing from generated/", differing, "", Goal("<=", 0)),
    ]


def count_differing_files(left: Path, right: Path) -> int:
    """Count files that differ, or exist on one side only, between two trees (caches ignored)."""
    comparison = filecmp.dircmp(left, right, ignore=["__pycache__", ".mypy_cache", ".ruff_cache"])
    return _count(comparison)


def _count(comparison: filecmp.dircmp[str]) -> int:
    _, mismatch, errors = filecmp.cmpfiles(
        comparison.left, comparison.right, comparison.common_files, shallow=False
    )
    total = len(comparison.left_only) + len(comparison.right_only) + len(mismatch) + len(errors)
    return total + sum(_count(sub) for sub in comparison.subdirs.values())


def run_tooling(options: BenchOptions) -> Section:
    """Measure the tools' wall times.

    Args:
        options: ``quick`` means fewer ``--help`` runs.

    Returns:
        The tooling section.
    """
    started = time.perf_counter()
    figures = [measure_help(runs=5 if options.quick else 11)]
    figures.append(
        measure_conformance([], "fluxq conformance (built-in provider)", CONFORMANCE_GOAL, timeout_s=300)
    )
    replay_name = "fluxq conformance --cassettes (replay)"
    if CASSETTES.is_dir():
        figures.append(measure_conformance(["--cassettes", str(CASSETTES)], replay_name, REPLAY_GOAL, 120))
    else:
        figures.append(
            unavailable(replay_name, f"{CASSETTES.relative_to(ROOT)} not recorded yet", REPLAY_GOAL)
        )
    figures.extend(measure_regenerate(timeout_s=300))
    return Section("tooling", tuple(figures), seconds=time.perf_counter() - started)
