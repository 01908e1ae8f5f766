"""The judges' verdicts on hand-built exchanges: each rule's faithful case passes, each breach fails.

Fast and offline (no provider run), so mutation testing (``scripts/mutants``) can afford them; the
broken provider variants (``runner/test_variants.py``) prove the same rules end to end.
"""

from __future__ import annotations

import asyncio
import io
import json
from typing import Any

import httpx
import pytest
from PIL import Image

from fluxq_conformance.checks import lifecycle
from fluxq_conformance.checks.auth import (
    UNKNOWN_ID,
    detect_scheme,
    judge_refusal,
    judge_scheme,
    run_auth_checks,
)
from fluxq_conformance.checks.outputs import (
    fetch_outputs,
    judge_image,
    judge_outputs,
    judge_size,
    output_items,
    requested_size,
    successful_result,
)
from fluxq_conformance.checks.registry import Basis
from fluxq_conformance.core.exchange import Exchange, Redactor
from fluxq_conformance.core.results import Outcome
from fluxq_conformance.core.session import AuthScheme, ProviderSession, TaskBudget
from fluxq_conformance.core.spec import Kind, models, operation_for
from fluxq_conformance.core.trace import Step, TaskTrace
from fluxq_conformance.run.targets import reference_config
from fluxq_reference import DEMO_API_KEY, create_app

BASE = "https://cloud.seaart.ai/model/v1/queue"
MODEL = "flux_pro_11"
RID = "mmsu_judged"
ROOT = f"{BASE}/{MODEL}/requests/{RID}"
PASSED, FAILED, SKIPPED, WARNING = Outcome.PASSED, Outcome.FAILED, Outcome.SKIPPED, Outcome.WARNING
ERROR_BODY = {"detail": "no such thing"}


def reply(method: str, url: str, code: int | None, body: Any = None, *, at: float = 0.0) -> Exchange:
    content = b"" if body is None else json.dumps(body).encode()
    headers = {"content-type": "application/json"} if body is not None else {}
    return Exchange(method, url, {}, None, code, headers, content, at=at)


def submitted(**changes: Any) -> Exchange:
    body = {
        "request_id": RID,
        "status_url": f"{ROOT}/status",
        "response_url": f"{ROOT}/response",
        "cancel_url": f"{ROOT}/cancel",
        "queue_position": 0,
        **changes,
    }
    return reply("POST", f"{BASE}/{MODEL}", 200, {k: v for k, v in body.items() if v is not None})


def status(state: str, *, code: int = 200, at: float = 0.0, **extra: Any) -> Step:
    body = {"status": state, "request_id": RID, **extra}
    return Step(Kind.STATUS, reply("GET", f"{ROOT}/status", code, body, at=at))


def pending(state: str = "IN_PROGRESS", **extra: Any) -> Step:
    return Step(
        Kind.RESULT, reply("GET", f"{ROOT}/response", 202, {"status": state, "request_id": RID, **extra})
    )


def done(request_id: str = RID, outputs: Any = None, at: float = 0.0) -> Step:
    if outputs is None:
        outputs = [{"type": "image", "url": "https://cdn.test/a.png", "content_type": "image/png"}]
    body = {"request_id": request_id, "outputs": outputs, "metadata": {}}
    return Step(Kind.RESULT, reply("GET", f"{ROOT}/response", 200, body, at=at))


def result_error(code: int, body: Any) -> Step:
    return Step(Kind.RESULT, reply("GET", f"{ROOT}/response", code, body))


def cancel(code: int, state: str) -> Step:
    return Step(Kind.CANCEL, reply("PUT", f"{ROOT}/cancel", code, {"status": state}))


def trace(
    *steps: Step, scenario: str = "success", submit: Exchange | None = None, deadline: float | None = None
) -> TaskTrace:
    return TaskTrace(MODEL, scenario, {"prompt": "a"}, submit or submitted(), list(steps), deadline)


NOT_ACCEPTED = trace(status("COMPLETED"), done(), submit=reply("POST", f"{BASE}/{MODEL}", 500, ERROR_BODY))
SUCCESS = trace(status("IN_QUEUE", queue_position=1), pending(), status("COMPLETED"), done())
COMPLETED_CANCELED = status("COMPLETED", error="canceled", error_type="CANCELED")
BLOCKED = status("COMPLETED", error="blocked", error_type="CONTENT_BLOCKED")


# --- lifecycle.identity ---


def _submitted_url(name: str, url: str) -> Exchange:
    return submitted(**{name: url})


@pytest.mark.parametrize(
    ("judged", "outcome"),
    [
        (SUCCESS, PASSED),
        (NOT_ACCEPTED, FAILED),
        (
            trace(status("COMPLETED"), submit=_submitted_url("status_url", f"/model/v1/queue/{MODEL}/x")),
            FAILED,
        ),
        (trace(status("COMPLETED"), submit=submitted(cancel_url=None)), FAILED),
        (
            trace(
                status("COMPLETED"),
                submit=_submitted_url("status_url", f"{BASE}/{MODEL}/requests/other/status"),
            ),
            FAILED,
        ),
        (trace(status("COMPLETED"), submit=_submitted_url("cancel_url", f"{ROOT}/status")), FAILED),
        (
            trace(
                status("COMPLETED"),
                submit=_submitted_url("response_url", f"{BASE}/flux_2_pro/requests/{RID}/response"),
            ),
            FAILED,
        ),
        (trace(status("COMPLETED", request_id="mmsu_other")), FAILED),
        (trace(status("COMPLETED"), done(request_id="mmsu_other")), FAILED),
        (trace(status("IN_QUEUE", response_url=f"{BASE}/{MODEL}/requests/other/response")), FAILED),
        (trace(status("IN_QUEUE", response_url=f"{ROOT}/response"), done()), PASSED),
        (trace(status("COMPLETED"), cancel(400, "ALREADY_COMPLETED")), PASSED),  # cancel bodies carry no id
        (trace(Step(Kind.STATUS, reply("GET", f"{ROOT}/status", 404, ERROR_BODY))), PASSED),
        (trace(Step(Kind.STATUS, reply("GET", f"{ROOT}/status", None))), PASSED),
    ],
)
def test_identity(judged: TaskTrace, outcome: Outcome) -> None:
    assert lifecycle.identity(judged).outcome is outcome


