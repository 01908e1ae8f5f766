"""``seaart-sdk`` (the generation format's public SDK, unmodified) against the reference provider.

The provider runs on a real loopback port (``serve_in_thread``); the SDK creates, polls and waits
with its own code and transport. Tasks take a fraction of a second, every wait is bounded by the
SDK's own poll timeout, and the server stops when the test ends.
"""

from __future__ import annotations

from collections.abc import Iterator
from io import BytesIO
from urllib.parse import urlsplit

import httpx
import pytest
import seaart_sdk as sa
from PIL import Image

from fluxq_reference import DEMO_API_KEY, Duration, ModelTiming, ProviderConfig, create_app, same_timing
from fluxq_reference.server import serve_in_thread

POLL = (sa.WithPollInterval(0.05), sa.WithPollTimeout(20.0))


@pytest.fixture(scope="module")
def root_url() -> Iterator[str]:
    """``http://127.0.0.1:PORT`` of a provider whose tasks wait 0.05 s and run 0.2 s."""
    timing = ModelTiming(Duration.fixed(0.05), Duration.fixed(0.2))
    app = create_app(ProviderConfig(timings=same_timing(timing), workers=3))
    with serve_in_thread(app) as base_url:
        yield base_url.removesuffix("/model")


@pytest.fixture
def sdk(root_url: str) -> sa.Client:
    # The SDK derives its model base URL (<root>/model) from the root, as it would for a gateway.
    return sa.Client(sa.ClientConfig(api_key=DEMO_API_KEY, base_url=root_url, timeout=10.0))


@pytest.mark.parametrize(
    ("body", "size"),
    [
        ({"model": "flux_kontext_pro", "prompt": "a red apple", "aspect_ratio": "16:9"}, None),
        ({"model": "flux_pro_11", "prompt": "a red apple", "width": 512, "height": 512}, 512 * 512),
        ({"model": "flux_2_pro", "prompt": "a red apple", "width": 256, "height": 320}, 256 * 320),
    ],
)
def test_the_sdk_creates_polls_and_waits_to_completed_with_image_urls(
    sdk: sa.Client, root_url: str, body: dict[str, object], size: int | None
) -> None:
    updates: list[str] = []
    task = sdk.modal.create(body)
    assert task.id
    assert task.status == "pending"
    assert task.model == body["model"]
    polled = sdk.modal.get(task.id)
    assert polled.id == task.id
    assert polled.status in {"pending", "processing", "completed"}
    done = task.wait(*POLL, sa.WithPollCallback(lambda status, _progress: updates.append(status)))
    assert done.status == "completed"
    assert updates[-1] == "completed"
    assert done.usage is not None
    assert done.usage.cost_float64() > 0
    urls = done.urls()
    assert len(urls) == 1
    assert urlsplit(urls[0]).netloc == urlsplit(root_url).netloc
    image = httpx.get(urls[0], timeout=10.0)
    assert image.status_code == 200
    assert image.headers["content-type"].startswith("image/")
    if size is not None:
        width, height = Image.open(BytesIO(image.content)).size
        assert width * height == size


def test_a_forced_failure_is_the_sdks_task_failed_error_with_the_message(sdk: sa.Client) -> None:
    task = sdk.modal.create({"model": "flux_pro_11", "prompt": "x [fluxq:error=CONTENT_BLOCKED]"})
    with pytest.raises(sa.SeaArtError) as caught:
        task.wait(*POLL)
    assert caught.value.kind == sa.ERR_TASK_FAILED
    assert caught.value.task_id == task.id
    assert "blocked by content moderation" in caught.value.message


def test_refusals_map_to_the_sdks_error_kinds_with_the_servers_message(root_url: str, sdk: sa.Client) -> None:
    with pytest.raises(sa.SeaArtError) as invalid:
        sdk.modal.create({"model": "flux_kontext_pro", "prompt": "x", "safety_tolerance": 0})
    assert invalid.value.status == 422
    assert invalid.value.message.startswith("safety_tolerance:")
    wrong_key = sa.Client(sa.ClientConfig(api_key="not-the-key", base_url=root_url, timeout=10.0))
    with pytest.raises(sa.SeaArtError) as unauthorized:
        wrong_key.modal.create({"model": "flux_pro_11", "prompt": "x"})
    assert unauthorized.value.kind == sa.ERR_AUTH
    with pytest.raises(sa.SeaArtError) as missing:
        sdk.modal.get("mmsu_unknown")
    assert missing.value.status == 404
    assert missing.value.message == "Task not found"
