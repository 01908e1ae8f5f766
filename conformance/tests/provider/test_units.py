"""The pure parts: queue math, planning, spec facts, durations, clock."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fluxq_reference import ClockStalled, Duration, FakeClock
from fluxq_reference.planning import OutputPlan, kontext_size, parse_markers, parse_ratio
from fluxq_reference.queue import Task, TaskQueue, retry_after_hint, status_at
from fluxq_reference.spec_facts import allows_null, default_models, load_spec
from fluxq_reference.state import ID_ALPHABET, new_request_id

PLAN = OutputPlan(64, 64, "png", 1)


def _task(ordinal: int, at: float, queue_wait: float = 0.0, run_time: float = 1.0) -> Task:
    return Task(f"mmsu_{ordinal}", "flux_pro_11", ordinal, at, queue_wait, run_time, PLAN, None, "t", "key")


@settings(max_examples=60, deadline=None)
@given(
    workers=st.integers(1, 4),
    jobs=st.lists(
        st.tuples(st.floats(0, 5), st.floats(0, 3), st.floats(0, 4)),
        min_size=1,
        max_size=12,
    ),
    step=st.floats(0.1, 2.0),
)
def test_queue_invariants(workers: int, jobs: list[tuple[float, float, float]], step: float) -> None:
    queue = TaskQueue(workers)
    tasks = []
    now = 0.0
    for ordinal, (gap, wait, run) in enumerate(jobs):
        now += gap
        queue.advance(now)
        task = _task(ordinal, now, wait, run)
        queue.enqueue(task)
        tasks.append(task)
    history: dict[int, list[str]] = {t.ordinal: [] for t in tasks}
    for _ in range(60):
        queue.advance(now)
        running = [t for t in tasks if status_at(t, now) == "IN_PROGRESS"]
        assert len(running) <= workers
        waiting = [t for t in tasks if status_at(t, now) == "IN_QUEUE"]
        assert [queue.position(t) for t in waiting] == list(range(len(waiting)))
        for task in tasks:
            history[task.ordinal].append(status_at(task, now))
        now += step
    order = ["IN_QUEUE", "IN_PROGRESS", "COMPLETED"]
    for seen in history.values():
        ranks = [order.index(s) for s in seen]
        assert ranks == sorted(ranks)
    starts = [t.started_at for t in tasks if t.started_at is not None]
    assert starts == sorted(starts)  # FIFO
    for task in tasks:
        if task.started_at is not None:
            assert task.started_at >= task.eligible_at


def test_cancel_of_a_waiting_task_moves_the_others_up() -> None:
    queue = TaskQueue(1)
    tasks = [_task(i, 0.0, run_time=10) for i in range(4)]
    for task in tasks:
        queue.enqueue(task)
    queue.advance(0.0)
    assert [queue.position(t) for t in tasks[1:]] == [0, 1, 2]
    assert queue.cancel(tasks[1], 1.0)
    assert [queue.position(t) for t in tasks[2:]] == [0, 1]
    assert len(queue) == 2
    assert not queue.cancel(tasks[1], 2.0)


def test_enqueue_out_of_order_is_refused() -> None:
    queue = TaskQueue(1)
    queue.enqueue(_task(5, 0.0))
    queue.advance(0.0)  # task 5 starts: none is left waiting, the order still holds
    assert len(queue) == 0
    with pytest.raises(ValueError, match="order"):
        queue.enqueue(_task(3, 0.0))
    with pytest.raises(ValueError, match="order"):
        queue.enqueue(_task(5, 0.0))  # the same ordinal twice is out of order too


def _running(finishes_at: float | None) -> Task:
    task = _task(0, 0.0)
    task.finished_at = finishes_at
    return task


@pytest.mark.parametrize(
    ("finishes_at", "now", "cap", "hint"),
    [
        (None, 50.0, 10, 1),  # still waiting: no finish time to aim at, ask again soon
        (13.2, 10.0, 10, 4),  # whole seconds, rounded up so the client asks after the finish
        (13.0, 10.0, 10, 3),
        (10.3, 10.0, 10, 1),
        (9.0, 10.0, 10, 1),  # already finished: at least one second, never zero or negative
        (60.0, 10.0, 10, 10),
        (60.0, 10.0, 5, 5),
        (15.0, 10.0, 5, 5),
    ],
)
def test_retry_after_hint_aims_at_the_finish_within_one_to_cap_seconds(
    finishes_at: float | None, now: float, cap: int, hint: int
) -> None:
    assert retry_after_hint(_running(finishes_at), now, cap) == hint


def test_retry_after_hint_is_capped_at_ten_seconds_by_default() -> None:
    assert retry_after_hint(_running(10.0 + 10.5), 10.0) == 10
    assert retry_after_hint(_running(10.0 + 9.5), 10.0) == 10
    assert retry_after_hint(_running(None), 10.0) == 1


def test_positions_and_cancels_stay_right_once_started_tasks_are_dropped() -> None:
    # Thousands of tasks, most of them started (and dropped from the queue) before the others are asked about.
    queue = TaskQueue(1)
    tasks = [_task(i, 0.0) for i in range(5000)]
    for task in tasks:
        queue.enqueue(task)
    queue.advance(4500.5)
    assert status_at(tasks[4500], 4500.5) == "IN_PROGRESS"
    assert queue.position(tasks[4501]) == 0
    assert queue.position(tasks[4999]) == 498
    assert len(queue) == 499
    assert queue.cancel(tasks[4600], 4500.6)
    assert queue.position(tasks[4601]) == 99
    assert queue.position(tasks[4999]) == 497
    assert len(queue) == 498
    with pytest.raises(ValueError, match="order"):
        queue.enqueue(_task(4999, 4501.0))
    queue.enqueue(_task(5000, 4501.0))
    assert len(queue) == 499


def test_markers_are_read_from_the_prompt() -> None:
    markers = parse_markers("cat [fluxq:error=CONTENT_BLOCKED] [fluxq:queue=2.5] [fluxq:run=4]")
    assert (markers.error_type, markers.queue_seconds, markers.run_seconds) == ("CONTENT_BLOCKED", 2.5, 4.0)
    assert parse_markers("[fluxq:queue=-1] [fluxq:run=nan] [fluxq:run=x]").queue_seconds is None
    assert parse_markers("plain").error_type is None


@pytest.mark.parametrize(
    ("ratio", "expected"),
    [("1:1", 1.0), ("21:9", 21 / 9), ("100:1", 21 / 9), ("1:100", 9 / 21), (None, 1.0), ("5:0", 1.0)],
)
def test_ratios_are_clamped(ratio: str | None, expected: float) -> None:
    assert parse_ratio(ratio) == pytest.approx(expected)


def test_kontext_size_for_square_is_1024() -> None:
    assert kontext_size("1:1") == (1024, 1024)


def test_nullability_comes_from_the_spec() -> None:
    spec = load_spec()
    models = default_models()
    assert set(models) == {"flux_kontext_pro", "flux_pro_11", "flux_2_pro"}
    assert "seed" not in models["flux_kontext_pro"].non_nullable
    assert "seed" in models["flux_pro_11"].non_nullable
    assert "input_image" in models["flux_2_pro"].non_nullable
    assert "width" in models["flux_pro_11"].integer_fields
    assert allows_null(spec, {"anyOf": [{"type": "string"}, {"type": "null"}]})
    assert not allows_null(spec, {"$ref": "#/components/schemas/InputImage"})


def test_request_ids_look_like_the_providers() -> None:
    ids = {new_request_id() for _ in range(200)}
    assert len(ids) == 200
    for request_id in ids:
        assert request_id.startswith("mmsu_")
        assert len(request_id) == 31
        assert set(request_id[5:]) <= set(ID_ALPHABET)


@pytest.mark.parametrize(
    "duration",
    [Duration.fixed(2.0), Duration.uniform(1.0, 3.0), Duration.lognormal(2.0, 0.5, cap=4.0)],
)
def test_durations_stay_in_range_and_repeat_with_a_seed(duration: Duration) -> None:
    first = [duration.draw(random.Random(3)) for _ in range(50)]
    assert first == [duration.draw(random.Random(3)) for _ in range(50)]
    rng = random.Random(4)
    assert all(0.0 <= duration.draw(rng) <= 4.0 for _ in range(200))


async def test_fake_clock_moves_only_forward() -> None:
    clock = FakeClock(5.0)
    clock.advance(1.5)
    await clock.sleep(0.5)
    assert clock() == 7.0
    with pytest.raises(ValueError, match="back"):
        clock.advance(-1)


def test_a_fake_clock_read_too_often_without_moving_fails_fast() -> None:
    clock = FakeClock(stall_limit=3)
    assert [clock(), clock(), clock()] == [0.0, 0.0, 0.0]
    clock.advance(0)  # a zero sleep moves nothing: still stuck
    with pytest.raises(ClockStalled, match=r"read 3 times at 0\.0 s without moving"):
        clock()
    clock.advance(0.5)
    assert [clock(), clock(), clock()] == [0.5, 0.5, 0.5]
    assert FakeClock()() == 0.0  # no limit by default
