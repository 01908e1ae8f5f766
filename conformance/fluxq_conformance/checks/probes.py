"""Validation probes that work on a live provider too: what submit refuses and what it must accept.

schemathesis does not fuzz submit on a live target (every accepted submit is a billed task), so
these probes test submit validation there, cheaply and boundedly:

- **invalid probes** (free when the provider behaves): per model, one body per constraint family
  (``required``, ``type``, ``enum``, range, ``multipleOf``), each breaking exactly one constraint
  whose basis in the spec's ``x-fluxq-source`` is documented or evidence — at most 15 per run. Each
  must be refused with 400/422 and a JSON error body and create no task; one that is accepted is
  cancelled at once and reported (the tier follows the broken constraint's basis).
- **boundary probes** (budgeted: each creates a task, counted against ``--max-tasks``; they run with
  the lifecycle, the section that creates tasks): per model, one body at the documented edges
  (largest and smallest sizes, the highest safety tolerance, a negative seed). It must be accepted
  (2xx); the task is cancelled right away.

The probe bodies are derived from the spec, never spelled by hand here.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from fluxq_conformance.checks.registry import Basis, Family, declare
from fluxq_conformance.core.exchange import Exchange, Redactor, reproduce
from fluxq_conformance.core.provenance import basis_of
from fluxq_conformance.core.results import CheckResult, Outcome
from fluxq_conformance.core.session import BudgetExhausted, ProviderSession
from fluxq_conformance.core.spec import Kind, documented_body, load_spec, models, operation_for
from fluxq_conformance.core.trace import is_error_body

INVALID_REFUSED = declare(
    "schema.probe_invalid_refused",
    Family.SCHEMA,
    "A submit body that breaks one documented constraint (required, type, enum, range, multipleOf) "
    "is refused with 400/422 and a JSON error body, and creates no task (live-safe: at most 15 probes).",
    basis=Basis.DOCUMENTED,
    operation=Kind.SUBMIT,
    location="contract §6: invalid parameters at submit",
)
BOUNDARY_ACCEPTED = declare(
    "lifecycle.boundary_accepted",
    Family.LIFECYCLE,
    "A submit body at the documented edges (largest and smallest sizes, highest safety tolerance, a "
    "negative seed) is accepted (each probe is a billed task, counted against --max-tasks, cancelled "
    "at once).",
    basis=Basis.DOCUMENTED,
    operation=Kind.SUBMIT,
    location="contract §4: model parameters",
)
MAX_INVALID_PROBES = 15
REFUSAL_CODES = (400, 422)
FAMILIES = ("required", "type", "enum", "range", "multipleOf")


def _input_schema(model: str) -> tuple[dict[str, Any], dict[str, Any]]:
    spec = load_spec()
    components = spec["components"]
    body_name = _body_name(spec, model)
    return components["schemas"][body_name], components["schemas"]


def _body_name(spec: dict[str, Any], model: str) -> str:
    submit = operation_for(model, Kind.SUBMIT)
    operation = spec["paths"][submit.path]["post"]
    request_body = operation["requestBody"]["$ref"].rsplit("/", 1)[-1]
    media = spec["components"]["requestBodies"][request_body]["content"]["application/json"]
    return str(media["schema"]["$ref"].rsplit("/", 1)[-1])


def _resolved(node: dict[str, Any], schemas: dict[str, Any]) -> dict[str, Any]:
    if "$ref" in node:
        resolved: dict[str, Any] = schemas[node["$ref"].rsplit("/", 1)[-1]]
        return resolved
    return node


def _firm(node: dict[str, Any], keyword: str) -> bool:
    return basis_of(node, keyword) in ("documented", "evidence")


def invalid_bodies(model: str) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """One body per constraint family that breaks exactly one documented/evidence constraint.

    Yields:
        ``(family, what is broken, body)``.
    """
    schema, schemas = _input_schema(model)
    base = documented_body(model)
    properties = {name: _resolved(node, schemas) for name, node in schema.get("properties", {}).items()}
    for name in schema.get("required", []):
        if _firm(properties.get(name, {}), "required"):
            yield "required", f"{name} missing", {k: v for k, v in base.items() if k != name}
            break
    for name, node in properties.items():
        kinds = node.get("type")
        if kinds == "integer" and _firm(node, "type"):
            yield "type", f"{name} is a string", {**base, name: "not-a-number"}
            break
    for name, node in properties.items():
        if "enum" in node and _firm(node, "enum"):
            yield "enum", f"{name} outside {node['enum']}", {**base, name: "not-an-option"}
            break
    for name, node in properties.items():
        if "maximum" in node and _firm(node, "maximum"):
            yield "range", f"{name} above its maximum {node['maximum']}", {**base, name: node["maximum"] + 1}
            break
        if "minimum" in node and _firm(node, "minimum"):
            yield "range", f"{name} below its minimum {node['minimum']}", {**base, name: node["minimum"] - 1}
            break
    for name, node in properties.items():
        step = node.get("multipleOf")
        if isinstance(step, int) and step > 1 and _firm(node, "multipleOf"):
            value = int(node.get("minimum", 0)) + step + step // 2  # in range, not a multiple
            yield "multipleOf", f"{name}={value} is not a multiple of {step}", {**base, name: value}
            break


def boundary_body(model: str) -> tuple[str, dict[str, Any]]:
    """A valid body at the documented edges of ``model``'s parameters (and a negative seed)."""
    schema, schemas = _input_schema(model)
    body = documented_body(model)
    body.pop("input_image", None)  # placeholders are not images; the probe is about numbers
    edges = []
    sizes = [name for name in ("width", "height") if name in schema.get("properties", {})]
    for index, name in enumerate(sizes):
        node = _resolved(schema["properties"][name], schemas)
        # The largest documented size for the first side, the smallest for the second.
        value = node.get("maximum") if index == 0 and "maximum" in node else node.get("minimum")
        if value is not None:
            body[name] = value
            edges.append(f"{name}={value}")
    for name, node in schema.get("properties", {}).items():
        node = _resolved(node, schemas)
        if name == "safety_tolerance" and "maximum" in node:
            body[name] = node["maximum"]
            edges.append(f"{name}={node['maximum']}")
        if name == "seed":
            body[name] = -1
            edges.append("seed=-1")
    return ", ".join(edges), body


