"""Faults on a scripted transport: each retry rule, Retry-After, malformed replies, deadlines."""

from __future__ import annotations

import logging

import httpx
import pytest

import fluxq

from .conftest import MakeApi
from .scripted import HOST, RID, ScriptedServer, done, error, pending, submitted

NOT_SENT = [httpx.ConnectError("refused"), httpx.ConnectTimeout("slow connect"), httpx.PoolTimeout("pool")]
AMBIGUOUS = [
    httpx.ReadTimeout("slow read"),
    httpx.WriteTimeout("slow write"),
    httpx.RemoteProtocolError("peer closed"),
    httpx.ReadError("reset"),
]


@pytest.fixture
def server() -> ScriptedServer:
    return ScriptedServer()


async def test_submit_retries_429_after_retry_after(make_api: MakeApi, server: ScriptedServer) -> None:
    server.on(
        "submit",
        error(429, {"error": {"code": "RATE_LIMIT_EXCEEDED", "message": "slow"}}, retry_after="3"),
        submitted(),
    )
    api = make_api(server.transport)

    job = await api.submit("flux_pro_11", prompt="apple")

    assert job.request_id == RID
    assert server.count("submit") == 2
    assert api.clock.sleeps == [3.0]


async def test_submit_gives_up_on_429_after_max_retries(make_api: MakeApi, server: ScriptedServer) -> None:
    server.on(
        "submit", error(429, {"error": {"code": "RATE_LIMIT_EXCEEDED", "message": "slow"}}, retry_after="2")
    )
    api = make_api(server.transport, max_retries=3)

    with pytest.raises(fluxq.RateLimitError) as caught:
        await api.submit("flux_pro_11", prompt="apple")

    assert server.count("submit") == 4
    assert caught.value.retry_after == 2.0
    assert caught.value.code == "RATE_LIMIT_EXCEEDED"


@pytest.mark.parametrize("code", [500, 502, 503, 504])
async def test_submit_5xx_is_never_resent(make_api: MakeApi, server: ScriptedServer, code: int) -> None:
    server.on("submit", error(code), submitted())
    api = make_api(server.transport)

    with pytest.raises(fluxq.SubmitOutcomeUnknown) as caught:
        await api.submit("flux_pro_11", prompt="apple")

    assert server.count("submit") == 1
    assert caught.value.status_code == code
    assert "may exist" in str(caught.value)


@pytest.mark.parametrize("failure", AMBIGUOUS, ids=lambda e: type(e).__name__)
async def test_ambiguous_submit_failure_is_never_resent(
    make_api: MakeApi, server: ScriptedServer, failure: Exception
) -> None:
    server.on("submit", failure, submitted())
    api = make_api(server.transport)

    with pytest.raises(fluxq.SubmitOutcomeUnknown) as caught:
        await api.submit("flux_pro_11", prompt="apple")

    assert server.count("submit") == 1
    assert caught.value.model == "flux_pro_11"
    assert isinstance(caught.value.__cause__, httpx.TransportError)


@pytest.mark.parametrize("failure", NOT_SENT, ids=lambda e: type(e).__name__)
async def test_submit_retries_failures_before_sending(
    make_api: MakeApi, server: ScriptedServer, failure: Exception
) -> None:
    server.on("submit", failure, submitted())
    api = make_api(server.transport)

    await api.submit("flux_pro_11", prompt="apple")

    assert server.count("submit") == 2
    assert len(api.clock.sleeps) == 1
    assert 0 <= api.clock.sleeps[0] <= 0.5


@pytest.mark.parametrize(
    ("failure", "expected"),
    [
        (httpx.ConnectError("refused"), fluxq.APIConnectionError),
        (httpx.ConnectTimeout("t"), fluxq.APITimeoutError),
    ],
)
async def test_connection_failures_exhaust_retries(
    make_api: MakeApi, server: ScriptedServer, failure: Exception, expected: type[Exception]
) -> None:
    server.on("submit", failure)
    api = make_api(server.transport, max_retries=2)

    with pytest.raises(expected):
        await api.submit("flux_pro_11", prompt="apple")

    assert server.count("submit") == 3