# --- lifecycle.monotonic ---


@pytest.mark.parametrize(
    ("steps", "outcome"),
    [
        (
            (status("IN_QUEUE"), status("IN_QUEUE"), status("IN_PROGRESS"), status("COMPLETED"), done()),
            PASSED,
        ),
        ((pending("IN_QUEUE"), status("COMPLETED"), status("COMPLETED")), PASSED),
        ((status("IN_PROGRESS"), status("IN_QUEUE")), FAILED),
        ((status("COMPLETED"), pending("IN_PROGRESS")), FAILED),
        ((done(), status("IN_PROGRESS")), FAILED),
        ((status("RUNNING"),), FAILED),
        ((status("COMPLETED"), COMPLETED_CANCELED), FAILED),
        ((COMPLETED_CANCELED, status("COMPLETED")), FAILED),
        ((COMPLETED_CANCELED, COMPLETED_CANCELED, result_error(400, ERROR_BODY)), PASSED),
        ((COMPLETED_CANCELED, done()), FAILED),  # canceled, then a success: the outcome changed
        # a success told first by the result, then a status saying it was blocked: also a flip
        ((done(), status("COMPLETED", error="blocked", error_type="CONTENT_BLOCKED")), FAILED),
        ((done(), status("COMPLETED"), done()), PASSED),
        ((result_error(400, ERROR_BODY), COMPLETED_CANCELED), PASSED),
        ((cancel(202, "CANCELLATION_REQUESTED"),), FAILED),  # no status ever reported
        ((), FAILED),
    ],
)
def test_monotonic(steps: tuple[Step, ...], outcome: Outcome) -> None:
    assert lifecycle.monotonic(trace(*steps)).outcome is outcome


def test_monotonic_needs_a_task() -> None:
    assert lifecycle.monotonic(NOT_ACCEPTED).outcome is FAILED


# --- lifecycle.result_202_until_done ---


@pytest.mark.parametrize(
    ("steps", "outcome"),
    [
        ((pending("IN_QUEUE"), pending(), status("COMPLETED"), done()), PASSED),
        ((done(),), PASSED),
        ((pending("COMPLETED"), done()), FAILED),
        ((pending("RUNNING"), done()), FAILED),
        ((status("COMPLETED"), pending(), done()), FAILED),
        ((done(), status("IN_PROGRESS"), done()), FAILED),
        ((done(), status("IN_QUEUE"), done()), FAILED),
        ((status("IN_PROGRESS"), done()), PASSED),
        ((pending(), done(outputs=[])), FAILED),
        ((pending(), done(outputs={"a": 1})), FAILED),
        ((pending(), result_error(500, ERROR_BODY)), FAILED),
        ((pending(), status("COMPLETED")), FAILED),  # never a 200 result
        ((BLOCKED, done()), FAILED),
    ],
)
def test_result_202_until_done(steps: tuple[Step, ...], outcome: Outcome) -> None:
    assert lifecycle.result_202_until_done(trace(*steps)).outcome is outcome


def test_result_202_until_done_needs_a_task() -> None:
    assert lifecycle.result_202_until_done(NOT_ACCEPTED).outcome is FAILED


# --- lifecycle.deadline ---


@pytest.mark.parametrize(
    ("completed_at", "limit", "outcome"),
    [(20.0, 20.0, PASSED), (20.01, 20.0, FAILED), (5.0, 20.0, PASSED), (500.0, None, PASSED)],
)
def test_deadline_is_inclusive(completed_at: float, limit: float | None, outcome: Outcome) -> None:
    judged = trace(status("IN_PROGRESS", at=1.0), status("COMPLETED", at=completed_at), deadline=limit)
    assert lifecycle.deadline(judged).outcome is outcome


def test_deadline_counts_from_submit_and_needs_completion() -> None:
    late_submit = reply("POST", f"{BASE}/{MODEL}", 200, submitted().json(), at=10.0)
    assert lifecycle.deadline(trace(done(at=25.0), submit=late_submit, deadline=20.0)).outcome is PASSED
    assert lifecycle.deadline(trace(done(at=31.0), submit=late_submit, deadline=20.0)).outcome is FAILED
    assert lifecycle.deadline(trace(status("IN_PROGRESS"), deadline=20.0)).outcome is FAILED
    assert lifecycle.deadline(NOT_ACCEPTED).outcome is FAILED


# --- lifecycle.queue_position ---


@pytest.mark.parametrize("value", [-1, True, 1.5, "3", None])
def test_queue_positions_must_be_integers_of_at_least_zero(value: Any) -> None:
    in_status = trace(status("IN_QUEUE", queue_position=value))
    in_result = trace(pending("IN_QUEUE", queue_position=value))
    in_submit = trace(
        status("COMPLETED"), submit=submitted(queue_position=value if value is not None else -1)
    )

    assert lifecycle.queue_positions([SUCCESS, in_status]).outcome is FAILED
    assert lifecycle.queue_positions([in_result]).outcome is FAILED
    assert lifecycle.queue_positions([in_submit]).outcome is FAILED


