"""A batch's journal: one SQLite row per input line, written before and after every step that can bill.

States and the only moves between them (`ALLOWED`)::

    pending ──► submitting ──► submitted(request_id) ──► done
       ▲            │  │  │            │
       │            │  │  └► failed    └──────────────► failed
       └────────────┘  └──► unknown ──(--resubmit-unknown)──► pending
       (not sent: connection refused, 429)

    invalid    a bad input line; never runs

``submitting`` is committed *before* the submit request goes out, and the request id as soon as the
reply is read. A crash leaves at most ``submitting`` rows whose outcome nobody can know (the request
may or may not have reached the server): `recover` turns them into ``unknown``, which a resume reports
and never re-submits unless asked. A job with a request id is never submitted again; a resume polls it.

Durability: WAL mode and ``synchronous=FULL``; every `Journal.apply` is one transaction, committed
before it returns, so ``kill -9`` (or a power cut) loses no committed step.
"""

from __future__ import annotations

import enum
import json
import sqlite3
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ._batch_input import BatchInput
from ._exceptions import JournalError

SCHEMA_VERSION = "1"


class JobState(enum.Enum):
    """Where one line of a batch is."""

    PENDING = "pending"
    SUBMITTING = "submitting"
    SUBMITTED = "submitted"
    DONE = "done"
    FAILED = "failed"
    UNKNOWN = "unknown"
    INVALID = "invalid"


ALLOWED: Mapping[JobState, frozenset[JobState]] = {
    JobState.PENDING: frozenset({JobState.SUBMITTING}),
    JobState.SUBMITTING: frozenset({JobState.SUBMITTED, JobState.UNKNOWN, JobState.FAILED, JobState.PENDING}),
    JobState.SUBMITTED: frozenset({JobState.SUBMITTED, JobState.DONE, JobState.FAILED}),
    JobState.UNKNOWN: frozenset({JobState.PENDING}),
    JobState.DONE: frozenset(),
    JobState.FAILED: frozenset(),
    JobState.INVALID: frozenset(),
}
"""Every legal move; anything else is a bug and raises `JournalError`."""

FINAL_STATES = frozenset({JobState.DONE, JobState.FAILED, JobState.INVALID})


def check_move(line: int, old: JobState, new: JobState) -> None:
    """Refuse a move `ALLOWED` does not list.

    Raises:
        JournalError: For an illegal move.
    """
    if new not in ALLOWED[old]:
        raise JournalError(f"line {line}: illegal journal move {old.value} -> {new.value}")


def recover(state: JobState) -> JobState:
    """The state a row found at start-up stands for: an interrupted ``submitting`` is ``unknown``."""
    return JobState.UNKNOWN if state is JobState.SUBMITTING else state


@dataclass(frozen=True, slots=True)
class Move:
    """One step to record.

    Attributes:
        line: The line.
        state: The new state.
        request_id: The task's id (for ``submitted``).
        error_type: The failure's ``error_type`` or exception name.
        error: A human-readable reason (failures, unknown outcomes, a poll that could not finish).
        files: Saved output paths (for ``done``).
        cost: The cost the provider reported, when it did.
        count_attempt: Add one to the row's submit attempts.
    """

    line: int
    state: JobState
    request_id: str | None = None
    error_type: str | None = None
    error: str | None = None
    files: tuple[str, ...] = ()
    cost: float | None = None
    count_attempt: bool = False


@dataclass(frozen=True, slots=True)
class Row:
    """One line as the journal knows it."""

    line: int
    name: str
    model: str
    params: Mapping[str, Any]
    state: JobState
    request_id: str | None = None
    error_type: str | None = None
    error: str | None = None
    files: tuple[str, ...] = field(default=())
    cost: float | None = None
    attempts: int = 0


