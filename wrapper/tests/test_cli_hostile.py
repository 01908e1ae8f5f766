"""The ``fluxq`` CLI against hostile servers on loopback: no key, no escape sequence, no lost request id.

The CLI runs as a user runs it (`fluxq.cli.build_app` with the default client, real sockets, real
time); the server is a `hostile.HostileServer`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result
from hostile import HostileServer, Reply, Request, hostile, result_body
from typer.testing import CliRunner

from fluxq.cli import build_app

KEY = "sk-hostile-0123456789abcdef"
RID = "req-\x1b[2J\x1b]0;owned\x07-1"
"""A request id carrying a clear-screen and a window-title sequence."""
RAW_CONTROLS = ("\x1b", "\x07", "\x9b", "\u202e", "\r")


def fluxq_cli(server: HostileServer, *args: str, key: str = KEY) -> Result:
    app = build_app()
    return CliRunner().invoke(app, [*args, "--base-url", f"{server.url}/model", "--api-key", key])


def assert_inert(text: str) -> None:
    for control in RAW_CONTROLS:
        assert control not in text, f"raw {control!r} reached the terminal"


async def hostile_failure(request: Request, reply: Reply) -> None:
    auth = request.headers.get("authorization", "")
    if request.path.endswith("/status"):
        body: dict[str, Any] = {
            "request_id": RID,
            "status": "COMPLETED",
            "error_type": "CONTENT_BLOCKED",
            "error": f"blocked \x1b[31mred\x1b[0m\r\nfluxq: forged line \u202eexe.gnp ({auth})",
        }
        await reply.send(200, body)
    else:
        message = f"\x1b]8;;http://evil.test\x07click\x1b]8;;\x07 \x9b2J denied for {auth}"
        await reply.send(403, {"error": {"code": "FORBIDDEN", "message": message}}, reason=auth)


@pytest.mark.parametrize("command", ["status", "cancel"])
@pytest.mark.parametrize("as_json", [False, True])
def test_server_text_reaches_the_terminal_inert_and_without_the_key(command: str, as_json: bool) -> None:
    with hostile(hostile_failure) as server:
        result = fluxq_cli(server, command, RID, "--model", "flux_pro_11", *(["--json"] if as_json else []))

    output = result.stdout + result.stderr
    assert server.requests[0].headers["authorization"] == f"Bearer {KEY}"
    assert output.count(KEY) == 0
    assert_inert(output)
    if command == "status":
        assert result.exit_code == 0
        if not as_json:
            assert "\\x1b[31mred" in result.stdout  # shown, escaped
            assert result.stdout.count("\n") == 1  # the forged line stayed on the one line
    else:
        assert result.exit_code == 3
        assert "\\x1b]8;;" in result.stderr
    if as_json:
        json.loads(result.stdout)


def test_a_key_that_cannot_be_sent_is_a_usage_error_without_traceback_or_echo() -> None:
    async def unreachable(request: Request, reply: Reply) -> None:
        raise AssertionError("nothing may be sent")

    with hostile(unreachable) as server:
        result = fluxq_cli(server, "status", "r1", "--model", "flux_pro_11", key="sk-clé-0123456789")

    assert result.exit_code == 2
    assert "api_key: the API key contains a non-ASCII character" in result.stderr
    assert "clé" not in result.stderr
    assert "Traceback" not in result.stderr
    assert server.requests == []


def test_a_failure_after_the_task_completed_names_the_request_id(tmp_path: Path) -> None:
    async def gone_outputs(request: Request, reply: Reply) -> None:
        base = f"http://{request.headers['host']}"
        if request.path.startswith("/files/"):
            await reply.send(404, {"detail": "expired"}, reason="Not Found")
        else:
            item = {"type": "image", "url": f"{base}/files/a.png", "file_name": "a.png"}
            await reply.send(200, result_body("req-7", [item]))

    with hostile(gone_outputs) as server:
        result = fluxq_cli(server, "result", "req-7", "--model", "flux_pro_11", "-o", str(tmp_path))

    assert result.exit_code == 3
    assert "NotFoundError: HTTP 404: expired" in result.stderr
    assert "req-7" in result.stderr
