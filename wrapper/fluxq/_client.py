"""`Client` and `AsyncClient`: the same methods, one blocking and one async.

Both are built on the generated ``fluxq_api.AuthenticatedClient`` (auth header, base URL, timeouts) and
validate with ``fluxq_models`` before sending. Test hooks: ``transport=`` (any httpx transport, e.g.
``httpx.MockTransport`` or ``httpx.ASGITransport``), ``clock=`` (monotonic seconds), ``sleep=``
(blocking for `Client`, awaitable for `AsyncClient`) and ``rng=`` (jitter).
"""

from __future__ import annotations

import asyncio
import os
import random
import time
from collections.abc import Awaitable, Callable, Iterable, Mapping
from pathlib import Path
from types import TracebackType
from typing import Any, Self

import httpx
import pydantic

from fluxq_api import AuthenticatedClient

from ._arguments import check_count, check_seconds
from ._batch import BatchOptions, OnInterrupt, ProgressHandler, run_batch
from ._batch_input import BatchInput, read_jobs, read_lines
from ._batch_report import BatchReport
from ._config import DEFAULT_WAIT_TIMEOUT, AuthScheme, ProtocolName, Provider, Settings, resolve_settings
from ._downloads import AsyncDownloader, DownloadPolicy, SyncDownloader
from ._drive import AsyncDriver, EventHandler, SyncDriver
from ._exceptions import ValidationError
from ._flow import Runtime, submit_flow
from ._generated_models import AsyncModelAccessors, ModelAccessors, ModelId
from ._job import AsyncCore, AsyncJob, Job, SyncCore, wait_options
from ._limits import Limits
from ._network import async_transport, sync_transport
from ._origins import local_provider
from ._outputs import AsyncResult, Result
from ._params import JsonBody, model_info, prepare_body
from ._polling import PollPolicy
from ._protocol import WireProtocol, protocol_named
from ._retry import RetryPolicy
from ._secrets import Scrubber
from ._task import TaskRef

USER_AGENT = "fluxq/0.1.0"

Params = Mapping[str, Any] | pydantic.BaseModel
BatchJobs = str | os.PathLike[str] | Iterable[Mapping[str, Any]]
"""A batch's jobs: a JSONL file's path, or the jobs themselves (mappings shaped like its lines)."""


def _batch_input(jobs: BatchJobs, protocol: WireProtocol) -> BatchInput:
    def check(model: str, params: Mapping[str, Any]) -> object:
        return _body(protocol, model, params, {})

    if isinstance(jobs, str | os.PathLike):
        with Path(jobs).open(encoding="utf-8") as lines:
            return read_lines(lines, check)
    return read_jobs(jobs, check)


def _batch_options(
    out: str | os.PathLike[str],
    journal: str | os.PathLike[str] | None,
    manifest: str | os.PathLike[str] | None,
    **settings: Any,
) -> BatchOptions:
    return BatchOptions(
        Path(out),
        None if journal is None else Path(journal),
        None if manifest is None else Path(manifest),
        **settings,
    )


def _body(protocol: WireProtocol, model: str, params: Params | None, extra: Mapping[str, Any]) -> JsonBody:
    models = protocol.models
    fields = protocol.body_fields(model_info(model, models).id)
    if isinstance(params, pydantic.BaseModel):
        if extra:
            raise ValidationError(
                [f"{next(iter(extra))}: pass either a model instance or keyword parameters"]
            )
        return prepare_body(model, params, models=models, fields=fields)
    return prepare_body(model, {**(params or {}), **extra}, models=models, fields=fields)


