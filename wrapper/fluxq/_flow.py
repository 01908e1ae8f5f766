"""The client's logic as I/O-free flows, shared by the sync and async clients.

A flow is a generator that yields *steps* — `Send` a request, `Sleep`, `Emit` a status event — and
receives each `Send`'s response (or has the transport exception thrown into it). The sync and async
drivers (`fluxq._drive`) differ only in how they send and sleep; retries, polling, deadlines and the
reading of responses all live here, once.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Callable, Generator
from dataclasses import dataclass
from typing import Any, TypeVar

import httpx

import fluxq_generation_models
import fluxq_models

from ._exceptions import (
    APIConnectionError,
    APIError,
    APITimeoutError,
    CancelUnsupported,
    FluxqError,
    ResponseTooLarge,
    SubmitOutcomeUnknown,
    TaskFailed,
    WaitTimeout,
)
from ._params import JsonBody
from ._polling import PollPolicy, next_poll_delay, parse_retry_after
from ._protocol import QUEUE, WireProtocol
from ._responses import (
    TASK_OUTCOME_STATUSES,
    Failure,
    Pending,
    carries_error_type,
    failure,
    read_cancel,
)
from ._retry import (
    FailureKind,
    Operation,
    RetryPolicy,
    classify_failure,
    retry_delay,
    retryable_failure,
    retryable_status,
)
from ._status import Completed, StatusEvent
from ._task import TaskRef

logger = logging.getLogger("fluxq")
_T = TypeVar("_T")

# The objects a flow makes at every step (requests, steps, deadlines, outcomes) are plain slotted
# dataclasses, never mutated once built. They are not frozen on purpose: a frozen dataclass sets each
# field through ``object.__setattr__`` in its ``__init__``, which made up about 2 % of the client's
# instructions on the common "submit, one poll, done" path (`benchmarks/instructions.py`). Values that
# outlive a step and reach users (`TaskRef`, status events, results) stay frozen.


@dataclass(slots=True)
class WireRequest:
    """One HTTP request to make.

    Attributes:
        operation: Which queue operation it is (decides the retry rules).
        method: HTTP method.
        url: Absolute URL.
        body: The JSON body, for a submit.
        timeout_cap: Upper bound for every phase of this request's timeout (the time left before a deadline).
    """

    operation: Operation
    method: str
    url: str
    body: JsonBody | None = None
    timeout_cap: float | None = None


@dataclass(slots=True)
class Send:
    """Send a request; the flow receives the response."""

    request: WireRequest


@dataclass(slots=True)
class Sleep:
    """Wait this many seconds."""

    seconds: float


@dataclass(slots=True)
class Emit:
    """Report a status event to the caller."""

    event: StatusEvent


Step = Send | Sleep | Emit
Flow = Generator[Step, httpx.Response | None, _T]


@dataclass(frozen=True, slots=True)
class Runtime:
    """What flows need besides the request: policies, a clock, a random source and the API format.

    Attributes:
        retry: Retry parameters.
        polling: Poll cadence parameters.
        clock: Monotonic seconds (injectable for tests).
        rng: Source of jitter.
        protocol: The API format's pure functions (`fluxq._protocol`): where requests go and how
            replies read; everything else in the flows is the same for every format.
    """

    retry: RetryPolicy
    polling: PollPolicy
    clock: Callable[[], float]
    rng: random.Random
    protocol: WireProtocol = QUEUE


@dataclass(slots=True)
class Deadline:
    """A wait's total deadline: ``at`` in clock seconds, ``timeout`` as the caller gave it."""

    at: float
    timeout: float


@dataclass(slots=True)
class Finished:
    """How a wait ended: the final event, and the result (with its usage, when reported) or the failure."""

    event: Completed
    result: fluxq_models.QueueResult | None = None
    error: TaskFailed | None = None
    usage: fluxq_generation_models.Usage | None = None


#: The smallest time budget a request is given: a request with less left cannot complete.
MIN_REQUEST_SECONDS = 0.001


def cap_timeout(timeout: httpx.Timeout, cap: float | None) -> httpx.Timeout:
    """Return ``timeout`` with every phase limited to ``cap`` seconds (unchanged when ``cap`` is None)."""
    if cap is None:
        return timeout
    cap = max(cap, MIN_REQUEST_SECONDS)
    phases = (timeout.connect, timeout.read, timeout.write, timeout.pool)
    if all(phase is not None and phase <= cap for phase in phases):
        return timeout  # the usual case (a deadline minutes away): no new object per request

    def limit(value: float | None) -> float:
        return cap if value is None else min(value, cap)

    return httpx.Timeout(
        connect=limit(timeout.connect),
        read=limit(timeout.read),
        write=limit(timeout.write),
        pool=limit(timeout.pool),
    )


