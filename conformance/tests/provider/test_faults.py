"""Fault injection: every kind, no side effects, reproducible with a seed."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

from fluxq_reference import ConnectionDropped, FakeClock, FaultRates, ProviderState
from fluxq_reference.faults import MALFORMED_BODY, FaultInjector, choose_fault


async def _submit_statuses(http: httpx.AsyncClient, count: int) -> list[int]:
    codes = []
    for _ in range(count):
        try:
            response = await http.post("/v1/queue/flux_pro_11", json={"prompt": "x"})
            codes.append(response.status_code)
        except ConnectionDropped:
            codes.append(-1)
    return codes


async def test_rate_limit_answers_429_gateway_shape_with_retry_after_and_creates_nothing(
    make_app: Callable[..., Starlette], client_for: Callable[[Starlette], httpx.AsyncClient]
) -> None:
    app = make_app(faults=FaultRates(rate_limit=1.0, retry_after=3))
    async with client_for(app) as http:
        response = await http.post("/v1/queue/flux_pro_11", json={"prompt": "x"})
    assert response.status_code == 429
    assert response.headers["Retry-After"] == "3"
    assert response.json()["error"]["code"] == "RATE_LIMIT_EXCEEDED"
    state: ProviderState = app.state.provider
    assert state.counters.tasks_created == 0
    assert state.counters.faults["rate_limit"] == 1


async def test_server_errors_are_500_502_or_503_in_gateway_shape(
    make_app: Callable[..., Starlette], client_for: Callable[[Starlette], httpx.AsyncClient]
) -> None:
    app = make_app(faults=FaultRates(server_error=1.0))
    async with client_for(app) as http:
        responses = [await http.get("/v1/queue/flux_2_pro/requests/mmsu_x/status") for _ in range(30)]
    assert {r.status_code for r in responses} == {500, 502, 503}
    assert all(r.json()["error"]["code"] == "INTERNAL_ERROR" for r in responses)


async def test_malformed_body_is_a_cut_json_502(
    make_app: Callable[..., Starlette], client_for: Callable[[Starlette], httpx.AsyncClient]
) -> None:
    app = make_app(faults=FaultRates(malformed_body=1.0))
    async with client_for(app) as http:
        response = await http.put("/v1/queue/flux_pro_11/requests/mmsu_x/cancel")
    assert response.status_code == 502
    assert response.headers["content-type"] == "application/json"
    assert response.content == MALFORMED_BODY
    with pytest.raises(ValueError, match=r"Unterminated|Expecting"):
        response.json()


async def test_dropped_connection_raises_in_process_and_creates_nothing(
    make_app: Callable[..., Starlette], client_for: Callable[[Starlette], httpx.AsyncClient]
) -> None:
    app = make_app(faults=FaultRates(dropped_connection=1.0))
    async with client_for(app) as http:
        with pytest.raises(ConnectionDropped):
            await http.post("/v1/queue/flux_pro_11", json={"prompt": "x"})
    assert app.state.provider.counters.tasks_created == 0


async def test_slow_response_sleeps_through_the_injected_sleep_then_answers(
    make_app: Callable[..., Starlette], client_for: Callable[[Starlette], httpx.AsyncClient], clock: FakeClock
) -> None:
    app = make_app(faults=FaultRates(slow=1.0, slow_seconds=7.5))
    before = clock()
    async with client_for(app) as http:
        response = await http.post("/v1/queue/flux_pro_11", json={"prompt": "x"})
    assert response.status_code == 200
    assert clock() - before == 7.5


async def test_faults_never_hit_output_downloads(
    make_app: Callable[..., Starlette], client_for: Callable[[Starlette], httpx.AsyncClient], clock: FakeClock
) -> None:
    clean = make_app()
    async with client_for(clean) as http:
        submitted = (await http.post("/v1/queue/flux_pro_11", json={"prompt": "x", "width": 256})).json()
        clock.advance(10)
        url = (await http.get(submitted["response_url"])).json()["outputs"][0]["url"]
    state: ProviderState = clean.state.provider
    state.faults = FaultInjector(FaultRates(server_error=1.0), seed=0)  # from now on, every API call fails
    async with client_for(clean) as http:
        assert (await http.get(submitted["status_url"])).status_code >= 500
        assert (await http.get(url)).status_code == 200


async def test_faults_are_reproducible_with_the_same_seed(
    make_app: Callable[..., Starlette], client_for: Callable[[Starlette], httpx.AsyncClient]
) -> None:
    rates = FaultRates(rate_limit=0.2, server_error=0.2, dropped_connection=0.1, malformed_body=0.1)
    runs: list[list[int]] = []
    for seed in (11, 11, 12):
        app = make_app(faults=rates, seed=seed)
        async with client_for(app) as http:
            runs.append(await _submit_statuses(http, 40))
    assert runs[0] == runs[1]
    assert runs[0] != runs[2]
    assert {200, 429, -1, 502} <= set(runs[0])


@pytest.mark.parametrize(
    ("draw", "kind"),
    [
        (0.05, "rate_limit"),
        (0.15, "server_error"),
        (0.25, "slow"),
        (0.35, "dropped_connection"),
        (0.45, "malformed_body"),
    ],
)
def test_choose_fault_follows_cumulative_rates(draw: float, kind: str) -> None:
    rates = FaultRates(rate_limit=0.1, server_error=0.1, slow=0.1, dropped_connection=0.1, malformed_body=0.1)
    fault = choose_fault(rates, draw, 0.0)
    assert fault is not None
    assert fault.kind == kind
    assert choose_fault(rates, 0.5, 0.0) is None


def test_fault_rates_above_one_are_refused(make_app: Any) -> None:
    with pytest.raises(ValueError, match="fault rates"):
        make_app(faults=FaultRates(rate_limit=0.7, server_error=0.7))
