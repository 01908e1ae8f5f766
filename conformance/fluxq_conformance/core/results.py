"""The report model: one :class:`CheckResult` per check, model and operation, in a :class:`RunReport`.

Every renderer (console, JSON, JUnit, HTML) reads this model only; nothing here does I/O.

Tiers (contract §8): a finding against a rule whose basis is ``documented`` or ``evidence`` is
``failed``; against a fluxq ``choice`` it is a ``warning`` (exit 0, or 1 with ``--strict``).
:func:`tier_for` is that rule; every result carries the basis it was tiered by.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Outcome(StrEnum):
    """How one check ended. Ordered from best to worst by :data:`SEVERITY`.

    ``unsupported`` is an optional feature the provider declines in a documented way (cancel
    answered 405/501: "cancel unsupported"), not a failure. ``error`` means the suite itself could
    not judge (an internal error in a check); the run still writes its report and exits 2.
    """

    PASSED = "passed"
    UNSUPPORTED = "unsupported"
    SKIPPED = "skipped"
    WARNING = "warning"
    ERROR = "error"
    FAILED = "failed"


SEVERITY: dict[Outcome, int] = {
    Outcome.PASSED: 0,
    Outcome.UNSUPPORTED: 1,
    Outcome.SKIPPED: 2,
    Outcome.WARNING: 3,
    Outcome.ERROR: 4,
    Outcome.FAILED: 5,
}

#: The bases a rule can have (contract §6 rev. 2); the registry's ``Basis`` enum uses these values.
BASES = ("documented", "evidence", "choice")


def tier_for(basis: str) -> Outcome:
    """The outcome of a finding against a rule of ``basis`` (contract §8).

    Raises:
        ValueError: If ``basis`` is not one of :data:`BASES`.
    """
    if basis not in BASES:
        raise ValueError(f"unknown basis {basis!r}; expected one of {BASES}")
    return Outcome.WARNING if basis == "choice" else Outcome.FAILED


@dataclass(frozen=True)
class Reproduction:
    """One HTTP exchange that shows the outcome, with a curl line to replay the request.

    Secrets are already replaced by ``$FLUXQ_API_KEY`` when a reproduction is built. ``script``,
    when set, is the whole shell sequence that reproduces the outcome from a fresh submit (a task
    the report names has long finished, so its single request alone reproduces nothing).
    """

    method: str
    url: str
    request_headers: dict[str, str]
    request_body: str | None
    status_code: int | None
    response_headers: dict[str, str]
    response_body: str | None
    curl: str
    script: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dictionary."""
        return {
            "method": self.method,
            "url": self.url,
            "request_headers": self.request_headers,
            "request_body": self.request_body,
            "status_code": self.status_code,
            "response_headers": self.response_headers,
            "response_body": self.response_body,
            "curl": self.curl,
            "script": self.script,
        }


@dataclass(frozen=True)
class CheckResult:
    """The outcome of one check on one model and operation.

    Attributes:
        check_id: The stable id, e.g. ``lifecycle.identity`` (see ``fluxq_conformance.checks.registry``).
        outcome: Passed, failed, warning or skipped.
        message: One or a few lines saying what was seen.
        model: The model id, or ``None`` for checks that are not about one model.
        operation: The spec's operationId, or ``None``.
        reproduction: The exchange that shows the outcome (usually the offending one).
        basis: The basis of the rule the finding is about (``documented``, ``evidence``, ``choice``);
            the outcome of a finding follows from it (:func:`tier_for`).
        location: Where the rule is written: a spec location (``#/components/...``) or a contract
            section (``contract §6: task URLs``), or ``None``.
    """

    check_id: str
    outcome: Outcome
    message: str
    model: str | None = None
    operation: str | None = None
    reproduction: Reproduction | None = None
    basis: str | None = None
    location: str | None = None

    @property
    def section(self) -> str:
        """The check family the result belongs to (``auth``, ``lifecycle``, ``schema``...)."""
        return self.check_id.split(".", 1)[0]

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dictionary."""
        return {
            "id": self.check_id,
            "outcome": self.outcome.value,
            "model": self.model,
            "operation": self.operation,
            "message": self.message,
            "basis": self.basis,
            "location": self.location,
            "reproduction": self.reproduction.to_dict() if self.reproduction else None,
        }


@dataclass(frozen=True)
class Row:
    """One row of the report: every result of one check on one model and operation, combined.

    Reports count rows, never raw results: a check that judged seven tasks of one model is one row.

    Attributes:
        check_id: The check.
        model: The model id, or ``None``.
        operation: The operationId, or ``None``.
        outcome: The worst outcome of the row's results.
        results: The row's results, in the order they were produced.
    """

    check_id: str
    model: str | None
    operation: str | None
    outcome: Outcome
    results: tuple[CheckResult, ...]

    @property
    def section(self) -> str:
        """The check family (``auth``, ``lifecycle``, ``outputs``, ``schema``, ``client``)."""
        return self.check_id.split(".", 1)[0]

    @property
    def worst(self) -> CheckResult:
        """The first result with the row's outcome (its message and reproduction represent the row)."""
        return next(result for result in self.results if result.outcome is self.outcome)

    @property
    def anchor(self) -> str:
        """A stable HTML id for the row."""
        parts = [self.check_id, self.model or "all", self.operation or "all"]
        return "row-" + "-".join(part.replace(".", "_") for part in parts)


