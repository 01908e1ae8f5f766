"""Drives real tasks through their lifecycle and records a :class:`TaskTrace` for each.

Scenarios: ``success`` (poll status and result until done, then fetch again, then cancel the
terminal task), ``cancel`` (cancel right after submit) and ``failure.<TYPE>`` (a reference-provider
prompt marker forces the failure). Loops are bounded by the trace's deadline on the run clock.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fluxq_conformance.core.session import ProviderSession
from fluxq_conformance.core.spec import Kind, documented_body, operation_for
from fluxq_conformance.core.trace import Step, TaskTrace

#: The sizes the success scenario asks for (small, non-default, multiples of 32).
REQUESTED_SIZES: dict[str, tuple[int, int]] = {"flux_pro_11": (512, 384), "flux_2_pro": (320, 256)}


@dataclass(frozen=True)
class Pacing:
    """How the driver polls.

    Attributes:
        poll_interval: Seconds between polls.
        deadline: Seconds a task may take to reach COMPLETED.
        slow_marker: A prompt suffix that makes a task slow enough to cancel (reference provider), or ''.
    """

    poll_interval: float = 0.05
    deadline: float = 20.0
    slow_marker: str = ""


def success_body(model: str) -> dict[str, Any]:
    """The documented example body, with a small explicit size where the model has one."""
    body = documented_body(model)
    if model in REQUESTED_SIZES:
        body["width"], body["height"] = REQUESTED_SIZES[model]
    return body


def _url(session: ProviderSession, trace: TaskTrace, name: str, kind: Kind) -> str:
    """Prefer the URL submit returned; fall back to building it (allowed by the contract)."""
    given = trace.submitted_url(name)
    if given is not None:
        return given
    return operation_for(trace.model, kind).url(session.base_url, trace.request_id or "")


def _step(session: ProviderSession, trace: TaskTrace, kind: Kind) -> Step:
    names = {Kind.STATUS: "status_url", Kind.RESULT: "response_url", Kind.CANCEL: "cancel_url"}
    method = operation_for(trace.model, kind).method
    step = Step(kind, session.send(method, _url(session, trace, names[kind], kind)))
    trace.steps.append(step)
    return step


def poll_until_completed(
    session: ProviderSession, trace: TaskTrace, pacing: Pacing, *, poll_result: bool
) -> bool:
    """Poll status (and the result while not done) until COMPLETED or the deadline.

    Returns:
        Whether the task reported COMPLETED in time.
    """
    give_up_at = trace.submit.at + pacing.deadline
    while True:
        status = _step(session, trace, Kind.STATUS)
        if status.reported_status == "COMPLETED":
            return True
        if status.exchange.status_code is None or status.exchange.status_code >= 400:
            return False
        if poll_result:
            _step(session, trace, Kind.RESULT)
        if session.clock.now() >= give_up_at or session.stopping.is_set():
            return False
        session.clock.sleep(pacing.poll_interval)


def run_scenario(session: ProviderSession, model: str, scenario: str, pacing: Pacing) -> TaskTrace:
    """Create one task and drive it through ``scenario``; the task is cancelled if left running.

    Raises:
        BudgetExhausted: If ``--max-tasks`` does not allow another task.
    """
    body = success_body(model) if scenario == "success" else documented_body(model)
    if scenario == "cancel" and pacing.slow_marker:
        body["prompt"] = f"{body['prompt']} {pacing.slow_marker}"
    if scenario.startswith("failure."):
        body["prompt"] = f"{body['prompt']} [fluxq:error={scenario.split('.', 1)[1]}]"
    submit = session.submit(operation_for(model, Kind.SUBMIT).url(session.base_url), body)
    trace = TaskTrace(model, scenario, body, submit, deadline=pacing.deadline)
    if not trace.accepted:
        return trace
    if scenario == "cancel":
        _step(session, trace, Kind.CANCEL)
    completed = poll_until_completed(session, trace, pacing, poll_result=scenario == "success")
    if completed and trace.request_id is not None:
        session.mark_finished(trace.request_id)
        # Terminal now: the result and the status must stay put; a late cancel must be refused.
        _step(session, trace, Kind.RESULT)
        _step(session, trace, Kind.STATUS)
        if scenario == "success":
            _step(session, trace, Kind.RESULT)
            _step(session, trace, Kind.CANCEL)
    return trace


def probe_unknown_ids(session: ProviderSession, model: str, unknown: str) -> dict[Kind, Step]:
    """Call status, result and cancel of ``model`` with an id nobody created."""
    found: dict[Kind, Step] = {}
    for kind in (Kind.STATUS, Kind.RESULT, Kind.CANCEL):
        operation = operation_for(model, kind)
        found[kind] = Step(kind, session.send(operation.method, operation.url(session.base_url, unknown)))
    return found
