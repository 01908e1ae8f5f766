"""Client checks: the fluxq client against the spec, offline (hypothesis + MockTransport).

- ``client.request_valid``: valid parameters become one spec-valid request with the same values;
- ``client.invalid_refused``: parameters the spec forbids raise ``fluxq.ValidationError``, nothing sent;
- ``client.parses_responses``: every response shape the spec allows parses into the documented model.
"""

from __future__ import annotations

import functools
from typing import Any

import pydantic
from jsonschema import Draft202012Validator  # type: ignore[import-untyped]  # the venv has no stubs

import fluxq_models
from fluxq_conformance.checks.client_requests import (
    generate_bodies,
    judge_invalid,
    judge_valid,
    submit_through_wrapper,
    targeted_invalid_bodies,
)
from fluxq_conformance.checks.client_responses import check_operation, response_operations
from fluxq_conformance.checks.registry import Family, declare
from fluxq_conformance.core.results import CheckResult, Outcome
from fluxq_conformance.core.spec import Kind, load_spec, models, operation_for

REQUEST_VALID = declare(
    "client.request_valid",
    Family.CLIENT,
    "Parameters valid under fluxq_models become, through fluxq.Client and fluxq_api, one request "
    "openapi-core validates against the spec, values unchanged.",
    operation=Kind.SUBMIT,
)
INVALID_REFUSED = declare(
    "client.invalid_refused",
    Family.CLIENT,
    "Parameters the spec forbids raise fluxq.ValidationError and nothing is sent (normalised into a "
    "valid request instead → warning). An explicit None in a parameter mapping means 'omit the "
    "field' (documented wrapper behaviour): sent without it, valid, that passes.",
    operation=Kind.SUBMIT,
)
PARSES_RESPONSES = declare(
    "client.parses_responses",
    Family.CLIENT,
    "Every response shape the spec allows (examples and generated bodies) parses through fluxq_api "
    "into the documented model and round-trips.",
)


def _body_schema_ref(model: str) -> str:
    spec = load_spec()
    submit = operation_for(model, Kind.SUBMIT)
    body_ref = spec["paths"][submit.path]["post"]["requestBody"]["$ref"].rsplit("/", 1)[-1]
    ref: str = spec["components"]["requestBodies"][body_ref]["content"]["application/json"]["schema"]["$ref"]
    return ref


@functools.cache
def _validator(model: str) -> Any:
    return Draft202012Validator({"components": load_spec()["components"], "$ref": _body_schema_ref(model)})


def spec_valid(model: str, body: Any) -> bool:
    """Whether a submit body is valid under the spec's JSON Schema."""
    return bool(_validator(model).is_valid(body))


def models_valid(model: str, body: Any) -> bool:
    """Whether ``fluxq_models`` accepts a body (strict pydantic, the spec's constraints)."""
    input_model: type[pydantic.BaseModel] = getattr(fluxq_models, _body_schema_ref(model).rsplit("/", 1)[-1])
    try:
        input_model.model_validate(body, strict=True)
    except pydantic.ValidationError:
        return False
    return True


def _result(
    check_id: str, model: str | None, op_id: str | None, tried: int, findings: list[tuple[str, str]]
) -> CheckResult:
    failed = [message for outcome, message in findings if outcome == "failed"]
    warned = [message for outcome, message in findings if outcome == "warning"]
    if failed:
        extra = f" (+{len(failed) - 1} more)" if len(failed) > 1 else ""
        return CheckResult(check_id, Outcome.FAILED, failed[0] + extra, model, op_id)
    if warned:
        extra = f" (+{len(warned) - 1} more)" if len(warned) > 1 else ""
        return CheckResult(check_id, Outcome.WARNING, warned[0] + extra, model, op_id)
    if tried == 0:
        return CheckResult(check_id, Outcome.SKIPPED, "no example to try", model, op_id)
    return CheckResult(check_id, Outcome.PASSED, f"{tried} examples", model, op_id)


def run_request_checks(max_examples: int, run_seed: int) -> list[CheckResult]:
    """``client.request_valid`` and ``client.invalid_refused`` for every model."""
    results = []
    for model in models():
        op_id = operation_for(model, Kind.SUBMIT).operation_id
        valid_tried, valid_findings = 0, []
        for body in generate_bodies(model, negative=False, max_examples=max_examples, run_seed=run_seed):
            if isinstance(body, dict) and models_valid(model, body):
                valid_tried += 1
                finding = judge_valid(model, submit_through_wrapper(model, body))
                if finding:
                    valid_findings.append(finding)
        results.append(_result(REQUEST_VALID.id, model, op_id, valid_tried, valid_findings))
        invalid_tried, invalid_findings = 0, []
        drawn = generate_bodies(model, negative=True, max_examples=max_examples, run_seed=run_seed)
        for body in targeted_invalid_bodies(model) + drawn:
            if isinstance(body, dict) and not spec_valid(model, body):
                invalid_tried += 1
                finding = judge_invalid(model, submit_through_wrapper(model, body))
                if finding:
                    invalid_findings.append(finding)
        results.append(_result(INVALID_REFUSED.id, model, op_id, invalid_tried, invalid_findings))
    return results


def run_response_checks(max_examples: int, run_seed: int) -> list[CheckResult]:
    """``client.parses_responses`` for every operation."""
    results = []
    for operation in response_operations():
        tried, problems = check_operation(operation, max_examples, run_seed)
        findings = [("failed", problem) for problem in problems]
        results.append(_result(PARSES_RESPONSES.id, operation.model, operation.operation_id, tried, findings))
    return results


def run_client_checks(max_examples: int, seed: int) -> list[CheckResult]:
    """Run every client check (offline; the target plays no part)."""
    return run_request_checks(max_examples, seed) + run_response_checks(max_examples, seed)