def rows_of(results: list[CheckResult]) -> list[Row]:
    """Combine results into rows keyed by (check, model, operation), sorted by those keys."""
    grouped: dict[tuple[str, str, str], list[CheckResult]] = {}
    for result in results:
        grouped.setdefault((result.check_id, result.model or "", result.operation or ""), []).append(result)
    return [
        Row(check_id, model or None, operation or None, worst([r.outcome for r in items]), tuple(items))
        for (check_id, model, operation), items in sorted(grouped.items())
    ]


@dataclass
class RunReport:
    """Everything one run learned.

    Attributes:
        target: Where the run pointed (a base URL, ``reference`` or a cassette directory).
        settings: The run's settings, as shown in reports (never the API key).
        results: Every check result, in the order they were produced.
        duration_seconds: Wall time of the run.
        notes: Lines worth showing under the table (caps applied, phases skipped, ...).
    """

    target: str
    settings: dict[str, Any]
    results: list[CheckResult] = field(default_factory=list)
    duration_seconds: float = 0.0
    notes: list[str] = field(default_factory=list)

    def rows(self) -> list[Row]:
        """The report's rows (check × model × operation), sorted."""
        return rows_of(self.results)

    def totals(self) -> dict[str, int]:
        """Count rows per outcome (every outcome present, zero included); rows, not raw results."""
        counts = Counter(row.outcome for row in self.rows())
        return {outcome.value: counts.get(outcome, 0) for outcome in Outcome}

    @property
    def failed(self) -> bool:
        """Whether any check failed."""
        return any(result.outcome is Outcome.FAILED for result in self.results)

    @property
    def errored(self) -> bool:
        """Whether a check could not be judged because of an internal error of the suite."""
        return any(result.outcome is Outcome.ERROR for result in self.results)

    def exit_code(self, *, strict: bool = False) -> int:
        """0 when nothing failed, 1 when a check failed (or, with ``strict``, warned), 2 when a check
        could not run because of an internal error (the report is complete otherwise)."""
        if self.errored:
            return 2
        if self.failed or (strict and any(r.outcome is Outcome.WARNING for r in self.results)):
            return 1
        return 0

    def failed_ids(self) -> set[str]:
        """The ids of every failed check."""
        return {result.check_id for result in self.results if result.outcome is Outcome.FAILED}

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dictionary (the ``--report-json`` document)."""
        return {
            "target": self.target,
            "settings": self.settings,
            "duration_seconds": round(self.duration_seconds, 3),
            "totals": self.totals(),
            "notes": list(self.notes),
            "checks": [result.to_dict() for result in self.results],
        }


def worst(outcomes: list[Outcome]) -> Outcome:
    """Return the most severe outcome of a non-empty list (passed < skipped < warning < failed).

    Raises:
        ValueError: If ``outcomes`` is empty.
    """
    if not outcomes:
        raise ValueError("no outcomes to combine")
    return max(outcomes, key=SEVERITY.__getitem__)
