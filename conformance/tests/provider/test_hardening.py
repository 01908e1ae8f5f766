"""The reference provider against hostile clients (issue 13): body limits, per-key isolation, fixed URLs.

The body-limit tests run the provider on a real loopback socket (`serve_in_thread`), because what
they guard against — a client declaring or streaming a huge body — happens on the wire.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator

import httpx
import pytest

from fluxq_reference import ProviderConfig, create_app, serve_in_thread
from fluxq_reference.cli import ServeArgs, config_from_args, listening_base_url

KEY_A = "key-alpha-0001"
KEY_B = "key-bravo-0002"


def raw_request(base_url: str, head: str) -> tuple[str, float]:
    """Send only a request head on a raw socket; return the status line and how long the answer took."""
    import time

    host, port = base_url.removeprefix("http://").split("/")[0].split(":")
    started = time.monotonic()
    with socket.create_connection((host, int(port)), timeout=5) as conn:
        conn.sendall(head.encode())
        answer = conn.recv(4096).decode(errors="replace")
    return answer.split("\r\n", 1)[0], time.monotonic() - started


def test_a_declared_huge_body_is_refused_before_it_is_sent() -> None:
    head = (
        "POST /model/v1/queue/flux_pro_11 HTTP/1.1\r\nHost: x\r\n"
        f"Authorization: Bearer {KEY_A}\r\nContent-Type: application/json\r\n"
        "Content-Length: 1073741824\r\n\r\n"
    )
    app = create_app(ProviderConfig(api_keys=(KEY_A,)))
    with serve_in_thread(app) as base_url:
        status, seconds = raw_request(base_url, head)

    assert status == "HTTP/1.1 413 Request Entity Too Large"
    assert seconds < 2.0  # answered without waiting for the gigabyte
    assert app.state.provider.counters.tasks_created == 0


def test_a_streamed_body_past_the_limit_is_cut_off() -> None:
    def oversize_json() -> Iterator[bytes]:  # chunked: no Content-Length to refuse it by
        yield b'{"prompt": "'
        for _ in range(64):  # 4 MiB against a 1 MiB limit
            yield b"a" * 65536
        yield b'"}'

    app = create_app(ProviderConfig(api_keys=(KEY_A,), max_body_bytes=1024 * 1024))
    with serve_in_thread(app) as base_url, httpx.Client(timeout=10) as client:
        response = client.post(
            f"{base_url}/v1/queue/flux_pro_11",
            content=oversize_json(),
            headers={"Authorization": f"Bearer {KEY_A}", "Content-Type": "application/json"},
        )
    assert response.status_code == 413
    assert response.json() == {"detail": "request body larger than 1048576 bytes"}
    assert app.state.provider.counters.tasks_created == 0


def test_the_default_limit_admits_the_largest_legitimate_body() -> None:
    image = "A" * (20 * 1024 * 1024 * 4 // 3)  # one 20 MB image, base64-encoded
    app = create_app(ProviderConfig(api_keys=(KEY_A,)))
    with serve_in_thread(app) as base_url, httpx.Client(timeout=30) as client:
        response = client.post(
            f"{base_url}/v1/queue/flux_pro_11",
            json={"prompt": "x", "image_prompt": image + "A"},
            headers={"Authorization": f"Bearer {KEY_A}"},
        )
    assert response.status_code != 413


@pytest.fixture
def two_keys() -> httpx.AsyncClient:
    app = create_app(ProviderConfig(api_keys=(KEY_A, KEY_B)))
    return httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url="http://testserver/model")


async def test_one_key_cannot_see_or_cancel_another_keys_task(two_keys: httpx.AsyncClient) -> None:
    a, b = {"Authorization": f"Bearer {KEY_A}"}, {"Authorization": f"Bearer {KEY_B}"}
    submitted = (await two_keys.post("/v1/queue/flux_pro_11", json={"prompt": "x"}, headers=a)).json()
    root = f"/v1/queue/flux_pro_11/requests/{submitted['request_id']}"

    for method, path in (("GET", "/status"), ("GET", "/response"), ("PUT", "/cancel")):
        assert (await two_keys.request(method, root + path, headers=b)).status_code == 404
    assert (await two_keys.get(root + "/status", headers=a)).status_code == 200
    assert (await two_keys.put(root + "/cancel", headers=a)).status_code == 202


async def test_generation_tasks_are_isolated_per_key_too(two_keys: httpx.AsyncClient) -> None:
    a, b = {"Authorization": f"Bearer {KEY_A}"}, {"Authorization": f"Bearer {KEY_B}"}
    created = await two_keys.post("/v1/generation", json={"model": "flux_pro_11", "prompt": "x"}, headers=a)
    assert created.status_code == 200, created.text
    task_id = created.json().get("task_id") or created.json().get("id")
    assert (await two_keys.get(f"/v1/generation/task/{task_id}", headers=b)).status_code == 404
    assert (await two_keys.get(f"/v1/generation/task/{task_id}", headers=a)).status_code == 200


async def test_a_public_base_url_replaces_the_host_header() -> None:
    config = config_from_args(ServeArgs(api_keys=(KEY_A,), public_base_url="http://127.0.0.1:8765/model"))
    app = create_app(config)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app), base_url="http://evil.example"
    ) as client:
        reply = await client.post(
            "/model/v1/queue/flux_pro_11", json={"prompt": "x"}, headers={"Authorization": f"Bearer {KEY_A}"}
        )
    urls = [reply.json()[name] for name in ("status_url", "response_url", "cancel_url")]
    assert all(url.startswith("http://127.0.0.1:8765/model/") for url in urls)


def test_serve_uses_the_address_it_listens_on_and_refuses_a_bad_public_url() -> None:
    assert listening_base_url("127.0.0.1", 8765) == "http://127.0.0.1:8765/model"
    assert listening_base_url("::1", 9000) == "http://[::1]:9000/model"
    with pytest.raises(ValueError, match="--public-base-url must be an http"):
        config_from_args(ServeArgs(public_base_url="ftp://x/model"))
