"""The console report: failures first (grouped by rule), then a one-screen summary per section.

Layout: the verdict; every failed rule once, with what it asserts, its basis, where the spec says
it, the affected models and operations, what was seen, the offending request and response, and a
shell sequence that reproduces it from a fresh submit; the warnings the same way; with
``--verbose`` the full table; then row counts per section, why rows were skipped, notes and the
verdict again as the last line. Every count is a row (check × model × operation).

Text that came from the target (messages, URLs, bodies, headers) passes through `_safe`: rich markup
escaped and control sequences made inert (``fluxq._terminal.inert``), so a hostile provider cannot
clear the screen, retitle the window or forge report lines. Secrets were scrubbed when the exchanges
were recorded (`fluxq_conformance.core.session`).
"""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from fluxq._terminal import inert
from fluxq_conformance.core.results import Outcome, Reproduction, RunReport
from fluxq_conformance.report.findings import Finding, findings, sections, skip_reasons, verdict

STYLES = {
    Outcome.PASSED: "green",
    Outcome.UNSUPPORTED: "cyan",
    Outcome.SKIPPED: "dim",
    Outcome.WARNING: "yellow",
    Outcome.ERROR: "bold magenta",
    Outcome.FAILED: "bold red",
}
MARKS = {Outcome.FAILED: "✗", Outcome.WARNING: "!"}
#: Bodies longer than this are cut in the console (the JSON and HTML reports keep them whole).
BODY_LINES = 12
BODY_CHARS = 1200


def _safe(text: str) -> str:
    """One line of target-provided text, inert and markup-escaped."""
    return escape(inert(text))


def _clip(text: str) -> str:
    lines = text[:BODY_CHARS].splitlines()
    clipped = "\n".join(lines[:BODY_LINES])
    return clipped + ("\n…" if len(lines) > BODY_LINES or len(text) > BODY_CHARS else "")


def _indent(text: str, prefix: str) -> str:
    return "\n".join(prefix + inert(line) for line in text.splitlines())


def _evidence(repro: Reproduction, console: Console) -> None:
    console.print(f"  [bold]request[/]   {_safe(repro.method)} {_safe(repro.url)}", soft_wrap=True)
    if repro.request_body:
        console.print(escape(_indent(_clip(repro.request_body), "            ")), soft_wrap=True)
    status = "no response" if repro.status_code is None else str(repro.status_code)
    media = repro.response_headers.get("content-type", "")
    console.print(f"  [bold]response[/]  {status} {_safe(media)}", soft_wrap=True)
    if repro.response_body:
        console.print(escape(_indent(_clip(repro.response_body), "            ")), soft_wrap=True)
    script = repro.script or repro.curl
    console.print("  [bold]reproduce[/] (bash; export FLUXQ_API_KEY first):")
    console.print(escape(_indent(script, "    ")), soft_wrap=True)


def render_finding(finding: Finding, console: Console) -> None:
    """Print one rule: header, description, basis and spec, what was seen where, evidence."""
    style = STYLES[finding.outcome]
    rows = len(finding.rows)
    where = ", ".join(finding.models) or "the whole run"
    console.print(
        f"[{style}]{MARKS[finding.outcome]} {escape(finding.check_id)}[/] — {finding.outcome.value} on "
        f"{rows} row{'s' if rows != 1 else ''} · models: {escape(where)}",
        soft_wrap=True,
    )
    console.print(f"  [bold]rule[/]      {escape(finding.description)}", soft_wrap=True)
    console.print(
        f"  [bold]basis[/]     {escape(finding.basis)} · spec: {escape(finding.spec_location)}",
        soft_wrap=True,
    )
    for place, message in finding.messages:
        lines = message.splitlines() or [""]
        console.print(f"  [bold]seen[/]      {_safe(place)}: {_safe(lines[0])}", soft_wrap=True)
        for line in lines[1:]:
            console.print(f"            {_safe(line)}", soft_wrap=True)
    evidence = next((row.worst.reproduction for row in finding.rows if row.worst.reproduction), None)
    if evidence is not None:
        _evidence(evidence, console)
    console.print()


def render_table(report: RunReport, console: Console) -> None:
    """Print every row (``--verbose``)."""
    table = Table(title="every row (check × model × operation)", show_lines=False)
    for column in ("check", "model", "operation", "outcome", "message"):
        table.add_column(column, overflow="fold")
    for row in report.rows():
        message = row.worst.message
        table.add_row(
            escape(row.check_id),
            escape(row.model or "—"),
            escape(row.operation or "—"),
            f"[{STYLES[row.outcome]}]{row.outcome.value}[/]",
            _safe(message.splitlines()[0] if message else ""),
        )
    console.print(table)


def render_summary(report: RunReport, console: Console) -> None:
    """Print row counts per section, why rows were skipped, and the notes."""
    table = Table(title="summary per section (rows)", title_justify="left")
    table.add_column("section")
    for outcome in (Outcome.PASSED, Outcome.WARNING, Outcome.FAILED, Outcome.SKIPPED):
        table.add_column(outcome.value, justify="right", style=STYLES[outcome])
    table.add_column("rows", justify="right")
    for section in sections(report):
        counts = section.counts
        table.add_row(
            section.section,
            *(str(counts[name]) for name in ("passed", "warning", "failed", "skipped")),
            str(section.total),
        )
    console.print(table)
    for reason, count, check_ids in skip_reasons(report):
        shown = ", ".join(check_ids[:4]) + (f" +{len(check_ids) - 4} more" if len(check_ids) > 4 else "")
        console.print(
            f"[dim]skipped {count} row{'s' if count != 1 else ''}:[/] {_safe(reason)} ({_safe(shown)})",
            soft_wrap=True,
        )
    for note in report.notes:
        console.print(f"[dim]note:[/] {_safe(note)}", soft_wrap=True)


def render(report: RunReport, console: Console, *, verbose: bool = False) -> None:
    """Print the whole console report (the full table only with ``verbose``)."""
    style = "bold red" if report.failed else "bold green"
    console.print(f"[bold]fluxq conformance[/] — {_safe(report.target)}", soft_wrap=True)
    console.print(
        f"[{style}]{escape(verdict(report))}[/]  [dim](counts are rows: check × model × operation)[/]"
    )
    console.print()
    for outcome, title in ((Outcome.FAILED, "Failures"), (Outcome.WARNING, "Warnings")):
        found = findings(report, outcome)
        if found:
            console.rule(f"{title}: {len(found)} rule{'s' if len(found) != 1 else ''}", align="left")
            for finding in found:
                render_finding(finding, console)
    if verbose:
        render_table(report, console)
    render_summary(report, console)
    if not verbose:
        console.print("[dim]every row: --verbose · files: --html, --report-json, --junit[/]")
    console.print(f"[{style}]{escape(verdict(report))}[/] in {report.duration_seconds:.1f} s")
