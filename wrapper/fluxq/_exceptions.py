"""Every error fluxq raises, in one tree.

```
FluxqError
├── ValidationError            (also ValueError) bad input, caught locally; nothing was sent
├── APIConnectionError         the server could not be reached, or the connection broke
│   └── APITimeoutError        (also TimeoutError) one HTTP request took longer than its timeout
├── SubmitOutcomeUnknown       a submit failed after it may have reached the server: the task may
│                              exist (and be billed); fluxq never re-sends it
├── APIError                   the server answered with an HTTP error (status_code, body, request_id)
│   ├── BadRequestError        400
│   ├── AuthenticationError    401
│   ├── PermissionDeniedError  403
│   ├── NotFoundError          404
│   ├── UnprocessableEntityError 422
│   ├── RateLimitError         429
│   └── InternalServerError    5xx
├── MalformedResponse          a reply fluxq cannot read (unknown status, missing field, not JSON)
│   └── ResponseTooLarge       a reply or download larger than its documented cap (`fluxq.Limits`)
├── DownloadRefused            an output URL on an internal host (loopback, private, link-local)
├── CancelUnsupported          the API format has no cancel operation (generation); nothing was sent
├── TaskFailed                 the task finished without outputs (error_type, error)
│   ├── ContentBlocked         error_type CONTENT_BLOCKED
│   ├── TaskCanceled           error_type CANCELED
│   └── InferenceTimeout       error_type INFERENCE_TIMEOUT
├── WaitTimeout                (also TimeoutError) a wait's total deadline passed; carries request_id
└── JournalError               a batch journal that cannot be used (exists without resume, another input)
```

Other HTTP error statuses (402, 405, 409, ...) raise a plain `APIError`. `STATUS_ERRORS` is the one table
from HTTP status to class; `TASK_ERRORS` maps `error_type` to a `TaskFailed` subclass. No exception text
ever contains the API key: server text is scrubbed before fluxq reads it (`fluxq._secrets`).
"""

from __future__ import annotations

from typing import Any


class FluxqError(Exception):
    """Base class of every error fluxq raises."""


class ValidationError(FluxqError, ValueError):
    """Parameters that break the spec's rules; raised before anything is sent.

    Attributes:
        problems: One ``"field: rule (got value)"`` line per problem.
        field: The first offending field (empty when the problem is not tied to one field).
    """

    def __init__(self, problems: list[str], field: str = "") -> None:
        self.problems = problems
        self.field = field
        super().__init__("; ".join(problems))


class APIConnectionError(FluxqError):
    """The server could not be reached, or the connection failed mid-request.

    Attributes:
        request_id: The task's id when the request concerned a known task, else None.
    """

    def __init__(self, message: str, *, request_id: str | None = None) -> None:
        self.request_id = request_id
        super().__init__(message)


class APITimeoutError(APIConnectionError, TimeoutError):
    """One HTTP request exceeded its timeout (connect, read, write or pool)."""


class SubmitOutcomeUnknown(FluxqError):
    """A submit failed in a way that leaves open whether the task was created.

    fluxq never re-sends such a submit: each submit creates a billed task. Check the provider's
    dashboard (or wait for the task to appear) before submitting again.

    Attributes:
        model: The model the submit was for.
        status_code: The HTTP status when the server answered (a 5xx), else None.
    """

    def __init__(self, model: str, reason: str, *, status_code: int | None = None) -> None:
        self.model = model
        self.status_code = status_code
        super().__init__(
            f"submit to {model} failed after it may have reached the server ({reason}); "
            "the task may exist and be billed, so it was not re-sent"
        )


class APIError(FluxqError):
    """The server answered with an HTTP error status.

    Attributes:
        status_code: The HTTP status.
        body: The parsed JSON body (either error shape), or None when it was not JSON.
        message: The server's message: ``error.message`` (gateway shape) or ``detail`` (application shape).
        code: The gateway's ``error.code`` when present.
        error_type: The body's ``error_type`` when present.
        request_id: The task's id when the request concerned a task, else the body's ``request_id``.
    """

    def __init__(
        self,
        status_code: int,
        message: str,
        *,
        body: Any = None,
        code: str | None = None,
        error_type: str | None = None,
        request_id: str | None = None,
    ) -> None:
        self.status_code = status_code
        self.message = message
        self.body = body
        self.code = code
        self.error_type = error_type
        self.request_id = request_id
        suffix = f" (request {request_id})" if request_id else ""
        super().__init__(f"HTTP {status_code}: {message}{suffix}")


class BadRequestError(APIError):
    """HTTP 400."""


