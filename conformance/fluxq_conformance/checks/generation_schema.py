"""Schema checks of a generation-format provider: schemathesis 4 over the generation document.

The same engine and phases as :mod:`fluxq_conformance.checks.schema` (examples, coverage, fuzzing,
and the stateful phase following the create → poll link), pointed at
``spec/fluxq.generation.openapi.yaml``; one result per ``schema.generation.<check>`` and operation.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import schemathesis
from schemathesis.config import SchemathesisConfig
from schemathesis.engine import events, from_schema

import fluxq_spec
from fluxq_conformance.checks.registry import Basis, Family, declare
from fluxq_conformance.checks.schema import PHASES, SchemaSettings, _exchange_from, engine_config
from fluxq_conformance.core.exchange import Redactor, reproduce
from fluxq_conformance.core.results import CheckResult, Outcome, Reproduction

_CHECKS: dict[str, tuple[str, Basis]] = {
    "not_a_server_error": (
        "Generation format: no request the document allows (or fuzzes) gets a 5xx.",
        Basis.DOCUMENTED,
    ),
    "status_code_conformance": (
        "Generation format: every response status is declared for its operation.",
        Basis.CHOICE,
    ),
    "content_type_conformance": (
        "Generation format: every response media type is application/json.",
        Basis.CHOICE,
    ),
    "response_schema_conformance": (
        "Generation format: every response body validates against its declared schema.",
        Basis.CHOICE,
    ),
    "negative_data_rejection": (
        "Generation format: requests the document forbids are refused with 4xx.",
        Basis.CHOICE,
    ),
    "positive_data_acceptance": (
        "Generation format: requests the document allows are accepted.",
        Basis.CHOICE,
    ),
}
CHECKS = {
    name: declare(f"schema.generation.{name}", Family.SCHEMA, text, basis=basis)
    for name, (text, basis) in _CHECKS.items()
}
OPERATIONS = {
    "POST /v1/generation": "create_generation",
    "GET /v1/generation/task/{task_id}": "get_generation_task",
}


@dataclass
class _Tally:
    passed: int = 0
    failures: list[tuple[str, Reproduction | None]] = field(default_factory=list)


def _config(settings: SchemaSettings) -> SchemathesisConfig:
    return engine_config(settings, _CHECKS, ["create_generation"])


def run_generation_schema_checks(
    settings: SchemaSettings, redact: Redactor
) -> tuple[list[CheckResult], list[str]]:
    """Run schemathesis over the generation document against ``settings.base_url``.

    Returns:
        The results (one per check and operation) and the engine's non-fatal errors.
    """
    path = fluxq_spec.spec_path(fluxq_spec.GENERATION_SPEC)
    schema = schemathesis.openapi.from_path(str(path), config=_config(settings))
    tallies: dict[tuple[str, str | None], _Tally] = defaultdict(_Tally)
    errors: list[str] = []
    for event in from_schema(schema).execute():
        if isinstance(event, events.ScenarioFinished):
            recorder = event.recorder
            for case_id, nodes in recorder.checks.items():
                for node in nodes:
                    if node.name not in _CHECKS:
                        continue
                    label = recorder.label
                    if node.failure_info is not None:
                        label = node.failure_info.failure.operation or label
                    elif label not in OPERATIONS:
                        case_node = recorder.cases.get(case_id)
                        label = case_node.value.operation.label if case_node is not None else label
                    tally = tallies[(node.name, OPERATIONS.get(label))]
                    if node.failure_info is None:
                        tally.passed += 1
                        continue
                    failure = node.failure_info.failure
                    exchange = _exchange_from(recorder.interactions.get(case_id))
                    evidence = reproduce(exchange, redact) if exchange else None
                    tally.failures.append((f"{failure.title}: {failure.message}".strip(), evidence))
        elif isinstance(event, events.NonFatalError):
            errors.append(f"{event.label}: {event.info.title}: {event.info.message}")
        elif isinstance(event, events.FatalError):
            errors.append(f"fatal: {event.exception}")
    results = []
    for (name, operation), tally in sorted(tallies.items(), key=lambda item: (item[0][0], item[0][1] or "")):
        check_id = CHECKS[name].id
        if tally.failures:
            message, evidence = tally.failures[0]
            extra = f" (+{len(tally.failures) - 1} more)" if len(tally.failures) > 1 else ""
            results.append(
                CheckResult(check_id, Outcome.FAILED, redact(message) + extra, None, operation, evidence)
            )
        else:
            results.append(
                CheckResult(check_id, Outcome.PASSED, f"{tally.passed} responses checked", None, operation)
            )
    return results, errors


__all__ = ["CHECKS", "PHASES", "SchemaSettings", "run_generation_schema_checks"]