def test_queue_positions_faithful_and_missing() -> None:
    zero = trace(status("IN_QUEUE", queue_position=0), status("IN_PROGRESS"))
    assert lifecycle.queue_positions([SUCCESS, zero]).outcome is PASSED
    # Two submits and the two status replies that carry one.
    assert lifecycle.queue_positions([SUCCESS, zero]).message == "4 queue positions, all integers ≥ 0"
    assert (
        lifecycle.queue_positions([trace(status("COMPLETED"), submit=submitted(queue_position=None))]).outcome
        is FAILED
    )
    assert lifecycle.queue_positions([NOT_ACCEPTED]).outcome is SKIPPED
    assert lifecycle.queue_positions([NOT_ACCEPTED, zero]).outcome is PASSED
    # A step that reports no status is not asked for a queue position.
    unreported = trace(Step(Kind.STATUS, reply("GET", f"{ROOT}/status", 404, {"queue_position": -1})))
    assert lifecycle.queue_positions([unreported]).outcome is PASSED


# --- lifecycle.failure.<TYPE> ---

FAILED_RESULT = {"status": "COMPLETED", "error": "blocked", "error_type": "CONTENT_BLOCKED"}


@pytest.mark.parametrize(
    ("steps", "outcome"),
    [
        (
            (
                status("IN_PROGRESS"),
                BLOCKED,
                result_error(422, {**ERROR_BODY, "error_type": "CONTENT_BLOCKED"}),
            ),
            PASSED,
        ),
        ((BLOCKED, result_error(422, ERROR_BODY)), PASSED),
        ((BLOCKED, result_error(200, FAILED_RESULT)), PASSED),
        ((BLOCKED, result_error(200, {**FAILED_RESULT, "error_type": "INFERENCE_FAILURE"})), FAILED),
        ((BLOCKED, result_error(422, {**ERROR_BODY, "error_type": "INFERENCE_FAILURE"})), FAILED),
        ((BLOCKED, result_error(422, {"status": "COMPLETED"})), FAILED),
        ((BLOCKED, result_error(399, ERROR_BODY)), FAILED),
        ((BLOCKED, Step(Kind.RESULT, reply("GET", f"{ROOT}/response", None))), FAILED),
        ((BLOCKED, done()), FAILED),
        ((BLOCKED,), FAILED),  # the result was never fetched
        ((result_error(422, ERROR_BODY), BLOCKED), FAILED),  # fetched only before completion
        (
            (status("COMPLETED", error="x", error_type="INFERENCE_FAILURE"), result_error(422, ERROR_BODY)),
            FAILED,
        ),
        (
            (status("COMPLETED", error=None, error_type="CONTENT_BLOCKED"), result_error(422, ERROR_BODY)),
            FAILED,
        ),
        ((status("IN_PROGRESS"),), FAILED),
    ],
)
def test_failure(steps: tuple[Step, ...], outcome: Outcome) -> None:
    judged = trace(*steps, scenario="failure.CONTENT_BLOCKED")
    assert lifecycle.failure(judged).outcome is outcome


def test_failure_needs_a_task() -> None:
    assert lifecycle.failure(trace(submit=NOT_ACCEPTED.submit, scenario="failure.X")).outcome is FAILED


# --- lifecycle.cancel and lifecycle.cancel_terminal ---

ACCEPTED = cancel(202, "CANCELLATION_REQUESTED")
LOST_RACE = cancel(400, "ALREADY_COMPLETED")
CANCELED_RESULT = result_error(400, {**ERROR_BODY, "error_type": "CANCELED"})


@pytest.mark.parametrize(
    ("steps", "outcome"),
    [
        ((status("IN_QUEUE"), ACCEPTED, COMPLETED_CANCELED, CANCELED_RESULT), PASSED),
        ((ACCEPTED, status("COMPLETED"), done()), PASSED),  # finished before the cancel took effect
        ((LOST_RACE, status("COMPLETED"), done()), PASSED),
        ((ACCEPTED, status("COMPLETED"), result_error(400, ERROR_BODY)), FAILED),
        ((LOST_RACE, COMPLETED_CANCELED, CANCELED_RESULT), FAILED),
        ((cancel(202, "OK"), COMPLETED_CANCELED, CANCELED_RESULT), FAILED),
        ((cancel(500, "CANCELLATION_REQUESTED"), COMPLETED_CANCELED, CANCELED_RESULT), FAILED),
        ((cancel(400, "CANCELLATION_REQUESTED"), COMPLETED_CANCELED, CANCELED_RESULT), FAILED),
        ((ACCEPTED, status("IN_PROGRESS")), FAILED),
        ((ACCEPTED, BLOCKED, CANCELED_RESULT), FAILED),
        ((ACCEPTED, status("COMPLETED", error_type="CANCELED"), CANCELED_RESULT), FAILED),
        ((ACCEPTED, COMPLETED_CANCELED, done()), FAILED),
        ((ACCEPTED, COMPLETED_CANCELED), FAILED),
        ((status("IN_QUEUE"),), SKIPPED),
    ],
)
def test_cancel(steps: tuple[Step, ...], outcome: Outcome) -> None:
    assert lifecycle.cancel(trace(*steps, scenario="cancel")).outcome is outcome


@pytest.mark.parametrize(
    ("steps", "outcome"),
    [
        ((status("COMPLETED"), done(), LOST_RACE, LOST_RACE), PASSED),
        ((status("COMPLETED"), LOST_RACE, ACCEPTED), FAILED),
        ((done(), cancel(400, "NOT_FOUND")), FAILED),
        ((done(), cancel(409, "ALREADY_COMPLETED")), FAILED),
        ((LOST_RACE, status("COMPLETED")), SKIPPED),  # sent before completion: not this rule
        ((status("IN_PROGRESS"), LOST_RACE), SKIPPED),
    ],
)
def test_cancel_terminal(steps: tuple[Step, ...], outcome: Outcome) -> None:
    assert lifecycle.cancel_terminal(trace(*steps)).outcome is outcome


