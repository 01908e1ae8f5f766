"""Section 5: ``fluxq batch`` — throughput against the provider's capacity, memory per job, crash-resume.

- **throughput**: 10,000 zero-duration jobs (1,000 with ``--quick``) through ``AsyncClient.batch``
  (journal on disk, every image saved, 1,000 in flight, the default poll policy) against a provider
  process on loopback; the provider's capacity is what a bare httpx client doing the same work
  (submit, result, download, 64 at a time) gets from the same provider process. Figure: capacity ÷ batch.
- **memory**: a fresh process runs 1,500 jobs of 4 s each at 1,000 in flight; peak RSS growth ÷ the
  most jobs seen in flight (`benchmarks.batch_memory`).
- **crash-resume**: ``fluxq batch`` over 2,000 jobs (500 with ``--quick``) is killed with SIGKILL at
  random moments, then resumed until nothing is running; then ``--resume --resubmit-unknown``. The
  provider runs in this process behind a middleware that counts submits per prompt (each line's
  prompt is unique), so duplicates are the server's count, not the client's claim.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import random
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

import httpx

from benchmarks.options import BenchOptions
from benchmarks.provider_process import provider_process
from benchmarks.report import Figure, Goal, Section, Table

ROOT = Path(__file__).resolve().parent.parent
THROUGHPUT_GOAL = Goal("<=", 1.5)
MEMORY_GOAL = Goal("<=", 50.0, "KB")
IN_FLIGHT = 1000
BARE_CONCURRENCY = 64
KILLS = 4
FLUXQ = str(Path(sys.executable).with_name("fluxq"))
KEY = "fluxq-demo-key"
BODY: dict[str, Any] = {"width": 256, "height": 256}


def write_jobs(path: Path, count: int, prompt: str) -> Path:
    """One flux_pro_11 job per line, each with a unique prompt."""
    lines = (json.dumps({"model": "flux_pro_11", "prompt": f"{prompt} {i}", **BODY}) for i in range(count))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


async def bare_capacity(base_url: str, jobs: int) -> float:
    """Jobs per second a bare httpx client gets: submit, result, download, ``BARE_CONCURRENCY`` at a time."""
    limits = httpx.Limits(max_connections=BARE_CONCURRENCY)
    headers = {"Authorization": f"Bearer {KEY}"}
    async with httpx.AsyncClient(base_url=base_url, headers=headers, limits=limits, timeout=60) as http:
        semaphore = asyncio.Semaphore(BARE_CONCURRENCY)

        async def one(index: int) -> None:
            async with semaphore:
                body = {"prompt": f"capacity {index}", **BODY}
                submitted = (await http.post("/v1/queue/flux_pro_11", json=body)).raise_for_status().json()
                while True:
                    result = await http.get(submitted["response_url"])
                    if result.status_code != 202:
                        break
                url = result.raise_for_status().json()["outputs"][0]["url"]
                (await http.get(url)).raise_for_status()

        started = time.perf_counter()
        await asyncio.gather(*(one(i) for i in range(jobs)))
        return jobs / (time.perf_counter() - started)


async def batch_throughput(base_url: str, jobs: int, directory: Path) -> tuple[float, Any]:
    """Jobs per second of ``AsyncClient.batch`` (journal, images saved), and its report."""
    import fluxq

    source = write_jobs(directory / "jobs.jsonl", jobs, "throughput")
    async with fluxq.AsyncClient(KEY, base_url=base_url) as client:
        started = time.perf_counter()
        report = await client.batch(source, out=directory / "out", concurrency=IN_FLIGHT)
        return jobs / (time.perf_counter() - started), report


def memory_probe(base_url: str, directory: Path) -> dict[str, Any]:
    """Run `benchmarks.batch_memory` in a fresh process.

    Raises:
        RuntimeError: If the probe fails.
    """
    args = [sys.executable, "-m", "benchmarks.batch_memory", base_url, "1500", str(IN_FLIGHT), str(directory)]
    # S603: our own module, started with this interpreter; no shell, no outside input.
    done = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=300, check=False)  # noqa: S603
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        raise RuntimeError(f"memory probe failed: {(done.stderr.strip().splitlines() or ['no output'])[-1]}")
    result: dict[str, Any] = json.loads(lines[-1])
    return result


class SubmitLog:
    """ASGI middleware counting submits per prompt, as the server received them."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.prompts: Counter[str] = Counter()

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        """Count a submit's prompt, then hand the request (body replayed) to the app."""
        if scope["type"] != "http" or scope["method"] != "POST":
            await self.app(scope, receive, send)
            return
        messages = []
        while True:
            message = await receive()
            messages.append(message)
            if not message.get("more_body"):
                break
        with contextlib.suppress(ValueError, KeyError, TypeError):  # not a JSON submit: nothing to count
            self.prompts[json.loads(b"".join(m.get("body", b"") for m in messages))["prompt"]] += 1
        replay = iter(messages)

        async def again() -> Any:
            return next(replay, None) or await receive()

        await self.app(scope, again, send)


