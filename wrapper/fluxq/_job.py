"""Job handles: one task's status, progress, deadline-bounded wait, result and cancel.

A handle is rebuilt from a saved id with ``client.job(model, request_id)`` (resume after a crash).
``KeyboardInterrupt`` (sync) or task cancellation (async) during a wait sends a best-effort cancel
(unless ``cancel_on_interrupt=False``) and re-raises; the request id is logged and added to the
exception's notes.
"""

from __future__ import annotations

import asyncio
import logging
import math
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, replace

from ._arguments import check_seconds
from ._downloads import AsyncDownloader, SyncDownloader
from ._drive import AsyncDriver, EventHandler, SyncDriver
from ._exceptions import FluxqError
from ._flow import Finished, Flow, Runtime, cancel_flow, status_flow, wait_flow
from ._outputs import AsyncResult, Result
from ._status import StatusEvent
from ._task import TaskRef

logger = logging.getLogger("fluxq")


@dataclass(frozen=True, slots=True)
class SyncCore:
    """What a sync job shares with its client."""

    driver: SyncDriver
    runtime: Runtime
    downloader: SyncDownloader
    wait_timeout: float


@dataclass(frozen=True, slots=True)
class AsyncCore:
    """What an async job shares with its client."""

    driver: AsyncDriver
    runtime: Runtime
    downloader: AsyncDownloader
    wait_timeout: float


def _deadline(timeout: float | None, default: float) -> float | None:
    """The wait's total deadline in seconds (None: none), after checking the caller's value.

    Raises:
        ValidationError: ``timeout`` is NaN, zero or negative.
    """
    chosen = default if timeout is None else check_seconds("timeout", timeout, allow_inf=True)
    return None if math.isinf(chosen) else chosen


def _interval(poll_interval: float | None) -> float | None:
    """The caller's fixed poll interval, after checking it (the floor is applied when polling).

    Raises:
        ValidationError: ``poll_interval`` is NaN, zero, negative or infinite.
    """
    return None if poll_interval is None else check_seconds("poll_interval", poll_interval)


@dataclass(slots=True)
class _WaitOptions:
    """A wait's options, checked: built before anything is sent, so a bad value never costs a task."""

    timeout: float | None
    interval: float | None
    cancel_on_timeout: bool = False
    cancel_on_interrupt: bool = True


def wait_options(
    timeout: float | None,
    poll_interval: float | None,
    default_timeout: float,
    cancel_on_timeout: bool = False,
    cancel_on_interrupt: bool = True,
) -> _WaitOptions:
    """Check a wait's arguments (``timeout`` None: ``default_timeout``; ``math.inf``: no deadline).

    Raises:
        ValidationError: ``timeout`` or ``poll_interval`` is NaN, zero or negative (or ``poll_interval``
            infinite).
    """
    return _WaitOptions(
        _deadline(timeout, default_timeout), _interval(poll_interval), cancel_on_timeout, cancel_on_interrupt
    )


def _interrupted(task: TaskRef, exc: BaseException, cancel: bool) -> None:
    action = "sending a best-effort cancel" if cancel else "leaving it running"
    logger.warning("interrupted while waiting for %s task %s; %s", task.model, task.request_id, action)
    exc.add_note(f"fluxq: {task.model} task {task.request_id} was interrupted ({action})")


def _quick(runtime: Runtime) -> Runtime:
    """The runtime for a best-effort cancel: no retries."""
    return replace(runtime, retry=replace(runtime.retry, max_retries=0))


class _JobBase:
    def __init__(self, task: TaskRef) -> None:
        self._task = task
        self._finished: Finished | None = None

    @property
    def request_id(self) -> str:
        """The task's id (save it to resume later with ``client.job(model, request_id)``)."""
        return self._task.request_id

    @property
    def model(self) -> str:
        """The model id."""
        return self._task.model

    @property
    def status_url(self) -> str:
        """The task's status URL."""
        return self._task.status_url

    @property
    def response_url(self) -> str:
        """The task's result URL."""
        return self._task.response_url

    @property
    def cancel_url(self) -> str:
        """The task's cancel URL."""
        return self._task.cancel_url

    def __repr__(self) -> str:
        """Show the model and id."""
        return f"{type(self).__name__}(model={self.model!r}, request_id={self.request_id!r})"

    def _remember(self, finished: Finished) -> None:
        self._finished = finished

    def _wait_flow(self, runtime: Runtime, options: _WaitOptions) -> Flow[Finished]:
        return wait_flow(
            self._task,
            runtime,
            timeout=options.timeout,
            interval=options.interval,
            cancel_on_timeout=options.cancel_on_timeout,
        )


