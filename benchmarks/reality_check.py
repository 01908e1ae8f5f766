"""Check the polling simulation against the real client and the real reference provider.

A few dozen tasks of the seeded workload go, one after the other, through ``fluxq.AsyncClient``
to the reference provider on a loopback port. Client and provider share one manual clock
(``FakeClock``): the client's sleeps move it, so the tasks take their simulated durations in
virtual time while every request is real HTTP. The provider's counters give the requests; the
simulation of the same durations, with the same seeded jitter, must give the same counts.

The reference provider answers every 202 with a ``Retry-After`` hint computed from the task's
known finish time, and the client honours hints before its own policy. The real providers
document no such hint, so the policy check strips it (``hints=False``); with hints kept, the
figure shows what the oracle hint is worth instead.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import httpx

from benchmarks.fluxq_policy import fluxq_policy
from benchmarks.simulation import simulate_task
from benchmarks.stats import median
from fluxq_reference.server import serve_in_thread

if TYPE_CHECKING:
    import fluxq

CHECK_MODEL: fluxq.ModelId = "flux_pro_11"
LIFECYCLE_OPERATIONS = ("submit", "status", "result", "cancel")


@dataclass(frozen=True)
class RealityCheck:
    """Requests per task counted by the provider, and simulated for the same durations."""

    real_per_task: tuple[int, ...]
    simulated_per_task: tuple[int, ...]

    @property
    def real_mean(self) -> float:
        """Requests per task, as the provider counted them."""
        return sum(self.real_per_task) / len(self.real_per_task)

    @property
    def simulated_mean(self) -> float:
        """Requests per task, as the simulation counted them."""
        return sum(self.simulated_per_task) / len(self.simulated_per_task)

    @property
    def mismatches(self) -> int:
        """Tasks whose real and simulated request counts differ."""
        return sum(r != s for r, s in zip(self.real_per_task, self.simulated_per_task, strict=True))


class WithoutPollHints:
    """ASGI middleware that removes ``Retry-After`` from 202 (not-yet-done) responses.

    Args:
        app: The wrapped ASGI application.
    """

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        """Pass the request on; drop the hint header from a 202's response start."""

        async def send_without_hint(message: Any) -> None:
            if message["type"] == "http.response.start" and message["status"] == 202:
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != b"retry-after"]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_without_hint)


def task_prompt(duration_s: float) -> str:
    """A prompt whose markers make the provider run the task for exactly ``duration_s``."""
    return f"a lighthouse at dusk [fluxq:queue=0] [fluxq:run={duration_s!r}]"


async def run_real_tasks(durations: Sequence[float], seed: int, *, hints: bool) -> list[int]:
    """Run tasks through the real client and provider on a shared manual clock.

    Args:
        durations: Each task's run time in (virtual) seconds.
        seed: Seed of the client's jitter.
        hints: Keep the provider's ``Retry-After`` hints on 202 responses.

    Returns:
        The lifecycle requests the provider received for each task.

    Raises:
        fluxq.FluxqError: If a task fails (it should not: no faults are configured).
        RuntimeError: If the provider cannot start.
    """
    import fluxq
    from fluxq_reference import (
        DEMO_API_KEY,
        FakeClock,
        ModelTiming,
        ProviderConfig,
        create_app,
        same_timing,
    )

    clock = FakeClock(start=1000.0)
    config = ProviderConfig(
        timings=same_timing(ModelTiming.zero()), clock=clock, sleep=clock.sleep, seed=seed
    )
    app = create_app(config)
    counters = app.state.provider.counters

    def lifecycle_requests() -> int:
        return sum(counters.count(op) for op in LIFECYCLE_OPERATIONS)

    counts = []
    with serve_in_thread(app if hints else WithoutPollHints(app)) as base_url:
        async with fluxq.AsyncClient(
            api_key=DEMO_API_KEY, base_url=base_url, clock=clock, sleep=clock.sleep, rng=random.Random(seed)
        ) as client:
            for duration in durations:
                before = lifecycle_requests()
                await client.run(CHECK_MODEL, prompt=task_prompt(duration))
                counts.append(lifecycle_requests() - before)
    return counts