class AuthenticationError(APIError):
    """HTTP 401: missing or wrong API key."""


class PermissionDeniedError(APIError):
    """HTTP 403."""


class NotFoundError(APIError):
    """HTTP 404: unknown request id or unknown model."""


class UnprocessableEntityError(APIError):
    """HTTP 422: the server rejected the parameters."""


class RateLimitError(APIError):
    """HTTP 429 after all retries.

    Attributes:
        retry_after: The server's ``Retry-After`` in seconds, when it sent one.
    """

    retry_after: float | None = None


class InternalServerError(APIError):
    """HTTP 5xx after all retries."""


class MalformedResponse(FluxqError):
    """A reply fluxq cannot read: not JSON, a missing field, an unknown status."""


class CancelUnsupported(FluxqError):
    """The API format has no cancel operation (the generation format documents none); nothing was sent.

    Attributes:
        request_id: The task's id (it keeps running).
        protocol: The format's name.
    """

    def __init__(self, request_id: str, protocol: str) -> None:
        self.request_id = request_id
        self.protocol = protocol
        super().__init__(f"the {protocol} format has no cancel operation; task {request_id} keeps running")


class ResponseTooLarge(MalformedResponse):
    """A reply body or download exceeded its cap; reading stopped at the cap.

    Attributes:
        limit: The cap in bytes.
    """

    def __init__(self, what: str, limit: int) -> None:
        self.limit = limit
        super().__init__(f"{what} is larger than {limit} bytes; reading stopped (see fluxq.Limits)")


class DownloadRefused(FluxqError):
    """An output URL names an internal host; fluxq did not fetch it.

    A provider could otherwise make the client fetch its own network (cloud metadata, admin pages).
    Allowed with ``allow_internal_downloads=True``, and by default when the base URL itself is internal.
    """


class TaskFailed(FluxqError):
    """The task finished (``COMPLETED``) with an error instead of outputs.

    Attributes:
        request_id: The task's id.
        error_type: The server's ``error_type`` (an open list; None when the server gave none).
        error: The server's human-readable message.
    """

    def __init__(self, request_id: str, error_type: str | None, error: str) -> None:
        self.request_id = request_id
        self.error_type = error_type
        self.error = error
        super().__init__(f"task {request_id} failed ({error_type or 'no error_type'}): {error}")


class ContentBlocked(TaskFailed):
    """The task was blocked by content moderation (``CONTENT_BLOCKED``)."""


class TaskCanceled(TaskFailed):
    """The task was canceled (``CANCELED``)."""


class InferenceTimeout(TaskFailed):
    """The model ran out of time (``INFERENCE_TIMEOUT``)."""


class WaitTimeout(FluxqError, TimeoutError):
    """A wait's total deadline passed before the task finished. The task may still be running.

    Attributes:
        request_id: The task's id: rebuild the handle with ``client.job(model, request_id)`` to resume.
        timeout: The deadline that passed, in seconds.
        canceled: True when a cancel was requested because of the deadline.
    """

    def __init__(self, request_id: str, timeout: float, *, canceled: bool = False) -> None:
        self.request_id = request_id
        self.timeout = timeout
        self.canceled = canceled
        action = "a cancel was requested" if canceled else "it may still be running"
        super().__init__(f"task {request_id} did not finish within {timeout:g} s; {action}")


class JournalError(FluxqError):
    """A batch journal that cannot be used: it exists without resume, is missing with it, belongs to
    another input or is not a journal; or an illegal state move (a bug)."""


STATUS_ERRORS: dict[int, type[APIError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    422: UnprocessableEntityError,
    429: RateLimitError,
}
"""HTTP status → exception class; any other 5xx is `InternalServerError`, any other status `APIError`."""

TASK_ERRORS: dict[str, type[TaskFailed]] = {
    "CONTENT_BLOCKED": ContentBlocked,
    "CANCELED": TaskCanceled,
    "INFERENCE_TIMEOUT": InferenceTimeout,
}
"""``error_type`` → exception class; any other value is a plain `TaskFailed`."""


def api_error_class(status_code: int) -> type[APIError]:
    """Return the exception class for an HTTP error status.

    Args:
        status_code: An HTTP status of 400 or more.
    """
    if status_code in STATUS_ERRORS:
        return STATUS_ERRORS[status_code]
    if status_code >= 500:
        return InternalServerError
    return APIError


def task_error_class(error_type: str | None) -> type[TaskFailed]:
    """Return the `TaskFailed` subclass for an ``error_type`` (open list; unknown → `TaskFailed`)."""
    return TASK_ERRORS.get(error_type or "", TaskFailed)