async def test_by_default_a_failing_status_is_asked_three_times(
    make_api: MakeApi, server: ScriptedServer
) -> None:
    server.on("status", error(503))
    api = make_api(server.transport)

    with pytest.raises(fluxq.InternalServerError):
        await api.job("flux_pro_11", RID).status()

    assert server.count("status") == 3  # the first request and the 2 default retries


@pytest.mark.parametrize("operation", ["submit", "status", "result", "cancel"])
async def test_a_connection_failure_names_the_operation(
    make_api: MakeApi, server: ScriptedServer, operation: str
) -> None:
    server.on(operation, httpx.ConnectError("refused"))
    api = make_api(server.transport, max_retries=0)
    job = api.job("flux_pro_11", RID)
    calls = {
        "submit": lambda: api.submit("flux_pro_11", prompt="apple"),
        "status": job.status,
        "result": job.wait,
        "cancel": job.cancel,
    }

    with pytest.raises(fluxq.APIConnectionError, match=f"^{operation} request failed: ConnectError: refused"):
        await calls[operation]()


async def test_unretryable_transport_error_is_a_connection_error(
    make_api: MakeApi, server: ScriptedServer
) -> None:
    server.on("submit", submitted())
    server.on("status", httpx.UnsupportedProtocol("gopher"))
    api = make_api(server.transport)
    job = await api.submit("flux_pro_11", prompt="apple")

    with pytest.raises(fluxq.APIConnectionError) as caught:
        await job.status()

    assert server.count("status") == 1
    assert caught.value.request_id == RID


@pytest.mark.parametrize(
    "failure",
    [
        error(503),
        error(502, text="<html>Bad Gateway</html>"),
        httpx.ReadTimeout("slow"),
        httpx.RemoteProtocolError("x"),
    ],
    ids=["503", "502-html", "read-timeout", "protocol"],
)
async def test_result_polls_retry_transient_failures(
    make_api: MakeApi, server: ScriptedServer, failure: httpx.Response | Exception
) -> None:
    server.on("submit", submitted()).on("result", failure, failure, done())
    api = make_api(server.transport)
    job = await api.submit("flux_pro_11", prompt="apple")

    result = await job.wait()

    assert result.outputs[0].url == "http://cdn.test/out/a.png"
    assert server.count("result") == 3
    assert server.count("submit") == 1


async def test_result_5xx_without_outcome_exhausts_retries(make_api: MakeApi, server: ScriptedServer) -> None:
    server.on("submit", submitted()).on("result", error(502, text="<html>bad gateway</html>"))
    server.on("status", pending("IN_PROGRESS", code=200))
    api = make_api(server.transport, max_retries=2)
    job = await api.submit("flux_pro_11", prompt="apple")

    with pytest.raises(fluxq.InternalServerError) as caught:
        await job.wait()

    assert server.count("result") == 3
    assert caught.value.status_code == 502
    assert caught.value.message == "Bad Gateway"
    assert caught.value.body is None


async def test_result_error_with_error_type_is_final_and_not_retried(
    make_api: MakeApi, server: ScriptedServer
) -> None:
    body = {"detail": "provider failed", "error_type": "INTERNAL_SERVER_ERROR", "request_id": RID}
    server.on("submit", submitted()).on("result", error(500, body))
    api = make_api(server.transport)
    job = await api.submit("flux_pro_11", prompt="apple")

    with pytest.raises(fluxq.TaskFailed) as caught:
        await job.wait()

    assert server.count("result") == 1
    assert caught.value.error_type == "INTERNAL_SERVER_ERROR"
    assert caught.value.error == "provider failed"


async def test_result_error_without_error_type_asks_the_status(
    make_api: MakeApi, server: ScriptedServer
) -> None:
    server.on("submit", submitted()).on("result", error(410, {"detail": "gone"}))
    server.on("status", pending("COMPLETED", code=200, error="blocked", error_type="CONTENT_BLOCKED"))
    api = make_api(server.transport)
    job = await api.submit("flux_pro_11", prompt="apple")

    with pytest.raises(fluxq.ContentBlocked):
        await job.wait()


async def test_a_500_result_that_stays_500_asks_the_status_whether_the_task_failed(
    make_api: MakeApi, server: ScriptedServer
) -> None:
    server.on("result", error(500, {"detail": "internal"}))
    server.on("status", pending("COMPLETED", code=200, error="too slow", error_type="INFERENCE_TIMEOUT"))
    api = make_api(server.transport, max_retries=1)

    with pytest.raises(fluxq.InferenceTimeout):
        await api.job("flux_pro_11", RID).wait()

    assert server.count("result") == 2
    assert server.count("status") == 1


