"""The generation format (seed 003) served by the reference provider, in process on a manual clock.

Every reply is validated against the generation document with the generated pydantic models; the
lifecycle, refusals, shared counters and images are checked the way a client sees them.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from PIL import Image
from starlette.applications import Starlette

import fluxq_generation_models as gen
from fluxq_reference import FakeClock, FaultRates, ProviderState

from .conftest import QUEUE_SECONDS, RUN_SECONDS

CREATE = "/v1/generation"


def task_of(response: httpx.Response) -> gen.GenerationTask:
    assert response.status_code == 200, response.text
    return gen.GenerationTask.model_validate(response.json())


async def _create(client: httpx.AsyncClient, **body: Any) -> gen.GenerationTask:
    return task_of(await client.post(CREATE, json=body))


async def _poll(client: httpx.AsyncClient, task_id: str) -> gen.GenerationTask:
    return task_of(await client.get(f"{CREATE}/task/{task_id}"))


@pytest.mark.parametrize(
    ("model", "params", "size", "media_type"),
    [
        ("flux_kontext_pro", {"aspect_ratio": "1:1"}, (1024, 1024), "image/jpeg"),
        ("flux_pro_11", {"width": 512, "height": 256}, (512, 256), "image/jpeg"),
        ("flux_2_pro", {"width": 320, "height": 640, "output_format": "png"}, (320, 640), "image/png"),
    ],
)
async def test_a_task_moves_pending_processing_completed_with_usage_and_a_real_image(
    client: httpx.AsyncClient,
    clock: FakeClock,
    state: ProviderState,
    model: str,
    params: dict[str, Any],
    size: tuple[int, int],
    media_type: str,
) -> None:
    created = await _create(client, model=model, prompt="a red apple", **params)
    assert (created.status.root, created.model, created.progress) == ("pending", model, 0)
    clock.advance(QUEUE_SECONDS + RUN_SECONDS / 2)
    running = await _poll(client, created.id)
    assert running.status.root == "processing"
    assert running.progress is not None
    assert 0 < running.progress < 100
    assert running.output is None
    assert running.usage is None
    clock.advance(RUN_SECONDS)
    done = await _poll(client, created.id)
    assert done.status.root == "completed"
    assert done.error is None
    assert done.usage is not None
    assert float(str(done.usage.cost)) > 0
    assert done.output is not None
    [content] = done.output[0].content
    assert content.type == "image"
    image = await client.get(str(content.url), headers={"Authorization": ""})
    assert image.headers["content-type"] == media_type
    assert Image.open(io.BytesIO(image.content)).size == size
    assert state.counters.count("create", model) == 1
    assert state.counters.count("poll", model) == 2
    assert state.counters.tasks_created == 1
    # a final status never changes
    clock.advance(60)
    assert (await _poll(client, created.id)).model_dump() == done.model_dump()


async def test_kontext_defaults_to_jpeg_on_this_format_and_png_on_the_queue_format(
    client: httpx.AsyncClient, clock: FakeClock
) -> None:
    created = await _create(client, model="flux_kontext_pro", prompt="x")
    queued = (await client.post("/v1/queue/flux_kontext_pro", json={"prompt": "x"})).json()
    clock.advance(60)
    done = await _poll(client, created.id)
    assert done.output is not None
    generation_image = await client.get(str(done.output[0].content[0].url))
    queue_result = (await client.get(queued["response_url"])).json()
    queue_image = await client.get(queue_result["outputs"][0]["url"])
    assert generation_image.headers["content-type"] == "image/jpeg"
    assert queue_image.headers["content-type"] == "image/png"


async def test_a_forced_failure_reports_failed_with_both_message_spellings(
    client: httpx.AsyncClient, clock: FakeClock
) -> None:
    created = await _create(client, model="flux_pro_11", prompt="blocked [fluxq:error=CONTENT_BLOCKED]")
    clock.advance(60)
    failed = await _poll(client, created.id)
    assert failed.status.root == "failed"
    assert failed.output is None
    assert failed.usage is None
    assert failed.error is not None
    error = failed.error.root
    assert error.code == "CONTENT_BLOCKED"
    assert error.message == error.error_message
    assert error.message
    assert "moderation" in error.message


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"model": "flux_kontext_pro", "prompt": "x", "safety_tolerance": 0}, 422, "safety_tolerance"),
        ({"model": "flux_pro_11", "prompt": "x", "width": 1000}, 422, "width"),
        ({"model": "flux_2_pro", "prompt": "x", "aspect_ratio": "1:1"}, 422, "aspect_ratio"),
        ({"model": "flux_dev", "prompt": "x"}, 422, "model"),
        ({"prompt": "x"}, 422, "model"),
        ({"model": "flux_pro_11"}, 422, "prompt"),
        (["not", "an", "object"], 400, "body"),
    ],
)
async def test_invalid_creates_are_refused_naming_the_field_and_create_nothing(
    client: httpx.AsyncClient, state: ProviderState, body: Any, status: int, field: str
) -> None:
    response = await client.post(CREATE, json=body)
    assert response.status_code == status
    error = gen.ErrorEnvelope.model_validate(response.json()).error.root
    assert error.message is not None
    assert error.message.startswith(f"{field}:")
    assert error.error_message == error.message
    assert state.counters.tasks_created == 0


async def test_unknown_ids_answer_404_and_missing_keys_401_in_the_error_shape(
    client: httpx.AsyncClient, state: ProviderState
) -> None:
    missing = await client.get(f"{CREATE}/task/mmsu_nope")
    assert missing.status_code == 404
    assert gen.ErrorEnvelope.model_validate(missing.json()).error.root.message == "Task not found"
    anonymous = await client.post(
        CREATE, json={"model": "flux_pro_11", "prompt": "x"}, headers={"Authorization": ""}
    )
    assert anonymous.status_code == 401
    gen.ErrorEnvelope.model_validate(anonymous.json())
    assert state.counters.tasks_created == 0


async def test_faults_and_counters_are_shared_with_the_queue_format(
    make_app: Callable[..., Starlette], client_for: Callable[[Starlette], httpx.AsyncClient]
) -> None:
    app = make_app(faults=FaultRates(rate_limit=1.0, retry_after=3))
    provider: ProviderState = app.state.provider
    async with client_for(app) as client:
        response = await client.post(CREATE, json={"model": "flux_pro_11", "prompt": "x"})
    assert response.status_code == 429
    assert response.headers["retry-after"] == "3"
    assert provider.counters.faults["rate_limit"] == 1
    assert provider.counters.tasks_created == 0
