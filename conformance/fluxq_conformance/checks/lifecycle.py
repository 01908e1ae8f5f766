"""Lifecycle judges: pure functions from a :class:`TaskTrace` to check results.

They know the fluxq contract (§6) and nothing about how the trace was obtained, so a live run and
a cassette replay are judged by the same code.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from fluxq_conformance.checks.registry import Basis, Family, Verdict, check, implemented_by, trace_checks
from fluxq_conformance.core.exchange import Exchange, Redactor, reproduce
from fluxq_conformance.core.results import CheckResult, Outcome
from fluxq_conformance.core.script import reproduce_in_task
from fluxq_conformance.core.spec import Kind, match_url, operation_for
from fluxq_conformance.core.trace import (
    STATUS_RANK,
    TaskTrace,
    is_error_body,
    is_failed_result,
    outcome_of,
    retry_after_seconds,
    same_origin_and_base,
)


def _result(
    check_id: str,
    trace_model: str,
    kind: Kind,
    verdict: Verdict,
    redact: Redactor,
    trace: TaskTrace | None = None,
) -> CheckResult:
    operation = operation_for(trace_model, kind).operation_id
    reproduction = None
    if verdict.evidence is not None:
        reproduction = (
            reproduce_in_task(trace, verdict.evidence, redact)
            if trace is not None and verdict.outcome is not Outcome.PASSED
            else reproduce(verdict.evidence, redact)
        )
    return CheckResult(
        check_id,
        verdict.outcome,
        verdict.message,
        trace_model,
        operation,
        reproduction,
        verdict.basis.value if verdict.basis else None,
        verdict.location,
    )


def _last(trace: TaskTrace) -> Exchange:
    return trace.steps[-1].exchange if trace.steps else trace.submit


def _answered(exchange: Exchange) -> str:
    """``answered 404``, or ``got no response (ConnectError: ...)`` for a transport failure."""
    if exchange.status_code is None:
        return f"got no response ({exchange.error})"
    return f"answered {exchange.status_code}"


def _not_submitted(trace: TaskTrace) -> Verdict:
    return Verdict(Outcome.FAILED, f"submit {_answered(trace.submit)}, no task", trace.submit)


#: Cancel answers that mean "this endpoint has no cancel" (contract §6 rev. 2: its own outcome).
CANCEL_UNSUPPORTED = frozenset({405, 501})


@check("lifecycle.identity", Family.LIFECYCLE, basis=Basis.CHOICE, operation=Kind.SUBMIT, trace_judge=True)
def identity(trace: TaskTrace) -> Verdict:
    """Submit's three URLs are absolute and name the submitted id; every 2xx body names that id
    (``request_id`` and ``response_url``)."""
    if not trace.accepted:
        return _not_submitted(trace)
    request_id = trace.request_id
    for name, kind in (
        ("status_url", Kind.STATUS),
        ("response_url", Kind.RESULT),
        ("cancel_url", Kind.CANCEL),
    ):
        url = trace.submitted_url(name)
        if url is None or not url.startswith(("http://", "https://")):
            return Verdict(
                Outcome.FAILED, f"submit's {name} is missing or not absolute: {url!r}", trace.submit
            )
        if trace.base_url is not None and not same_origin_and_base(url, trace.base_url):
            return Verdict(
                Outcome.FAILED,
                f"submit's {name} {url} is not on the base URL's origin and path ({trace.base_url}); "
                "the suite built the URL itself instead and never sent the key there",
                trace.submit,
                location="contract §6: task URLs",
            )
        matched = match_url(operation_for(trace.model, kind).method, url)
        if matched is None or matched[0].kind is not kind or matched[0].model != trace.model:
            return Verdict(
                Outcome.FAILED, f"submit's {name} is not a {kind.value} URL of {trace.model}", trace.submit
            )
        if matched[1] != request_id:
            return Verdict(
                Outcome.FAILED, f"submit's {name} names id {matched[1]!r}, not {request_id!r}", trace.submit
            )
    for step in trace.steps:
        code = step.exchange.status_code
        if code is None or not 200 <= code < 300 or step.kind is Kind.CANCEL:
            continue
        body = step.exchange.json_object()
        if body.get("request_id") != request_id:
            return Verdict(
                Outcome.FAILED,
                f"{step.kind.value} body names request_id {body.get('request_id')!r}, not {request_id!r}",
                step.exchange,
            )
        response_url = body.get("response_url")
        if isinstance(response_url, str):
            matched = match_url("GET", response_url)
            if matched is None or matched[1] != request_id:
                return Verdict(
                    Outcome.FAILED,
                    f"{step.kind.value} body's response_url does not name {request_id!r}",
                    step.exchange,
                )
    return Verdict(Outcome.PASSED, f"{len(trace.steps) + 1} exchanges all name {request_id}", _last(trace))


@check("lifecycle.monotonic", Family.LIFECYCLE, basis=Basis.CHOICE, operation=Kind.STATUS, trace_judge=True)
def monotonic(trace: TaskTrace) -> Verdict:
    """Statuses are IN_QUEUE/IN_PROGRESS/COMPLETED and never go backwards; once COMPLETED, the
    outcome (success or ``error_type``) never changes."""
    if not trace.accepted:
        return _not_submitted(trace)
    best = -1
    seen: list[str] = []
    for step in trace.steps:
        status = step.reported_status
        if status is None:
            continue
        if status not in STATUS_RANK:
            # Exactly three statuses are documented: an unknown one is a documented-rule failure.
            return Verdict(
                Outcome.FAILED,
                f"unknown status {status!r} (polling stopped there)",
                step.exchange,
                basis=Basis.DOCUMENTED,
                location="#/components/schemas/TaskStatus",
            )
        rank = STATUS_RANK[status]
        seen.append(status)
        if rank < best:
            return Verdict(Outcome.FAILED, f"status went backwards: {' → '.join(seen)}", step.exchange)
        best = max(best, rank)
    flipped = _outcome_flip(trace)
    if flipped is not None:
        return flipped
    if not seen:
        return Verdict(Outcome.FAILED, "no status was ever reported", _last(trace))
    return Verdict(Outcome.PASSED, " → ".join(dict.fromkeys(seen)), _last(trace))


def result_outcome(exchange: Exchange) -> str | None:
    """The outcome a result reply reports: ``success``, ``error:<TYPE>``, or ``None`` (not terminal,
    transport failure, or an error without ``error_type``)."""
    code = exchange.status_code
    body = exchange.json_object()
    if code == 200:
        return f"error:{body.get('error_type')}" if is_failed_result(body) else "success"
    if code is not None and code >= 400 and isinstance(body.get("error_type"), str):
        return f"error:{body['error_type']}"
    return None


def _outcome_flip(trace: TaskTrace) -> Verdict | None:
    """A finished task tells one outcome: every COMPLETED status and every terminal result, in the
    order they were read (a result may come first), says the same success or ``error_type``."""
    told: tuple[str, Kind] | None = None
    for step in trace.steps:
        if step.kind is Kind.STATUS and step.reported_status == "COMPLETED":
            outcome: str | None = outcome_of(step.exchange.json_object())
        elif step.kind is Kind.RESULT:
            outcome = result_outcome(step.exchange)
        else:
            continue
        if outcome is None:
            continue
        if told is not None and outcome != told[0]:
            if told[1] is Kind.STATUS and step.kind is Kind.STATUS:
                message = f"COMPLETED outcome changed from {told[0]} to {outcome}"
            else:
                message = (
                    f"a finished task's outcome changed: its {told[1].value} said {told[0]}, "
                    f"then its {step.kind.value} said {outcome}"
                )
            return Verdict(Outcome.FAILED, message, step.exchange)
        told = (outcome, step.kind)
    return None


@check(
    "lifecycle.result_202_until_done",
    Family.LIFECYCLE,
    basis=Basis.DOCUMENTED,
    operation=Kind.RESULT,
    scenarios=("success",),
    trace_judge=True,
)
def result_202_until_done(trace: TaskTrace) -> Verdict:
    """The result answers 202 with a status-shaped, non-terminal body until COMPLETED, never 200
    early, then 200 with outputs."""
    if not trace.accepted:
        return _not_submitted(trace)
    statuses = trace.steps_of(Kind.STATUS)
    early = 0
    done = False
    for index, step in trace.steps_of(Kind.RESULT):
        exchange = step.exchange
        status_before = [s.reported_status for i, s in statuses if i < index]
        # Only statuses before the first COMPLETED status count: a status going backwards afterwards
        # is lifecycle.monotonic's finding, not proof of an early result.
        first_done = next((i for i, s in statuses if s.reported_status == "COMPLETED"), len(trace.steps))
        status_after = [s.reported_status for i, s in statuses if index < i < first_done]
        if exchange.status_code == 202:
            if step.reported_status not in ("IN_QUEUE", "IN_PROGRESS"):
                return Verdict(Outcome.FAILED, f"202 result with status {step.reported_status!r}", exchange)
            if "COMPLETED" in status_before:
                return Verdict(Outcome.FAILED, "result answered 202 after status said COMPLETED", exchange)
            early += 1
        elif exchange.status_code == 200:
            if any(status in ("IN_QUEUE", "IN_PROGRESS") for status in status_after):
                return Verdict(Outcome.FAILED, "result answered 200 before the task completed", exchange)
            outputs = exchange.json_object().get("outputs")
            if not isinstance(outputs, list) or not outputs:
                return Verdict(Outcome.FAILED, "200 result without outputs", exchange)
            done = True
        else:
            return Verdict(Outcome.FAILED, f"result {_answered(exchange)} for a successful task", exchange)
    final = trace.final_status_body()
    if final is not None and outcome_of(final) != "success":
        return Verdict(Outcome.FAILED, f"the task did not succeed: {outcome_of(final)}", _last(trace))
    if not done:
        return Verdict(Outcome.FAILED, "no 200 result after the task completed", _last(trace))
    return Verdict(
        Outcome.PASSED, f"{early} result poll(s) answered 202 before 200 with outputs", _last(trace)
    )


@check(
    "lifecycle.deadline",
    Family.LIFECYCLE,
    basis=Basis.CHOICE,
    operation=Kind.STATUS,
    recorded=False,
    trace_judge=True,
)
def deadline(trace: TaskTrace) -> Verdict:
    """Each task reaches COMPLETED within the deadline (timing is not recorded, so recordings skip it)."""
    if not trace.accepted:
        return _not_submitted(trace)
    completed_at = trace.completed_at()
    if completed_at is None and trace.stopped is not None:
        # Polling stopped early; the finding that made it stop is another check's (or the network's).
        return Verdict(Outcome.SKIPPED, f"polling stopped before COMPLETED: {trace.stopped}", _last(trace))
    if completed_at is None:
        return Verdict(Outcome.FAILED, f"not COMPLETED within {trace.deadline} s", _last(trace))
    took = completed_at - trace.submit.at
    if trace.deadline is not None and took > trace.deadline:
        return Verdict(
            Outcome.FAILED, f"COMPLETED after {took:.2f} s (deadline {trace.deadline} s)", _last(trace)
        )
    return Verdict(Outcome.PASSED, f"COMPLETED after {took:.2f} s", _last(trace))


@check(
    "lifecycle.status_code",
    Family.LIFECYCLE,
    basis=Basis.CHOICE,
    operation=Kind.STATUS,
    trace_judge=True,
    location="contract §6: status HTTP code",
)
def status_code(trace: TaskTrace) -> Verdict:
    """Status answers 200, or 202 only while the task is not terminal (a 202 that says COMPLETED
    fails: 202 documents "not terminal"); any other 2xx is a warning (a fluxq choice)."""
    if not trace.accepted:
        return _not_submitted(trace)
    count = 0
    for _index, step in trace.steps_of(Kind.STATUS):
        code = step.exchange.status_code
        if code is None or not 200 <= code < 300:
            continue
        count += 1
        if code == 202 and step.reported_status == "COMPLETED":
            # The protocol documents HTTP 202 as "not terminal yet" (the result endpoint), and the
            # contract row says this case fails: a client reading the code would poll forever.
            return Verdict(
                Outcome.FAILED,
                "status answered 202 while saying COMPLETED",
                step.exchange,
                basis=Basis.DOCUMENTED,
                location="contract §2 (HTTP 202 means not terminal) and §6: a 202 that says COMPLETED fails",
            )
        if code not in (200, 202):
            return Verdict(
                Outcome.FAILED, f"status answered {code} (200, or 202 while not terminal)", step.exchange
            )
    return Verdict(
        Outcome.PASSED, f"{count} status replies with 200 (or 202 while not terminal)", _last(trace)
    )


@check(
    "lifecycle.retry_after",
    Family.LIFECYCLE,
    basis=Basis.CHOICE,
    operation=Kind.STATUS,
    trace_judge=True,
    location="contract §6: rate limiting and overload",
)
def retry_after(trace: TaskTrace) -> Verdict:
    """A 429 or 503 is transient (the suite waits and asks again; never a failure by itself); its
    ``Retry-After``, when present, is delta-seconds or an HTTP date (RFC 9110)."""
    if not trace.transient:
        return Verdict(Outcome.SKIPPED, "no 429 or 503 was answered", None)
    for exchange in trace.transient:
        value = exchange.response_headers.get("retry-after")
        if value is not None and retry_after_seconds(value) is None:
            return Verdict(Outcome.FAILED, f"unparseable Retry-After {value!r}", exchange)
    codes = sorted({str(exchange.status_code) for exchange in trace.transient})
    return Verdict(
        Outcome.PASSED,
        f"{len(trace.transient)} transient answer(s) ({', '.join(codes)}) waited out and retried",
        trace.transient[-1],
    )


@check("lifecycle.queue_position", Family.LIFECYCLE, basis=Basis.DOCUMENTED, operation=Kind.STATUS)
def queue_positions(traces: Iterable[TaskTrace]) -> Verdict:
    """Every ``queue_position`` (submit, status, 202 result) is an integer ≥ 0; submit always carries one."""
    last: Exchange | None = None
    count = 0
    for trace in traces:
        if not trace.accepted:
            continue
        candidates = [(trace.submit, True)] + [
            (step.exchange, False) for step in trace.steps if step.reported_status is not None
        ]
        for exchange, required in candidates:
            body = exchange.json_object()
            if "queue_position" not in body:
                if required:
                    return Verdict(Outcome.FAILED, "submit reply has no queue_position", exchange)
                continue
            value = body["queue_position"]
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                return Verdict(Outcome.FAILED, f"queue_position {value!r} is not an integer ≥ 0", exchange)
            count += 1
            last = exchange
    if last is None:
        return Verdict(Outcome.SKIPPED, "no task was accepted", None)
    return Verdict(Outcome.PASSED, f"{count} queue positions, all integers ≥ 0", last)


def _results_after_completion(trace: TaskTrace) -> list[Exchange]:
    """The results read after the first COMPLETED report and before the outcome flipped, if it did
    (a flip is lifecycle.monotonic's finding; the results after it say nothing about this rule)."""
    first = trace.first_completed_index()
    if first is None:
        return []
    told = outcome_of(trace.steps[first].exchange.json_object())
    if trace.steps[first].kind is Kind.RESULT:
        told = result_outcome(trace.steps[first].exchange) or told
    cut = next(
        (
            index
            for index, step in trace.steps_of(Kind.STATUS)
            if index > first
            and step.reported_status == "COMPLETED"
            and outcome_of(step.exchange.json_object()) != told
        ),
        len(trace.steps),
    )
    return [step.exchange for index, step in trace.steps_of(Kind.RESULT) if first < index < cut]


def _judge_error_results(trace: TaskTrace, expected_type: str, what: str) -> Verdict | None:
    results = _results_after_completion(trace)
    if not results:
        return Verdict(Outcome.FAILED, f"the result of the {what} task was never fetched", _last(trace))
    for exchange in results:
        code = exchange.status_code
        body = exchange.json()
        if code == 200 and is_failed_result(body):
            # The official SeaCloud SDK reads this shape (contract §6 rev. 2, evidence).
            if body["error_type"] != expected_type:
                return Verdict(
                    Outcome.FAILED,
                    f"result's error_type is {body['error_type']!r}, not {expected_type!r}",
                    exchange,
                )
            continue
        if code is None or code < 400:
            return Verdict(
                Outcome.FAILED,
                f"result of a {what} task answered {code}, neither a 4xx/5xx error body nor "
                "200 {status: COMPLETED, error, error_type} without outputs",
                exchange,
            )
        if not is_error_body(body):
            return Verdict(Outcome.FAILED, f"result of a {what} task has no documented error body", exchange)
        reported = body.get("error_type")
        if reported is not None and reported != expected_type:
            return Verdict(
                Outcome.FAILED, f"result's error_type is {reported!r}, not {expected_type!r}", exchange
            )
    return None


@check(
    "lifecycle.failure.<TYPE>",
    Family.LIFECYCLE,
    basis=Basis.DOCUMENTED,
    operation=Kind.RESULT,
    scenarios=("failure",),
    trace_judge=True,
)
def failure(trace: TaskTrace) -> Verdict:
    """A forced failure (reference provider prompt marker) ends COMPLETED with an error string and
    ``error_type`` TYPE; its result is a 4xx/5xx documented error body, never 200."""
    expected_type = trace.scenario.partition(".")[2]
    if not trace.accepted:
        return _not_submitted(trace)
    final = trace.final_status_body()
    if final is None:
        return Verdict(Outcome.FAILED, "the task never reported COMPLETED", _last(trace))
    error, error_type = final.get("error"), final.get("error_type")
    if not isinstance(error, str) or error_type != expected_type:
        return Verdict(
            Outcome.FAILED,
            f"COMPLETED with error={error!r}, error_type={error_type!r}; "
            f"expected a string and {expected_type!r}",
            _last(trace),
        )
    problem = _judge_error_results(trace, expected_type, "failed")
    if problem is not None:
        return problem
    return Verdict(Outcome.PASSED, f"COMPLETED with {expected_type}; result answered an error", _last(trace))


@check(
    "lifecycle.cancel",
    Family.LIFECYCLE,
    basis=Basis.DOCUMENTED,
    operation=Kind.CANCEL,
    scenarios=("cancel",),
    trace_judge=True,
)
def cancel(trace: TaskTrace) -> Verdict:
    """Cancel answers 202 ``CANCELLATION_REQUESTED``, then the task is COMPLETED + CANCELED with an
    error result — or it finished first (allowed) and its result is 200."""
    if not trace.accepted:
        return _not_submitted(trace)
    cancels = trace.steps_of(Kind.CANCEL)
    if not cancels:
        return Verdict(Outcome.SKIPPED, "no cancel was sent", None)
    first_cancel = cancels[0][1].exchange
    body = first_cancel.json_object()
    if first_cancel.status_code in CANCEL_UNSUPPORTED and first_cancel.json() is not None:
        return Verdict(
            Outcome.UNSUPPORTED,
            f"cancel unsupported: {_answered(first_cancel)} with a JSON body (allowed, §6)",
            first_cancel,
        )
    accepted = first_cancel.status_code == 202 and body.get("status") == "CANCELLATION_REQUESTED"
    lost_race = first_cancel.status_code == 400 and body.get("status") == "ALREADY_COMPLETED"
    if not accepted and not lost_race:
        return Verdict(
            Outcome.FAILED,
            f"cancel {_answered(first_cancel)} {body or first_cancel.content[:80]!r}",
            first_cancel,
        )
    # The first COMPLETED report decides; a later flip is lifecycle.monotonic's finding.
    final = trace.first_status_body("COMPLETED")
    if final is None:
        return Verdict(Outcome.FAILED, "the task never reported COMPLETED after the cancel", _last(trace))
    outcome = outcome_of(final)
    if outcome == "success":
        for exchange in _results_after_completion(trace):
            if exchange.status_code != 200:
                return Verdict(Outcome.FAILED, "the task finished but its result is not 200", exchange)
        return Verdict(
            Outcome.PASSED, "the task finished before the cancel took effect (allowed)", first_cancel
        )
    if lost_race:
        return Verdict(
            Outcome.FAILED, f"cancel said ALREADY_COMPLETED but the task ended {outcome}", first_cancel
        )
    if final.get("error_type") != "CANCELED" or not isinstance(final.get("error"), str):
        return Verdict(
            Outcome.FAILED,
            f"after an accepted cancel the task ended {outcome}, not CANCELED",
            _last(trace),
            basis=Basis.CHOICE,
            location="contract §6: state after an accepted cancel",
        )
    problem = _judge_error_results(trace, "CANCELED", "canceled")
    if problem is not None:
        return problem
    return Verdict(Outcome.PASSED, "202, then COMPLETED + CANCELED and an error result", first_cancel)


@check(
    "lifecycle.cancel_terminal",
    Family.LIFECYCLE,
    basis=Basis.DOCUMENTED,
    operation=Kind.CANCEL,
    scenarios=("success",),
    trace_judge=True,
)
def cancel_terminal(trace: TaskTrace) -> Verdict:
    """Cancelling a terminal task answers 400 ``ALREADY_COMPLETED``."""
    if not trace.accepted:
        return _not_submitted(trace)
    first = trace.first_completed_index()
    late = [
        step.exchange for index, step in trace.steps_of(Kind.CANCEL) if first is not None and index > first
    ]
    if not late:
        return Verdict(Outcome.SKIPPED, "no cancel was sent after completion", None)
    for exchange in late:
        if exchange.status_code in CANCEL_UNSUPPORTED and exchange.json() is not None:
            return Verdict(Outcome.UNSUPPORTED, f"cancel unsupported: {_answered(exchange)}", exchange)
        if exchange.status_code != 400 or exchange.json_object().get("status") != "ALREADY_COMPLETED":
            return Verdict(
                Outcome.FAILED,
                f"cancel of a terminal task {_answered(exchange)}, not 400 ALREADY_COMPLETED",
                exchange,
            )
    return Verdict(Outcome.PASSED, "400 ALREADY_COMPLETED", late[-1])


@check("lifecycle.unknown_id", Family.LIFECYCLE, basis=Basis.DOCUMENTED)
def unknown_id(kind: Kind, exchange: Exchange) -> Verdict:
    """Status, result and cancel of an unknown id answer 404 with a documented error body."""
    if exchange.status_code != 404:
        return Verdict(Outcome.FAILED, f"unknown id answered {exchange.status_code}, not 404", exchange)
    body = exchange.json()
    if kind is Kind.CANCEL and isinstance(body, dict) and body.get("status") == "NOT_FOUND":
        return Verdict(Outcome.PASSED, "404 NOT_FOUND", exchange)
    if not is_error_body(body):
        return Verdict(Outcome.FAILED, "404 without a documented JSON error body", exchange)
    return Verdict(Outcome.PASSED, "404 with an error body", exchange)


def guarded(judge: Callable[[TaskTrace], Verdict], trace: TaskTrace) -> Verdict:
    """Run one judge; a bug in it (any exception) becomes an ``error`` verdict instead of a crash.

    Why: one odd response must never cost the user the whole report (contract §8: a run always
    ends with a report).
    """
    try:
        return judge(trace)
    except Exception as error:
        return Verdict(
            Outcome.ERROR, f"the check itself failed: {type(error).__name__}: {error}", _last(trace)
        )


def cancel_reply(trace: TaskTrace) -> Verdict:
    """The first cancel's reply alone: 202 ``CANCELLATION_REQUESTED``, 400 ``ALREADY_COMPLETED``, or
    cancel unsupported (for recordings that hold nothing after the cancel)."""
    cancels = trace.steps_of(Kind.CANCEL)
    if not cancels:
        return Verdict(Outcome.SKIPPED, "no cancel was sent", None)
    first = cancels[0][1].exchange
    status = first.json_object().get("status")
    if first.status_code in CANCEL_UNSUPPORTED and first.json() is not None:
        return Verdict(Outcome.UNSUPPORTED, f"cancel unsupported: {_answered(first)}", first)
    if (first.status_code, status) in ((202, "CANCELLATION_REQUESTED"), (400, "ALREADY_COMPLETED")):
        return Verdict(Outcome.PASSED, f"{first.status_code} {status} (nothing recorded after it)", first)
    return Verdict(Outcome.FAILED, f"cancel {_answered(first)} {first.content[:80]!r}", first)


def judge_trace(trace: TaskTrace, redact: Redactor, *, recorded: bool = False) -> list[CheckResult]:
    """Run every registered trace judge that applies to the trace's scenario.

    Args:
        trace: The task's exchanges.
        redact: Removes secrets from reproductions.
        recorded: The trace was replayed from a recording: checks that need what recordings do not
            keep (timing) are skipped, saying why.
    """
    results = []
    for declared in trace_checks(trace.scenario):
        assert declared.judge is not None  # trace_checks returns judges only
        kind = declared.operation or Kind.STATUS
        check_id = declared.instance_id(trace.scenario)
        if recorded and not declared.recorded:
            verdict = Verdict(Outcome.SKIPPED, "not judged on recordings (timing is not recorded)", None)
        elif recorded and not trace.steps_of(Kind.STATUS) and declared.judge is not identity:
            # A recording without status replies (the documented set: the docs show none) says
            # nothing about the rules that need them; a cancel reply alone is still judged.
            verdict = (
                guarded(cancel_reply, trace)
                if declared.judge is cancel
                else Verdict(Outcome.SKIPPED, "the recording has no status reply to judge", None)
            )
        else:
            verdict = guarded(declared.judge, trace)
        results.append(_result(check_id, trace.model, kind, verdict, redact, trace))
    return results


def judge_queue_positions(model: str, traces: list[TaskTrace], redact: Redactor) -> CheckResult:
    """The ``lifecycle.queue_position`` result of one model."""
    return _result(implemented_by(queue_positions).id, model, Kind.STATUS, queue_positions(traces), redact)


def judge_unknown_id(model: str, kind: Kind, exchange: Exchange, redact: Redactor) -> CheckResult:
    """The ``lifecycle.unknown_id`` result of one operation."""
    return _result(implemented_by(unknown_id).id, model, kind, unknown_id(kind, exchange), redact)
