"""Fixtures of the wrapper tests: sync and async through one parametrised fixture, fake time, providers.

``api`` builds clients of the flavour under test ("sync" or "async") behind one awaitable facade, so
each behaviour is written once and runs against both clients. Time is a `ManualClock`: sleeping
advances it, nothing waits for real. The reference provider runs in-process (``httpx.ASGITransport``
for async; `SyncASGIBridge` — a loop thread — for sync).
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest

import fluxq
from fluxq_reference import FakeClock, ProviderConfig, create_app
from fluxq_reference.counters import Counters

KEY = "fluxq-demo-key"
BASE = "http://testserver/model"
#: Readings of the fake clock at one instant before a test fails as stuck (a loop that stopped sleeping
#: would otherwise spin until pytest-timeout, minutes later). The busiest honest test reads far fewer.
STALL_LIMIT = 1000


class ManualClock(FakeClock):
    """The provider's fake clock, with a record of every sleep the client asked for."""

    def __init__(self) -> None:
        super().__init__(stall_limit=STALL_LIMIT)
        self.sleeps: list[float] = []

    def sleep_sync(self, seconds: float) -> None:
        """Blocking-style sleep: advances the clock at once."""
        self.sleeps.append(seconds)
        self.advance(seconds)

    async def sleep(self, seconds: float) -> None:
        """Awaitable sleep: advances the clock at once."""
        self.sleeps.append(seconds)
        self.advance(seconds)


class SyncASGIBridge(httpx.BaseTransport):
    """A blocking transport that serves requests from an ASGI app running on a private loop thread."""

    def __init__(self, app: Any) -> None:
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._thread.start()
        self._inner = httpx.ASGITransport(app)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        body = request.read()

        async def forward() -> tuple[int, httpx.Headers, bytes]:
            inner_request = httpx.Request(request.method, request.url, headers=request.headers, content=body)
            response = await self._inner.handle_async_request(inner_request)
            return response.status_code, response.headers, await response.aread()

        status, headers, content = asyncio.run_coroutine_threadsafe(forward(), self._loop).result(timeout=30)
        return httpx.Response(status, headers=headers, content=content, request=request)

    def close(self) -> None:
        if self._loop.is_running():
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(timeout=5)


@dataclass
class Provider:
    """An in-process reference provider and what it counted."""

    app: Any
    clock: ManualClock

    @property
    def counters(self) -> Counters:
        counters: Counters = self.app.state.provider.counters
        return counters


class JobApi:
    """One awaitable facade over `fluxq.Job` and `fluxq.AsyncJob`."""

    def __init__(self, job: fluxq.Job | fluxq.AsyncJob) -> None:
        self.job = job

    @property
    def request_id(self) -> str:
        return self.job.request_id

    async def status(self) -> fluxq.StatusEvent:
        if isinstance(self.job, fluxq.AsyncJob):
            return await self.job.status()
        return self.job.status()

    async def wait(self, **kwargs: Any) -> ResultApi:
        if isinstance(self.job, fluxq.AsyncJob):
            return ResultApi(await self.job.wait(**kwargs))
        return ResultApi(self.job.wait(**kwargs))

    async def result(self) -> ResultApi:
        if isinstance(self.job, fluxq.AsyncJob):
            return ResultApi(await self.job.result())
        return ResultApi(self.job.result())

    async def cancel(self) -> bool:
        if isinstance(self.job, fluxq.AsyncJob):
            return await self.job.cancel()
        return self.job.cancel()

    async def events(self, **kwargs: Any) -> list[fluxq.StatusEvent]:
        if isinstance(self.job, fluxq.AsyncJob):
            return [event async for event in self.job.iter_status(**kwargs)]
        return list(self.job.iter_status(**kwargs))


class ResultApi:
    """One awaitable facade over `fluxq.Result` and `fluxq.AsyncResult`."""

    def __init__(self, result: fluxq.Result | fluxq.AsyncResult) -> None:
        self.result = result

    @property
    def outputs(self) -> tuple[Any, ...]:
        return self.result.outputs

    async def save_all(self, directory: Any) -> list[Any]:
        if isinstance(self.result, fluxq.AsyncResult):
            return await self.result.save_all(directory)
        return self.result.save_all(directory)

    async def output_bytes(self, index: int = 0) -> bytes:
        output = self.result.outputs[index]
        if isinstance(output, fluxq.AsyncOutput):
            return await output.bytes()
        return output.bytes()

    async def save(self, index: int, path: Any) -> Any:
        output = self.result.outputs[index]
        if isinstance(output, fluxq.AsyncOutput):
            return await output.save(path)
        return output.save(path)