class _Base:
    def __init__(
        self,
        api_key: str | None,
        *,
        provider: Provider | None,
        base_url: str | None,
        auth: AuthScheme,
        timeout: float | httpx.Timeout | None,
        max_retries: int,
        wait_timeout: float,
        poll_policy: PollPolicy | None,
        limits: Limits | None,
        allow_internal_downloads: bool | None,
        clock: Callable[[], float] | None,
        rng: random.Random | None,
        protocol: ProtocolName | None = None,
    ) -> None:
        self._settings: Settings = resolve_settings(
            api_key=api_key,
            provider=provider,
            base_url=base_url,
            auth=auth,
            timeout=timeout,
            protocol=protocol,
        )
        self._protocol = protocol_named(self._settings.protocol)
        check_count("max_retries", max_retries)
        self._wait_timeout = check_seconds("wait_timeout", wait_timeout, allow_inf=True)
        self._limits = limits or Limits()
        self._scrubber = Scrubber((self._settings.api_key,))
        allow_internal = allow_internal_downloads
        if allow_internal is None:
            allow_internal = local_provider(self._settings.base_url)
        self._download_policy = DownloadPolicy(self._limits, self._scrubber, allow_internal)
        self._runtime = Runtime(
            RetryPolicy(max_retries=max_retries),
            poll_policy or PollPolicy(),
            clock or time.monotonic,
            rng or random.Random(),
            self._protocol,
        )

    def _authenticated(
        self, transport: httpx.BaseTransport | httpx.AsyncBaseTransport
    ) -> AuthenticatedClient:
        settings = self._settings
        return AuthenticatedClient(
            base_url=settings.base_url,
            token=settings.api_key,
            prefix=settings.auth_prefix,
            timeout=settings.timeout,
            headers={"User-Agent": USER_AGENT},
            httpx_args={"transport": transport},
        )

    @property
    def base_url(self) -> str:
        """The API's base URL."""
        return self._settings.base_url

    @property
    def protocol(self) -> ProtocolName:
        """The API format: ``"queue"`` or ``"generation"``."""
        return self._settings.protocol

    def _task(self, model: str, request_id: str) -> TaskRef:
        model_info(model, self._protocol.models)
        if not request_id:
            raise ValidationError(["request_id: must not be empty"], "request_id")
        return self._protocol.rebuild(self.base_url, model, request_id)

    def __repr__(self) -> str:
        """Show the base URL, auth scheme and API format, never the key."""
        name = type(self).__name__
        return f"{name}(base_url={self.base_url!r}, auth={self._settings.auth!r}, protocol={self.protocol!r})"