def test_cancel_judges_need_a_task() -> None:
    assert lifecycle.cancel(NOT_ACCEPTED).outcome is FAILED
    assert lifecycle.cancel_terminal(NOT_ACCEPTED).outcome is FAILED


# --- lifecycle.unknown_id ---


@pytest.mark.parametrize(
    ("kind", "code", "body", "outcome"),
    [
        (Kind.STATUS, 404, ERROR_BODY, PASSED),
        (Kind.CANCEL, 404, {"status": "NOT_FOUND"}, PASSED),
        (Kind.CANCEL, 404, ERROR_BODY, PASSED),
        (Kind.STATUS, 404, {"status": "NOT_FOUND"}, FAILED),
        (Kind.CANCEL, 200, {"status": "NOT_FOUND"}, FAILED),
        (Kind.RESULT, 400, ERROR_BODY, FAILED),
        (Kind.RESULT, 404, {"message": "gone"}, FAILED),
    ],
)
def test_unknown_id(kind: Kind, code: int, body: Any, outcome: Outcome) -> None:
    assert lifecycle.unknown_id(kind, reply("GET", f"{ROOT}/status", code, body)).outcome is outcome


# --- auth ---

GATEWAY_ERROR = {"error": {"code": "UNAUTHORIZED", "message": "Invalid or missing API key"}}


@pytest.mark.parametrize(
    ("code", "body", "missing", "outcome"),
    [
        (401, GATEWAY_ERROR, True, PASSED),
        (401, ERROR_BODY, False, PASSED),
        (403, ERROR_BODY, False, PASSED),  # a wrong key may be forbidden
        (403, ERROR_BODY, True, FAILED),  # a missing one is unauthorised
        (200, GATEWAY_ERROR, True, FAILED),
        (200, GATEWAY_ERROR, False, FAILED),
        (200, {"status": "IN_QUEUE", "request_id": "x"}, False, FAILED),
        (404, ERROR_BODY, True, FAILED),
        (404, ERROR_BODY, False, FAILED),
        (401, {"message": "no"}, True, FAILED),
        (403, None, False, FAILED),
        (None, None, True, FAILED),
    ],
)
def test_refusal(code: int | None, body: Any, missing: bool, outcome: Outcome) -> None:
    assert judge_refusal(reply("GET", f"{ROOT}/status", code, body), missing=missing)[0] is outcome


@pytest.mark.parametrize(
    ("code", "scheme", "outcome"),
    [
        (404, AuthScheme.BEARER, PASSED),
        (200, AuthScheme.KEY, PASSED),
        (401, AuthScheme.BEARER, FAILED),  # the scheme in use
        (403, AuthScheme.BEARER, FAILED),
        (401, AuthScheme.KEY, SKIPPED),  # the other scheme: optional
        (403, AuthScheme.KEY, SKIPPED),
        (None, AuthScheme.KEY, FAILED),
    ],
)
def test_scheme(code: int | None, scheme: AuthScheme, outcome: Outcome) -> None:
    exchange = reply("GET", f"{ROOT}/status", code, ERROR_BODY if code else None)
    assert judge_scheme(exchange, scheme, AuthScheme.BEARER)[0] is outcome


# --- outputs ---


def image_bytes(size: tuple[int, int], fmt: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, format=fmt)
    return buffer.getvalue()


def file_reply(code: int, content: bytes, content_type: str = "image/png") -> Exchange:
    return Exchange("GET", "https://cdn.test/a", {}, None, code, {"content-type": content_type}, content)


@pytest.mark.parametrize(
    ("claimed", "fmt", "outcome"),
    [
        ("image/png", "PNG", PASSED),
        ("image/jpeg", "JPEG", PASSED),
        ("IMAGE/JPG", "JPEG", PASSED),
        ("image/webp", "WEBP", PASSED),
        ("image/png", "JPEG", FAILED),
        ("image/jpeg", "PNG", FAILED),
        ("image/webp", "PNG", FAILED),
        ("image/tiff", "PNG", WARNING),
    ],
)
def test_image_format_matches_its_claim(claimed: str, fmt: str, outcome: Outcome) -> None:
    fetched = file_reply(200, image_bytes((64, 32), fmt))

    found, _message, size = judge_image({"content_type": claimed}, fetched)

    assert found is outcome
    assert size == (64, 32)


def test_image_claim_falls_back_to_the_served_type_and_bad_files_fail() -> None:
    png = image_bytes((8, 8), "PNG")
    assert judge_image({}, file_reply(200, png, "image/png"))[0] is PASSED
    assert judge_image({}, file_reply(200, png, "image/jpeg"))[0] is FAILED
    assert judge_image({"content_type": None}, file_reply(200, png, "image/png"))[0] is PASSED
    undecodable = judge_image({"content_type": "image/png"}, file_reply(200, b"not an image"))
    assert (undecodable[0], undecodable[2]) == (FAILED, None)
    assert judge_image({}, file_reply(404, png))[0] is FAILED
    assert judge_image({}, file_reply(404, png))[2] is None
    assert judge_image({"url": "https://cdn.test/a"}, None)[0] is SKIPPED


