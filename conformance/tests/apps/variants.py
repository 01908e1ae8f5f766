"""Variants of the reference provider, built by wrapping its ASGI app: broken ones and faithful ones.

Each broken variant breaks one rule of the contract and names the check id that must catch it
(:data:`BROKEN`); each faithful variant differs from the reference in a way the contract allows
and must pass (:data:`FAITHFUL`). They prove the suite neither misses deviations nor cries wolf.
"""

from __future__ import annotations

import io
import json
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass
from typing import Any

from PIL import Image

from fluxq_conformance.core.spec import Kind, match_url, submit_properties

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


@dataclass
class Reply:
    """A buffered response that a mutation may change."""

    status: int
    headers: list[tuple[bytes, bytes]]
    body: bytes

    def json(self) -> Any:
        """The JSON body, or ``None``."""
        try:
            return json.loads(self.body)
        except ValueError:
            return None

    def set_json(self, value: Any, status: int | None = None) -> None:
        """Replace the body with JSON (and optionally the status)."""
        self.body = json.dumps(value).encode()
        self.status = status if status is not None else self.status
        self.headers = [
            (k, v) for k, v in self.headers if k.lower() not in (b"content-length", b"content-type")
        ]
        self.headers += [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(self.body)).encode()),
        ]


@dataclass(frozen=True)
class Call:
    """What the mutation knows about the request."""

    method: str
    url: str
    kind: Kind | None
    request_id: str | None


Mutation = Callable[[Call, Reply, dict[str, Any]], None]
RequestRewrite = Callable[[Scope, bytes], tuple[Scope, bytes]]


class Mutant:
    """ASGI middleware: optionally rewrites requests, buffers each response, lets a mutation change it."""

    def __init__(self, app: ASGIApp, mutation: Mutation | None = None, rewrite: RequestRewrite | None = None):
        self.app, self.mutation, self.rewrite = app, mutation, rewrite
        self.memory: dict[str, Any] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Serve one request through the wrapped app."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        if self.rewrite is not None:
            scope, body = self.rewrite(dict(scope), body)
        sent = False

        async def replay() -> Message:
            nonlocal sent
            if sent:
                return {"type": "http.disconnect"}
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}

        reply = Reply(500, [], b"")

        async def capture(message: Message) -> None:
            if message["type"] == "http.response.start":
                reply.status, reply.headers = message["status"], list(message.get("headers", []))
            elif message["type"] == "http.response.body":
                reply.body += message.get("body", b"")

        await self.app(scope, replay, capture)
        if self.mutation is not None:
            host = dict(scope.get("headers", [])).get(b"host", b"localhost").decode()
            url = f"http://{host}{scope.get('path', '')}"
            matched = match_url(scope["method"], url)
            call = Call(
                scope["method"], url, matched[0].kind if matched else None, matched[1] if matched else None
            )
            self.mutation(call, reply, self.memory)
        headers = [(k, v) for k, v in reply.headers if k.lower() != b"content-length"]
        headers.append((b"content-length", str(len(reply.body)).encode()))
        await send({"type": "http.response.start", "status": reply.status, "headers": headers})
        await send({"type": "http.response.body", "body": reply.body})


# --- broken variants -------------------------------------------------------------------------


def wrong_status_string(call: Call, reply: Reply, _memory: dict[str, Any]) -> None:
    """Status replies say ``RUNNING`` instead of ``IN_PROGRESS``."""
    body = reply.json()
    if call.kind is Kind.STATUS and isinstance(body, dict) and body.get("status") == "IN_PROGRESS":
        reply.set_json({**body, "status": "RUNNING"})


def mismatched_ids(call: Call, reply: Reply, _memory: dict[str, Any]) -> None:
    """Status replies name another request id."""
    body = reply.json()
    if call.kind is Kind.STATUS and isinstance(body, dict) and "request_id" in body:
        reply.set_json({**body, "request_id": "mmsu_someone_else"})


def _fake_result(request_id: str | None) -> dict[str, Any]:
    return {
        "request_id": request_id,
        "outputs": [{"type": "image", "url": "http://127.0.0.1:9/nothing.png", "content_type": "image/png"}],
        "metadata": {},
    }


