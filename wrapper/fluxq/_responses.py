"""The one place where HTTP responses become results or exceptions (shared by sync and async).

Bodies are validated with the generated ``fluxq_models`` (strict); anything unreadable becomes
`MalformedResponse`, never a ``KeyError``. Both error shapes are read everywhere: the gateway's
``{"error": {"code", "message"}, "request_id"}`` and the application's ``{"detail": ...}``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, TypeVar

import httpx
import pydantic

import fluxq_models

from ._exceptions import (
    APIError,
    MalformedResponse,
    RateLimitError,
    TaskFailed,
    api_error_class,
    task_error_class,
)
from ._polling import parse_retry_after
from ._status import Completed, InProgress, Queued, StatusEvent

_Model = TypeVar("_Model", bound=pydantic.BaseModel)

TASK_OUTCOME_STATUSES = frozenset({400, 409, 410, 422})
"""Result-endpoint 4xx statuses that may report a finished task's failure (5xx may too)."""


@dataclass(slots=True)
class Pending:
    """The result endpoint's 202: the task is not finished.

    Attributes:
        event: Where the task is.
        retry_after: The server's poll hint in seconds, when it sent ``Retry-After``.
    """

    event: Queued | InProgress
    retry_after: float | None


@dataclass(slots=True)
class Failure:
    """A finished task's failure: the event to report and the exception to raise."""

    event: Completed
    error: TaskFailed


ResultOutcome = Pending | Failure | fluxq_models.QueueResult
"""What one poll of the result endpoint yields."""


def _json(response: httpx.Response) -> Any:
    try:
        return json.loads(response.content)
    except (ValueError, RecursionError):  # RecursionError: a hostile body nested thousands of levels deep
        return None


def _where(response: httpx.Response) -> str:
    return f"{response.request.method} {response.request.url.copy_with(query=None)}"


def _validate(model: type[_Model], body: Any, response: httpx.Response) -> _Model:
    try:
        return model.model_validate(body)
    except pydantic.ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(part) for part in first["loc"]) or "body"
        raise MalformedResponse(
            f"unreadable reply to {_where(response)} (HTTP {response.status_code}): {field}: {first['msg']}"
        ) from None


def _check_identity(found: str, request_id: str | None, response: httpx.Response) -> None:
    if request_id is not None and found != request_id:
        raise MalformedResponse(f"reply to {_where(response)} is about request {found!r}, not {request_id!r}")


def carries_error_type(response: httpx.Response) -> bool:
    """Return True when an error body reports a task outcome (``error_type``); retries can't change it."""
    body = _json(response)
    return isinstance(body, dict) and isinstance(body.get("error_type"), str)


def api_error(response: httpx.Response, *, request_id: str | None = None) -> APIError:
    """Return the `APIError` subclass for an HTTP error response, with the server's message.

    Args:
        response: A response with status 400 or more.
        request_id: The task's id when the request concerned one (else the body's ``request_id`` is used).
    """
    body = _json(response)
    message, code, error_type, body_request_id = "", None, None, None
    if isinstance(body, dict):
        gateway = body.get("error")
        if isinstance(gateway, dict):
            # ``error_message`` is the generation format's spelling (seaart-sdk reads it).
            message = str(gateway.get("message") or gateway.get("error_message") or "")
            code = gateway.get("code") if isinstance(gateway.get("code"), str) else None
        detail = body.get("detail")
        if not message and detail is not None:
            message = detail if isinstance(detail, str) else json.dumps(detail)
        if not message and isinstance(body.get("status"), str):
            message = body["status"]
        error_type = body.get("error_type") if isinstance(body.get("error_type"), str) else None
        body_request_id = body.get("request_id") if isinstance(body.get("request_id"), str) else None
    if not message:
        message = response.reason_phrase or "error"
    error = api_error_class(response.status_code)(
        response.status_code,
        message,
        body=body,
        code=code,
        error_type=error_type,
        request_id=request_id or body_request_id,
    )
    if isinstance(error, RateLimitError):
        error.retry_after = parse_retry_after(response.headers.get("retry-after"))
    return error


