"""The task lifecycle against the in-process reference provider (sync and async, fake time)."""

from __future__ import annotations

import io
import math
from pathlib import Path

import pytest
from PIL import Image

import fluxq

from .conftest import Api, MakeApi, Provider


async def test_run_reports_each_state_once_and_polls_only_the_result_endpoint(
    api: Api, provider: Provider
) -> None:
    job = await api.submit("flux_pro_11", prompt="apple [fluxq:queue=3] [fluxq:run=5]", width=512, height=256)
    events: list[fluxq.StatusEvent] = []

    result = await job.wait(on_update=events.append, timeout=60)

    assert [type(event) for event in events] == [fluxq.Queued, fluxq.InProgress, fluxq.Completed]
    assert all(event.request_id == job.request_id for event in events)
    assert isinstance(events[-1], fluxq.Completed)
    assert events[-1].ok
    assert provider.counters.count("submit") == 1
    assert provider.counters.count("status") == 0
    assert provider.counters.count("result") >= 2
    output = result.outputs[0]
    assert (output.width, output.height) == (512, 256)
    policy = fluxq.PollPolicy()
    assert 8.0 <= api.clock() <= 8.0 + policy.maximum * (1 + policy.jitter)


async def test_a_quick_task_costs_two_requests(make_api: MakeApi, provider: Provider) -> None:
    api = make_api(provider.app)
    job = await api.submit("flux_pro_11", prompt="apple [fluxq:queue=0] [fluxq:run=0.1]")

    await job.wait()

    assert provider.counters.count("submit") + provider.counters.count("result") == 2


async def test_result_after_wait_makes_no_request(api: Api, provider: Provider) -> None:
    job = await api.submit("flux_2_pro", prompt="pear [fluxq:run=1]")
    first = await job.wait()
    before = provider.counters.total_requests()

    again = await job.result()
    waited_again = await job.wait()

    assert provider.counters.total_requests() == before
    assert again.result.raw == first.result.raw == waited_again.result.raw


async def test_result_without_wait_waits(api: Api) -> None:
    job = await api.submit("flux_2_pro", prompt="pear [fluxq:run=1]")

    result = await job.result()

    assert len(result.outputs) == 1


@pytest.mark.parametrize(
    ("error_type", "expected"),
    [
        ("CONTENT_BLOCKED", fluxq.ContentBlocked),
        ("INFERENCE_TIMEOUT", fluxq.InferenceTimeout),
        ("INFERENCE_FAILURE", fluxq.TaskFailed),
        ("INTERNAL_SERVER_ERROR", fluxq.TaskFailed),
        ("REQUEST_INVALID", fluxq.TaskFailed),
        ("SOMETHING_NEW", fluxq.TaskFailed),
    ],
)
async def test_every_failure_type_raises_its_class(
    api: Api, provider: Provider, error_type: str, expected: type[fluxq.TaskFailed]
) -> None:
    job = await api.submit("flux_kontext_pro", prompt=f"x [fluxq:error={error_type}] [fluxq:run=2]")
    events: list[fluxq.StatusEvent] = []

    with pytest.raises(expected) as caught:
        await job.wait(on_update=events.append)

    assert type(caught.value) is expected
    assert caught.value.error_type == error_type
    assert caught.value.request_id == job.request_id
    assert caught.value.error
    final = events[-1]
    assert isinstance(final, fluxq.Completed)
    assert not final.ok
    assert final.error_type == error_type
    assert provider.counters.count("submit") == 1


async def test_failure_is_raised_again_by_result(api: Api) -> None:
    job = await api.submit("flux_kontext_pro", prompt="x [fluxq:error=CONTENT_BLOCKED] [fluxq:run=1]")
    with pytest.raises(fluxq.ContentBlocked):
        await job.wait()

    with pytest.raises(fluxq.ContentBlocked):
        await job.result()


async def test_cancel_then_wait_raises_task_canceled(api: Api, provider: Provider) -> None:
    job = await api.submit("flux_pro_11", prompt="slow [fluxq:queue=5] [fluxq:run=30]")

    assert await job.cancel() is True
    with pytest.raises(fluxq.TaskCanceled) as caught:
        await job.wait()

    assert caught.value.error_type == "CANCELED"
    assert await job.cancel() is False
    assert provider.counters.cancels_accepted == 1