def early_result(call: Call, reply: Reply, _memory: dict[str, Any]) -> None:
    """The result answers 200 with outputs while the task is still running."""
    if call.kind is Kind.RESULT and reply.status == 202:
        reply.set_json(_fake_result(call.request_id), status=200)


def wrong_image_size(call: Call, reply: Reply, _memory: dict[str, Any]) -> None:
    """Output files are half the size they claim."""
    if call.kind is not None or reply.status != 200 or "/files/" not in call.url:
        return
    with Image.open(io.BytesIO(reply.body)) as image:
        fmt = image.format or "PNG"
        smaller = image.resize((max(1, image.width // 2), max(1, image.height // 2)))
    buffer = io.BytesIO()
    smaller.save(buffer, format=fmt)
    reply.body = buffer.getvalue()


def wrong_image_height(call: Call, reply: Reply, _memory: dict[str, Any]) -> None:
    """Output files have the width they claim but only half the height."""
    if call.kind is not None or reply.status != 200 or "/files/" not in call.url:
        return
    with Image.open(io.BytesIO(reply.body)) as image:
        fmt = image.format or "PNG"
        shorter = image.resize((image.width, max(1, image.height // 2)))
    buffer = io.BytesIO()
    shorter.save(buffer, format=fmt)
    reply.body = buffer.getvalue()


def refusals_answer_200(call: Call, reply: Reply, _memory: dict[str, Any]) -> None:
    """A missing or wrong key gets its error body with 200 instead of 401."""
    if reply.status == 401:
        reply.status = 200


def refusals_answer_200_with_a_status(call: Call, reply: Reply, _memory: dict[str, Any]) -> None:
    """A missing or wrong key gets 200 and a status body instead of 401."""
    if reply.status == 401:
        reply.set_json({"status": "IN_QUEUE", "request_id": call.request_id, "queue_position": 0}, status=200)


def negative_queue_positions(call: Call, reply: Reply, _memory: dict[str, Any]) -> None:
    """Every queue position (submit, status, 202 result) is -1."""
    body = reply.json()
    if call.kind is not None and isinstance(body, dict) and "queue_position" in body:
        reply.set_json({**body, "queue_position": -1})


def statuses_go_backwards(call: Call, reply: Reply, memory: dict[str, Any]) -> None:
    """After the first COMPLETED, the status says IN_PROGRESS again."""
    body = reply.json()
    if call.kind is not Kind.STATUS or not isinstance(body, dict) or body.get("status") != "COMPLETED":
        return
    seen = memory.setdefault("completed", set())
    if call.request_id in seen:
        reply.set_json({"status": "IN_PROGRESS", "request_id": body.get("request_id")})
    seen.add(call.request_id)


def outputs_after_cancel(call: Call, reply: Reply, _memory: dict[str, Any]) -> None:
    """The result of a canceled task answers 200 with outputs."""
    body = reply.json()
    if call.kind is Kind.RESULT and isinstance(body, dict) and body.get("error_type") == "CANCELED":
        reply.set_json(_fake_result(call.request_id), status=200)


def cancel_terminal_accepted(call: Call, reply: Reply, _memory: dict[str, Any]) -> None:
    """Cancelling a terminal task answers 202 instead of 400."""
    body = reply.json()
    if call.kind is Kind.CANCEL and isinstance(body, dict) and body.get("status") == "ALREADY_COMPLETED":
        reply.set_json({"status": "CANCELLATION_REQUESTED"}, status=202)


def _authorization_rewrite(key: str) -> RequestRewrite:
    def rewrite(scope: Scope, body: bytes) -> tuple[Scope, bytes]:
        headers = [(k, v) for k, v in scope.get("headers", []) if k.lower() != b"authorization"]
        scope["headers"] = [*headers, (b"authorization", f"Bearer {key}".encode())]
        return scope, body

    return rewrite


def _clamp_width(scope: Scope, body: bytes) -> tuple[Scope, bytes]:
    """Out-of-range widths are silently clamped into range (so they are accepted)."""
    try:
        data = json.loads(body)
    except ValueError:
        return scope, body
    if isinstance(data, dict) and isinstance(data.get("width"), int) and not isinstance(data["width"], bool):
        data["width"] = min(max(data["width"], 256), 1440) // 32 * 32
        body = json.dumps(data).encode()
        scope["headers"] = [(k, v) for k, v in scope.get("headers", []) if k.lower() != b"content-length"]
        scope["headers"].append((b"content-length", str(len(body)).encode()))
    return scope, body


# --- faithful variants -----------------------------------------------------------------------


def _drop_unknown_fields(scope: Scope, body: bytes) -> tuple[Scope, bytes]:
    """Unknown submit fields are silently dropped (tolerated by the contract: a warning)."""
    matched = match_url(str(scope.get("method", "")), f"http://host{scope.get('path', '')}")
    if matched is None or matched[0].kind is not Kind.SUBMIT:
        return scope, body
    try:
        data = json.loads(body)
    except ValueError:
        return scope, body
    known = set(submit_properties(matched[0].model))
    if isinstance(data, dict) and not set(data) <= known:
        body = json.dumps({key: value for key, value in data.items() if key in known}).encode()
        scope["headers"] = [(k, v) for k, v in scope.get("headers", []) if k.lower() != b"content-length"]
        scope["headers"].append((b"content-length", str(len(body)).encode()))
    return scope, body


def accepted_codes_and_extra_fields(call: Call, reply: Reply, _memory: dict[str, Any]) -> None:
    """Submit and non-terminal status answer 202; every JSON object carries extra fields."""
    body = reply.json()
    if not isinstance(body, dict) or call.kind is None:
        return
    status = reply.status
    if call.kind is Kind.SUBMIT and status == 200:
        status = 202
    if call.kind is Kind.STATUS and status == 200 and body.get("status") != "COMPLETED":
        status = 202
    reply.set_json({**body, "provider_extra": {"region": "eu"}, "trace_id": "t-1"}, status=status)


@dataclass(frozen=True)
class Variant:
    """One wrapped provider: how to build it, and the check that must catch it (broken ones)."""

    name: str
    mutation: Mutation | None = None
    rewrite_factory: Callable[[str], RequestRewrite] | None = None
    caught_by: str | None = None
    sections: tuple[str, ...] = ("auth", "lifecycle", "outputs")

    def wrap(self, app: ASGIApp, api_key: str) -> Mutant:
        """Wrap the reference app."""
        rewrite = self.rewrite_factory(api_key) if self.rewrite_factory else None
        return Mutant(app, self.mutation, rewrite)


BROKEN: tuple[Variant, ...] = (
    Variant("wrong status string", wrong_status_string, caught_by="lifecycle.documented_response"),
    Variant("ids that do not match", mismatched_ids, caught_by="lifecycle.identity"),
    Variant("result before completion", early_result, caught_by="lifecycle.result_202_until_done"),
    Variant("images of the wrong size", wrong_image_size, caught_by="outputs.size"),
    Variant("images of the wrong height only", wrong_image_height, caught_by="outputs.size"),
    Variant("refusals answer 200 with an error body", refusals_answer_200, caught_by="auth.missing"),
    Variant("wrong keys get 200 with an error body", refusals_answer_200, caught_by="auth.wrong"),
    Variant("refusals answer 200 with a status", refusals_answer_200_with_a_status, caught_by="auth.missing"),
    Variant("negative queue positions", negative_queue_positions, caught_by="lifecycle.queue_position"),
    Variant("statuses going backwards", statuses_go_backwards, caught_by="lifecycle.monotonic"),
    Variant("200 with outputs after a cancel", outputs_after_cancel, caught_by="lifecycle.cancel"),
    Variant(
        "cancel of a terminal task accepted", cancel_terminal_accepted, caught_by="lifecycle.cancel_terminal"
    ),
    Variant("ignores auth", rewrite_factory=_authorization_rewrite, caught_by="auth.missing"),
    Variant(
        "accepts an out-of-range width",
        rewrite_factory=lambda _key: _clamp_width,
        caught_by="schema.negative_data_rejection",
        sections=("schema",),
    ),
)

FAITHFUL: tuple[Variant, ...] = (Variant("202 codes and extra fields", accepted_codes_and_extra_fields),)

#: Tolerated by the contract: must end with a warning (the check id here), not a failure.
TOLERATED: tuple[Variant, ...] = (
    Variant(
        "ignores unknown submit fields",
        rewrite_factory=lambda _key: _drop_unknown_fields,
        caught_by="schema.negative_data_rejection",
        sections=("schema",),
    ),
)
