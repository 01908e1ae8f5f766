"""A scripted fake server on ``httpx.MockTransport``: queued replies per operation, every request kept."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx

RID = "mmsu_test1"
HOST = "http://testserver/model"

Reply = httpx.Response | Exception | Callable[[httpx.Request], httpx.Response]


def operation_of(request: httpx.Request) -> str:
    """Name the operation a request is for (submit, status, result, cancel, download)."""
    path = request.url.path
    if request.method == "POST":
        return "submit"
    if path.endswith("/status"):
        return "status"
    if path.endswith("/response"):
        return "result"
    if path.endswith("/cancel"):
        return "cancel"
    return "download"


class ScriptedServer:
    """Replies from per-operation queues; the last reply of a queue repeats."""

    def __init__(self) -> None:
        self.replies: dict[str, list[Reply]] = {}
        self.requests: list[tuple[str, httpx.Request]] = []
        self.transport = httpx.MockTransport(self._handle)

    def on(self, operation: str, *replies: Reply) -> ScriptedServer:
        self.replies[operation] = list(replies)
        return self

    def count(self, operation: str) -> int:
        return sum(1 for name, _ in self.requests if name == operation)

    def sent(self, operation: str) -> list[httpx.Request]:
        return [request for name, request in self.requests if name == operation]

    def _handle(self, request: httpx.Request) -> httpx.Response:
        operation = operation_of(request)
        request.read()
        self.requests.append((operation, request))
        queue = self.replies.get(operation)
        if not queue:
            return httpx.Response(599, json={"detail": f"unscripted {operation}"})
        reply = queue.pop(0) if len(queue) > 1 else queue[0]
        if isinstance(reply, Exception):
            raise reply
        if callable(reply) and not isinstance(reply, httpx.Response):
            return reply(request)
        return httpx.Response(reply.status_code, headers=reply.headers, content=reply.content)


def submitted(request_id: str = RID, model: str = "flux_pro_11", host: str = HOST) -> httpx.Response:
    root = f"{host}/v1/queue/{model}/requests/{request_id}"
    body = {
        "request_id": request_id,
        "status_url": f"{root}/status",
        "response_url": f"{root}/response",
        "cancel_url": f"{root}/cancel",
        "queue_position": 0,
    }
    return httpx.Response(200, json=body)


def pending(
    status: str = "IN_PROGRESS", *, code: int = 202, request_id: str = RID, **extra: Any
) -> httpx.Response:
    headers = {}
    if "retry_after" in extra:
        headers["Retry-After"] = str(extra.pop("retry_after"))
    return httpx.Response(code, json={"status": status, "request_id": request_id, **extra}, headers=headers)


def done(request_id: str = RID, url: str = "http://cdn.test/out/a.png", **item: Any) -> httpx.Response:
    output = {"type": "image", "url": url, "content_type": "image/png", **item}
    return httpx.Response(200, json={"request_id": request_id, "outputs": [output], "metadata": {"seed": 1}})


def error(
    code: int, body: Any = None, *, retry_after: str | None = None, text: str | None = None
) -> httpx.Response:
    headers = {} if retry_after is None else {"Retry-After": retry_after}
    if text is not None:
        return httpx.Response(code, text=text, headers=headers)
    return httpx.Response(code, json=body if body is not None else {"detail": "boom"}, headers=headers)
