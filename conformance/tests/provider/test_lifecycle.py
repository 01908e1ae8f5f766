"""The task lifecycle on a manual clock: ordering, 202 before done, cancel, failures, queue."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

from fluxq_reference import FakeClock, ProviderState

MODELS = ["flux_kontext_pro", "flux_pro_11", "flux_2_pro"]


@pytest.mark.parametrize("model", MODELS)
async def test_status_moves_forward_and_result_answers_202_until_done(
    api: Any, clock: FakeClock, model: str
) -> None:
    submitted = await api.submit(model)
    assert submitted["request_id"].startswith("mmsu_")
    assert len(submitted["request_id"]) == len("mmsu_") + 26
    for name in ("status_url", "response_url", "cancel_url"):
        assert submitted[name].startswith(f"http://provider.test/model/v1/queue/{model}/requests/")
        assert submitted["request_id"] in submitted[name]
    seen: list[str] = []
    for _ in range(8):
        body = await api.status(submitted)
        assert body["request_id"] == submitted["request_id"]
        assert body["response_url"] == submitted["response_url"]
        seen.append(body["status"])
        result = await api.result(submitted)
        if body["status"] != "COMPLETED":
            assert result.status_code == 202
            assert result.json()["status"] == body["status"]
            assert int(result.headers["Retry-After"]) >= 1
        else:
            assert result.status_code == 200
            assert result.json()["request_id"] == submitted["request_id"]
        clock.advance(0.5)
    # queue 1 s, run 2 s, polled every 0.5 s from t=0
    assert seen == ["IN_QUEUE"] * 2 + ["IN_PROGRESS"] * 4 + ["COMPLETED"] * 2


async def test_success_reports_inference_time_and_no_error(api: Any, clock: FakeClock) -> None:
    submitted = await api.submit(prompt="ok [fluxq:run=3.5]")
    clock.advance(10)
    body = await api.status(submitted)
    assert body["status"] == "COMPLETED"
    assert body["metrics"] == {"inference_time": 3.5}
    assert "error" not in body
    assert "error_type" not in body


async def test_queue_positions_under_load_are_real_and_decrease(api: Any, clock: FakeClock) -> None:
    # 2 workers, queue wait 1 s, run 2 s: tasks start in pairs every 2 s once eligible.
    tasks = [await api.submit() for _ in range(10)]
    assert [task["queue_position"] for task in tasks] == list(range(10))
    clock.advance(1.0)
    statuses = [await api.status(task) for task in tasks]
    assert [s["status"] for s in statuses[:2]] == ["IN_PROGRESS"] * 2
    assert [s["queue_position"] for s in statuses[2:]] == list(range(8))
    previous = [s.get("queue_position") for s in statuses]
    for _ in range(4):  # to t = 9 s: pairs finished at 3, 5, 7 and 9 s, the last pair runs
        clock.advance(2.0)
        statuses = [await api.status(task) for task in tasks]
        current = [s.get("queue_position") for s in statuses]
        waiting = [p for p in current if p is not None]
        assert waiting == list(range(len(waiting)))
        for before, after in zip(previous, current, strict=True):
            if after is not None:
                assert before is not None
                assert after < before
        previous = current
    assert [s["status"] for s in statuses] == ["COMPLETED"] * 8 + ["IN_PROGRESS"] * 2


async def test_tasks_finish_in_submission_order_with_one_worker(
    make_app: Callable[..., Starlette], client_for: Callable[[Starlette], httpx.AsyncClient], clock: FakeClock
) -> None:
    app = make_app(workers=1)
    async with client_for(app) as http:
        ids = []
        for _ in range(3):
            response = await http.post("/v1/queue/flux_pro_11", json={"prompt": "x"})
            ids.append(response.json()["request_id"])
        order: list[str] = []
        for _ in range(20):
            clock.advance(0.5)
            for request_id in ids:
                body = (await http.get(f"/v1/queue/flux_pro_11/requests/{request_id}/status")).json()
                if body["status"] == "COMPLETED" and request_id not in order:
                    order.append(request_id)
    assert order == ids


async def test_cancel_while_queued_frees_the_slot(api: Any, clock: FakeClock, state: ProviderState) -> None:
    tasks = [await api.submit() for _ in range(5)]
    clock.advance(1.0)  # tasks 0 and 1 run; 2, 3, 4 wait at positions 0, 1, 2
    canceled = await api.cancel(tasks[2])
    assert canceled.status_code == 202
    assert canceled.json() == {"status": "CANCELLATION_REQUESTED"}
    body = await api.status(tasks[2])
    assert body["status"] == "COMPLETED"
    assert body["error_type"] == "CANCELED"
    assert isinstance(body["error"], str)
    assert [(await api.status(t))["queue_position"] for t in tasks[3:]] == [0, 1]
    assert state.counters.cancels_accepted == 1


async def test_cancel_while_running_ends_the_task_and_frees_the_worker(api: Any, clock: FakeClock) -> None:
    tasks = [await api.submit() for _ in range(3)]
    clock.advance(1.5)
    assert (await api.status(tasks[0]))["status"] == "IN_PROGRESS"
    assert (await api.cancel(tasks[0])).status_code == 202
    assert (await api.status(tasks[0]))["error_type"] == "CANCELED"
    assert (await api.status(tasks[2]))["status"] == "IN_PROGRESS"


async def test_cancel_after_completion_is_refused_and_changes_nothing(api: Any, clock: FakeClock) -> None:
    submitted = await api.submit()
    clock.advance(5)
    refused = await api.cancel(submitted)
    assert refused.status_code == 400
    assert refused.json() == {"status": "ALREADY_COMPLETED"}
    result = await api.result(submitted)
    assert result.status_code == 200
    assert result.json()["outputs"]


async def test_second_cancel_answers_already_completed(api: Any) -> None:
    submitted = await api.submit()
    assert (await api.cancel(submitted)).status_code == 202
    again = await api.cancel(submitted)
    assert again.status_code == 400
    assert again.json() == {"status": "ALREADY_COMPLETED"}


async def test_result_of_a_canceled_task_is_a_400_error_body(api: Any) -> None:
    submitted = await api.submit()
    await api.cancel(submitted)
    result = await api.result(submitted)
    assert result.status_code == 400
    assert result.json()["error_type"] == "CANCELED"
    assert result.json()["request_id"] == submitted["request_id"]
    assert "outputs" not in result.json()


@pytest.mark.parametrize(
    ("error_type", "http_status"),
    [
        ("INFERENCE_FAILURE", 500),
        ("INFERENCE_TIMEOUT", 504),
        ("REQUEST_INVALID", 422),
        ("CONTENT_BLOCKED", 422),
        ("INTERNAL_SERVER_ERROR", 500),
        ("SOMETHING_NEW", 500),
    ],
)
async def test_every_failure_type_completes_with_an_error_and_a_failed_result(
    api: Any, clock: FakeClock, error_type: str, http_status: int
) -> None:
    submitted = await api.submit(prompt=f"boom [fluxq:error={error_type}]")
    early = await api.result(submitted)
    assert early.status_code == 202
    clock.advance(5)
    body = await api.status(submitted)
    assert body["status"] == "COMPLETED"
    assert body["error_type"] == error_type
    assert isinstance(body["error"], str)
    assert body["error"]
    assert "metrics" not in body
    result = await api.result(submitted)
    assert result.status_code == http_status
    assert result.json()["error_type"] == error_type
    assert isinstance(result.json()["detail"], str)
    assert "outputs" not in result.json()


async def test_queue_marker_holds_the_task_in_the_queue(api: Any, clock: FakeClock) -> None:
    submitted = await api.submit(prompt="wait [fluxq:queue=4]")
    clock.advance(3.9)
    assert (await api.status(submitted))["status"] == "IN_QUEUE"
    clock.advance(0.2)
    assert (await api.status(submitted))["status"] == "IN_PROGRESS"


@pytest.mark.parametrize("operation", ["status", "response"])
async def test_unknown_request_id_is_404_request_not_found(client: httpx.AsyncClient, operation: str) -> None:
    response = await client.get(f"/v1/queue/flux_pro_11/requests/mmsu_nope/{operation}")
    assert response.status_code == 404
    assert response.json() == {"detail": "Request not found"}


async def test_cancel_of_unknown_id_is_404_not_found(client: httpx.AsyncClient) -> None:
    response = await client.put("/v1/queue/flux_pro_11/requests/mmsu_nope/cancel")
    assert response.status_code == 404
    assert response.json() == {"status": "NOT_FOUND"}


async def test_request_id_of_another_model_is_unknown(api: Any, client: httpx.AsyncClient) -> None:
    submitted = await api.submit("flux_pro_11")
    request_id = submitted["request_id"]
    response = await client.get(f"/v1/queue/flux_2_pro/requests/{request_id}/status")
    assert response.status_code == 404
    cancel = await client.put(f"/v1/queue/flux_2_pro/requests/{request_id}/cancel")
    assert cancel.status_code == 404


async def test_counters_count_requests_tasks_and_cancels(api: Any, state: ProviderState) -> None:
    first = await api.submit("flux_pro_11")
    await api.submit("flux_2_pro")
    await api.status(first)
    await api.status(first)
    await api.result(first)
    await api.cancel(first)
    counters = state.counters
    assert counters.tasks_created == 2
    assert counters.count("submit") == 2
    assert counters.count("submit", "flux_2_pro") == 1
    assert counters.count("status", "flux_pro_11") == 2
    assert counters.count("result") == 1
    assert counters.count("cancel") == 1
    assert counters.cancels_accepted == 1
    assert counters.total_requests() == 6
    counters.reset()
    assert counters.total_requests() == 0
    assert counters.tasks_created == 0
    assert state.task_count() == 2


async def test_refused_submits_count_as_requests_but_create_no_task(
    client: httpx.AsyncClient, state: ProviderState
) -> None:
    await client.post("/v1/queue/flux_pro_11", json={"prompt": "x", "width": 1})
    await client.post(
        "/v1/queue/flux_pro_11", json={"prompt": "x"}, headers={"Authorization": "Bearer wrong"}
    )
    assert state.counters.count("submit") == 2
    assert state.counters.tasks_created == 0


async def test_oldest_finished_tasks_are_forgotten_beyond_max_tasks(
    make_app: Callable[..., Starlette], client_for: Callable[[Starlette], httpx.AsyncClient], clock: FakeClock
) -> None:
    app = make_app(max_tasks=3, workers=1)
    state: ProviderState = app.state.provider
    async with client_for(app) as http:
        ids = []
        for _ in range(5):
            ids.append((await http.post("/v1/queue/flux_pro_11", json={"prompt": "x"})).json()["request_id"])
        assert state.task_count() == 5  # nothing finished yet: nothing may be forgotten
        clock.advance(100)
        ids.append((await http.post("/v1/queue/flux_pro_11", json={"prompt": "x"})).json()["request_id"])
        codes = [
            (await http.get(f"/v1/queue/flux_pro_11/requests/{request_id}/status")).status_code
            for request_id in ids
        ]
    assert state.task_count() == 3
    assert codes == [404, 404, 404, 200, 200, 200]