def _finding(check: str, outcome: Outcome, message: str, model: str, exchange: Exchange | None,
             redact: Redactor, basis: str | None = None) -> CheckResult:  # fmt: skip
    return CheckResult(
        check,
        outcome,
        message,
        model,
        operation_for(model, Kind.SUBMIT).operation_id,
        reproduce(exchange, redact) if exchange is not None else None,
        basis,
    )


def _cancel_at_once(session: ProviderSession, exchange: Exchange) -> None:
    request_id = exchange.json_object().get("request_id")
    if isinstance(request_id, str):
        cancel_url = session.open_tasks.get(request_id)
        if cancel_url:
            session.send("PUT", cancel_url)
        session.mark_finished(request_id)


def run_invalid_probes(session: ProviderSession) -> list[CheckResult]:
    """Send the invalid probes (at most :data:`MAX_INVALID_PROBES`) and judge each answer."""
    redact = session.redactor
    results: list[CheckResult] = []
    sent = 0
    for model in models():
        url = operation_for(model, Kind.SUBMIT).url(session.base_url)
        for family, broken, body in invalid_bodies(model):
            if sent >= MAX_INVALID_PROBES:
                return results
            sent += 1
            try:
                exchange = session.submit(url, body)
            except BudgetExhausted as error:
                results.append(
                    _finding(INVALID_REFUSED.id, Outcome.SKIPPED, f"{family}: {error}", model, None, redact)
                )
                continue
            code = exchange.status_code
            if code is not None and 200 <= code < 300:
                _cancel_at_once(session, exchange)
                message = f"{family}: accepted with {code} although {broken} (the task was cancelled at once)"
                results.append(_finding(INVALID_REFUSED.id, Outcome.FAILED, message, model, exchange, redact))
            elif code in REFUSAL_CODES and is_error_body(exchange.json()):
                message = f"{family}: {broken} → {code} with an error body"
                results.append(_finding(INVALID_REFUSED.id, Outcome.PASSED, message, model, exchange, redact))
            else:
                answered = _answered(exchange)
                message = f"{family}: {broken} {answered}, not 400/422 with a JSON error body"
                results.append(_finding(INVALID_REFUSED.id, Outcome.FAILED, message, model, exchange, redact))
    return results


def _answered(exchange: Exchange) -> str:
    """How a probe was answered: its status code, or why none came."""
    code = exchange.status_code
    return f"answered {code}" if code is not None else f"got no response ({exchange.error})"


def run_boundary_probes(session: ProviderSession) -> list[CheckResult]:
    """Submit one boundary body per model (budgeted) and cancel each accepted task at once."""
    redact = session.redactor
    results: list[CheckResult] = []
    for model in models():
        edges, body = boundary_body(model)
        url = operation_for(model, Kind.SUBMIT).url(session.base_url)
        try:
            exchange = session.submit(url, body)
        except BudgetExhausted as error:
            message = f"not probed ({edges}): {error}"
            results.append(_finding(BOUNDARY_ACCEPTED.id, Outcome.SKIPPED, message, model, None, redact))
            continue
        code = exchange.status_code
        if code is not None and 200 <= code < 300:
            _cancel_at_once(session, exchange)
            message = f"{edges} accepted with {code} (cancelled at once)"
            results.append(_finding(BOUNDARY_ACCEPTED.id, Outcome.PASSED, message, model, exchange, redact))
        else:
            answered = _answered(exchange)
            message = f"valid boundary values ({edges}) {answered}"
            results.append(_finding(BOUNDARY_ACCEPTED.id, Outcome.FAILED, message, model, exchange, redact))
    return results


def budget_line(sections: tuple[str, ...], max_tasks: int | None) -> str:
    """What a live run may cost, stated before it starts (no prices are published: tasks, not money)."""
    creates = "lifecycle" in sections or "outputs" in sections
    lifecycle = 2 * len(models()) if creates else 0
    probes = len(models()) if "lifecycle" in sections else 0
    planned = lifecycle + probes if max_tasks is None else min(max_tasks, lifecycle + probes)
    cap = "no cap" if max_tasks is None else f"--max-tasks {max_tasks}"
    invalid = f"up to {MAX_INVALID_PROBES} invalid-submit probes that a conforming provider refuses "
    invalid += "without creating a task" if "schema" in sections else ""
    return (
        f"live run: at most {planned} billed task(s) ({cap}): {lifecycle} lifecycle (a success and a "
        f"cancel per model), {probes} boundary probe(s) (one per model, cancelled at once)"
        + (f"; {invalid}" if "schema" in sections else "")
        + f". Estimated cost: {planned} image generation(s) at the provider's price."
    )
