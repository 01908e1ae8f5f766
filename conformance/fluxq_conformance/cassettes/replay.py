"""Judge recorded cassettes offline: vcrpy plays them back (``record_mode="none"``, network blocked).

Every recorded request is re-sent in order through httpx; vcrpy answers from the cassette. The
exchanges are grouped into task traces by request id and judged by the same pure judges as a live
run (identity, monotonic, result 202 until done, failures, cancel, unknown ids, outputs, auth,
documented responses). Timing is not recorded, so ``lifecycle.deadline`` is not judged.
"""

from __future__ import annotations

import re
import time
from importlib import resources
from pathlib import Path

import httpx

from fluxq_conformance.cassettes.record import block_network, make_vcr
from fluxq_conformance.checks import auth
from fluxq_conformance.checks import lifecycle as lifecycle_judges
from fluxq_conformance.checks.auth import judge_refusal
from fluxq_conformance.checks.documented import DOCUMENTED_RESPONSE, undocumented_finding
from fluxq_conformance.checks.outputs import judge_outputs
from fluxq_conformance.checks.registry import Family, all_checks, settle
from fluxq_conformance.core.exchange import KEY_PLACEHOLDER, Exchange, Redactor, reproduce
from fluxq_conformance.core.results import CheckResult, Outcome, RunReport
from fluxq_conformance.core.script import reproduce_found
from fluxq_conformance.core.session import WRONG_KEY
from fluxq_conformance.core.spec import Kind, match_url
from fluxq_conformance.core.trace import Step, TaskTrace, outcome_of

_ERROR_MARKER = re.compile(r"\[fluxq:error=([^\]\s]+)\]")


def play_cassette(path: Path) -> list[Exchange]:
    """Replay one cassette offline and return its exchanges in recorded order.

    Raises:
        vcr.errors.CannotOverwriteExistingCassetteException: If a request is not in the cassette.
        OSError: If the cassette cannot be read.
    """
    exchanges: list[Exchange] = []
    with block_network(), make_vcr((), "none").use_cassette(str(path)) as cassette:
        recorded = list(cassette.requests)
        with httpx.Client(timeout=5.0) as client:
            for request in recorded:
                headers = {name: str(value) for name, value in request.headers.items()}
                response = client.request(request.method, request.uri, headers=headers, content=request.body)
                exchanges.append(Exchange.from_httpx(response))
    return exchanges


def infer_scenario(trace: TaskTrace) -> str:
    """What a recorded task was for: a forced or observed failure, a cancel, or a success."""
    marker = _ERROR_MARKER.search(str(trace.body.get("prompt", "")))
    if marker:
        return f"failure.{marker.group(1)}"
    first_done = trace.first_completed_index()
    for index, _step in trace.steps_of(Kind.CANCEL):
        if first_done is None or index < first_done:
            return "cancel"
    final = trace.final_status_body()
    if final is not None and outcome_of(final).startswith("error:"):
        return f"failure.{final.get('error_type')}"
    return "success"


def group_traces(exchanges: list[Exchange]) -> tuple[list[TaskTrace], list[tuple[Kind, str, Exchange]]]:
    """Group exchanges into task traces by (model, request id).

    Returns:
        The traces, and the (kind, model, exchange) of API calls about ids nobody submitted.
    """
    traces: dict[tuple[str, str], TaskTrace] = {}
    orphans: list[tuple[Kind, str, Exchange]] = []
    for exchange in exchanges:
        matched = match_url(exchange.method, exchange.url)
        if matched is None:
            continue
        operation, request_id = matched
        if operation.kind is Kind.SUBMIT and "authorization" not in exchange.request_headers:
            # An anonymous submit (the pre-flight's) creates no task: it is an auth observation.
            orphans.append((operation.kind, operation.model, exchange))
            continue
        if operation.kind is Kind.SUBMIT:
            body = exchange.request_json()
            trace = TaskTrace(operation.model, "success", body if isinstance(body, dict) else {}, exchange)
            if trace.request_id is not None:
                traces[(operation.model, trace.request_id)] = trace
            continue
        key = (operation.model, request_id or "")
        if key in traces:
            traces[key].steps.append(Step(operation.kind, exchange))
        else:
            orphans.append((operation.kind, operation.model, exchange))
    found = list(traces.values())
    for trace in found:
        trace.scenario = infer_scenario(trace)
    return found, orphans


