"""Section 2: throughput and CPU overhead of the wrapper, against bare httpx doing the same requests.

Every task has zero duration, so each one is exactly submit + one result GET, for the wrapper
(``fluxq.AsyncClient.run`` with sleeping switched off) and for the bare-httpx baseline alike;
the provider's counters confirm the request counts. CPU per task is measured two ways:

- in-process (``httpx.ASGITransport``, one task at a time): ``time.thread_time`` covers client
  *and* provider; a meter around the provider's ASGI app measures the provider's share, so the
  client's own CPU is the difference (with one task at a time nothing else runs meanwhile);
- loopback (the provider served by ``run_in_thread`` in a separate process): ``time.process_time``
  of the benchmark process covers the client alone, HTTP over real sockets included.

A third, noise-free figure counts instructions instead of CPU time (`benchmarks.instructions`, when
valgrind is installed): the in-process comparison again, which a busy machine cannot move.

Wrapper and baseline alternate in blocks within a round, so both see the same machine load; the
ratio reported is the median over rounds: 3 over loopback, 7 in-process (a round there takes a
few seconds, and one disturbed by other work on a shared machine should not decide the figure).
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import httpx

from benchmarks.options import BenchOptions
from benchmarks.provider_process import provider_process
from benchmarks.report import Figure, Goal, Section, Table, unavailable
from benchmarks.stats import median

CPU_RATIO_GOAL = Goal("<=", 1.25)
MODEL = "flux_pro_11"
BODY: dict[str, Any] = {"prompt": "throughput probe", "width": 256, "height": 256}
CONCURRENCY = 8
IN_PROCESS_BASE_URL = "http://provider/model"
WARMUP_TASKS = 30
BLOCKS = 10
LOOPBACK_ROUNDS = 3
IN_PROCESS_ROUNDS = 7

TaskRunner = Callable[[int], Awaitable[None]]


@dataclass(frozen=True)
class Measurement:
    """One batch of tasks: wall time, the client's CPU time and requests the provider answered."""

    tasks: int
    wall_s: float
    cpu_s: float
    requests: int

    @property
    def tasks_per_s(self) -> float:
        """Tasks completed per wall-clock second."""
        return self.tasks / self.wall_s

    @property
    def cpu_ms_per_task(self) -> float:
        """CPU milliseconds per task."""
        return 1000 * self.cpu_s / self.tasks


class CpuMeter:
    """ASGI middleware adding up the thread CPU time spent inside the wrapped app.

    Exact only while one request is in flight at a time on the same thread (``ASGITransport``
    with concurrency 1): then nothing but the app runs between entering and leaving it.

    Args:
        app: The wrapped ASGI application.
    """

    def __init__(self, app: Any) -> None:
        self.app = app
        self.cpu_s = 0.0

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        """Run the app and add its CPU time."""
        started = time.thread_time()
        try:
            await self.app(scope, receive, send)
        finally:
            self.cpu_s += time.thread_time() - started


def settle_heap() -> None:
    """Start a block with no garbage pending and the heap so far out of the collector's sight.

    In-process, the provider keeps every task it served in this same process: a full collection
    then walks that whole heap and costs tens of milliseconds, charged to whichever side's block
    happened to trigger it (about one block in two). A real provider's heap is not in the client's
    process. Collecting and freezing (``gc.freeze``) before each block leaves each side to pay for
    the collections of what it allocates itself.
    """
    gc.collect()
    gc.freeze()


async def no_sleep(seconds: float) -> None:
    """The wrapper's sleep, switched off: zero-duration tasks need no wait."""


async def run_batch(
    task: TaskRunner, tasks: int, cpu_clock: Callable[[], float], concurrency: int
) -> tuple[float, float]:
    """Run ``tasks`` tasks, ``concurrency`` at a time; return (wall seconds, CPU seconds)."""
    semaphore = asyncio.Semaphore(concurrency)

    async def one(index: int) -> None:
        async with semaphore:
            await task(index)

    wall, cpu = time.perf_counter(), cpu_clock()
    await asyncio.gather(*(one(i) for i in range(tasks)))
    return time.perf_counter() - wall, cpu_clock() - cpu


def bare_task(http: httpx.AsyncClient, *, lifecycle: bool = False) -> TaskRunner:
    """Submit and fetch the result with bare httpx (plus a status GET when ``lifecycle``)."""

    async def task(index: int) -> None:
        submitted = (await http.post(f"/v1/queue/{MODEL}", json=BODY)).raise_for_status().json()
        if lifecycle:
            (await http.get(submitted["status_url"])).raise_for_status().json()
        while True:
            response = await http.get(submitted["response_url"])
            if response.status_code != 202:
                response.raise_for_status().json()
                return

    return task


def wrapper_task(client: Any) -> TaskRunner:
    """Submit and wait for the result through ``fluxq.AsyncClient.run``."""

    async def task(index: int) -> None:
        await client.run(MODEL, **BODY)

    return task


