"""Interrupts, provider faults proven by server counters, secrets, and output downloads."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
from pathlib import Path

import httpx
import pytest

import fluxq
from fluxq_reference import FaultRates, create_app

from .conftest import KEY, MakeApi, ManualClock, provider_config
from .scripted import RID, ScriptedServer, done, error, pending, submitted

SECRET = "sk-very-secret-0123456789"
ACCEPTED = httpx.Response(202, json={"status": "CANCELLATION_REQUESTED"})


def interrupting_sleep(seconds: float) -> None:
    raise KeyboardInterrupt


def test_ctrl_c_during_a_sync_wait_cancels_and_keeps_the_id(caplog: pytest.LogCaptureFixture) -> None:
    server = ScriptedServer().on("submit", submitted()).on("result", pending()).on("cancel", ACCEPTED)
    with fluxq.Client(
        KEY, base_url="http://testserver/model", transport=server.transport, sleep=interrupting_sleep
    ) as client:
        job = client.submit("flux_pro_11", prompt="apple")
        with caplog.at_level(logging.WARNING, logger="fluxq"), pytest.raises(KeyboardInterrupt) as caught:
            job.wait()

    assert server.count("cancel") == 1
    assert any(RID in note for note in caught.value.__notes__)
    assert RID in caplog.text


def test_ctrl_c_without_cancel_on_interrupt_leaves_the_task_running() -> None:
    server = ScriptedServer().on("submit", submitted()).on("result", pending())
    with fluxq.Client(
        KEY, base_url="http://testserver/model", transport=server.transport, sleep=interrupting_sleep
    ) as client:
        job = client.submit("flux_pro_11", prompt="apple")
        with pytest.raises(KeyboardInterrupt):
            list(job.iter_status(cancel_on_interrupt=False))
        with pytest.raises(KeyboardInterrupt):
            job.wait(cancel_on_interrupt=False)

    assert server.count("cancel") == 0


@pytest.mark.parametrize("cancel", [True, False])
def test_ctrl_c_during_client_run_cancels_as_asked_and_keeps_the_id(cancel: bool) -> None:
    """`client.run` submits and waits in one flow; an interrupt in its wait still knows the task."""
    server = ScriptedServer().on("submit", submitted()).on("result", pending()).on("cancel", ACCEPTED)
    with (
        fluxq.Client(
            KEY, base_url="http://testserver/model", transport=server.transport, sleep=interrupting_sleep
        ) as client,
        pytest.raises(KeyboardInterrupt) as caught,
    ):
        client.run("flux_pro_11", prompt="apple", cancel_on_interrupt=cancel)

    assert server.count("submit") == 1
    assert server.count("cancel") == (1 if cancel else 0)
    assert any(RID in note for note in caught.value.__notes__)


def test_ctrl_c_cancel_that_fails_still_reraises() -> None:
    server = ScriptedServer().on("submit", submitted()).on("result", pending()).on("cancel", error(503))
    with fluxq.Client(
        KEY, base_url="http://testserver/model", transport=server.transport, sleep=interrupting_sleep
    ) as client:
        job = client.submit("flux_pro_11", prompt="apple")
        with pytest.raises(KeyboardInterrupt):
            list(job.iter_status())

    assert server.count("cancel") == 1


@pytest.mark.parametrize("call", ["job.wait", "client.run"])
async def test_cancelling_an_async_wait_sends_a_cancel_and_names_the_task(call: str) -> None:
    server = ScriptedServer().on("submit", submitted()).on("result", pending()).on("cancel", ACCEPTED)
    sleeping = asyncio.Event()

    async def sleep_forever(seconds: float) -> None:
        sleeping.set()
        await asyncio.Event().wait()

    async with fluxq.AsyncClient(
        KEY, base_url="http://testserver/model", transport=server.transport, sleep=sleep_forever
    ) as client:
        if call == "job.wait":
            waiting = asyncio.create_task((await client.submit("flux_pro_11", prompt="apple")).wait())
        else:
            waiting = asyncio.create_task(client.run("flux_pro_11", prompt="apple"))
        await sleeping.wait()
        waiting.cancel()
        with pytest.raises(asyncio.CancelledError) as caught:
            await waiting

    assert server.count("cancel") == 1
    assert any(RID in note for note in caught.value.__notes__)


async def test_cancelling_async_iteration_can_leave_the_task_running() -> None:
    server = ScriptedServer().on("submit", submitted()).on("result", pending()).on("cancel", error(500))
    sleeping = asyncio.Event()

    async def sleep_forever(seconds: float) -> None:
        sleeping.set()
        await asyncio.Event().wait()

    async with fluxq.AsyncClient(
        KEY, base_url="http://testserver/model", transport=server.transport, sleep=sleep_forever
    ) as client:
        job = await client.submit("flux_pro_11", prompt="apple")

        async def drain(cancel: bool) -> None:
            async for _ in job.iter_status(cancel_on_interrupt=cancel):
                pass

        for cancel in (False, True):
            sleeping.clear()
            task = asyncio.create_task(drain(cancel))
            await sleeping.wait()
            task.cancel()
            with pytest.raises(asyncio.CancelledError):
                await task

    assert server.count("cancel") == 1


async def test_async_for_on_a_job_iterates_its_status() -> None:
    server = (
        ScriptedServer().on("submit", submitted()).on("result", pending("IN_QUEUE", queue_position=1), done())
    )
    clock = ManualClock()
    async with fluxq.AsyncClient(
        KEY, base_url="http://testserver/model", transport=server.transport, sleep=clock.sleep, clock=clock
    ) as client:
        job = await client.submit("flux_pro_11", prompt="apple")
        events = [event async for event in job]

    assert events == [fluxq.Queued(RID, 1), fluxq.Completed(RID)]


async def test_rate_limited_submits_never_create_extra_tasks(make_api: MakeApi, clock: ManualClock) -> None:
    app = create_app(provider_config(clock, faults=FaultRates(rate_limit=1.0, retry_after=2)))
    api = make_api(app, max_retries=3)

    with pytest.raises(fluxq.RateLimitError):
        await api.submit("flux_pro_11", prompt="apple")

    counters = app.state.provider.counters
    assert counters.count("submit") == 4
    assert counters.tasks_created == 0
    assert clock.sleeps == [2.0, 2.0, 2.0]


@pytest.mark.parametrize("fault", ["server_error", "malformed_body"])
async def test_a_failed_submit_reaches_the_server_once(
    make_api: MakeApi, clock: ManualClock, fault: str
) -> None:
    app = create_app(provider_config(clock, faults=FaultRates(**{fault: 1.0})))
    api = make_api(app, max_retries=5)

    with pytest.raises(fluxq.SubmitOutcomeUnknown):
        await api.submit("flux_pro_11", prompt="apple")

    assert app.state.provider.counters.count("submit") == 1


async def test_under_random_faults_every_task_created_is_one_the_caller_holds(
    make_api: MakeApi, clock: ManualClock
) -> None:
    faults = FaultRates(rate_limit=0.15, server_error=0.15, malformed_body=0.05)
    app = create_app(provider_config(clock, faults=faults))
    api = make_api(app, max_retries=4)
    held: list[str] = []
    unknown = 0

    for index in range(40):
        try:
            job = await api.submit("flux_pro_11", prompt=f"task {index} [fluxq:run=1]")
        except (fluxq.SubmitOutcomeUnknown, fluxq.RateLimitError):
            unknown += 1
            continue
        held.append(job.request_id)
        with contextlib.suppress(fluxq.APIError):
            await job.wait()

    counters = app.state.provider.counters
    assert counters.tasks_created == len(held) == len(set(held))
    assert unknown > 0
    assert counters.count("submit") >= len(held) + unknown


async def test_the_key_never_leaks(make_api: MakeApi, caplog: pytest.LogCaptureFixture) -> None:
    server = (
        ScriptedServer()
        .on("submit", submitted())
        .on(
            "result",
            error(503),
            pending(),
            error(401, {"error": {"code": "UNAUTHORIZED", "message": "bad key"}}),
        )
    )
    api = make_api(server.transport, api_key=SECRET)
    texts = [repr(api.client), str(api.client)]

    with caplog.at_level(logging.DEBUG):
        job = await api.submit("flux_pro_11", prompt="apple")
        with pytest.raises(fluxq.AuthenticationError) as caught:
            await job.wait()

    texts += [caplog.text, str(caught.value), repr(caught.value), repr(job.job), repr(api.client._settings)]
    assert all(SECRET not in text for text in texts)
    assert server.sent("submit")[0].headers["authorization"] == f"Bearer {SECRET}"


def test_missing_key_says_how_to_set_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FLUXQ_API_KEY", raising=False)

    with pytest.raises(fluxq.ValidationError, match="FLUXQ_API_KEY"):
        fluxq.Client()


async def test_outputs_download_without_the_key(make_api: MakeApi, tmp_path: Path) -> None:
    def serve_file(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=b"PNGDATA")

    server = (
        ScriptedServer()
        .on("submit", submitted())
        .on("result", done(url="https://cdn.test/files/x.png", file_name="../../etc/passwd"))
    )
    server.on("download", serve_file)
    api = make_api(server.transport, api_key=SECRET)
    result = await (await api.submit("flux_pro_11", prompt="apple")).wait()

    paths = await result.save_all(tmp_path / "out")
    data = await result.output_bytes(0)
    named = await result.save(0, tmp_path / "chosen.png")

    assert paths == [tmp_path / "out" / "passwd"]
    assert paths[0].read_bytes() == data == named.read_bytes() == b"PNGDATA"
    downloads = server.sent("download")
    assert len(downloads) == 3
    assert all("authorization" not in request.headers for request in downloads)
    assert result.result.metadata == {"seed": 1}
    assert result.outputs[0].content_type == "image/png"


@pytest.mark.parametrize(
    ("reply", "expected"),
    [
        (error(404, {"detail": "expired"}), fluxq.NotFoundError),
        (error(400, {"detail": "bad signature"}), fluxq.BadRequestError),
        (httpx.ConnectError("refused"), fluxq.APIConnectionError),
        (httpx.ReadTimeout("slow"), fluxq.APITimeoutError),
    ],
)
async def test_download_failures_map_into_the_tree(
    make_api: MakeApi, tmp_path: Path, reply: httpx.Response | Exception, expected: type[Exception]
) -> None:
    server = ScriptedServer().on("submit", submitted()).on("result", done()).on("download", reply)
    api = make_api(server.transport)
    result = await (await api.submit("flux_pro_11", prompt="apple")).wait()

    with pytest.raises(expected):
        await result.output_bytes(0)
    with pytest.raises(expected):
        await result.save_all(tmp_path)

    assert os.listdir(tmp_path) == []


async def test_non_http_output_urls_are_refused(make_api: MakeApi, tmp_path: Path) -> None:
    server = ScriptedServer().on("submit", submitted()).on("result", done(url="file:///etc/passwd"))
    api = make_api(server.transport)
    result = await (await api.submit("flux_pro_11", prompt="apple")).wait()

    with pytest.raises(fluxq.MalformedResponse, match="non-http"):
        await result.output_bytes(0)
    with pytest.raises(fluxq.MalformedResponse):
        await result.save(0, tmp_path)
    assert server.count("download") == 0


@pytest.mark.parametrize(
    "file_name",
    ["a\\..\\..\\x.png", "..\\..\\x.png", "C:\\Users\\me\\x.png", "dir/sub\\x.png"],
)
async def test_backslashed_output_names_are_reduced_to_the_bare_name(
    make_api: MakeApi, tmp_path: Path, file_name: str
) -> None:
    # On Windows a backslash is a separator: "a\..\..\x.png" would climb out of the chosen directory.
    server = (
        ScriptedServer()
        .on("submit", submitted())
        .on("result", done(url="https://cdn.test/files/1", file_name=file_name))
        .on("download", httpx.Response(200, content=b"PNGDATA"))
    )
    api = make_api(server.transport)
    result = await (await api.submit("flux_pro_11", prompt="apple")).wait()

    paths = await result.save_all(tmp_path / "out")

    assert result.outputs[0].filename == "x.png"
    assert paths == [tmp_path / "out" / "x.png"]
    assert os.listdir(tmp_path / "out") == ["x.png"]


async def test_output_names_fall_back_to_the_request_id(make_api: MakeApi) -> None:
    server = (
        ScriptedServer()
        .on("submit", submitted())
        .on(
            "result",
            done(url="https://cdn.test/a/b.webp", content_type="application/x-unknown", file_name=".hidden"),
        )
    )
    api = make_api(server.transport)
    result = await (await api.submit("flux_pro_11", prompt="apple")).wait()

    assert result.outputs[0].filename == f"{RID}_0.webp"


@pytest.mark.parametrize(
    ("request_id", "item", "expected"),
    [
        (RID, {"url": "https://cdn.test/a/b.bin", "content_type": "image/png"}, f"{RID}_0.png"),
        (RID, {"url": "https://cdn.test/a/b.webp"}, f"{RID}_0.webp"),
        ("mmsu-a_b/c:d", {"url": "https://cdn.test/a/b", "content_type": "image/jpeg"}, "mmsu-a_b_c_d_0.jpg"),
        # An extension is kept only when it is a dot and ASCII letters or digits.
        (RID, {"url": "https://cdn.test/a/b.x-y"}, f"{RID}_0"),
        (RID, {"url": "https://cdn.test/a/b.-png"}, f"{RID}_0"),
        (RID, {"url": "https://cdn.test/a/b.png%00"}, f"{RID}_0"),
        (RID, {"url": "https://cdn.test/a/b.jpg2"}, f"{RID}_0.jpg2"),
        ("mmsu_é.ü-9", {"url": "https://cdn.test/a/b"}, "mmsu____-9_0"),
    ],
)
async def test_output_names_without_a_file_name(
    make_api: MakeApi, request_id: str, item: dict[str, str], expected: str
) -> None:
    body = {"request_id": request_id, "outputs": [{"type": "image", **item}], "metadata": {}}
    server = ScriptedServer().on("result", httpx.Response(200, json=body))
    api = make_api(server.transport)

    result = await api.job("flux_pro_11", request_id).wait()

    assert result.outputs[0].filename == expected


async def test_save_all_creates_missing_parents_and_may_run_twice(make_api: MakeApi, tmp_path: Path) -> None:
    server = (
        ScriptedServer()
        .on("result", done(url="https://cdn.test/files/1", file_name="x.png"))
        .on("download", httpx.Response(200, content=b"PNGDATA"))
    )
    api = make_api(server.transport)
    result = await api.job("flux_pro_11", RID).wait()
    directory = tmp_path / "new" / "nested"

    first = await result.save_all(directory)
    again = await result.save_all(directory)

    assert first == again == [directory / "x.png"]
    assert os.listdir(directory) == ["x.png"]


async def test_async_on_update_may_be_a_coroutine_function() -> None:
    server = (
        ScriptedServer().on("submit", submitted()).on("result", pending("IN_QUEUE", queue_position=0), done())
    )
    clock = ManualClock()
    seen: list[fluxq.StatusEvent] = []

    async def record(event: fluxq.StatusEvent) -> None:
        await asyncio.sleep(0)
        seen.append(event)

    async with fluxq.AsyncClient(
        KEY, base_url="http://testserver/model", transport=server.transport, sleep=clock.sleep
    ) as client:
        job = await client.submit("flux_pro_11", prompt="apple")
        await job.wait(on_update=record)

    assert seen == [fluxq.Queued(RID, 0), fluxq.Completed(RID)]
