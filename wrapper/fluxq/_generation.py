"""Reading the generation format's replies (seed 003): task objects become fluxq's status events.

One status vocabulary for users, whichever format the provider speaks:

==============  ==========================================================================
generation      fluxq
==============  ==========================================================================
``pending``     `Queued` (no position: the format reports none)
``processing``  `InProgress`
``completed``   `Completed` and a result whose ``usage`` carries ``cost``
``failed``      `Completed` with ``error_type`` = ``error.code`` and the typed `TaskFailed` tree
==============  ==========================================================================

``error`` is read in both spellings (the page's ``message``, ``seaart-sdk``'s ``error_message``);
an integer ``code`` becomes its decimal string. Outputs become the queue format's generated
``OutputItem`` so results, downloads and file names work the same for both formats.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

import httpx

import fluxq_generation_models as gen
import fluxq_models

from ._exceptions import MalformedResponse
from ._responses import Failure, Pending, _check_identity, _json, _validate, _where, api_error, failure
from ._status import Completed, InProgress, Queued, StatusEvent

OUTPUT_TYPES = frozenset({"image", "video", "audio"})


@dataclass(slots=True)
class Succeeded:
    """A finished task's success: the result (queue-format model) and, when reported, its usage.

    Attributes:
        result: The outputs as the generated ``fluxq_models.QueueResult``.
        usage: The generation format's ``usage`` (``cost`` in USD, ``discount``), or None.
    """

    result: fluxq_models.QueueResult
    usage: gen.Usage | None = None


def create_url(base_url: str) -> str:
    """``{base}/v1/generation``: one create endpoint for every model."""
    return f"{base_url.rstrip('/')}/v1/generation"


def task_url(base_url: str, task_id: str) -> str:
    """``{base}/v1/generation/task/{id}``: where a task is polled."""
    return f"{create_url(base_url)}/task/{quote(task_id, safe='')}"


def read_task(response: httpx.Response, task_id: str | None) -> gen.GenerationTask:
    """Return a validated task object.

    Raises:
        APIError: For an HTTP error status (its subclass by status).
        MalformedResponse: For an unreadable body or another task's id.
    """
    if response.status_code >= 400:
        raise api_error(response, request_id=task_id)
    task = _validate(gen.GenerationTask, _json(response), response)
    _check_identity(task.id, task_id, response)
    return task


def _error_of(task: gen.GenerationTask) -> tuple[str | None, str | None]:
    if task.error is None:
        return None, None
    error = task.error.root
    code = None if error.code is None else str(error.code)
    return code, error.message or error.error_message


def task_event(task: gen.GenerationTask) -> StatusEvent:
    """Return the status event a task object describes."""
    state = task.status.root
    if state == "pending":
        return Queued(task.id)
    if state == "processing":
        return InProgress(task.id)
    if state == "completed":
        return Completed(task.id)
    code, message = _error_of(task)
    return Completed(task.id, error_type=code, error=message or "the task failed")


def _output_item(content: gen.OutputContent, response: httpx.Response) -> fluxq_models.OutputItem:
    if content.type not in OUTPUT_TYPES:
        raise MalformedResponse(
            f"{_where(response)}: output type {content.type!r} is not image, video or audio"
        )
    return fluxq_models.OutputItem.model_validate({"type": content.type, "url": str(content.url)})


def task_outcome(response: httpx.Response, task_id: str) -> Pending | Failure | Succeeded:
    """Return one poll of a task: pending, failed, or its result and usage.

    Raises:
        APIError: For an HTTP error status.
        MalformedResponse: For an unreadable body, another task's id, or a completed task without outputs.
    """
    task = read_task(response, task_id)
    event = task_event(task)
    if isinstance(event, Queued | InProgress):
        return Pending(event, None)
    if not event.ok:
        return failure(task_id, event.error_type, event.error)
    items = [_output_item(content, response) for output in task.output or [] for content in output.content]
    if not items:
        raise MalformedResponse(f"{_where(response)} reports completed without outputs")
    result = fluxq_models.QueueResult(request_id=task.id, outputs=items, metadata=task.metadata or {})
    return Succeeded(result, task.usage)