@pytest.mark.parametrize(
    ("item", "size", "asked", "outcome"),
    [
        ({"width": 512, "height": 768}, (512, 768), (512, 768), PASSED),
        ({"width": 512, "height": 768}, (512, 384), None, FAILED),  # the height alone is wrong
        ({"width": 512, "height": 768}, (256, 768), None, FAILED),  # the width alone is wrong
        ({}, (512, 768), (512, 768), PASSED),
        ({}, (512, 384), (512, 768), FAILED),
        ({}, (256, 768), (512, 768), FAILED),
        ({}, (33, 17), None, PASSED),
        ({"width": 512}, (512, 768), None, FAILED),  # a half claim is still a claim
    ],
)
def test_size(
    item: dict[str, Any], size: tuple[int, int], asked: tuple[int, int] | None, outcome: Outcome
) -> None:
    assert judge_size(item, size, asked)[0] is outcome


def test_size_messages_name_the_sizes() -> None:
    assert judge_size({}, (33, 17), None) == (PASSED, "33×17")
    assert judge_size({}, (512, 768), (512, 768)) == (PASSED, "512×768 as asked")
    assert judge_size({"width": 512, "height": 768}, (512, 384), None) == (
        FAILED,
        "item says 512×768 but the image is 512×384",
    )
    assert judge_size({}, (256, 768), (512, 768)) == (FAILED, "asked for 512×768 but the image is 256×768")


