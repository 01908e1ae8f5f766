"""Variants of the reference provider, built by wrapping its ASGI app: broken ones and faithful ones.

Each broken variant breaks one rule of the contract and names the check id that must catch it
(:data:`BROKEN`); each faithful variant differs from the reference in a way the contract allows
and must pass (:data:`FAITHFUL`). They prove the suite neither misses deviations nor cries wolf.
"""

from __future__ import annotations

import gzip
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
    authorization: str | None = None


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
            authorization = dict(scope.get("headers", [])).get(b"authorization")
            call = Call(
                scope["method"],
                url,
                matched[0].kind if matched else None,
                matched[1] if matched else None,
                authorization.decode() if authorization else None,
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


def result_without_metadata(call: Call, reply: Reply, _memory: dict[str, Any]) -> None:
    """Successful results leave out ``metadata`` (the docs say it is always there)."""
    body = reply.json()
    if call.kind is Kind.RESULT and reply.status == 200 and isinstance(body, dict) and "outputs" in body:
        reply.set_json({key: value for key, value in body.items() if key != "metadata"})


def lower_case_statuses(call: Call, reply: Reply, _memory: dict[str, Any]) -> None:
    """Statuses come back lower-case (``in_queue``, ``in_progress``, ``completed``): not the spec's."""
    body = reply.json()
    if call.kind is Kind.STATUS and isinstance(body, dict) and isinstance(body.get("status"), str):
        reply.set_json({**body, "status": body["status"].lower()})


def completed_with_202(call: Call, reply: Reply, _memory: dict[str, Any]) -> None:
    """Status answers 202 also once the task is COMPLETED."""
    body = reply.json()
    if call.kind is Kind.STATUS and isinstance(body, dict) and body.get("status") == "COMPLETED":
        reply.status = 202


def canceled_then_succeeded(call: Call, reply: Reply, memory: dict[str, Any]) -> None:
    """A canceled task turns into a success when read again later (from its third COMPLETED read)."""
    body = reply.json()
    reads = memory.setdefault("reads", {})
    if call.kind is Kind.STATUS and isinstance(body, dict) and body.get("error_type") == "CANCELED":
        reads[call.request_id] = reads.get(call.request_id, 0) + 1
        if reads[call.request_id] >= 3:
            reply.set_json({"status": "COMPLETED", "request_id": call.request_id, "logs": [], "metrics": {}})
    elif call.kind is Kind.RESULT and reads.get(call.request_id, 0) >= 3:
        reply.set_json({**_fake_result(call.request_id), "status": "COMPLETED"}, status=200)


def _foreign_urls(host: str) -> Mutation:
    def mutation(call: Call, reply: Reply, _memory: dict[str, Any]) -> None:
        body = reply.json()
        if call.kind is Kind.SUBMIT and isinstance(body, dict) and "status_url" in body:
            moved = {}
            for name in ("status_url", "response_url", "cancel_url"):
                scheme, _, rest = str(body[name]).partition("://")
                moved[name] = f"{scheme}://{host}/{rest.split('/', 1)[1]}"
            reply.set_json({**body, **moved})

    return mutation


def other_model_urls(call: Call, reply: Reply, _memory: dict[str, Any]) -> None:
    """Submit's URLs name another model than the one submitted to."""
    body = reply.json()
    if call.kind is Kind.SUBMIT and isinstance(body, dict) and "status_url" in body:
        model = call.url.rstrip("/").rsplit("/", 1)[-1]
        other = "flux_2_pro" if model != "flux_2_pro" else "flux_pro_11"
        reply.set_json(
            {
                **body,
                **{
                    n: str(body[n]).replace(f"/{model}/", f"/{other}/")
                    for n in ("status_url", "response_url", "cancel_url")
                },
            }
        )


def _rate_limit_first_polls(retry_after: str) -> Mutation:
    def mutation(call: Call, reply: Reply, memory: dict[str, Any]) -> None:
        if call.kind not in (Kind.STATUS, Kind.RESULT) or call.request_id is None:
            return
        seen = memory.setdefault("limited", set())
        if (call.kind, call.request_id) in seen:
            return
        seen.add((call.kind, call.request_id))
        error = {"code": "RATE_LIMIT_EXCEEDED", "message": "Too many requests"}
        reply.set_json({"error": error, "request_id": "req_1"}, status=429)
        reply.headers = [(k, v) for k, v in reply.headers if k.lower() != b"retry-after"]
        reply.headers.append((b"retry-after", retry_after.encode()))

    return mutation


# --- faithful variants -----------------------------------------------------------------------


def failed_results_as_200(call: Call, reply: Reply, _memory: dict[str, Any]) -> None:
    """Failed and canceled results answer 200 ``{request_id, status: COMPLETED, error, error_type}``
    (what the official SeaCloud SDK reads)."""
    body = reply.json()
    if call.kind is Kind.RESULT and reply.status >= 400 and isinstance(body, dict) and "error_type" in body:
        reply.set_json(
            {
                "request_id": call.request_id,
                "status": "COMPLETED",
                "error": str(body.get("detail", "failed")),
                "error_type": body["error_type"],
            },
            status=200,
        )


def forbidden_for_wrong_keys(call: Call, reply: Reply, _memory: dict[str, Any]) -> None:
    """A wrong key answers 403 (the platform's errors page documents it), a missing one 401."""
    if reply.status == 401 and call.authorization:
        error = {"code": "FORBIDDEN", "message": "Invalid or expired API key"}
        reply.set_json({"error": error, "request_id": "req_1"}, status=403)


def gzipped(_call: Call, reply: Reply, _memory: dict[str, Any]) -> None:
    """Every response body is gzip-encoded (``content-encoding: gzip``)."""
    if reply.body:
        reply.body = gzip.compress(reply.body)
        reply.headers = [(k, v) for k, v in reply.headers if k.lower() != b"content-encoding"]
        reply.headers.append((b"content-encoding", b"gzip"))


def cancel_unsupported(call: Call, reply: Reply, _memory: dict[str, Any]) -> None:
    """Cancel answers 405 with a JSON body: this endpoint has no cancel (OdiRouter: "when supported")."""
    if call.kind is Kind.CANCEL and call.request_id is not None and reply.status in (202, 400):
        reply.set_json({"detail": "Cancel is not supported for this endpoint"}, status=405)


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


def _ratio_out_of_range(ratio: Any) -> bool:
    width, _, height = str(ratio).partition(":")
    if not (width.isdigit() and height.isdigit() and int(height)):
        return False
    return not 9 / 21 <= int(width) / int(height) <= 21 / 9


def _silent_choices(scope: Scope, body: bytes) -> tuple[Scope, bytes]:
    """Where the docs are silent, decide otherwise than fluxq: accept ``prompt: ""`` and explicit nulls
    (filled in / dropped), refuse an ``aspect_ratio`` outside 21:9…9:21 (made invalid, so it gets 422)."""
    matched = match_url(str(scope.get("method", "")), f"http://host{scope.get('path', '')}")
    if matched is None or matched[0].kind is not Kind.SUBMIT:
        return scope, body
    try:
        data = json.loads(body)
    except ValueError:
        return scope, body
    if not isinstance(data, dict):
        return scope, body
    cleaned = {key: value for key, value in data.items() if value is not None}
    if cleaned.get("prompt") == "":
        cleaned["prompt"] = "an empty prompt, accepted"
    if _ratio_out_of_range(cleaned.get("aspect_ratio")):
        cleaned["aspect_ratio"] = "out of range"
    if cleaned != data:
        body = json.dumps(cleaned).encode()
        scope["headers"] = [(k, v) for k, v in scope.get("headers", []) if k.lower() != b"content-length"]
        scope["headers"].append((b"content-length", str(len(body)).encode()))
    return scope, body


def fastapi_error_lists(_call: Call, reply: Reply, _memory: dict[str, Any]) -> None:
    """400/422 application errors carry FastAPI's list-valued ``detail``."""
    body = reply.json()
    if reply.status in (400, 422) and isinstance(body, dict) and isinstance(body.get("detail"), str):
        reply.set_json({"detail": [{"loc": ["body"], "msg": body["detail"], "type": "value_error"}]})


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


def chain(*mutations: Mutation) -> Mutation:
    """Apply several mutations in order (one provider differing in several allowed ways)."""

    def mutation(call: Call, reply: Reply, memory: dict[str, Any]) -> None:
        for each in mutations:
            each(call, reply, memory)

    return mutation


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


#: Break a documented or evidence rule: the run must exit 1 with ``caught_by`` failed.
BROKEN: tuple[Variant, ...] = (
    Variant("202 that says COMPLETED", completed_with_202, caught_by="lifecycle.status_code"),
    Variant("wrong status string", wrong_status_string, caught_by="lifecycle.documented_response"),
    Variant("result before completion", early_result, caught_by="lifecycle.result_202_until_done"),
    Variant("refusals answer 200 with an error body", refusals_answer_200, caught_by="auth.missing"),
    Variant("wrong keys get 200 with an error body", refusals_answer_200, caught_by="auth.wrong"),
    Variant("refusals answer 200 with a status", refusals_answer_200_with_a_status, caught_by="auth.missing"),
    Variant("negative queue positions", negative_queue_positions, caught_by="lifecycle.queue_position"),
    Variant("200 with outputs after a cancel", outputs_after_cancel, caught_by="lifecycle.cancel"),
    Variant(
        "cancel of a terminal task accepted", cancel_terminal_accepted, caught_by="lifecycle.cancel_terminal"
    ),
    Variant("ignores auth", rewrite_factory=_authorization_rewrite, caught_by="auth.missing"),
    Variant("result without metadata", result_without_metadata, caught_by="lifecycle.documented_response"),
    Variant("lower-case statuses", lower_case_statuses, caught_by="lifecycle.monotonic"),
    Variant(
        "accepts an out-of-range width",
        rewrite_factory=lambda _key: _clamp_width,
        caught_by="schema.negative_data_rejection",
        sections=("schema",),
    ),
)

#: Differ from a fluxq *choice* only: exit 0 with ``caught_by`` warned (exit 1 with ``--strict``).
CHOICE: tuple[Variant, ...] = (
    Variant("ids that do not match", mismatched_ids, caught_by="lifecycle.identity"),
    Variant("images of the wrong size", wrong_image_size, caught_by="outputs.size"),
    Variant("images of the wrong height only", wrong_image_height, caught_by="outputs.size"),
    Variant("statuses going backwards", statuses_go_backwards, caught_by="lifecycle.monotonic"),
    Variant(
        "canceled, then a success seconds later", canceled_then_succeeded, caught_by="lifecycle.monotonic"
    ),
    Variant("task URLs on another host", _foreign_urls("127.0.0.2:9"), caught_by="lifecycle.identity"),
    Variant("task URLs naming another model", other_model_urls, caught_by="lifecycle.identity"),
    Variant(
        "429 with an unparseable Retry-After",
        _rate_limit_first_polls("soon, maybe"),
        caught_by="lifecycle.retry_after",
    ),
)

#: Behave as contract §6 rev. 2 allows, differently from the reference provider: no failure, no warning
#: on ``quiet`` (the checks that must stay quiet).
FAITHFUL: tuple[Variant, ...] = (
    Variant("202 codes and extra fields", accepted_codes_and_extra_fields),
    Variant("failed results as 200 with error and error_type", failed_results_as_200),
    Variant("403 for a wrong key", forbidden_for_wrong_keys),
    Variant("429 with Retry-After on the first status and result polls", _rate_limit_first_polls("1")),
    Variant("429 with an HTTP-date Retry-After", _rate_limit_first_polls("Wed, 21 Oct 2015 07:28:00 GMT")),
    Variant("gzip-encoded responses", gzipped),
    Variant("cancel unsupported (405)", cancel_unsupported),
)

#: Every faithful difference at once (failed results as 200, 403 for wrong keys, 202 codes and extra
#: fields, gzip last so it encodes what the others wrote): the live CLI run must exit 0.
ALL_FAITHFUL = Variant(
    "all faithful differences at once",
    chain(failed_results_as_200, forbidden_for_wrong_keys, accepted_codes_and_extra_fields, gzipped),
)

#: Tolerated by the contract: must end with a warning (the check id here), not a failure.
TOLERATED: tuple[Variant, ...] = (
    Variant(
        "FastAPI-style: empty prompt and nulls accepted, ratio range refused, list-valued 422 detail",
        fastapi_error_lists,
        rewrite_factory=lambda _key: _silent_choices,
        caught_by="schema.negative_data_rejection",
        sections=("schema",),
    ),
    Variant(
        "ignores unknown submit fields",
        rewrite_factory=lambda _key: _drop_unknown_fields,
        caught_by="schema.negative_data_rejection",
        sections=("schema",),
    ),
)
