"""A report shaped like a real run on a broken provider: many passing rows, one defect on three models."""

from __future__ import annotations

import pytest

from fluxq_conformance.checks.registry import all_checks
from fluxq_conformance.core.exchange import Exchange, Redactor, reproduce
from fluxq_conformance.core.results import CheckResult, Outcome, RunReport
from fluxq_conformance.core.spec import Kind, models, operation_for

SECRET = "sk-report-SECRET"


def _wrong_size(model: str) -> CheckResult:
    exchange = Exchange(
        "GET",
        f"http://127.0.0.1:9/model/v1/queue/{model}/requests/mmsu_1/response",
        {"authorization": f"Bearer {SECRET}"},
        None,
        200,
        {"content-type": "application/json"},
        b'{"request_id": "mmsu_1", "outputs": [{"type": "image", "url": "http://127.0.0.1:9/f.png", '
        b'"width": 1024, "height": 1024}], "metadata": {}}',
    )
    return CheckResult(
        "outputs.size",
        Outcome.FAILED,
        f"item says 1024×1024 but the image is 512×512 <{model}>",
        model,
        operation_for(model, Kind.RESULT).operation_id,
        reproduce(exchange, Redactor((SECRET,))),
    )


@pytest.fixture
def broken_report() -> RunReport:
    """Every registered check passing on every model and operation, except ``outputs.size`` (3 rows),
    one warning and one skipped reason: the failures would sit far below the fold if rendered late."""
    report = RunReport("http://127.0.0.1:9/model", {"seed": 0}, duration_seconds=12.5)
    for check_id in (declared.instance_id("failure.INFERENCE_FAILURE") for declared in all_checks()):
        for model in models():
            for kind in Kind:
                operation = operation_for(model, kind).operation_id
                for _ in range(3):  # several results per row: counts must stay rows
                    report.results.append(CheckResult(check_id, Outcome.PASSED, "ok", model, operation))
    report.results += [_wrong_size(model) for model in models()]
    report.results.append(
        CheckResult(
            "schema.negative_data_rejection",
            Outcome.WARNING,
            "unknown fields in the submit body were ignored, not refused (tolerated, §6)",
            models()[0],
            operation_for(models()[0], Kind.SUBMIT).operation_id,
        )
    )
    report.results.append(
        CheckResult(
            "lifecycle.failure.CONTENT_BLOCKED",
            Outcome.SKIPPED,
            "failures cannot be forced on this target",
            models()[0],
            operation_for(models()[0], Kind.RESULT).operation_id,
        )
    )
    report.notes.append("live target: schemathesis does not test submit")
    return report
