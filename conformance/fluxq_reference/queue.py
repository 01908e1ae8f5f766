"""The provider's queue: N workers, strict FIFO, evaluated lazily from the clock.

There are no background tasks and no sleeps. Every request first calls
:meth:`TaskQueue.advance` with the current time; it replays, in order, every start that
happened since the last call (a discrete-event schedule), which fixes each started task's
start and finish times. A task's status is then a pure function of those times and ``now``.

Rules:

- a task may start once its queue wait has passed (``eligible_at``), a worker is free, and
  every task submitted before it has started (FIFO, head-of-line);
- ``queue_position`` is the number of tasks still waiting ahead of it (0 = next to run);
- a cancel ends the task at once (``COMPLETED``, ``error_type: CANCELED``): a waiting task
  leaves the queue (positions behind it drop by one), a running task frees its worker.
"""

from __future__ import annotations

import bisect
import math
from collections import deque
from dataclasses import dataclass
from typing import Literal

from fluxq_reference.planning import OutputPlan

Status = Literal["IN_QUEUE", "IN_PROGRESS", "COMPLETED"]
CANCELED = "CANCELED"


@dataclass(eq=False)
class Task:
    """One submitted task.

    Attributes:
        request_id: The id submit returned.
        model_id: The model it was submitted to.
        ordinal: Submission order (0, 1, 2, ...).
        submitted_at: Clock reading at submit.
        queue_wait: Minimum seconds in the queue.
        run_time: Seconds a worker spends on it.
        plan: The output it produces on success.
        planned_error: The ``error_type`` it ends with, or ``None`` for success.
        file_token: The unguessable part of its output URLs.
        owner: The API key that created it (only that key finds it).
        started_at: When a worker took it (``None`` while waiting).
        finished_at: When it completed (``None`` while waiting; may lie in the future while running).
        canceled: Whether a cancel ended it.
        worker: The worker running it (``None`` while waiting).
        file_size: Size in bytes of its rendered output, once rendered.
    """

    request_id: str
    model_id: str
    ordinal: int
    submitted_at: float
    queue_wait: float
    run_time: float
    plan: OutputPlan
    planned_error: str | None
    file_token: str
    owner: str
    started_at: float | None = None
    finished_at: float | None = None
    canceled: bool = False
    worker: int | None = None
    file_size: int | None = None

    @property
    def eligible_at(self) -> float:
        """The earliest time a worker may take the task."""
        return self.submitted_at + self.queue_wait

    @property
    def error_type(self) -> str | None:
        """The ``error_type`` it ended (or will end) with; ``None`` for a success."""
        return CANCELED if self.canceled else self.planned_error


def status_at(task: Task, now: float) -> Status:
    """The task's status at ``now`` (after :meth:`TaskQueue.advance` to ``now``)."""
    if task.finished_at is not None and task.finished_at <= now:
        return "COMPLETED"
    if task.started_at is not None:
        return "IN_PROGRESS"
    return "IN_QUEUE"


def retry_after_hint(task: Task, now: float, cap: int = 10) -> int:
    """Whole seconds a client might wait before asking again (1 to ``cap``)."""
    if task.finished_at is None:
        return 1
    return max(1, min(cap, math.ceil(task.finished_at - now)))


class TaskQueue:
    """FIFO queue over ``workers`` workers.

    Args:
        workers: Number of tasks that may run at once.
    """

    def __init__(self, workers: int) -> None:
        self._free_at = [-math.inf] * workers
        # The waiting tasks in submission order, and their ordinals (what `position` bisects).
        self._waiting: deque[Task] = deque()
        self._ordinals: deque[int] = deque()
        self._last_ordinal = -math.inf
        self._last_start = -math.inf
        self._now = -math.inf

    def __len__(self) -> int:
        """Tasks still waiting."""
        return len(self._waiting)

    def enqueue(self, task: Task) -> None:
        """Append a new task; ordinals must increase.

        Raises:
            ValueError: If the task's ordinal is not larger than every enqueued task's.
        """
        if task.ordinal <= self._last_ordinal:
            raise ValueError("tasks must be enqueued in submission order")
        self._last_ordinal = task.ordinal
        self._waiting.append(task)
        self._ordinals.append(task.ordinal)

    def advance(self, now: float) -> None:
        """Start, in order, every waiting task that could have started by ``now``.

        Calls with an earlier ``now`` than a previous call are treated as the previous time.
        """
        now = max(now, self._now)
        self._now = now
        while self._waiting:
            task = self._waiting[0]
            worker = min(range(len(self._free_at)), key=self._free_at.__getitem__)
            start = max(task.eligible_at, self._free_at[worker], self._last_start)
            if start > now:
                break
            task.started_at = start
            task.finished_at = start + task.run_time
            task.worker = worker
            self._free_at[worker] = task.finished_at
            self._last_start = start
            self._waiting.popleft()
            self._ordinals.popleft()

    def position(self, task: Task) -> int:
        """Waiting tasks ahead of ``task`` (0 = next to run); meaningful while it waits."""
        return bisect.bisect_left(self._ordinals, task.ordinal)

    def cancel(self, task: Task, now: float) -> bool:
        """End ``task`` as canceled at ``now`` unless it already completed.

        Returns:
            Whether the cancel was accepted (``False``: the task was already terminal).
        """
        self.advance(now)
        if status_at(task, now) == "COMPLETED":
            return False
        if task.worker is None:  # still waiting: it leaves the queue
            index = bisect.bisect_left(self._ordinals, task.ordinal)
            del self._waiting[index]
            del self._ordinals[index]
        else:
            self._free_at[task.worker] = now
        task.canceled = True
        task.finished_at = now
        return True
