"""The ``fluxq`` CLI end to end, against the in-process provider (typer's CliRunner, fake time)."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result
from PIL import Image
from typer.testing import CliRunner

import fluxq
from fluxq.cli import Connection, build_app, main

from .conftest import KEY, ManualClock, Provider, SyncASGIBridge

Invoke = Callable[..., Result]


@pytest.fixture(autouse=True)
def in_a_temporary_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run every CLI test in its own empty working directory.

    ``generate`` saves into the working directory unless told otherwise, so a test that forgets ``-o``
    (or fails before reaching it) must not leave images in the checkout.
    """
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def invoke(provider: Provider, sync_bridge_factory: Callable[[Any], SyncASGIBridge]) -> Invoke:
    """Run the CLI with clients that reach the in-process provider and sleep on its fake clock."""
    clock: ManualClock = provider.clock

    def make_client(connection: Connection) -> fluxq.Client:
        return fluxq.Client(
            connection.api_key,
            base_url=connection.base_url,
            auth=connection.auth,  # type: ignore[arg-type]
            transport=sync_bridge_factory(provider.app),
            clock=clock,
            sleep=clock.sleep_sync,
        )

    def run(*args: str) -> Result:
        app = build_app(make_client)
        return CliRunner().invoke(app, [*args, "--base-url", "http://testserver/model", "--api-key", KEY])

    return run


def test_generate_saves_the_images_and_prints_their_paths(invoke: Invoke, tmp_path: Path) -> None:
    result = invoke(
        "generate",
        "flux_pro_11",
        "apple [fluxq:queue=2] [fluxq:run=3]",
        "-p",
        "width=512",
        "-o",
        str(tmp_path),
    )

    assert result.exit_code == 0, result.stderr
    paths = [Path(line) for line in result.stdout.splitlines()]
    assert len(paths) == 1
    with Image.open(paths[0]) as image:
        assert image.size == (512, 768)
    assert "queued" in result.stderr
    assert "running" in result.stderr
    assert "completed" in result.stderr


def test_generate_saves_into_the_working_directory_by_default(invoke: Invoke, tmp_path: Path) -> None:
    result = invoke("generate", "flux_pro_11", "apple [fluxq:run=2]", "-p", "width=512", "-p", "height=512")

    assert result.exit_code == 0, result.stderr
    saved = [Path(line) for line in result.stdout.splitlines()]
    assert len(saved) == 1
    assert saved[0].resolve().parent == tmp_path.resolve()
    assert [path.name for path in tmp_path.iterdir()] == [saved[0].name]


def test_generate_json_for_scripts(invoke: Invoke, tmp_path: Path) -> None:
    image = tmp_path / "ref.png"
    Image.new("RGB", (16, 16)).save(image)

    images = ["--image", str(image), "--image", "https://x.test/a.png"]
    params = ["-p", "aspect_ratio=16:9", "-p", "seed=7", "-p", "prompt_upsampling=false"]

    result = invoke(
        "generate", "flux_kontext_pro", "cat [fluxq:run=1]", *images, *params, "--json", "-o", str(tmp_path)
    )

    assert result.exit_code == 0, result.stderr
    shape = json.loads(result.stdout)
    assert shape["model"] == "flux_kontext_pro"
    assert Path(shape["outputs"][0]["path"]).exists()
    assert result.stderr == ""


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-p", "width=1000"], "width: must be a multiple of 32 (got 1000)"),
        (["-p", "width"], "--param expects name=value"),
        (["-p", "=3"], "--param expects name=value"),
        (["-p", 'seed={"a":1}'], "seed: must be an integer"),
        (["--image", "a.png", "--image", "b.png"], "at most 1 image"),
    ],
)
def test_bad_arguments_exit_2_without_a_request(
    invoke: Invoke, provider: Provider, args: list[str], message: str
) -> None:
    result = invoke("generate", "flux_pro_11", "apple", *args)

    assert result.exit_code == 2
    assert message in result.stderr
    assert provider.counters.total_requests() == 0


def test_failed_task_exits_1(invoke: Invoke) -> None:
    result = invoke("generate", "flux_pro_11", "x [fluxq:error=CONTENT_BLOCKED] [fluxq:run=1]")
    scripted = invoke("generate", "flux_pro_11", "x [fluxq:error=CONTENT_BLOCKED] [fluxq:run=1]", "--json")

    assert result.exit_code == scripted.exit_code == 1
    assert "ContentBlocked" in result.stderr
    assert result.stdout == ""
    shape = json.loads(scripted.stdout)
    assert shape["error"] == "ContentBlocked"
    assert shape["error_type"] == "CONTENT_BLOCKED"
    assert shape["request_id"].startswith("mmsu_")
    assert shape["exit_code"] == 1