async def test_retries_are_logged_with_their_number(
    make_api: MakeApi, server: ScriptedServer, caplog: pytest.LogCaptureFixture
) -> None:
    server.on("status", error(503), httpx.ConnectError("refused"), pending("IN_QUEUE", code=200))
    api = make_api(server.transport)

    with caplog.at_level(logging.INFO, logger="fluxq"):
        await api.job("flux_pro_11", RID).status()

    messages = [record.getMessage() for record in caplog.records if record.name == "fluxq"]
    assert any(message.startswith("status answered 503; retry 1 in ") for message in messages)
    assert any(message.startswith("status failed (ConnectError); retry 2 in ") for message in messages)


async def test_result_error_stays_an_api_error_when_the_status_cannot_say(
    make_api: MakeApi, server: ScriptedServer
) -> None:
    server.on("submit", submitted()).on("result", error(409, {"detail": "conflict"}))
    server.on("status", error(404, {"detail": "Request not found"}))
    api = make_api(server.transport)
    job = await api.submit("flux_pro_11", prompt="apple")

    with pytest.raises(fluxq.APIError) as caught:
        await job.wait()

    assert caught.value.status_code == 409
    assert caught.value.message == "conflict"


async def test_server_poll_hint_is_followed_and_an_explicit_interval_wins(
    make_api: MakeApi, server: ScriptedServer
) -> None:
    server.on("submit", submitted()).on("result", pending(retry_after=4), pending(retry_after=4), done())
    api = make_api(server.transport, poll_policy=fluxq.PollPolicy(jitter=0.0))
    job = await api.submit("flux_pro_11", prompt="apple")
    await job.wait()
    assert api.clock.sleeps[1:] == [4.0, 4.0]

    server.on("submit", submitted("mmsu_2")).on(
        "result", pending(retry_after=4, request_id="mmsu_2"), done("mmsu_2")
    )
    second = await api.submit("flux_pro_11", prompt="apple")
    api.clock.sleeps.clear()
    await second.wait(poll_interval=1.5)
    assert api.clock.sleeps == [1.5, 1.5]


async def test_retry_after_is_capped(make_api: MakeApi, server: ScriptedServer) -> None:
    server.on(
        "submit",
        error(429, {"error": {"code": "RATE_LIMIT_EXCEEDED", "message": "x"}}, retry_after="1000"),
        submitted(),
    )
    api = make_api(server.transport)

    await api.submit("flux_pro_11", prompt="apple")

    assert api.clock.sleeps == [60.0]


async def test_cancel_retries_like_a_get(make_api: MakeApi, server: ScriptedServer) -> None:
    server.on("submit", submitted())
    server.on(
        "cancel",
        error(503),
        httpx.ReadTimeout("slow"),
        httpx.Response(202, json={"status": "CANCELLATION_REQUESTED"}),
    )
    api = make_api(server.transport)
    job = await api.submit("flux_pro_11", prompt="apple")

    assert await job.cancel() is True
    assert server.count("cancel") == 3


@pytest.mark.parametrize(
    "reply",
    [
        httpx.Response(400, json={"status": "ALREADY_COMPLETED"}),
        httpx.Response(200, json={"status": "ALREADY_COMPLETED"}),
    ],
)
async def test_cancel_of_a_finished_task_returns_false(
    make_api: MakeApi, server: ScriptedServer, reply: httpx.Response
) -> None:
    server.on("cancel", reply)
    api = make_api(server.transport)

    assert await api.job("flux_pro_11", RID).cancel() is False


@pytest.mark.parametrize(
    ("reply", "expected"),
    [
        (httpx.Response(202, json={"status": "NOT_FOUND"}), fluxq.MalformedResponse),
        (httpx.Response(202, json={"nope": 1}), fluxq.MalformedResponse),
        (httpx.Response(400, json={"detail": "bad"}), fluxq.BadRequestError),
    ],
)
async def test_cancel_unexpected_replies(
    make_api: MakeApi, server: ScriptedServer, reply: httpx.Response, expected: type[Exception]
) -> None:
    server.on("cancel", reply)
    api = make_api(server.transport)

    with pytest.raises(expected):
        await api.job("flux_pro_11", RID).cancel()


