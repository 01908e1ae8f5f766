"""What every renderer shows, decided once: findings grouped by rule, per-section counts, skip reasons.

Pure functions over a :class:`~fluxq_conformance.core.results.RunReport`; the console and the HTML
page only lay these out. A *finding* is one rule (check id) that failed or warned, with every
affected model and operation listed once, so one defect on three models reads as one finding.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from fluxq_conformance.checks.registry import describe, lookup
from fluxq_conformance.core.results import Outcome, Row, RunReport
from fluxq_conformance.core.spec import operations

#: Sections in the order a run performs them.
SECTION_ORDER = ("auth", "lifecycle", "outputs", "schema", "client")

#: Where each family's rules are written down (contract §6 rows are quoted by the spec descriptions).
_SPEC_FILE = "spec/fluxq.openapi.yaml"


@dataclass(frozen=True)
class Finding:
    """One rule that failed (or warned) on one or more rows.

    Attributes:
        check_id: The rule.
        outcome: ``failed`` or ``warning``.
        rows: The affected rows (check × model × operation), sorted.
        description: What the rule asserts (from the check registry).
        basis: How sure the rule is: ``documented``, ``evidence`` or ``choice`` (contract §6, §8).
        spec_location: Where the spec states what is checked.
    """

    check_id: str
    outcome: Outcome
    rows: tuple[Row, ...]
    description: str
    basis: str
    spec_location: str

    @property
    def anchor(self) -> str:
        """A stable HTML id for the finding."""
        return "rule-" + self.check_id.replace(".", "_")

    @property
    def models(self) -> list[str]:
        """Every affected model, once, sorted."""
        return sorted({row.model for row in self.rows if row.model})

    @property
    def operations(self) -> list[str]:
        """Every affected operation, once, sorted."""
        return sorted({row.operation for row in self.rows if row.operation})

    @property
    def messages(self) -> list[tuple[str, str]]:
        """Distinct messages with the rows that share them, as ``(where, message)`` pairs.

        ``where`` lists the operations (or models) once; rows that say the same thing are merged.
        """
        by_message: dict[str, list[str]] = {}
        for row in self.rows:
            where = row.operation or row.model or "run"
            message = row.worst.message
            # "status_x 200: …" on the row of status_x: the row already names the operation.
            if row.operation and message.startswith(row.operation + " "):
                message = message[len(row.operation) + 1 :]
            by_message.setdefault(message, []).append(where)
        return [(", ".join(places), message) for message, places in by_message.items()]


def basis_of(check_id: str) -> str:
    """The basis of a rule (documented / evidence / choice), as the check registry declares it."""
    declared = lookup(check_id)
    return declared.basis.value if declared else "undeclared"


def spec_location(row: Row) -> str:
    """Where the spec states what a row checks: the operation's path and method, or the spec file."""
    if row.operation:
        for operation in operations():
            if operation.operation_id == row.operation:
                return f"{_SPEC_FILE} paths.{operation.path}.{operation.method.lower()} ({row.operation})"
    return _SPEC_FILE


def findings(report: RunReport, outcome: Outcome) -> list[Finding]:
    """The rules with ``outcome`` rows, most rows first, each listing its rows once."""
    grouped: dict[str, list[Row]] = {}
    for row in report.rows():
        if row.outcome is outcome:
            grouped.setdefault(row.check_id, []).append(row)
    found = [
        Finding(
            check_id,
            outcome,
            tuple(rows),
            describe(check_id) or "(no description registered)",
            basis_of(check_id),
            spec_location(rows[0]),
        )
        for check_id, rows in grouped.items()
    ]
    return sorted(found, key=lambda finding: (-len(finding.rows), finding.check_id))


@dataclass(frozen=True)
class SectionCounts:
    """Row counts of one section (check family)."""

    section: str
    counts: dict[str, int]

    @property
    def total(self) -> int:
        """Rows in the section."""
        return sum(self.counts.values())


def sections(report: RunReport) -> list[SectionCounts]:
    """Row counts per section, in run order (sections with no rows are left out)."""
    per: dict[str, Counter[str]] = {}
    for row in report.rows():
        per.setdefault(row.section, Counter())[row.outcome.value] += 1
    ordered = [name for name in SECTION_ORDER if name in per] + sorted(set(per) - set(SECTION_ORDER))
    return [
        SectionCounts(name, {outcome.value: per[name].get(outcome.value, 0) for outcome in Outcome})
        for name in ordered
    ]


def skip_reasons(report: RunReport) -> list[tuple[str, int, list[str]]]:
    """Why rows were skipped: ``(reason, rows, check ids)``, most rows first."""
    by_reason: dict[str, list[Row]] = {}
    for row in report.rows():
        if row.outcome is Outcome.SKIPPED:
            by_reason.setdefault(row.worst.message, []).append(row)
    listed = [
        (reason, len(rows), sorted({row.check_id for row in rows})) for reason, rows in by_reason.items()
    ]
    return sorted(listed, key=lambda item: (-item[1], item[0]))


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def verdict(report: RunReport) -> str:
    """One line: what the run concluded, in rows."""
    totals = report.totals()
    rules = len({row.check_id for row in report.rows() if row.outcome is Outcome.FAILED})
    if totals["failed"]:
        rows = totals["failed"]
        head = (
            f"FAILED: {rules} rule{'s' if rules != 1 else ''} broken on {rows} row{'s' if rows != 1 else ''}"
        )
    else:
        head = "PASSED: no rule broken"
    if totals.get("error"):
        # A check that could not run is not a verdict on the provider: say so first (exit 2).
        head = f"ERROR: {totals['error']} check section(s) stopped on an internal error · {head}"
    shown = ("passed", "warning", "unsupported", "skipped", "error")
    parts = [f"{totals[name]} {name}" for name in shown if totals.get(name)]
    return f"{head} · {', '.join(parts)}" if parts else head