async def test_status_reports_each_state(api: Api) -> None:
    job = await api.submit("flux_pro_11", prompt="apple [fluxq:queue=2] [fluxq:run=2]")

    queued = await job.status()
    api.clock.advance(3)
    running = await job.status()
    api.clock.advance(5)
    done = await job.status()

    assert isinstance(queued, fluxq.Queued)
    assert queued.position is not None
    assert isinstance(running, fluxq.InProgress)
    assert isinstance(done, fluxq.Completed)
    assert done.ok
    assert done.inference_time is not None


async def test_iter_status_ends_with_completed(api: Api) -> None:
    job = await api.submit("flux_pro_11", prompt="apple [fluxq:queue=2] [fluxq:run=3]")

    events = await job.events(timeout=60)

    assert [type(e) for e in events] == [fluxq.Queued, fluxq.InProgress, fluxq.Completed]
    result = await job.result()
    assert len(result.outputs) == 1


async def test_iter_status_reports_a_failure_as_an_event(api: Api) -> None:
    job = await api.submit("flux_pro_11", prompt="apple [fluxq:error=CONTENT_BLOCKED] [fluxq:run=1]")

    events = await job.events()

    last = events[-1]
    assert isinstance(last, fluxq.Completed)
    assert last.error_type == "CONTENT_BLOCKED"


async def test_deadline_raises_wait_timeout_with_the_request_id(api: Api, provider: Provider) -> None:
    job = await api.submit("flux_pro_11", prompt="slow [fluxq:run=100]")
    started = api.clock()

    with pytest.raises(fluxq.WaitTimeout) as caught:
        await job.wait(timeout=10)

    assert isinstance(caught.value, TimeoutError)
    assert caught.value.request_id == job.request_id
    assert not caught.value.canceled
    assert api.clock() - started == pytest.approx(10, abs=0.01)
    assert provider.counters.cancels_accepted == 0


async def test_deadline_with_cancel_on_timeout_cancels(api: Api, provider: Provider) -> None:
    job = await api.submit("flux_pro_11", prompt="slow [fluxq:run=100]")

    with pytest.raises(fluxq.WaitTimeout) as caught:
        await job.wait(timeout=5, cancel_on_timeout=True)

    assert caught.value.canceled
    assert provider.counters.cancels_accepted == 1
    final = await job.status()
    assert isinstance(final, fluxq.Completed)
    assert final.error_type == "CANCELED"


async def test_client_wait_timeout_is_the_default_deadline(make_api: MakeApi, provider: Provider) -> None:
    api = make_api(provider.app, wait_timeout=7)
    job = await api.submit("flux_pro_11", prompt="slow [fluxq:run=100]")

    with pytest.raises(fluxq.WaitTimeout) as caught:
        await job.wait()

    assert caught.value.timeout == 7


async def test_infinite_timeout_waits_to_the_end(make_api: MakeApi, provider: Provider) -> None:
    api = make_api(provider.app, wait_timeout=1)
    job = await api.submit("flux_pro_11", prompt="slow [fluxq:run=50]")

    result = await job.wait(timeout=math.inf)

    assert len(result.outputs) == 1


async def test_resume_from_a_saved_request_id(make_api: MakeApi, provider: Provider) -> None:
    first = make_api(provider.app)
    job = await first.submit("flux_kontext_pro", prompt="cat [fluxq:run=20]", aspect_ratio="16:9")
    with pytest.raises(fluxq.WaitTimeout) as caught:
        await job.wait(timeout=2)
    saved = caught.value.request_id

    resumed = make_api(provider.app).job("flux_kontext_pro", saved)
    result = await resumed.wait()

    assert resumed.request_id == saved
    assert result.result.request_id == saved
    assert provider.counters.count("submit") == 1
    root = f"http://testserver/model/v1/queue/flux_kontext_pro/requests/{saved}"
    assert (resumed.job.status_url, resumed.job.response_url, resumed.job.cancel_url) == (
        f"{root}/status",
        f"{root}/response",
        f"{root}/cancel",
    )
    assert resumed.job.model == "flux_kontext_pro"


