"""The ASGI application: routes, authentication, fault injection, the four operations.

Every API request goes through the same steps: count it; check credentials (401 gateway
shape); maybe inject a fault; check the model (404 ``App not found``); run the operation.
Output downloads (``/model/files/{token}/{name}``) need no credentials and see no faults.
Hardening (issue 13): request bodies are read under a limit (413 beyond it, refused from
``Content-Length`` before reading); a task belongs to the key that created it, so with several keys
(``--api-key`` repeated) one key cannot read or cancel another's tasks (404, as for an unknown id);
``public_base_url`` (``fluxq serve`` sets it from the address it binds) replaces the ``Host`` header
in the URLs it returns.
The generation format's create and poll (:mod:`fluxq_reference.generation`) live under the same
``/model`` root, share the queue, images, faults and counters, and go through the same :func:`admit`.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.types import Receive, Scope, Send

from fluxq_reference import bodies
from fluxq_reference.config import ProviderConfig
from fluxq_reference.counters import Operation
from fluxq_reference.faults import MALFORMED_BODY, Fault
from fluxq_reference.generation import generation_routes
from fluxq_reference.limits import BodyTooLarge, limited_body, owner_of
from fluxq_reference.queue import retry_after_hint, status_at
from fluxq_reference.rendering import content_type_of, render
from fluxq_reference.spec_facts import ModelFacts, body_limit, default_models
from fluxq_reference.state import ProviderState
from fluxq_reference.validation import Refusal, validate_submit

PREFIX = "/model"
Handler = Callable[[Request, ProviderState, ModelFacts], Awaitable[Response]]


class ConnectionDropped(ConnectionResetError):
    """Raised inside the app to drop a connection after the response started (a fault)."""


class _DroppedResponse(Response):
    """Starts a response, then drops the connection (the server closes it mid-response)."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": [(b"content-length", b"64")]})
        await send({"type": "http.response.body", "body": b'{"request_id": ', "more_body": True})
        raise ConnectionDropped("fluxq provider fault: connection dropped")


def _gateway_id() -> str:
    return "req_" + secrets.token_hex(12)


