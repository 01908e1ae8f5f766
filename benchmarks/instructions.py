"""The throughput section's noise-free companion: instructions per task, counted by cachegrind.

CPU time on a shared 2-core machine moves by ±15 % from one run to the next; the number of
instructions a task executes does not. Each count runs this module as a workload under
``valgrind --tool=cachegrind`` (hash seed fixed), once with no measured tasks and once with ``tasks``:
the difference divided by ``tasks`` is the per-task count, start-up and warm-up cancelling out.

Three workloads do the same zero-duration tasks (submit, then the result) against the same
in-process reference provider: ``raw`` calls its ASGI app directly with a minimal hand-made client
(about the provider's own share), ``bare`` with bare httpx, ``wrap`` with ``fluxq.AsyncClient.run``.
The client's share is the workload's count minus ``raw``'s. ``raw`` includes its own tiny client, so
both shares are understated by the same amount and the ratio is, if anything, overstated.

    python -m benchmarks.instructions MODE TASKS    # one workload (what valgrind runs)
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
MODES = ("raw", "bare", "wrap")
WARMUP_TASKS = 300
_REFS = re.compile(r"I\s+refs:\s+([\d,]+)")

TaskRunner = Callable[[], Awaitable[Any]]


def instruction_refs(valgrind_report: str) -> int:
    """Return the total instruction count (``I refs``) from cachegrind's summary on stderr.

    Raises:
        ValueError: The report has no ``I refs`` line.
    """
    found = _REFS.search(valgrind_report)
    if found is None:
        raise ValueError("no 'I refs' line in the valgrind report")
    return int(found.group(1).replace(",", ""))


def raw_task(app: Any, key: str) -> TaskRunner:
    """Submit and fetch the result by calling the provider's ASGI app directly (no HTTP client).

    The task returns the result body (zero-duration tasks are finished by the first fetch).
    """
    from benchmarks.throughput import BODY, IN_PROCESS_BASE_URL, MODEL

    base = urlsplit(IN_PROCESS_BASE_URL)
    host, root = base.netloc, base.path  # the same provider URL the httpx workloads call

    body = json.dumps(BODY).encode()

    async def call(method: str, path: str, content: bytes = b"") -> Any:
        headers = [(b"host", host.encode()), (b"authorization", f"Bearer {key}".encode())]
        if content:
            headers += [(b"content-type", b"application/json"), (b"content-length", b"%d" % len(content))]
        scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": method,
            "scheme": "http",
            "path": path,
            "raw_path": path.encode(),
            "query_string": b"",
            "root_path": "",
            "headers": headers,
            "server": (host, 80),
            "client": ("127.0.0.1", 1),
        }
        messages = [{"type": "http.request", "body": content, "more_body": False}]
        sent: list[bytes] = []

        async def receive() -> dict[str, Any]:
            return messages.pop() if messages else {"type": "http.disconnect"}

        async def send(message: dict[str, Any]) -> None:
            sent.append(message.get("body", b""))

        await app(scope, receive, send)
        return json.loads(b"".join(sent))

    async def task() -> Any:
        submitted = await call("POST", f"{root}/v1/queue/{MODEL}", body)
        path = f"{root}/v1/queue/{MODEL}/requests/{submitted['request_id']}/response"
        return await call("GET", path)

    return task


async def run_workload(mode: str, tasks: int) -> None:
    """Warm every workload up, then run ``tasks`` tasks of ``mode``."""
    import httpx

    from benchmarks.throughput import (
        IN_PROCESS_BASE_URL,
        bare_task,
        compared_clients,
        wrapper_task,
        zero_time_config,
    )
    from fluxq_reference import DEMO_API_KEY, create_app

    app = create_app(zero_time_config())
    async with compared_clients(IN_PROCESS_BASE_URL, httpx.ASGITransport(app=app)) as (http, client):
        bare, wrap = bare_task(http), wrapper_task(client)
        runners: dict[str, TaskRunner] = {
            "raw": raw_task(app, DEMO_API_KEY),
            "bare": lambda: bare(0),
            "wrap": lambda: wrap(0),
        }
        for runner in runners.values():  # every code path warm, whichever mode is measured
            for _ in range(WARMUP_TASKS):
                await runner()
        measured = runners[mode]
        for _ in range(tasks):
            await measured()


def count(mode: str, tasks: int) -> int:
    """Run one workload under cachegrind and return the instructions it executed.

    Raises:
        RuntimeError: valgrind failed.
    """
    command = [
        "valgrind",
        "--tool=cachegrind",
        "--cache-sim=no",
        "--cachegrind-out-file=/dev/null",
        sys.executable,
        "-m",
        "benchmarks.instructions",
        mode,
        str(tasks),
    ]
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    # S603: a fixed command line (valgrind, this interpreter, this module); nothing from input.
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        raise RuntimeError(f"valgrind {mode} {tasks} exited {done.returncode}: {done.stderr[-500:]}")
    return instruction_refs(done.stderr)


@dataclass(frozen=True)
class InstructionCounts:
    """Instructions per task of each workload (``raw``, ``bare``, ``wrap``)."""

    per_task: dict[str, float]

    def client(self, mode: str) -> float:
        """The client's share of a workload's instructions per task."""
        return self.per_task[mode] - self.per_task["raw"]

    @property
    def ratio(self) -> float:
        """fluxq's client instructions per task ÷ bare httpx's."""
        return self.client("wrap") / self.client("bare")


def measure(tasks: int, workers: int = 2) -> InstructionCounts | None:
    """Count every workload with 0 and ``tasks`` tasks (``workers`` valgrind runs at a time).

    Returns:
        The counts, or None when valgrind is not installed.
    """
    if shutil.which("valgrind") is None:
        return None
    runs = [(mode, n) for mode in MODES for n in (0, tasks)]
    with ThreadPoolExecutor(max_workers=workers) as pool:
        totals = dict(zip(runs, pool.map(lambda run: count(*run), runs), strict=True))
    return InstructionCounts({mode: (totals[mode, tasks] - totals[mode, 0]) / tasks for mode in MODES})


if __name__ == "__main__":
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    asyncio.run(run_workload(sys.argv[1], int(sys.argv[2])))
