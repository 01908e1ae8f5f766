"""Throughput of the provider as a load generator: full lifecycles per second, in-process.

Run: ``python -m benchmarks.provider_bench [--tasks N] [--concurrency C]``. Each task
is submit → status → result (zero queue and run time) through ``httpx.ASGITransport``, once
without and once with the output download (which renders a 256×256 image).
"""

from __future__ import annotations

import argparse
import asyncio
import time
from dataclasses import dataclass

import httpx

from fluxq_reference.app import create_app
from fluxq_reference.config import DEMO_API_KEY, ModelTiming, ProviderConfig, same_timing

MODELS = ("flux_kontext_pro", "flux_pro_11", "flux_2_pro")
_SMALL: dict[str, object] = {"width": 256, "height": 256}
_SIZES: dict[str, dict[str, object]] = {"flux_kontext_pro": {"aspect_ratio": "1:1"}}


@dataclass(frozen=True)
class BenchResult:
    """One measurement.

    Attributes:
        label: What was measured.
        tasks: Lifecycles completed.
        seconds: Wall time.
        requests: HTTP requests the provider answered.
    """

    label: str
    tasks: int
    seconds: float
    requests: int

    @property
    def tasks_per_second(self) -> float:
        """Lifecycles per second."""
        return self.tasks / self.seconds if self.seconds > 0 else float("inf")

    @property
    def requests_per_second(self) -> float:
        """Requests per second."""
        return self.requests / self.seconds if self.seconds > 0 else float("inf")


def _body(model: str, index: int) -> dict[str, object]:
    body: dict[str, object] = {"prompt": f"benchmark task {index}", "seed": index}
    body.update(_SIZES.get(model, _SMALL))
    return body


async def _lifecycle(http: httpx.AsyncClient, index: int, download: bool) -> None:
    model = MODELS[index % len(MODELS)]
    submitted = (await http.post(f"/v1/queue/{model}", json=_body(model, index))).json()
    (await http.get(submitted["status_url"])).raise_for_status()
    result = await http.get(submitted["response_url"])
    result.raise_for_status()
    if download:
        (await http.get(result.json()["outputs"][0]["url"])).raise_for_status()


async def measure(tasks: int, concurrency: int, download: bool) -> BenchResult:
    """Run ``tasks`` lifecycles, ``concurrency`` at a time, against a fresh zero-time provider.

    Raises:
        httpx.HTTPStatusError: If any step does not succeed.
    """
    app = create_app(ProviderConfig(timings=same_timing(ModelTiming.zero()), workers=max(concurrency, 1)))
    transport = httpx.ASGITransport(app=app)
    headers = {"Authorization": f"Bearer {DEMO_API_KEY}"}
    async with httpx.AsyncClient(transport=transport, base_url="http://bench/model", headers=headers) as http:
        started = time.perf_counter()
        for first in range(0, tasks, concurrency):
            batch = range(first, min(first + concurrency, tasks))
            await asyncio.gather(*(_lifecycle(http, index, download) for index in batch))
        seconds = time.perf_counter() - started
    label = "submit+status+result+download" if download else "submit+status+result"
    return BenchResult(label, tasks, seconds, app.state.provider.counters.total_requests())


def main(argv: list[str] | None = None) -> int:
    """Print both measurements; returns the exit code."""
    parser = argparse.ArgumentParser(description="Reference provider throughput (in-process).")
    parser.add_argument("--tasks", type=int, default=600)
    parser.add_argument("--concurrency", type=int, default=20)
    args = parser.parse_args(argv)
    for download in (False, True):
        result = asyncio.run(measure(args.tasks, args.concurrency, download))
        print(
            f"{result.label:32} {result.tasks} tasks in {result.seconds:.2f} s: "
            f"{result.tasks_per_second:.0f} tasks/s, {result.requests_per_second:.0f} requests/s"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
