"""A scriptable hostile HTTP server on loopback, for the hardening tests.

`HostileServer` runs an asyncio server on a private loop thread, bound to 127.0.0.1 (or 127.0.0.2 as a
"foreign" host). Each test gives it a *handler*: a coroutine that receives the parsed request and a
`Reply` to write to — raw bytes, at any pace, forever if it likes. The server counts the requests it
received, records their ``Authorization`` headers, and stops its connections when the test ends (so an
endless or trickling handler never outlives its test).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import threading
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Request:
    """One request as the server parsed it."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes


class Reply:
    """Writes a response, as slowly or as badly as the handler wants."""

    def __init__(self, writer: asyncio.StreamWriter) -> None:
        self._writer = writer

    async def raw(self, data: bytes) -> None:
        """Write bytes as they are."""
        self._writer.write(data)
        await self._writer.drain()

    async def trickle(self, data: bytes, every: float = 1.0) -> None:
        """Write ``data`` one byte at a time, ``every`` seconds apart."""
        for byte in data:
            await self.raw(bytes([byte]))
            await asyncio.sleep(every)

    async def send(
        self,
        status: int,
        body: Any = b"",
        headers: dict[str, str] | None = None,
        *,
        reason: str = "OK",
    ) -> None:
        """Write a whole response (a dict or list body is sent as JSON)."""
        data = json.dumps(body).encode() if isinstance(body, dict | list) else body
        head = {"Content-Type": "application/json", "Content-Length": str(len(data)), **(headers or {})}
        lines = [f"HTTP/1.1 {status} {reason}", *(f"{k}: {v}" for k, v in head.items())]
        await self.raw(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + data)

    async def endless_chunks(self, chunk: bytes = b"[" * 65536) -> None:
        """Send a 200 with a chunked body that never ends."""
        await self.raw(
            b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
        )
        frame = f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n"
        while True:
            await self.raw(frame)


Handler = Callable[[Request, Reply], Awaitable[None]]


@dataclass
class HostileServer:
    """A loopback server driven by a handler; see the module docstring."""

    handler: Handler
    host: str = "127.0.0.1"
    requests: list[Request] = field(default_factory=list)
    port: int = 0

    def __post_init__(self) -> None:
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._server: asyncio.Server | None = None
        self._tasks: set[asyncio.Task[None]] = set()

    @property
    def url(self) -> str:
        """The server's root URL."""
        return f"http://{self.host}:{self.port}"

    def count(self, method: str | None = None, path_part: str = "") -> int:
        """Requests received (optionally of one method, with ``path_part`` in the path)."""
        return sum(1 for r in self.requests if (method is None or r.method == method) and path_part in r.path)

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                line, *rest = head.decode("latin-1").split("\r\n")
                method, path, _ = line.split(" ", 2)
                headers = {k.lower(): v.strip() for k, _, v in (h.partition(":") for h in rest if h)}
                body = await reader.readexactly(int(headers.get("content-length", "0")))
                request = Request(method, path, headers, body)
                self.requests.append(request)
                await self.handler(request, Reply(writer))
        except (asyncio.IncompleteReadError, ConnectionError, asyncio.CancelledError):
            pass
        finally:
            self._tasks.discard(task)
            writer.close()

    def start(self) -> HostileServer:
        """Start serving (returns self)."""
        self._thread.start()

        async def open_server() -> asyncio.Server:
            return await asyncio.start_server(self._serve, self.host, self.port)

        self._server = asyncio.run_coroutine_threadsafe(open_server(), self._loop).result(timeout=5)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    def stop(self) -> None:
        """Stop serving and drop every connection (handlers still writing are cancelled)."""

        async def close() -> None:
            assert self._server is not None
            self._server.close()
            for task in list(self._tasks):
                task.cancel()
            with contextlib.suppress(Exception):
                await asyncio.wait_for(asyncio.gather(*self._tasks, return_exceptions=True), 2)

        asyncio.run_coroutine_threadsafe(close(), self._loop).result(timeout=5)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=5)


@contextlib.contextmanager
def hostile(handler: Handler, host: str = "127.0.0.1") -> Iterator[HostileServer]:
    """Run a `HostileServer` for the duration of a ``with`` block."""
    server = HostileServer(handler, host).start()
    try:
        yield server
    finally:
        server.stop()


def submitted(request_id: str, base: str, model: str = "flux_pro_11") -> dict[str, Any]:
    """A valid submit reply whose URLs point back at ``base``."""
    root = f"{base}/model/v1/queue/{model}/requests/{request_id}"
    return {
        "request_id": request_id,
        "status": "IN_QUEUE",
        "queue_position": 0,
        "status_url": f"{root}/status",
        "response_url": f"{root}/response",
        "cancel_url": f"{root}/cancel",
    }


def result_body(request_id: str, outputs: list[dict[str, Any]]) -> dict[str, Any]:
    """A valid result reply."""
    return {"request_id": request_id, "status": "COMPLETED", "outputs": outputs, "metadata": {}}
