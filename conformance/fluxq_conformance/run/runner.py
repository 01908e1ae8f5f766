"""The conformance run: auth, lifecycle, outputs, schema and client checks against one target.

:func:`run_conformance` returns a :class:`~fluxq_conformance.core.results.RunReport`; it raises
:class:`RunImpossible` when the run cannot happen at all (unreachable target, key refused).
Every task it creates and leaves running is cancelled before it returns, also on Ctrl-C.
"""

from __future__ import annotations

import contextlib
import time
import traceback
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx

from fluxq_conformance.checks import lifecycle as lifecycle_judges
from fluxq_conformance.checks.auth import UNKNOWN_ID, detect_scheme, run_auth_checks
from fluxq_conformance.checks.documented import DOCUMENTED_RESPONSE, undocumented_finding
from fluxq_conformance.checks.outputs import fetch_outputs, judge_outputs
from fluxq_conformance.checks.probes import budget_line, run_boundary_probes
from fluxq_conformance.checks.registry import INTERNAL_ERRORS, Family, checks_needing, settle
from fluxq_conformance.core.exchange import Exchange
from fluxq_conformance.core.results import CheckResult, Outcome, RunReport, rows_of
from fluxq_conformance.core.script import reproduce_found
from fluxq_conformance.core.session import (
    REQUEST_SECONDS,
    AuthScheme,
    BudgetExhausted,
    Clock,
    Credentials,
    ProviderSession,
    TaskBudget,
    authorization_header,
    session_client,
)
from fluxq_conformance.core.spec import Kind, known_error_types, match_url, models, operation_for
from fluxq_conformance.core.trace import TaskTrace
from fluxq_conformance.run.driver import Pacing, probe_unknown_ids, run_scenario
from fluxq_conformance.run.targets import Target

#: The sections a run can include: the check families, in run order.
if TYPE_CHECKING:  # schemathesis loads only when a schema section runs
    from fluxq_conformance.checks.schema import SchemaSettings

SECTIONS = tuple(family.value for family in Family)


class RunImpossible(Exception):
    """The run cannot happen (unreachable target, credentials refused); the message is one line."""


@dataclass(frozen=True)
class RunSettings:
    """What a run does.

    Attributes:
        sections: Which check families run (see :data:`SECTIONS`).
        max_examples: Hypothesis examples per operation (schema) and per property (client).
        seed: The seed of every generator.
        stateful_steps: Steps of schemathesis' stateful phase.
        max_tasks: Cap on tasks created by the lifecycle checks (``None``: no cap).
        allow_fuzz_submit: Let schemathesis fuzz submit on a live target (creates billed tasks).
        pacing: Poll interval, deadline and the slow-task marker.
        workers: Scenarios driven at once.
        record_dir: Where to record cassettes of the lifecycle traffic, or ``None``.
        request_seconds: Total wall-clock budget of each request of the suite (probes included).
    """

    sections: tuple[str, ...] = SECTIONS
    max_examples: int = 10
    seed: int = 0
    stateful_steps: int = 10
    max_tasks: int | None = None
    allow_fuzz_submit: bool = False
    pacing: Pacing = field(default_factory=Pacing)
    workers: int = 4
    record_dir: Path | None = None
    request_seconds: float = REQUEST_SECONDS

    def describe(self) -> dict[str, Any]:
        """The settings as reports show them."""
        return {
            "sections": list(self.sections),
            "max_examples": self.max_examples,
            "seed": self.seed,
            "stateful_steps": self.stateful_steps,
            "max_tasks": self.max_tasks,
            "allow_fuzz_submit": self.allow_fuzz_submit,
            "poll_interval": self.pacing.poll_interval,
            "deadline": self.pacing.deadline,
            "workers": self.workers,
            "record_dir": str(self.record_dir) if self.record_dir else None,
        }


def scenarios_for(target: Target) -> list[tuple[str, str]]:
    """The (model, scenario) pairs a target gets: success and cancel everywhere, forced failures
    only where prompt markers work."""
    found = [(model, "success") for model in models()] + [(model, "cancel") for model in models()]
    if target.markers:
        failures = [error for error in known_error_types() if error != "CANCELED"]
        found += [(model, f"failure.{error}") for model in models() for error in failures]
    return found


