"""``fluxq conformance`` against hostile targets on loopback: no key leak, bounded probes, inert console.

Each target is a real socket server (`hostile.HostileServer`); the run goes through the CLI (console,
exit code, ``--report-json``) or `run_conformance` (when a test needs a short request budget).
"""

from __future__ import annotations

import json
import time
import tracemalloc
from pathlib import Path

import pytest
from hostile import Reply, Request, hostile

from fluxq_conformance.cli import main
from fluxq_conformance.run.runner import RunImpossible, RunSettings, run_conformance
from fluxq_conformance.run.targets import Target

SECRET = "sk-fluxq-HOSTILE-5e2b9a"


@pytest.fixture(autouse=True)
def in_a_temporary_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run every CLI test in its own empty working directory."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("FLUXQ_API_KEY", raising=False)


SEEN: list[str] = []


async def echo_everything(request: Request, reply: Reply) -> None:
    """Answer the right key 404 and others 403 (a failure the console shows with its body); every reply
    echoes the last valid ``Authorization`` header it saw, plus screen-clearing escape codes."""
    auth = request.headers.get("authorization", "")
    if SECRET in auth:
        SEEN.append(auth)
    echoed = SEEN[-1] if SEEN else auth
    hostile_text = f"\x1b[2J\x1b]0;owned\x07 last key: {echoed}"
    status = 404 if SECRET in auth else 403
    headers = {"Content-Type": "text/plain", "X-Echo": echoed}
    await reply.send(status, hostile_text.encode(), headers, reason=echoed)


def test_a_target_echoing_the_key_never_gets_it_printed_or_written(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with hostile(echo_everything) as server:
        argv = ["--base-url", f"{server.url}/model", "--api-key", f"{SECRET}\n", "--only", "auth"]
        code = main([*argv, "--report-json", "report.json", "--verbose"])

    out, err = capsys.readouterr()
    written = Path("report.json").read_text()
    assert code == 1  # the 403s to bad credentials are findings, shown with their (hostile) bodies
    assert server.count() >= 6
    assert all(r.headers.get("authorization", "").count("\n") == 0 for r in server.requests)
    assert any(r.headers.get("authorization") == f"Bearer {SECRET}" for r in server.requests)
    assert (out + err + written).count(SECRET) == 0
    assert "\x1b" not in out + err  # the console shows the sequences escaped
    assert "\\x1b[2J" in out
    json.loads(written)


def test_a_key_a_header_cannot_carry_is_a_usage_error_without_echo(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with hostile(echo_everything) as server:
        code = main(["--base-url", f"{server.url}/model", "--api-key", "sk-ünïcode-key"])

    err = capsys.readouterr().err
    assert code == 2
    assert "--api-key: the API key contains a non-ASCII character" in err
    assert "ünïcode" not in err
    assert server.requests == []


async def trickle_forever(request: Request, reply: Reply) -> None:
    await reply.trickle(b"HTTP/1.1 404 Not Found\r\nContent-Length: 2\r\n\r\n{}", every=0.2)


async def endless(request: Request, reply: Reply) -> None:
    await reply.endless_chunks()


def target(url: str) -> Target:
    return Target("hostile", f"{url}/model", SECRET, live=True, markers=False)


def test_a_trickling_target_cannot_stall_the_probe() -> None:
    with hostile(trickle_forever) as server:
        started = time.monotonic()
        with pytest.raises(RunImpossible, match="did not answer a probe usably") as caught:
            run_conformance(target(server.url), RunSettings(sections=("auth",), request_seconds=1.0))
        elapsed = time.monotonic() - started

    assert elapsed < 1.75, f"the probe took {elapsed:.2f} s against a 1 s budget"
    assert "unreachable" not in str(caught.value)


def test_an_endless_reply_is_cut_off_at_the_cap() -> None:
    with hostile(endless) as server:
        tracemalloc.start()
        try:
            with pytest.raises(RunImpossible, match="larger than 8388608 bytes"):
                run_conformance(target(server.url), RunSettings(sections=("auth",), request_seconds=10.0))
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()

    assert peak < 4 * 8388608, f"peak {peak} bytes against an 8 MiB cap"
