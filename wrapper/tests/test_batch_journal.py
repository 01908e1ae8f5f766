"""The batch journal's state machine, input reading and the shared pace (pure parts, no network)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from fluxq import JournalError
from fluxq._batch_input import read_jobs, read_lines
from fluxq._journal import ALLOWED, JobState, Journal, Move, check_move, recover
from fluxq._throttle import Pace, accepted, rate_limited, request_wait, submit_wait, submitted

GOOD = {"model": "flux_pro_11", "prompt": "a red apple", "width": 512, "height": 512}


def _lines(*jobs: object) -> list[str]:
    return [job if isinstance(job, str) else json.dumps(job) for job in jobs]


def test_bad_lines_are_reported_with_their_numbers_and_the_rest_is_kept() -> None:
    batch = read_lines(
        _lines(
            GOOD,
            "",
            {"model": "flux_pro_11", "prompt": "x", "width": 1000},
            "{not json",
            {"prompt": "no model"},
            {**GOOD, "id": "../escape"},
            {**GOOD, "id": "apple"},
            {**GOOD, "id": "apple"},
            {"model": "flux_9", "prompt": "x"},
            [1, 2],
        )
    )

    assert [item.line for item in batch.items] == [1, 7]
    assert [item.name for item in batch.items] == ["line-1", "apple"]
    assert {p.line: (p.name, p.model) for p in batch.problems}[6] == ("line-6", "flux_pro_11")
    problems = {problem.line: problem.message for problem in batch.problems}
    assert problems[3] == "width: must be a multiple of 32 (got 1000)"
    assert problems[4].startswith("not valid JSON")
    assert problems[5].startswith("model: is required")
    assert problems[6].startswith("id: must be 1-100 letters")
    assert "unique" in problems[8]
    assert "unknown model 'flux_9'" in problems[9]
    assert problems[10].startswith("body: must be a JSON object")
    assert 2 not in problems  # a blank line is skipped, not an error


def test_the_digest_identifies_the_input() -> None:
    first = read_lines(_lines(GOOD, {**GOOD, "seed": 1}))
    assert read_lines(_lines(GOOD, {**GOOD, "seed": 1})).digest == first.digest
    assert read_lines(_lines(GOOD, {**GOOD, "seed": 2})).digest != first.digest
    assert read_jobs([GOOD, {**GOOD, "seed": 1}]).digest == first.digest


# -- the state machine ---------------------------------------------------------------------------------


def test_only_the_documented_moves_are_allowed() -> None:
    expected = {
        ("pending", "submitting"),
        ("submitting", "submitted"),
        ("submitting", "unknown"),
        ("submitting", "failed"),
        ("submitting", "pending"),
        ("submitted", "submitted"),
        ("submitted", "done"),
        ("submitted", "failed"),
        ("unknown", "pending"),
    }
    allowed = {(old.value, new.value) for old, news in ALLOWED.items() for new in news}
    assert allowed == expected
    for old in JobState:
        for new in JobState:
            if (old.value, new.value) in expected:
                check_move(1, old, new)
            else:
                with pytest.raises(JournalError, match=f"{old.value} -> {new.value}"):
                    check_move(1, old, new)


def test_a_job_with_a_request_id_can_never_be_submitted_again() -> None:
    """No path leads from submitted (the only state holding a request id) back to pending or submitting."""
    reachable = {JobState.SUBMITTED}
    frontier = [JobState.SUBMITTED]
    while frontier:
        for new in ALLOWED[frontier.pop()]:
            if new not in reachable:
                reachable.add(new)
                frontier.append(new)
    assert reachable.isdisjoint({JobState.PENDING, JobState.SUBMITTING})


def test_recovery_turns_only_an_interrupted_submit_into_unknown() -> None:
    assert recover(JobState.SUBMITTING) is JobState.UNKNOWN
    for state in set(JobState) - {JobState.SUBMITTING}:
        assert recover(state) is state


def _journal(path: Path, *, resume: bool = False) -> Journal:
    batch = read_lines(_lines(GOOD, {**GOOD, "id": "two"}, {"model": "flux_pro_11"}))
    return Journal.open(path, batch, resume=resume)


def test_a_new_journal_holds_every_line(tmp_path: Path) -> None:
    journal = _journal(tmp_path / "j.sqlite")

    rows = list(journal.rows())
    assert [(row.line, row.name, row.state) for row in rows] == [
        (1, "line-1", JobState.PENDING),
        (2, "two", JobState.PENDING),
        (3, "line-3", JobState.INVALID),
    ]
    assert rows[0].params == {"prompt": "a red apple", "width": 512, "height": 512}
    assert rows[2].error == "prompt: is required"
    assert rows[2].model == "flux_pro_11"  # a bad line keeps what it did say, for the manifest
    journal.close()


def test_an_existing_journal_is_not_overwritten_without_resume(tmp_path: Path) -> None:
    _journal(tmp_path / "j.sqlite").close()
    with pytest.raises(JournalError, match="already exists: pass --resume"):
        _journal(tmp_path / "j.sqlite")
    with pytest.raises(JournalError, match="nothing to resume"):
        _journal(tmp_path / "other.sqlite", resume=True)


def test_resume_refuses_another_input(tmp_path: Path) -> None:
    _journal(tmp_path / "j.sqlite").close()
    other = read_lines(_lines({**GOOD, "prompt": "a green apple"}))
    with pytest.raises(JournalError, match="input differs"):
        Journal.open(tmp_path / "j.sqlite", other, resume=True)


def test_a_file_that_is_not_a_journal_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "j.sqlite"
    path.write_bytes(b"this is not sqlite at all" * 100)
    with pytest.raises(JournalError, match="not a usable fluxq journal"):
        _journal(path, resume=True)


def test_every_step_is_committed_when_apply_returns(tmp_path: Path) -> None:
    """A second connection (another process, after a crash) sees each step at once."""
    path = tmp_path / "j.sqlite"
    journal = _journal(path)
    other = sqlite3.connect(path)

    def seen() -> tuple[str, str | None]:
        state, request_id = other.execute("SELECT state, request_id FROM jobs WHERE line = 1").fetchone()
        return state, request_id

    journal.apply([Move(1, JobState.SUBMITTING, count_attempt=True)])
    assert seen() == ("submitting", None)
    journal.apply([Move(1, JobState.SUBMITTED, request_id="mmsu_1")])
    assert seen() == ("submitted", "mmsu_1")
    journal.apply([Move(1, JobState.SUBMITTED, error="poll failed")])
    assert seen() == ("submitted", "mmsu_1")  # a note keeps the request id
    journal.apply([Move(1, JobState.DONE, files=("out/line-1.png",), cost=0.04)])
    assert seen() == ("done", "mmsu_1")
    row = next(journal.rows())
    assert (row.files, row.cost, row.attempts) == (("out/line-1.png",), 0.04, 1)
    assert other.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    other.close()
    journal.close()


def test_an_illegal_move_records_nothing_of_its_group(tmp_path: Path) -> None:
    journal = _journal(tmp_path / "j.sqlite")
    with pytest.raises(JournalError, match="pending -> done"):
        journal.apply([Move(2, JobState.SUBMITTING), Move(1, JobState.DONE)])
    assert journal.state(2) is JobState.PENDING
    journal.close()
    reopened = _journal(tmp_path / "j.sqlite", resume=True)
    assert reopened.state(2) is JobState.PENDING
    reopened.close()


@pytest.mark.parametrize(
    ("steps", "after_crash"),
    [
        ([], JobState.PENDING),
        ([JobState.SUBMITTING], JobState.UNKNOWN),
        ([JobState.SUBMITTING, JobState.SUBMITTED], JobState.SUBMITTED),
        ([JobState.SUBMITTING, JobState.SUBMITTED, JobState.DONE], JobState.DONE),
        ([JobState.SUBMITTING, JobState.PENDING], JobState.PENDING),
        ([JobState.SUBMITTING, JobState.FAILED], JobState.FAILED),
    ],
)
def test_a_crash_between_steps_reopens_to_the_right_state(
    tmp_path: Path, steps: list[JobState], after_crash: JobState
) -> None:
    """The connection is dropped without closing (as a killed process would) after each prefix of steps."""
    path = tmp_path / "j.sqlite"
    journal = _journal(path)
    for state in steps:
        journal.apply([Move(1, state, request_id="mmsu_1" if state is JobState.SUBMITTED else None)])
    del journal  # no close(): nothing but what was committed may survive

    reopened = _journal(path, resume=True)
    assert reopened.state(1) is after_crash
    row = next(reopened.rows())
    assert (row.request_id is not None) == (JobState.SUBMITTED in steps)
    reopened.close()


def test_unknown_lines_are_requeued_only_on_request(tmp_path: Path) -> None:
    path = tmp_path / "j.sqlite"
    journal = _journal(path)
    journal.apply([Move(1, JobState.SUBMITTING)])
    journal.close()
    reopened = _journal(path, resume=True)
    assert reopened.state(1) is JobState.UNKNOWN
    assert "may have reached the server" in (next(reopened.rows()).error or "")
    assert reopened.requeue_unknown() == [1]
    assert reopened.state(1) is JobState.PENDING
    reopened.close()


# -- the shared pace -----------------------------------------------------------------------------------


def test_a_429_halves_the_concurrency_and_pauses_every_request() -> None:
    pace = Pace.start(32)
    slowed = rate_limited(pace, now=100.0, retry_after=5.0)
    assert slowed.slots == 16
    assert request_wait(slowed, 101.0) == pytest.approx(4.0)
    assert submit_wait(slowed, 106.0) == 0.0
    again = rate_limited(slowed, now=101.0, retry_after=None)
    assert again.slots == 8
    assert request_wait(again, 101.0) == pytest.approx(4.0)  # the longer pause wins
    floor = pace
    for _ in range(10):
        floor = rate_limited(floor, 0.0, 1.0)
    assert floor.slots == 1


def test_the_concurrency_climbs_back_one_slot_per_round() -> None:
    pace = rate_limited(Pace.start(8), 0.0, 1.0)
    assert pace.slots == 4
    for _ in range(4):
        pace = accepted(pace)
    assert pace.slots == 4  # a round is about `limit` accepted submits
    pace = accepted(pace)
    assert pace.slots == 5
    for _ in range(100):
        pace = accepted(pace)
    assert pace.slots == 8


def test_a_rate_spaces_the_submits() -> None:
    pace = Pace.start(4, rate=2.0)
    pace = submitted(pace, 10.0)
    pace = submitted(pace, 10.0)
    assert submit_wait(pace, 10.0) == pytest.approx(1.0)
    with pytest.raises(ValueError, match="concurrency"):
        Pace.start(0)
    with pytest.raises(ValueError, match="rate"):
        Pace.start(1, rate=0)