@dataclass
class Api:
    """One awaitable facade over `fluxq.Client` and `fluxq.AsyncClient`."""

    client: fluxq.Client | fluxq.AsyncClient
    clock: ManualClock
    closers: list[Callable[[], None]] = field(default_factory=list)

    @property
    def is_async(self) -> bool:
        return isinstance(self.client, fluxq.AsyncClient)

    async def submit(self, model: str, params: Any = None, **kwargs: Any) -> JobApi:
        if isinstance(self.client, fluxq.AsyncClient):
            return JobApi(await self.client.submit(model, params, **kwargs))
        return JobApi(self.client.submit(model, params, **kwargs))

    async def typed_submit(self, model: str, **kwargs: Any) -> JobApi:
        accessor = getattr(self.client, model)
        if isinstance(self.client, fluxq.AsyncClient):
            return JobApi(await accessor.submit(**kwargs))
        return JobApi(accessor.submit(**kwargs))

    async def typed_run(self, model: str, **kwargs: Any) -> ResultApi:
        accessor = getattr(self.client, model)
        if isinstance(self.client, fluxq.AsyncClient):
            return ResultApi(await accessor.run(**kwargs))
        return ResultApi(accessor.run(**kwargs))

    async def run(self, model: str, params: Any = None, **kwargs: Any) -> ResultApi:
        if isinstance(self.client, fluxq.AsyncClient):
            return ResultApi(await self.client.run(model, params, **kwargs))
        return ResultApi(self.client.run(model, params, **kwargs))

    def job(self, model: str, request_id: str) -> JobApi:
        return JobApi(self.client.job(model, request_id))

    async def close(self) -> None:
        if isinstance(self.client, fluxq.AsyncClient):
            await self.client.close()
        else:
            self.client.close()
        for close in self.closers:
            close()


MakeApi = Callable[..., Api]


@pytest.fixture(params=["sync", "async"])
def flavor(request: pytest.FixtureRequest) -> str:
    """The client flavour under test."""
    flavour: str = request.param
    return flavour


@pytest.fixture
def clock() -> ManualClock:
    """Fake time shared by the client and the provider."""
    return ManualClock()


@pytest.fixture
async def make_api(flavor: str, clock: ManualClock) -> AsyncIterator[MakeApi]:
    """Build clients of the flavour under test; ``target`` is an ASGI app or an ``httpx.MockTransport``."""
    made: list[Api] = []

    def build(target: Any, **kwargs: Any) -> Api:
        options: dict[str, Any] = {"base_url": BASE, "clock": clock, **kwargs}
        options.setdefault("api_key", KEY)
        options.setdefault("sleep", clock.sleep if flavor == "async" else clock.sleep_sync)
        closers: list[Callable[[], None]] = []
        if flavor == "async":
            is_mock = isinstance(target, httpx.MockTransport)
            transport: Any = target if is_mock else httpx.ASGITransport(target)
            client: Any = fluxq.AsyncClient(transport=transport, **options)
        else:
            if isinstance(target, httpx.MockTransport):
                transport = target
            else:
                transport = SyncASGIBridge(target)
                closers.append(transport.close)
            client = fluxq.Client(transport=transport, **options)
        api = Api(client, clock, closers)
        made.append(api)
        return api

    yield build
    for api in made:
        await api.close()


def provider_config(clock: ManualClock, **kwargs: Any) -> ProviderConfig:
    """A provider configuration on the test's clock."""
    return ProviderConfig(clock=clock, sleep=clock.sleep, seed=0, **kwargs)


@pytest.fixture
def provider(clock: ManualClock) -> Provider:
    """The reference provider (realistic timings), on the test's clock."""
    return Provider(create_app(provider_config(clock)), clock)


@pytest.fixture
async def api(make_api: MakeApi, provider: Provider) -> Api:
    """A client of the flavour under test, talking to the in-process provider."""
    return make_api(provider.app)


@pytest.fixture
def sync_bridge_factory() -> Iterator[Callable[[Any], SyncASGIBridge]]:
    """Build blocking transports onto ASGI apps (closed after the test)."""
    bridges: list[SyncASGIBridge] = []

    def build(app: Any) -> SyncASGIBridge:
        bridge = SyncASGIBridge(app)
        bridges.append(bridge)
        return bridge

    yield build
    for bridge in bridges:
        bridge.close()
