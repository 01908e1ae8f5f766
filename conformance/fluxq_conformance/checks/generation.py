"""Checks of a generation-format provider (seed 003, ``spec/fluxq.generation.openapi.yaml``).

Every check is declared once in the registry, in its family, under an id that says which format it
judges (``lifecycle.generation.statuses``); the judges here are pure functions of what a run saw: a
:class:`GenerationTrace` (one task: its create and every poll), single exchanges (auth, unknown ids,
invalid creates) and fetched output files. Replies are read with the generated
``fluxq_generation_models``.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

import pydantic
from PIL import Image, UnidentifiedImageError

import fluxq_generation_models as gen
from fluxq_conformance.checks.registry import Basis, Check, Family, declare
from fluxq_conformance.core.exchange import Exchange, Redactor, reproduce
from fluxq_conformance.core.results import CheckResult, Outcome

CREATE_OPERATION = "create_generation"
POLL_OPERATION = "get_generation_task"
STATES = ("pending", "processing", "completed", "failed")
FINAL_STATES = frozenset({"completed", "failed"})
_ORDER = {"pending": 0, "processing": 1, "completed": 2, "failed": 2}

AUTH_MISSING = declare(
    "auth.generation.missing",
    Family.AUTH,
    "Generation format: create and poll without credentials answer 401 or 403 with a JSON error body "
    "(seaart-sdk maps both to its auth error).",
    basis=Basis.EVIDENCE,
    location="spec/fluxq.generation.openapi.yaml #/components/responses/Unauthorized",
)
AUTH_WRONG = declare(
    "auth.generation.wrong",
    Family.AUTH,
    "Generation format: create and poll with a wrong key answer 401 or 403 with a JSON error body.",
    basis=Basis.EVIDENCE,
    location="spec/fluxq.generation.openapi.yaml #/components/responses/Unauthorized",
)
CREATED = declare(
    "lifecycle.generation.created",
    Family.LIFECYCLE,
    "Generation format: create answers 2xx with the task's id and initial status (seed 003: \"The "
    'initial response returns the task ID and initial status"; the field is `id`, as seaart-sdk reads).',
    basis=Basis.DOCUMENTED,
    location="spec/fluxq.generation.openapi.yaml #/paths/~1v1~1generation/post",
)
STATUSES = declare(
    "lifecycle.generation.statuses",
    Family.LIFECYCLE,
    "Generation format: every status is one of pending, processing, completed, failed, lower-case (the "
    "page names completed and failed; contract §7 adds the two waiting ones).",
    basis=Basis.DOCUMENTED,
    location="spec/fluxq.generation.openapi.yaml #/components/schemas/TaskState",
)
FORWARD = declare(
    "lifecycle.generation.forward_only",
    Family.LIFECYCLE,
    "Generation format: statuses only move forward (pending → processing → completed | failed).",
    basis=Basis.CHOICE,
    location="spec/fluxq.generation.openapi.yaml #/components/schemas/TaskState",
)
FINAL = declare(
    "lifecycle.generation.final",
    Family.LIFECYCLE,
    "Generation format: a completed or failed task keeps its status, outputs and error when polled "
    "again (seaart-sdk treats exactly these two as final).",
    basis=Basis.EVIDENCE,
    location="spec/fluxq.generation.openapi.yaml #/components/schemas/TaskState",
)
IDENTITY = declare(
    "lifecycle.generation.identity",
    Family.LIFECYCLE,
    "Generation format: every polled task object's `id` is the id create returned.",
    basis=Basis.CHOICE,
    location="spec/fluxq.generation.openapi.yaml #/components/schemas/GenerationTask/properties/id",
)
FINISHES = declare(
    "lifecycle.generation.finishes",
    Family.LIFECYCLE,
    "Generation format: a task reaches a final status within the deadline (completed for a plain "
    "prompt, failed for a forced failure).",
    basis=Basis.CHOICE,
)
FAILURE = declare(
    "lifecycle.generation.failure",
    Family.LIFECYCLE,
    "Generation format: a failed task carries `error` with a message (`message` or `error_message`) "
    "and no `output` or `usage`.",
    basis=Basis.DOCUMENTED,
    scenarios=("failure",),
    location="spec/fluxq.generation.openapi.yaml #/components/schemas/TaskError",
)
UNKNOWN_ID = declare(
    "lifecycle.generation.unknown_id",
    Family.LIFECYCLE,
    "Generation format: polling an id nobody created answers 404 with a JSON error body.",
    basis=Basis.CHOICE,
    location="spec/fluxq.generation.openapi.yaml #/components/responses/NotFound",
)
INVALID = declare(
    "lifecycle.generation.invalid_refused",
    Family.LIFECYCLE,
    "Generation format: a create the document forbids (unknown model, parameter out of range) is "
    "refused with 400 or 422 and a JSON error body.",
    basis=Basis.CHOICE,
    location="spec/fluxq.generation.openapi.yaml #/components/responses/InvalidInput",
)
OUTPUT = declare(
    "outputs.generation.present",
    Family.OUTPUTS,
    "Generation format: a completed task carries `output` with at least one content item with a URL, "
    "and no `error`.",
    basis=Basis.DOCUMENTED,
    scenarios=("success",),
    location="spec/fluxq.generation.openapi.yaml #/components/schemas/GenerationTask/properties/output",
)
USAGE = declare(
    "outputs.generation.usage",
    Family.OUTPUTS,
    "Generation format: a completed task carries `usage.cost`, a non-negative amount in USD (a "
    "string as documented, or a number).",
    basis=Basis.DOCUMENTED,
    scenarios=("success",),
    location="spec/fluxq.generation.openapi.yaml #/components/schemas/Usage",
)
IMAGE = declare(
    "outputs.generation.image",
    Family.OUTPUTS,
    "Generation format: each output URL serves, without the key, an image that decodes and whose "
    "Content-Type is image/*.",
    basis=Basis.CHOICE,
    scenarios=("success",),
    location="spec/fluxq.generation.openapi.yaml #/components/schemas/OutputContent/properties/url",
)
REPLIES = declare(
    "schema.generation.replies",
    Family.SCHEMA,
    "Generation format: every create and poll reply of the lifecycle has a status code the document "
    "declares for its operation and a body that validates against its schema.",
    basis=Basis.CHOICE,
    location="spec/fluxq.generation.openapi.yaml #/paths",
)


@dataclass
class GenerationTrace:
    """One task driven through the generation format.

    Attributes:
        model: The model id.
        scenario: ``success`` or ``failure.<TYPE>``.
        body: The create body sent.
        create: The create exchange.
        polls: Every poll exchange, in order.
    """

    model: str
    scenario: str
    body: dict[str, Any]
    create: Exchange
    polls: list[Exchange] = field(default_factory=list)

    @property
    def task_id(self) -> str | None:
        """The id create returned, when it returned one."""
        found = self.create.json_object().get("id")
        return found if isinstance(found, str) and found else None

    @property
    def accepted(self) -> bool:
        """Whether create answered 2xx with an id."""
        code = self.create.status_code
        return code is not None and 200 <= code < 300 and self.task_id is not None

    def states(self) -> list[tuple[str, Exchange]]:
        """Every status seen (create's first), with the exchange that reported it."""
        seen = []
        for exchange in [self.create, *self.polls]:
            status = exchange.json_object().get("status")
            if exchange.status_code == 200 and isinstance(status, str):
                seen.append((status, exchange))
        return seen

    def final_replies(self) -> list[Exchange]:
        """The poll replies that reported a final status."""
        return [exchange for status, exchange in self.states()[1:] if status in FINAL_STATES]


def _result(
    declared: Check,
    outcome: Outcome,
    message: str,
    model: str | None,
    operation: str | None,
    evidence: Exchange | None,
    redact: Redactor,
) -> CheckResult:
    proof = reproduce(evidence, redact) if evidence is not None else None
    return CheckResult(declared.id, outcome, redact(message), model, operation, proof)


def is_error_reply(exchange: Exchange) -> bool:
    """Whether a reply's body is one of the format's error shapes (``{"error": ...}`` or ``{"detail"}``)."""
    try:
        gen.ErrorBody.model_validate(exchange.json())
    except pydantic.ValidationError:
        return False
    return True


def judge_refusal(declared: Check, exchange: Exchange, redact: Redactor) -> CheckResult:
    """Bad or missing credentials: 401 or 403 with a JSON error body."""
    operation = CREATE_OPERATION if exchange.method == "POST" else POLL_OPERATION
    if exchange.status_code not in (401, 403):
        message = f"{exchange.method} answered {exchange.status_code}, not 401 or 403"
        return _result(declared, Outcome.FAILED, message, None, operation, exchange, redact)
    if not is_error_reply(exchange):
        message = f"{exchange.status_code} without a JSON error body"
        return _result(declared, Outcome.FAILED, message, None, operation, exchange, redact)
    message = f"{exchange.status_code} with an error body"
    return _result(declared, Outcome.PASSED, message, None, operation, exchange, redact)


def judge_created(trace: GenerationTrace, redact: Redactor) -> CheckResult:
    """Create answers 2xx with an id and a known status."""
    create = trace.create
    status = create.json_object().get("status")
    if create.status_code is None or not 200 <= create.status_code < 300:
        outcome, message = Outcome.FAILED, f"create answered {create.status_code or create.error}"
    elif trace.task_id is None:
        outcome, message = Outcome.FAILED, "create's reply has no `id`"
    elif status not in STATES:
        outcome, message = Outcome.FAILED, f"create's reply has status {status!r}"
    else:
        outcome, message = Outcome.PASSED, f"created {trace.task_id} ({status})"
    return _result(CREATED, outcome, message, trace.model, CREATE_OPERATION, create, redact)


def judge_statuses(trace: GenerationTrace, redact: Redactor) -> CheckResult:
    """Every status is one of the four lower-case values."""
    states = trace.states()
    for status, exchange in states:
        if status not in STATES:
            message = f"status {status!r} is not one of {', '.join(STATES)}"
            return _result(STATUSES, Outcome.FAILED, message, trace.model, POLL_OPERATION, exchange, redact)
    message = " → ".join(dict.fromkeys(status for status, _ in states)) or "no status seen"
    return _result(STATUSES, Outcome.PASSED, message, trace.model, POLL_OPERATION, None, redact)


def judge_forward(trace: GenerationTrace, redact: Redactor) -> CheckResult:
    """Statuses never move backwards, and one final status is never replaced by the other."""
    previous: str | None = None
    for status, exchange in trace.states():
        if status not in _ORDER:
            continue
        backwards = previous is not None and _ORDER[status] < _ORDER[previous]
        switched = previous in FINAL_STATES and status != previous
        if backwards or switched:
            message = f"status went from {previous} to {status}"
            return _result(FORWARD, Outcome.FAILED, message, trace.model, POLL_OPERATION, exchange, redact)
        previous = status
    return _result(
        FORWARD, Outcome.PASSED, "statuses only moved forward", trace.model, POLL_OPERATION, None, redact
    )


def _outcome_of(exchange: Exchange) -> tuple[Any, ...]:
    body = exchange.json_object()
    return body.get("status"), body.get("output"), body.get("error")


def judge_final(trace: GenerationTrace, redact: Redactor) -> CheckResult:
    """Once final, a task's status, outputs and error stay the same on every later poll."""
    states = trace.states()
    first_final = next((index for index, (status, _) in enumerate(states) if status in FINAL_STATES), None)
    if first_final is None:
        return _result(
            FINAL,
            Outcome.SKIPPED,
            "the task never reached a final status",
            trace.model,
            POLL_OPERATION,
            None,
            redact,
        )
    settled = _outcome_of(states[first_final][1])
    later = [exchange for _, exchange in states[first_final + 1 :]]
    for exchange in later:
        if _outcome_of(exchange) != settled:
            again = _outcome_of(exchange)[0]
            message = f"a final {settled[0]} task read again as {again}, or with other outputs or error"
            return _result(FINAL, Outcome.FAILED, message, trace.model, POLL_OPERATION, exchange, redact)
    if not later:
        return _result(
            FINAL,
            Outcome.SKIPPED,
            "the final status was not read again",
            trace.model,
            POLL_OPERATION,
            None,
            redact,
        )
    message = f"{settled[0]} read {len(later) + 1} times, unchanged"
    return _result(FINAL, Outcome.PASSED, message, trace.model, POLL_OPERATION, None, redact)


def judge_identity(trace: GenerationTrace, redact: Redactor) -> CheckResult:
    """Every poll's task object names the id create returned."""
    for exchange in trace.polls:
        found = exchange.json_object().get("id")
        if exchange.status_code == 200 and found != trace.task_id:
            message = f"a poll of {trace.task_id} answered a task object with id {found!r}"
            return _result(IDENTITY, Outcome.FAILED, message, trace.model, POLL_OPERATION, exchange, redact)
    message = f"{len(trace.polls)} polls named {trace.task_id}"
    return _result(IDENTITY, Outcome.PASSED, message, trace.model, POLL_OPERATION, None, redact)


def judge_finishes(trace: GenerationTrace, redact: Redactor) -> CheckResult:
    """The task reached the final status its scenario expects within the deadline."""
    expected = "completed" if trace.scenario == "success" else "failed"
    states = trace.states()
    last_status, last = states[-1] if states else (None, trace.create)
    if last_status == expected:
        return _result(FINISHES, Outcome.PASSED, f"{expected}", trace.model, POLL_OPERATION, None, redact)
    if last_status in FINAL_STATES:
        message = f"the {trace.scenario} task ended {last_status}, not {expected}"
    else:
        message = f"the {trace.scenario} task was still {last_status} at the deadline"
    polls = trace.polls
    return _result(
        FINISHES, Outcome.FAILED, message, trace.model, POLL_OPERATION, polls[-1] if polls else last, redact
    )


def judge_failure(trace: GenerationTrace, redact: Redactor) -> CheckResult:
    """A failed task carries an error with a message, and no output or usage."""
    replies = [
        exchange for exchange in trace.final_replies() if exchange.json_object().get("status") == "failed"
    ]
    if not replies:
        return _result(
            FAILURE,
            Outcome.SKIPPED,
            "the task never reported failed",
            trace.model,
            POLL_OPERATION,
            None,
            redact,
        )
    for exchange in replies:
        body = exchange.json_object()
        error = body.get("error")
        message = error.get("message") or error.get("error_message") if isinstance(error, dict) else None
        if not isinstance(message, str) or not message:
            problem = "a failed task without an error message (`error.message` or `error.error_message`)"
            return _result(FAILURE, Outcome.FAILED, problem, trace.model, POLL_OPERATION, exchange, redact)
        extra = [name for name in ("output", "usage") if body.get(name)]
        if extra:
            problem = f"a failed task carries {', '.join(extra)}"
            return _result(FAILURE, Outcome.FAILED, problem, trace.model, POLL_OPERATION, exchange, redact)
    detail = replies[0].json_object()["error"]
    text = f"failed with code {detail.get('code')!r}: {detail.get('message') or detail.get('error_message')}"
    return _result(FAILURE, Outcome.PASSED, text, trace.model, POLL_OPERATION, replies[0], redact)


def completed_reply(trace: GenerationTrace) -> Exchange | None:
    """The first poll reply that reported completed, or ``None``."""
    for exchange in trace.final_replies():
        if exchange.json_object().get("status") == "completed":
            return exchange
    return None


def output_urls(reply: Exchange) -> list[str]:
    """The content URLs of a completed reply, in order."""
    urls: list[str] = []
    output = reply.json_object().get("output")
    for entry in output if isinstance(output, list) else []:
        content = entry.get("content") if isinstance(entry, dict) else None
        for item in content if isinstance(content, list) else []:
            if isinstance(item, dict) and isinstance(item.get("url"), str) and item["url"]:
                urls.append(item["url"])
    return urls


def judge_output(trace: GenerationTrace, redact: Redactor) -> CheckResult:
    """A completed task carries output with at least one URL, and no error."""
    reply = completed_reply(trace)
    if reply is None:
        return _result(
            OUTPUT, Outcome.SKIPPED, "the task never completed", trace.model, POLL_OPERATION, None, redact
        )
    if reply.json_object().get("error"):
        return _result(
            OUTPUT,
            Outcome.FAILED,
            "a completed task carries `error`",
            trace.model,
            POLL_OPERATION,
            reply,
            redact,
        )
    urls = output_urls(reply)
    if not urls:
        message = "a completed task without `output[].content[].url`"
        return _result(OUTPUT, Outcome.FAILED, message, trace.model, POLL_OPERATION, reply, redact)
    return _result(
        OUTPUT, Outcome.PASSED, f"{len(urls)} output URL(s)", trace.model, POLL_OPERATION, reply, redact
    )


def parse_cost(value: object) -> Decimal | None:
    """A usage cost as a decimal amount (a string such as ``"0.04"`` or a number), else ``None``."""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        return None
    try:
        amount = Decimal(str(value).strip())
    except InvalidOperation:
        return None
    return amount if amount.is_finite() and amount >= 0 else None


def judge_usage(trace: GenerationTrace, redact: Redactor) -> CheckResult:
    """A completed task carries usage.cost, a non-negative USD amount."""
    reply = completed_reply(trace)
    if reply is None:
        return _result(
            USAGE, Outcome.SKIPPED, "the task never completed", trace.model, POLL_OPERATION, None, redact
        )
    usage = reply.json_object().get("usage")
    if not isinstance(usage, dict) or "cost" not in usage:
        return _result(
            USAGE,
            Outcome.FAILED,
            "a completed task without `usage.cost`",
            trace.model,
            POLL_OPERATION,
            reply,
            redact,
        )
    cost = parse_cost(usage["cost"])
    if cost is None:
        message = f"usage.cost {usage['cost']!r} is not a non-negative amount"
        return _result(USAGE, Outcome.FAILED, message, trace.model, POLL_OPERATION, reply, redact)
    return _result(USAGE, Outcome.PASSED, f"cost {cost} USD", trace.model, POLL_OPERATION, reply, redact)


def judge_image(url: str, fetched: Exchange, model: str, redact: Redactor) -> CheckResult:
    """One output URL serves, without the key, a decodable image/* file."""
    if fetched.status_code != 200:
        message = f"GET {url} without the key answered {fetched.status_code or fetched.error}"
        return _result(IMAGE, Outcome.FAILED, message, model, POLL_OPERATION, fetched, redact)
    try:
        with Image.open(io.BytesIO(fetched.content)) as image:
            image.load()
            found, size = image.format, image.size
    except (UnidentifiedImageError, OSError, ValueError) as error:
        return _result(
            IMAGE, Outcome.FAILED, f"{url} is not an image: {error}", model, POLL_OPERATION, fetched, redact
        )
    if not fetched.content_type.startswith("image/"):
        message = f"{url} is a {found} image served as {fetched.content_type or 'no Content-Type'}"
        return _result(IMAGE, Outcome.FAILED, message, model, POLL_OPERATION, fetched, redact)
    message = f"{found} image, {size[0]}×{size[1]}"
    return _result(IMAGE, Outcome.PASSED, message, model, POLL_OPERATION, None, redact)


def judge_unknown_id(exchange: Exchange, redact: Redactor) -> CheckResult:
    """Polling an unknown id answers 404 with a JSON error body."""
    if exchange.status_code != 404 or not is_error_reply(exchange):
        message = f"polling an unknown id answered {exchange.status_code or exchange.error}" + (
            "" if exchange.status_code != 404 else " without a JSON error body"
        )
        return _result(UNKNOWN_ID, Outcome.FAILED, message, None, POLL_OPERATION, exchange, redact)
    return _result(
        UNKNOWN_ID, Outcome.PASSED, "404 with an error body", None, POLL_OPERATION, exchange, redact
    )


def judge_invalid(exchange: Exchange, model: str, redact: Redactor) -> CheckResult:
    """A forbidden create is refused with 400 or 422 and a JSON error body."""
    if exchange.status_code not in (400, 422) or not is_error_reply(exchange):
        message = f"a create the document forbids answered {exchange.status_code or exchange.error}"
        return _result(INVALID, Outcome.FAILED, message, model, CREATE_OPERATION, exchange, redact)
    return _result(
        INVALID,
        Outcome.PASSED,
        f"refused with {exchange.status_code}",
        model,
        CREATE_OPERATION,
        exchange,
        redact,
    )


#: Reply schemas of the document: (operation, status) → the generated model that validates the body.
_REPLY_MODELS: Mapping[str, Mapping[int, type[pydantic.BaseModel]]] = {
    CREATE_OPERATION: {
        200: gen.GenerationTask,
        **dict.fromkeys((400, 401, 403, 422, 429, 500, 502, 503, 504), gen.ErrorBody),
    },
    POLL_OPERATION: {
        200: gen.GenerationTask,
        **dict.fromkeys((401, 403, 404, 429, 500, 502, 503, 504), gen.ErrorBody),
    },
}


def reply_problem(exchange: Exchange, operation: str) -> str | None:
    """Why a reply breaks the document (undeclared status, or a body its schema refuses), or ``None``."""
    declared = _REPLY_MODELS[operation]
    if exchange.status_code is None:
        return None
    model = declared.get(exchange.status_code)
    if model is None:
        return f"status {exchange.status_code} is not declared for {operation}"
    try:
        model.model_validate(exchange.json())
    except pydantic.ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "body"
        return f"{operation} {exchange.status_code} body: {where}: {first['msg']}"
    return None


def judge_replies(traces: list[GenerationTrace], redact: Redactor) -> list[CheckResult]:
    """Every create and poll reply of the lifecycle, against the document (one result per model)."""
    results = []
    for model in dict.fromkeys(trace.model for trace in traces):
        checked, problem = 0, None
        for trace in (t for t in traces if t.model == model):
            pairs = [(trace.create, CREATE_OPERATION)] + [(poll, POLL_OPERATION) for poll in trace.polls]
            for exchange, operation in pairs:
                found = reply_problem(exchange, operation)
                checked += 1
                if found is not None and problem is None:
                    problem = (found, exchange)
        if problem is not None:
            results.append(_result(REPLIES, Outcome.FAILED, problem[0], model, None, problem[1], redact))
        else:
            results.append(
                _result(REPLIES, Outcome.PASSED, f"{checked} replies valid", model, None, None, redact)
            )
    return results


TRACE_JUDGES: tuple[Callable[[GenerationTrace, Redactor], CheckResult], ...] = (
    judge_created,
    judge_statuses,
    judge_forward,
    judge_final,
    judge_identity,
    judge_finishes,
)
"""Judges that apply to every accepted trace."""