def test_timeout_exits_4_and_says_how_to_resume(invoke: Invoke, tmp_path: Path) -> None:
    out = tmp_path / "my images"
    result = invoke("generate", "flux_pro_11", "slow [fluxq:run=100]", "--timeout", "5", "-o", str(out))

    assert result.exit_code == 4
    assert "WaitTimeout" in result.stderr
    request_id = result.stderr.split("task ")[1].split()[0]
    assert f"resume with `fluxq result {request_id} -m flux_pro_11 --out '{out}'`" in result.stderr

    resumed = invoke("result", request_id, "--model", "flux_pro_11", "--json", "-o", str(tmp_path))
    assert resumed.exit_code == 0, resumed.stderr
    shape = json.loads(resumed.stdout)
    assert shape["request_id"] == request_id
    assert Path(shape["paths"][0]).exists()


def test_status_result_and_cancel(invoke: Invoke, provider: Provider) -> None:
    submitted = fluxq_submit(provider)

    status = invoke("status", submitted, "--model", "flux_pro_11", "--json")
    plain = invoke("status", submitted, "-m", "flux_pro_11")
    cancel = invoke("cancel", submitted, "-m", "flux_pro_11")
    again = invoke("cancel", submitted, "-m", "flux_pro_11", "--json")
    final = invoke("status", submitted, "-m", "flux_pro_11", "--json")
    result = invoke("result", submitted, "-m", "flux_pro_11")

    assert json.loads(status.stdout) == {"request_id": submitted, "status": "IN_QUEUE", "queue_position": 0}
    assert plain.stdout.strip() == "queued, 1st in line"  # the API's 0 tasks ahead, counted from 1
    assert cancel.stdout.strip() == "cancel requested"
    assert json.loads(again.stdout) == {"request_id": submitted, "cancel": "already_completed"}
    assert json.loads(final.stdout)["error_type"] == "CANCELED"
    assert result.exit_code == 1


def fluxq_submit(provider: Provider) -> str:
    """Submit a slow task through the library on the same provider; return its id."""
    with fluxq.Client(
        KEY, base_url="http://testserver/model", transport=SyncASGIBridge(provider.app)
    ) as client:
        return client.submit("flux_pro_11", prompt="slow [fluxq:queue=50] [fluxq:run=50]").request_id


def test_result_prints_urls_and_status_shows_progress(invoke: Invoke, provider: Provider) -> None:
    request_id = fluxq_submit(provider)
    provider.clock.advance(60)

    running = invoke("status", request_id, "-m", "flux_pro_11")
    provider.clock.advance(60)
    done = invoke("status", request_id, "-m", "flux_pro_11", "--json")
    result = invoke("result", request_id, "-m", "flux_pro_11")

    assert running.stdout.strip() == "running"
    assert json.loads(done.stdout)["ok"] is True
    assert result.stdout.strip().startswith("http://testserver/model/files/")


@pytest.mark.parametrize(
    ("args", "code"),
    [(["status", "mmsu_unknown", "-m", "flux_pro_11"], 3), (["status", "x", "-m", "flux_nope"], 2)],
)
def test_api_errors_exit_3_and_usage_errors_exit_2(invoke: Invoke, args: list[str], code: int) -> None:
    result = invoke(*args)

    assert result.exit_code == code


def test_interrupt_exits_130_and_cancels(
    provider: Provider, sync_bridge_factory: Callable[[Any], SyncASGIBridge]
) -> None:
    def interrupt(seconds: float) -> None:
        raise KeyboardInterrupt

    def make_client(connection: Connection) -> fluxq.Client:
        return fluxq.Client(
            KEY,
            base_url="http://testserver/model",
            transport=sync_bridge_factory(provider.app),
            sleep=interrupt,
        )

    result = CliRunner().invoke(build_app(make_client), ["generate", "flux_pro_11", "slow", "--api-key", KEY])

    assert result.exit_code == 130
    progress, *lines = result.stderr.splitlines()
    assert progress.endswith(": submitted")  # the progress log line (a pipe, not a terminal)
    assert len(lines) == 1, lines  # Ctrl-C: one line, not the library's warning and notes on top
    assert lines[0].startswith("fluxq: interrupted: flux_pro_11 task mmsu_")
    assert lines[0].endswith("was interrupted (sending a best-effort cancel)")
    assert "fluxq: fluxq:" not in result.stderr
    assert provider.counters.cancels_accepted == 1