@pytest.mark.parametrize(
    ("operation", "reply"),
    [
        ("submit", httpx.Response(200, text="not json")),
        ("submit", httpx.Response(200, json={"request_id": RID})),
        ("submit", httpx.Response(200, json=["a list"])),
        ("status", pending("FAILED", code=200)),
        ("status", pending("IN_QUEUE", code=200, request_id="mmsu_other")),
        ("status", httpx.Response(200, json={"status": "IN_QUEUE"})),
        ("result", httpx.Response(200, text="<html>")),
        ("result", done(request_id="mmsu_other")),
        ("result", httpx.Response(200, json={"request_id": RID, "outputs": [{"url": "x"}]})),
        ("result", pending("COMPLETED", code=200)),
        ("result", pending("DONE")),
    ],
)
async def test_malformed_replies_raise_malformed_response(
    make_api: MakeApi, server: ScriptedServer, operation: str, reply: httpx.Response
) -> None:
    server.on(operation, reply)
    api = make_api(server.transport)
    job = api.job("flux_pro_11", RID)
    calls = {
        "submit": lambda: api.submit("flux_pro_11", prompt="apple"),
        "status": job.status,
        "result": job.wait,
    }

    with pytest.raises(fluxq.MalformedResponse):
        await calls[operation]()


@pytest.mark.parametrize(
    ("code", "body", "expected", "message"),
    [
        (400, {"detail": "width: Input should be a multiple of 32"}, fluxq.BadRequestError, "width: Input"),
        (
            401,
            {"error": {"code": "UNAUTHORIZED", "message": "Invalid key"}},
            fluxq.AuthenticationError,
            "Invalid key",
        ),
        (
            403,
            {"detail": "Model not allowed for this user"},
            fluxq.PermissionDeniedError,
            "Model not allowed",
        ),
        (404, {"detail": "App not found: flux_pro_11"}, fluxq.NotFoundError, "App not found"),
        (
            422,
            {"detail": [{"loc": ["body", "width"], "msg": "bad"}]},
            fluxq.UnprocessableEntityError,
            '"width"',
        ),
        (402, {"error": {"code": "PAYMENT", "message": "no credits"}}, fluxq.APIError, "no credits"),
        (418, {"unexpected": True}, fluxq.APIError, "I'm a teapot"),
    ],
)
async def test_submit_http_errors_map_to_the_tree(
    make_api: MakeApi,
    server: ScriptedServer,
    code: int,
    body: object,
    expected: type[fluxq.APIError],
    message: str,
) -> None:
    server.on("submit", error(code, body))
    api = make_api(server.transport)

    with pytest.raises(expected) as caught:
        await api.submit("flux_pro_11", prompt="apple")

    assert type(caught.value) is expected
    assert caught.value.status_code == code
    assert message in caught.value.message
    assert caught.value.body == body
    assert server.count("submit") == 1


async def test_returned_urls_on_another_host_are_not_followed(
    make_api: MakeApi, server: ScriptedServer
) -> None:
    server.on("submit", submitted(host="http://elsewhere.test/model")).on(
        "status", pending("IN_QUEUE", code=200, queue_position=3)
    )
    api = make_api(server.transport)
    job = await api.submit("flux_pro_11", prompt="apple")

    event = await job.status()

    assert event == fluxq.Queued(RID, 3)
    assert server.sent("status")[0].url.host == "testserver"


async def test_only_the_returned_urls_on_another_host_are_replaced(
    make_api: MakeApi, server: ScriptedServer
) -> None:
    reply = submitted().json()
    reply["status_url"] = f"{HOST}/custom/status-of/{RID}"  # same host, unusual path: kept
    reply["cancel_url"] = "http://elsewhere.test/cancel/" + RID
    server.on("submit", httpx.Response(200, json=reply))
    api = make_api(server.transport)

    job = await api.submit("flux_pro_11", prompt="apple")

    assert job.job.status_url == reply["status_url"]
    assert job.job.response_url == reply["response_url"]
    assert job.job.cancel_url.startswith("http://testserver/")
    assert job.job.cancel_url.endswith(f"/requests/{RID}/cancel")


