"""Request handling: authentication, submit validation, webhooks, unknown models and methods."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

from fluxq_reference import DEMO_API_KEY, ProviderState


@pytest.mark.parametrize(
    "header", [f"Bearer {DEMO_API_KEY}", f"Key {DEMO_API_KEY}", f"bearer  {DEMO_API_KEY}"]
)
async def test_both_auth_schemes_are_accepted(client: httpx.AsyncClient, header: str) -> None:
    response = await client.post(
        "/v1/queue/flux_pro_11", json={"prompt": "x"}, headers={"Authorization": header}
    )
    assert response.status_code == 200


@pytest.mark.parametrize(
    "headers",
    [
        {"Authorization": "Bearer wrong-key"},
        {"Authorization": f"Basic {DEMO_API_KEY}"},
        {"Authorization": DEMO_API_KEY},
        {"Authorization": ""},
        {},
    ],
)
@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", "/v1/queue/flux_pro_11"),
        ("GET", "/v1/queue/flux_pro_11/requests/mmsu_x/status"),
        ("GET", "/v1/queue/flux_pro_11/requests/mmsu_x/response"),
        ("PUT", "/v1/queue/flux_pro_11/requests/mmsu_x/cancel"),
        ("POST", "/v1/queue/no_such_model"),
    ],
)
async def test_missing_or_wrong_credentials_get_401_gateway_shape(
    app: Starlette, headers: dict[str, str], method: str, path: str
) -> None:
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://p/model"
    ) as anonymous:
        response = await anonymous.request(method, path, json={"prompt": "x"}, headers=headers)
    assert response.status_code == 401
    body = response.json()
    assert body["error"]["code"] == "UNAUTHORIZED"
    assert isinstance(body["error"]["message"], str)
    assert isinstance(body["request_id"], str)


async def test_auth_is_checked_before_validation(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/v1/queue/flux_pro_11", json={"width": 3}, headers={"Authorization": "Key no"}
    )
    assert response.status_code == 401


async def test_schemes_and_keys_follow_the_config(
    make_app: Callable[..., Starlette], client_for: Callable[[Starlette], httpx.AsyncClient]
) -> None:
    app = make_app(api_keys=("k1", "k2"), auth_schemes=("bearer",))
    async with client_for(app) as http:
        body = {"prompt": "x"}
        assert (
            await http.post("/v1/queue/flux_2_pro", json=body, headers={"Authorization": "Bearer k2"})
        ).is_success
        assert (
            await http.post("/v1/queue/flux_2_pro", json=body, headers={"Authorization": "Key k1"})
        ).status_code == 401
        assert (await http.post("/v1/queue/flux_2_pro", json=body)).status_code == 401


@pytest.mark.parametrize(
    ("model", "body", "status", "detail"),
    [
        (
            "flux_pro_11",
            {"prompt": "x", "width": 500},
            422,
            "width: Input should be a multiple of 32 (multiple_of)",
        ),
        ("flux_pro_11", {"prompt": "x", "width": 2048}, 422, "width: "),
        ("flux_pro_11", {"prompt": "x", "height": "512"}, 422, "height: Input should be a valid integer"),
        ("flux_pro_11", {}, 422, "prompt: Field required (missing)"),
        ("flux_pro_11", {"prompt": ""}, 422, "prompt: "),
        ("flux_pro_11", {"prompt": "x", "output_format": "webp"}, 422, "output_format: "),
        ("flux_pro_11", {"prompt": "x", "colour": "red"}, 422, "colour: Extra inputs are not permitted"),
        (
            "flux_pro_11",
            {"prompt": "x", "seed": None},
            422,
            "seed: Input should not be null (null_forbidden)",
        ),
        ("flux_pro_11", {"prompt": None}, 422, "prompt: Input should not be null"),
        ("flux_2_pro", {"prompt": "x", "safety_tolerance": 6}, 422, "safety_tolerance: "),
        ("flux_2_pro", {"prompt": "x", "input_image": None}, 422, "input_image: Input should not be null"),
        ("flux_2_pro", {"prompt": "x", "aspect_ratio": "1:1"}, 422, "aspect_ratio: Extra inputs"),
        ("flux_kontext_pro", {"prompt": "x", "aspect_ratio": "wide"}, 422, "aspect_ratio: "),
        ("flux_kontext_pro", {"prompt": "x", "prompt_upsampling": 1}, 422, "prompt_upsampling: "),
        (
            "flux_kontext_pro",
            {"prompt": "x", "aspect_ratio": None},
            422,
            "aspect_ratio: Input should not be null",
        ),
    ],
)
async def test_invalid_bodies_get_422_naming_the_field_and_rule(
    client: httpx.AsyncClient,
    state: ProviderState,
    model: str,
    body: dict[str, Any],
    status: int,
    detail: str,
) -> None:
    response = await client.post(f"/v1/queue/{model}", json=body)
    assert response.status_code == status
    assert response.json()["detail"].startswith(detail)
    assert state.counters.tasks_created == 0


async def test_kontext_seed_may_be_null_as_the_spec_says(client: httpx.AsyncClient) -> None:
    response = await client.post("/v1/queue/flux_kontext_pro", json={"prompt": "x", "seed": None})
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("content", "content_type"),
    [
        (b"{not json", "application/json"),
        (b"", "application/json"),
        (b"[1, 2]", "application/json"),
        (b'"prompt"', "application/json"),
        (b"prompt=x", "application/x-www-form-urlencoded"),
        (b'{"prompt": "x"}', "text/plain"),
        (b"\xff\xfe", "application/json"),
        (b"[" * 100_000, "application/json"),
    ],
)
async def test_unreadable_bodies_get_400_json(
    client: httpx.AsyncClient, content: bytes, content_type: str
) -> None:
    response = await client.post(
        "/v1/queue/flux_pro_11", content=content, headers={"Content-Type": content_type}
    )
    assert response.status_code == 400
    assert isinstance(response.json()["detail"], str)


@pytest.mark.parametrize(
    ("query", "body"),
    [
        ({}, {"prompt": "x", "webhook": "https://example.com/hook"}),
        ({}, {"prompt": "x", "webhook_url": "https://example.com/hook"}),
        ({"fal_webhook": "https://example.com/hook"}, {"prompt": "x"}),
        ({"webhook": "https://example.com/hook"}, {"prompt": "x"}),
    ],
)
async def test_webhooks_are_rejected(
    client: httpx.AsyncClient, state: ProviderState, query: dict[str, str], body: dict[str, Any]
) -> None:
    response = await client.post("/v1/queue/flux_kontext_pro", params=query, json=body)
    assert response.status_code == 400
    assert response.json() == {"detail": "webhook not supported"}
    assert state.counters.tasks_created == 0


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", "/v1/queue/flux_unknown"),
        ("GET", "/v1/queue/flux_unknown/requests/mmsu_x/status"),
        ("GET", "/v1/queue/flux_unknown/requests/mmsu_x/response"),
        ("PUT", "/v1/queue/flux_unknown/requests/mmsu_x/cancel"),
    ],
)
async def test_unknown_model_is_404_app_not_found(client: httpx.AsyncClient, method: str, path: str) -> None:
    response = await client.request(method, path, json={"prompt": "x"})
    assert response.status_code == 404
    assert response.json() == {"detail": "App not found: flux_unknown"}


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("GET", "/v1/queue/flux_pro_11", "POST"),
        ("DELETE", "/v1/queue/flux_pro_11", "POST"),
        ("POST", "/v1/queue/flux_pro_11/requests/mmsu_x/status", "GET"),
        ("PATCH", "/v1/queue/flux_pro_11/requests/mmsu_x/response", "GET"),
        ("GET", "/v1/queue/flux_pro_11/requests/mmsu_x/cancel", "PUT"),
    ],
)
async def test_unsupported_methods_get_405_with_allow(
    client: httpx.AsyncClient, method: str, path: str, allowed: str
) -> None:
    response = await client.request(method, path)
    assert response.status_code == 405
    assert allowed in response.headers["Allow"]
    assert response.json()["detail"]


async def test_unknown_paths_get_404_json(client: httpx.AsyncClient) -> None:
    response = await client.get("/v2/anything")
    assert response.status_code == 404
    assert isinstance(response.json()["detail"], str)


async def test_public_base_url_is_used_for_absolute_urls(
    make_app: Callable[..., Starlette], client_for: Callable[[Starlette], httpx.AsyncClient]
) -> None:
    app = make_app(public_base_url="https://fluxq.example/model/")
    async with client_for(app) as http:
        body = (await http.post("/v1/queue/flux_pro_11", json={"prompt": "x"})).json()
    assert body["status_url"].startswith("https://fluxq.example/model/v1/queue/flux_pro_11/requests/mmsu_")