_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS jobs (
    line INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    model TEXT NOT NULL,
    params TEXT NOT NULL,
    state TEXT NOT NULL,
    request_id TEXT,
    error_type TEXT,
    error TEXT,
    files TEXT NOT NULL DEFAULT '[]',
    cost REAL,
    attempts INTEGER NOT NULL DEFAULT 0,
    updated REAL NOT NULL
);
"""


def _row(values: Sequence[Any]) -> Row:
    line, name, model, params, state, request_id, error_type, error, files, cost, attempts = values
    return Row(
        line,
        name,
        model,
        json.loads(params),
        JobState(state),
        request_id,
        error_type,
        error,
        tuple(json.loads(files)),
        cost,
        attempts,
    )


class Journal:
    """The SQLite journal of one batch (one writer at a time)."""

    def __init__(self, connection: sqlite3.Connection, path: Path) -> None:
        """Wrap an open connection; use `Journal.open`."""
        self._db = connection
        self.path = path
        self._states: dict[int, JobState] = {
            line: JobState(state) for line, state in connection.execute("SELECT line, state FROM jobs")
        }
        self._counts = dict.fromkeys(JobState, 0)
        for state in self._states.values():
            self._counts[state] += 1

    @classmethod
    def open(cls, path: Path, batch: BatchInput, *, resume: bool) -> Journal:
        """Create the journal of ``batch``, or reopen it to resume.

        A new journal holds every line as ``pending`` (``invalid`` for bad lines). Reopening checks that
        the input is the same (its digest) and turns rows a crash left in ``submitting`` into ``unknown``.

        Args:
            path: The SQLite file.
            batch: The input.
            resume: Reopen an existing journal (else the file must not exist yet).

        Raises:
            JournalError: The file exists without ``resume`` (continuing could bill twice), is missing
                with ``resume``, belongs to another input, or is not a fluxq journal.
        """
        exists = path.exists()
        if exists and not resume:
            raise JournalError(
                f"journal {path} already exists: pass --resume (resume=True) to continue that batch, "
                "or choose another journal file"
            )
        if resume and not exists:
            raise JournalError(f"journal {path} does not exist: nothing to resume (drop --resume to start)")
        path.parent.mkdir(parents=True, exist_ok=True)
        # isolation_level=None: transactions are explicit (BEGIN IMMEDIATE ... COMMIT) in `apply`.
        db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        try:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=FULL")
            db.executescript(_SCHEMA)
            if exists:
                cls._check_meta(db, path, batch)
            else:
                cls._create(db, batch)
        except sqlite3.DatabaseError as error:
            db.close()
            raise JournalError(f"{path} is not a usable fluxq journal: {error}") from None
        except JournalError:
            db.close()
            raise
        journal = cls(db, path)
        journal._recover()
        return journal

    @staticmethod
    def _check_meta(db: sqlite3.Connection, path: Path, batch: BatchInput) -> None:
        meta = dict(db.execute("SELECT key, value FROM meta").fetchall())
        if meta.get("schema") != SCHEMA_VERSION:
            raise JournalError(f"{path} is not a fluxq batch journal (schema {meta.get('schema')!r})")
        if meta.get("input_digest") != batch.digest:
            raise JournalError(
                f"the input differs from the one journal {path} was made for: resume with the same input "
                "(or start a new journal)"
            )

    @staticmethod
    def _create(db: sqlite3.Connection, batch: BatchInput) -> None:
        now = time.time()
        db.execute("BEGIN IMMEDIATE")
        db.executemany(
            "INSERT INTO meta (key, value) VALUES (?, ?)",
            [("schema", SCHEMA_VERSION), ("input_digest", batch.digest), ("created", str(now))],
        )
        db.executemany(
            "INSERT INTO jobs (line, name, model, params, state, updated) VALUES (?, ?, ?, ?, ?, ?)",
            [
                (item.line, item.name, item.model, json.dumps(dict(item.params)), JobState.PENDING.value, now)
                for item in batch.items
            ],
        )
        db.executemany(
            "INSERT INTO jobs (line, name, model, params, state, error, updated)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    p.line,
                    p.name or f"line-{p.line}",
                    p.model,
                    json.dumps({"text": p.text}),
                    JobState.INVALID.value,
                    p.message,
                    now,
                )
                for p in batch.problems
            ],
        )
        db.execute("COMMIT")

    def _recover(self) -> None:
        stale = [line for line, state in self._states.items() if recover(state) is not state]
        if stale:
            reason = "the run stopped while this submit was in flight: it may have reached the server"
            self._db.execute("BEGIN IMMEDIATE")
            self._db.executemany(
                "UPDATE jobs SET state = ?, error = ?, updated = ? WHERE line = ?",
                [(JobState.UNKNOWN.value, reason, time.time(), line) for line in stale],
            )
            self._db.execute("COMMIT")
            self._set(dict.fromkeys(stale, JobState.UNKNOWN))

    def state(self, line: int) -> JobState:
        """The line's state."""
        return self._states[line]

    def counts(self) -> dict[JobState, int]:
        """How many lines are in each state (every state listed; kept up to date, not recounted)."""
        return dict(self._counts)

    def _set(self, changed: Mapping[int, JobState]) -> None:
        for line, state in changed.items():
            self._counts[self._states[line]] -= 1
            self._counts[state] += 1
            self._states[line] = state

    def apply(self, moves: Sequence[Move]) -> None:
        """Record moves in one transaction, committed (and synced) before returning.

        Raises:
            JournalError: For an illegal move (nothing of the group is recorded).
        """
        changed: dict[int, JobState] = {}
        for move in moves:
            check_move(move.line, changed.get(move.line, self._states[move.line]), move.state)
            changed[move.line] = move.state
        now = time.time()
        self._db.execute("BEGIN IMMEDIATE")
        try:
            for move in moves:
                self._db.execute(
                    "UPDATE jobs SET state = ?, request_id = COALESCE(?, request_id), error_type = ?,"
                    " error = ?, files = ?, cost = ?, attempts = attempts + ?, updated = ? WHERE line = ?",
                    (
                        move.state.value,
                        move.request_id,
                        move.error_type,
                        move.error,
                        json.dumps(list(move.files)),
                        move.cost,
                        int(move.count_attempt),
                        now,
                        move.line,
                    ),
                )
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")
        self._set(changed)

    def requeue_unknown(self) -> list[int]:
        """Move every ``unknown`` line back to ``pending`` (the caller accepts a possible second bill).

        Returns:
            The lines moved.
        """
        lines = sorted(line for line, state in self._states.items() if state is JobState.UNKNOWN)
        self.apply(
            [Move(line, JobState.PENDING, error="re-submitted after an unknown outcome") for line in lines]
        )
        return lines

    def rows(self, states: frozenset[JobState] | None = None) -> Iterator[Row]:
        """Every row (or those in ``states``), in line order."""
        cursor = self._db.execute(
            "SELECT line, name, model, params, state, request_id, error_type, error, files, cost, attempts"
            " FROM jobs ORDER BY line"
        )
        for values in cursor:
            row = _row(values)
            if states is None or row.state in states:
                yield row

    def close(self) -> None:
        """Close the database."""
        self._db.close()
