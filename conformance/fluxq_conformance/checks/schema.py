"""Schema checks: schemathesis 4, driven through its engine, mapped into fluxq check results.

Runs the examples, coverage, fuzzing and stateful phases (the stateful phase follows the spec's
links submit → status/result/cancel) with schemathesis' built-in checks, and reports one result
per ``schema.<check>`` and operation. A ``filter_failure`` hook applies the contract's tolerances
(:mod:`fluxq_conformance.checks.tolerance`): tolerated failures become warnings or are dropped.

Why the engine and not ``st run``: its events carry every check node and interaction, so results
map straight into the report model without parsing a JUnit file.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import schemathesis
from schemathesis.config import SchemathesisConfig
from schemathesis.engine import events, from_schema

from fluxq_conformance.checks.documented import failure_detail
from fluxq_conformance.checks.registry import Basis, Family, declare
from fluxq_conformance.checks.tolerance import (
    acceptance_basis,
    inexpressible_reason,
    is_state_refusal,
    only_unknown_fields,
)
from fluxq_conformance.core.exchange import Exchange, Redactor, reproduce
from fluxq_conformance.core.results import CheckResult, Outcome, Reproduction
from fluxq_conformance.core.spec import Kind, SpecOperation, operations
from fluxq_spec import spec_path

#: schemathesis' built-in checks that a run enables, with what each asserts here.
_SCHEMATHESIS_CHECKS: dict[str, tuple[str, Basis]] = {
    "not_a_server_error": ("No request the spec allows (or fuzzes) gets a 5xx.", Basis.DOCUMENTED),
    "status_code_conformance": ("Every response status is documented for its operation.", Basis.CHOICE),
    "content_type_conformance": (
        "Every response media type is documented (application/json).",
        Basis.CHOICE,
    ),
    "response_headers_conformance": ("Documented response headers are present and valid.", Basis.CHOICE),
    "response_schema_conformance": (
        "Every response body validates against its documented schema (the shapes are documented).",
        Basis.DOCUMENTED,
    ),
    "negative_data_rejection": (
        "Requests the spec forbids are refused with 4xx; for submit bodies the tier follows the basis "
        'of the broken constraint in the spec\'s x-fluxq-source (a documented range fails; prompt "", '
        "an explicit null, the aspect_ratio pattern or unknown fields warn).",
        Basis.CHOICE,
    ),
    "positive_data_acceptance": (
        "Requests the spec allows are accepted (state refusals such as cancel-after-done are "
        "conforming; refusing image data the spec cannot describe → warning).",
        Basis.CHOICE,
    ),
    "ignored_auth": (
        "Operations that require auth refuse requests without or with wrong credentials.",
        Basis.CHOICE,
    ),
    "missing_required_header": ("Requests missing a required header are refused with 4xx.", Basis.CHOICE),
    "unsupported_method": ("Undocumented methods on documented paths answer 405.", Basis.CHOICE),
}
SCHEMA_CHECKS = tuple(_SCHEMATHESIS_CHECKS)
CHECKS = {
    name: declare(f"schema.{name}", Family.SCHEMA, text, basis=basis)
    for name, (text, basis) in _SCHEMATHESIS_CHECKS.items()
}
PHASES = ("examples", "coverage", "fuzzing", "stateful")


@dataclass(frozen=True)
class SchemaSettings:
    """How deep schemathesis goes.

    Attributes:
        base_url: The provider's base URL.
        authorization: The ``Authorization`` header value to send.
        max_examples: Hypothesis examples per operation and phase.
        seed: The run's seed (deterministic by default).
        stateful_steps: Steps of the stateful phase.
        include_submit: Whether submit operations (which create billed tasks) are tested.
        phases: The phases to run.
        request_timeout: Seconds per request.
    """

    base_url: str
    authorization: str
    max_examples: int = 10
    seed: int = 0
    stateful_steps: int = 10
    include_submit: bool = True
    phases: tuple[str, ...] = PHASES
    request_timeout: float = 10.0


@dataclass
class _Tally:
    passed: int = 0
    failures: list[tuple[str, Reproduction | None, str | None]] = field(default_factory=list)
    warnings: list[tuple[str, Reproduction | None]] = field(default_factory=list)


def engine_config(
    settings: SchemaSettings, checks: Iterable[str], billed_operations: Iterable[str]
) -> SchemathesisConfig:
    """schemathesis' configuration for one run: only ``checks`` on, ``billed_operations`` (those that
    create tasks) off unless ``settings.include_submit``; shared by both API formats."""
    excluded = [] if settings.include_submit else list(billed_operations)
    data: dict[str, Any] = {
        "seed": settings.seed,
        "cache": {"enabled": False},
        "base-url": settings.base_url,
        "headers": {"Authorization": settings.authorization},
        "workers": 1,
        "request-timeout": settings.request_timeout,
        "generation": {"max-examples": settings.max_examples, "database": "none", "deterministic": False},
        "checks": {"enabled": False, **{name: {"enabled": True} for name in checks}},
        "phases": {
            "examples": {"enabled": "examples" in settings.phases},
            "coverage": {"enabled": "coverage" in settings.phases},
            "fuzzing": {"enabled": "fuzzing" in settings.phases},
            "stateful": {
                "enabled": "stateful" in settings.phases and settings.include_submit,
                "max-steps": settings.stateful_steps,
            },
        },
    }
    if excluded:
        data["operations"] = [{"include-operation-id": op_id, "enabled": False} for op_id in excluded]
    return SchemathesisConfig.from_dict(data)


def _config(settings: SchemaSettings) -> SchemathesisConfig:
    submits = [op.operation_id for op in operations() if op.kind is Kind.SUBMIT]
    return engine_config(settings, SCHEMA_CHECKS, submits)


def _operation_for_label(label: str) -> SpecOperation | None:
    method, _, path = label.partition(" ")
    for operation in operations():
        if operation.method == method and operation.path == path:
            return operation
    return None


def _exchange_from(interaction: Any) -> Exchange | None:
    if interaction is None:
        return None
    request, response = interaction.request, interaction.response
    headers = {name.lower(): ", ".join(values) for name, values in request.headers.items()}
    if response is None:
        return Exchange(request.method, request.uri, headers, request.body, None, error="no response")
    response_headers = {name.lower(): ", ".join(values) for name, values in response.headers.items()}
    return Exchange(
        request.method,
        request.uri,
        headers,
        request.body,
        response.status_code,
        response_headers,
        response.content,
    )


class SchemaRun:
    """One schemathesis run; collects per-(check, operation) tallies."""

    def __init__(
        self, settings: SchemaSettings, redact: Redactor, progress: Callable[[str], None] | None = None
    ) -> None:
        self.settings = settings
        self.redact = redact
        self.progress = progress
        self.tallies: dict[tuple[str, str | None], _Tally] = defaultdict(_Tally)
        self.errors: list[str] = []
        self._lock = threading.Lock()

    def _tolerate(self, failure: Any, case: Any, response: Any) -> bool:
        """The ``filter_failure`` hook: False drops the failure (recorded here as a warning or a pass)."""
        check = (failure.checks or ("?",))[0]
        operation = _operation_for_label(case.operation.label)
        op_id = operation.operation_id if operation else None
        url = str(response.request.url)
        method = str(response.request.method)
        exchange = Exchange(
            method,
            url,
            {k.lower(): str(v) for k, v in response.request.headers.items()},
            response.request.body if isinstance(response.request.body, bytes) else None,
            response.status_code,
            {k.lower(): ", ".join(v) for k, v in response.headers.items()},
            response.content,
        )
        reason: str | None = None
        if check == "positive_data_acceptance" and is_state_refusal(method, url, response.status_code):
            with self._lock:
                self.tallies[(check, op_id)].passed += 1
            return False
        if check == "positive_data_acceptance" and op_id and operation and operation.kind is Kind.SUBMIT:
            found = inexpressible_reason(op_id, case.body)
            reason = f"valid body refused with {response.status_code}: {found}" if found else None
        is_submit = op_id is not None and operation is not None and operation.kind is Kind.SUBMIT
        if check == "negative_data_rejection" and is_submit and only_unknown_fields(str(op_id), case.body):
            reason = "unknown fields in the submit body were ignored, not refused (tolerated, §6)"
        elif check == "negative_data_rejection" and is_submit:
            # The tier follows from the spec: the basis of the constraints the accepted body breaks.
            basis, broken = acceptance_basis(str(op_id), case.body)
            message = f"invalid submit body accepted with {response.status_code}: breaks {broken}"
            if basis != "choice":
                with self._lock:
                    self.tallies[(check, op_id)].failures.append(
                        (message, reproduce(exchange, self.redact), basis)
                    )
                return False
            reason = message + " — only fluxq choices, which a faithful provider may not share"
        if reason is None:
            return True
        with self._lock:
            self.tallies[(check, op_id)].warnings.append((reason, reproduce(exchange, self.redact)))
        return False

    def execute(self) -> None:
        """Run schemathesis to the end, tallying every check node."""
        schema = schemathesis.openapi.from_path(str(spec_path()), config=_config(self.settings))
        schema.hook("filter_failure")(
            lambda _ctx, failure, case, response: self._tolerate(failure, case, response)
        )
        phase, scenarios = "", 0
        for event in from_schema(schema).execute():
            if isinstance(event, events.PhaseStarted):
                phase = str(getattr(event.phase, "name", event.phase)).lower()
            if isinstance(event, events.ScenarioFinished):
                self._tally(event.recorder)
                scenarios += 1
                if self.progress is not None:
                    self.progress(f"schema: {phase} phase · {scenarios} schemathesis scenarios")
            elif isinstance(event, events.NonFatalError):
                self.errors.append(f"{event.label}: {event.info.title}: {event.info.message}")
            elif isinstance(event, events.FatalError):
                self.errors.append(f"fatal: {event.exception}")

    def _tally(self, recorder: Any) -> None:
        for case_id, nodes in recorder.checks.items():
            for node in nodes:
                if node.name not in SCHEMA_CHECKS:
                    continue
                label = recorder.label
                if node.failure_info is not None:
                    label = node.failure_info.failure.operation or label
                elif label not in {f"{op.method} {op.path}" for op in operations()}:
                    case_node = recorder.cases.get(case_id)
                    label = case_node.value.operation.label if case_node is not None else label
                operation = _operation_for_label(label)
                key = (node.name, operation.operation_id if operation else None)
                with self._lock:
                    tally = self.tallies[key]
                    if node.failure_info is None:
                        tally.passed += 1
                        continue
                    failure = node.failure_info.failure
                    exchange = _exchange_from(recorder.interactions.get(case_id))
                    evidence = reproduce(exchange, self.redact) if exchange else None
                    tally.failures.append((failure_detail(failure), evidence, None))

    def results(self) -> list[CheckResult]:
        """One result per (check, operation) that ran."""
        by_operation = {op.operation_id: op for op in operations()}
        found: list[CheckResult] = []
        for (check, op_id), tally in sorted(
            self.tallies.items(), key=lambda item: (item[0][0], item[0][1] or "")
        ):
            model = by_operation[op_id].model if op_id in by_operation else None
            check_id = CHECKS[check].id
            if tally.failures:
                # The strongest finding speaks for the (check, operation): a documented one first.
                message, evidence, basis = min(
                    tally.failures, key=lambda item: 0 if item[2] in ("documented", "evidence") else 1
                )
                extra = f" (+{len(tally.failures) - 1} more)" if len(tally.failures) > 1 else ""
                found.append(
                    CheckResult(
                        check_id,
                        Outcome.FAILED,
                        self.redact(message) + extra,
                        model,
                        op_id,
                        evidence,
                        basis=basis,
                    )
                )
            elif tally.warnings:
                message, evidence = tally.warnings[0]
                extra = f" (+{len(tally.warnings) - 1} more)" if len(tally.warnings) > 1 else ""
                found.append(CheckResult(check_id, Outcome.WARNING, message + extra, model, op_id, evidence))
            else:
                found.append(
                    CheckResult(check_id, Outcome.PASSED, f"{tally.passed} responses checked", model, op_id)
                )
        return found


def run_schema_checks(
    settings: SchemaSettings, redact: Redactor, progress: Callable[[str], None] | None = None
) -> tuple[list[CheckResult], list[str]]:
    """Run schemathesis against a provider (``progress`` gets a line per finished scenario).

    Returns:
        The check results and the engine's error lines (shown as report notes).
    """
    run = SchemaRun(settings, redact, progress)
    run.execute()
    return run.results(), run.errors