class Job(_JobBase):
    """A submitted task (sync client)."""

    def __init__(self, core: SyncCore, task: TaskRef) -> None:
        """Wrap a task; use ``client.submit`` or ``client.job`` rather than this constructor."""
        super().__init__(task)
        self._core = core

    def status(self) -> StatusEvent:
        """Ask the status endpoint once.

        Raises:
            NotFoundError: Unknown request id.
            APIError: Another HTTP error.
            APIConnectionError: The server could not be reached (after retries).
            MalformedResponse: The reply is unreadable.
        """
        return self._core.driver.run(status_flow(self._task, self._core.runtime))

    def iter_status(
        self,
        *,
        timeout: float | None = None,
        poll_interval: float | None = None,
        cancel_on_interrupt: bool = True,
    ) -> Iterator[StatusEvent]:
        """Poll until the task finishes, yielding each new event; the last is a `Completed`.

        Args:
            timeout: Total deadline in seconds (None: the client's ``wait_timeout``; ``math.inf``: none).
            poll_interval: A fixed interval instead of the adaptive policy.
            cancel_on_interrupt: Send a best-effort cancel on ``KeyboardInterrupt``.

        Raises:
            ValidationError: ``timeout`` or ``poll_interval`` is NaN, zero or negative; nothing was sent.
            WaitTimeout: The deadline passed.
            APIError: An HTTP error that is not the task's outcome.
            APIConnectionError: The server could not be reached (after retries).
            MalformedResponse: A reply is unreadable.
        """
        flow = self._wait_flow(
            self._core.runtime, wait_options(timeout, poll_interval, self._core.wait_timeout)
        )
        try:
            yield from self._core.driver.iterate(flow, self._remember)
        except KeyboardInterrupt as exc:
            self._on_interrupt(exc, cancel_on_interrupt)
            raise

    def wait(
        self,
        *,
        timeout: float | None = None,
        on_update: EventHandler | None = None,
        poll_interval: float | None = None,
        cancel_on_timeout: bool = False,
        cancel_on_interrupt: bool = True,
    ) -> Result:
        """Wait for the task to finish and return its result (the final poll carries it).

        Args:
            timeout: Total deadline in seconds (None: the client's ``wait_timeout``; ``math.inf``: none).
            on_update: Called with each new status event.
            poll_interval: A fixed interval instead of the adaptive policy.
            cancel_on_timeout: Ask to cancel the task when the deadline passes.
            cancel_on_interrupt: Send a best-effort cancel on ``KeyboardInterrupt``.

        Raises:
            ValidationError: ``timeout`` or ``poll_interval`` is NaN, zero or negative; nothing was sent.
            TaskFailed: The task finished with an error (``ContentBlocked``, ``TaskCanceled``, ...).
            WaitTimeout: The deadline passed; it carries ``request_id``.
            APIError: An HTTP error that is not the task's outcome.
            APIConnectionError: The server could not be reached (after retries).
            MalformedResponse: A reply is unreadable.
        """
        options = wait_options(
            timeout, poll_interval, self._core.wait_timeout, cancel_on_timeout, cancel_on_interrupt
        )
        return self._wait_with(options, on_update)

    def _wait_with(self, options: _WaitOptions, on_update: EventHandler | None = None) -> Result:
        """`wait` with options already checked (`Client.run` checks them before it submits)."""
        if self._finished is None:
            flow = self._wait_flow(self._core.runtime, options)
            try:
                self._finished = self._core.driver.run(flow, on_update)
            except KeyboardInterrupt as exc:
                self._on_interrupt(exc, options.cancel_on_interrupt)
                raise
        return self.result()

    def result(self) -> Result:
        """Return the result, waiting (with the client's default deadline) if the task is not known finished.

        Raises:
            TaskFailed: The task finished with an error.
            WaitTimeout: The default deadline passed.
            APIError: An HTTP error that is not the task's outcome.
            APIConnectionError: The server could not be reached (after retries).
            MalformedResponse: A reply is unreadable.
        """
        if self._finished is None:
            return self.wait()
        if self._finished.error is not None:
            raise self._finished.error.with_traceback(None)
        assert self._finished.result is not None
        return Result.build(self._finished.result, self._core.downloader, self._finished.usage)

    def cancel(self) -> bool:
        """Ask to cancel the task (a request, not a guarantee: it may still finish).

        Returns:
            True when the cancel was accepted, False when the task had already finished.

        Raises:
            NotFoundError: Unknown request id.
            APIError: Another HTTP error.
            APIConnectionError: The server could not be reached (after retries).
            MalformedResponse: The reply is unreadable.
        """
        return self._core.driver.run(cancel_flow(self._task, self._core.runtime))

    def _on_interrupt(self, exc: BaseException, cancel: bool) -> None:
        _interrupted(self._task, exc, cancel)
        if cancel:
            try:
                self._core.driver.run(cancel_flow(self._task, _quick(self._core.runtime)))
            except FluxqError as error:
                logger.warning("best-effort cancel of %s failed: %s", self.request_id, error)


