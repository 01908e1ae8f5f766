"""The built wheel works on its own: spec, cassettes and both commands from outside the checkout."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]
PIP = [sys.executable, "-m", "pip", "--disable-pip-version-check"]
#: The fluxq console script, run by this interpreter (its PYTHONPATH decides where fluxq comes from).
FLUXQ = [sys.executable, "-c", "import sys, fluxq.cli; sys.exit(fluxq.cli.main())"]


@pytest.fixture(scope="module")
def installed_wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the wheel from this checkout and unpack it (no dependencies) into a fresh directory."""
    work = tmp_path_factory.mktemp("wheel")
    subprocess.run(  # noqa: S603 - this interpreter's pip on this checkout
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "-w",
            work,
            ROOT,
        ],
        check=True,
        timeout=300,
    )
    (wheel,) = work.glob("fluxq-*.whl")
    site = work / "site"
    subprocess.run(  # noqa: S603 - this interpreter's pip on the wheel just built
        [*PIP, "install", "--quiet", "--no-deps", "--target", site, wheel],
        check=True,
        timeout=300,
    )
    return site


def _outside(site: Path) -> dict[str, str]:
    """An environment in which the wheel's packages come first and the checkout is not the cwd."""
    env = {key: value for key, value in os.environ.items() if key != "FLUXQ_SPEC"}
    env["PYTHONPATH"] = str(site)
    return env


def test_the_wheel_ships_the_spec_and_its_packages(installed_wheel: Path, tmp_path: Path) -> None:
    probe = (
        "import fluxq, fluxq_spec, fluxq_reference, fluxq_conformance, fluxq_models, fluxq_api\n"
        "for module in (fluxq, fluxq_spec, fluxq_reference, fluxq_conformance, fluxq_models, fluxq_api):\n"
        "    print(module.__file__)\n"
        "print(fluxq_spec.spec_path())\n"
    )
    completed = subprocess.run(  # noqa: S603 - this interpreter on a fixed probe
        [sys.executable, "-c", probe],
        cwd=tmp_path,
        env=_outside(installed_wheel),
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    paths = completed.stdout.split()
    assert len(paths) == 7
    assert all(path.startswith(str(installed_wheel)) for path in paths), paths
    assert paths[-1].endswith("fluxq_spec/fluxq.openapi.yaml")


def test_conformance_runs_from_the_wheel_outside_the_checkout(installed_wheel: Path, tmp_path: Path) -> None:
    env = _outside(installed_wheel)
    for arguments in (["--only", "auth,lifecycle,outputs"], ["--cassettes", "reference"]):
        completed = subprocess.run(  # noqa: S603 - this interpreter running the fluxq CLI
            [
                sys.executable,
                "-c",
                "import sys, fluxq.cli; sys.exit(fluxq.cli.main())",
                "conformance",
                *arguments,
            ],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            check=False,
            timeout=240,
        )
        assert completed.returncode == 0, completed.stdout[-3000:] + completed.stderr[-3000:]


def test_serve_from_the_wheel_answers_requests(installed_wheel: Path, tmp_path: Path) -> None:
    process = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, fluxq.cli; sys.exit(fluxq.cli.main())",
            "serve",
            "--port",
            "0",
            "--fast",
        ],
        cwd=tmp_path,
        env=_outside(installed_wheel),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        first = process.stdout.readline()
        base_url = first.rsplit(" ", 1)[-1].strip()
        assert base_url.startswith("http://127.0.0.1:"), first
        deadline = time.monotonic() + 30
        while True:
            try:
                reply = httpx.get(
                    f"{base_url}/v1/queue/flux_pro_11/requests/mmsu_none/status",
                    headers={"Authorization": "Key fluxq-demo-key"},
                    timeout=5,
                )
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline, "fluxq serve did not start listening"
                time.sleep(0.1)
        assert reply.status_code == 404
        assert reply.headers["content-type"].startswith("application/json")
    finally:
        process.terminate()
        process.wait(timeout=30)