@pytest.mark.parametrize(
    ("base_url", "returned_host"),
    [
        ("https://testserver/model", "http://testserver/model"),  # the key would travel in clear text
        ("https://testserver/model", "https://testserver:8443/model"),  # another port: another server
        ("http://testserver/model", "http://testserver:8080/model"),
        ("http://testserver:8080/model", "http://testserver/model"),
        ("http://testserver/model", "http://someone@testserver/model"),  # credentials the provider chose
    ],
)
async def test_returned_urls_with_another_scheme_or_port_are_not_followed(
    make_api: MakeApi,
    server: ScriptedServer,
    caplog: pytest.LogCaptureFixture,
    base_url: str,
    returned_host: str,
) -> None:
    server.on("submit", submitted(host=returned_host)).on("status", pending("IN_QUEUE", code=200))
    server.on("cancel", httpx.Response(202, json={"status": "CANCELLATION_REQUESTED"}))
    server.on("result", done())
    api = make_api(server.transport, base_url=base_url)
    job = await api.submit("flux_pro_11", prompt="apple")

    await job.status()
    await job.cancel()
    await job.wait()

    replaced = [
        record for record in caplog.records if record.name == "fluxq" and "another host" in record.message
    ]
    assert len(replaced) == 3
    assert all(record.levelno == logging.WARNING for record in replaced)
    expected = httpx.URL(base_url)
    for operation in ("status", "cancel", "result"):
        (request,) = server.sent(operation)
        assert (request.url.scheme, request.url.host, request.url.port) == (
            expected.scheme,
            expected.host,
            expected.port,
        ), operation
        assert str(request.url).startswith(f"{base_url}/v1/queue/flux_pro_11/requests/{RID}/")


async def test_returned_urls_on_the_same_origin_are_followed(
    make_api: MakeApi, server: ScriptedServer
) -> None:
    reply = submitted(host="https://testserver:8443/model").json()
    reply["status_url"] = f"https://testserver:8443/elsewhere/{RID}/status"
    server.on("submit", httpx.Response(200, json=reply)).on("status", pending("IN_QUEUE", code=200))
    api = make_api(server.transport, base_url="https://testserver:8443/model")
    job = await api.submit("flux_pro_11", prompt="apple")

    await job.status()

    assert str(server.sent("status")[0].url) == reply["status_url"]


@pytest.mark.parametrize(
    ("base_url", "returned_host"),
    [
        ("https://testserver:443/model", "https://testserver"),  # a default port written out
        ("http://testserver:80/model", "http://testserver"),
        ("https://testserver/model", "https://testserver:443"),
        ("http://user:secret@testserver/model", "http://testserver"),  # credentials: not part of the origin
        ("http://TestServer/model", "http://testserver"),  # host names ignore case
        ("http://bücher.test/model", "http://xn--bcher-kva.test"),  # an IDN and its ASCII form
        ("http://[::FFFF:7F00:1]:8000/model", "http://[::ffff:127.0.0.1]:8000"),  # one IPv6 address
    ],
)
async def test_the_same_origin_written_another_way_is_followed(
    make_api: MakeApi,
    server: ScriptedServer,
    caplog: pytest.LogCaptureFixture,
    base_url: str,
    returned_host: str,
) -> None:
    reply = submitted(host=f"{returned_host}/model").json()
    reply["status_url"] = f"{returned_host}/custom/{RID}/status"  # kept only when on the same origin
    server.on("submit", httpx.Response(200, json=reply)).on("status", pending("IN_QUEUE", code=200))
    api = make_api(server.transport, base_url=base_url)
    job = await api.submit("flux_pro_11", prompt="apple")

    await job.status()

    assert server.sent("status")[0].url.path == f"/custom/{RID}/status"
    assert not [record for record in caplog.records if "another host" in record.message]


async def test_a_base_url_with_an_ipv6_zone_keeps_the_job_and_builds_its_urls(
    make_api: MakeApi, server: ScriptedServer
) -> None:
    # Validated task URLs cannot carry a zone, so none is on this base URL's origin: all three are
    # built from it — and the submitted (billed) task is still returned.
    base_url = "http://[fe80::1%25eth0]:8000/model"
    server.on("submit", submitted(host="http://[fe80::1]:8000/model")).on(
        "status", pending("IN_QUEUE", code=200)
    )
    api = make_api(server.transport, base_url=base_url)
    job = await api.submit("flux_pro_11", prompt="apple")

    await job.status()

    assert job.request_id == RID
    assert job.job.status_url == f"{base_url}/v1/queue/flux_pro_11/requests/{RID}/status"
    assert server.count("status") == 1