class Client(_Base, ModelAccessors):
    """The blocking client.

    Example:
        >>> with fluxq.Client() as client:                                    # doctest: +SKIP
        ...     result = client.flux_pro_11.run(prompt="a red apple", width=1024)
        ...     result.save_all("out")
    """

    def __init__(
        self,
        api_key: str | None = None,
        *,
        provider: Provider | None = None,
        base_url: str | None = None,
        auth: AuthScheme = "bearer",
        protocol: ProtocolName | None = None,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int = 2,
        wait_timeout: float = DEFAULT_WAIT_TIMEOUT,
        poll_policy: PollPolicy | None = None,
        limits: Limits | None = None,
        allow_internal_downloads: bool | None = None,
        transport: httpx.BaseTransport | None = None,
        clock: Callable[[], float] | None = None,
        sleep: Callable[[float], None] | None = None,
        rng: random.Random | None = None,
    ) -> None:
        """Create a client.

        Args:
            api_key: The API key (default: ``FLUXQ_API_KEY``); surrounding whitespace is stripped.
            provider: ``"seacloud"`` or ``"odirouter"`` (base URL presets).
            base_url: Explicit base URL (wins over ``provider``; default ``FLUXQ_BASE_URL``, then SeaCloud).
            auth: ``"bearer"`` (``Authorization: Bearer``) or ``"key"`` (``Authorization: Key``).
            protocol: The API format: ``"queue"`` (``/v1/queue/{model}``, SeaCloud and OdiRouter) or
                ``"generation"`` (``/v1/generation``, seed 003). Default: the provider preset's format,
                else ``FLUXQ_PROTOCOL``, else ``"queue"``. Jobs, waits, retries and errors are the same.
            timeout: Per-request timeout (default 10 s connect, 60 s read/write/pool).
            max_retries: Retries of a failed request (never a re-submit after an ambiguous failure).
            wait_timeout: Default total deadline of ``wait``/``run`` (``math.inf``: none). A wait's deadline
                is wall-clock and bounds everything inside it: polls, retries and each reply's transfer.
            poll_policy: The polling cadence (default `PollPolicy()`; polls are never closer than 0.1 s).
            limits: Reply and download size caps, per-request and per-download time budgets
                (default `Limits()`).
            allow_internal_downloads: Whether outputs may be fetched from loopback, private or
                link-local hosts (default: only when the base URL is itself such a host).
            transport: An httpx transport for the API and the downloads (tests, proxies, in-process apps).
            clock: Monotonic clock in seconds (tests).
            sleep: Blocking sleep (tests).
            rng: Jitter source (tests).

        Raises:
            ValidationError: No API key, a key a header cannot carry, an unknown provider or auth scheme,
                a bad base URL, or a bad ``timeout``, ``max_retries`` or ``wait_timeout``.
        """
        super().__init__(
            api_key,
            provider=provider,
            base_url=base_url,
            auth=auth,
            timeout=timeout,
            max_retries=max_retries,
            wait_timeout=wait_timeout,
            poll_policy=poll_policy,
            limits=limits,
            allow_internal_downloads=allow_internal_downloads,
            clock=clock,
            rng=rng,
            protocol=protocol,
        )
        http = self._authenticated(transport or sync_transport()).get_httpx_client()
        downloader = SyncDownloader(self._download_policy, transport, self._settings.timeout)
        driver = SyncDriver(http, sleep or time.sleep, self._limits, self._scrubber)
        self._core = SyncCore(driver, self._runtime, downloader, self._wait_timeout)
        self._transport = transport
        self._sleep = sleep
        self._http = http

    def submit(self, model: ModelId, params: Params | None = None, /, **kwargs: Any) -> Job:
        """Validate parameters locally, then submit a task (never re-sent after an ambiguous failure).

        Args:
            model: The model id (`fluxq.ModelId`; the per-model attributes, e.g. ``client.flux_pro_11``,
                take the same parameters with their types).
            params: A mapping or a ready ``fluxq_models`` instance.
            **kwargs: Parameters (``None`` means "omit"); merged over a ``params`` mapping.

        Raises:
            ValidationError: Bad parameters or an unknown model; nothing was sent.
            SubmitOutcomeUnknown: The submit may have reached the server (5xx, read timeout, ...).
            APIError: The server refused the submit (``AuthenticationError``, ``RateLimitError``, ...).
            APIConnectionError: The server could not be reached.
            MalformedResponse: The reply is unreadable.
        """
        body = _body(self._protocol, model, params, kwargs)
        task = self._core.driver.run(submit_flow(self.base_url, model, body, self._runtime))
        return Job(self._core, task)

    def run(
        self,
        model: ModelId,
        params: Params | None = None,
        /,
        *,
        timeout: float | None = None,
        on_update: EventHandler | None = None,
        poll_interval: float | None = None,
        cancel_on_timeout: bool = False,
        cancel_on_interrupt: bool = True,
        **kwargs: Any,
    ) -> Result:
        """Submit a task, wait for it and return its result.

        Args:
            model: The model id.
            params: A mapping or a ready ``fluxq_models`` instance.
            timeout: Total deadline of the wait (None: ``wait_timeout``).
            on_update: Called with each new status event.
            poll_interval: A fixed interval instead of the adaptive policy.
            cancel_on_timeout: Ask to cancel the task when the deadline passes.
            cancel_on_interrupt: Send a best-effort cancel on ``KeyboardInterrupt``.
            **kwargs: Parameters (``None`` means "omit").

        Raises:
            ValidationError: Bad parameters or wait options; nothing was sent.
            SubmitOutcomeUnknown: The submit may have reached the server.
            TaskFailed: The task failed (``ContentBlocked``, ``TaskCanceled``, ``InferenceTimeout``, ...).
            WaitTimeout: The deadline passed (its ``request_id`` resumes the task).
            APIError: An HTTP error.
            APIConnectionError: The server could not be reached.
            MalformedResponse: A reply is unreadable.
        """
        options = wait_options(
            timeout, poll_interval, self._core.wait_timeout, cancel_on_timeout, cancel_on_interrupt
        )
        return self.submit(model, params, **kwargs)._wait_with(options, on_update)

    def job(self, model: ModelId, request_id: str) -> Job:
        """Rebuild the handle of an earlier task from its id (no request is made).

        Raises:
            ValidationError: Unknown model or empty id.
        """
        return Job(self._core, self._task(model, request_id))

    def batch(
        self,
        jobs: BatchJobs,
        *,
        out: str | os.PathLike[str],
        journal: str | os.PathLike[str] | None = None,
        manifest: str | os.PathLike[str] | None = None,
        concurrency: int = 32,
        rate: float | None = None,
        resume: bool = False,
        resubmit_unknown: bool = False,
        on_interrupt: OnInterrupt = "cancel",
        timeout: float | None = None,
        on_progress: ProgressHandler | None = None,
    ) -> BatchReport:
        """Run many jobs, journaled and resumable; see `AsyncClient.batch` for the arguments.

        It runs the async engine on a private event loop (so it cannot be called from a running loop).
        Ctrl-C stops submitting, lets submits on the wire finish, cancels or keeps the running tasks
        (``on_interrupt``), writes the manifest and raises ``KeyboardInterrupt`` carrying the report as
        ``fluxq_batch_report``; a second Ctrl-C stops at once.

        Raises:
            JournalError: The journal exists without ``resume``, is missing with it, or is for another input.
            AuthenticationError: The key was refused (nothing is lost: resume later).
            PermissionDeniedError: The key may not use a model.
            OSError: The input cannot be read or the output directory written.
            TypeError: The client was built with a transport that cannot serve async requests.
            KeyboardInterrupt: Interrupted (the journal is resumable).
        """
        transport = self._transport
        if transport is not None and not isinstance(transport, httpx.AsyncBaseTransport):
            raise TypeError("batch runs the async engine: give the client a transport that is also async")
        sleep = self._sleep

        async def blocking_sleep(seconds: float) -> None:
            assert sleep is not None
            sleep(seconds)

        twin = AsyncClient(
            self._settings.api_key,
            base_url=self.base_url,
            auth=self._settings.auth,
            timeout=self._settings.timeout,
            max_retries=self._runtime.retry.max_retries,
            wait_timeout=self._core.wait_timeout,
            poll_policy=self._runtime.polling,
            protocol=self.protocol,
            limits=self._limits,
            allow_internal_downloads=self._download_policy.allow_internal,
            transport=transport,
            clock=self._runtime.clock,
            sleep=None if sleep is None else blocking_sleep,
            rng=self._runtime.rng,
        )

        async def main() -> BatchReport | BaseException:
            async with twin:
                try:
                    return await twin.batch(
                        jobs,
                        out=out,
                        journal=journal,
                        manifest=manifest,
                        concurrency=concurrency,
                        rate=rate,
                        resume=resume,
                        resubmit_unknown=resubmit_unknown,
                        on_interrupt=on_interrupt,
                        timeout=timeout,
                        on_progress=on_progress,
                    )
                except asyncio.CancelledError as stop:  # Ctrl-C: asyncio.Runner cancelled this task
                    return stop

        with asyncio.Runner() as runner:
            outcome = runner.run(main())
        if isinstance(outcome, BaseException):
            interrupt = KeyboardInterrupt()
            for note in getattr(outcome, "__notes__", []):
                interrupt.add_note(note)
            interrupt.fluxq_batch_report = getattr(outcome, "fluxq_batch_report", None)  # type: ignore[attr-defined]
            raise interrupt
        return outcome

    def close(self) -> None:
        """Close the connections (the client cannot be used afterwards)."""
        self._http.close()
        self._core.downloader.close()

    def __enter__(self) -> Self:
        """Use the client in a ``with`` block; it is closed on exit."""
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, traceback: TracebackType | None
    ) -> None:
        """Close the client."""
        self.close()


