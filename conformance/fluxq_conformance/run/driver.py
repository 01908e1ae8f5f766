"""Drives real tasks through their lifecycle and records a :class:`TaskTrace` for each.

Scenarios: ``success`` (poll status and result until done, then fetch again, then cancel the
terminal task), ``cancel`` (cancel right after submit) and ``failure.<TYPE>`` (a reference-provider
prompt marker forces the failure). Loops are bounded by the trace's deadline on the run clock.

Rules the driver follows (contract §6 rev. 2):

- 429 and 503 are transient on every operation: the session waits ``Retry-After`` (delta-seconds or an HTTP
  date; the poll interval when absent or unparseable), asks again, and keeps those answers apart
  (``TaskTrace.transient``) for ``lifecycle.retry_after``; they are never findings by themselves.
- Task URLs outside the base URL's origin or path are not called with the key: the driver builds the
  URL from base + model + id instead (allowed), and ``lifecycle.identity`` reports the URL.
- A status the spec does not know stops polling at once (no waiting for the deadline).
- Every finished task's status and result are read again ``Pacing.settle`` seconds later, so an
  outcome that flips (canceled, then a success) is seen.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fluxq_conformance.core.session import ProviderSession
from fluxq_conformance.core.spec import Kind, documented_body, match_url, operation_for
from fluxq_conformance.core.trace import STATUS_RANK, Step, TaskTrace, same_origin_and_base

#: The sizes the success scenario asks for (small, non-default, multiples of 32).
REQUESTED_SIZES: dict[str, tuple[int, int]] = {"flux_pro_11": (512, 384), "flux_2_pro": (320, 256)}


@dataclass(frozen=True)
class Pacing:
    """How the driver polls.

    Attributes:
        poll_interval: Seconds between polls.
        deadline: Seconds a task may take to reach COMPLETED.
        slow_marker: A prompt suffix that makes a task slow enough to cancel (reference provider), or ''.
        settle: Seconds after completion before a finished task's status and result are read again.
    """

    poll_interval: float = 0.05
    deadline: float = 20.0
    slow_marker: str = ""
    settle: float = 1.0


def success_body(model: str) -> dict[str, Any]:
    """The documented example body, with a small explicit size where the model has one."""
    body = documented_body(model)
    if model in REQUESTED_SIZES:
        body["width"], body["height"] = REQUESTED_SIZES[model]
    return body


def _url(session: ProviderSession, trace: TaskTrace, name: str, kind: Kind) -> str:
    """Prefer the URL submit returned; build it (allowed by the contract) when there is none or when
    it leaves the base URL (the key never goes elsewhere) or names another model or id."""
    given = trace.submitted_url(name)
    operation = operation_for(trace.model, kind)
    if given is not None and same_origin_and_base(given, session.base_url):
        matched = match_url(operation.method, given)
        # A URL naming another model or id is lifecycle.identity's finding; polling it would only
        # turn that one finding into many.
        if matched is not None and matched[0] == operation and matched[1] == trace.request_id:
            return given
    return operation.url(session.base_url, trace.request_id or "")


def _step(session: ProviderSession, trace: TaskTrace, kind: Kind) -> Step:
    """Send one lifecycle request (the session waits out 429/503, kept in ``trace.transient``)."""
    names = {Kind.STATUS: "status_url", Kind.RESULT: "response_url", Kind.CANCEL: "cancel_url"}
    method = operation_for(trace.model, kind).method
    url = _url(session, trace, names[kind], kind)
    step = Step(kind, session.send(method, url, transient=trace.transient))
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
        code = status.exchange.status_code
        if code is None:
            trace.stopped = f"status request failed: {status.exchange.error}"
            return False
        if code >= 400:
            trace.stopped = f"status answered {code}"
            return False
        if status.reported_status not in STATUS_RANK:
            # A status the spec does not know will not turn into COMPLETED by waiting.
            trace.stopped = f"status {status.reported_status!r} is not one the spec knows"
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
    trace = TaskTrace(model, scenario, body, submit, deadline=pacing.deadline, base_url=session.base_url)
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
        # Read again a little later: an outcome that flips does so after "milliseconds later".
        if not session.stopping.is_set():
            session.clock.sleep(pacing.settle)
            _step(session, trace, Kind.STATUS)
            _step(session, trace, Kind.RESULT)
    return trace


def probe_unknown_ids(session: ProviderSession, model: str, unknown: str) -> dict[Kind, Step]:
    """Call status, result and cancel of ``model`` with an id nobody created."""
    found: dict[Kind, Step] = {}
    for kind in (Kind.STATUS, Kind.RESULT, Kind.CANCEL):
        operation = operation_for(model, kind)
        found[kind] = Step(kind, session.send(operation.method, operation.url(session.base_url, unknown)))
    return found