@pytest.mark.parametrize(("retry_after", "retried"), [("10", False), ("9.5", True)])
async def test_a_retry_landing_exactly_on_the_deadline_times_out(
    make_api: MakeApi, server: ScriptedServer, retry_after: str, retried: bool
) -> None:
    # A rebuilt handle polls at once (t = 0); the deadline is t = 10. A retry due at t = 10 could only
    # be sent with no time left, so the wait ends there; one due at t = 9.5 is still made.
    server.on("result", error(503, retry_after=retry_after), done())
    api = make_api(server.transport)
    job = api.job("flux_pro_11", RID)

    if retried:
        result = await job.wait(timeout=10)
        assert result.result.request_id == RID
    else:
        with pytest.raises(fluxq.WaitTimeout) as caught:
            await job.wait(timeout=10)
        assert caught.value.request_id == RID
    assert server.count("result") == (2 if retried else 1)
    assert api.clock() <= 10


async def test_a_retry_that_would_cross_the_deadline_times_out(
    make_api: MakeApi, server: ScriptedServer
) -> None:
    server.on("submit", submitted()).on("result", error(503, retry_after="100"))
    api = make_api(server.transport)
    job = await api.submit("flux_pro_11", prompt="apple")

    with pytest.raises(fluxq.WaitTimeout) as caught:
        await job.wait(timeout=10)

    assert caught.value.request_id == RID
    assert server.count("result") == 1


async def test_request_timeouts_never_exceed_the_deadline(make_api: MakeApi, server: ScriptedServer) -> None:
    seen: list[dict[str, float]] = []

    def record(request: httpx.Request) -> httpx.Response:
        seen.append(request.extensions["timeout"])
        return pending()

    server.on("submit", submitted()).on("result", record)
    api = make_api(server.transport, poll_policy=fluxq.PollPolicy.every(1.0))
    job = await api.submit("flux_pro_11", prompt="apple")

    with pytest.raises(fluxq.WaitTimeout):
        await job.wait(timeout=3)

    assert len(seen) >= 3
    assert all(max(timeouts.values()) <= 3.0 for timeouts in seen)
    assert seen[-1]["read"] <= seen[0]["read"]


async def test_each_request_gets_the_time_left_as_its_timeout(
    make_api: MakeApi, server: ScriptedServer
) -> None:
    seen: list[dict[str, float]] = []

    def record(request: httpx.Request) -> httpx.Response:
        seen.append(request.extensions["timeout"])
        return pending()

    server.on("submit", submitted()).on("result", record)
    timeout = httpx.Timeout(connect=0.5, read=None, write=1.5, pool=9.0)
    api = make_api(server.transport, poll_policy=fluxq.PollPolicy.every(1.0), timeout=timeout)
    job = await api.submit("flux_pro_11", prompt="apple")

    with pytest.raises(fluxq.WaitTimeout):
        await job.wait(timeout=3)

    # Polls at 1, 2 and 3 s: 2 s, 1 s, then no time left (the floor of 1 ms, never 0 or negative).
    # A phase already shorter than the time left keeps its own value; one without a limit gets the cap.
    assert seen == [
        {"connect": 0.5, "read": 2.0, "write": 1.5, "pool": 2.0},
        {"connect": 0.5, "read": 1.0, "write": 1.0, "pool": 1.0},
        {"connect": 0.001, "read": 0.001, "write": 0.001, "pool": 0.001},
    ]


async def test_a_poll_with_less_than_a_requests_smallest_budget_left_waits_out_the_deadline(
    make_api: MakeApi, server: ScriptedServer
) -> None:
    server.on("result", done())
    api = make_api(server.transport)

    with pytest.raises(fluxq.WaitTimeout):
        await api.job("flux_pro_11", RID).wait(timeout=0.0005)

    # A request gets at least 1 ms: with less left, the wait sleeps out the deadline instead of
    # sending the poll at once (it would time out in real time before its answer is read).
    assert api.clock.sleeps == [0.0005]


