"""What a batch tells its user: live progress, the manifest (JSONL) and the final report.

Pure functions of the journal's rows and counts; the engine (`fluxq._batch`) and the CLI call them.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ._batch_input import LineProblem
from ._journal import JobState, Row

OUTCOMES: Mapping[JobState, str] = {
    JobState.DONE: "done",
    JobState.FAILED: "failed",
    JobState.UNKNOWN: "unknown",
    JobState.INVALID: "invalid",
    JobState.SUBMITTED: "running",
    JobState.SUBMITTING: "unknown",
    JobState.PENDING: "not_started",
}
"""A line's outcome in the manifest, by journal state (``running``: submitted, not finished yet)."""


@dataclass(frozen=True, slots=True)
class BatchProgress:
    """A snapshot of a running batch.

    Attributes:
        total: Lines in the input.
        done: Lines finished with their outputs saved.
        running: Jobs in flight (submitting, or submitted and not finished).
        queued: Lines not submitted yet.
        failed: Lines whose task failed or whose submit was refused.
        unknown: Lines whose submit outcome is unknown (never re-submitted unless asked).
        invalid: Bad input lines.
        done_this_run: Lines this run finished (for the speed figure).
        elapsed: Seconds since this run started.
        rate_limited: 429 answers so far (each one slowed the whole batch).
        limit: Jobs in flight allowed now (drops after a 429, climbs back).
        problems: The bad input lines (the same in every snapshot), to report before anything runs.
    """

    total: int
    done: int
    running: int
    queued: int
    failed: int
    unknown: int
    invalid: int
    done_this_run: int
    elapsed: float
    rate_limited: int = 0
    limit: int = 0
    problems: tuple[LineProblem, ...] = ()

    @property
    def per_minute(self) -> float:
        """Lines finished per minute in this run."""
        return 60.0 * self.done_this_run / self.elapsed if self.elapsed > 0 else 0.0

    @property
    def eta(self) -> float | None:
        """Seconds until the queued and running lines are done at the current speed (None: unknown yet)."""
        left = self.queued + self.running
        if left == 0:
            return 0.0
        if self.done_this_run == 0:
            return None
        return left * self.elapsed / self.done_this_run


def _duration(seconds: float | None) -> str:
    if seconds is None:
        return "?"
    seconds = round(seconds)
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def progress_line(progress: BatchProgress) -> str:
    """One line of progress: ``done 120/1000 · running 32 · queued 840 · failed 8 · 41/min · ETA 21:28``."""
    parts = [
        f"done {progress.done}/{progress.total}",
        f"running {progress.running}",
        f"queued {progress.queued}",
        f"failed {progress.failed}",
    ]
    if progress.unknown:
        parts.append(f"unknown {progress.unknown}")
    if progress.invalid:
        parts.append(f"invalid {progress.invalid}")
    parts.append(f"{progress.per_minute:,.0f}/min")
    parts.append(f"ETA {_duration(progress.eta)}")
    if progress.rate_limited:
        parts.append(f"429×{progress.rate_limited} (limit {progress.limit})")
    return " · ".join(parts)


def manifest_entry(row: Row) -> dict[str, Any]:
    """One manifest line: line, id, model, outcome, request id, files, cost, error."""
    entry: dict[str, Any] = {
        "line": row.line,
        "id": row.name,
        "model": row.model or None,
        "outcome": OUTCOMES[row.state],
        "request_id": row.request_id,
        "files": list(row.files),
        "cost": row.cost,
    }
    if row.error_type is not None or row.error is not None:
        entry["error_type"] = row.error_type
        entry["error"] = row.error
    return entry


def write_manifest(path: Path, rows: Iterable[Row]) -> int:
    """Write the manifest (one JSON object per line, in input order) atomically; return its line count.

    Raises:
        OSError: The file cannot be written.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".part")
    count = 0
    with partial.open("w", encoding="utf-8") as file:
        for row in rows:
            file.write(json.dumps(manifest_entry(row), ensure_ascii=False) + "\n")
            count += 1
        file.flush()
        os.fsync(file.fileno())
    partial.replace(path)
    return count


@dataclass(frozen=True, slots=True)
class BatchReport:
    """How a batch ended (also after Ctrl-C: see ``interrupted``).

    Attributes:
        total: Lines in the input.
        counts: Lines per outcome (done, failed, unknown, invalid, running, not_started).
        images: Output files saved (over all runs of this journal).
        elapsed: Seconds this run took.
        manifest: The manifest file.
        journal: The journal file (pass it again with ``resume=True`` / ``--resume``).
        problems: The bad input lines.
        unknown_lines: Lines whose submit outcome is unknown: the task may exist (and be billed). They are
            not re-submitted unless asked (``resubmit_unknown=True`` / ``--resubmit-unknown``).
        rate_limited: 429 answers in this run.
        interrupted: The run was stopped (Ctrl-C / task cancellation) before every line finished.
    """

    total: int
    counts: Mapping[str, int]
    images: int
    elapsed: float
    manifest: Path
    journal: Path
    problems: tuple[LineProblem, ...]
    unknown_lines: tuple[int, ...]
    rate_limited: int = 0
    interrupted: bool = False

    @property
    def ok(self) -> bool:
        """True when every line is done."""
        return self.counts.get("done", 0) == self.total

    def summary(self) -> str:
        """A few human lines: the outcome counts, then what to do about what is left."""
        order = ("done", "failed", "unknown", "invalid", "running", "not_started")
        counted = ", ".join(
            f"{self.counts[name]} {name.replace('_', ' ')}" for name in order if self.counts.get(name)
        )
        lines = [
            f"{self.total} lines: {counted or 'nothing'}; {self.images} images in {_duration(self.elapsed)}",
            f"manifest: {self.manifest}",
        ]
        if self.unknown_lines:
            shown = ", ".join(str(line) for line in self.unknown_lines[:20])
            more = f" and {len(self.unknown_lines) - 20} more" if len(self.unknown_lines) > 20 else ""
            lines.append(
                f"unknown submit outcome (the task may exist and be billed; not re-submitted): "
                f"lines {shown}{more}"
                " — check the provider, then --resume --resubmit-unknown to submit them again"
            )
        if self.counts.get("running") or self.counts.get("not_started"):
            lines.append(f"resumable: same command with --resume (journal {self.journal})")
        return "\n".join(lines)


def build_report(
    rows: Iterable[Row],
    *,
    elapsed: float,
    manifest: Path,
    journal: Path,
    problems: tuple[LineProblem, ...],
    rate_limited: int,
    interrupted: bool,
) -> BatchReport:
    """Summarise the journal's rows."""
    counts = dict.fromkeys(("done", "failed", "unknown", "invalid", "running", "not_started"), 0)
    images = 0
    total = 0
    unknown: list[int] = []
    for row in rows:
        total += 1
        outcome = OUTCOMES[row.state]
        counts[outcome] += 1
        images += len(row.files)
        if outcome == "unknown":
            unknown.append(row.line)
    return BatchReport(
        total,
        counts,
        images,
        elapsed,
        manifest,
        journal,
        problems,
        tuple(unknown),
        rate_limited,
        interrupted,
    )