def _skipped(check_id: str, model: str, kind: Kind, message: str) -> CheckResult:
    return CheckResult(check_id, Outcome.SKIPPED, message, model, operation_for(model, kind).operation_id)


def _documented_results(
    session: ProviderSession, exchanges: list[Exchange], traces: list[TaskTrace]
) -> list[CheckResult]:
    """``lifecycle.documented_response``: one result per operation the lifecycle traffic touched."""
    verdicts: dict[str, tuple[tuple[str, str] | None, Exchange, int]] = {}
    for exchange in exchanges:
        matched = match_url(exchange.method, exchange.url)
        if matched is None or exchange.status_code is None:
            continue
        op_id = matched[0].operation_id
        seen = verdicts.get(op_id, (None, exchange, 0))
        finding = seen[0] or undocumented_finding(exchange)
        verdicts[op_id] = (finding, exchange if finding and not seen[0] else seen[1], seen[2] + 1)
    results = []
    for op_id, (finding, evidence, count) in sorted(verdicts.items()):
        model = op_id.split("_", 1)[1]
        results.append(
            CheckResult(
                DOCUMENTED_RESPONSE.id,
                Outcome.FAILED if finding else Outcome.PASSED,
                finding[0] if finding else f"{count} responses documented by the spec",
                model,
                op_id,
                reproduce_found(traces, evidence, session.redactor),
                basis=finding[1] if finding else None,
            )
        )
    return results


def run_lifecycle(
    session: ProviderSession,
    target: Target,
    settings: RunSettings,
    progress: Callable[[str], None] | None = None,
) -> tuple[list[TaskTrace], list[CheckResult]]:
    """Drive every scenario, then judge traces, queue positions, unknown ids and outputs.

    ``progress`` is called with a short line each time a scenario ends.
    """
    results: list[CheckResult] = []
    traces: list[TaskTrace] = []
    scenarios = scenarios_for(target)
    finished = 0

    def drive(pair: tuple[str, str]) -> TaskTrace | list[CheckResult]:
        model, scenario = pair
        try:
            return run_scenario(session, model, scenario, settings.pacing)
        except BudgetExhausted as error:
            needing = checks_needing(scenario)
            return [
                _skipped(declared.instance_id(scenario), model, Kind.SUBMIT, f"{scenario} not run: {error}")
                for declared in needing
            ]

    pool = ThreadPoolExecutor(max_workers=max(1, settings.workers))
    try:
        for outcome in pool.map(drive, scenarios):
            finished += 1
            if progress is not None:
                progress(f"lifecycle: {finished}/{len(scenarios)} scenarios done")
            if isinstance(outcome, TaskTrace):
                traces.append(outcome)
            else:
                results += outcome
    except BaseException:
        # Ctrl-C (or a crash): no new tasks, running scenarios stop polling, then the caller cancels.
        session.stopping.set()
        raise
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
    redact = session.redactor
    for trace in traces:
        results += lifecycle_judges.judge_trace(trace, redact)
    for model in models():
        results.append(
            lifecycle_judges.judge_queue_positions(model, [t for t in traces if t.model == model], redact)
        )
        for kind, step in probe_unknown_ids(session, model, UNKNOWN_ID).items():
            results.append(lifecycle_judges.judge_unknown_id(model, kind, step.exchange, redact))
    if not target.markers:
        for model in models():
            for error in known_error_types():
                if error != "CANCELED":
                    message = "failures cannot be forced on this target"
                    for declared in checks_needing(f"failure.{error}"):
                        check_id = declared.instance_id(f"failure.{error}")
                        results.append(_skipped(check_id, model, Kind.RESULT, message))
    return traces, results


def _run_outputs(session: ProviderSession, traces: list[TaskTrace]) -> list[CheckResult]:
    results: list[CheckResult] = []
    for trace in traces:
        if trace.scenario == "success":
            results += judge_outputs(trace, fetch_outputs(session, trace), session.redactor)
    return results


@contextlib.contextmanager
def _maybe_recording(settings: RunSettings, target: Target, session: ProviderSession) -> Iterator[None]:
    if settings.record_dir is None:
        yield
        return
    from fluxq_conformance.cassettes.record import recording  # vcrpy only when recording

    with recording(settings.record_dir, secrets=(target.api_key,)):
        yield


