"""``client.parses_responses``: the generated client parses every response shape the spec allows.

For each operation and documented status, bodies come from the spec's examples and from hypothesis
strategies built from the response schema (:mod:`fluxq_conformance.checks.json_strategies`). Each body is
served by an ``httpx.MockTransport`` and read through ``fluxq_api``'s ``_build_response`` path; the
parsed value must be of the documented class and must round-trip (``to_dict()`` equals the body).
"""

from __future__ import annotations

import importlib
from typing import Any

import httpx
from hypothesis import HealthCheck, given, seed, settings

from fluxq_api import Client
from fluxq_conformance.checks.json_strategies import from_schema
from fluxq_conformance.core.spec import Kind, SpecOperation, load_spec, operations

SERVER = "https://cloud.seaart.ai/model"


def _response_media(spec: dict[str, Any], operation: SpecOperation, status: int) -> dict[str, Any]:
    response = spec["paths"][operation.path][operation.method.lower()]["responses"][str(status)]
    while "$ref" in response:
        response = spec["components"]["responses"][response["$ref"].rsplit("/", 1)[-1]]
    media: dict[str, Any] = response["content"]["application/json"]
    return media


def expected_classes(schema: dict[str, Any], components: dict[str, Any]) -> frozenset[str]:
    """The attrs class names a body of ``schema`` may parse into (``anyOf`` expanded)."""
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        target = components["schemas"][name]
        if "anyOf" in target or "oneOf" in target:
            return expected_classes(target, components)
        return frozenset({name})
    found: set[str] = set()
    for item in schema.get("anyOf", []) + schema.get("oneOf", []):
        found |= expected_classes(item, components)
    return frozenset(found)


def _examples(media: dict[str, Any], components: dict[str, Any]) -> list[Any]:
    found = []
    for example in media.get("examples", {}).values():
        while "$ref" in example:
            example = components["examples"][example["$ref"].rsplit("/", 1)[-1]]
        found.append(example["value"])
    return found


def parse_through_client(operation: SpecOperation, status: int, body: Any) -> Any:
    """Serve ``body`` with ``status`` via a MockTransport and parse it with the generated module.

    Raises:
        Exception: Whatever the generated parser raises on the body.
    """
    module = importlib.import_module(f"fluxq_api.api.{operation.model}.{operation.operation_id}")
    transport = httpx.MockTransport(lambda _request: httpx.Response(status, json=body))
    client = Client(base_url=SERVER, httpx_args={"transport": transport})
    url = operation.url(SERVER, "mmsu_client_check")
    response = client.get_httpx_client().request(operation.method, url)
    return module._build_response(client=client, response=response).parsed


def judge_parse(operation: SpecOperation, status: int, body: Any, allowed: frozenset[str]) -> str | None:
    """Why the generated client mis-parses one body, or ``None`` when it parses faithfully."""
    try:
        parsed = parse_through_client(operation, status, body)
    except Exception as error:  # the generated parser may raise anything on a bad shape
        return f"{status} {body!r:.120}: the generated client raised {type(error).__name__}: {error}"
    name = type(parsed).__name__
    if name not in allowed:
        return f"{status} parsed as {name}, expected one of {sorted(allowed)}"
    round_trip = parsed.to_dict()
    if round_trip != body:
        return f"{status} {body!r:.120} round-trips as {round_trip!r:.120}"
    return None


def _draw(strategy: Any, max_examples: int, run_seed: int) -> list[Any]:
    drawn: list[Any] = []

    @seed(run_seed)
    @settings(
        max_examples=max_examples, database=None, deadline=None, suppress_health_check=list(HealthCheck)
    )
    @given(strategy)
    def collect(body: Any) -> None:
        drawn.append(body)

    collect()
    return drawn


def check_operation(operation: SpecOperation, max_examples: int, run_seed: int) -> tuple[int, list[str]]:
    """Feed every documented status of one operation; return (bodies tried, problems)."""
    spec = load_spec()
    components = spec["components"]
    problems: list[str] = []
    tried = 0
    for status in sorted(operation.statuses):
        media = _response_media(spec, operation, status)
        allowed = expected_classes(media["schema"], components)
        bodies = _examples(media, components)
        strategy = from_schema(media["schema"], components)

        bodies += _draw(strategy, max_examples, run_seed)
        for body in bodies:
            tried += 1
            problem = judge_parse(operation, status, body, allowed)
            if problem:
                problems.append(problem)
    return tried, problems


def response_operations() -> list[SpecOperation]:
    """Every operation (all four kinds have documented response bodies)."""
    return [operation for operation in operations() if operation.kind in Kind]
