"""Crashes: a real ``kill -9`` between every pair of a job's steps, and Ctrl-C / kill -9 of ``fluxq batch``.

Each test serves the reference provider on 127.0.0.1 (real clock, zero-time tasks) and runs the batch
in a child process, so the kill is a real one; every wait is bounded.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import fluxq
from fluxq_reference import ModelTiming, ProviderConfig, create_app, same_timing, serve_in_thread

from .conftest import KEY

CHILD = Path(__file__).with_name("batch_child.py")
FAST = fluxq.PollPolicy.every(0.05)
FLUXQ = [str(Path(sys.executable).with_name("fluxq"))]


class SubmitLog:
    """ASGI middleware counting submits per prompt, as the server received them."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.prompts: Counter[str] = Counter()

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope["method"] != "POST":
            await self.app(scope, receive, send)
            return
        messages = []
        while True:
            message = await receive()
            messages.append(message)
            if not message.get("more_body"):
                break
        body = b"".join(m.get("body", b"") for m in messages)
        self.prompts[json.loads(body)["prompt"]] += 1
        replay = iter(messages)

        async def again() -> Any:
            return next(replay, None) or await receive()

        await self.app(scope, again, send)


@pytest.fixture
def server() -> Iterator[tuple[str, Any, SubmitLog]]:
    app = create_app(ProviderConfig(timings=same_timing(ModelTiming.zero()), workers=32))
    log = SubmitLog(app)
    with serve_in_thread(log) as base_url:
        yield base_url, app.state.provider.counters, log


def write_jobs(path: Path, count: int, prompt: str = "apple") -> Path:
    lines = [
        json.dumps(
            {"model": "flux_pro_11", "id": f"p{i}", "prompt": f"{prompt} {i}", "width": 256, "height": 256}
        )
        for i in range(count)
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def resume(base_url: str, source: Path, out: Path, **kwargs: Any) -> fluxq.BatchReport:
    with fluxq.Client(KEY, base_url=base_url, poll_policy=FAST) as client:
        return client.batch(source, out=out, resume=True, **kwargs)


# point, submits the server saw before the resume, the line's outcome after one plain resume
CRASH_POINTS = [
    ("start", 0, "done"),
    ("submit-unsent", 0, "unknown"),
    ("submit-received", 1, "unknown"),
    ("submitted", 1, "done"),
    ("download", 1, "done"),
    ("done", 1, "done"),
]


@pytest.mark.parametrize(("point", "submits", "outcome"), CRASH_POINTS, ids=[p[0] for p in CRASH_POINTS])
def test_a_kill_between_any_two_steps_loses_nothing_and_bills_once(
    tmp_path: Path, server: tuple[str, Any, SubmitLog], point: str, submits: int, outcome: str
) -> None:
    base_url, counters, _ = server
    source = write_jobs(tmp_path / "in.jsonl", 1)
    out = tmp_path / "out"
    # S603: this interpreter and a test helper; no shell, no outside input.
    child = subprocess.run(  # noqa: S603
        [sys.executable, str(CHILD), point, base_url, str(source), str(out)], timeout=60, check=False
    )
    assert child.returncode == -signal.SIGKILL
    assert counters.count("submit") == submits
    requests_before = counters.total_requests()

    report = resume(base_url, source, out)

    entry = json.loads((out / "manifest.jsonl").read_text())
    assert entry["outcome"] == outcome
    # one submit in all: a line that may already exist (unknown, or with a request id) is not sent again
    assert counters.count("submit") == (1 if outcome == "done" else submits)
    if point == "done":
        assert counters.total_requests() == requests_before  # nothing left to ask
    if outcome == "done":
        assert counters.tasks_created == 1
        assert Path(entry["files"][0]).stat().st_size > 0
        assert entry["request_id"].startswith("mmsu_")
    else:
        assert report.unknown_lines == (1,)
        assert entry["request_id"] is None
        opted = resume(base_url, source, out, resubmit_unknown=True)
        assert opted.ok
        assert counters.count("submit") == submits + 1


def _wait_for(condition: Any, seconds: float = 20.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def test_ctrl_c_cancels_the_running_tasks_and_leaves_a_resumable_journal(
    tmp_path: Path, server: tuple[str, Any, SubmitLog]
) -> None:
    base_url, counters, _ = server
    source = write_jobs(tmp_path / "in.jsonl", 5, prompt="slow [fluxq:run=30]")
    out = tmp_path / "out"
    args = [*FLUXQ, "batch", str(source), "--out", str(out), "--base-url", base_url, "--api-key", KEY]
    # S603: this interpreter running fluxq; no shell, no outside input.
    process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)  # noqa: S603
    try:
        _wait_for(lambda: counters.tasks_created == 5)
        time.sleep(0.3)
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=30)
    finally:
        process.kill()
    assert process.returncode == 130, stderr
    assert "batch interrupted" in stderr
    assert "resumable: same command with --resume" in stderr
    assert counters.cancels_accepted == 5
    assert [json.loads(line)["outcome"] for line in (out / "manifest.jsonl").read_text().splitlines()] == [
        "running"
    ] * 5

    report = resume(base_url, source, out)
    assert report.counts["failed"] == 5  # the cancels took effect; nothing was submitted again
    assert counters.count("submit") == 5


