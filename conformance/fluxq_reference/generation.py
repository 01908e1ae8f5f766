"""The generation format's two endpoints (seed 003), served next to the queue format.

``POST {prefix}/v1/generation`` creates a task (``model`` in the body, next to the parameters) and
``GET {prefix}/v1/generation/task/{task_id}`` polls it — the paths ``seaart-sdk`` uses. Both go
through the same admission as the queue format (counters ``create`` and ``poll``, credentials,
faults) and use the same queue, timings, prompt markers and output files; the bodies are in
:mod:`fluxq_reference.generation_bodies`.

Refusals (fluxq choice, like the queue format): a body that is not a JSON object → 400; an unknown
or missing ``model``, or parameters the generation document forbids → 422; an unknown task id → 404.
Every error reply is ``{"error": {"code", "message", "error_message"}}``.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from fluxq_reference.config import ProviderConfig
from fluxq_reference.counters import Operation
from fluxq_reference.generation_bodies import error_reply, task_body
from fluxq_reference.limits import BodyTooLarge, generation_body_limit, limited_body, owner_of
from fluxq_reference.spec_facts import default_generation_models
from fluxq_reference.state import ProviderState
from fluxq_reference.validation import Refusal, validate_submit

Admit = Callable[[Request, ProviderState, Operation, str], Awaitable[Response | None]]
BaseUrlOf = Callable[[Request, ProviderConfig], str]
UNKNOWN_MODEL = "unknown"


def model_named(body: bytes) -> str | None:
    """The ``model`` a create body names, when it is a JSON object with a string ``model``."""
    try:
        data: Any = json.loads(body)
    except (ValueError, RecursionError):
        return None
    model = data.get("model") if isinstance(data, dict) else None
    return model if isinstance(model, str) else None


def model_refusal(body: bytes, model: str | None, served: list[str]) -> Refusal:
    """Why a create body without a served ``model`` is refused (400 for a body that is no object)."""
    try:
        data: Any = json.loads(body)
    except (ValueError, RecursionError):
        return Refusal(400, "body: Invalid JSON (json_invalid)")
    if not isinstance(data, dict):
        return Refusal(400, "body: Input should be a JSON object (object_type)")
    if "model" not in data:
        return Refusal(422, "model: Field required (missing)")
    choices = ", ".join(served)
    given = model or data["model"]
    return Refusal(422, f"model: Input should be one of {choices}, not {given!r} (literal_error)")


def _refused(refusal: Refusal) -> JSONResponse:
    return JSONResponse(error_reply("INVALID_PARAMETER", refusal.detail), status_code=refusal.status_code)


def generation_routes(prefix: str, admit: Admit, base_url_of: BaseUrlOf) -> list[Route]:
    """The two routes, under ``prefix`` (``/model``).

    Args:
        prefix: The root the queue format is served under.
        admit: The app's admission step (count, credentials, faults).
        base_url_of: The base URL (ending in ``prefix``) of a request, for absolute output URLs.
    """

    async def create(request: Request) -> Response:
        state: ProviderState = request.app.state.provider
        limit = state.config.max_body_bytes or generation_body_limit()
        try:
            raw = await limited_body(request, limit)
        except BodyTooLarge:
            state.counters.requests[("create", UNKNOWN_MODEL)] += 1
            return JSONResponse(
                error_reply("PAYLOAD_TOO_LARGE", f"request body larger than {limit} bytes"), status_code=413
            )
        model = model_named(raw)
        refused = await admit(request, state, "create", model or UNKNOWN_MODEL)
        if refused is not None:
            return refused
        served = [model_id for model_id in default_generation_models() if model_id in state.models]
        if model is None or model not in served:
            return _refused(model_refusal(raw, model, served))
        facts = default_generation_models()[model]
        outcome = validate_submit(facts, raw, request.headers.get("content-type"), request.query_params)
        if isinstance(outcome, Refusal):
            return _refused(outcome)
        params = outcome.model_dump()
        params.pop("model", None)
        task = state.submit(model, params, owner=owner_of(request))
        body = task_body(base_url_of(request, state.config), task, state.now())
        return JSONResponse(body)

    async def poll(request: Request) -> Response:
        state: ProviderState = request.app.state.provider
        task = state.find_by_id(request.path_params["task_id"])
        refused = await admit(request, state, "poll", UNKNOWN_MODEL if task is None else task.model_id)
        if refused is not None:
            return refused
        if task is None or task.owner != owner_of(request):
            return JSONResponse(error_reply("NOT_FOUND", "Task not found"), status_code=404)
        return JSONResponse(task_body(base_url_of(request, state.config), task, state.now()))

    return [
        Route(prefix + "/v1/generation", create, methods=["POST"]),
        Route(prefix + "/v1/generation/task/{task_id}", poll, methods=["GET"]),
    ]