def zero_time_config() -> Any:
    """A provider configuration whose tasks finish the moment they are submitted."""
    from fluxq_reference import ModelTiming, ProviderConfig, same_timing

    return ProviderConfig(timings=same_timing(ModelTiming.zero()), workers=CONCURRENCY)


@contextlib.asynccontextmanager
async def compared_clients(
    base_url: str, transport: httpx.AsyncBaseTransport | None
) -> AsyncIterator[tuple[httpx.AsyncClient, Any]]:
    """The two clients every comparison measures: bare httpx and ``fluxq.AsyncClient`` (sleep off).

    Both send the demo key to ``base_url`` over ``transport`` (None: real sockets).
    """
    import fluxq
    from fluxq_reference import DEMO_API_KEY

    headers = {"Authorization": f"Bearer {DEMO_API_KEY}", "User-Agent": "bench"}
    async with (
        httpx.AsyncClient(base_url=base_url, transport=transport, headers=headers) as http,
        fluxq.AsyncClient(
            api_key=DEMO_API_KEY, base_url=base_url, transport=transport, sleep=no_sleep
        ) as client,
    ):
        yield http, client


async def measure_pair(
    base_url: str,
    transport: httpx.AsyncBaseTransport | None,
    counters: Any,
    tasks: int,
    cpu_clock: Callable[[], float],
    concurrency: int = CONCURRENCY,
) -> tuple[Measurement, Measurement]:
    """Measure the baseline and the wrapper over the same transport and provider.

    The tasks run in ``BLOCKS`` blocks per side, alternating A B B A ..., so a change in the
    machine's load during the measurement hits both sides alike. ``cpu_clock`` must read the
    CPU time of the client alone (for in-process runs, thread time minus the provider's share).
    """
    async with compared_clients(base_url, transport) as (http, client):
        runners = (bare_task(http), wrapper_task(client))
        for runner in runners:
            await run_batch(runner, WARMUP_TASKS, cpu_clock, concurrency)
        totals = [[0, 0.0, 0.0, 0], [0, 0.0, 0.0, 0]]  # tasks, wall, cpu, requests
        for block in range(BLOCKS):
            size = tasks // BLOCKS + (1 if block < tasks % BLOCKS else 0)
            for side in (0, 1) if block % 2 == 0 else (1, 0):
                settle_heap()
                before = counters.total_requests() if counters is not None else 0
                wall, cpu = await run_batch(runners[side], size, cpu_clock, concurrency)
                requests = counters.total_requests() - before if counters is not None else -size
                total = totals[side]
                total[0] += size
                total[1] += wall
                total[2] += cpu
                total[3] += requests
    gc.unfreeze()
    bare, wrapped = (Measurement(int(t[0]), t[1], t[2], int(t[3])) for t in totals)
    return bare, wrapped


def measure_in_process(tasks: int) -> tuple[Measurement, Measurement]:
    """Baseline and wrapper through ``httpx.ASGITransport``, one task at a time.

    CPU: the thread's time minus what the provider's app used.
    """
    from fluxq_reference import create_app

    app = create_app(zero_time_config())
    meter = CpuMeter(app)
    transport = httpx.ASGITransport(app=meter)
    counters = app.state.provider.counters

    def client_cpu() -> float:
        return time.thread_time() - meter.cpu_s

    return asyncio.run(measure_pair(IN_PROCESS_BASE_URL, transport, counters, tasks, client_cpu, 1))


def measure_loopback(tasks: int) -> tuple[Measurement, Measurement]:
    """Baseline and wrapper against a provider process on loopback (CPU: this process)."""
    with provider_process(CONCURRENCY) as base_url:
        return asyncio.run(measure_pair(base_url, None, None, tasks, time.process_time))


def measure_provider_capacity(tasks: int) -> Measurement:
    """Full lifecycles (submit, status, result) per second in-process with a trivial client."""
    from fluxq_reference import DEMO_API_KEY, create_app

    app = create_app(zero_time_config())
    counters = app.state.provider.counters

    async def go() -> Measurement:
        transport = httpx.ASGITransport(app=app)
        headers = {"Authorization": f"Bearer {DEMO_API_KEY}"}
        async with httpx.AsyncClient(
            base_url=IN_PROCESS_BASE_URL, transport=transport, headers=headers
        ) as http:
            runner = bare_task(http, lifecycle=True)
            await run_batch(runner, WARMUP_TASKS, time.process_time, CONCURRENCY)
            before = counters.total_requests()
            wall, cpu = await run_batch(runner, tasks, time.process_time, CONCURRENCY)
            return Measurement(tasks, wall, cpu, counters.total_requests() - before)

    return asyncio.run(go())