def _transport_error(
    exc: httpx.TransportError, request: WireRequest, kind: FailureKind, ref: str | None
) -> FluxqError:
    reason = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
    if request.operation is Operation.SUBMIT and kind is FailureKind.AMBIGUOUS:
        return SubmitOutcomeUnknown(ref or "?", reason)
    message = f"{request.operation.value} request failed: {reason}"
    request_id = None if request.operation is Operation.SUBMIT else ref
    if isinstance(exc, httpx.TimeoutException):
        return APITimeoutError(message, request_id=request_id)
    return APIConnectionError(message, request_id=request_id)


def call(
    request: WireRequest,
    runtime: Runtime,
    *,
    ref: str | None = None,
    deadline: Deadline | None = None,
) -> Flow[httpx.Response]:
    """Send one request with the retry rules of its operation; return the final response.

    Args:
        request: The request.
        runtime: Policies, clock and jitter.
        ref: The task's id (or, for a submit, the model id), for messages.
        deadline: A total deadline the retries must respect.

    Raises:
        SubmitOutcomeUnknown: A submit failed after it may have reached the server.
        ResponseTooLarge: A reply body exceeded its cap (not retried).
        APITimeoutError: A request timed out, retries exhausted or not allowed.
        APIConnectionError: The connection failed, retries exhausted or not allowed.
        WaitTimeout: The deadline passed (or a retry would cross it).
    """
    attempt = 0
    while True:
        send = request
        if deadline is not None:  # built directly: dataclasses.replace costs more than the rest of the step
            cap = deadline.at - runtime.clock()
            send = WireRequest(request.operation, request.method, request.url, request.body, cap)
        try:
            response = yield Send(send)
        except ResponseTooLarge as exc:
            if request.operation is Operation.SUBMIT:
                # The submit was accepted or refused, but its id is in the part not read: it may be billed.
                raise SubmitOutcomeUnknown(ref or "?", str(exc)) from None
            raise
        except httpx.TransportError as exc:
            kind = classify_failure(exc)
            if deadline is not None and runtime.clock() >= deadline.at:
                raise WaitTimeout(ref or "?", deadline.timeout) from exc
            if attempt >= runtime.retry.max_retries or not retryable_failure(request.operation, kind):
                raise _transport_error(exc, request, kind, ref) from exc
            delay = retry_delay(runtime.retry, attempt, runtime.rng)
            logger.info(
                "%s failed (%s); retry %d in %.2f s",
                request.operation.value,
                type(exc).__name__,
                attempt + 1,
                delay,
            )
        else:
            assert response is not None
            # Only a retryable status needs a look at the body (a task's outcome is final): a 200 or 202
            # is returned without parsing it twice.
            if (
                attempt >= runtime.retry.max_retries
                or not retryable_status(request.operation, response.status_code)
                or (request.operation is Operation.RESULT and carries_error_type(response))
            ):
                return response
            delay = retry_delay(
                runtime.retry, attempt, runtime.rng, parse_retry_after(response.headers.get("retry-after"))
            )
            logger.info(
                "%s answered %d; retry %d in %.2f s",
                request.operation.value,
                response.status_code,
                attempt + 1,
                delay,
            )
        if deadline is not None and runtime.clock() + delay >= deadline.at:
            raise WaitTimeout(ref or "?", deadline.timeout)
        yield Sleep(delay)
        attempt += 1


def submit_flow(base_url: str, model: str, body: JsonBody, runtime: Runtime) -> Flow[TaskRef]:
    """Submit a task (never re-sent after an ambiguous failure); return where it lives.

    Raises:
        SubmitOutcomeUnknown: A 5xx or an ambiguous transport failure: the task may exist.
        APIError: The server refused the submit (400, 401, 404, 422, 429 after retries, ...).
        APIConnectionError: The server could not be reached.
        MalformedResponse: The reply is unreadable.
    """
    request = WireRequest(Operation.SUBMIT, "POST", runtime.protocol.submit_url(base_url, model), body)
    response = yield from call(request, runtime, ref=model)
    if response.status_code >= 500:
        raise SubmitOutcomeUnknown(model, f"HTTP {response.status_code}", status_code=response.status_code)
    task = runtime.protocol.read_submission(response, base_url, model, runtime.clock())
    logger.info("submitted %s task %s", model, task.request_id)
    return task


def status_flow(task: TaskRef, runtime: Runtime) -> Flow[StatusEvent]:
    """Ask for the task's status once.

    Raises:
        APIError: For an HTTP error (``NotFoundError`` for an unknown id).
        APIConnectionError: The server could not be reached.
        MalformedResponse: The reply is unreadable.
    """
    response = yield from call(
        WireRequest(Operation.STATUS, "GET", task.status_url), runtime, ref=task.request_id
    )
    return runtime.protocol.read_status(response, task.request_id)