class AsyncJob(_JobBase):
    """A submitted task (async client)."""

    def __init__(self, core: AsyncCore, task: TaskRef) -> None:
        """Wrap a task; use ``client.submit`` or ``client.job`` rather than this constructor."""
        super().__init__(task)
        self._core = core

    async def status(self) -> StatusEvent:
        """Ask the status endpoint once.

        Raises:
            NotFoundError: Unknown request id.
            APIError: Another HTTP error.
            APIConnectionError: The server could not be reached (after retries).
            MalformedResponse: The reply is unreadable.
        """
        return await self._core.driver.run(status_flow(self._task, self._core.runtime))

    async def iter_status(
        self,
        *,
        timeout: float | None = None,  # noqa: ASYNC109 - a total deadline, the same argument as the sync method
        poll_interval: float | None = None,
        cancel_on_interrupt: bool = True,
    ) -> AsyncIterator[StatusEvent]:
        """Poll until the task finishes, yielding each new event; the last is a `Completed`.

        Args:
            timeout: Total deadline in seconds (None: the client's ``wait_timeout``; ``math.inf``: none).
            poll_interval: A fixed interval instead of the adaptive policy.
            cancel_on_interrupt: Send a best-effort cancel when the iterating task is cancelled.

        Raises:
            ValidationError: ``timeout`` or ``poll_interval`` is NaN, zero or negative; nothing was sent.
            WaitTimeout: The deadline passed.
            APIError: An HTTP error that is not the task's outcome.
            APIConnectionError: The server could not be reached (after retries).
            MalformedResponse: A reply is unreadable.
        """
        flow = self._wait_flow(
            self._core.runtime, wait_options(timeout, poll_interval, self._core.wait_timeout)
        )
        try:
            async for event in self._core.driver.iterate(flow, self._remember):
                yield event
        except (asyncio.CancelledError, KeyboardInterrupt) as exc:
            await self._on_interrupt(exc, cancel_on_interrupt)
            raise

    def __aiter__(self) -> AsyncIterator[StatusEvent]:
        """``async for event in job`` is ``job.iter_status()`` with the defaults."""
        return self.iter_status()

    async def wait(
        self,
        *,
        timeout: float | None = None,  # noqa: ASYNC109 - a total deadline, the same argument as the sync method
        on_update: EventHandler | None = None,
        poll_interval: float | None = None,
        cancel_on_timeout: bool = False,
        cancel_on_interrupt: bool = True,
    ) -> AsyncResult:
        """Wait for the task to finish and return its result (the final poll carries it).

        Args:
            timeout: Total deadline in seconds (None: the client's ``wait_timeout``; ``math.inf``: none).
            on_update: Called with each new status event (a coroutine function is awaited).
            poll_interval: A fixed interval instead of the adaptive policy.
            cancel_on_timeout: Ask to cancel the task when the deadline passes.
            cancel_on_interrupt: Send a best-effort cancel when the waiting task is cancelled.

        Raises:
            ValidationError: ``timeout`` or ``poll_interval`` is NaN, zero or negative; nothing was sent.
            TaskFailed: The task finished with an error (``ContentBlocked``, ``TaskCanceled``, ...).
            WaitTimeout: The deadline passed; it carries ``request_id``.
            APIError: An HTTP error that is not the task's outcome.
            APIConnectionError: The server could not be reached (after retries).
            MalformedResponse: A reply is unreadable.
        """
        options = wait_options(
            timeout, poll_interval, self._core.wait_timeout, cancel_on_timeout, cancel_on_interrupt
        )
        return await self._wait_with(options, on_update)

    async def _wait_with(self, options: _WaitOptions, on_update: EventHandler | None = None) -> AsyncResult:
        """`wait` with options already checked (`Client.run` checks them before it submits)."""
        if self._finished is None:
            flow = self._wait_flow(self._core.runtime, options)
            try:
                self._finished = await self._core.driver.run(flow, on_update)
            except (asyncio.CancelledError, KeyboardInterrupt) as exc:
                await self._on_interrupt(exc, options.cancel_on_interrupt)
                raise
        return await self.result()

    async def result(self) -> AsyncResult:
        """Return the result, waiting (with the client's default deadline) if the task is not known finished.

        Raises:
            TaskFailed: The task finished with an error.
            WaitTimeout: The default deadline passed.
            APIError: An HTTP error that is not the task's outcome.
            APIConnectionError: The server could not be reached (after retries).
            MalformedResponse: A reply is unreadable.
        """
        if self._finished is None:
            return await self.wait()
        if self._finished.error is not None:
            raise self._finished.error.with_traceback(None)
        assert self._finished.result is not None
        return AsyncResult.build(self._finished.result, self._core.downloader, self._finished.usage)

    async def cancel(self) -> bool:
        """Ask to cancel the task (a request, not a guarantee: it may still finish).

        Returns:
            True when the cancel was accepted, False when the task had already finished.

        Raises:
            NotFoundError: Unknown request id.
            APIError: Another HTTP error.
            APIConnectionError: The server could not be reached (after retries).
            MalformedResponse: The reply is unreadable.
        """
        return await self._core.driver.run(cancel_flow(self._task, self._core.runtime))

    async def _on_interrupt(self, exc: BaseException, cancel: bool) -> None:
        _interrupted(self._task, exc, cancel)
        if cancel:
            try:
                await self._core.driver.run(cancel_flow(self._task, _quick(self._core.runtime)))
            except FluxqError as error:
                logger.warning("best-effort cancel of %s failed: %s", self.request_id, error)
