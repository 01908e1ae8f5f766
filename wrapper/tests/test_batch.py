"""``client.batch``: the engine end to end against the reference provider.

In-process runs use ``httpx.ASGITransport`` and the provider's fake clock (sleeping advances it);
runs that need real time or real sockets serve the provider on 127.0.0.1 in a thread.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from PIL import Image

import fluxq
from fluxq_reference import FaultRates, ModelTiming, ProviderConfig, create_app, same_timing, serve_in_thread

from .conftest import KEY, ManualClock

BASE = "http://testserver/model"
FAST = fluxq.PollPolicy.every(0.05)


def job(index: int, prompt: str = "a red apple", **extra: Any) -> dict[str, Any]:
    return {
        "model": "flux_pro_11",
        "id": f"img-{index}",
        "prompt": f"{prompt} {index}",
        "width": 256,
        "height": 256,
    } | extra


def write_jobs(path: Path, jobs: list[Any]) -> Path:
    path.write_text(
        "".join((j if isinstance(j, str) else json.dumps(j)) + "\n" for j in jobs), encoding="utf-8"
    )
    return path


def manifest(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


class Recording(httpx.AsyncBaseTransport):
    """Forwards to an ASGI app; records (clock, method, path, status); loses the reply of chosen submits."""

    def __init__(self, app: Any, clock: ManualClock, lose_prompts: tuple[str, ...] = ()) -> None:
        self._inner = httpx.ASGITransport(app)
        self._clock = clock
        self._lose = lose_prompts
        self.log: list[tuple[float, str, str, int]] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        started = self._clock()
        response = await self._inner.handle_async_request(request)
        self.log.append((started, request.method, request.url.path, response.status_code))
        if request.method == "POST" and any(marker in request.content.decode() for marker in self._lose):
            raise httpx.ReadTimeout("reply lost after the server created the task", request=request)
        return response


def make_client(transport: httpx.AsyncBaseTransport, clock: ManualClock) -> fluxq.AsyncClient:
    return fluxq.AsyncClient(KEY, base_url=BASE, transport=transport, clock=clock, sleep=clock.sleep)


def provider(clock: ManualClock, **kwargs: Any) -> Any:
    return create_app(ProviderConfig(clock=clock, sleep=clock.sleep, workers=8, **kwargs))


async def test_bad_lines_are_reported_and_the_rest_run_into_a_manifest(
    tmp_path: Path, clock: ManualClock
) -> None:
    app = provider(clock)
    source = write_jobs(
        tmp_path / "in.jsonl",
        [
            job(1),
            {"model": "flux_pro_11", "prompt": "too wide", "width": 1000},
            job(3, "blocked [fluxq:error=CONTENT_BLOCKED]"),
            "{broken",
            job(5, output_format="png"),
        ],
    )
    async with make_client(Recording(app, clock), clock) as client:
        report = await client.batch(source, out=tmp_path / "out", concurrency=4)

    assert [str(problem) for problem in report.problems] == [
        "line 2: width: must be a multiple of 32 (got 1000)",
        "line 4: not valid JSON: Expecting property name enclosed in double quotes: line 1 column 2 (char 1)",
    ]
    assert dict(report.counts) == {
        "done": 2,
        "failed": 1,
        "unknown": 0,
        "invalid": 2,
        "running": 0,
        "not_started": 0,
    }
    assert not report.ok
    assert app.state.provider.counters.tasks_created == 3  # nothing was sent for the bad lines
    entries = manifest(tmp_path / "out" / "manifest.jsonl")
    assert [(e["line"], e["id"], e["outcome"]) for e in entries] == [
        (1, "img-1", "done"),
        (2, "line-2", "invalid"),
        (3, "img-3", "failed"),
        (4, "line-4", "invalid"),
        (5, "img-5", "done"),
    ]
    first, _, blocked, _, png = entries
    assert first["request_id"].startswith("mmsu_")
    assert first["files"] == [str(tmp_path / "out" / "img-1.jpg")]
    assert first["cost"] is None  # the reference provider reports no cost
    with Image.open(first["files"][0]) as image:
        assert (image.format, image.size) == ("JPEG", (256, 256))
    assert png["files"] == [str(tmp_path / "out" / "img-5.png")]
    assert blocked["error_type"] == "CONTENT_BLOCKED"
    assert blocked["files"] == []
    assert entries[1]["error"] == "width: must be a multiple of 32 (got 1000)"


async def test_resume_polls_submitted_jobs_and_never_submits_them_again(
    tmp_path: Path, clock: ManualClock
) -> None:
    app = provider(clock)
    source = write_jobs(tmp_path / "in.jsonl", [job(i, "slow [fluxq:run=100]") for i in range(5)])
    counters = app.state.provider.counters
    async with make_client(Recording(app, clock), clock) as client:
        first = await client.batch(source, out=tmp_path / "out", timeout=10)
        assert first.counts["running"] == 5
        assert "resumable: same command with --resume" in first.summary()
        assert [e["outcome"] for e in manifest(first.manifest)] == ["running"] * 5
        assert counters.count("submit") == 5

        with pytest.raises(fluxq.JournalError, match="already exists"):
            await client.batch(source, out=tmp_path / "out")  # re-running by mistake cannot bill twice
        second = await client.batch(source, out=tmp_path / "out", resume=True, timeout=300)

    assert second.ok
    assert counters.count("submit") == 5
    assert counters.tasks_created == 5
    assert [e["request_id"] for e in manifest(second.manifest)] == [
        e["request_id"] for e in manifest(first.manifest)
    ]


async def test_an_unknown_submit_outcome_is_reported_and_resubmitted_only_on_request(
    tmp_path: Path, clock: ManualClock
) -> None:
    app = provider(clock, timings=same_timing(ModelTiming.zero()))
    counters = app.state.provider.counters
    source = write_jobs(tmp_path / "in.jsonl", [job(1), job(2, "LOSE"), job(3)])
    async with make_client(Recording(app, clock, lose_prompts=("LOSE",)), clock) as client:
        first = await client.batch(source, out=tmp_path / "out")
    assert first.unknown_lines == (2,)
    assert counters.tasks_created == 3  # the lost reply's task exists
    entry = manifest(first.manifest)[1]
    assert (entry["outcome"], entry["error_type"]) == ("unknown", "SubmitOutcomeUnknown")
    assert "check the provider, then --resume --resubmit-unknown" in first.summary()

    async with make_client(Recording(app, clock), clock) as client:
        again = await client.batch(source, out=tmp_path / "out", resume=True)
        assert again.unknown_lines == (2,)
        assert counters.count("submit") == 3  # not re-submitted without asking
        opted = await client.batch(source, out=tmp_path / "out", resume=True, resubmit_unknown=True)
    assert opted.ok
    assert counters.count("submit") == 4


async def test_a_429_pauses_the_whole_batch(tmp_path: Path, clock: ManualClock) -> None:
    faults = FaultRates(rate_limit=0.2, retry_after=2)
    app = provider(clock, timings=same_timing(ModelTiming.zero()), faults=faults, seed=3)
    transport = Recording(app, clock)
    source = write_jobs(tmp_path / "in.jsonl", [job(i) for i in range(30)])
    async with make_client(transport, clock) as client:
        report = await client.batch(source, out=tmp_path / "out", concurrency=8)

    counters = app.state.provider.counters
    assert report.ok
    assert report.rate_limited == counters.faults["rate_limit"] > 0
    assert counters.tasks_created == 30  # a refused submit created nothing and was sent again
    for index, (at, _, _, status) in enumerate(transport.log):
        if status == 429:
            later = [start for start, *_ in transport.log[index + 1 :]]
            assert all(start >= at + 2 for start in later if start > at), (at, later)


@pytest.fixture
def live_provider() -> Iterator[tuple[str, Any]]:
    """The reference provider on a real 127.0.0.1 port (real clock), zero-time tasks unless told otherwise."""
    app = create_app(ProviderConfig(timings=same_timing(ModelTiming.zero()), workers=16))
    with serve_in_thread(app) as base_url:
        yield base_url, app


def test_the_sync_client_runs_a_batch(tmp_path: Path, live_provider: tuple[str, Any]) -> None:
    base_url, app = live_provider
    source = write_jobs(tmp_path / "in.jsonl", [job(i) for i in range(6)])
    seen: list[fluxq.BatchProgress] = []
    with fluxq.Client(KEY, base_url=base_url, poll_policy=FAST) as client:
        report = client.batch(source, out=tmp_path / "out", concurrency=3, on_progress=seen.append)

    assert report.ok
    assert report.images == 6
    assert seen[0].queued == 6
    assert seen[-1].done == 6
    assert max(p.running for p in seen) <= 3
    assert app.state.provider.counters.tasks_created == 6


@pytest.mark.parametrize(("choice", "cancels"), [("cancel", 4), ("keep", 0)])
async def test_cancelling_a_batch_cancels_or_keeps_the_running_tasks(
    tmp_path: Path, choice: str, cancels: int
) -> None:
    app = create_app(ProviderConfig(timings=same_timing(ModelTiming.zero()), workers=16))
    counters = app.state.provider.counters
    source = write_jobs(tmp_path / "in.jsonl", [job(i, "slow [fluxq:run=30]") for i in range(4)])
    with serve_in_thread(app) as base_url:
        async with fluxq.AsyncClient(KEY, base_url=base_url, poll_policy=FAST) as client:
            batch = asyncio.create_task(
                client.batch(source, out=tmp_path / "out", on_interrupt=choice)  # type: ignore[arg-type]
            )
            for _ in range(200):
                if counters.tasks_created == 4:
                    break
                await asyncio.sleep(0.05)
            await asyncio.sleep(0.2)
            batch.cancel()
            with pytest.raises(asyncio.CancelledError) as stopped:
                await batch
        report: fluxq.BatchReport = stopped.value.fluxq_batch_report  # type: ignore[attr-defined]
        assert report.interrupted
        assert report.counts["running"] == 4
        assert counters.cancels_accepted == cancels
        assert counters.tasks_created == 4

        async with fluxq.AsyncClient(KEY, base_url=base_url, poll_policy=FAST) as client:
            if choice == "cancel":
                resumed = await client.batch(source, out=tmp_path / "out", resume=True)
                assert resumed.counts["failed"] == 4
                assert {e["error_type"] for e in manifest(resumed.manifest)} == {"CANCELED"}
            assert counters.count("submit") == 4


def test_the_generation_format_runs_a_batch_and_reports_its_cost(
    tmp_path: Path, live_provider: tuple[str, Any]
) -> None:
    base_url, app = live_provider
    source = write_jobs(tmp_path / "in.jsonl", [job(1), job(2), {**job(3), "width": 1000}])
    with fluxq.Client(KEY, base_url=base_url, poll_policy=FAST, protocol="generation") as client:
        report = client.batch(source, out=tmp_path / "out")

    assert report.counts["done"] == 2
    assert [str(p) for p in report.problems] == ["line 3: width: must be a multiple of 32 (got 1000)"]
    entries = manifest(report.manifest)
    assert all(isinstance(e["cost"], float) for e in entries[:2])  # the generation format reports usage.cost
    assert app.state.provider.counters.count("submit") == 0  # nothing went to the queue API