def cancel_flow(task: TaskRef, runtime: Runtime) -> Flow[bool]:
    """Ask to cancel the task; return True when accepted, False when it had already finished.

    Raises:
        CancelUnsupported: The API format has no cancel operation (nothing is sent).
        APIError: For an HTTP error (``NotFoundError`` for an unknown id).
        APIConnectionError: The server could not be reached.
        MalformedResponse: The reply is unreadable.
    """
    if not runtime.protocol.can_cancel:
        raise CancelUnsupported(task.request_id, runtime.protocol.name)
    response = yield from call(
        WireRequest(Operation.CANCEL, "PUT", task.cancel_url), runtime, ref=task.request_id
    )
    accepted = read_cancel(response, task.request_id)
    logger.info("cancel of %s %s", task.request_id, "requested" if accepted else "refused: already finished")
    return accepted


def _failure_from_status(task: TaskRef, runtime: Runtime, original: APIError) -> Flow[Failure]:
    """After a result error without ``error_type``, ask the status endpoint whether the task failed."""
    try:
        event = yield from status_flow(task, runtime)
    except FluxqError:
        raise original from None
    if isinstance(event, Completed) and not event.ok:
        return failure(task.request_id, event.error_type, event.error)
    raise original


def _poll_result(task: TaskRef, runtime: Runtime, deadline: Deadline | None) -> Flow[Any]:
    request = WireRequest(Operation.RESULT, "GET", task.response_url)
    response = yield from call(request, runtime, ref=task.request_id, deadline=deadline)
    try:
        return runtime.protocol.read_poll(response, task.request_id)
    except APIError as exc:
        if exc.status_code in TASK_OUTCOME_STATUSES or exc.status_code >= 500:
            return (yield from _failure_from_status(task, runtime, exc))
        raise


def _best_effort_cancel(task: TaskRef, runtime: Runtime) -> Flow[bool]:
    try:
        return (yield from cancel_flow(task, runtime))
    except FluxqError as exc:
        logger.warning("could not cancel %s: %s", task.request_id, exc)
        return False


def wait_flow(
    task: TaskRef,
    runtime: Runtime,
    *,
    timeout: float | None,
    interval: float | None = None,
    cancel_on_timeout: bool = False,
) -> Flow[Finished]:
    """Poll the result endpoint until the task finishes or the total deadline passes.

    Emits each new status event (a 202's body) and the final `Completed`. The final poll returns the
    outputs, so no separate result request is needed.

    Args:
        task: The task.
        runtime: Policies, clock and jitter.
        timeout: Total seconds to wait (None: no deadline).
        interval: A fixed poll interval overriding the policy and server hints.
        cancel_on_timeout: Ask to cancel the task when the deadline passes.

    Raises:
        WaitTimeout: The deadline passed (after a best-effort cancel when asked).
        APIError: For an HTTP error that is not a task outcome.
        APIConnectionError: The server could not be reached, retries exhausted.
        MalformedResponse: A reply is unreadable.
    """
    started = runtime.clock()
    deadline = None if timeout is None else Deadline(started + timeout, timeout)
    since_submit = 0.0 if task.submitted_at is None else started - task.submitted_at
    last: StatusEvent | None = None
    hint: float | None = None
    index = 0
    while True:
        now = runtime.clock()
        delay = next_poll_delay(
            runtime.polling,
            poll_index=index,
            elapsed=now - started + since_submit,
            rng=runtime.rng,
            explicit=interval,
            server_hint=hint,
        )
        if index == 0:
            delay = 0.0 if task.submitted_at is None else max(0.0, delay - since_submit)
        if deadline is not None:
            left = max(0.0, deadline.at - now)
            # A poll that would leave less than a request's smallest budget cannot complete in time:
            # wait out the deadline instead of sending it and timing out in real time just before.
            delay = left if left - delay < MIN_REQUEST_SECONDS else delay
        if delay > 0:
            yield Sleep(delay)
        try:
            outcome = yield from _poll_result(task, runtime, deadline)
        except WaitTimeout as exc:
            canceled = cancel_on_timeout and (yield from _best_effort_cancel(task, runtime))
            raise WaitTimeout(task.request_id, exc.timeout, canceled=canceled) from exc.__cause__
        index += 1
        if isinstance(outcome, Pending):
            if outcome.event != last:
                last = outcome.event
                yield Emit(outcome.event)
            hint = outcome.retry_after
            if deadline is not None and runtime.clock() >= deadline.at:
                canceled = cancel_on_timeout and (yield from _best_effort_cancel(task, runtime))
                raise WaitTimeout(task.request_id, deadline.timeout, canceled=canceled)
            continue
        if isinstance(outcome, Failure):
            yield Emit(outcome.event)
            return Finished(outcome.event, error=outcome.error)
        event = Completed(task.request_id)
        yield Emit(event)
        return Finished(event, result=outcome.result, usage=outcome.usage)
