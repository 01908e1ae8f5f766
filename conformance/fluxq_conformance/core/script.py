"""Reproduction scripts: the whole shell sequence, from submit, that shows a task's problem again.

A report names tasks that finished long ago, so the one offending request alone reproduces
nothing. :func:`task_script` rebuilds what the suite did to that task as a bash script: submit the
same body (keeping the new id in ``$ID``), cancel where the suite cancelled, wait for ``COMPLETED``
where the problem came after it, then send the offending request and print the answer. The key is
``$FLUXQ_API_KEY`` throughout; only ``curl`` and ``python3`` are needed.
"""

from __future__ import annotations

import dataclasses
import shlex
from collections.abc import Iterable

from fluxq_conformance.core.exchange import KEY_PLACEHOLDER, Exchange, Redactor, reproduce
from fluxq_conformance.core.results import Reproduction
from fluxq_conformance.core.spec import Kind
from fluxq_conformance.core.trace import TaskTrace

#: Headers a reproduction sends again (the rest are curl's own or transport details).
_KEPT_HEADERS = ("authorization", "content-type")
#: Bodies up to this size are repeated in full; a larger one (image data) would not fit a report.
MAX_SCRIPT_BODY = 20_000
_READ_ID = "python3 -c 'import json,sys; print(json.load(sys.stdin)[\"request_id\"])'"
_POLL_SECONDS = 1
_POLL_TRIES = 300


def _double_quoted(text: str, keep: tuple[str, ...]) -> str:
    """Quote for bash so that only the ``keep`` variables expand."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("`", "\\`").replace("$", "\\$")
    for name in keep:
        escaped = escaped.replace("\\" + name, name)
    return f'"{escaped}"'


def _curl(exchange: Exchange, redact: Redactor, request_id: str | None, *, flags: str) -> str:
    """One curl command for ``exchange``, its id replaced by ``$ID``."""
    keep = (KEY_PLACEHOLDER, "$ID")

    def shown(text: str) -> str:
        text = redact(text)
        return text.replace(request_id, "$ID") if request_id else text

    parts = ["curl", flags, "-X", exchange.method, _double_quoted(shown(exchange.url), keep)]
    for name in _KEPT_HEADERS:
        value = exchange.request_headers.get(name)
        if value is not None:
            parts += ["-H", _double_quoted(f"{name}: {shown(value)}", keep)]
    if exchange.request_body:
        body = exchange.request_body.decode("utf-8", errors="replace")
        if len(body) > MAX_SCRIPT_BODY:
            body = body[:MAX_SCRIPT_BODY]  # still shows the shape; the report says it was cut
        parts += ["--data", shlex.quote(redact(body))]
    return " ".join(parts)


def _wait_until_completed(trace: TaskTrace, redact: Redactor, request_id: str) -> list[str]:
    status = next((step.exchange for step in trace.steps if step.kind is Kind.STATUS), None)
    if status is None:
        return []
    poll = _curl(status, redact, request_id, flags="-sS")
    return [
        f"# wait until the task reports COMPLETED (polling every {_POLL_SECONDS} s, as the suite did)",
        f"for _ in $(seq {_POLL_TRIES}); do",
        f"  {poll} | tee /dev/stderr | grep -q '\"COMPLETED\"' && break",
        f"  sleep {_POLL_SECONDS}",
        "done",
    ]


def _index_of(trace: TaskTrace, evidence: Exchange) -> int | None:
    for index, step in enumerate(trace.steps):
        if step.exchange is evidence:
            return index
    return None


def _output_fetch(trace: TaskTrace, evidence: Exchange, redact: Redactor, request_id: str) -> list[str]:
    """Fetch the output the evidence is about: read its URL from the result, then download it."""
    result = next(
        (
            step.exchange
            for step in reversed(trace.steps)
            if step.kind is Kind.RESULT and step.exchange.status_code == 200
        ),
        None,
    )
    if result is None:
        return []
    outputs = result.json_object().get("outputs")
    urls = (
        [item.get("url") for item in outputs if isinstance(item, dict)] if isinstance(outputs, list) else []
    )
    index = urls.index(evidence.url) if evidence.url in urls else 0
    read_url = f'python3 -c \'import json,sys; print(json.load(sys.stdin)["outputs"][{index}]["url"])\''
    fetch_result = _curl(result, redact, request_id, flags="-sS")
    return [
        "# read the output's URL from the result, download it and show what it is",
        f"URL=$({fetch_result} | {read_url})",
        'curl -sS -D - -o fluxq-output "$URL"',
        "file fluxq-output 2>/dev/null || ls -l fluxq-output",
    ]


def task_script(trace: TaskTrace, evidence: Exchange, redact: Redactor) -> str | None:
    """The bash sequence that reproduces ``evidence`` on a fresh task like ``trace``.

    Returns:
        The script, or ``None`` when there is no task to rebuild (submit failed) and a single curl
        line already says everything.
    """
    request_id = trace.request_id
    if evidence is trace.submit:
        return None
    if not trace.accepted or request_id is None:
        return None
    lines = [
        "# 1. submit the same request (this creates a task; the id goes into $ID)",
        f"ID=$({_curl(trace.submit, redact, None, flags='-sS')} | {_READ_ID})",
        'echo "task $ID"',
    ]
    index = _index_of(trace, evidence)
    completed = trace.first_completed_index()
    limit = index if index is not None else len(trace.steps)
    waited = False
    for position, step in enumerate(trace.steps[:limit]):
        if completed is not None and position >= completed and not waited:
            lines += _wait_until_completed(trace, redact, request_id)
            waited = True
        if step.kind is Kind.CANCEL:
            lines += ["# cancel, as the suite did", _curl(step.exchange, redact, request_id, flags="-sS")]
    if index is None:
        if not waited and completed is not None:
            lines += _wait_until_completed(trace, redact, request_id)
        fetch = _output_fetch(trace, evidence, redact, request_id)
        if not fetch:
            return None
        return "\n".join([*lines, *fetch])
    if completed is None or index < completed:
        # Stop at the answer that ends the wait: COMPLETED, an error, or a result's 200.
        stop = "200|[45][0-9][0-9]" if trace.steps[index].kind is Kind.RESULT else "[45][0-9][0-9]"
        lines += [
            "# poll the way the suite did: the problem shows in one of these answers",
            f"for _ in $(seq {_POLL_TRIES}); do",
            f"  {_curl(evidence, redact, request_id, flags='-sS -i')} | tee /dev/stderr "
            f"| grep -qE '\"COMPLETED\"|^HTTP/[0-9.]+ ({stop})' && break",
            f"  sleep {_POLL_SECONDS}",
            "done",
        ]
    else:
        lines += [
            "# the request that showed the problem",
            _curl(evidence, redact, request_id, flags="-sS -i"),
        ]
    return "\n".join(lines)


def reproduce_in_task(trace: TaskTrace, evidence: Exchange, redact: Redactor) -> Reproduction:
    """:func:`~fluxq_conformance.core.exchange.reproduce` plus the script from submit, when one applies."""
    return dataclasses.replace(reproduce(evidence, redact), script=task_script(trace, evidence, redact))


def reproduce_found(traces: Iterable[TaskTrace], evidence: Exchange, redact: Redactor) -> Reproduction:
    """Reproduce an exchange, with the script of the task it belongs to when it belongs to one."""
    for trace in traces:
        if evidence is trace.submit or any(step.exchange is evidence for step in trace.steps):
            return reproduce_in_task(trace, evidence, redact)
    return reproduce(evidence, redact)
