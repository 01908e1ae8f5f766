"""The client checks: their judges on hand-made observations, and a run against the real wrapper."""

from __future__ import annotations

import json

import httpx

from fluxq_conformance.checks.client import run_client_checks, spec_valid
from fluxq_conformance.checks.client_requests import (
    SERVER,
    Observation,
    judge_invalid,
    judge_valid,
    request_problem,
    submit_through_wrapper,
    targeted_invalid_bodies,
)
from fluxq_conformance.checks.client_responses import judge_parse
from fluxq_conformance.core.results import Outcome
from fluxq_conformance.core.spec import Kind, operation_for


def _post(model: str, body: object, auth: str = "Bearer k") -> httpx.Request:
    return httpx.Request(
        "POST",
        f"{SERVER}/v1/queue/{model}",
        headers={"authorization": auth, "content-type": "application/json"},
        content=json.dumps(body).encode(),
    )


def test_openapi_core_accepts_a_valid_request_and_refuses_an_invalid_one() -> None:
    assert request_problem(_post("flux_pro_11", {"prompt": "apple", "width": 512})) is None
    assert request_problem(_post("flux_pro_11", {"prompt": "apple", "width": 500})) is not None
    assert request_problem(_post("flux_pro_11", {"prompt": "apple", "typo": 1})) is not None


def test_judge_valid_flags_an_invalid_or_altered_request() -> None:
    body = {"prompt": "apple", "width": 512}
    assert judge_valid("flux_pro_11", Observation(body, sent=[_post("flux_pro_11", body)])) is None
    invalid = Observation(body, sent=[_post("flux_pro_11", {"prompt": "apple", "width": 500})])
    assert judge_valid("flux_pro_11", invalid) is not None
    altered = Observation(body, sent=[_post("flux_pro_11", {"prompt": "apple", "width": 1024})])
    verdict = judge_valid("flux_pro_11", altered)
    assert verdict is not None
    assert verdict[0] == "failed"
    refused = judge_valid("flux_pro_11", Observation(body, refused="width: nope"))
    assert refused is not None
    assert refused[0] == "failed"


def test_judge_invalid_wants_a_local_refusal() -> None:
    body = {"prompt": "apple", "width": 500}
    assert judge_invalid("flux_pro_11", Observation(body, refused="width: must be a multiple of 32")) is None
    sent = judge_invalid("flux_pro_11", Observation(body, sent=[_post("flux_pro_11", body)]))
    assert sent is not None
    assert sent[0] == "failed"


def test_targeted_invalid_bodies_are_all_invalid_under_the_spec() -> None:
    for model in ("flux_kontext_pro", "flux_pro_11", "flux_2_pro"):
        bodies = targeted_invalid_bodies(model)
        assert len(bodies) > 10
        assert not any(spec_valid(model, body) for body in bodies)


def test_judge_parse_flags_a_shape_the_generated_client_cannot_read() -> None:
    submit = operation_for("flux_pro_11", Kind.SUBMIT)
    good = {
        "request_id": "mmsu_1",
        "response_url": "https://x/r",
        "status_url": "https://x/s",
        "cancel_url": "https://x/c",
        "queue_position": 0,
    }
    assert judge_parse(submit, 200, good, frozenset({"QueueSubmission"})) is None
    assert judge_parse(submit, 200, {"request_id": "mmsu_1"}, frozenset({"QueueSubmission"})) is not None
    assert judge_parse(submit, 200, good, frozenset({"GatewayError"})) is not None


def test_the_wrapper_passes_the_client_checks() -> None:
    results = run_client_checks(max_examples=3, seed=0)
    assert {r.check_id for r in results} == {
        "client.request_valid",
        "client.invalid_refused",
        "client.parses_responses",
    }
    assert [r.message for r in results if r.outcome is Outcome.FAILED] == []


def test_explicit_nulls_are_omitted_not_findings_but_other_normalisation_is() -> None:
    body = {"prompt": "a red apple", "width": None}
    omitted = submit_through_wrapper("flux_pro_11", body)
    assert omitted.refused is None
    assert len(omitted.sent) == 1
    assert "width" not in json.loads(omitted.sent[0].content)
    assert judge_invalid("flux_pro_11", omitted) is None
    # A client that silently rewrote a forbidden value instead would be reported.
    rewritten = Observation({"prompt": "a red apple", "width": 1000}, sent=list(omitted.sent))
    verdict = judge_invalid("flux_pro_11", rewritten)
    assert verdict is not None
    assert verdict[0] == "warning"