def test_without_key_and_base_url_it_explains_fluxq_serve(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FLUXQ_API_KEY", raising=False)
    monkeypatch.delenv("FLUXQ_BASE_URL", raising=False)

    result = CliRunner().invoke(build_app(), ["status", "x", "-m", "flux_pro_11"])
    keyless = CliRunner().invoke(build_app(), ["status", "x", "-m", "flux_pro_11", "--provider", "odirouter"])

    assert result.exit_code == 2
    assert "fluxq serve" in result.stderr
    assert keyless.exit_code == 2
    assert "FLUXQ_API_KEY" in keyless.stderr


def test_the_key_never_appears_in_cli_output(invoke: Invoke) -> None:
    outputs = [
        invoke("generate", "flux_pro_11", "x [fluxq:error=CONTENT_BLOCKED] [fluxq:run=1]"),
        invoke("status", "mmsu_unknown", "-m", "flux_pro_11"),
        invoke("generate", "flux_pro_11", "x", "-p", "width=3"),
    ]

    assert all(KEY not in result.output for result in outputs)


def test_serve_and_conformance_are_commands_of_the_app_with_defaults_shown(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["serve", "-h"]) == 0
    serve_help = capsys.readouterr().out
    assert "Usage: fluxq serve" in serve_help
    assert "[default: 8765]" in serve_help
    assert main(["conformance", "--help"]) == 0
    conformance_help = capsys.readouterr().out
    assert "Usage: fluxq conformance" in conformance_help
    assert "[default: 10]" in conformance_help


def test_usage_errors_of_optional_commands_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["serve", "--port", "not-a-number"]) == 2
    assert "Invalid value for '--port'" in capsys.readouterr().err
    assert main(["conformance", "--base-url", "http://127.0.0.1:9/model", "--cassettes", "x"]) == 2
    assert "exclude each other" in capsys.readouterr().err


def test_version_comes_from_the_installed_metadata(capsys: pytest.CaptureFixture[str]) -> None:
    from importlib.metadata import version

    assert main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"fluxq {version('fluxq')}"


def test_missing_conformance_extra_exits_2(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "fluxq_conformance.cli", None)

    assert main(["conformance", "--help"]) == 2
    assert "pip install 'fluxq[conformance]'" in capsys.readouterr().err


