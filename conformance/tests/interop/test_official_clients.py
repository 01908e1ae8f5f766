"""Interop: the providers' official SDK (``seacloudai-sdk``) and a client of the same queue protocol
family (``fal-client``) run their real code against ``fluxq serve`` on a loopback port.

Only where each client fixes its host do the tests redirect it: the SeaCloud SDK through its public
``fetch`` hook (documented for tests and proxies), fal-client through its queue URL prefix. Every
later request goes to the URLs the reference provider returned, exactly as each client does it.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator, Mapping
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import fal_client
import fal_client.client
import httpx
import pytest
from seacloud_sdk import SeaCloud

from fluxq_conformance.core.spec import documented_body, models
from fluxq_conformance.run.targets import reference_config
from fluxq_reference import DEMO_API_KEY, create_app
from fluxq_reference.server import serve_in_thread

SEACLOUD_ORIGIN = "https://cloud.seaart.ai"
#: Keeps a task running long enough for a cancel to land first.
SLOW = "[fluxq:queue=0.2] [fluxq:run=5]"


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    """``fluxq serve``'s app (fast tasks) on 127.0.0.1; yields ``http://127.0.0.1:PORT/model``."""
    with serve_in_thread(create_app(reference_config())) as url:
        yield url


def _loopback_fetch(base_url: str) -> Any:
    """A SeaCloud ``fetch`` that sends the SDK's request, unchanged but for the origin, to ``base_url``."""
    local = urlsplit(base_url)

    async def fetch(url: str, options: Mapping[str, Any]) -> httpx.Response:
        parts = urlsplit(url)
        assert f"{parts.scheme}://{parts.netloc}" == SEACLOUD_ORIGIN, url
        target = urlunsplit((local.scheme, local.netloc, parts.path, parts.query, ""))
        async with httpx.AsyncClient(timeout=10.0) as client:
            return await client.request(
                str(options["method"]), target, headers=dict(options["headers"]), content=options.get("body")
            )

    return fetch


def test_seacloud_run_sync_reports_completed_for_every_model(base_url: str) -> None:
    client = SeaCloud(api_key=DEMO_API_KEY, fetch=_loopback_fetch(base_url))

    async def run_all() -> list[dict[str, Any]]:
        runs = [
            client.run_sync(model, documented_body(model), contract="off", timeout=30_000)
            for model in models()
        ]
        return list(await asyncio.wait_for(asyncio.gather(*runs), timeout=60))

    results = asyncio.run(run_all())
    for model, result in zip(models(), results, strict=True):
        assert result["status"] == "completed", (model, result)
        assert result["model"] == model
        assert result["id"].startswith("mmsu_")
        urls = result["output"]["urls"]
        assert len(urls) == 1
        assert "/model/files/" in urls[0]


@pytest.fixture
def fal(base_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[fal_client.SyncClient]:
    """A fal-client whose queue prefix is the reference provider's (it fixes ``https://queue.fal.run/``)."""
    monkeypatch.setattr(fal_client.client, "QUEUE_URL_FORMAT", f"{base_url}/v1/queue/")
    client = fal_client.SyncClient(key=DEMO_API_KEY, default_timeout=10.0)
    yield client
    client._client.close()  # its cached httpx client; fal-client offers no close()


@pytest.mark.parametrize("model", models())
def test_fal_client_submit_status_result(fal: fal_client.SyncClient, model: str) -> None:
    handle = fal.submit(model, documented_body(model))
    assert handle.request_id.startswith("mmsu_")
    first = handle.status(with_logs=True)
    assert isinstance(first, fal_client.Queued | fal_client.InProgress | fal_client.Completed)
    result = handle.get()
    assert result["request_id"] == handle.request_id
    assert result["outputs"][0]["type"] == "image"
    done = handle.status(with_logs=True)
    assert isinstance(done, fal_client.Completed)
    assert done.error is None
    assert done.metrics["inference_time"] >= 0


@pytest.mark.parametrize("model", models())
def test_fal_client_cancel(fal: fal_client.SyncClient, model: str) -> None:
    body = documented_body(model)
    body["prompt"] = f"{body['prompt']} {SLOW}"
    handle = fal.submit(model, body)
    handle.cancel()
    for _ in range(200):
        status = handle.status()
        if isinstance(status, fal_client.Completed):
            break
        time.sleep(0.02)
    assert isinstance(status, fal_client.Completed)
    assert status.error_type == "CANCELED"
    assert status.error
    with pytest.raises(fal_client.FalClientHTTPError) as raised:
        handle.get()
    assert raised.value.error_type == "CANCELED"
