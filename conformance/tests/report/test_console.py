"""The console report as a reader sees it: failures first and grouped, counts in rows, table on demand."""

from __future__ import annotations

import io

from rich.console import Console

from fluxq_conformance.core.results import RunReport
from fluxq_conformance.report.console import render


def _text(report: RunReport, *, verbose: bool = False) -> str:
    out = io.StringIO()
    render(report, Console(file=out, width=120, highlight=False, color_system=None), verbose=verbose)
    return out.getvalue()


def test_failures_come_first_grouped_by_rule_with_models_listed_once(broken_report: RunReport) -> None:
    text = _text(broken_report)
    lines = text.splitlines()
    assert lines[1].startswith("FAILED: 1 rule broken on 3 rows")
    first_failure = text.index("✗ outputs.size")
    assert first_failure < text.index("summary per section")
    assert text.count("✗ outputs.size") == 1  # one rule, one block, not three
    header = next(line for line in lines if line.startswith("✗ outputs.size"))
    assert "failed on 3 rows" in header
    assert "models: flux_2_pro, flux_kontext_pro, flux_pro_11" in header
    assert "pixel size matches" in text  # the check's description
    assert "basis     choice · spec: " in text  # outputs.size is a fluxq choice (contract §6)
    assert "spec: spec/fluxq.openapi.yaml" in text
    for model in ("flux_2_pro", "flux_kontext_pro", "flux_pro_11"):
        assert f"result_{model}: item says 1024×1024 but the image is 512×512 <{model}>" in text
    assert "request   GET http://127.0.0.1:9/model/v1/queue/" in text
    assert "response  200 application/json" in text
    assert '"authorization: Bearer $FLUXQ_API_KEY"' in text
    assert "sk-report-SECRET" not in text


def test_warnings_follow_failures_and_skips_say_why(broken_report: RunReport) -> None:
    text = _text(broken_report)
    assert text.index("✗ outputs.size") < text.index("! schema.negative_data_rejection")
    reason = "skipped 1 row: failures cannot be forced on this target (lifecycle.failure.CONTENT_BLOCKED)"
    assert reason in text
    assert "note: live target: schemathesis does not test submit" in text


def test_counts_are_rows_and_the_table_needs_verbose(broken_report: RunReport) -> None:
    rows = broken_report.rows()
    totals = broken_report.totals()
    assert sum(totals.values()) == len(rows) < len(broken_report.results)
    assert totals["failed"] == 3
    quiet = _text(broken_report)
    assert "every row (check × model × operation)" not in quiet
    assert "every row: --verbose" in quiet
    assert len(quiet.splitlines()) < 80  # one screen-ish, although the run has hundreds of rows
    loud = _text(broken_report, verbose=True)
    assert "every row (check × model × operation)" in loud
    assert loud.count("auth.missing") >= 12
    # The last line is the verdict, so the end of a scrolled terminal says how the run went.
    assert loud.strip().splitlines()[-1].startswith("FAILED: 1 rule broken on 3 rows")