def pair_row(label: str, bare: Measurement, wrapped: Measurement) -> tuple[str, ...]:
    """One table row per transport."""
    return (
        label,
        f"{bare.tasks_per_s:,.0f}",
        f"{wrapped.tasks_per_s:,.0f}",
        f"{bare.cpu_ms_per_task:.2f}",
        f"{wrapped.cpu_ms_per_task:.2f}",
        f"{wrapped.cpu_ms_per_task / bare.cpu_ms_per_task:.2f}",
        f"{bare.requests / bare.tasks:.1f}" if bare.requests >= 0 else "-",
        f"{wrapped.requests / wrapped.tasks:.1f}" if wrapped.requests >= 0 else "-",
    )


def instruction_figure(tasks: int) -> Figure:
    """The in-process comparison counted in instructions (cachegrind), or n/a with the reason."""
    from benchmarks.instructions import measure

    name = "wrapper instructions per task ÷ bare httpx (in-process, client only; cachegrind)"
    try:
        counts = measure(tasks)
    except RuntimeError as error:
        return unavailable(name, str(error), CPU_RATIO_GOAL)
    if counts is None:
        return unavailable(name, "valgrind is not installed", CPU_RATIO_GOAL)
    return Figure(
        name,
        counts.ratio,
        goal=CPU_RATIO_GOAL,
        note=f"{counts.client('wrap') / 1000:,.0f}k vs {counts.client('bare') / 1000:,.0f}k instructions"
        f" per task (provider {counts.per_task['raw'] / 1000:,.0f}k); {tasks} tasks, deterministic",
    )


def run_throughput(options: BenchOptions) -> Section:
    """Run the throughput section.

    Args:
        options: ``tasks_for_throughput`` tasks per side and round (`LOOPBACK_ROUNDS` and
            `IN_PROCESS_ROUNDS` rounds).

    Returns:
        The throughput section.
    """
    started = time.perf_counter()
    name = "wrapper CPU per task ÷ bare httpx (loopback)"
    try:
        import fluxq  # noqa: F401 - only checks that the wrapper is importable
        import fluxq_reference  # noqa: F401
    except ImportError as error:
        return Section("throughput", (unavailable(name, f"not importable: {error}", CPU_RATIO_GOAL),))
    tasks = options.tasks_for_throughput
    loopback = [measure_loopback(tasks) for _ in range(LOOPBACK_ROUNDS)]
    in_process = [measure_in_process(tasks) for _ in range(IN_PROCESS_ROUNDS)]
    capacity = measure_provider_capacity(tasks)
    instructions = instruction_figure(100 if options.quick else 300)

    def ratio(pairs: list[tuple[Measurement, Measurement]]) -> float:
        return median([w.cpu_ms_per_task / b.cpu_ms_per_task for b, w in pairs])

    def middle(pairs: list[tuple[Measurement, Measurement]]) -> tuple[Measurement, Measurement]:
        return sorted(pairs, key=lambda p: p[1].cpu_ms_per_task / p[0].cpu_ms_per_task)[len(pairs) // 2]

    lb_bare, lb_wrapped = middle(loopback)
    ip_bare, ip_wrapped = middle(in_process)
    figures = (
        Figure(
            name,
            ratio(loopback),
            goal=CPU_RATIO_GOAL,
            note=f"{lb_wrapped.cpu_ms_per_task:.2f} vs {lb_bare.cpu_ms_per_task:.2f} ms"
            f"; median of {LOOPBACK_ROUNDS}",
        ),
        Figure(
            "wrapper CPU per task ÷ bare httpx (in-process, client only)",
            ratio(in_process),
            goal=CPU_RATIO_GOAL,
            note=f"{ip_wrapped.cpu_ms_per_task:.2f} vs {ip_bare.cpu_ms_per_task:.2f} ms"
            f", sockets and provider excluded; median of {IN_PROCESS_ROUNDS}",
        ),
        instructions,
        Figure(
            "wrapper tasks/s (loopback)",
            lb_wrapped.tasks_per_s,
            "tasks/s",
            note=f"bare httpx {lb_bare.tasks_per_s:,.0f}; concurrency {CONCURRENCY}",
        ),
        Figure(
            "wrapper tasks/s (in-process)",
            ip_wrapped.tasks_per_s,
            "tasks/s",
            note=f"bare httpx {ip_bare.tasks_per_s:,.0f}; one task at a time",
        ),
        Figure(
            "reference provider capacity (in-process, submit + status + result)",
            capacity.tasks_per_s,
            "tasks/s",
            note=f"{capacity.cpu_ms_per_task:.2f} ms CPU per lifecycle, trivial httpx client",
        ),
    )
    table = Table(
        f"{tasks} zero-duration tasks per measurement (middle round)",
        (
            "transport",
            "bare tasks/s",
            "fluxq tasks/s",
            "bare CPU ms",
            "fluxq CPU ms",
            "ratio",
            "bare req",
            "fluxq req",
        ),
        (pair_row("loopback", lb_bare, lb_wrapped), pair_row("in-process", ip_bare, ip_wrapped)),
    )
    return Section("throughput", figures, (table,), seconds=time.perf_counter() - started)
