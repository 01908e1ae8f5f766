"""The same clients over the generation format (seed 003), against the in-process reference provider.

Sync and async, fake time: jobs, waits, deadlines, retries and the typed errors behave as over the
queue format; only the wire differs (``POST /v1/generation`` with ``model``, ``GET .../task/{id}``).
"""

from __future__ import annotations

import io
import json
from typing import Any

import httpx
import pytest
from PIL import Image

import fluxq

from .conftest import KEY, Api, MakeApi, Provider


@pytest.fixture
async def gen_api(make_api: MakeApi, provider: Provider) -> Api:
    return make_api(provider.app, protocol="generation")


@pytest.mark.parametrize(
    ("model", "params", "size"),
    [
        ("flux_kontext_pro", {"aspect_ratio": "1:1"}, (1024, 1024)),
        ("flux_pro_11", {"width": 512, "height": 256}, (512, 256)),
        ("flux_2_pro", {"width": 320, "height": 640}, (320, 640)),
    ],
)
async def test_run_reports_one_vocabulary_and_returns_images_with_their_cost(
    gen_api: Api, provider: Provider, model: str, params: dict[str, Any], size: tuple[int, int]
) -> None:
    events: list[fluxq.StatusEvent] = []
    job = await gen_api.submit(model, prompt="apple [fluxq:queue=3] [fluxq:run=5]", **params)

    result = await job.wait(on_update=events.append, timeout=60)

    assert [type(event) for event in events] == [fluxq.Queued, fluxq.InProgress, fluxq.Completed]
    assert all(event.request_id == job.request_id for event in events)
    assert provider.counters.count("create", model) == 1
    assert provider.counters.count("submit") == 0
    assert provider.counters.count("poll", model) >= 2
    assert result.result.usage is not None
    assert float(str(result.result.usage.cost)) > 0
    image = Image.open(io.BytesIO(await result.output_bytes()))
    assert image.size == size
    assert image.format == "JPEG"  # kontext's default is jpeg on this format (png on the queue format)