def status_event(status: fluxq_models.QueueStatus) -> StatusEvent:
    """Return the event a validated status body describes."""
    state = status.status.root
    if state == "IN_QUEUE":
        return Queued(status.request_id, status.queue_position)
    if state == "IN_PROGRESS":
        return InProgress(status.request_id, None if status.logs is None else tuple(status.logs))
    return Completed(
        status.request_id,
        error_type=None if status.error_type is None else status.error_type.root,
        error=status.error,
        inference_time=None if status.metrics is None else status.metrics.inference_time,
    )


def failure(request_id: str, error_type: str | None, message: str | None) -> Failure:
    """Return the event and exception of a failed task."""
    text = message or "the task failed"
    return Failure(
        Completed(request_id, error_type=error_type, error=text),
        task_error_class(error_type)(request_id, error_type, text),
    )


def read_submission(response: httpx.Response) -> fluxq_models.QueueSubmission:
    """Return the submit reply.

    Raises:
        APIError: For an HTTP error status (its subclass by status).
        MalformedResponse: For an unreadable body.
    """
    if response.status_code >= 400:
        raise api_error(response)
    try:  # the common case in one pass (parse and validate in pydantic-core); the same rules as below
        return fluxq_models.QueueSubmission.model_validate_json(response.content)
    except pydantic.ValidationError:
        pass  # re-read below for the error message naming the field
    return _validate(fluxq_models.QueueSubmission, _json(response), response)


def read_status(response: httpx.Response, request_id: str) -> StatusEvent:
    """Return the status reply as an event.

    Raises:
        APIError: For an HTTP error status.
        MalformedResponse: For an unreadable body, an unknown status or another task's id.
    """
    if response.status_code >= 400:
        raise api_error(response, request_id=request_id)
    status = _validate(fluxq_models.QueueStatus, _json(response), response)
    _check_identity(status.request_id, request_id, response)
    return status_event(status)


def read_result(response: httpx.Response, request_id: str) -> ResultOutcome:
    """Return one poll of the result endpoint: pending, failed, or the result.

    Raises:
        APIError: For an HTTP error status that does not report the task's outcome.
        MalformedResponse: For an unreadable body or another task's id.
    """
    if response.status_code == 200:
        try:  # the common final poll in one pass; anything else takes the careful path below
            done = fluxq_models.QueueResult.model_validate_json(response.content)
        except pydantic.ValidationError:
            pass
        else:
            _check_identity(done.request_id, request_id, response)
            return done
    body = _json(response)
    if response.status_code >= 400:
        if carries_error_type(response) and (
            response.status_code in TASK_OUTCOME_STATUSES or response.status_code >= 500
        ):
            error = api_error(response, request_id=request_id)
            return failure(request_id, error.error_type, error.message)
        raise api_error(response, request_id=request_id)
    if response.status_code == 202 or (isinstance(body, dict) and "outputs" not in body and "status" in body):
        status = _validate(fluxq_models.QueueStatus, body, response)
        _check_identity(status.request_id, request_id, response)
        event = status_event(status)
        if isinstance(event, Completed):
            if event.ok:
                raise MalformedResponse(f"{_where(response)} reports COMPLETED without outputs")
            return failure(request_id, event.error_type, event.error)
        return Pending(event, parse_retry_after(response.headers.get("retry-after")))
    result = _validate(fluxq_models.QueueResult, body, response)
    _check_identity(result.request_id, request_id, response)
    return result


def read_cancel(response: httpx.Response, request_id: str) -> bool:
    """Return True when the cancel was accepted, False when the task had already finished.

    Raises:
        APIError: For other HTTP errors (``NotFoundError`` for an unknown id).
        MalformedResponse: For an unreadable success body.
    """
    body = _json(response)
    if response.status_code == 400 and isinstance(body, dict) and body.get("status") == "ALREADY_COMPLETED":
        return False
    if response.status_code >= 400:
        raise api_error(response, request_id=request_id)
    reply = _validate(fluxq_models.CancelReply, body, response)
    if reply.status == "ALREADY_COMPLETED":
        return False
    if reply.status != "CANCELLATION_REQUESTED":
        raise MalformedResponse(
            f"{_where(response)} answered {response.status_code} with status {reply.status}"
        )
    return True