async def test_a_client_without_timeouts_still_gives_each_request_only_the_time_left(
    make_api: MakeApi, server: ScriptedServer
) -> None:
    seen: list[dict[str, float]] = []

    def record(request: httpx.Request) -> httpx.Response:
        seen.append(request.extensions["timeout"])
        return pending() if len(seen) < 2 else done()

    server.on("submit", submitted()).on("result", record)
    api = make_api(server.transport, poll_policy=fluxq.PollPolicy.every(1.0), timeout=httpx.Timeout(None))
    job = await api.submit("flux_pro_11", prompt="apple")

    await job.wait(timeout=2.5)

    # Polls at 1 and 2 s: no phase has a limit of its own, so every one is capped at the time left.
    assert seen == [
        {"connect": 1.5, "read": 1.5, "write": 1.5, "pool": 1.5},
        {"connect": 0.5, "read": 0.5, "write": 0.5, "pool": 0.5},
    ]


async def test_a_transport_failure_exactly_at_the_deadline_is_a_wait_timeout(
    make_api: MakeApi, server: ScriptedServer
) -> None:
    def slow(request: httpx.Request) -> httpx.Response:
        api.clock.advance(4)  # the read times out exactly when the 4 s wait ends
        raise httpx.ReadTimeout("slow", request=request)

    server.on("result", slow)
    api = make_api(server.transport)

    with pytest.raises(fluxq.WaitTimeout) as caught:
        await api.job("flux_pro_11", RID).wait(timeout=4)

    assert isinstance(caught.value.__cause__, httpx.ReadTimeout)
    assert server.count("result") == 1


async def test_polling_follows_the_time_since_submit(make_api: MakeApi, server: ScriptedServer) -> None:
    # No jitter, so every interval is exactly ratio × (time since submit), clamped to [minimum, maximum].
    policy = fluxq.PollPolicy(initial=1.5, ratio=0.1, minimum=0.5, maximum=100.0, jitter=0.0)
    server.on("submit", submitted()).on("result", *[pending()] * 6, done())
    api = make_api(server.transport, poll_policy=policy)
    api.clock.advance(100.0)
    job = await api.submit("flux_pro_11", prompt="apple")
    api.clock.advance(8.0)  # the caller starts waiting 8 s after submit: the initial 1.5 s has passed

    await job.wait()

    expected, since_submit = [], 8.0
    for _ in range(6):
        expected.append(round(0.1 * since_submit, 6))
        since_submit += expected[-1]
    assert [round(seconds, 6) for seconds in api.clock.sleeps] == expected


async def test_a_rebuilt_handle_polls_at_once_then_from_when_it_began(
    make_api: MakeApi, server: ScriptedServer
) -> None:
    policy = fluxq.PollPolicy(initial=1.5, ratio=0.1, minimum=0.5, maximum=100.0, jitter=0.0)
    server.on("result", pending(), pending(), done())
    api = make_api(server.transport, poll_policy=policy)
    api.clock.advance(50.0)

    await api.job("flux_pro_11", RID).wait()

    # Its submit time is unknown: the first poll goes out at once, then the adaptive intervals count
    # from the start of the wait (0 s, so the minimum), not from some invented submit time.
    assert api.clock.sleeps == [0.5, 0.5]


async def test_a_rebuilt_handle_counts_its_adaptive_intervals_from_zero(
    make_api: MakeApi, server: ScriptedServer
) -> None:
    policy = fluxq.PollPolicy(initial=1.5, ratio=1.0, minimum=0.5, maximum=100.0, jitter=0.0)
    server.on("result", *[pending()] * 4, done())
    api = make_api(server.transport, poll_policy=policy)
    api.clock.advance(50.0)

    await api.job("flux_pro_11", RID).wait()

    # Polls at 0, 0.5, 1, 2 and 4 s after the wait began: each interval is the time waited so far.
    assert api.clock.sleeps == [0.5, 0.5, 1.0, 2.0]


