"""The wrapper against deliberately hostile servers on loopback (issue 13), sync and async.

Each test runs a real socket server (`hostile.HostileServer`) that misbehaves the way a broken or
malicious provider could — trickling a byte a second, never ending a body, echoing the key, nesting
JSON without end — and asserts what the user sees, with figures: elapsed wall-clock time against the
deadline, bytes held, requests the server counted, occurrences of the key (zero). Deadlines here are
1–2 s so each test stays within a few seconds.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
import math
import socket
import time
import tracemalloc
from collections.abc import AsyncIterator, Callable
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from hostile import Reply, Request, hostile, result_body, submitted

import fluxq

KEY = "sk-hostile-0123456789abcdef"
RID = "req-1"
MODEL = "flux_pro_11"
SLACK = 0.75
"""Seconds a deadline may be overrun by (a poll in flight, thread scheduling on a loaded CI machine)."""


async def done(value: Any) -> Any:
    """Await ``value`` when the async client returned an awaitable."""
    return await value if inspect.isawaitable(value) else value


MakeClient = Callable[..., Any]


@pytest.fixture(params=["sync", "async"])
async def make_client(request: pytest.FixtureRequest) -> AsyncIterator[MakeClient]:
    """Build real clients (real clock, real sockets) of the flavour under test."""
    made: list[Any] = []

    def build(base: str, **kwargs: Any) -> Any:
        options: dict[str, Any] = {
            "api_key": KEY,
            "base_url": f"{base}/model",
            "poll_policy": fluxq.PollPolicy(initial=0.1, minimum=0.1),  # no 1.5 s pause after submit
            **kwargs,
        }
        client = fluxq.AsyncClient(**options) if request.param == "async" else fluxq.Client(**options)
        made.append(client)
        return client

    yield build
    for client in made:
        await done(client.close())


async def submit_and_wait(client: Any, **wait: Any) -> Any:
    job = await done(client.submit(MODEL, prompt="an apple"))
    return await done(job.wait(**wait))


def key_count(*texts: object) -> int:
    """How many times the key occurs in all of ``texts``."""
    return sum(str(text).count(KEY) for text in texts)


# --- 1. secrets -------------------------------------------------------------------------------


async def echo_authorization(request: Request, reply: Reply) -> None:
    auth = request.headers.get("authorization", "")
    if request.method == "POST":
        await reply.send(401, {"detail": f"invalid credentials: {auth}", "request_id": auth}, reason=auth)
    else:
        await reply.send(404, {"error": {"code": "NOT_FOUND", "message": f"nothing for {auth}"}})


async def test_a_key_echoed_in_error_bodies_never_reaches_exceptions_or_logs(
    make_client: MakeClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="fluxq")
    with hostile(echo_authorization) as server:
        client = make_client(server.url)
        with pytest.raises(fluxq.AuthenticationError) as refused:
            await done(client.submit(MODEL, prompt="an apple"))
        with pytest.raises(fluxq.NotFoundError) as missing:
            await done(client.job(MODEL, RID).status())

    assert server.requests[0].headers["authorization"] == f"Bearer {KEY}"  # the server did see it
    for error in (refused.value, missing.value):
        assert key_count(error, error.args, error.message, error.body, error.request_id, repr(error)) == 0
    assert "[redacted]" in refused.value.message
    assert key_count(*(record.getMessage() for record in caplog.records)) == 0


async def test_a_key_split_by_a_non_ascii_byte_in_the_reason_phrase_is_still_redacted(
    make_client: MakeClient,
) -> None:
    # httpx drops non-ASCII bytes from a reason phrase, which joins the two halves into the key.
    split = f"{KEY[:6]}\xe9{KEY[6:]}"

    async def echo_split(request: Request, reply: Reply) -> None:
        await reply.send(401, b"", {"X-Echo": split}, reason=f"denied for {split}")

    with hostile(echo_split) as server:
        client = make_client(server.url)
        with pytest.raises(fluxq.AuthenticationError) as refused:
            await done(client.submit(MODEL, prompt="an apple"))

    error = refused.value
    assert key_count(error, error.args, error.message, error.body, repr(error)) == 0
    assert error.message == "denied for [redacted]"


async def test_a_key_with_a_trailing_newline_is_stripped_and_sent_clean(make_client: MakeClient) -> None:
    async def ok(request: Request, reply: Reply) -> None:
        await reply.send(200, {"request_id": RID, "status": "IN_PROGRESS"})

    with hostile(ok) as server:
        client = make_client(server.url, api_key=f"  {KEY}\n")
        event = await done(client.job(MODEL, RID).status())

    assert isinstance(event, fluxq.InProgress)
    assert server.requests[0].headers["authorization"] == f"Bearer {KEY}"


@pytest.mark.parametrize("bad", ["clé-secrète-1234", "key\x00with-nul", "two\nlines"])
def test_a_key_a_header_cannot_carry_is_a_validation_error_that_hides_it(bad: str) -> None:
    with pytest.raises(fluxq.ValidationError) as caught:
        fluxq.Client(api_key=bad, base_url="http://127.0.0.1:9/model")

    assert caught.value.field == "api_key"
    assert "api_key" in str(caught.value)
    assert bad.strip() not in str(caught.value)


def test_a_bad_key_in_the_environment_names_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FLUXQ_API_KEY", "naïve-key-value")
    with pytest.raises(fluxq.ValidationError, match="FLUXQ_API_KEY: the API key contains a non-ASCII"):
        fluxq.Client(base_url="http://127.0.0.1:9/model")


# --- 2. total deadlines -----------------------------------------------------------------------


def trickling(status_line_too: bool) -> Callable[[Request, Reply], Any]:
    """A server whose submit is fine but whose polls arrive a byte a second (head or body)."""

    async def handler(request: Request, reply: Reply) -> None:
        base = f"http://{request.headers['host']}"
        if request.method == "POST":
            await reply.send(200, submitted(RID, base))
            return
        body = b'{"request_id": "req-1", "status": "IN_QUEUE"}'
        head = f"HTTP/1.1 202 Accepted\r\nContent-Length: {len(body)}\r\n\r\n".encode()
        if status_line_too:
            await reply.trickle(head + body, every=0.2)
        else:
            await reply.raw(head)
            await reply.trickle(body, every=0.2)

    return handler


@pytest.mark.parametrize("where", ["status line and headers", "body"])
async def test_a_trickling_server_cannot_stretch_a_wait_past_its_timeout(
    make_client: MakeClient, where: str
) -> None:
    with hostile(trickling(status_line_too=where != "body")) as server:
        client = make_client(server.url)
        started = time.monotonic()
        with pytest.raises(fluxq.WaitTimeout) as caught:
            await submit_and_wait(client, timeout=1.5)
        elapsed = time.monotonic() - started

    assert caught.value.request_id == RID
    assert elapsed < 1.5 + SLACK, f"wait(timeout=1.5) took {elapsed:.2f} s against a trickling {where}"


async def test_one_api_request_is_bounded_by_its_total_budget(make_client: MakeClient) -> None:
    with hostile(trickling(status_line_too=True)) as server:
        client = make_client(server.url, max_retries=0, limits=fluxq.Limits(request_seconds=1.0))
        started = time.monotonic()
        with pytest.raises(fluxq.APITimeoutError):
            await done(client.job(MODEL, RID).status())
        elapsed = time.monotonic() - started

    assert elapsed < 1.0 + SLACK


def serving_one_output(download: Callable[[Request, Reply], Any], file_url: str = "/files/a.png") -> Any:
    """A provider whose task completes at once with one output served by ``download``."""

    async def handler(request: Request, reply: Reply) -> None:
        base = f"http://{request.headers['host']}"
        if request.method == "POST":
            await reply.send(200, submitted(RID, base))
        elif request.path.startswith("/files/"):
            await download(request, reply)
        else:
            item = {"type": "image", "url": f"{base}{file_url}", "file_name": "a.png"}
            await reply.send(200, result_body(RID, [item]))

    return handler


async def test_a_trickling_download_is_bounded_by_its_deadline(
    make_client: MakeClient, tmp_path: Path
) -> None:
    async def slow_file(request: Request, reply: Reply) -> None:
        await reply.raw(b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n")
        await reply.trickle(b"x" * 1000, every=0.2)

    with hostile(serving_one_output(slow_file)) as server:
        client = make_client(server.url, limits=fluxq.Limits(download_seconds=1.0))
        result = await submit_and_wait(client, timeout=5)
        started = time.monotonic()
        with pytest.raises(fluxq.APITimeoutError):
            await done(result.save_all(tmp_path))
        elapsed = time.monotonic() - started

    assert elapsed < 1.0 + SLACK
    assert sorted(tmp_path.iterdir()) == []  # noqa: ASYNC240 - the partial file is gone


# --- 3. size limits ---------------------------------------------------------------------------


async def test_an_endless_reply_body_is_cut_off_at_the_cap(make_client: MakeClient) -> None:
    async def endless(request: Request, reply: Reply) -> None:
        await reply.endless_chunks()

    cap = 256 * 1024
    with hostile(endless) as server:
        client = make_client(server.url, limits=fluxq.Limits(max_json_bytes=cap))
        tracemalloc.start()
        try:
            with pytest.raises(fluxq.ResponseTooLarge) as caught:
                await done(client.job(MODEL, RID).status())
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()

    assert caught.value.limit == cap
    assert isinstance(caught.value, fluxq.MalformedResponse)
    assert peak < 8 * cap, f"peak {peak} bytes while reading against a {cap}-byte cap"
    assert server.count("GET") == 1  # a too-large reply is not retried


async def test_an_endless_download_stops_at_the_download_cap(make_client: MakeClient, tmp_path: Path) -> None:
    async def endless_file(request: Request, reply: Reply) -> None:
        await reply.endless_chunks(b"\x89PNG" * 16384)

    cap = 1024 * 1024
    with hostile(serving_one_output(endless_file)) as server:
        client = make_client(server.url, limits=fluxq.Limits(max_download_bytes=cap))
        result = await submit_and_wait(client, timeout=5)
        tracemalloc.start()
        try:
            with pytest.raises(fluxq.ResponseTooLarge):
                await done(result.outputs[0].bytes())
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        with pytest.raises(fluxq.ResponseTooLarge):
            await done(result.save_all(tmp_path))

    assert peak < 4 * cap, f"peak {peak} bytes against a {cap}-byte cap"
    assert sorted(tmp_path.iterdir()) == []  # noqa: ASYNC240 - a listing after the fact


async def test_a_declared_oversize_download_is_refused_before_reading(make_client: MakeClient) -> None:
    async def huge(request: Request, reply: Reply) -> None:
        await reply.raw(b"HTTP/1.1 200 OK\r\nContent-Length: 1073741824\r\n\r\n")
        await asyncio.sleep(5)  # never sends the gigabyte

    with hostile(serving_one_output(huge)) as server:
        client = make_client(server.url, limits=fluxq.Limits(max_download_bytes=1024))
        result = await submit_and_wait(client, timeout=5)
        started = time.monotonic()
        with pytest.raises(fluxq.ResponseTooLarge):
            await done(result.outputs[0].bytes())

    assert time.monotonic() - started < 1.0


async def test_an_oversize_reply_to_a_submit_is_an_unknown_outcome(make_client: MakeClient) -> None:
    async def endless(request: Request, reply: Reply) -> None:
        await reply.endless_chunks()

    with hostile(endless) as server:
        client = make_client(server.url, limits=fluxq.Limits(max_json_bytes=64 * 1024))
        with pytest.raises(fluxq.SubmitOutcomeUnknown, match="larger than 65536 bytes") as caught:
            await done(client.submit(MODEL, prompt="an apple"))
        assert caught.value.model == MODEL  # which model to check on the dashboard

    assert server.count("POST") == 1  # never re-sent: the task may exist


# --- 5. poll floor and argument checks --------------------------------------------------------


async def test_retry_after_zero_cannot_make_the_client_poll_faster_than_the_floor(
    make_client: MakeClient,
) -> None:
    async def pending(request: Request, reply: Reply) -> None:
        if request.method == "POST":
            await reply.send(200, submitted(RID, f"http://{request.headers['host']}"))
        else:
            await reply.send(
                202, {"request_id": RID, "status": "IN_QUEUE"}, {"Retry-After": "0"}, reason="Accepted"
            )

    with hostile(pending) as server:
        client = make_client(server.url)
        with pytest.raises(fluxq.WaitTimeout):
            await submit_and_wait(client, timeout=1.0)
        with pytest.raises(fluxq.WaitTimeout):
            await done(client.job(MODEL, RID).wait(timeout=1.0, poll_interval=0.001))

    polls = server.count("GET")
    # 2 waits of 1 s at >= 0.1 s apart: at most ~11 polls each; without a floor this was ~900 per second
    assert polls <= 24, f"{polls} polls in 2 s"


@pytest.mark.parametrize(
    ("argument", "value"),
    [
        ("timeout", math.nan),
        ("timeout", -1.0),
        ("timeout", 0),
        ("poll_interval", 0.0),
        ("poll_interval", math.nan),
    ],
)
@pytest.mark.parametrize("call", ["job.wait", "client.run"])
async def test_bad_wait_arguments_are_refused_before_any_request(
    make_client: MakeClient, argument: str, value: float, call: str
) -> None:
    """``client.run`` checks its wait options before it submits: a bad one must not cost a task."""

    async def never(request: Request, reply: Reply) -> None:
        await reply.send(500, {})

    with hostile(never) as server:
        client = make_client(server.url)
        if call == "job.wait":
            waiting = partial(client.job(MODEL, RID).wait, **{argument: value})
        else:
            waiting = partial(client.run, MODEL, prompt="a cat", **{argument: value})
        with pytest.raises(fluxq.ValidationError) as caught:
            await done(waiting())

    assert caught.value.field == argument
    assert server.requests == []


@pytest.mark.parametrize(
    ("options", "field"),
    [
        ({"max_retries": -1}, "max_retries"),
        ({"timeout": -1.0}, "timeout"),
        ({"timeout": math.nan}, "timeout"),
        ({"wait_timeout": math.nan}, "wait_timeout"),
        ({"wait_timeout": 0}, "wait_timeout"),
    ],
)
def test_bad_client_arguments_are_validation_errors(options: dict[str, Any], field: str) -> None:
    with pytest.raises(fluxq.ValidationError) as caught:
        fluxq.Client(api_key=KEY, base_url="http://127.0.0.1:9/model", **options)
    assert caught.value.field == field


# --- 6. typed errors only ---------------------------------------------------------------------


async def test_absurdly_nested_json_is_a_malformed_response(make_client: MakeClient) -> None:
    async def nested(request: Request, reply: Reply) -> None:
        await reply.send(200, b"[" * 100_000 + b"]" * 100_000)

    with hostile(nested) as server:
        client = make_client(server.url)
        with pytest.raises(fluxq.MalformedResponse):
            await done(client.job(MODEL, RID).status())


# --- 7. output names --------------------------------------------------------------------------


async def test_outputs_sharing_a_name_are_all_kept_and_hostile_characters_dropped(
    make_client: MakeClient, tmp_path: Path
) -> None:
    names = ["same.png", "same.png", "SAME.png", "nul\x00.png", "\u202egnp.exe", "\x1b]0;pwned\x07x.png"]

    async def handler(request: Request, reply: Reply) -> None:
        base = f"http://{request.headers['host']}"
        if request.method == "POST":
            await reply.send(200, submitted(RID, base))
        elif request.path.startswith("/files/"):
            await reply.send(200, request.path.encode(), {"Content-Type": "image/png"})
        else:
            items = [
                {"type": "image", "url": f"{base}/files/{i}", "file_name": name}
                for i, name in enumerate(names)
            ]
            await reply.send(200, result_body(RID, items))

    with hostile(handler) as server:
        client = make_client(server.url)
        result = await submit_and_wait(client, timeout=5)
        paths = await done(result.save_all(tmp_path))

    assert [p.name for p in paths] == [
        "same.png",
        "same-2.png",
        "SAME-3.png",
        "nul.png",
        "gnp.exe",
        "]0;pwnedx.png",
    ]
    assert [p.read_bytes() for p in paths] == [f"/files/{i}".encode() for i in range(len(names))]


# --- 9. downloads and internal hosts ----------------------------------------------------------


async def test_outputs_on_internal_hosts_are_refused_for_a_public_provider() -> None:
    async def file_host(request: Request, reply: Reply) -> None:
        await reply.send(200, b"secret admin page")

    with hostile(file_host, host="127.0.0.2") as internal:

        async def provider(request: Request, reply: Reply) -> None:
            item = {"type": "image", "url": f"{internal.url}/a.png", "file_name": "a.png"}
            await reply.send(200, result_body(RID, [item]))

        with hostile(provider) as api:
            # The provider is on loopback too; allow_internal_downloads=False makes it act as a public one.
            options = {"api_key": KEY, "base_url": f"{api.url}/model", "allow_internal_downloads": False}
            with fluxq.Client(**options) as client:  # type: ignore[arg-type]
                outcome = client.job(MODEL, RID).wait(timeout=5)
                with pytest.raises(fluxq.DownloadRefused, match=r"internal host '127\.0\.0\.2'"):
                    outcome.outputs[0].bytes()

    assert internal.requests == []


#: A public-looking name that the test's resolver answers with a loopback address.
DISGUISED_NAME = "cdn.provider-files.test"


@pytest.fixture
def loopback_alias(monkeypatch: pytest.MonkeyPatch) -> str:
    """A name (not ``localhost``) that resolves to 127.0.0.1, as a provider's DNS could answer.

    The resolver answers this one name itself, so the test does not depend on this machine's hosts file.
    """
    real_getaddrinfo = socket.getaddrinfo

    def resolve(host: Any, *args: Any, **kwargs: Any) -> Any:
        if host in (DISGUISED_NAME, DISGUISED_NAME.encode()):
            return real_getaddrinfo("127.0.0.1", *args, **kwargs)
        return real_getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", resolve)
    return DISGUISED_NAME


async def test_a_name_that_resolves_to_an_internal_address_is_refused_at_connect(
    make_client: MakeClient, loopback_alias: str
) -> None:
    alias = loopback_alias

    async def provider(request: Request, reply: Reply) -> None:
        if request.path.startswith("/files/"):
            await reply.send(200, b"internal data")
            return
        item = {"type": "image", "url": f"http://{alias}:{api.port}/files/a.png", "file_name": "a.png"}
        await reply.send(200, result_body(RID, [item]))

    with hostile(provider) as api:
        client = make_client(api.url, allow_internal_downloads=False)
        outcome = await done(client.job(MODEL, RID).wait(timeout=5))
        with pytest.raises(
            fluxq.DownloadRefused, match=f"{alias!r}: it resolved to the internal address 127."
        ):
            await done(outcome.outputs[0].bytes())

    assert api.count("GET", "/files/") == 0


async def test_a_redirect_to_an_internal_host_is_refused(make_client: MakeClient) -> None:
    async def file_host(request: Request, reply: Reply) -> None:
        await reply.send(200, b"metadata")

    with hostile(file_host, host="127.0.0.2") as internal:

        async def provider(request: Request, reply: Reply) -> None:
            base = f"http://{request.headers['host']}"
            if request.path.startswith("/files/"):
                await reply.send(302, b"", {"Location": f"{internal.url}/latest/meta-data"}, reason="Found")
            else:
                item = {"type": "image", "url": f"{base}/files/a.png", "file_name": "a.png"}
                await reply.send(200, result_body(RID, [item]))

        with hostile(provider) as api:
            client = make_client(api.url, allow_internal_downloads=False)
            # The provider is on loopback here; allow_internal_downloads=False makes it act as a public one.
            outcome = await done(client.job(MODEL, RID).wait(timeout=5))
            with pytest.raises(fluxq.DownloadRefused):
                await done(outcome.outputs[0].bytes())

    assert internal.requests == []


async def test_a_local_provider_may_serve_outputs_from_loopback(make_client: MakeClient) -> None:
    async def file_host(request: Request, reply: Reply) -> None:
        await reply.send(200, b"png bytes")

    with hostile(file_host, host="127.0.0.2") as files:

        async def provider(request: Request, reply: Reply) -> None:
            item = {"type": "image", "url": f"{files.url}/a.png", "file_name": "a.png"}
            await reply.send(200, result_body(RID, [item]))

        with hostile(provider) as api:
            client = make_client(api.url)  # base URL on 127.0.0.1: internal downloads allowed by default
            outcome = await done(client.job(MODEL, RID).wait(timeout=5))
            assert await done(outcome.outputs[0].bytes()) == b"png bytes"
