"""The provider's mutable state: tasks, queue, counters, random sources, rendered outputs.

One :class:`ProviderState` lives on ``app.state.provider``. All its methods run on the event
loop's thread and never await, so no request sees another one half done.
"""

from __future__ import annotations

import random
import secrets
from collections import deque
from collections.abc import Callable
from typing import Any

from fluxq_reference.config import ProviderConfig
from fluxq_reference.counters import Counters
from fluxq_reference.faults import FaultInjector
from fluxq_reference.planning import exceeds_megapixels, output_plan, parse_markers
from fluxq_reference.queue import Task, TaskQueue
from fluxq_reference.rendering import OutputCache
from fluxq_reference.spec_facts import ModelFacts

ID_PREFIX = "mmsu_"
ID_ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"
ID_LENGTH = 26
_SEED_RANGE = 2**31


def new_request_id() -> str:
    """An unguessable id: ``mmsu_`` and 26 lowercase Crockford base32 characters."""
    number = int.from_bytes(secrets.token_bytes(17), "big")
    chars = []
    for _ in range(ID_LENGTH):
        number, digit = divmod(number, 32)
        chars.append(ID_ALPHABET[digit])
    return ID_PREFIX + "".join(chars)


class ProviderState:
    """Everything one provider instance knows.

    Args:
        config: The configuration.
        models: The models served, by id (from the spec).

    Attributes:
        config: The configuration.
        models: The models served.
        counters: Request and task counters (tests read and reset them).
        queue: The FIFO queue.
        outputs: Rendered output images.
        faults: The fault injector.
    """

    def __init__(self, config: ProviderConfig, models: dict[str, ModelFacts]) -> None:
        self.config = config
        self.models = models
        self.counters = Counters()
        self.queue = TaskQueue(config.workers)
        self.outputs = OutputCache(config.output_cache_bytes)
        self.faults = FaultInjector(config.faults, config.seed)
        self._tasks: dict[str, Task] = {}
        self._arrivals: deque[Task] = deque()
        self._files: dict[str, Task] = {}
        self._durations = random.Random(f"durations:{config.seed}")
        self._seeds = random.Random(f"seeds:{config.seed}")
        self._ordinal = 0

    @property
    def clock(self) -> Callable[[], float]:
        """The configured clock (a ``FakeClock`` in tests)."""
        return self.config.clock

    def now(self) -> float:
        """The current time, with the queue brought up to it."""
        now = self.config.clock()
        self.queue.advance(now)
        return now

    def submit(self, model_id: str, params: dict[str, Any], owner: str = "") -> Task:
        """Create and enqueue a task for validated parameters.

        Args:
            model_id: A served model's id.
            params: The validated parameters (``model_dump()``).
            owner: The key that created it (only that key finds it).
        """
        now = self.now()
        timing = self.config.timing_for(model_id)
        queue_wait = timing.queue.draw(self._durations)
        run_time = timing.run.draw(self._durations)
        plan = output_plan(model_id, params, self._seeds.randrange(_SEED_RANGE))
        markers = parse_markers(str(params.get("prompt", "")))
        planned_error = markers.error_type
        if markers.queue_seconds is not None:
            queue_wait = markers.queue_seconds
        if markers.run_seconds is not None:
            run_time = markers.run_seconds
        if planned_error is None and exceeds_megapixels(plan, self.config.max_megapixels):
            planned_error, run_time = "REQUEST_INVALID", 0.0
        task = Task(
            request_id=new_request_id(),
            model_id=model_id,
            ordinal=self._ordinal,
            submitted_at=now,
            queue_wait=queue_wait,
            run_time=run_time,
            plan=plan,
            planned_error=planned_error,
            file_token=secrets.token_urlsafe(18),
            owner=owner,
        )
        self._ordinal += 1
        self._tasks[task.request_id] = task
        self._files[task.file_token] = task
        self._arrivals.append(task)
        self.queue.enqueue(task)
        self.queue.advance(now)
        self.counters.tasks_created += 1
        self._forget_oldest_finished(now)
        return task

    def _forget_oldest_finished(self, now: float) -> None:
        """Drop the oldest tasks beyond ``max_tasks``, stopping at the first unfinished one."""
        while len(self._arrivals) > self.config.max_tasks:
            oldest = self._arrivals[0]
            if oldest.finished_at is None or oldest.finished_at > now:
                return
            self._arrivals.popleft()
            del self._tasks[oldest.request_id]
            del self._files[oldest.file_token]

    def find(self, model_id: str, request_id: str, owner: str | None = None) -> Task | None:
        """The task with this id, if it belongs to ``model_id`` (and to ``owner``, when given)."""
        task = self._tasks.get(request_id)
        if task is None or task.model_id != model_id or (owner is not None and task.owner != owner):
            return None
        return task

    def find_by_id(self, request_id: str) -> Task | None:
        """The task with this id, whatever its model (the generation format's poll names no model)."""
        return self._tasks.get(request_id)

    def find_file(self, file_token: str) -> Task | None:
        """The task whose output URLs carry ``file_token``."""
        return self._files.get(file_token)

    def task_count(self) -> int:
        """Tasks remembered (created since start, minus those forgotten beyond ``max_tasks``)."""
        return len(self._tasks)
