"""The fault soak (issue 13): many tasks through the wrapper against ``fluxq serve`` with faults injected.

``scripts/soak`` runs it: N tasks (default 1,000) through one `fluxq.AsyncClient` — submit, wait,
download the image — against the reference provider on ``127.0.0.1`` whose requests fail at the given
rate (default 10 %: 429 with ``Retry-After``, 500/502/503, connections dropped mid-response, slow replies,
bodies cut mid-JSON). It checks, from the server's own counters where it can:

- every task ends **completed or in a typed error** (a `fluxq.FluxqError`; anything else is a defect);
- **0 duplicate submits** and **0 lost request ids**: the tasks the server created are exactly the
  ids the client holds (same count, every id found on the server);
- the **key is found 0 times** in the log records (``fluxq`` logger at DEBUG), the error messages and
  the JSON report.

The figures are printed and written as JSON (``--json``). The exit code is 1 when a property fails.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import resource
import secrets
import statistics
import sys
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path

import fluxq
from fluxq_reference import (
    Duration,
    FaultRates,
    ModelTiming,
    ProviderConfig,
    ProviderState,
    create_app,
    same_timing,
    serve_in_thread,
)

MODELS: tuple[fluxq.ModelId, ...] = ("flux_pro_11", "flux_kontext_pro", "flux_2_pro")


@dataclass
class SoakFigures:
    """What a soak measured."""

    tasks: int
    fault_rate: float
    concurrency: int
    seconds: float = 0.0
    completed: int = 0
    typed_errors: dict[str, int] = field(default_factory=dict)
    untyped_errors: dict[str, int] = field(default_factory=dict)
    client_ids: int = 0
    server_tasks_created: int = 0
    server_submits_received: int = 0
    duplicate_submits: int = 0
    lost_request_ids: int = 0
    ids_missing_on_server: int = 0
    server_requests: int = 0
    faults_fired: dict[str, int] = field(default_factory=dict)
    fault_share: float = 0.0
    """Faults fired ÷ API requests received (output downloads are not faulted)."""
    task_seconds_p50: float = 0.0
    task_seconds_p95: float = 0.0
    key_in_logs: int = 0
    key_in_errors: int = 0
    key_in_report: int = 0
    log_records: int = 0
    peak_rss_mb: float = 0.0

    def holds(self) -> list[str]:
        """The properties that failed (empty when the soak holds)."""
        failed = []
        if self.untyped_errors:
            failed.append(f"untyped errors: {self.untyped_errors}")
        if self.completed + sum(self.typed_errors.values()) != self.tasks:
            failed.append("some task ended neither completed nor in a typed error")
        if self.duplicate_submits or self.lost_request_ids or self.ids_missing_on_server:
            failed.append(
                f"duplicates {self.duplicate_submits}, lost ids {self.lost_request_ids}, "
                f"ids unknown to the server {self.ids_missing_on_server}"
            )
        if self.key_in_logs or self.key_in_errors or self.key_in_report:
            failed.append("the key was found in logs, errors or the report")
        return failed


class _Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


def _config(fault_rate: float, seed: int, key: str) -> ProviderConfig:
    share = fault_rate / 10  # 3 parts 429, 3 parts 5xx, 2 parts dropped, 1 part slow, 1 part malformed
    faults = FaultRates(
        rate_limit=3 * share,
        server_error=3 * share,
        dropped_connection=2 * share,
        slow=share,
        malformed_body=share,
        slow_seconds=1.0,
        retry_after=1,
    )
    timing = ModelTiming(Duration.uniform(0.0, 0.3), Duration.uniform(0.3, 1.5))
    return ProviderConfig(api_keys=(key,), workers=256, seed=seed, faults=faults, timings=same_timing(timing))


async def _one(client: fluxq.AsyncClient, index: int, ids: list[str]) -> tuple[str, float]:
    started = time.monotonic()
    try:
        job = await client.submit(MODELS[index % len(MODELS)], prompt=f"soak task {index}")
        ids.append(job.request_id)
        result = await job.wait(timeout=120)
        await result.outputs[0].bytes()
        return "completed", time.monotonic() - started
    except fluxq.FluxqError as error:
        return f"typed:{type(error).__name__}:{error}", time.monotonic() - started
    except Exception as error:  # what the soak exists to catch: an error outside the tree
        return f"untyped:{type(error).__name__}:{error}", time.monotonic() - started


async def _drive(base_url: str, key: str, figures: SoakFigures, ids: list[str]) -> list[str]:
    semaphore = asyncio.Semaphore(figures.concurrency)
    durations: list[float] = []
    outcomes: list[str] = []

    async with fluxq.AsyncClient(api_key=key, base_url=base_url) as client:

        async def bounded(index: int) -> None:
            async with semaphore:
                outcome, seconds = await _one(client, index, ids)
                outcomes.append(outcome)
                durations.append(seconds)

        await asyncio.gather(*(bounded(i) for i in range(figures.tasks)))
    figures.task_seconds_p50 = statistics.median(durations)
    figures.task_seconds_p95 = (
        statistics.quantiles(durations, n=20)[-1] if len(durations) > 1 else durations[0]
    )
    return outcomes


def run_soak(
    tasks: int = 1000, fault_rate: float = 0.10, concurrency: int = 100, seed: int = 13
) -> SoakFigures:
    """Run the soak and return its figures (see the module docstring)."""
    key = f"sk-soak-{secrets.token_hex(12)}"
    figures = SoakFigures(tasks, fault_rate, concurrency)
    records = _Records()
    logger = logging.getLogger("fluxq")
    previous_level = logger.level
    logger.addHandler(records)
    logger.setLevel(logging.DEBUG)
    app = create_app(_config(fault_rate, seed, key))
    ids: list[str] = []
    started = time.monotonic()
    try:
        with serve_in_thread(app) as base_url:
            # Each injected dropped connection would print a server-side traceback (set after start:
            # uvicorn configures its loggers when it starts).
            logging.getLogger("uvicorn.error").setLevel(logging.CRITICAL)
            outcomes = asyncio.run(_drive(base_url, key, figures, ids))
    finally:
        logger.removeHandler(records)
        logger.setLevel(previous_level)
    figures.seconds = time.monotonic() - started

    state: ProviderState = app.state.provider
    counters = state.counters
    typed: Counter[str] = Counter()
    untyped: Counter[str] = Counter()
    messages = []
    for outcome in outcomes:
        kind, _, rest = outcome.partition(":")
        if kind == "completed":
            figures.completed += 1
            continue
        name, _, message = rest.partition(":")
        messages.append(message)
        (typed if kind == "typed" else untyped)[name] += 1
    figures.typed_errors = dict(typed.most_common())
    figures.untyped_errors = dict(untyped.most_common())
    figures.client_ids = len(set(ids))
    figures.server_tasks_created = counters.tasks_created
    figures.server_submits_received = counters.count("submit")
    figures.duplicate_submits = len(ids) - len(set(ids)) + max(0, counters.tasks_created - len(set(ids)))
    figures.ids_missing_on_server = sum(1 for rid in set(ids) if state.find_by_id(rid) is None)
    figures.lost_request_ids = max(0, counters.tasks_created - figures.client_ids)
    figures.server_requests = counters.total_requests()
    figures.faults_fired = dict(counters.faults.most_common())
    api_requests = counters.total_requests() - counters.count("download")  # downloads are never faulted
    figures.fault_share = round(sum(counters.faults.values()) / max(1, api_requests), 4)
    figures.log_records = len(records.lines)
    figures.key_in_logs = sum(line.count(key) for line in records.lines)
    figures.key_in_errors = sum(message.count(key) for message in messages)
    figures.peak_rss_mb = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    figures.key_in_report = json.dumps(asdict(figures)).count(key)
    return figures


def main(argv: list[str] | None = None) -> int:
    """Run the soak from the command line; exit 1 when a property fails."""
    parser = argparse.ArgumentParser(prog="scripts/soak", description=__doc__.split("\n\n")[0])
    parser.add_argument("--tasks", type=int, default=1000)
    parser.add_argument("--fault-rate", type=float, default=0.10)
    parser.add_argument("--concurrency", type=int, default=100)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--json", type=Path, default=None, help="Write the figures here.")
    args = parser.parse_args(argv)
    figures = run_soak(args.tasks, args.fault_rate, args.concurrency, args.seed)
    report = json.dumps(asdict(figures), indent=2)
    print(report)
    if args.json is not None:
        args.json.write_text(report + "\n")
    failed = figures.holds()
    for problem in failed:
        print(f"soak FAILED: {problem}", file=sys.stderr)
    if not failed:
        print(
            f"soak holds: {figures.tasks} tasks, {figures.completed} completed, "
            f"{sum(figures.typed_errors.values())} typed errors, 0 untyped, 0 duplicates, 0 lost ids, "
            f"key found 0 times",
            file=sys.stderr,
        )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