async def test_the_body_carries_model_first_and_the_generation_rules_apply(make_api: MakeApi) -> None:
    sent: list[dict[str, Any]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(json.loads(request.content))
        return httpx.Response(200, json={"id": "t1", "status": "pending"})

    api = make_api(httpx.MockTransport(handler), protocol="generation")
    job = await api.submit("flux_kontext_pro", prompt="x", safety_tolerance=1)
    assert job.request_id == "t1"
    assert list(sent[0]) == ["model", "prompt", "safety_tolerance"]
    assert sent[0]["model"] == "flux_kontext_pro"
    # seed 003: safety 1–6 for kontext on this format (0–6 on the queue format); nothing is sent
    with pytest.raises(fluxq.ValidationError, match=r"safety_tolerance: must be at least 1"):
        await api.submit("flux_kontext_pro", prompt="x", safety_tolerance=0)
    with pytest.raises(fluxq.ValidationError, match=r"model: is set by the client"):
        await api.submit("flux_pro_11", {"prompt": "x", "model": "flux_2_pro"})
    assert len(sent) == 1


async def test_a_failed_task_raises_its_typed_error_with_the_message(gen_api: Api) -> None:
    job = await gen_api.submit("flux_pro_11", prompt="x [fluxq:error=CONTENT_BLOCKED]")
    with pytest.raises(fluxq.ContentBlocked) as caught:
        await job.wait(timeout=60)
    assert caught.value.request_id == job.request_id
    assert "content moderation" in str(caught.value)
    status = await job.status()
    assert isinstance(status, fluxq.Completed)
    assert status.error_type == "CONTENT_BLOCKED"


async def test_a_rebuilt_handle_resumes_and_cancel_is_refused_without_a_request(
    gen_api: Api, provider: Provider
) -> None:
    job = await gen_api.submit("flux_2_pro", prompt="apple [fluxq:queue=1] [fluxq:run=2]")
    again = gen_api.job("flux_2_pro", job.request_id)
    assert isinstance(await again.status(), fluxq.Queued)
    before = provider.counters.total_requests()
    with pytest.raises(fluxq.CancelUnsupported, match="generation format has no cancel"):
        await again.cancel()
    assert provider.counters.total_requests() == before
    result = await again.wait(timeout=60)
    assert len(result.outputs) == 1


async def test_the_deadline_holds_and_the_task_can_be_resumed(gen_api: Api) -> None:
    job = await gen_api.submit("flux_pro_11", prompt="apple [fluxq:queue=0] [fluxq:run=100]")
    started = gen_api.clock()
    with pytest.raises(fluxq.WaitTimeout) as caught:
        await job.wait(timeout=10, cancel_on_timeout=True)
    assert caught.value.request_id == job.request_id
    assert caught.value.canceled is False  # the format has no cancel: nothing was requested
    assert 10 - 1e-9 <= gen_api.clock() - started <= 10 + 1e-9
    result = await gen_api.job("flux_pro_11", job.request_id).wait(timeout=200)
    assert result.outputs


async def test_polls_are_retried_on_429_and_a_created_task_is_never_re_sent(make_api: MakeApi) -> None:
    calls: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(f"{request.method} {request.url.path}")
        if request.method == "POST":
            return httpx.Response(503, json={"error": {"code": "INTERNAL_ERROR", "message": "down"}})
        return httpx.Response(
            429, headers={"Retry-After": "1"}, json={"error": {"error_message": "slow down"}}
        )

    api = make_api(httpx.MockTransport(handler), protocol="generation", max_retries=2)
    with pytest.raises(fluxq.SubmitOutcomeUnknown):
        await api.submit("flux_pro_11", prompt="x")
    assert calls == ["POST /model/v1/generation"]
    with pytest.raises(fluxq.RateLimitError, match="slow down"):
        await api.job("flux_pro_11", "t1").status()
    assert calls[1:] == ["GET /model/v1/generation/task/t1"] * 3


async def test_the_sdk_spelling_of_a_failure_is_read_too(make_api: MakeApi) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        error = {"code": 1001, "error_message": "upstream refused"}
        return httpx.Response(200, json={"id": "t9", "status": "failed", "error": error})

    api = make_api(httpx.MockTransport(handler), protocol="generation")
    with pytest.raises(fluxq.TaskFailed) as caught:
        await api.job("flux_pro_11", "t9").wait(timeout=5)
    assert caught.value.error_type == "1001"
    assert "upstream refused" in str(caught.value)


async def test_a_reply_about_another_task_or_a_completed_task_without_outputs_is_malformed(
    make_api: MakeApi,
) -> None:
    replies = iter(
        [
            {"id": "other", "status": "processing"},
            {"id": "t1", "status": "completed", "usage": {"cost": "0.04"}},
        ]
    )
    api = make_api(
        httpx.MockTransport(lambda request: httpx.Response(200, json=next(replies))), protocol="generation"
    )
    with pytest.raises(fluxq.MalformedResponse, match="not 't1'"):
        await api.job("flux_pro_11", "t1").status()
    with pytest.raises(fluxq.MalformedResponse, match="completed without outputs"):
        await api.job("flux_pro_11", "t1").wait(timeout=5)


def test_protocol_comes_from_the_argument_the_environment_or_the_default(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert fluxq.Client(KEY).protocol == "queue"
    assert fluxq.Client(KEY, provider="odirouter").protocol == "queue"
    monkeypatch.setenv("FLUXQ_PROTOCOL", "generation")
    assert fluxq.Client(KEY, base_url="http://127.0.0.1:1/model").protocol == "generation"
    assert "protocol='generation'" in repr(fluxq.Client(KEY))
    with pytest.raises(fluxq.ValidationError, match="protocol: must be one of queue, generation"):
        fluxq.Client(KEY, protocol="grpc")  # type: ignore[arg-type]
