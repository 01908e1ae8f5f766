"""Section 3: peak memory while submitting large input images.

Each measurement runs in a fresh process (``benchmarks.memory_probe``): FLUX.1 Kontext [pro]
with four images and FLUX.2 [pro] with eight, each image ``fluxq.MAX_IMAGE_BYTES`` (20 MiB),
given as files, as bytes or as base64 strings. The figure is the peak RSS growth during the
submit divided by the raw image bytes. The probe first makes one small submit, so imports and
connection set-up are not counted; for bytes and strings the inputs themselves are already in
memory before the submit and are not counted as growth either.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.options import BenchOptions
from benchmarks.report import Figure, Goal, Section, Table, unavailable

ROOT = Path(__file__).resolve().parent.parent
GROWTH_GOAL = Goal("<=", 3.0)
CASES = (("flux_kontext_pro", 4), ("flux_2_pro", 8))
MODES = ("path", "bytes", "base64")
PROBE_TIMEOUT_S = 180.0
MIB = 1024 * 1024


def write_image_files(directory: Path, count: int, size: int) -> None:
    """Write the image files a ``path`` probe reads (random bytes after a PNG signature)."""
    from benchmarks.memory_probe import image_bytes, image_files

    for path in image_files(directory, count):
        path.write_bytes(image_bytes(size))


def run_probe(model: str, count: int, mode: str, directory: Path) -> dict[str, Any]:
    """Run one probe process and return its JSON line.

    Raises:
        RuntimeError: If the probe fails or prints no result.
        subprocess.TimeoutExpired: If it runs longer than ``PROBE_TIMEOUT_S``.
    """
    args = [sys.executable, "-m", "benchmarks.memory_probe", model, str(count), mode, str(directory)]
    # S603: our own module, started with this interpreter; no shell, no outside input.
    done = subprocess.run(  # noqa: S603
        args, cwd=ROOT, capture_output=True, text=True, timeout=PROBE_TIMEOUT_S, check=False
    )
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        tail = (done.stderr.strip().splitlines() or ["no output"])[-1]
        raise RuntimeError(f"probe {model} {mode} failed: {tail}")
    result: dict[str, Any] = json.loads(lines[-1])
    return result


def peak_during(result: dict[str, Any]) -> int:
    """The peak RSS during the submit: the sampled peak, or the kernel's if it rose during the submit."""
    kernel_peak = result["after_peak"] if result["after_peak"] > result["before_peak"] else 0
    return max(int(result["sampled_peak"]), int(kernel_peak), int(result["before_rss"]))


def growth_ratio(result: dict[str, Any]) -> float:
    """Peak RSS growth during the submit ÷ raw image bytes."""
    return (peak_during(result) - int(result["before_rss"])) / int(result["image_bytes"])


def control_row(directory: Path) -> tuple[str, ...] | None:
    """The control run: the same kontext submit to a transport that keeps the body (no goal)."""
    model, count = CASES[0]
    try:
        result = run_probe(model, count, "control", directory)
    except (RuntimeError, subprocess.TimeoutExpired):
        return None
    growth = peak_during(result) - int(result["before_rss"])
    return (
        model,
        "control: body kept",
        f"{result['image_bytes'] / MIB:.0f}",
        f"{result['before_rss'] / MIB:.0f}",
        f"{peak_during(result) / MIB:.0f}",
        f"{growth / MIB:.1f}",
        f"{result['received'] / MIB:.0f}",
        f"{growth_ratio(result):.2f}",
    )


def run_memory(options: BenchOptions) -> Section:
    """Run the memory section.

    Args:
        options: ``quick`` measures the file and bytes inputs only.

    Returns:
        The memory section.
    """
    started = time.perf_counter()
    try:
        import fluxq
    except ImportError as error:
        figure = unavailable(
            "peak RSS growth ÷ raw image bytes", f"wrapper not importable: {error}", GROWTH_GOAL
        )
        return Section("memory", (figure,))
    modes = MODES[:2] if options.quick else MODES
    figures: list[Figure] = []
    rows: list[tuple[str, ...]] = []
    with tempfile.TemporaryDirectory(prefix="fluxq-bench-") as tmp:
        directory = Path(tmp)
        write_image_files(directory, max(count for _, count in CASES), fluxq.MAX_IMAGE_BYTES)
        for model, count in CASES:
            for mode in modes:
                name = f"{model} × {count} images ({mode}): peak RSS growth ÷ image bytes"
                try:
                    result = run_probe(model, count, mode, directory)
                except (RuntimeError, subprocess.TimeoutExpired) as error:
                    figures.append(unavailable(name, str(error), GROWTH_GOAL))
                    continue
                ratio = growth_ratio(result)
                figures.append(Figure(name, ratio, goal=GROWTH_GOAL))
                rows.append(
                    (
                        model,
                        mode,
                        f"{result['image_bytes'] / MIB:.0f}",
                        f"{result['before_rss'] / MIB:.0f}",
                        f"{peak_during(result) / MIB:.0f}",
                        f"{(peak_during(result) - result['before_rss']) / MIB:.1f}",
                        f"{result['received'] / MIB:.0f}",
                        f"{ratio:.2f}",
                    )
                )
        control = control_row(directory)
        if control is not None:
            rows.append(control)
    table = Table(
        "one submit per fresh process, body read and discarded by the transport (MiB)",
        ("model", "input", "images", "RSS before", "peak RSS", "growth", "body sent", "growth ÷ images"),
        tuple(rows),
    )
    notes = (
        "peak RSS: the larger of /proc/self/statm sampled every ms and getrusage ru_maxrss (when it rose); "
        "RSS before: after a warm-up submit and gc.collect()",
    )
    return Section("memory", tuple(figures), (table,), notes, time.perf_counter() - started)
