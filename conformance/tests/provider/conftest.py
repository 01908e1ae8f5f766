"""Fixtures of the provider's tests: configured apps, in-process clients, a manual clock."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, settings
from starlette.applications import Starlette

from fluxq_reference import (
    DEMO_API_KEY,
    Duration,
    FakeClock,
    ModelTiming,
    ProviderConfig,
    ProviderState,
    create_app,
    same_timing,
)

settings.register_profile(
    "provider",
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large],
)

AUTH = {"Authorization": f"Bearer {DEMO_API_KEY}"}
BASE = "http://provider.test/model"
QUEUE_SECONDS = 1.0
RUN_SECONDS = 2.0


def fixed_timing(queue: float = QUEUE_SECONDS, run: float = RUN_SECONDS) -> dict[str, ModelTiming]:
    """The same fixed queue wait and run time for every model."""
    return same_timing(ModelTiming(Duration.fixed(queue), Duration.fixed(run)))


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(start=1000.0)


@pytest.fixture
def make_app(clock: FakeClock) -> Callable[..., Starlette]:
    """Build an app on the test's clock; keyword arguments override ``ProviderConfig`` fields."""

    def build(**overrides: Any) -> Starlette:
        options: dict[str, Any] = {"clock": clock, "sleep": clock.sleep, "timings": fixed_timing()}
        options.update(overrides)
        return create_app(ProviderConfig(**options))

    return build


@pytest.fixture
def app(make_app: Callable[..., Starlette]) -> Starlette:
    return make_app()


@pytest.fixture
def state(app: Starlette) -> ProviderState:
    provider: ProviderState = app.state.provider
    return provider


@pytest.fixture
async def client(app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url=BASE, headers=AUTH) as http:
        yield http


@pytest.fixture
def client_for() -> Callable[[Starlette], httpx.AsyncClient]:
    """An in-process client for another app (the caller closes it)."""

    def build(other: Starlette) -> httpx.AsyncClient:
        return httpx.AsyncClient(transport=httpx.ASGITransport(app=other), base_url=BASE, headers=AUTH)

    return build


class Api:
    """Small helpers over an in-process client: submit, status, result, cancel."""

    def __init__(self, http: httpx.AsyncClient) -> None:
        self.http = http

    async def submit(self, model: str = "flux_pro_11", **params: Any) -> dict[str, Any]:
        """Submit a task (a plain prompt unless given) and return the 200 body."""
        params.setdefault("prompt", "a red apple")
        response = await self.http.post(f"/v1/queue/{model}", json=params)
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    async def status(self, submitted: dict[str, Any]) -> dict[str, Any]:
        """GET the status URL submit returned; asserts 200."""
        response = await self.http.get(submitted["status_url"])
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    async def result(self, submitted: dict[str, Any]) -> httpx.Response:
        """GET the response URL submit returned."""
        return await self.http.get(submitted["response_url"])

    async def cancel(self, submitted: dict[str, Any]) -> httpx.Response:
        """PUT the cancel URL submit returned."""
        return await self.http.put(submitted["cancel_url"])


@pytest.fixture
def api(client: httpx.AsyncClient) -> Api:
    return Api(client)