def _open_session(
    target: Target, settings: RunSettings, clock: Clock, transport: httpx.BaseTransport | None
) -> ProviderSession:
    client = session_client(transport)
    budget = TaskBudget(settings.max_tasks if target.live else None)
    return ProviderSession(
        target.base_url,
        target.api_key,
        target.scheme or AuthScheme.BEARER,
        client,
        budget,
        clock,
        request_seconds=settings.request_seconds,
    )


def _paths_answering_404(session: ProviderSession, target: Target, probe: Exchange) -> list[str]:
    """The pre-flight: the probes that answered 404, when all of them did (a wrong base URL).

    A faithful provider answers an unauthenticated submit with 401 (never 404), so a 404 there, on
    an unauthenticated status and on the authenticated status probe means the paths do not exist.
    The unauthenticated submit creates no task.
    """
    model = models()[0]
    submit = operation_for(model, Kind.SUBMIT)
    status = operation_for(model, Kind.STATUS)
    anonymous = Credentials.MISSING
    probes = [
        (f"{status.method} {status.path}", probe),
        (
            f"{submit.method} {submit.path} without a key",
            session.send(submit.method, submit.url(target.base_url), body={}, credentials=anonymous),
        ),
        (
            f"{status.method} {status.path} without a key",
            session.send(status.method, status.url(target.base_url, UNKNOWN_ID), credentials=anonymous),
        ),
    ]
    if all(exchange.status_code == 404 for _label, exchange in probes):
        return [label for label, _exchange in probes]
    return []


def probe_failure(base_url: str, error: str) -> str:
    """The "cannot run" line for a probe without a response: unreachable only when it never connected.

    A reply that was too slow, too large or malformed came from a reachable host; saying otherwise
    sends the user looking at the network instead of at the provider.
    """
    if error.startswith(("ConnectError", "ConnectTimeout")):
        return f"{base_url} is unreachable: {error}"
    return f"{base_url} did not answer a probe usably: {error}"


def _ensure_reachable(session: ProviderSession, target: Target) -> None:
    probe = session.send("GET", operation_for(models()[0], Kind.STATUS).url(target.base_url, UNKNOWN_ID))
    if probe.status_code is None:
        raise RunImpossible(probe_failure(target.base_url, probe.error or ""))
    missing = _paths_answering_404(session, target, probe)
    if missing:
        raise RunImpossible(
            f"every path answered 404 at {target.base_url} ({', '.join(missing)}): is the base URL "
            "right? The providers' base URLs end in /model (e.g. https://cloud.seaart.ai/model)"
        )
    if target.scheme is None:
        scheme = detect_scheme(session)
        if scheme is None:
            raise RunImpossible("the API key was refused with both the Bearer and the Key scheme")
        session.scheme = scheme