def crash_resume(jobs: int, seed: int, directory: Path) -> dict[str, Any]:
    """Kill ``fluxq batch`` with SIGKILL at random moments, resume until nothing runs, then opt in."""
    from fluxq_reference import ModelTiming, ProviderConfig, create_app, same_timing, serve_in_thread

    rng = random.Random(seed)
    app = create_app(ProviderConfig(timings=same_timing(ModelTiming.zero()), workers=256))
    log = SubmitLog(app)
    source = write_jobs(directory / "crash.jsonl", jobs, "crash")
    out = directory / "crash-out"
    kills = 0
    with serve_in_thread(log) as base_url:
        args = [FLUXQ, "batch", str(source), "--out", str(out), "--base-url", base_url, "--api-key", KEY]
        args += ["--concurrency", "256", "--json"]

        def run(*extra: str, kill_after: float | None = None) -> dict[str, Any] | None:
            # S603: the project's own CLI; no shell, no outside input.
            process = subprocess.Popen([*args, *extra], stdout=subprocess.PIPE, stderr=subprocess.PIPE)  # noqa: S603
            try:
                stdout, stderr = process.communicate(timeout=kill_after if kill_after is not None else 300)
            except subprocess.TimeoutExpired:
                process.send_signal(signal.SIGKILL)
                process.communicate()
                return None
            try:
                summary: dict[str, Any] = json.loads(stdout)
            except ValueError:
                tail = (stderr.decode(errors="replace").strip().splitlines() or ["no output"])[-1]
                raise RuntimeError(
                    f"fluxq batch exited {process.returncode} without a report: {tail}"
                ) from None
            return summary

        summary = None
        for attempt in range(KILLS):
            summary = run(*(["--resume"] if attempt else []), kill_after=rng.uniform(1.0, 5.0))
            kills += summary is None
        for _ in range(10):
            summary = run("--resume")
            if summary is not None and summary["counts"]["running"] == summary["counts"]["not_started"] == 0:
                break
        assert summary is not None
        duplicates = sum(count - 1 for count in log.prompts.values())
        unknown = list(summary["unknown_lines"])
        manifest_unknown = [
            e["line"]
            for e in map(json.loads, (out / "manifest.jsonl").read_text().splitlines())
            if e["outcome"] == "unknown"
        ]
        reached = sum(1 for line in unknown if log.prompts[f"crash {line - 1}"] > 0)
        opted = run("--resume", "--resubmit-unknown")
        assert opted is not None
        outputs = sum(
            1
            for e in map(json.loads, (out / "manifest.jsonl").read_text().splitlines())
            if e["outcome"] == "done" and Path(e["files"][0]).exists()
        )
    return {
        "kills": kills,
        "done": summary["counts"]["done"],
        "unknown": len(unknown),
        "unknown_reported": unknown == manifest_unknown and len(unknown) + summary["counts"]["done"] == jobs,
        "duplicates": duplicates,
        "reached": reached,
        "outputs_after_opt_in": outputs,
        "duplicates_after_opt_in": sum(count - 1 for count in log.prompts.values()),
    }


def run_batch(options: BenchOptions) -> Section:
    """Run the batch section."""
    started = time.perf_counter()
    jobs = 1000 if options.quick else 10_000
    crash_jobs = 500 if options.quick else 2000
    with tempfile.TemporaryDirectory(prefix="fluxq-bench-batch-") as tmp:
        directory = Path(tmp)
        with provider_process(IN_FLIGHT) as base_url:
            capacity = asyncio.run(bare_capacity(base_url, min(jobs, 3000)))
            print(f"batch: bare capacity {capacity:.0f} jobs/s", file=sys.stderr, flush=True)
            throughput, report = asyncio.run(batch_throughput(base_url, jobs, directory))
            print(f"batch: batch throughput {throughput:.0f} jobs/s", file=sys.stderr, flush=True)
            memory = memory_probe(base_url, directory / "memory")
            print(f"batch: memory {memory}", file=sys.stderr, flush=True)
        crash = crash_resume(crash_jobs, options.seed, directory)
        print(f"batch: crash-resume {crash}", file=sys.stderr, flush=True)
    per_job_kb = (memory["peak"] - memory["before"]) / max(memory["in_flight"], 1) / 1024
    figures = (
        Figure(
            f"batch: provider capacity ÷ batch throughput ({jobs:,} zero-duration jobs)",
            capacity / throughput,
            goal=THROUGHPUT_GOAL,
            note=f"batch {throughput:,.0f} jobs/s (journal + images saved, {IN_FLIGHT} in flight); "
            f"bare httpx {capacity:,.0f} jobs/s; {report.counts['done']:,} done",
        ),
        Figure(
            f"batch: peak RSS growth per in-flight job ({memory['in_flight']} in flight)",
            per_job_kb,
            "KB",
            goal=MEMORY_GOAL,
            note=f"{(memory['peak'] - memory['before']) / 2**20:.1f} MiB growth over "
            f"{memory['before'] / 2**20:.0f} MiB",
        ),
        Figure(
            f"crash-resume: duplicate submits (server count, {crash['kills']} × kill -9, "
            f"{crash_jobs:,} jobs)",
            crash["duplicates"],
            goal=Goal("<=", 0),
            note=f"{crash['done']:,} done + {crash['unknown']} unknown "
            f"(all reported: {crash['unknown_reported']})",
        ),
        Figure(
            "crash-resume: outputs after --resubmit-unknown",
            crash["outputs_after_opt_in"],
            goal=Goal(">=", crash_jobs),
            note=f"{crash['reached']} of the {crash['unknown']} unknown had reached the server: "
            f"{crash['duplicates_after_opt_in']} tasks billed twice by the opt-in",
        ),
    )
    table = Table(
        "crash-resume",
        ("kills", "done", "unknown", "all unknown reported", "duplicates", "outputs after opt-in"),
        (
            (
                str(crash["kills"]),
                str(crash["done"]),
                str(crash["unknown"]),
                str(crash["unknown_reported"]),
                str(crash["duplicates"]),
                str(crash["outputs_after_opt_in"]),
            ),
        ),
    )
    return Section("batch", figures, (table,), seconds=time.perf_counter() - started)
