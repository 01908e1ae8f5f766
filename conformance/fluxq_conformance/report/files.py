"""File reports: ``--report-json``, ``--junit`` and ``--html`` (the page itself: :mod:`.html`).

Every value written passes through the run's redactor once more, value by value before the
document is serialised (never a text replace over the finished JSON, XML or HTML), so no key
reaches a file even if a check forgot to redact, and no markup is corrupted.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

from junit_xml import TestCase, TestSuite, to_xml_report_string

from fluxq_conformance.checks.registry import describe
from fluxq_conformance.core.exchange import Redactor
from fluxq_conformance.core.results import CheckResult, Outcome, Reproduction, RunReport
from fluxq_conformance.report.html import render_html


def write_json(report: RunReport, path: Path, redact: Redactor) -> None:
    """Write the JSON report (target, settings, every check, totals)."""
    document = redact.tree(report.to_dict())
    used = dict.fromkeys(result.check_id for result in report.results)
    document["catalog"] = {check_id: describe(check_id) for check_id in used}
    text = json.dumps(document, indent=2, ensure_ascii=False)
    path.write_text(text + "\n", encoding="utf-8")


def redacted(report: RunReport, redact: Redactor) -> RunReport:
    """A copy of the report with every string value redacted (messages, notes, reproductions)."""

    def result(item: CheckResult) -> CheckResult:
        reproduction = item.reproduction
        if reproduction is not None:
            reproduction = Reproduction(**redact.tree(reproduction.to_dict()))
        return dataclasses.replace(item, message=redact(item.message), reproduction=reproduction)

    return dataclasses.replace(
        report,
        target=redact(report.target),
        settings=redact.tree(report.settings),
        results=[result(item) for item in report.results],
        notes=[redact(note) for note in report.notes],
    )


def write_junit(report: RunReport, path: Path, redact: Redactor) -> None:
    """Write a JUnit XML file: one test case per check result, grouped by check family."""
    report = redacted(report, redact)
    suites: dict[str, list[TestCase]] = {}
    for result in report.results:
        family = result.check_id.split(".", 1)[0]
        name = f"{result.check_id}[{result.operation or result.model or 'run'}]"
        case = TestCase(name=name, classname=f"fluxq.{family}")
        detail = result.message + (f"\n{result.reproduction.curl}" if result.reproduction else "")
        if result.outcome is Outcome.FAILED:
            case.add_failure_info(message=result.message, output=detail)
        elif result.outcome is Outcome.ERROR:
            case.add_error_info(message=result.message, output=detail)
        elif result.outcome in (Outcome.SKIPPED, Outcome.UNSUPPORTED):
            case.add_skipped_info(message=result.message)
        elif result.outcome is Outcome.WARNING:
            case.stdout = f"warning: {detail}"
        suites.setdefault(family, []).append(case)
    xml = to_xml_report_string([TestSuite(f"fluxq.{family}", cases) for family, cases in suites.items()])
    path.write_text(xml, encoding="utf-8")


def write_html(report: RunReport, path: Path, redact: Redactor) -> None:
    """Write the HTML page."""
    path.write_text(render_html(redacted(report, redact)), encoding="utf-8")
