"""The batch engine: many jobs through the client's own flows, journaled, at one shared pace.

Every job runs the same I/O-free flows as ``client.submit`` and ``job.wait`` (`fluxq._flow`): the
same retries (a submit is never re-sent after an ambiguous failure), deadlines and error tree. The
engine adds three things around them:

- **the journal** (`fluxq._journal`): ``submitting`` is committed before the submit goes out and the
  request id as soon as it is known. Commits are grouped: every job that reaches a step in the same
  turn of the event loop shares one transaction (one fsync), and none proceeds before it is durable;
- **one pace for the whole batch** (`fluxq._throttle`): every request passes one gate, so a 429 pauses
  all jobs until ``Retry-After`` and halves how many may be in flight;
- **interruption**: cancelling the batch (Ctrl-C in the CLI and in ``Client.batch``) stops new submits,
  lets submits already on the wire learn their request id, then cancels the running tasks
  (``on_interrupt="cancel"``) or leaves them running (``"keep"``); the journal stays resumable. A
  second interruption stops at once (a submit cut mid-flight is then reported as ``unknown``).

Why one async engine for both clients: a thousand jobs in flight are a thousand coroutines, not a
thousand threads; ``Client.batch`` runs this engine on a private event loop (see `fluxq._client`).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath
from typing import Any, Literal, TypeVar

import fluxq_models

from ._batch_input import BatchInput
from ._batch_report import BatchProgress, BatchReport, build_report, write_manifest
from ._drive import Stepper
from ._exceptions import (
    APIConnectionError,
    AuthenticationError,
    FluxqError,
    MalformedResponse,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    SubmitOutcomeUnknown,
    WaitTimeout,
)
from ._flow import Flow, Send, Sleep, cancel_flow, submit_flow, wait_flow
from ._job import AsyncCore
from ._journal import JobState, Journal, Move, Row
from ._outputs import AsyncOutput, output_filename
from ._params import prepare_body
from ._polling import parse_retry_after
from ._task import TaskRef
from ._throttle import Pace, accepted, rate_limited, request_wait, submitted

logger = logging.getLogger("fluxq")
_T = TypeVar("_T")

OnInterrupt = Literal["cancel", "keep"]
ProgressHandler = Callable[[BatchProgress], object]

MAX_SUBMIT_ATTEMPTS = 3
"""Submits that did not reach the server (connection refused, ...) before a line is marked failed."""
_SLOWDOWN_STATUSES = frozenset({429, 503})


@dataclass(frozen=True, slots=True)
class BatchOptions:
    """How to run a batch.

    Attributes:
        out: Directory for the images (and, by default, the manifest and journal).
        journal: The journal file (default ``out/.fluxq-batch.sqlite``).
        manifest: The manifest file (default ``out/manifest.jsonl``).
        concurrency: Most jobs in flight (lowered for a while after each 429).
        rate: Most submits per second (None: no limit).
        resume: Continue the journal of an earlier run of the same input.
        resubmit_unknown: Submit again the lines whose earlier submit outcome is unknown (may bill twice).
        on_interrupt: ``"cancel"`` the running tasks or ``"keep"`` them running when interrupted.
        timeout: Total seconds to wait for each task (None: the client's ``wait_timeout``); a line that
            times out stays ``running`` and a resume keeps waiting for it.
        max_connections: HTTP requests in flight at most (polls and downloads included).
    """

    out: Path
    journal: Path | None = None
    manifest: Path | None = None
    concurrency: int = 32
    rate: float | None = None
    resume: bool = False
    resubmit_unknown: bool = False
    on_interrupt: OnInterrupt = "cancel"
    timeout: float | None = None
    max_connections: int = 64

    @property
    def journal_path(self) -> Path:
        """The journal file."""
        return self.journal or self.out / ".fluxq-batch.sqlite"

    @property
    def manifest_path(self) -> Path:
        """The manifest file."""
        return self.manifest or self.out / "manifest.jsonl"


def reported_cost(raw: fluxq_models.QueueResult, usage_cost: object = None) -> float | None:
    """The cost a result reports, if any: the generation format's ``usage.cost`` (``usage_cost``), else
    the queue result's ``metadata.cost``, ``usage.cost`` or ``cost`` when a provider adds one."""
    extra: dict[str, Any] = dict(raw.model_extra or {})
    candidates = [usage_cost, (raw.metadata or {}).get("cost"), extra.get("cost")]
    usage = extra.get("usage")
    if isinstance(usage, dict):
        candidates.append(usage.get("cost"))
    for value in candidates:
        if isinstance(value, int | float) and not isinstance(value, bool):
            return float(value)
        if isinstance(value, str):
            with contextlib.suppress(ValueError):
                return float(value)
    return None


def output_name(row: Row, output: AsyncOutput, count: int) -> str:
    """The file name of a line's output: its id, ``_N`` when there are several, and the output's extension."""
    suffix = PurePosixPath(output_filename(output.item, output.request_id, output.index)).suffix
    return f"{row.name}{'' if count == 1 else f'_{output.index}'}{suffix}"


class _GroupCommit:
    """Records journal moves; moves made in the same turn of the loop share one transaction."""

    def __init__(self, journal: Journal, after: Callable[[], None]) -> None:
        self._journal = journal
        self._after = after
        self._moves: list[Move] = []
        self._waiters: list[asyncio.Future[None]] = []
        self._flusher: asyncio.Task[None] | None = None

    async def record(self, move: Move) -> None:
        """Record a move; return once it is committed.

        Raises:
            JournalError: For an illegal move.
        """
        waiter: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._moves.append(move)
        self._waiters.append(waiter)
        if self._flusher is None:
            self._flusher = asyncio.create_task(self._flush())
        await waiter

    async def _flush(self) -> None:
        await asyncio.sleep(0)  # let every job that is ready this turn add its move to the same commit
        try:
            while self._moves:
                moves, waiters = self._moves, self._waiters
                self._moves, self._waiters = [], []
                try:
                    # In a thread: the event loop keeps polling and downloading during the fsync, and
                    # the moves made meanwhile form the next group. One flusher at a time.
                    await asyncio.to_thread(self._journal.apply, moves)
                except Exception as error:
                    for waiter in waiters:
                        if not waiter.done():
                            waiter.set_exception(error)
                    continue
                for waiter in waiters:
                    if not waiter.done():
                        waiter.set_result(None)
                self._after()
        finally:
            self._flusher = None

    async def drain(self) -> None:
        """Wait for the commit in progress, if any."""
        while self._flusher is not None:
            await asyncio.shield(self._flusher)


class BatchRun:
    """One run of a batch over its journal."""

    def __init__(
        self,
        core: AsyncCore,
        base_url: str,
        batch: BatchInput,
        options: BatchOptions,
        on_progress: ProgressHandler | None = None,
    ) -> None:
        """Prepare a run (nothing is opened or sent until `run`).

        Raises:
            ValueError: For a concurrency below 1, a rate that is not positive, or no connections.
        """
        if options.max_connections < 1:
            raise ValueError("max_connections must be at least 1")
        self._core = core
        self._base_url = base_url
        self._batch = batch
        self._options = options
        self._on_progress = on_progress
        self._pace = Pace.start(options.concurrency, options.rate)
        self._connections = asyncio.Semaphore(options.max_connections)
        self._clock = core.runtime.clock
        self._started = 0.0
        self._stopping = False
        self._fatal: FluxqError | None = None
        self._queue: deque[Row] = deque()
        self._running: dict[int, asyncio.Task[None]] = {}
        self._on_wire: set[int] = set()
        self._unexpected: list[BaseException] = []
        self._report: BatchReport | None = None
        self._wake = asyncio.Event()
        self._done_at_start = 0
        self._journal: Journal | None = None
        self._recorder: _GroupCommit | None = None

    # -- progress -----------------------------------------------------------------------------------

    def progress(self) -> BatchProgress:
        """A snapshot of the run."""
        assert self._journal is not None
        counts = self._journal.counts()
        return BatchProgress(
            total=sum(counts.values()),
            done=counts[JobState.DONE],
            running=counts[JobState.SUBMITTING] + counts[JobState.SUBMITTED],
            queued=counts[JobState.PENDING],
            failed=counts[JobState.FAILED],
            unknown=counts[JobState.UNKNOWN],
            invalid=counts[JobState.INVALID],
            done_this_run=counts[JobState.DONE] - self._done_at_start,
            elapsed=self._clock() - self._started,
            rate_limited=self._pace.rate_limited,
            limit=self._pace.slots,
            problems=self._batch.problems,
        )

    def _report_progress(self) -> None:
        if self._on_progress is not None:
            self._on_progress(self.progress())

    async def _record(self, move: Move) -> None:
        assert self._recorder is not None
        await self._recorder.record(move)

    # -- the shared gate ----------------------------------------------------------------------------

    async def _gate(self) -> None:
        """Wait while the batch is paused after a 429."""
        while (wait := request_wait(self._pace, self._clock())) > 0:
            await self._core.driver.pause(wait)

    async def _submit_turn(self) -> None:
        """Wait for this submit's turn under ``rate`` (reserving it) and for any pause."""
        now = self._clock()
        turn = max(now, self._pace.next_submit_at)
        self._pace = submitted(self._pace, now)
        if turn > now:
            await self._core.driver.pause(turn - now)
        await self._gate()

    async def _drive(self, flow: Flow[_T], *, holding_connection: bool = False) -> _T:
        """Run a flow like `AsyncDriver.run`, with every request through the batch's gate.

        Args:
            flow: The flow.
            holding_connection: The caller already holds a connection slot (a submit).
        """
        driver = self._core.driver
        stepper: Stepper[_T] = Stepper(flow)
        while (step := stepper.next_step()) is not None:
            if isinstance(step, Send):
                await self._gate()
                if holding_connection:
                    response = await driver.feed(stepper, step.request)
                else:
                    async with self._connections:
                        response = await driver.feed(stepper, step.request)
                if response is None:
                    continue
                if response.status_code in _SLOWDOWN_STATUSES:
                    retry_after = parse_retry_after(response.headers.get("retry-after"))
                    if response.status_code == 429 or retry_after is not None:
                        self._pace = rate_limited(self._pace, self._clock(), retry_after)
                        logger.info(
                            "rate limited: the whole batch pauses; %d jobs in flight allowed",
                            self._pace.slots,
                        )
            elif isinstance(step, Sleep):
                await driver.pause(step.seconds)
        value: _T = stepper.value
        return value

    # -- one job --------------------------------------------------------------------------------------

    async def _submit(self, row: Row) -> TaskRef | None:
        """Submit a line (journaled before it goes out); None when it did not become a task."""
        await self._submit_turn()
        if self._stopping or self._fatal is not None:
            self._queue.appendleft(row)
            return None
        # The connection slot is taken before `submitting` is recorded, so that `submitting` means "on the
        # wire now", not "waiting for a connection": a crash leaves as few unknown outcomes as possible.
        async with self._connections:
            if self._stopping or self._fatal is not None:
                self._queue.appendleft(row)
                return None
            return await self._submit_now(row)

    async def _submit_now(self, row: Row) -> TaskRef | None:
        # From here on an interruption lets this submit finish: cutting it could bill a task nobody knows.
        self._on_wire.add(row.line)
        await self._record(Move(row.line, JobState.SUBMITTING, count_attempt=True))
        attempts = row.attempts + 1
        try:
            protocol = self._core.runtime.protocol
            body = prepare_body(
                row.model, row.params, models=protocol.models, fields=protocol.body_fields(row.model)
            )
            flow = submit_flow(self._base_url, row.model, body, self._core.runtime)
            task = await self._drive(flow, holding_connection=True)
        except (SubmitOutcomeUnknown, MalformedResponse) as error:
            await self._record(
                Move(row.line, JobState.UNKNOWN, error_type=type(error).__name__, error=str(error))
            )
            return None
        except RateLimitError as error:
            await self._record(
                Move(row.line, JobState.PENDING, error_type=type(error).__name__, error=str(error))
            )
            self._queue.appendleft(replace(row, attempts=attempts))
            return None
        except (AuthenticationError, PermissionDeniedError) as error:  # concerns every line: stop submitting
            await self._record(
                Move(row.line, JobState.PENDING, error_type=type(error).__name__, error=str(error))
            )
            self._fatal = error
            return None
        except APIConnectionError as error:  # not sent: the ambiguous cases are SubmitOutcomeUnknown
            final = attempts >= MAX_SUBMIT_ATTEMPTS
            state = JobState.FAILED if final else JobState.PENDING
            await self._record(Move(row.line, state, error_type=type(error).__name__, error=str(error)))
            if not final:
                self._queue.append(replace(row, attempts=attempts))
            return None
        except FluxqError as error:  # refused (400, 404, 422, ...) or invalid: no task was created
            await self._record(
                Move(row.line, JobState.FAILED, error_type=type(error).__name__, error=str(error))
            )
            return None
        await self._record(Move(row.line, JobState.SUBMITTED, request_id=task.request_id))
        self._pace = accepted(self._pace)
        return task

    async def _finish(self, row: Row, task: TaskRef) -> None:
        """Wait for a submitted line, save its outputs, record the outcome."""
        timeout = self._options.timeout if self._options.timeout is not None else self._core.wait_timeout
        try:
            finished = await self._drive(wait_flow(task, self._core.runtime, timeout=timeout))
        except NotFoundError as error:
            await self._record(
                Move(row.line, JobState.FAILED, error_type=type(error).__name__, error=str(error))
            )
            return
        except FluxqError as error:  # WaitTimeout, an unreachable server, ...: the task may still finish
            note = (
                "still running; resume to keep waiting"
                if isinstance(error, WaitTimeout)
                else "resume to retry"
            )
            await self._record(
                Move(row.line, JobState.SUBMITTED, error_type=type(error).__name__, error=f"{error} ({note})")
            )
            return
        if finished.error is not None:
            failure = finished.error
            await self._record(
                Move(row.line, JobState.FAILED, error_type=failure.error_type, error=failure.error)
            )
            return
        assert finished.result is not None
        raw = finished.result
        usage_cost = None if finished.usage is None else finished.usage.cost
        outputs = [
            AsyncOutput(item, raw.request_id, i, self._core.downloader) for i, item in enumerate(raw.outputs)
        ]
        files: list[str] = []
        try:
            self._options.out.mkdir(parents=True, exist_ok=True)
            for output in outputs:
                await self._gate()
                async with self._connections:
                    saved = await output.save(self._options.out / output_name(row, output, len(outputs)))
                files.append(str(saved))
        except (FluxqError, OSError) as error:
            await self._record(
                Move(
                    row.line,
                    JobState.SUBMITTED,
                    error_type=type(error).__name__,
                    error=f"download failed: {error} (resume to retry)",
                )
            )
            return
        await self._record(
            Move(row.line, JobState.DONE, files=tuple(files), cost=reported_cost(raw, usage_cost))
        )

    async def _job(self, row: Row) -> None:
        if row.state is JobState.SUBMITTED:
            assert row.request_id is not None
            task: TaskRef | None = self._core.runtime.protocol.rebuild(
                self._base_url, row.model, row.request_id
            )
        else:
            task = await self._submit(row)
        self._on_wire.discard(row.line)
        if task is None or self._stopping:
            return
        await self._finish(row, task)

    def _start(self, row: Row) -> None:
        job = asyncio.create_task(self._job(row), name=f"fluxq-batch-line-{row.line}")
        self._running[row.line] = job

        def finished(done: asyncio.Task[None]) -> None:
            self._running.pop(row.line, None)
            if not done.cancelled() and done.exception() is not None:
                self._unexpected.append(done.exception())  # type: ignore[arg-type]  # not None: checked
            self._wake.set()

        job.add_done_callback(finished)

    # -- the whole run ------------------------------------------------------------------------------------

    async def _schedule(self) -> None:
        assert self._journal is not None
        self._queue.extend(self._journal.rows(frozenset({JobState.SUBMITTED})))
        self._queue.extend(self._journal.rows(frozenset({JobState.PENDING})))
        while True:
            while (
                self._queue
                and len(self._running) < self._pace.slots
                and not self._stopping
                and not self._fatal
            ):
                self._start(self._queue.popleft())
            if not self._running and (not self._queue or self._stopping or self._fatal):
                return
            self._wake.clear()
            await self._wake.wait()
            if self._unexpected:
                raise self._unexpected[0]

    async def _stop(self) -> None:
        """After an interruption: no new submits, submits on the wire finish, then cancel or keep."""
        self._stopping = True
        for line, job in list(self._running.items()):
            if line not in self._on_wire:
                job.cancel()
        pending = list(self._running.values())
        if pending:
            await asyncio.gather(*pending, return_exceptions=True)
        assert self._recorder is not None
        await self._recorder.drain()
        if self._options.on_interrupt == "cancel":
            await self._cancel_submitted()

    async def _cancel_submitted(self) -> None:
        assert self._journal is not None
        rows = list(self._journal.rows(frozenset({JobState.SUBMITTED})))
        quick = replace(self._core.runtime, retry=replace(self._core.runtime.retry, max_retries=0))

        async def cancel(row: Row) -> None:
            assert row.request_id is not None
            task = self._core.runtime.protocol.rebuild(self._base_url, row.model, row.request_id)
            try:
                accepted_ = await self._drive(cancel_flow(task, quick))
            except FluxqError as error:
                logger.warning("could not cancel line %d (%s): %s", row.line, row.request_id, error)
                return
            note = "cancel requested at interrupt" if accepted_ else "had finished before the interrupt"
            await self._record(
                Move(row.line, JobState.SUBMITTED, error=f"{note}; resume to record the outcome")
            )

        await asyncio.gather(*(cancel(row) for row in rows))

    async def run(self) -> BatchReport:
        """Run the batch to its end (or its interruption) and write the manifest.

        Raises:
            JournalError: The journal cannot be used (exists without ``resume``, another input, ...).
            AuthenticationError: The key was refused (every line stays resumable).
            PermissionDeniedError: The key may not use a model (every line stays resumable).
            asyncio.CancelledError: The run was interrupted; the manifest was written and the journal is
                resumable (the report is on the exception's ``fluxq_batch_report`` attribute).
        """
        options = self._options
        journal = Journal.open(options.journal_path, self._batch, resume=options.resume)
        self._journal = journal
        self._recorder = _GroupCommit(journal, self._report_progress)
        self._started = self._clock()
        self._done_at_start = journal.counts()[JobState.DONE]
        interrupted = False
        try:
            if options.resubmit_unknown:
                requeued = journal.requeue_unknown()
                if requeued:
                    logger.warning("re-submitting %d lines whose outcome was unknown", len(requeued))
            self._report_progress()
            try:
                await self._schedule()
            except asyncio.CancelledError:
                interrupted = True
                await self._stop()
                raise
            finally:
                for job in self._running.values():
                    job.cancel()
            if self._fatal is not None:
                raise self._fatal
        except asyncio.CancelledError as stop:
            report = self._finish_run(interrupted=True)
            stop.add_note(f"fluxq: batch interrupted; {report.summary()}")
            stop.fluxq_batch_report = report  # type: ignore[attr-defined]  # read by the CLI and Client.batch
            raise
        finally:
            if not interrupted:
                self._finish_run(interrupted=False)
            journal.close()
        assert self._report is not None
        return self._report

    def _finish_run(self, *, interrupted: bool) -> BatchReport:
        assert self._journal is not None
        manifest = self._options.manifest_path
        write_manifest(manifest, self._journal.rows())
        self._report = build_report(
            self._journal.rows(),
            elapsed=self._clock() - self._started,
            manifest=manifest,
            journal=self._options.journal_path,
            problems=self._batch.problems,
            rate_limited=self._pace.rate_limited,
            interrupted=interrupted,
        )
        self._report_progress()
        return self._report


async def run_batch(
    core: AsyncCore,
    base_url: str,
    batch: BatchInput,
    options: BatchOptions,
    on_progress: ProgressHandler | None = None,
) -> BatchReport:
    """Run a batch with a client's core; see `BatchRun.run`."""
    started = time.monotonic()
    report = await BatchRun(core, base_url, batch, options, on_progress).run()
    logger.info("batch finished in %.1f s", time.monotonic() - started)
    return report
