"""Peak memory per in-flight job of ``fluxq.AsyncClient.batch``, run in a fresh process by the batch section.

``python -m benchmarks.batch_memory BASE_URL JOBS CONCURRENCY DIR`` runs a small warm-up batch (imports,
connections, SQLite), collects garbage, then runs ``JOBS`` jobs whose tasks take 4 s each, so that
``CONCURRENCY`` of them are in flight at once. A thread samples the RSS every 5 ms. It prints one JSON
line: the RSS before the measured batch, the sampled peak, and the most jobs seen in flight.
"""

from __future__ import annotations

import asyncio
import gc
import json
import os
import sys
import threading
import time
from pathlib import Path
from typing import Any

import fluxq

PAGE = os.sysconf("SC_PAGE_SIZE")


def rss() -> int:
    """This process's resident set size in bytes (``/proc/self/statm``)."""
    with open("/proc/self/statm", encoding="ascii") as statm:
        return int(statm.read().split()[1]) * PAGE


def jobs_file(path: Path, count: int, prompt: str) -> Path:
    """Write ``count`` small flux_pro_11 jobs."""
    lines = (
        json.dumps({"model": "flux_pro_11", "prompt": f"{prompt} {i}", "width": 256, "height": 256})
        for i in range(count)
    )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


async def measure(base_url: str, jobs: int, concurrency: int, directory: Path) -> dict[str, Any]:
    """Warm up, then run the measured batch while sampling the RSS."""
    async with fluxq.AsyncClient(fluxq_key(), base_url=base_url) as client:
        warm = jobs_file(directory / "warm.jsonl", 20, "warm-up")
        await client.batch(warm, out=directory / "warm", concurrency=20)
        gc.collect()
        before = rss()
        peak = [before]
        in_flight = [0]
        stop = threading.Event()

        def sample() -> None:
            while not stop.is_set():
                peak[0] = max(peak[0], rss())
                time.sleep(0.005)

        def progress(snapshot: fluxq.BatchProgress) -> None:
            in_flight[0] = max(in_flight[0], snapshot.running)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        source = jobs_file(directory / "jobs.jsonl", jobs, "memory [fluxq:run=4]")
        report = await client.batch(
            source, out=directory / "out", concurrency=concurrency, on_progress=progress, timeout=300
        )
        stop.set()
        sampler.join()
    return {"before": before, "peak": peak[0], "in_flight": in_flight[0], "done": report.counts["done"]}


def fluxq_key() -> str:
    """The reference provider's demo key."""
    from fluxq_reference import DEMO_API_KEY

    return DEMO_API_KEY


if __name__ == "__main__":
    url, count, limit, where = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), Path(sys.argv[4])
    where.mkdir(parents=True, exist_ok=True)
    print(json.dumps(asyncio.run(measure(url, count, limit, where))), flush=True)
