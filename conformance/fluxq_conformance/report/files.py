"""File reports: ``--report-json``, ``--junit`` and ``--html`` (a self-contained, escaped page).

Every text written passes through the run's redactor once more, so no key reaches a file even if
a check forgot to redact.
"""

from __future__ import annotations

import html
import json
from pathlib import Path

from junit_xml import TestCase, TestSuite, to_xml_report_string

from fluxq_conformance.checks.registry import describe
from fluxq_conformance.core.exchange import Redactor
from fluxq_conformance.core.results import Outcome, RunReport
from fluxq_conformance.report.console import group_rows


def write_json(report: RunReport, path: Path, redact: Redactor) -> None:
    """Write the JSON report (target, settings, every check, totals)."""
    document = report.to_dict()
    used = dict.fromkeys(result.check_id for result in report.results)
    document["catalog"] = {check_id: describe(check_id) for check_id in used}
    text = json.dumps(document, indent=2, ensure_ascii=False)
    path.write_text(redact(text) + "\n", encoding="utf-8")


def write_junit(report: RunReport, path: Path, redact: Redactor) -> None:
    """Write a JUnit XML file: one test case per check result, grouped by check family."""
    suites: dict[str, list[TestCase]] = {}
    for result in report.results:
        family = result.check_id.split(".", 1)[0]
        name = f"{result.check_id}[{result.operation or result.model or 'run'}]"
        case = TestCase(name=name, classname=f"fluxq.{family}")
        detail = result.message + (f"\n{result.reproduction.curl}" if result.reproduction else "")
        if result.outcome is Outcome.FAILED:
            case.add_failure_info(message=result.message, output=detail)
        elif result.outcome is Outcome.SKIPPED:
            case.add_skipped_info(message=result.message)
        elif result.outcome is Outcome.WARNING:
            case.stdout = f"warning: {detail}"
        suites.setdefault(family, []).append(case)
    xml = to_xml_report_string([TestSuite(f"fluxq.{family}", cases) for family, cases in suites.items()])
    path.write_text(redact(xml), encoding="utf-8")


_CSS = """
body{font-family:system-ui,sans-serif;margin:2em;color:#222}
table{border-collapse:collapse;width:100%;font-size:14px}
th,td{border:1px solid #ddd;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#f4f4f4}.passed{color:#17803d}.failed{color:#b91c1c;font-weight:bold}
.warning{color:#b45309}.skipped{color:#777}pre{white-space:pre-wrap;background:#f8f8f8;padding:8px}
details{margin:.5em 0}
"""


def render_html(report: RunReport) -> str:
    """Return the self-contained HTML page (every value escaped)."""
    esc = html.escape
    totals = " · ".join(
        f"<span class='{name}'>{count} {name}</span>" for name, count in report.totals().items()
    )
    rows = "".join(
        f"<tr><td>{esc(check)}</td><td>{esc(model)}</td><td>{esc(op)}</td>"
        f"<td class='{outcome.value}'>{outcome.value}</td><td>{count}</td><td>{esc(message)}</td></tr>"
        for check, model, op, outcome, count, message in group_rows(report.results)
    )
    details = []
    for result in report.results:
        if result.outcome not in (Outcome.FAILED, Outcome.WARNING) or result.reproduction is None:
            continue
        repro = result.reproduction
        details.append(
            f"<details><summary class='{result.outcome.value}'>{esc(result.check_id)} — "
            f"{esc(result.operation or '')}: {esc(result.message)}</summary>"
            f"<pre>{esc(repro.curl)}</pre><pre>{esc(repro.method)} {esc(repro.url)}\n"
            f"{esc(repro.request_body or '')}\n→ {esc(str(repro.status_code))}\n"
            f"{esc(repro.response_body or '')}</pre>"
            "</details>"
        )
    notes = "".join(f"<li>{esc(note)}</li>" for note in report.notes)
    settings = esc(json.dumps(report.settings, indent=2))
    return (
        "<!doctype html><html><head><meta charset='utf-8'>"
        f"<title>fluxq conformance — {esc(report.target)}</title><style>{_CSS}</style></head><body>"
        f"<h1>fluxq conformance — {esc(report.target)}</h1><p>{totals} in {report.duration_seconds:.1f} s</p>"
        "<table><tr><th>check</th><th>model</th><th>operation</th><th>outcome</th><th>n</th><th>message</th></tr>"
        f"{rows}</table><h2>Failures and warnings</h2>{''.join(details) or '<p>none</p>'}"
        f"<h2>Notes</h2><ul>{notes}</ul><h2>Settings</h2><pre>{settings}</pre></body></html>\n"
    )


def write_html(report: RunReport, path: Path, redact: Redactor) -> None:
    """Write the HTML page."""
    path.write_text(redact(render_html(report)), encoding="utf-8")