def simulated_counts(durations: Sequence[float], seed: int) -> list[int]:
    """Simulate the same tasks with fluxq's default policy and the same seeded jitter."""
    policy = fluxq_policy()
    rng = random.Random(seed)
    return [simulate_task(duration, policy, rng).requests for duration in durations]


class TimingTransport(httpx.AsyncBaseTransport):
    """Wraps a transport and records each request's round trip in seconds.

    Args:
        inner: The transport that does the work.
    """

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner
        self.round_trips: list[float] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        """Send through the inner transport, timing until the body is read."""
        started = time.perf_counter()
        response = await self.inner.handle_async_request(request)
        await response.aread()
        self.round_trips.append(time.perf_counter() - started)
        return response

    async def aclose(self) -> None:
        """Close the inner transport."""
        await self.inner.aclose()


async def run_real_time_tasks(
    durations: Sequence[float], seed: int, speedup: float
) -> tuple[list[int], float]:
    """Run tasks one after the other in real time, durations and policy sped up by ``speedup``.

    Args:
        durations: Each task's run time in workload seconds (divided by ``speedup`` for real).
        seed: Seed of the client's jitter.
        speedup: How much faster than the workload the tasks and the polling run.

    Returns:
        The lifecycle requests per task, and the median round trip of a request in seconds.

    Raises:
        fluxq.FluxqError: If a task fails.
        RuntimeError: If the provider cannot start.
    """
    import fluxq
    from fluxq_reference import DEMO_API_KEY, ModelTiming, ProviderConfig, create_app, same_timing

    app = create_app(ProviderConfig(timings=same_timing(ModelTiming.zero()), seed=seed))
    counters = app.state.provider.counters

    def lifecycle_requests() -> int:
        return sum(counters.count(op) for op in LIFECYCLE_OPERATIONS)

    transport = TimingTransport(httpx.AsyncHTTPTransport())
    policy = fluxq.PollPolicy().with_eagerness(speedup)
    counts = []
    with serve_in_thread(WithoutPollHints(app)) as base_url:
        async with fluxq.AsyncClient(
            api_key=DEMO_API_KEY,
            base_url=base_url,
            poll_policy=policy,
            rng=random.Random(seed),
            transport=transport,
        ) as client:
            for duration in durations:
                before = lifecycle_requests()
                await client.run(CHECK_MODEL, prompt=task_prompt(duration / speedup))
                counts.append(lifecycle_requests() - before)
    return counts, median(transport.round_trips)


def check_in_real_time(durations: Sequence[float], seed: int, speedup: float = 10.0) -> RealityCheck:
    """Requests per task in real time, and simulated for the same (sped-up) durations.

    The simulation uses the median round trip the client saw as its request latency; the
    client's sleeps and round trips are real, so a task near a poll boundary may differ by one.

    Raises:
        fluxq.FluxqError: If a real task fails.
        RuntimeError: If the provider cannot start.
        benchmarks.fluxq_policy.PolicyUnavailable: If the wrapper's policy cannot be imported.
    """
    real, round_trip = asyncio.run(run_real_time_tasks(durations, seed, speedup))
    policy = fluxq_policy(speedup)
    rng = random.Random(seed)
    simulated = [simulate_task(d / speedup, policy, rng, latency_s=round_trip).requests for d in durations]
    return RealityCheck(tuple(real), tuple(simulated))


def check_against_reality(durations: Sequence[float], seed: int, *, hints: bool = False) -> RealityCheck:
    """Run the tasks for real (with or without the provider's hints) and in simulation.

    Raises:
        fluxq.FluxqError: If a real task fails.
        RuntimeError: If the provider cannot start.
        benchmarks.fluxq_policy.PolicyUnavailable: If the wrapper's policy cannot be imported.
    """
    real = asyncio.run(run_real_tasks(durations, seed, hints=hints))
    return RealityCheck(tuple(real), tuple(simulated_counts(durations, seed)))