def _file_host(files: dict[str, bytes]) -> tuple[ProviderSession, list[httpx.Request]]:
    """A session whose requests reach a file host serving ``files`` (PNG), 404 for any other URL."""
    seen: list[httpx.Request] = []

    def serve(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        content = files.get(str(request.url))
        if content is None:
            return httpx.Response(404)
        return httpx.Response(200, headers={"content-type": "image/png"}, content=content)

    client = httpx.Client(transport=httpx.MockTransport(serve))
    session = ProviderSession(
        "https://cloud.seaart.ai/model", DEMO_API_KEY, AuthScheme.BEARER, client, TaskBudget(0)
    )
    return session, seen


def test_every_output_is_fetched_without_the_key_and_each_image_judged_on_its_own_file() -> None:
    first, video, untyped = "https://cdn.test/a.png", "https://cdn.test/b.mp4", "https://cdn.test/c"
    outputs = [
        {"type": "image", "url": first, "content_type": "image/png", "width": 1024, "height": 768},
        {"type": "video", "url": video, "content_type": "video/mp4"},  # not an image: not judged
        {"url": untyped},  # no type: an image; no content_type: the served one is the claim
    ]
    judged = trace(status("COMPLETED"), done(outputs=outputs))
    png = image_bytes((1024, 768), "PNG")  # the size the spec's defaults ask for
    session, seen = _file_host({first: png, untyped: png})

    fetched = fetch_outputs(session, judged)
    results = judge_outputs(judged, fetched, session.redactor)

    assert sorted(fetched) == [first, video, untyped]
    assert [str(request.url) for request in seen] == [first, video, untyped]
    assert all("authorization" not in request.headers for request in seen)
    assert [(r.check_id, r.outcome) for r in results] == [
        ("outputs.image", PASSED),
        ("outputs.size", PASSED),
        ("outputs.image", PASSED),
        ("outputs.size", PASSED),
    ]
    assert results[1].message == "1024×768 as asked"
    # The evidence of each verdict is the download of that very file, not the result that listed it.
    assert [r.reproduction.url if r.reproduction else None for r in results] == [
        first,
        first,
        untyped,
        untyped,
    ]


def test_outputs_without_a_successful_result_or_an_image_are_not_judged_as_passing() -> None:
    session, seen = _file_host({})
    unfinished = trace(status("IN_PROGRESS"), pending())

    assert fetch_outputs(session, unfinished) == {}
    assert seen == []
    skipped = judge_outputs(unfinished, {}, session.redactor)
    assert [(r.check_id, r.outcome) for r in skipped] == [
        ("outputs.image", SKIPPED),
        ("outputs.size", SKIPPED),
    ]

    only_video = trace(done(outputs=[{"type": "video", "url": "https://cdn.test/b.mp4"}]))
    verdicts = judge_outputs(only_video, fetch_outputs(session, only_video), session.redactor)
    assert [(r.check_id, r.outcome, r.message) for r in verdicts] == [
        ("outputs.image", FAILED, "the result lists no image output")
    ]
    missing = trace(done())  # its file answers 404
    verdicts = judge_outputs(missing, fetch_outputs(session, missing), session.redactor)
    assert [(r.check_id, r.outcome) for r in verdicts] == [
        ("outputs.image", FAILED),
        ("outputs.size", SKIPPED),
    ]


def test_requested_size_fills_in_the_spec_defaults() -> None:
    assert requested_size(MODEL, {"width": 512, "height": 768}) == (512, 768)
    assert requested_size(MODEL, {"width": 512}) == (512, 768)  # the spec's default height
    assert requested_size(MODEL, {}) == (1024, 768)
    assert requested_size(MODEL, {"width": "wide"}) is None
    assert requested_size("flux_kontext_pro", {"width": 512, "height": 512}) is None  # no size parameters


def test_the_judged_result_is_the_last_200_and_its_object_items() -> None:
    first, last = done(request_id="first"), done(outputs=[{"url": "a"}, "junk", 3, {"url": "b"}])
    judged = trace(first, result_error(500, ERROR_BODY), last, result_error(404, ERROR_BODY))

    found = successful_result(judged)

    assert found is last.exchange
    assert output_items(found) == [{"url": "a"}, {"url": "b"}]
    assert output_items(done(outputs="none").exchange) == []
    assert successful_result(trace(pending(), result_error(500, ERROR_BODY))) is None
    assert successful_result(trace(Step(Kind.STATUS, done().exchange))) is None


# --- contract revision 2: lifecycle.status_code, lifecycle.retry_after, outcome stability ---


def _no_reply() -> Step:
    return Step(Kind.STATUS, reply("GET", f"{ROOT}/status", None))


@pytest.mark.parametrize(
    ("steps", "outcome", "counted"),
    [
        ((status("IN_QUEUE"), status("COMPLETED"), done()), PASSED, 2),
        ((status("IN_QUEUE", code=202), status("IN_PROGRESS", code=202), status("COMPLETED")), PASSED, 3),
        # Replies that are not 2xx (or no reply at all) are other checks' business, not counted.
        ((_no_reply(), status("IN_PROGRESS", code=300), status("COMPLETED")), PASSED, 1),
        (
            (Step(Kind.STATUS, reply("GET", f"{ROOT}/status", 404, ERROR_BODY)), status("COMPLETED")),
            PASSED,
            1,
        ),
        ((status("IN_PROGRESS", code=201), status("COMPLETED")), FAILED, 0),
        ((status("IN_PROGRESS"), status("COMPLETED", code=299)), FAILED, 0),
        ((status("IN_PROGRESS", code=202), status("COMPLETED", code=202)), FAILED, 0),
    ],
)
def test_status_code(steps: tuple[Step, ...], outcome: Outcome, counted: int) -> None:
    verdict = lifecycle.status_code(trace(*steps))
    assert verdict.outcome is outcome
    if outcome is PASSED:
        assert verdict.message.startswith(f"{counted} status replies")


def test_status_code_202_saying_completed_is_a_documented_failure() -> None:
    verdict = lifecycle.status_code(trace(status("IN_PROGRESS"), status("COMPLETED", code=202)))
    assert verdict.outcome is FAILED
    assert verdict.message == "status answered 202 while saying COMPLETED"
    assert verdict.basis is Basis.DOCUMENTED
    other = lifecycle.status_code(trace(status("COMPLETED", code=201)))
    assert other.message == "status answered 201 (200, or 202 while not terminal)"
    assert other.basis is not Basis.DOCUMENTED
    assert lifecycle.status_code(NOT_ACCEPTED).outcome is FAILED


def _transient(code: int, retry_after: str | None = None) -> Exchange:
    headers = {"content-type": "application/json"}
    if retry_after is not None:
        headers["retry-after"] = retry_after
    return Exchange("GET", f"{ROOT}/status", {}, None, code, headers, b'{"detail": "busy"}')


def _waited(*answers: Exchange) -> TaskTrace:
    judged = trace(status("COMPLETED"), done())
    judged.transient.extend(answers)
    return judged


@pytest.mark.parametrize(
    ("answers", "outcome"),
    [
        ((), SKIPPED),
        ((_transient(429, "5"),), PASSED),
        ((_transient(503),), PASSED),
        ((_transient(429, "Wed, 21 Oct 2015 07:28:00 GMT"),), PASSED),
        ((_transient(429, "soon"),), FAILED),
        ((_transient(503, "1"), _transient(429, "-3")), FAILED),
        ((_transient(429, "Wed, 21 Oct 2015 07:28:00"),), FAILED),  # an HTTP date is in GMT
    ],
)
def test_retry_after(answers: tuple[Exchange, ...], outcome: Outcome) -> None:
    assert lifecycle.retry_after(_waited(*answers)).outcome is outcome


def test_retry_after_names_the_codes_and_shows_the_last_answer() -> None:
    first, last = _transient(503, "2"), _transient(429)
    verdict = lifecycle.retry_after(_waited(first, last))
    assert verdict.message == "2 transient answer(s) (429, 503) waited out and retried"
    assert verdict.evidence is last
    bad = _transient(429, "later")
    failed = lifecycle.retry_after(_waited(first, bad, last))
    assert failed.message == "unparseable Retry-After 'later'"
    assert failed.evidence is bad


@pytest.mark.parametrize(
    ("code", "body", "told"),
    [
        (200, {"request_id": RID, "outputs": []}, "success"),
        (
            200,
            {"status": "COMPLETED", "error": "x", "error_type": "CONTENT_BLOCKED"},
            "error:CONTENT_BLOCKED",
        ),
        (400, {**ERROR_BODY, "error_type": "CANCELED"}, "error:CANCELED"),
        (500, {**ERROR_BODY, "error_type": "INFERENCE_FAILURE"}, "error:INFERENCE_FAILURE"),
        (400, ERROR_BODY, None),  # an error without error_type tells no outcome
        (399, {**ERROR_BODY, "error_type": "CANCELED"}, None),
        (202, {"status": "IN_PROGRESS", "request_id": RID}, None),
        (None, None, None),
    ],
)
def test_result_outcome(code: int | None, body: Any, told: str | None) -> None:
    assert lifecycle.result_outcome(reply("GET", f"{ROOT}/response", code, body)) == told


@pytest.mark.parametrize(
    ("steps", "outcome"),
    [
        ((COMPLETED_CANCELED, result_error(400, {**ERROR_BODY, "error_type": "CANCELED"})), PASSED),
        ((COMPLETED_CANCELED, result_error(400, {**ERROR_BODY, "error_type": "INFERENCE_FAILURE"})), FAILED),
        ((COMPLETED_CANCELED, result_error(500, ERROR_BODY), done()), FAILED),
        # Statuses before COMPLETED tell no outcome: a later CANCELED is the first, not a change.
        ((status("IN_QUEUE"), status("IN_PROGRESS"), COMPLETED_CANCELED, COMPLETED_CANCELED), PASSED),
        ((pending(), COMPLETED_CANCELED), PASSED),
        ((status("IN_PROGRESS"), done(), status("COMPLETED"), done()), PASSED),
    ],
)
def test_outcome_stability(steps: tuple[Step, ...], outcome: Outcome) -> None:
    assert lifecycle.monotonic(trace(*steps)).outcome is outcome


@pytest.mark.parametrize(
    ("steps", "message"),
    [
        (
            (status("COMPLETED"), COMPLETED_CANCELED),
            "COMPLETED outcome changed from success to error:CANCELED",
        ),
        (
            (done(), BLOCKED),
            "a finished task's outcome changed: its result said success, "
            "then its status said error:CONTENT_BLOCKED",
        ),
        (
            (COMPLETED_CANCELED, done()),
            "a finished task's outcome changed: its status said error:CANCELED, then its result said success",
        ),
    ],
)
def test_an_outcome_flip_says_which_readings_disagreed(steps: tuple[Step, ...], message: str) -> None:
    verdict = lifecycle.monotonic(trace(*steps))

    assert (verdict.outcome, verdict.message) == (FAILED, message)
    assert verdict.evidence is steps[-1].exchange


def test_unknown_status_is_a_documented_failure_at_the_schema() -> None:
    verdict = lifecycle.monotonic(trace(status("IN_QUEUE"), status("RUNNING")))
    assert verdict.outcome is FAILED
    assert verdict.basis is Basis.DOCUMENTED
    assert verdict.location == "#/components/schemas/TaskStatus"


def test_result_202_until_done_counts_the_early_polls() -> None:
    verdict = lifecycle.result_202_until_done(
        trace(pending("IN_QUEUE"), pending(), status("COMPLETED"), done())
    )
    assert verdict.message == "2 result poll(s) answered 202 before 200 with outputs"
    # A status going backwards after COMPLETED is monotonic's finding, not an early result.
    backwards = trace(done(), status("COMPLETED"), status("IN_PROGRESS"))
    assert lifecycle.result_202_until_done(backwards).outcome is PASSED


def test_deadline_skips_a_task_whose_polling_stopped() -> None:
    stopped = trace(status("IN_PROGRESS"), deadline=20.0)
    stopped.stopped = "the status answered 500"
    assert lifecycle.deadline(stopped).outcome is SKIPPED
    finished = trace(status("COMPLETED", at=5.0), deadline=20.0)
    finished.stopped = "the status answered 500"
    assert lifecycle.deadline(finished).outcome is PASSED


# --- auth: the scheme in use and the auth checks, against the reference provider in process ---


def _auth_session(
    schemes: tuple[str, ...], *, scheme: AuthScheme = AuthScheme.BEARER, key: str = DEMO_API_KEY
) -> ProviderSession:
    app = create_app(reference_config(auth_schemes=schemes))

    def forward(request: httpx.Request) -> httpx.Response:
        # The session is synchronous; the real ASGI app is driven in process, without a socket.
        async def ask() -> httpx.Response:
            async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app)) as client:
                answer = await client.send(request)
                return httpx.Response(
                    answer.status_code, headers=answer.headers, content=await answer.aread()
                )

        return asyncio.run(ask())

    client = httpx.Client(transport=httpx.MockTransport(forward))
    return ProviderSession("http://testserver/model", key, scheme, client, TaskBudget(0))


