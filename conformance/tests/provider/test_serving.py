"""Serving on a real loopback port: run_in_thread and the `fluxq serve` CLI."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time

import httpx
import pytest

from fluxq_reference import (
    DEMO_API_KEY,
    FaultRates,
    ModelTiming,
    ProviderConfig,
    create_app,
    run_in_thread,
    same_timing,
    serve_in_thread,
)
from fluxq_reference.cli import ServeArgs, config_from_args, is_loopback, main

ALL_INTERFACES = "0.0.0.0"  # noqa: S104 - only ever refused, never bound
AUTH = {"Authorization": f"Bearer {DEMO_API_KEY}"}


def test_run_in_thread_serves_a_full_lifecycle_and_stops() -> None:
    with run_in_thread(ProviderConfig(timings=same_timing(ModelTiming.zero()))) as base_url:
        assert base_url.startswith("http://127.0.0.1:")
        assert base_url.endswith("/model")
        with httpx.Client(headers=AUTH, timeout=10) as http:
            submitted = http.post(
                f"{base_url}/v1/queue/flux_pro_11", json={"prompt": "x", "width": 256}
            ).json()
            assert submitted["status_url"].startswith(base_url)
            result = http.get(submitted["response_url"])
            assert result.status_code == 200
            image = http.get(result.json()["outputs"][0]["url"], headers={"Authorization": ""})
            assert image.headers["content-type"] == "image/jpeg"
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"{base_url}/v1/queue/flux_pro_11/requests/x/status", timeout=2)


def test_serve_in_thread_serves_an_app_whose_counters_stay_readable() -> None:
    app = create_app(ProviderConfig(timings=same_timing(ModelTiming.zero())))
    with serve_in_thread(app) as base_url:
        response = httpx.get(
            f"{base_url}/v1/queue/flux_2_pro/requests/mmsu_x/status", headers=AUTH, timeout=10
        )
    assert response.status_code == 404
    assert app.state.provider.counters.count("status", "flux_2_pro") == 1


def test_dropped_connection_fault_reaches_a_network_client_as_a_transport_error() -> None:
    config = ProviderConfig(faults=FaultRates(dropped_connection=1.0))
    with run_in_thread(config) as base_url, pytest.raises(httpx.TransportError):
        httpx.get(f"{base_url}/v1/queue/flux_pro_11/requests/x/status", headers=AUTH, timeout=5)


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.0.0.2", True),
        ("::1", True),
        ("localhost", True),
        (ALL_INTERFACES, False),
        ("10.0.0.1", False),
    ],
)
def test_loopback_detection(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback


def test_serve_refuses_a_remote_host_without_allow_remote(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--host", ALL_INTERFACES, "--port", "0"]) == 2
    assert "--allow-remote" in capsys.readouterr().err


def test_serve_options_become_a_config() -> None:
    config = config_from_args(ServeArgs(api_keys=("k1", "k2"), workers=3, seed=9, fast=True))
    assert config.api_keys == ("k1", "k2")
    assert config.workers == 3
    assert config.seed == 9
    assert config.timing_for("flux_2_pro") == ModelTiming.fast()


def test_serve_prints_the_base_url_and_key_then_serves_until_interrupted() -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "fluxq_reference.cli", "--port", "0", "--fast"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        first = process.stdout.readline()
        key_line = process.stdout.readline()
        base_url = first.rsplit(" ", 1)[-1].strip()
        assert base_url.startswith("http://127.0.0.1:")
        assert DEMO_API_KEY in key_line
        deadline = time.monotonic() + 10
        while True:
            try:
                response = httpx.post(f"{base_url}/v1/queue/flux_2_pro", json={"prompt": "x"}, headers=AUTH)
                break
            except httpx.ConnectError:
                assert time.monotonic() < deadline, "the server did not come up"
                time.sleep(0.05)
        assert response.status_code == 200
    finally:
        os.kill(process.pid, signal.SIGINT)
        process.communicate(timeout=10)
    assert process.returncode == 0


INVALID_REQUEST = b"GET /model HTTP/1.1\r\nHost: x\r\nNot A Header\r\n\r\n"


def _send_raw(base_url: str, payload: bytes) -> bytes:
    host, port = base_url.split("//", 1)[1].split("/", 1)[0].split(":")
    with socket.create_connection((host, int(port)), timeout=5) as connection:
        connection.sendall(payload)
        return connection.recv(200)


def test_serve_binds_before_its_banner_and_stays_quiet_about_malformed_requests() -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "fluxq_reference.cli", "--port", "0", "--fast"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        base_url = process.stdout.readline().rsplit(" ", 1)[-1].strip()
        # No retry loop: the printed URL accepts connections the moment it is printed.
        response = httpx.post(f"{base_url}/v1/queue/flux_2_pro", json={"prompt": "x"}, headers=AUTH)
        assert response.status_code == 200
        assert _send_raw(base_url, INVALID_REQUEST).startswith(b"HTTP/1.1 400")
    finally:
        os.kill(process.pid, signal.SIGINT)
        _out, err = process.communicate(timeout=10)
    assert process.returncode == 0
    assert "Invalid HTTP request received" not in err


def test_serve_on_a_busy_port_says_so_in_one_line_and_exits_3() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        done = subprocess.run(  # noqa: S603 - our own CLI with fixed arguments
            [sys.executable, "-m", "fluxq_reference.cli", "--port", str(port)],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
    assert done.returncode == 3
    assert done.stdout == ""  # no banner for a server that is not serving
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1
    assert f"cannot listen on 127.0.0.1:{port}" in lines[0]
    assert "--port" in lines[0]


def test_serve_in_thread_stays_quiet_about_malformed_requests(capfd: pytest.CaptureFixture[str]) -> None:
    with serve_in_thread(create_app(ProviderConfig(api_keys=(DEMO_API_KEY,)))) as base_url:
        assert _send_raw(base_url, INVALID_REQUEST).startswith(b"HTTP/1.1 400")
        time.sleep(0.2)  # give uvicorn's log line, if any, time to be written
    assert "Invalid HTTP request received" not in capfd.readouterr().err
