"""Pure parts: contract tolerances, reports (escaping, totals, exit codes), curl lines."""

from __future__ import annotations

import json
from pathlib import Path

from fluxq_conformance.checks.documented import undocumented_reason
from fluxq_conformance.checks.tolerance import inexpressible_reason, is_state_refusal, only_unknown_fields
from fluxq_conformance.core.exchange import Exchange, Redactor, reproduce, to_curl
from fluxq_conformance.core.results import CheckResult, Outcome, RunReport
from fluxq_conformance.report.files import render_html, write_json, write_junit

BASE = "https://cloud.seaart.ai/model/v1/queue"


def test_only_unknown_fields_tells_extra_fields_from_other_faults() -> None:
    assert only_unknown_fields("submit_flux_pro_11", {"prompt": "a", "typo": 1})
    assert not only_unknown_fields("submit_flux_pro_11", {"prompt": "a", "typo": 1, "width": 500})
    assert not only_unknown_fields("submit_flux_pro_11", {"typo": 1})


def test_inexpressible_reason_names_image_fields_and_integral_floats() -> None:
    reason = inexpressible_reason("submit_flux_2_pro", {"prompt": "a", "input_image": "zz", "seed": 1.0})
    assert reason is not None
    assert "input_image" in reason
    assert "seed" in reason
    assert inexpressible_reason("submit_flux_2_pro", {"prompt": "a", "seed": 1}) is None


def test_state_refusals_are_documented_answers_only_for_cancel_and_result() -> None:
    assert is_state_refusal("PUT", f"{BASE}/flux_pro_11/requests/x/cancel", 400)
    assert is_state_refusal("GET", f"{BASE}/flux_pro_11/requests/x/response", 410)
    assert not is_state_refusal("GET", f"{BASE}/flux_pro_11/requests/x/status", 400)
    assert not is_state_refusal("POST", f"{BASE}/flux_pro_11", 400)


def _exchange() -> Exchange:
    return Exchange(
        "POST",
        f"{BASE}/flux_pro_11",
        {"authorization": "Bearer sk-SECRET", "content-type": "application/json"},
        b'{"prompt": "it\'s <b>"}',
        401,
        {"content-type": "application/json"},
        b'{"error": {"code": "UNAUTHORIZED", "message": "<script>alert(1)</script>"}}',
    )


def test_curl_line_uses_the_placeholder_and_survives_quotes() -> None:
    curl = to_curl(_exchange(), Redactor(("sk-SECRET",)))
    assert "sk-SECRET" not in curl
    assert '"authorization: Bearer $FLUXQ_API_KEY"' in curl
    assert '--data \'{"prompt": "it\'"\'"\'s <b>"}\'' in curl


def _report() -> RunReport:
    evidence = reproduce(_exchange(), Redactor(("sk-SECRET",)))
    report = RunReport("<target>", {"seed": 0})
    report.results = [
        CheckResult(
            "auth.missing", Outcome.FAILED, "answered <200>", "flux_pro_11", "submit_flux_pro_11", evidence
        ),
        CheckResult("auth.wrong", Outcome.PASSED, "401", "flux_pro_11", "submit_flux_pro_11"),
        CheckResult("auth.scheme.key", Outcome.SKIPPED, "not offered", "flux_pro_11", "status_flux_pro_11"),
    ]
    return report


def test_totals_and_exit_codes() -> None:
    report = _report()
    assert report.totals() == {
        "passed": 1,
        "unsupported": 0,
        "skipped": 1,
        "warning": 0,
        "error": 0,
        "failed": 1,
    }
    assert report.exit_code() == 1
    report.results = report.results[1:]
    assert report.exit_code() == 0


def test_html_escapes_everything() -> None:
    page = render_html(_report())
    assert "<script>alert(1)" not in page  # the page's own search script is the only <script>
    assert page.count("<script>") == 1
    assert "&lt;script&gt;" in page
    assert "&lt;target&gt;" in page
    assert "sk-SECRET" not in page


def test_json_and_junit_files(tmp_path: Path) -> None:
    redact = Redactor(("sk-SECRET",))
    write_json(_report(), tmp_path / "r.json", redact)
    write_junit(_report(), tmp_path / "r.xml", redact)
    document = json.loads((tmp_path / "r.json").read_text())
    assert document["totals"]["failed"] == 1
    assert document["checks"][0]["reproduction"]["curl"].startswith("curl -X POST")
    junit = (tmp_path / "r.xml").read_text()
    assert "<failure" in junit
    assert "<skipped" in junit


def _status_reply(status: int, body: object) -> Exchange:
    return Exchange(
        "GET",
        f"{BASE}/flux_pro_11/requests/mmsu_x/status",
        {},
        None,
        status,
        {"content-type": "application/json"},
        json.dumps(body).encode(),
    )


def test_documented_responses_pass_and_each_violation_is_named() -> None:
    assert undocumented_reason(_status_reply(200, {"status": "IN_PROGRESS", "request_id": "mmsu_x"})) is None
    one = undocumented_reason(_status_reply(200, {"status": "RUNNING", "request_id": "mmsu_x"}))
    assert one is not None
    assert one.startswith("status_flux_pro_11 200: ")
    # An error body under 200 breaks the status schema in two distinct ways: schemathesis raises an
    # exception group (not an AssertionError), which must become a finding, not end the run.
    error_body = {"error": {"code": "UNAUTHORIZED", "message": "no key"}}
    several = undocumented_reason(_status_reply(200, error_body))
    assert several is not None
    assert several.startswith("status_flux_pro_11 200: ")