@pytest.mark.parametrize(
    ("schemes", "detected"),
    [(("bearer", "key"), AuthScheme.BEARER), (("key",), AuthScheme.KEY), (("bearer",), AuthScheme.BEARER)],
)
def test_detect_scheme_finds_the_first_accepted_scheme(
    schemes: tuple[str, ...], detected: AuthScheme
) -> None:
    assert detect_scheme(_auth_session(schemes)) is detected


def test_detect_scheme_without_an_accepted_key_finds_none() -> None:
    assert detect_scheme(_auth_session(("bearer", "key"), key="sk-not-a-key-anyone-issued")) is None


def test_auth_checks_on_a_provider_offering_only_the_key_scheme() -> None:
    session = _auth_session(("key",), scheme=AuthScheme.KEY)
    results = run_auth_checks(session)

    assert [r.model for r in results] == [m for m in models() for _ in range(4)]
    by_id: dict[str, list[Any]] = {}
    for result in results:
        by_id.setdefault(result.check_id, []).append(result)
        assert result.operation == operation_for(result.model, Kind.STATUS).operation_id
        assert result.reproduction is not None
        assert DEMO_API_KEY not in json.dumps(result.reproduction.to_dict())
    assert list(by_id) == ["auth.missing", "auth.wrong", "auth.scheme.bearer", "auth.scheme.key"]
    assert {(r.outcome, r.basis) for r in by_id["auth.missing"]} == {(PASSED, "choice")}
    assert {(r.outcome, r.basis) for r in by_id["auth.wrong"]} == {(PASSED, "evidence")}
    assert {r.outcome for r in by_id["auth.scheme.bearer"]} == {SKIPPED}
    assert {r.outcome for r in by_id["auth.scheme.key"]} == {PASSED}
    # Every probe asked the status of an id nobody created: no task was ever submitted.
    assert {(e.method, e.url.rsplit("/", 3)[-2]) for e in session.exchanges} == {("GET", UNKNOWN_ID)}


# --- lifecycle: cancel unsupported, transport failures, base URLs, what judge_trace reports ---


def _cancel_without_json(code: int) -> Step:
    return Step(Kind.CANCEL, Exchange("PUT", f"{ROOT}/cancel", {}, None, code, {}, b"Method Not Allowed"))