def _json(status_code: int, body: dict[str, Any], headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(body, status_code=status_code, headers=headers)


def _key_of(header: str | None, config: ProviderConfig) -> str | None:
    """The accepted key an ``Authorization`` header carries (with an accepted scheme), else ``None``."""
    if not header:
        return None
    scheme, _, key = header.strip().partition(" ")
    if scheme.lower() not in config.auth_schemes:
        return None
    offered = key.strip().encode()
    matches = [accepted for accepted in config.api_keys if hmac.compare_digest(offered, accepted.encode())]
    return matches[0] if matches else None


def too_large(limit: int) -> JSONResponse:
    """The 413 reply to an oversize body."""
    return _json(413, {"detail": f"request body larger than {limit} bytes"})


def _fault_response(fault: Fault, config: ProviderConfig) -> Response:
    if fault.kind == "rate_limit":
        body = bodies.gateway_error("RATE_LIMIT_EXCEEDED", "Too many requests, retry later", _gateway_id())
        return _json(429, body, {"Retry-After": str(config.faults.retry_after)})
    if fault.kind == "server_error":
        body = bodies.gateway_error("INTERNAL_ERROR", "Upstream service unavailable", _gateway_id())
        return _json(fault.status_code, body)
    if fault.kind == "malformed_body":
        return Response(MALFORMED_BODY, status_code=502, media_type="application/json")
    return _DroppedResponse()


def base_url_of(request: Request, config: ProviderConfig) -> str:
    """The base URL (ending in ``/model``) used in absolute URLs."""
    if config.public_base_url:
        return config.public_base_url.rstrip("/")
    return str(request.base_url).rstrip("/") + PREFIX


async def admit(
    request: Request, state: ProviderState, operation: Operation, model_id: str
) -> Response | None:
    """The steps every API request of either format goes through before its operation runs.

    Counts the request under ``(operation, model_id)``, checks credentials (401 gateway shape) and
    maybe injects a fault.

    Returns:
        The response that ends the request (401 or a fault), or ``None`` to go on.
    """
    state.counters.requests[(operation, model_id)] += 1
    config = state.config
    key = _key_of(request.headers.get("authorization"), config)
    if key is None:
        body = bodies.gateway_error("UNAUTHORIZED", "Invalid or missing API key", _gateway_id())
        return _json(401, body, {"WWW-Authenticate": "Bearer"})
    request.state.api_key = key
    fault = state.faults.next_fault()
    if fault is not None:
        state.counters.faults[fault.kind] += 1
        if fault.kind != "slow":
            return _fault_response(fault, config)
        await config.sleep(config.faults.slow_seconds)
    return None


def _operation(operation: Operation, handler: Handler) -> Callable[[Request], Awaitable[Response]]:
    async def endpoint(request: Request) -> Response:
        state: ProviderState = request.app.state.provider
        model_id = request.path_params["model"]
        refused = await admit(request, state, operation, model_id)
        if refused is not None:
            return refused
        facts = state.models.get(model_id)
        if facts is None:
            return _json(404, {"detail": f"App not found: {model_id}"})
        return await handler(request, state, facts)

    return endpoint


async def _submit(request: Request, state: ProviderState, facts: ModelFacts) -> Response:
    limit = state.config.max_body_bytes or body_limit(facts)
    try:
        body = await limited_body(request, limit)
    except BodyTooLarge:
        return too_large(limit)
    outcome = validate_submit(facts, body, request.headers.get("content-type"), request.query_params)
    if isinstance(outcome, Refusal):
        return _json(outcome.status_code, {"detail": outcome.detail})
    task = state.submit(facts.model_id, outcome.model_dump(), owner=owner_of(request))
    position = state.queue.position(task) if task.started_at is None else 0
    return _json(200, bodies.submission_body(base_url_of(request, state.config), task, position))


def _not_found() -> JSONResponse:
    return _json(404, {"detail": "Request not found"})


async def _status(request: Request, state: ProviderState, facts: ModelFacts) -> Response:
    task = state.find(facts.model_id, request.path_params["request_id"], owner=owner_of(request))
    if task is None:
        return _not_found()
    now = state.now()
    body = bodies.status_body(base_url_of(request, state.config), task, now, state.queue.position(task))
    return _json(200, body)


async def _result(request: Request, state: ProviderState, facts: ModelFacts) -> Response:
    task = state.find(facts.model_id, request.path_params["request_id"], owner=owner_of(request))
    if task is None:
        return _not_found()
    now = state.now()
    base_url = base_url_of(request, state.config)
    if status_at(task, now) != "COMPLETED":
        body = bodies.status_body(base_url, task, now, state.queue.position(task))
        return _json(202, body, {"Retry-After": str(retry_after_hint(task, now))})
    error_type = task.error_type
    if error_type is not None:
        return _json(bodies.result_status_for(error_type), bodies.failure_body(task, error_type))
    return _json(200, bodies.result_body(base_url, task))


async def _cancel(request: Request, state: ProviderState, facts: ModelFacts) -> Response:
    task = state.find(facts.model_id, request.path_params["request_id"], owner=owner_of(request))
    if task is None:
        return _json(404, {"status": "NOT_FOUND"})
    if not state.queue.cancel(task, state.config.clock()):
        return _json(400, {"status": "ALREADY_COMPLETED"})
    state.counters.cancels_accepted += 1
    return _json(202, {"status": "CANCELLATION_REQUESTED"})


async def _download(request: Request) -> Response:
    state: ProviderState = request.app.state.provider
    task = state.find_file(request.path_params["token"])
    model_id = task.model_id if task is not None else "unknown"
    state.counters.requests[("download", model_id)] += 1
    now = state.now()
    if (
        task is None
        or request.path_params["name"] != bodies.file_name(task)
        or status_at(task, now) != "COMPLETED"
        or task.error_type is not None
    ):
        return _json(404, {"detail": "File not found"})
    data = state.outputs.get(task.file_token)
    if data is None:
        data = await run_in_threadpool(render, task.plan)
        state.outputs.put(task.file_token, data)
    task.file_size = len(data)
    return Response(data, media_type=content_type_of(task.plan.image_format))


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    return _json(exc.status_code, {"detail": exc.detail}, dict(exc.headers or {}))


def create_app(
    config: ProviderConfig | None = None, models: dict[str, ModelFacts] | None = None
) -> Starlette:
    """Build the reference provider as an ASGI app (all routes under ``/model``, both formats).

    Args:
        config: The configuration (``ProviderConfig()`` when omitted).
        models: The models to serve; read from the spec when omitted.

    Returns:
        The app; ``app.state.provider`` is its :class:`ProviderState` (``.counters``,
        ``.clock``, ``.config``).

    Raises:
        FileNotFoundError: If ``models`` is omitted and the spec cannot be found.
    """
    config = config or ProviderConfig()
    models = models if models is not None else default_models()
    queue_path = PREFIX + "/v1/queue/{model}"
    request_path = queue_path + "/requests/{request_id}"
    routes = [
        Route(queue_path, _operation("submit", _submit), methods=["POST"]),
        Route(request_path + "/status", _operation("status", _status), methods=["GET"]),
        Route(request_path + "/response", _operation("result", _result), methods=["GET"]),
        Route(request_path + "/cancel", _operation("cancel", _cancel), methods=["PUT"]),
        Route(PREFIX + "/files/{token}/{name}", _download, methods=["GET"]),
    ]
    routes += generation_routes(PREFIX, admit, base_url_of)
    app = Starlette(routes=routes, exception_handlers={HTTPException: _http_error})
    app.state.provider = ProviderState(config, models)
    return app