def test_kill_9_at_a_random_moment_then_resume_until_done(
    tmp_path: Path, server: tuple[str, Any, SubmitLog]
) -> None:
    base_url, counters, log = server
    lines = 40
    source = write_jobs(tmp_path / "in.jsonl", lines)
    out = tmp_path / "out"
    args = [*FLUXQ, "batch", str(source), "--out", str(out), "--base-url", base_url, "--api-key", KEY]
    # S603: this interpreter running fluxq; no shell, no outside input.
    process = subprocess.Popen([*args, "--concurrency", "16"], stderr=subprocess.DEVNULL)  # noqa: S603
    _wait_for(lambda: counters.tasks_created >= 10)
    os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=10)
    assert counters.tasks_created < lines

    for _ in range(3):
        done = subprocess.run(  # noqa: S603 - as above
            [*args, "--resume", "--json"], capture_output=True, text=True, timeout=60, check=False
        )
        summary = json.loads(done.stdout)
        if summary["counts"]["running"] == summary["counts"]["not_started"] == 0:
            break
    entries = [json.loads(line) for line in (out / "manifest.jsonl").read_text().splitlines()]
    unknown = [e["line"] for e in entries if e["outcome"] == "unknown"]
    assert summary["unknown_lines"] == unknown
    assert summary["counts"]["done"] + len(unknown) == lines
    assert max(log.prompts.values()) == 1  # no line was ever submitted twice
    assert all(Path(e["files"][0]).exists() for e in entries if e["outcome"] == "done")


def test_the_cli_names_bad_lines_before_it_runs_and_exits_1(
    tmp_path: Path, server: tuple[str, Any, SubmitLog]
) -> None:
    base_url, counters, _ = server
    source = write_jobs(tmp_path / "in.jsonl", 2)
    with source.open("a", encoding="utf-8") as file:
        file.write(json.dumps({"model": "flux_pro_11", "id": "wide", "prompt": "x", "width": 1000}) + "\n")
    out = tmp_path / "out"
    args = [*FLUXQ, "batch", str(source), "--out", str(out), "--base-url", base_url, "--api-key", KEY]
    # S603: this interpreter running fluxq; no shell, no outside input.
    done = subprocess.run(args, capture_output=True, text=True, timeout=60, check=False)  # noqa: S603

    assert done.returncode == 1
    first = done.stderr.splitlines()[0]
    assert first == f"fluxq: {source}: line 3: width: must be a multiple of 32 (got 1000)"
    assert "3 lines: 2 done, 1 invalid" in done.stdout
    assert counters.tasks_created == 2
    assert json.loads((out / "manifest.jsonl").read_text().splitlines()[2])["id"] == "wide"
