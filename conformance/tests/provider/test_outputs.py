"""Outputs are real images of the claimed format and size, served without credentials."""

from __future__ import annotations

import io
from typing import Any

import httpx
import pytest
from PIL import Image
from starlette.applications import Starlette

from fluxq_reference import FakeClock, ProviderState

PIL_FORMATS = {"image/png": "PNG", "image/jpeg": "JPEG", "image/webp": "WEBP"}


async def _finished_output(api: Any, clock: FakeClock, model: str, **params: Any) -> dict[str, Any]:
    submitted = await api.submit(model, **params)
    clock.advance(10)
    result = await api.result(submitted)
    assert result.status_code == 200, result.text
    outputs = result.json()["outputs"]
    assert len(outputs) == 1
    output: dict[str, Any] = outputs[0]
    return output


async def _download(app: Starlette, url: str) -> httpx.Response:
    # No Authorization header: output URLs work like CDN links.
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app)) as anonymous:
        return await anonymous.get(url)


@pytest.mark.parametrize(
    ("model", "params", "size", "content_type"),
    [
        ("flux_pro_11", {}, (1024, 768), "image/jpeg"),
        ("flux_pro_11", {"width": 256, "height": 1440, "output_format": "png"}, (256, 1440), "image/png"),
        ("flux_2_pro", {}, (1024, 768), "image/jpeg"),
        ("flux_2_pro", {"width": 64, "height": 96, "output_format": "webp"}, (64, 96), "image/webp"),
        ("flux_2_pro", {"width": 320, "height": 192, "output_format": "png"}, (320, 192), "image/png"),
        ("flux_kontext_pro", {}, (1024, 1024), "image/png"),
        ("flux_kontext_pro", {"aspect_ratio": "16:9", "output_format": "jpeg"}, (1376, 768), "image/jpeg"),
        ("flux_kontext_pro", {"aspect_ratio": "1:9999"}, (672, 1568), "image/png"),
    ],
)
async def test_output_decodes_as_the_claimed_format_and_size(
    api: Any,
    app: Starlette,
    clock: FakeClock,
    model: str,
    params: dict[str, Any],
    size: tuple[int, int],
    content_type: str,
) -> None:
    output = await _finished_output(api, clock, model, **params)
    assert output["type"] == "image"
    assert output["content_type"] == content_type
    assert (output["width"], output["height"]) == size
    downloaded = await _download(app, output["url"])
    assert downloaded.status_code == 200
    assert downloaded.headers["content-type"] == content_type
    image = Image.open(io.BytesIO(downloaded.content))
    assert image.format == PIL_FORMATS[content_type]
    assert image.size == size
    assert output["file_name"].endswith(output["url"].rsplit("/", 1)[-1])


async def test_kontext_sides_are_multiples_of_32_and_about_one_megapixel(api: Any, clock: FakeClock) -> None:
    for ratio in ("1:1", "4:3", "3:4", "21:9", "9:21", "7:5"):
        output = await _finished_output(api, clock, "flux_kontext_pro", aspect_ratio=ratio)
        assert output["width"] % 32 == 0
        assert output["height"] % 32 == 0
        assert 0.85e6 < output["width"] * output["height"] < 1.2e6


async def test_file_size_is_reported_once_known_and_matches_the_bytes(
    api: Any, app: Starlette, clock: FakeClock
) -> None:
    submitted = await api.submit("flux_pro_11", width=256, height=256)
    clock.advance(10)
    output = (await api.result(submitted)).json()["outputs"][0]
    downloaded = await _download(app, output["url"])
    again = (await api.result(submitted)).json()["outputs"][0]
    assert again["file_size"] == len(downloaded.content)


async def test_same_seed_gives_the_same_bytes(api: Any, app: Starlette, clock: FakeClock) -> None:
    first = await _finished_output(api, clock, "flux_pro_11", seed=7, width=256, height=256)
    second = await _finished_output(api, clock, "flux_pro_11", seed=7, width=256, height=256)
    other = await _finished_output(api, clock, "flux_pro_11", seed=8, width=256, height=256)
    assert first["url"] != second["url"]
    first_bytes = (await _download(app, first["url"])).content
    assert first_bytes == (await _download(app, second["url"])).content
    assert first_bytes != (await _download(app, other["url"])).content


async def test_result_metadata_carries_the_seed(api: Any, clock: FakeClock) -> None:
    submitted = await api.submit("flux_2_pro", seed=42)
    clock.advance(10)
    assert (await api.result(submitted)).json()["metadata"]["seed"] == 42


async def test_flux_2_pro_above_the_megapixel_limit_is_accepted_then_fails(
    api: Any, clock: FakeClock
) -> None:
    submitted = await api.submit("flux_2_pro", width=4096, height=4096)
    clock.advance(10)
    body = await api.status(submitted)
    assert body["error_type"] == "REQUEST_INVALID"
    assert (await api.result(submitted)).status_code == 422


async def test_unknown_or_unfinished_files_are_404(
    api: Any, app: Starlette, clock: FakeClock, state: ProviderState
) -> None:
    assert (await _download(app, "http://provider.test/model/files/nope/x.png")).status_code == 404
    submitted = await api.submit("flux_pro_11", width=256, height=256)
    clock.advance(10)
    url = (await api.result(submitted)).json()["outputs"][0]["url"]
    assert (await _download(app, url + "x")).status_code == 404
    assert state.counters.count("download") == 2


async def test_rendered_outputs_stay_within_the_cache_bound(
    make_app: Any, client_for: Any, clock: FakeClock
) -> None:
    app = make_app(output_cache_bytes=60_000)
    state: ProviderState = app.state.provider
    async with client_for(app) as http:
        for seed in range(6):
            body = {"prompt": "x", "seed": seed, "width": 256, "height": 256, "output_format": "png"}
            submitted = (await http.post("/v1/queue/flux_pro_11", json=body)).json()
            clock.advance(10)
            url = (await http.get(submitted["response_url"])).json()["outputs"][0]["url"]
            assert (await http.get(url)).status_code == 200
    assert 0 < state.outputs.size_bytes <= 60_000