class AsyncClient(_Base, AsyncModelAccessors):
    """The async client: the same methods as `Client`, awaited.

    Example:
        >>> async with fluxq.AsyncClient() as client:                          # doctest: +SKIP
        ...     job = await client.flux_pro_11.submit(prompt="a red apple")
        ...     async for event in job:
        ...         print(event)
    """

    def __init__(
        self,
        api_key: str | None = None,
        *,
        provider: Provider | None = None,
        base_url: str | None = None,
        auth: AuthScheme = "bearer",
        protocol: ProtocolName | None = None,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int = 2,
        wait_timeout: float = DEFAULT_WAIT_TIMEOUT,
        poll_policy: PollPolicy | None = None,
        limits: Limits | None = None,
        allow_internal_downloads: bool | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        clock: Callable[[], float] | None = None,
        sleep: Callable[[float], Awaitable[None]] | None = None,
        rng: random.Random | None = None,
    ) -> None:
        """Create a client; the arguments are those of `Client` (``sleep`` is awaitable).

        Raises:
            ValidationError: No API key, a key a header cannot carry, an unknown provider or auth scheme,
                a bad base URL, or a bad ``timeout``, ``max_retries`` or ``wait_timeout``.
        """
        super().__init__(
            api_key,
            provider=provider,
            base_url=base_url,
            auth=auth,
            timeout=timeout,
            max_retries=max_retries,
            wait_timeout=wait_timeout,
            poll_policy=poll_policy,
            limits=limits,
            allow_internal_downloads=allow_internal_downloads,
            clock=clock,
            rng=rng,
            protocol=protocol,
        )
        http = self._authenticated(transport or async_transport()).get_async_httpx_client()
        downloader = AsyncDownloader(self._download_policy, transport, self._settings.timeout)
        driver = AsyncDriver(http, sleep or asyncio.sleep, self._limits, self._scrubber)
        self._core = AsyncCore(driver, self._runtime, downloader, self._wait_timeout)
        self._http = http

    async def submit(self, model: ModelId, params: Params | None = None, /, **kwargs: Any) -> AsyncJob:
        """Validate parameters locally, then submit a task; see `Client.submit`.

        Raises:
            ValidationError: Bad parameters or an unknown model; nothing was sent.
            SubmitOutcomeUnknown: The submit may have reached the server (5xx, read timeout, ...).
            APIError: The server refused the submit.
            APIConnectionError: The server could not be reached.
            MalformedResponse: The reply is unreadable.
        """
        body = _body(self._protocol, model, params, kwargs)
        task = await self._core.driver.run(submit_flow(self.base_url, model, body, self._runtime))
        return AsyncJob(self._core, task)

    async def run(
        self,
        model: ModelId,
        params: Params | None = None,
        /,
        *,
        timeout: float | None = None,  # noqa: ASYNC109 - a total deadline, the same argument as the sync method
        on_update: EventHandler | None = None,
        poll_interval: float | None = None,
        cancel_on_timeout: bool = False,
        cancel_on_interrupt: bool = True,
        **kwargs: Any,
    ) -> AsyncResult:
        """Submit a task, wait for it and return its result; see `Client.run`.

        Raises:
            ValidationError: Bad parameters or wait options; nothing was sent.
            SubmitOutcomeUnknown: The submit may have reached the server.
            TaskFailed: The task failed.
            WaitTimeout: The deadline passed.
            APIError: An HTTP error.
            APIConnectionError: The server could not be reached.
            MalformedResponse: A reply is unreadable.
        """
        options = wait_options(
            timeout, poll_interval, self._core.wait_timeout, cancel_on_timeout, cancel_on_interrupt
        )
        return await (await self.submit(model, params, **kwargs))._wait_with(options, on_update)

    def job(self, model: ModelId, request_id: str) -> AsyncJob:
        """Rebuild the handle of an earlier task from its id (no request is made).

        Raises:
            ValidationError: Unknown model or empty id.
        """
        return AsyncJob(self._core, self._task(model, request_id))

    async def batch(
        self,
        jobs: BatchJobs,
        *,
        out: str | os.PathLike[str],
        journal: str | os.PathLike[str] | None = None,
        manifest: str | os.PathLike[str] | None = None,
        concurrency: int = 32,
        rate: float | None = None,
        resume: bool = False,
        resubmit_unknown: bool = False,
        on_interrupt: OnInterrupt = "cancel",
        timeout: float | None = None,  # noqa: ASYNC109 - each task's total deadline, as in `wait`
        on_progress: ProgressHandler | None = None,
    ) -> BatchReport:
        """Run many jobs: validated first, journaled, resumable, never billed twice, at one shared pace.

        Each job is a JSONL line (or a mapping): ``model``, an optional ``id`` (its output name) and
        the model's parameters. Bad lines are reported with their line numbers (``report.problems``)
        while the others run. Images are saved into ``out`` as ``<id>.<ext>``; the manifest (one JSON
        line per input line: outcome, request id, files, cost, error) goes to ``out/manifest.jsonl``.

        Args:
            jobs: A JSONL file's path, or an iterable of job mappings.
            out: Directory for the images (created if needed).
            journal: The SQLite journal (default ``out/.fluxq-batch.sqlite``).
            manifest: The manifest file (default ``out/manifest.jsonl``).
            concurrency: Most jobs in flight; each 429 halves it for a while and pauses every request.
            rate: Most submits per second.
            resume: Continue the journal of an earlier run of the same input: submitted tasks are polled,
                never submitted again.
            resubmit_unknown: Also submit again lines whose earlier submit outcome is unknown (the task may
                exist: this may bill twice).
            on_interrupt: On cancellation, ``"cancel"`` the running tasks or ``"keep"`` them running.
            timeout: Total seconds to wait for each task (default: the client's ``wait_timeout``).
            on_progress: Called with a `BatchProgress` after every journal commit.

        Returns:
            The report: outcome counts, unknown lines, bad lines, paths of the manifest and journal.

        Raises:
            JournalError: The journal exists without ``resume``, is missing with it, or is for another input.
            AuthenticationError: The key was refused (nothing is lost: resume later).
            PermissionDeniedError: The key may not use a model.
            OSError: The input cannot be read or the output directory written.
            asyncio.CancelledError: The batch was cancelled; the manifest is written, the journal resumable,
                the report is the exception's ``fluxq_batch_report``.
        """
        options = _batch_options(
            out,
            journal,
            manifest,
            concurrency=concurrency,
            rate=rate,
            resume=resume,
            resubmit_unknown=resubmit_unknown,
            on_interrupt=on_interrupt,
            timeout=timeout,
        )
        batch = _batch_input(jobs, self._protocol)
        return await run_batch(self._core, self.base_url, batch, options, on_progress)

    async def close(self) -> None:
        """Close the connections (the client cannot be used afterwards)."""
        await self._http.aclose()
        await self._core.downloader.close()

    async def __aenter__(self) -> Self:
        """Use the client in an ``async with`` block; it is closed on exit."""
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, traceback: TracebackType | None
    ) -> None:
        """Close the client."""
        await self.close()