def test_help_lists_exit_codes_and_main_returns_codes(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == 0
    assert "130 interrupted" in capsys.readouterr().out
    assert main(["no-such-command"]) == 2


def test_help_imports_no_http_or_models() -> None:
    probe = (
        "import sys, contextlib, io\n"
        "from fluxq.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    code = main(['--help'])\n"
        "heavy = ('httpx', 'pydantic', 'fluxq_api', 'fluxq_models', 'fluxq_conformance', 'rich.markdown')\n"
        "heavy = [m for m in heavy if m in sys.modules]\n"
        "print(code, heavy)\n"
    )
    completed = subprocess.run(  # noqa: S603 - this interpreter on a fixed probe
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60
    )

    assert completed.stdout.strip() == "0 []"


def test_import_fluxq_is_lazy_and_never_loads_conformance() -> None:
    probe = (
        "import sys, fluxq\n"
        "before = 'httpx' in sys.modules\n"
        "import fluxq._client, fluxq.cli, fluxq._cli_support\n"
        "print(before, 'fluxq_conformance' in sys.modules)\n"
    )
    completed = subprocess.run(  # noqa: S603 - this interpreter on a fixed probe
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60
    )

    assert completed.stdout.strip() == "False False"


def test_unwritable_output_directory_exits_2_before_submitting(
    invoke: Invoke, provider: Provider, tmp_path: Path
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")

    result = invoke("generate", "flux_pro_11", "apple [fluxq:run=1]", "-o", str(blocker / "out"))

    assert result.exit_code == 2
    assert "--out" in result.stderr
    assert "cannot write there" in result.stderr
    assert provider.counters.total_requests() == 0  # refused before the billed submit


def test_an_image_that_is_a_directory_exits_2_before_submitting(
    invoke: Invoke, provider: Provider, tmp_path: Path
) -> None:
    result = invoke("generate", "flux_kontext_pro", "cat", "--image", str(tmp_path), "-o", str(tmp_path))

    assert result.exit_code == 2
    assert "input_image: cannot read image file" in result.stderr
    assert provider.counters.total_requests() == 0


@pytest.mark.parametrize("value", ["-1", "0", "nan"])
def test_a_bad_timeout_exits_2_before_submitting(
    invoke: Invoke, provider: Provider, tmp_path: Path, value: str
) -> None:
    result = invoke("generate", "flux_pro_11", "apple", "--timeout", value, "-o", str(tmp_path))

    assert result.exit_code == 2
    assert "--timeout must be a positive number of seconds" in result.stderr
    assert provider.counters.total_requests() == 0


class Terminal(io.StringIO):
    """A captured stderr that claims to be a terminal."""

    def isatty(self) -> bool:
        return True


def test_on_a_terminal_progress_is_one_live_line(monkeypatch: pytest.MonkeyPatch) -> None:
    from fluxq.cli import _Progress

    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    progress = _Progress("flux_pro_11 mmsu_x", quiet=False)

    with progress.live():
        progress.update(fluxq.Queued("mmsu_x", 2))

    assert "flux_pro_11 mmsu_x: queued, 3rd in line · " in terminal.getvalue()
    assert "flux_pro_11 mmsu_x: queued, 3rd in line\n" not in terminal.getvalue()  # no plain log line


def test_unexpected_errors_are_not_hidden_behind_an_exit_code() -> None:
    from fluxq._cli_support import exit_code_for

    with pytest.raises(RuntimeError, match="bug"):
        exit_code_for(RuntimeError("bug"))


def test_progress_keeps_a_final_line_with_the_id_and_the_time(invoke: Invoke, tmp_path: Path) -> None:
    result = invoke("generate", "flux_pro_11", "apple [fluxq:queue=2] [fluxq:run=3]", "-o", str(tmp_path))

    assert result.exit_code == 0, result.stderr
    first, *_, last = result.stderr.strip().splitlines()
    assert first.startswith("flux_pro_11 mmsu_")  # the id, before the first poll
    assert first.endswith(": submitted")
    assert last.startswith(first.removesuffix("submitted"))
    assert ": completed · " in last
    assert last.endswith(" s")


def test_an_unknown_id_asks_whether_the_model_is_right(invoke: Invoke) -> None:
    result = invoke("status", "mmsu_unknown", "-m", "flux_pro_11")

    assert result.exit_code == 3
    assert "testserver does not know this task under flux_pro_11: is it the right --model?" in result.stderr


def test_a_refused_connection_names_the_host_and_fluxq_serve() -> None:
    result = CliRunner().invoke(
        build_app(),
        ["status", "mmsu_x", "-m", "flux_pro_11", "--base-url", "http://127.0.0.1:9/model"],
        env={"FLUXQ_API_KEY": KEY},
    )

    assert result.exit_code == 3
    assert "could not talk to 127.0.0.1:9: is `fluxq serve` running there?" in result.stderr


def test_a_base_url_without_model_gets_a_hint(invoke_at: Callable[..., Result]) -> None:
    result = invoke_at("http://testserver", "generate", "flux_pro_11", "apple")

    assert result.exit_code == 3
    assert "does the base URL end in /model? (it is http://testserver)" in result.stderr


def test_the_default_provider_is_named_when_something_goes_wrong(invoke_at: Callable[..., Result]) -> None:
    result = invoke_at(None, "status", "mmsu_unknown", "-m", "flux_pro_11")

    assert result.exit_code == 3
    assert "talking to SeaCloud (https://cloud.seaart.ai/model), the default" in result.stderr


def test_a_missing_key_names_the_option_and_the_variable() -> None:
    result = CliRunner().invoke(
        build_app(),
        ["status", "mmsu_x", "-m", "flux_pro_11", "--provider", "seacloud"],
        env={"FLUXQ_API_KEY": ""},
    )

    assert result.exit_code == 2
    assert result.stderr.strip() == "fluxq: no API key: pass --api-key KEY or set FLUXQ_API_KEY"


@pytest.fixture
def invoke_at(
    provider: Provider, sync_bridge_factory: Callable[[Any], SyncASGIBridge]
) -> Callable[..., Result]:
    """Run the CLI at a given base URL (``None``: none given) against the in-process provider.

    The provider only serves under ``/model``; the bridge forwards the path the client asked for.
    """

    def run(base_url: str | None, *args: str) -> Result:
        def make_client(connection: Connection) -> fluxq.Client:
            return fluxq.Client(
                connection.api_key,
                base_url=connection.base_url or "http://testserver/model",
                transport=sync_bridge_factory(provider.app),
                clock=provider.clock,
                sleep=provider.clock.sleep_sync,
            )

        where = ["--base-url", base_url] if base_url else []
        env = {"FLUXQ_BASE_URL": "", "FLUXQ_API_KEY": KEY}
        return CliRunner().invoke(build_app(make_client), [*args, *where], env=env)

    return run
