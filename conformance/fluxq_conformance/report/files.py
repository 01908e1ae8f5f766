"""File reports: ``--report-json``, ``--junit`` and ``--html`` (the page itself: :mod:`.html`).

Every text written passes through the run's redactor once more, so no key reaches a file even if
a check forgot to redact.
"""

from __future__ import annotations

import json
from pathlib import Path

from junit_xml import TestCase, TestSuite, to_xml_report_string

from fluxq_conformance.checks.registry import describe
from fluxq_conformance.core.exchange import Redactor
from fluxq_conformance.core.results import Outcome, RunReport
from fluxq_conformance.report.html import render_html


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


def write_html(report: RunReport, path: Path, redact: Redactor) -> None:
    """Write the HTML page."""
    path.write_text(redact(render_html(report)), encoding="utf-8")
