"""A batch in a child process that SIGKILLs itself at one chosen step (used by ``test_batch_crash``).

Usage: ``python batch_child.py POINT BASE_URL INPUT OUT``. The points, in the order a job meets them:
``start`` (journal written, nothing sent), ``submit-unsent`` (``submitting`` committed, the POST not
sent), ``submit-received`` (the server created the task, its reply not recorded), ``submitted``
(request id committed, first poll not sent), ``download`` (result read, image not saved), ``done``
(outcome committed, manifest not written). Exit code 3 means the point was never reached.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys

import httpx

import fluxq

POINT, BASE_URL, SOURCE, OUT = sys.argv[1:5]


def die() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


class Killer(httpx.AsyncBaseTransport):
    def __init__(self) -> None:
        self._inner = httpx.AsyncHTTPTransport()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path
        if (request.method, POINT) == ("POST", "submit-unsent"):
            die()
        if POINT == "submitted" and path.endswith("/response"):
            die()
        if POINT == "download" and "/files/" in path:
            die()
        response = await self._inner.handle_async_request(request)
        if (request.method, POINT) == ("POST", "submit-received"):
            await response.aread()
            die()
        return response


def progress(snapshot: fluxq.BatchProgress) -> None:
    if POINT == "start" or (POINT == "done" and snapshot.done == 1):
        die()


async def main() -> None:
    policy = fluxq.PollPolicy.every(0.05)
    async with fluxq.AsyncClient(
        "fluxq-demo-key", base_url=BASE_URL, transport=Killer(), poll_policy=policy
    ) as client:
        await client.batch(SOURCE, out=OUT, on_progress=progress)


asyncio.run(main())
sys.exit(3)