async def test_unknown_request_id_is_not_found(api: Api) -> None:
    job = api.job("flux_pro_11", "mmsu_does_not_exist")

    with pytest.raises(fluxq.NotFoundError) as caught:
        await job.status()
    with pytest.raises(fluxq.NotFoundError):
        await job.cancel()
    with pytest.raises(fluxq.NotFoundError):
        await job.wait()

    assert caught.value.status_code == 404
    assert caught.value.request_id == "mmsu_does_not_exist"


async def test_wrong_key_is_an_authentication_error(make_api: MakeApi, provider: Provider) -> None:
    api = make_api(provider.app, api_key="not-the-key")

    with pytest.raises(fluxq.AuthenticationError) as caught:
        await api.submit("flux_pro_11", prompt="apple")

    assert caught.value.status_code == 401
    assert caught.value.code == "UNAUTHORIZED"
    assert provider.counters.tasks_created == 0


async def test_key_auth_scheme_is_accepted(make_api: MakeApi, provider: Provider) -> None:
    api = make_api(provider.app, auth="key")

    result = await api.run("flux_pro_11", prompt="apple [fluxq:run=1]")

    assert len(result.outputs) == 1


@pytest.mark.parametrize("model", ["flux_kontext_pro", "flux_pro_11", "flux_2_pro"])
async def test_typed_accessors_submit_and_run(api: Api, provider: Provider, model: str) -> None:
    job = await api.typed_submit(model, prompt="pear [fluxq:run=1]")
    result = await api.typed_run(model, prompt="plum [fluxq:run=1]", seed=3)

    assert len((await job.wait()).outputs) == 1
    assert len(result.outputs) == 1
    assert provider.counters.count("submit", model) == 2


async def test_local_validation_sends_nothing(api: Api, provider: Provider) -> None:
    with pytest.raises(fluxq.ValidationError) as caught:
        await api.submit("flux_pro_11", prompt="apple", width=1000)

    assert str(caught.value) == "width: must be a multiple of 32 (got 1000)"
    assert caught.value.field == "width"
    assert isinstance(caught.value, ValueError)
    assert provider.counters.total_requests() == 0


async def test_ready_model_instance_is_accepted(api: Api) -> None:
    import fluxq_models

    params = fluxq_models.FluxKontextProInput(prompt="cat [fluxq:run=1]", seed=None, aspect_ratio="1:1")

    result = await api.run("flux_kontext_pro", params)

    assert len(result.outputs) == 1


async def test_images_in_and_out(api: Api, provider: Provider, tmp_path: Path) -> None:
    source = Image.new("RGB", (64, 48), "red")
    path = tmp_path / "in.png"
    source.save(path)
    buffer = io.BytesIO()
    source.save(buffer, format="PNG")

    result = await api.run(
        "flux_kontext_pro",
        prompt="edit [fluxq:run=1]",
        input_image=path,
        input_image_2=buffer.getvalue(),
        input_image_3=source,
        input_image_4="https://example.com/ref.png",
    )

    saved = await result.save_all(tmp_path / "out")
    data = await result.output_bytes(0)
    assert len(saved) == 1
    assert saved[0].read_bytes() == data
    with Image.open(saved[0]) as image:
        assert image.size == (result.outputs[0].width, result.outputs[0].height)
    again = await result.save(0, tmp_path)
    assert again == tmp_path / result.outputs[0].filename


async def test_result_and_output_reprs_are_one_line(api: Api) -> None:
    result = (await api.run("flux_pro_11", prompt="apple [fluxq:run=1]", width=512, height=384)).result

    shown = repr(result)
    assert "\n" not in shown
    assert shown.startswith(f"{type(result).__name__}(request_id={result.request_id!r}, outputs=[")
    output = repr(result.outputs[0])
    assert "\n" not in output
    assert output.startswith(f"{type(result.outputs[0]).__name__}(#0, 'image/jpeg', 512×384, url='http")
    assert "downloader" not in shown
    assert len(shown) < 250