def _auth_results(orphans: list[tuple[Kind, str, Exchange]], redact: Redactor) -> list[CheckResult]:
    results = []
    for kind, model, exchange in orphans:
        header = exchange.request_headers.get("authorization")
        if header is not None and KEY_PLACEHOLDER not in header and WRONG_KEY not in header:
            continue
        if header is None or WRONG_KEY in header:
            check = auth.MISSING.id if header is None else auth.WRONG.id
            outcome, message, basis = judge_refusal(exchange, missing=header is None)
            op_id = match_url(exchange.method, exchange.url)
            operation = op_id[0].operation_id if op_id else None
            results.append(
                CheckResult(check, outcome, message, model, operation, reproduce(exchange, redact), basis)
            )
        elif exchange.status_code not in (401, 403):
            results.append(lifecycle_judges.judge_unknown_id(model, kind, exchange, redact))
    return results


def judge_exchanges(exchanges: list[Exchange], redact: Redactor) -> list[CheckResult]:
    """Judge one recording's exchanges."""
    traces, orphans = group_traces(exchanges)
    files = {
        exchange.url: exchange for exchange in exchanges if match_url(exchange.method, exchange.url) is None
    }
    results: list[CheckResult] = []
    for trace in traces:
        results += lifecycle_judges.judge_trace(trace, redact, recorded=True)
        if trace.scenario == "success":
            results += judge_outputs(trace, files, redact)
    for model in sorted({trace.model for trace in traces}):
        results.append(
            lifecycle_judges.judge_queue_positions(model, [t for t in traces if t.model == model], redact)
        )
    results += _auth_results(orphans, redact)
    for exchange in exchanges:
        matched = match_url(exchange.method, exchange.url)
        if matched is None or exchange.status_code is None:
            continue
        finding = undocumented_finding(exchange)
        results.append(
            CheckResult(
                DOCUMENTED_RESPONSE.id,
                Outcome.FAILED if finding else Outcome.PASSED,
                finding[0] if finding else f"{exchange.status_code} documented",
                matched[0].model,
                matched[0].operation_id,
                reproduce_found(traces, exchange, redact),
                basis=finding[1] if finding else None,
            )
        )
    return results


#: The cassette sets shipped with fluxq (``--cassettes reference`` or ``--cassettes documented``).
SHIPPED = ("reference", "documented")


def resolve_cassettes(where: Path) -> Path:
    """A directory of cassettes: ``where`` itself, or the shipped set it names.

    A directory on disk wins, so ``--cassettes reference`` in a folder holding ``reference/`` replays
    that folder.
    """
    if where.exists() or str(where) not in SHIPPED:
        return where
    return Path(str(resources.files("fluxq_conformance.cassettes").joinpath("recorded", str(where))))


def replay_directory(directory: Path) -> RunReport:
    """Replay and judge every ``*.yaml`` cassette under ``directory``.

    Raises:
        FileNotFoundError: If the directory holds no cassette.
    """
    started = time.monotonic()
    paths = sorted(directory.rglob("*.yaml"))
    if not paths:
        raise FileNotFoundError(f"no cassette (*.yaml) under {directory}")
    report = RunReport(f"cassettes:{directory}", {"cassettes": [str(path) for path in paths]})
    redact = Redactor()
    for path in paths:
        exchanges = play_cassette(path)
        report.results += judge_exchanges(exchanges, redact)
        report.notes.append(f"{path.name}: {len(exchanges)} exchanges replayed offline")
    report.results = [settle(result) for result in report.results]
    report.notes += replay_gaps(report)
    report.duration_seconds = time.monotonic() - started
    return report


def replay_gaps(report: RunReport) -> list[str]:
    """What a replay leaves out, and why (one note each)."""
    notes = [
        "not run on recordings: schema (schemathesis generates new requests, which need a live "
        "target) and client (fluxq's own client needs no provider: fluxq conformance --only client)"
    ]
    judged = {result.check_id for result in report.results}
    for declared in all_checks():
        # Schema and client are covered by the note above; ``<family>.generation.*`` checks belong
        # to the other protocol's runs (--protocol generation), not to these recordings.
        if (
            declared.family not in (Family.AUTH, Family.LIFECYCLE, Family.OUTPUTS)
            or ".generation." in declared.id
            or declared.id.endswith(".internal_error")  # reported only when the suite itself fails
        ):
            continue
        prefix = declared.id.partition("<TYPE>")[0]
        if any(check_id == declared.id or check_id.startswith(prefix) for check_id in judged):
            continue
        reason = "needs timing, which recordings do not keep" if not declared.recorded else "nothing recorded"
        notes.append(f"not judged: {declared.id}: {reason}")
    return notes
