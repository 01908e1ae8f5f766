"""The console report: a rich table (check × model × operation) with totals and failure details."""

from __future__ import annotations

from collections import defaultdict

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from fluxq_conformance.core.results import CheckResult, Outcome, RunReport, worst

STYLES = {
    Outcome.PASSED: "green",
    Outcome.SKIPPED: "dim",
    Outcome.WARNING: "yellow",
    Outcome.FAILED: "bold red",
}


def group_rows(results: list[CheckResult]) -> list[tuple[str, str, str, Outcome, int, str]]:
    """Collapse results into rows keyed by (check, model, operation), worst outcome first shown.

    Returns:
        Rows of (check id, model, operation, outcome, how many results, message of the worst one).
    """
    grouped: dict[tuple[str, str, str], list[CheckResult]] = defaultdict(list)
    for result in results:
        grouped[(result.check_id, result.model or "—", result.operation or "—")].append(result)
    rows = []
    for (check_id, model, operation), items in sorted(grouped.items()):
        outcome = worst([item.outcome for item in items])
        message = next(item.message for item in items if item.outcome is outcome)
        rows.append((check_id, model, operation, outcome, len(items), message))
    return rows


def render(report: RunReport, console: Console, *, verbose: bool = False) -> None:
    """Print the table, the failures' reproductions (every one with ``verbose``), the notes and the totals."""
    table = Table(title=f"fluxq conformance — {escape(report.target)}", show_lines=False)
    for column in ("check", "model", "operation", "outcome", "n", "message"):
        table.add_column(column, overflow="fold")
    for check_id, model, operation, outcome, count, message in group_rows(report.results):
        style = STYLES[outcome]
        table.add_row(
            escape(check_id),
            escape(model),
            escape(operation),
            f"[{style}]{outcome.value}[/]",
            str(count),
            escape(message.splitlines()[0] if message else ""),
        )
    console.print(table)
    shown = (Outcome.FAILED, Outcome.WARNING) if verbose else (Outcome.FAILED,)
    for result in report.results:
        if result.outcome in shown and result.reproduction is not None:
            console.print(
                f"[{STYLES[result.outcome]}]✗ {escape(result.check_id)}[/] {escape(result.operation or '')}: "
                f"{escape(result.message)}"
            )
            console.print(f"  reproduce: {escape(result.reproduction.curl)}", soft_wrap=True)
    for note in report.notes:
        console.print(f"[dim]note:[/] {escape(note)}")
    totals = report.totals()
    summary = ", ".join(f"[{STYLES[Outcome(name)]}]{count} {name}[/]" for name, count in totals.items())
    console.print(f"{summary} in {report.duration_seconds:.1f} s")
