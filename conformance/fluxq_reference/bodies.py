"""The JSON bodies the provider answers, as pure functions of a task and the time.

Result of a task that ended without outputs (fluxq contract §6: a 4xx/5xx error body with
``error_type``, never 200 with outputs):

================================  ======
``error_type``                    HTTP
================================  ======
``CANCELED``                      400
``REQUEST_INVALID``               422
``CONTENT_BLOCKED``               422
``INFERENCE_FAILURE``             500
``INTERNAL_SERVER_ERROR``         500
``INFERENCE_TIMEOUT``             504
any other value                   500
================================  ======
"""

from __future__ import annotations

from typing import Any

from fluxq_reference.planning import error_message
from fluxq_reference.queue import Task, status_at
from fluxq_reference.rendering import content_type_of, extension_of

RESULT_STATUS_BY_ERROR_TYPE = {
    "CANCELED": 400,
    "REQUEST_INVALID": 422,
    "CONTENT_BLOCKED": 422,
    "INFERENCE_FAILURE": 500,
    "INTERNAL_SERVER_ERROR": 500,
    "INFERENCE_TIMEOUT": 504,
}
DEFAULT_FAILURE_STATUS = 500


def result_status_for(error_type: str) -> int:
    """The HTTP status of the result of a task that ended with ``error_type``."""
    return RESULT_STATUS_BY_ERROR_TYPE.get(error_type, DEFAULT_FAILURE_STATUS)


def task_url(base_url: str, task: Task, action: str) -> str:
    """``{base}/v1/queue/{model}/requests/{id}/{action}`` (action: status, response, cancel)."""
    return f"{base_url}/v1/queue/{task.model_id}/requests/{task.request_id}/{action}"


def file_name(task: Task, index: int = 0) -> str:
    """The name of a task's output file."""
    return f"{task.request_id}_{index}.{extension_of(task.plan.image_format)}"


def file_url(base_url: str, task: Task, index: int = 0) -> str:
    """The unauthenticated, unguessable download URL of a task's output."""
    return f"{base_url}/files/{task.file_token}/{file_name(task, index)}"


def submission_body(base_url: str, task: Task, position: int) -> dict[str, Any]:
    """The reply to submit."""
    return {
        "request_id": task.request_id,
        "response_url": task_url(base_url, task, "response"),
        "status_url": task_url(base_url, task, "status"),
        "cancel_url": task_url(base_url, task, "cancel"),
        "queue_position": position,
    }


def status_body(base_url: str, task: Task, now: float, position: int) -> dict[str, Any]:
    """The status of ``task`` at ``now``; ``position`` is used only while it waits."""
    status = status_at(task, now)
    # ``logs`` on every status: fal-style clients index it on IN_PROGRESS and COMPLETED (contract rev. 2).
    body: dict[str, Any] = {
        "status": status,
        "request_id": task.request_id,
        "response_url": task_url(base_url, task, "response"),
        "logs": [],
    }
    if status == "IN_QUEUE":
        body["queue_position"] = position
    elif status == "COMPLETED":
        error_type = task.error_type
        if error_type is None:
            run_time = (task.finished_at or 0.0) - (task.started_at or 0.0)
            body["metrics"] = {"inference_time": round(max(run_time, 0.0), 6)}
        else:
            body["error"] = error_message(error_type)
            body["error_type"] = error_type
    return body


def result_body(base_url: str, task: Task) -> dict[str, Any]:
    """The 200 result of a task that completed successfully."""
    plan = task.plan
    output: dict[str, Any] = {
        "type": "image",
        "url": file_url(base_url, task),
        "content_type": content_type_of(plan.image_format),
        "file_name": file_name(task),
        "width": plan.width,
        "height": plan.height,
    }
    if task.file_size is not None:
        output["file_size"] = task.file_size
    # ``status`` too: the official SeaCloud SDK reads the task's state from the result body.
    return {
        "request_id": task.request_id,
        "status": "COMPLETED",
        "outputs": [output],
        "metadata": {"seed": plan.seed, "model": task.model_id, "width": plan.width, "height": plan.height},
    }


def failure_body(task: Task, error_type: str) -> dict[str, Any]:
    """The application-shaped error body of a failed or canceled task's result."""
    return {"detail": error_message(error_type), "error_type": error_type, "request_id": task.request_id}


def gateway_error(code: str, message: str, request_id: str) -> dict[str, Any]:
    """The gateway error shape (401, 429, 5xx faults)."""
    return {"error": {"code": code, "message": message}, "request_id": request_id}