def run_conformance(
    target: Target,
    settings: RunSettings,
    *,
    clock: Clock | None = None,
    transport: httpx.BaseTransport | None = None,
    progress: Callable[[str], None] | None = None,
    announce: Callable[[str], None] | None = None,
) -> RunReport:
    """Judge one target.

    Args:
        target: Where to point.
        settings: What to run.
        clock: The run clock (a fake one in tests).
        transport: An httpx transport for the suite's own requests (default: the network).
        progress: Called with a short line as each section starts.
        announce: Called once on a live target, once it answered and before any task is created, with
            the run's task budget and estimated cost.

    Returns:
        The report.

    Raises:
        RunImpossible: If the target is unreachable or refuses the key under every scheme.
    """
    started = time.monotonic()
    clock = clock or Clock()
    report = RunReport(target.label, {"base_url": target.base_url, **settings.describe()})
    session = _open_session(target, settings, clock, transport)

    def say(line: str) -> None:
        if progress is not None:
            rows = len(rows_of(report.results))
            progress(f"{line} · {rows} rows judged · {session.budget.used} tasks created")

    skipped = [family.value for family in Family if family not in settings.sections]
    if skipped:
        report.notes.append(f"not run: {', '.join(skipped)} (--only {','.join(settings.sections)})")
    try:
        with _maybe_recording(settings, target, session):
            _ensure_reachable(session, target)
            report.settings["auth"] = session.scheme.value
            if target.live:
                # Before anything is billed: what this run may create.
                line = budget_line(tuple(settings.sections), session.budget.limit)
                report.notes.append(line)
                if announce is not None:
                    announce(line)
            # Each section is guarded: an internal error becomes an ``error`` result, the others run.
            wanted = set(settings.sections)
            if Family.AUTH in wanted:
                say("auth: credentials and schemes")
                report.results += _section(Family.AUTH, lambda: run_auth_checks(session))
            traces: list[TaskTrace] = []
            if wanted & {Family.LIFECYCLE, Family.OUTPUTS}:
                say("lifecycle: driving tasks")

                def lifecycle() -> list[CheckResult]:
                    found, judged = run_lifecycle(session, target, settings, say)
                    traces.extend(found)
                    if Family.LIFECYCLE not in wanted:
                        return []
                    say("lifecycle: boundary probes")
                    return judged + run_boundary_probes(session)

                report.results += _section(Family.LIFECYCLE, lifecycle)
                if Family.OUTPUTS in wanted:
                    say("outputs: fetching the images")
                    report.results += _section(Family.OUTPUTS, lambda: _run_outputs(session, traces))
                if Family.LIFECYCLE in wanted:
                    exchanges = list(session.exchanges)
                    report.results += _section(
                        Family.LIFECYCLE, lambda: _documented_results(session, exchanges, traces)
                    )
        if Family.SCHEMA in settings.sections:
            say("schema: validation probes")
            from fluxq_conformance.checks.probes import run_invalid_probes

            report.results += _section(Family.SCHEMA, lambda: run_invalid_probes(session))
            say("schema: schemathesis phases")
            report.results += _section(
                Family.SCHEMA, lambda: _run_schema(session, target, settings, report, say)
            )
        if Family.CLIENT in settings.sections:
            say("client: hypothesis properties of fluxq's own client")
            from fluxq_conformance.checks.client import run_client_checks

            report.results += _section(
                Family.CLIENT, lambda: run_client_checks(settings.max_examples, settings.seed)
            )
    finally:
        cancelled = session.cancel_open_tasks()
        if cancelled:
            report.notes.append(f"cancelled {len(cancelled)} task(s) still running at the end")
        session.client.close()
        report.duration_seconds = time.monotonic() - started
        report.results = [settle(result) for result in report.results]
    if target.live and session.budget.limit is not None:
        report.notes.append(
            f"--max-tasks {session.budget.limit}: the lifecycle created {session.budget.used}"
        )
    return report


def _section(family: Family, run: Callable[[], list[CheckResult]]) -> list[CheckResult]:
    """Run one section; an internal error becomes an ``error`` result so the report is still written.

    Ctrl-C still propagates (the caller cancels open tasks).
    """
    try:
        return run()
    except Exception as error:  # a suite bug must not cost the user the report
        lines = traceback.format_exception_only(type(error), error)
        return [
            CheckResult(
                INTERNAL_ERRORS[family].id,
                Outcome.ERROR,
                f"the {family.value} checks stopped on an internal error: {''.join(lines).strip()}",
            )
        ]


def schema_settings(
    session: ProviderSession, target: Target, settings: RunSettings, report: RunReport, billed: str
) -> SchemaSettings:
    """How deep schemathesis goes on this target, for either API format.

    On a live target schemathesis stays off the operation that creates billed tasks (``billed``:
    ``"submit"`` or ``"create"``) unless ``--allow-fuzz-submit``; the report notes it.
    """
    from fluxq_conformance.checks.schema import SchemaSettings

    include_billed = not target.live or settings.allow_fuzz_submit
    if not include_billed:
        report.notes.append(
            f"live target: schemathesis does not test {billed} (it would create billed tasks); "
            "pass --allow-fuzz-submit to include it and the stateful phase"
        )
    return SchemaSettings(
        base_url=target.base_url,
        authorization=authorization_header(session.scheme, target.api_key),
        max_examples=settings.max_examples,
        seed=settings.seed,
        stateful_steps=settings.stateful_steps,
        include_submit=include_billed,
    )


def _run_schema(
    session: ProviderSession,
    target: Target,
    settings: RunSettings,
    report: RunReport,
    progress: Callable[[str], None],
) -> list[CheckResult]:
    from fluxq_conformance.checks.schema import run_schema_checks

    chosen = schema_settings(session, target, settings, report, "submit")
    results, errors = run_schema_checks(chosen, session.redactor, progress)
    report.notes += [session.redactor(line) for line in errors]
    return results
