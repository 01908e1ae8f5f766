"""Live-safe validation probes against the reference provider and variants that break or keep the rules."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from variants import Mutant, Scope

from fluxq_conformance.checks.probes import (
    MAX_INVALID_PROBES,
    boundary_body,
    invalid_bodies,
    run_boundary_probes,
    run_invalid_probes,
)
from fluxq_conformance.core.results import Outcome
from fluxq_conformance.core.session import AuthScheme, ProviderSession, TaskBudget
from fluxq_conformance.core.spec import models
from fluxq_conformance.run.targets import reference_config
from fluxq_reference import DEMO_API_KEY, create_app
from fluxq_reference.server import serve_in_thread


def _rewrite_body(
    change: Callable[[dict[str, Any]], dict[str, Any]],
) -> Callable[[Scope, bytes], tuple[Scope, bytes]]:
    def rewrite(scope: Scope, body: bytes) -> tuple[Scope, bytes]:
        try:
            data = json.loads(body)
        except ValueError:
            return scope, body
        if not isinstance(data, dict):
            return scope, body
        body = json.dumps(change(data)).encode()
        scope["headers"] = [(k, v) for k, v in scope.get("headers", []) if k.lower() != b"content-length"]
        scope["headers"].append((b"content-length", str(len(body)).encode()))
        return scope, body

    return rewrite


def _lenient(data: dict[str, Any]) -> dict[str, Any]:
    """Accepts anything by repairing it: prompt filled in, numbers clamped, unknown options dropped."""
    data.setdefault("prompt", "repaired")
    for name in ("width", "height", "safety_tolerance", "seed"):
        if not isinstance(data.get(name), int):
            data.pop(name, None)
    if "width" in data:
        data["width"] = min(max(data["width"], 256), 1440) // 32 * 32
    if "safety_tolerance" in data:
        data["safety_tolerance"] = min(max(data["safety_tolerance"], 0), 5)
    if data.get("output_format") not in ("jpeg", "png"):
        data.pop("output_format", None)
    return data


def _no_negative_seeds(data: dict[str, Any]) -> dict[str, Any]:
    """Refuses a valid negative seed (turns it into an invalid value, so it gets 422)."""
    if isinstance(data.get("seed"), int) and data["seed"] < 0:
        data["seed"] = "negative seeds are not supported"
    return data


@pytest.fixture
def probe_session() -> Iterator[Callable[..., ProviderSession]]:
    stack: list[Any] = []

    def open_session(rewrite: Any = None, max_tasks: int | None = None) -> ProviderSession:
        app = create_app(reference_config())
        served = Mutant(app, None, rewrite) if rewrite else app
        context = serve_in_thread(served)
        base_url = context.__enter__()
        stack.append(context)
        client = httpx.Client(timeout=10.0)
        stack.append(client)
        return ProviderSession(base_url, DEMO_API_KEY, AuthScheme.BEARER, client, TaskBudget(max_tasks))

    yield open_session
    for item in reversed(stack):
        if isinstance(item, httpx.Client):
            item.close()
        else:
            item.__exit__(None, None, None)


def test_probes_are_bounded_and_break_one_documented_constraint_each() -> None:
    bodies = [body for model in models() for body in invalid_bodies(model)]
    assert 0 < len(bodies) <= MAX_INVALID_PROBES
    assert {family for model in models() for family, _, _ in invalid_bodies(model)} >= {
        "required",
        "enum",
        "range",
    }


def test_the_reference_provider_refuses_every_invalid_probe_and_accepts_the_boundaries(
    probe_session: Callable[..., ProviderSession],
) -> None:
    session = probe_session(max_tasks=len(models()))
    invalid = run_invalid_probes(session)
    assert invalid
    assert all(r.outcome is Outcome.PASSED for r in invalid), [r.message for r in invalid]
    assert session.budget.used == 0  # refused probes create no task and cost nothing
    boundary = run_boundary_probes(session)
    assert [r.outcome for r in boundary] == [Outcome.PASSED] * len(models()), [r.message for r in boundary]
    assert session.budget.used == len(models())
    assert session.open_tasks == {}  # each accepted probe was cancelled at once


def test_a_provider_that_accepts_invalid_bodies_fails_and_its_tasks_are_cancelled(
    probe_session: Callable[..., ProviderSession],
) -> None:
    session = probe_session(_rewrite_body(_lenient))
    invalid = run_invalid_probes(session)
    failed = [r for r in invalid if r.outcome is Outcome.FAILED]
    assert failed
    assert all("cancelled at once" in r.message for r in failed)
    assert session.open_tasks == {}


def test_a_provider_that_refuses_a_valid_negative_seed_fails_the_boundary_probe(
    probe_session: Callable[..., ProviderSession],
) -> None:
    session = probe_session(_rewrite_body(_no_negative_seeds))
    boundary = run_boundary_probes(session)
    assert all(r.outcome is Outcome.FAILED for r in boundary)
    assert all("seed=-1" in r.message for r in boundary)


def test_boundary_probes_respect_the_task_budget(probe_session: Callable[..., ProviderSession]) -> None:
    session = probe_session(max_tasks=1)
    boundary = run_boundary_probes(session)
    assert [r.outcome for r in boundary].count(Outcome.PASSED) == 1
    assert all(r.outcome is Outcome.SKIPPED for r in boundary[1:])


def test_boundary_bodies_sit_on_the_documented_edges() -> None:
    edges, body = boundary_body("flux_pro_11")
    assert (body["width"], body["height"], body["seed"]) == (1440, 256, -1)
    assert "safety_tolerance=6" in edges


def test_a_live_run_states_its_budget_before_it_starts() -> None:
    from fluxq_conformance.checks.probes import budget_line

    line = budget_line(("auth", "lifecycle", "outputs", "schema", "client"), 9)
    assert "at most 9 billed task(s) (--max-tasks 9)" in line
    assert "6 lifecycle" in line
    assert "3 boundary probe(s)" in line
    assert "invalid-submit probes" in line
    assert "at most 2 billed" in budget_line(("lifecycle",), 2)
    assert "0 boundary" in budget_line(("outputs",), 9)
