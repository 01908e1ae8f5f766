"""The conformance run of a generation-format provider (``fluxq conformance --protocol generation``).

Sections, in order: ``auth`` (no key, wrong key), ``lifecycle`` (per model a success task, and a
forced failure where prompt markers work; statuses, forward-only, finality, identity, unknown ids,
invalid creates), ``outputs`` (output present, ``usage.cost``, images served without the key) and
``schema`` (lifecycle replies against the document, then schemathesis over it). The queue format's
client checks judge fluxq's own client and do not depend on the format; they are not run here.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

import httpx

from fluxq_conformance.checks import generation as judges
from fluxq_conformance.checks.generation import FINAL_STATES, STATES, GenerationTrace
from fluxq_conformance.checks.registry import Family, settle
from fluxq_conformance.core.results import CheckResult, Outcome, RunReport
from fluxq_conformance.core.session import (
    BudgetExhausted,
    Clock,
    Credentials,
    ProviderSession,
)
from fluxq_conformance.run.driver import Pacing
from fluxq_conformance.run.runner import RunImpossible, RunSettings, _open_session, _section, schema_settings
from fluxq_conformance.run.targets import Target

SECTIONS = ("auth", "lifecycle", "outputs", "schema")
MODELS = ("flux_kontext_pro", "flux_pro_11", "flux_2_pro")
PROMPT = "A clean product photo of a red apple on a white table, soft studio lighting."
#: Small, non-default sizes for the models with width/height (multiples of 32).
SIZES: dict[str, dict[str, Any]] = {
    "flux_kontext_pro": {"aspect_ratio": "1:1"},
    "flux_pro_11": {"width": 512, "height": 384},
    "flux_2_pro": {"width": 320, "height": 256},
}
FORCED_FAILURE = "CONTENT_BLOCKED"
UNKNOWN_TASK = "fluxq_conformance_unknown_task"
#: A create the document forbids: kontext's safety_tolerance is 1–6 on this format.
INVALID_CREATE = {"model": "flux_kontext_pro", "prompt": PROMPT, "safety_tolerance": 9}


def create_url(base_url: str) -> str:
    """Where tasks are created."""
    return f"{base_url.rstrip('/')}/v1/generation"


def task_url(base_url: str, task_id: str) -> str:
    """Where a task is polled."""
    return f"{create_url(base_url)}/task/{quote(task_id, safe='')}"


def scenarios(target: Target) -> list[tuple[str, str]]:
    """(model, scenario) pairs: a success per model, and a forced failure where markers work."""
    found = [(model, "success") for model in MODELS]
    if target.markers:
        found += [(model, f"failure.{FORCED_FAILURE}") for model in MODELS]
    return found


def body_for(model: str, scenario: str) -> dict[str, Any]:
    """The create body of a scenario."""
    prompt = PROMPT if scenario == "success" else f"{PROMPT} [fluxq:error={scenario.split('.', 1)[1]}]"
    return {"model": model, "prompt": prompt, **SIZES[model]}


def drive(session: ProviderSession, model: str, scenario: str, pacing: Pacing) -> GenerationTrace:
    """Create one task and poll it until a final status (read once more) or the deadline.

    Raises:
        BudgetExhausted: If ``--max-tasks`` does not allow another task.
    """
    if session.stopping.is_set():
        raise BudgetExhausted("the run is stopping")
    session.budget.take()
    body = body_for(model, scenario)
    trace = GenerationTrace(
        model, scenario, body, session.send("POST", create_url(session.base_url), body=body)
    )
    if not trace.accepted or trace.task_id is None:
        if trace.create.status_code is not None and trace.create.status_code >= 400:
            session.budget.give_back()
        return trace
    url = task_url(session.base_url, trace.task_id)
    give_up_at = trace.create.at + pacing.deadline
    while True:
        poll = session.send("GET", url)
        trace.polls.append(poll)
        status = poll.json_object().get("status")
        if status in FINAL_STATES:
            # Read the final status once more: it must not change (lifecycle.generation.final).
            session.clock.sleep(pacing.poll_interval)
            trace.polls.append(session.send("GET", url))
            return trace
        stuck = poll.status_code is None or (poll.status_code >= 400 and poll.status_code != 429)
        if stuck or status not in STATES or session.clock.now() >= give_up_at or session.stopping.is_set():
            return trace
        session.clock.sleep(pacing.poll_interval)


def _auth(session: ProviderSession) -> list[CheckResult]:
    redact = session.redactor
    results = []
    for declared, credentials in (
        (judges.AUTH_MISSING, Credentials.MISSING),
        (judges.AUTH_WRONG, Credentials.WRONG),
    ):
        poll = session.send("GET", task_url(session.base_url, UNKNOWN_TASK), credentials=credentials)
        results.append(judges.judge_refusal(declared, poll, redact))
        # A create with bad credentials must be refused before it could become a task.
        create = session.send(
            "POST", create_url(session.base_url), body=INVALID_CREATE, credentials=credentials
        )
        results.append(judges.judge_refusal(declared, create, redact))
    return results


def _lifecycle(
    session: ProviderSession, target: Target, settings: RunSettings
) -> tuple[list[GenerationTrace], list[CheckResult]]:
    redact = session.redactor
    traces: list[GenerationTrace] = []
    results: list[CheckResult] = []
    for model, scenario in scenarios(target):
        try:
            traces.append(drive(session, model, scenario, settings.pacing))
        except BudgetExhausted as error:
            results.append(
                CheckResult(judges.FINISHES.id, Outcome.SKIPPED, f"{scenario} not run: {error}", model)
            )
    for trace in traces:
        results.append(judges.judge_created(trace, redact))
        if not trace.accepted:
            continue
        results += [judge(trace, redact) for judge in judges.TRACE_JUDGES[1:]]
        if trace.scenario.startswith("failure."):
            results.append(judges.judge_failure(trace, redact))
    if not target.markers:
        for model in MODELS:
            results.append(
                CheckResult(
                    judges.FAILURE.id,
                    Outcome.SKIPPED,
                    "failures cannot be forced on this target",
                    model,
                )
            )
    results.append(
        judges.judge_unknown_id(session.send("GET", task_url(session.base_url, UNKNOWN_TASK)), redact)
    )
    try:
        session.budget.take()
    except BudgetExhausted as error:
        results.append(
            CheckResult(judges.INVALID.id, Outcome.SKIPPED, f"not run: {error}", "flux_kontext_pro")
        )
    else:
        invalid = session.send("POST", create_url(session.base_url), body=INVALID_CREATE)
        if invalid.status_code is not None and invalid.status_code >= 400:
            session.budget.give_back()
        results.append(judges.judge_invalid(invalid, "flux_kontext_pro", redact))
    return traces, results


def _outputs(session: ProviderSession, traces: list[GenerationTrace]) -> list[CheckResult]:
    redact = session.redactor
    results: list[CheckResult] = []
    for trace in traces:
        if trace.scenario != "success" or not trace.accepted:
            continue
        results += [judges.judge_output(trace, redact), judges.judge_usage(trace, redact)]
        reply = judges.completed_reply(trace)
        for url in judges.output_urls(reply) if reply is not None else []:
            results.append(judges.judge_image(url, session.fetch_anonymous(url), trace.model, redact))
    return results


def _schema(
    session: ProviderSession, target: Target, settings: RunSettings, report: RunReport
) -> list[CheckResult]:
    from fluxq_conformance.checks.generation_schema import run_generation_schema_checks

    chosen = schema_settings(session, target, settings, report, "create")
    results, errors = run_generation_schema_checks(chosen, session.redactor)
    report.notes += [session.redactor(line) for line in errors]
    return results


def run_generation_conformance(
    target: Target,
    settings: RunSettings,
    *,
    clock: Clock | None = None,
    transport: httpx.BaseTransport | None = None,
    progress: Callable[[str], None] | None = None,
) -> RunReport:
    """Judge one generation-format target (the same arguments as ``run_conformance``).

    Raises:
        RunImpossible: If the target is unreachable or refuses the key.
    """
    started = time.monotonic()
    say = progress or (lambda _line: None)
    report = RunReport(
        target.label, {"base_url": target.base_url, "protocol": "generation", **settings.describe()}
    )
    session = _open_session(target, settings, clock or Clock(), transport)
    try:
        probe = session.send("GET", task_url(target.base_url, UNKNOWN_TASK))
        if probe.status_code is None:
            raise RunImpossible(f"{target.base_url} is unreachable: {probe.error}")
        if probe.status_code in (401, 403):
            raise RunImpossible(f"the API key was refused ({probe.status_code}) by {target.base_url}")
        report.settings["auth"] = session.scheme.value
        # Each section is guarded as in the queue format's run: an internal error becomes an ``error``.
        if "auth" in settings.sections:
            say("auth checks (generation)")
            report.results += _section(Family.AUTH, lambda: _auth(session))
        traces: list[GenerationTrace] = []
        if {"lifecycle", "outputs", "schema"} & set(settings.sections):
            say("lifecycle checks (generation)")

            def lifecycle() -> list[CheckResult]:
                found, judged = _lifecycle(session, target, settings)
                traces.extend(found)
                return judged if "lifecycle" in settings.sections else []

            report.results += _section(Family.LIFECYCLE, lifecycle)
        if "outputs" in settings.sections:
            say("output checks (generation)")
            report.results += _section(Family.OUTPUTS, lambda: _outputs(session, traces))
        if "schema" in settings.sections:
            say("schema checks (generation document, schemathesis)")
            report.results += _section(
                Family.SCHEMA,
                lambda: (
                    judges.judge_replies(traces, session.redactor)
                    + _schema(session, target, settings, report)
                ),
            )
    finally:
        session.client.close()
        # Basis, location and tier (contract §8) from the registry, as the queue format's run does.
        report.results = [settle(result) for result in report.results]
        report.duration_seconds = time.monotonic() - started
    if target.live and session.budget.limit is not None:
        report.notes.append(
            f"--max-tasks {session.budget.limit}: the lifecycle created {session.budget.used}"
        )
    return report