@pytest.mark.parametrize("code", [405, 501])
def test_a_cancel_endpoint_without_cancel_is_unsupported_only_with_a_json_body(code: int) -> None:
    unsupported = Step(Kind.CANCEL, reply("PUT", f"{ROOT}/cancel", code, ERROR_BODY))
    assert lifecycle.cancel(trace(unsupported, scenario="cancel")).outcome is Outcome.UNSUPPORTED
    assert lifecycle.cancel_terminal(trace(done(), unsupported)).outcome is Outcome.UNSUPPORTED
    assert lifecycle.cancel_reply(trace(unsupported)).outcome is Outcome.UNSUPPORTED
    bare = _cancel_without_json(code)
    assert lifecycle.cancel(trace(bare, COMPLETED_CANCELED, scenario="cancel")).outcome is FAILED
    assert lifecycle.cancel_terminal(trace(done(), bare)).outcome is FAILED
    assert lifecycle.cancel_reply(trace(bare)).outcome is FAILED
    other = Step(Kind.CANCEL, reply("PUT", f"{ROOT}/cancel", code + 1, ERROR_BODY))
    assert lifecycle.cancel_reply(trace(other)).outcome is FAILED


@pytest.mark.parametrize(
    ("step", "outcome"),
    [
        (ACCEPTED, PASSED),
        (LOST_RACE, PASSED),
        (cancel(401, "ALREADY_COMPLETED"), FAILED),
        (cancel(400, "CANCELLATION_REQUESTED"), FAILED),
        (cancel(202, "ALREADY_COMPLETED"), FAILED),
    ],
)
def test_cancel_reply_alone(step: Step, outcome: Outcome) -> None:
    assert lifecycle.cancel_reply(trace(step)).outcome is outcome


def test_a_cancel_refused_with_400_for_another_reason_is_no_lost_race() -> None:
    refused = cancel(400, "CANCELLATION_REQUESTED")
    judged = trace(refused, status("COMPLETED"), done(), scenario="cancel")
    assert lifecycle.cancel(judged).outcome is FAILED


def test_a_transport_failure_is_named_as_such() -> None:
    lost = Step(Kind.CANCEL, Exchange("PUT", f"{ROOT}/cancel", {}, None, None, error="ConnectError: refused"))
    verdict = lifecycle.cancel(trace(lost, scenario="cancel"))
    assert verdict.outcome is FAILED
    assert verdict.message.startswith("cancel got no response (ConnectError: refused)")
    answered = lifecycle.cancel(trace(cancel(500, "x"), scenario="cancel"))
    assert answered.message.startswith("cancel answered 500")


def test_the_last_late_cancel_is_shown() -> None:
    first, second, last = (cancel(400, "ALREADY_COMPLETED") for _ in range(3))
    verdict = lifecycle.cancel_terminal(trace(done(), first, second, last))
    assert verdict.outcome is PASSED
    assert verdict.evidence is last.exchange


def test_never_fetched_results_name_the_kind_of_task() -> None:
    failed = lifecycle.failure(trace(BLOCKED, scenario="failure.CONTENT_BLOCKED"))
    assert failed.message == "the result of the failed task was never fetched"
    canceled = lifecycle.cancel(trace(ACCEPTED, COMPLETED_CANCELED, scenario="cancel"))
    assert canceled.message == "the result of the canceled task was never fetched"


def test_results_after_an_outcome_flip_are_not_this_rule() -> None:
    flipped = trace(
        ACCEPTED,
        COMPLETED_CANCELED,
        CANCELED_RESULT,
        status("COMPLETED"),  # the outcome changed: lifecycle.monotonic's finding
        done(),
        scenario="cancel",
    )
    assert lifecycle.cancel(flipped).outcome is PASSED
    assert lifecycle.monotonic(flipped).outcome is FAILED
    same = trace(ACCEPTED, COMPLETED_CANCELED, CANCELED_RESULT, COMPLETED_CANCELED, done(), scenario="cancel")
    assert lifecycle.cancel(same).outcome is FAILED


def test_identity_on_the_base_url_origin() -> None:
    on_base = trace(status("COMPLETED"), done())
    on_base.base_url = BASE
    assert lifecycle.identity(on_base).outcome is PASSED
    elsewhere = trace(status("COMPLETED"), submit=_submitted_url("status_url", f"http://other.test/{ROOT}"))
    elsewhere.base_url = BASE
    verdict = lifecycle.identity(elsewhere)
    assert verdict.outcome is FAILED
    assert verdict.location == "contract §6: task URLs"
    # A non-2xx reply is not asked to name the id.
    redirected = trace(status("COMPLETED"), Step(Kind.STATUS, reply("GET", f"{ROOT}/status", 300, {})))
    assert lifecycle.identity(redirected).outcome is PASSED


def test_judge_trace_reports_each_check_on_its_operation_with_a_script_for_failures() -> None:
    judged = trace(pending(), status("COMPLETED", at=30.0), done(), deadline=20.0)
    results = {r.check_id: r for r in lifecycle.judge_trace(judged, Redactor(("sk-unused-key",)))}
    assert results["lifecycle.deadline"].outcome is FAILED  # not skipped: a live run is timed
    assert results["lifecycle.deadline"].reproduction is not None
    assert results["lifecycle.deadline"].reproduction.script is not None
    assert results["lifecycle.identity"].outcome is PASSED
    assert results["lifecycle.identity"].reproduction is not None
    assert results["lifecycle.identity"].reproduction.script is None
    assert results["lifecycle.identity"].operation == operation_for(MODEL, Kind.SUBMIT).operation_id
    assert (
        results["lifecycle.result_202_until_done"].operation == operation_for(MODEL, Kind.RESULT).operation_id
    )
    recorded = {r.check_id: r for r in lifecycle.judge_trace(judged, Redactor(()), recorded=True)}
    assert recorded["lifecycle.deadline"].outcome is SKIPPED
    canceled = trace(ACCEPTED, COMPLETED_CANCELED, CANCELED_RESULT, scenario="cancel")
    cancel_result = next(
        r for r in lifecycle.judge_trace(canceled, Redactor(())) if r.check_id == "lifecycle.cancel"
    )
    assert cancel_result.operation == operation_for(MODEL, Kind.CANCEL).operation_id