@pytest.mark.parametrize("cancel_on_timeout", [True, False])
async def test_a_pending_answer_arriving_at_the_deadline_ends_the_wait(
    make_api: MakeApi, server: ScriptedServer, cancel_on_timeout: bool
) -> None:
    def slow(request: httpx.Request) -> httpx.Response:
        api.clock.advance(4)  # the 202 arrives exactly when the 4 s wait ends
        return pending()

    server.on("result", slow)
    server.on("cancel", httpx.Response(202, json={"status": "CANCELLATION_REQUESTED"}))
    api = make_api(server.transport)

    with pytest.raises(fluxq.WaitTimeout) as caught:
        await api.job("flux_pro_11", RID).wait(timeout=4, cancel_on_timeout=cancel_on_timeout)

    assert caught.value.request_id == RID
    assert caught.value.canceled is cancel_on_timeout
    assert server.count("result") == 1  # no poll with no time left
    assert server.count("cancel") == (1 if cancel_on_timeout else 0)


async def test_a_timeout_at_the_deadline_is_a_wait_timeout(make_api: MakeApi, server: ScriptedServer) -> None:
    def slow(request: httpx.Request) -> httpx.Response:
        api.clock.advance(5)
        raise httpx.ReadTimeout("slow", request=request)

    server.on("submit", submitted()).on("result", slow)
    server.on("cancel", httpx.Response(202, json={"status": "CANCELLATION_REQUESTED"}))
    api = make_api(server.transport)
    job = await api.submit("flux_pro_11", prompt="apple")

    with pytest.raises(fluxq.WaitTimeout) as caught:
        await job.wait(timeout=4, cancel_on_timeout=True)

    assert caught.value.canceled
    assert isinstance(caught.value.__cause__, httpx.ReadTimeout)
    assert server.count("cancel") == 1


async def test_max_retries_zero_disables_retrying(make_api: MakeApi, server: ScriptedServer) -> None:
    server.on("status", error(503))
    api = make_api(server.transport, max_retries=0)

    with pytest.raises(fluxq.InternalServerError):
        await api.job("flux_pro_11", RID).status()

    assert server.count("status") == 1


async def test_failed_cancel_on_timeout_still_raises_wait_timeout(
    make_api: MakeApi, server: ScriptedServer
) -> None:
    server.on("submit", submitted()).on("result", pending()).on("cancel", error(404, {"status": "NOT_FOUND"}))
    api = make_api(server.transport)
    job = await api.submit("flux_pro_11", prompt="apple")

    with pytest.raises(fluxq.WaitTimeout) as caught:
        await job.wait(timeout=2, cancel_on_timeout=True)

    assert not caught.value.canceled
    assert server.count("cancel") == 1


def transport_error_classes() -> list[type[httpx.TransportError]]:
    """Every concrete transport exception httpx can raise."""
    found: list[type[httpx.TransportError]] = []
    pending_classes: list[type[httpx.TransportError]] = [httpx.TransportError]
    while pending_classes:
        cls = pending_classes.pop()
        pending_classes += cls.__subclasses__()
        found.append(cls)
    return sorted(found, key=lambda cls: cls.__name__)


@pytest.mark.parametrize("error_class", transport_error_classes(), ids=lambda cls: cls.__name__)
@pytest.mark.parametrize("operation", ["submit", "status", "result", "cancel"])
async def test_every_transport_error_maps_into_the_tree(
    make_api: MakeApi, server: ScriptedServer, error_class: type[httpx.TransportError], operation: str
) -> None:
    server.on(operation, error_class("boom"))
    api = make_api(server.transport, max_retries=0)
    job = api.job("flux_pro_11", RID)
    calls = {
        "submit": lambda: api.submit("flux_pro_11", prompt="apple"),
        "status": job.status,
        "result": job.wait,
        "cancel": job.cancel,
    }

    with pytest.raises(fluxq.FluxqError) as caught:
        await calls[operation]()

    assert isinstance(caught.value.__cause__, error_class)
    assert server.count(operation) == 1


@pytest.mark.parametrize("code", [200, 202])
async def test_a_status_shaped_failure_on_the_result_endpoint_is_a_task_failure(
    make_api: MakeApi, server: ScriptedServer, code: int
) -> None:
    server.on("result", pending("COMPLETED", code=code, error="timed out", error_type="INFERENCE_TIMEOUT"))
    api = make_api(server.transport)

    with pytest.raises(fluxq.InferenceTimeout) as caught:
        await api.job("flux_pro_11", RID).wait()

    assert caught.value.error == "timed out"
