"""The generation format's JSON bodies (seed 003), as pure functions of a task and the time.

The same task and queue as the queue format, seen through the other protocol:

==================================  ==============================================
queue format                        generation format
==================================  ==============================================
``IN_QUEUE``                        ``pending`` (``progress`` 0)
``IN_PROGRESS``                     ``processing`` (``progress`` 0–99, by run time)
``COMPLETED`` without ``error``     ``completed`` with ``output``, ``usage``, ``progress`` 100
``COMPLETED`` with ``error_type``   ``failed`` with ``error: {code, message, error_message}``
==================================  ==============================================

``error`` carries both spellings: ``message`` (the page) and ``error_message`` (what ``seaart-sdk``
reads); ``code`` is the ``error_type`` string (the page types it as a string). ``usage.cost`` is a
USD string from :data:`PRICES_USD` (fluxq choice: the sources publish no prices for these models).
"""

from __future__ import annotations

from typing import Any, Literal

from fluxq_reference.bodies import file_url
from fluxq_reference.planning import error_message
from fluxq_reference.queue import Task, status_at

GenerationState = Literal["pending", "processing", "completed", "failed"]

PRICES_USD = {"flux_kontext_pro": "0.04", "flux_pro_11": "0.04", "flux_2_pro": "0.03"}
"""Cost of one completed task per model, in USD (fluxq choice; unknown models cost ``DEFAULT_PRICE_USD``)."""
DEFAULT_PRICE_USD = "0.05"


def generation_state(task: Task, now: float) -> GenerationState:
    """The task's lower-case status at ``now``."""
    status = status_at(task, now)
    if status == "IN_QUEUE":
        return "pending"
    if status == "IN_PROGRESS":
        return "processing"
    return "completed" if task.error_type is None else "failed"


def progress_at(task: Task, now: float) -> int:
    """Percent done: 0 while waiting, by elapsed run time while running (at most 99), 100 when done."""
    if task.started_at is None:
        return 0
    if task.finished_at is not None and task.finished_at <= now:
        return 100
    if task.run_time <= 0:
        return 99
    return max(0, min(99, int(100 * (now - task.started_at) / task.run_time)))


def error_object(code: str, message: str) -> dict[str, Any]:
    """The error object, with both the page's and the SDK's message field."""
    return {"code": code, "message": message, "error_message": message}


def error_reply(code: str, message: str) -> dict[str, Any]:
    """An HTTP error reply of the generation format (``{"error": {...}}``)."""
    return {"error": error_object(code, message)}


def task_body(base_url: str, task: Task, now: float) -> dict[str, Any]:
    """The task object (create's reply and every poll's), at ``now``."""
    state = generation_state(task, now)
    body: dict[str, Any] = {"id": task.request_id, "status": state, "model": task.model_id}
    if state == "failed":
        error_type = task.error_type or "INTERNAL_SERVER_ERROR"
        body["error"] = error_object(error_type, error_message(error_type))
        body["metadata"] = {}
        return body
    body["progress"] = progress_at(task, now)
    if state != "completed":
        body["metadata"] = {}
        return body
    plan = task.plan
    run_time = (task.finished_at or 0.0) - (task.started_at or 0.0)
    body["output"] = [{"content": [{"type": "image", "url": file_url(base_url, task)}]}]
    body["usage"] = {"cost": PRICES_USD.get(task.model_id, DEFAULT_PRICE_USD), "discount": 0}
    body["metadata"] = {
        "seed": plan.seed,
        "width": plan.width,
        "height": plan.height,
        "output_format": plan.image_format,
        "inference_time": round(max(run_time, 0.0), 6),
    }
    return body
