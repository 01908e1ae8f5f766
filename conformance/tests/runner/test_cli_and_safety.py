"""The CLI's exit codes and reports, secrets kept out of every file, task caps and Ctrl-C cleanup."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest
import vcr.errors

from fluxq_conformance.cassettes.record import NetworkBlocked, block_network
from fluxq_conformance.cassettes.replay import play_cassette
from fluxq_conformance.cli import main
from fluxq_conformance.core.results import Outcome
from fluxq_conformance.core.session import Clock
from fluxq_conformance.run.driver import Pacing
from fluxq_conformance.run.runner import RunSettings, run_conformance
from fluxq_conformance.run.targets import Target, app_target, reference_config
from fluxq_reference import FakeClock, create_app
from fluxq_reference.server import serve_in_thread

SECRET = "sk-fluxq-DISTINCTIVE-8d1f0c"
FAST = ["--poll-interval", "0.05", "--deadline", "20"]


@pytest.fixture(autouse=True)
def in_a_temporary_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run every CLI test in its own empty working directory, so nothing it writes lands in the checkout."""
    monkeypatch.chdir(tmp_path)


def test_list_checks_prints_the_catalog(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--list-checks"]) == 0
    out = capsys.readouterr().out
    assert "lifecycle.result_202_until_done" in out
    assert "client.parses_responses" in out


def test_help_exits_zero(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == 0
    assert "--max-tasks" in capsys.readouterr().out


@pytest.mark.parametrize(
    "argv",
    [
        ["--only", "nothing"],
        ["--base-url", "http://127.0.0.1:9/model"],  # no key anywhere
        ["--base-url", "http://127.0.0.1:9/model", "--api-key", "k", "--provider", "seacloud"],
        ["--max-examples", "0"],
    ],
)
def test_bad_arguments_exit_two_with_one_line(
    argv: list[str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("FLUXQ_API_KEY", raising=False)
    assert main(argv) == 2
    assert len(capsys.readouterr().err.strip().splitlines()) == 1


def test_unreachable_target_exits_two(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--base-url", "http://127.0.0.1:9/model", "--api-key", SECRET]) == 2
    err = capsys.readouterr().err
    assert "unreachable" in err
    assert SECRET not in err


def test_refused_key_exits_two(capsys: pytest.CaptureFixture[str]) -> None:
    with serve_in_thread(create_app(reference_config())) as base_url:
        assert main(["--base-url", base_url, "--api-key", SECRET, "--only", "auth"]) == 2
    assert "refused" in capsys.readouterr().err


def test_no_secret_in_any_written_file_and_replay_works_offline(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cassettes, reports = tmp_path / "cassettes", tmp_path / "reports"
    reports.mkdir()
    app = create_app(reference_config(api_keys=(SECRET,)))
    with serve_in_thread(app) as base_url:
        code = main(
            [
                *("--base-url", base_url, "--api-key", SECRET, "--only", "auth,lifecycle,outputs", *FAST),
                *("--record", str(cassettes), "--report-json", str(reports / "r.json")),
                *("--junit", str(reports / "r.xml"), "--html", str(reports / "r.html")),
            ]
        )
    assert code == 0
    assert SECRET not in capsys.readouterr().out
    written = [path for path in tmp_path.rglob("*") if path.is_file()]
    assert len(written) == 4
    for path in written:
        assert SECRET.encode() not in path.read_bytes(), path
    cassette_text = (cassettes / "run.yaml").read_text()
    assert "$FLUXQ_API_KEY" in cassette_text
    report = json.loads((reports / "r.json").read_text())
    assert report["totals"]["failed"] == 0
    assert any("$FLUXQ_API_KEY" in (c["reproduction"] or {}).get("curl", "") for c in report["checks"])
    # The provider is gone: the replay can only succeed from the cassette.
    assert main(["--cassettes", str(cassettes), "--report-json", str(reports / "replay.json")]) == 0
    replayed = json.loads((reports / "replay.json").read_text())
    ids = {check["id"] for check in replayed["checks"] if check["outcome"] == "passed"}
    assert {"lifecycle.identity", "lifecycle.cancel", "outputs.size", "auth.missing"} <= ids


def test_network_is_blocked_during_replay(tmp_path: Path) -> None:
    with serve_in_thread(create_app(reference_config())) as base_url:
        with block_network(), pytest.raises((NetworkBlocked, httpx.ConnectError)):
            httpx.get(base_url + "/v1/queue/flux_pro_11/requests/x/status")
        cassette = tmp_path / "one.yaml"
        cassette.write_text("interactions: []\nversion: 1\n")
        assert play_cassette(cassette) == []


def test_replay_refuses_requests_missing_from_the_cassette(tmp_path: Path) -> None:
    from fluxq_conformance.cassettes.record import make_vcr

    cassette = tmp_path / "empty.yaml"
    cassette.write_text("interactions: []\nversion: 1\n")
    with (
        block_network(),
        make_vcr((), "none").use_cassette(str(cassette)),
        pytest.raises(vcr.errors.CannotOverwriteExistingCassetteException),
    ):
        httpx.get("http://127.0.0.1:9/model/v1/queue/flux_pro_11/requests/x/status")


def _live_settings(max_tasks: int | None) -> RunSettings:
    return RunSettings(
        sections=("lifecycle",),
        max_tasks=max_tasks,
        pacing=Pacing(poll_interval=0.05, deadline=20.0),
        workers=1,
    )


def test_max_tasks_caps_what_a_live_target_creates() -> None:
    clock = FakeClock(start=0.0)
    app = create_app(reference_config(clock=clock, sleep=clock.sleep))
    with app_target(app) as served:
        live = Target("live", served.base_url, served.api_key, live=True, markers=False)
        report = run_conformance(live, _live_settings(2), clock=Clock(now=clock, sleep=clock.advance))
    assert app.state.provider.counters.tasks_created == 2
    skipped = [r for r in report.results if r.outcome is Outcome.SKIPPED and "max-tasks" in r.message]
    # 6 scenarios (3 models x success, cancel) and 3 boundary probes, 2 created: 4 scenarios and the 3
    # probes not run, each reported on every check that needs it (success: result_202_until_done and
    # cancel_terminal; cancel: cancel; probe: boundary_accepted).
    assert len({(r.model, r.message) for r in skipped}) == 7
    assert {r.check_id for r in skipped} <= {
        "lifecycle.result_202_until_done",
        "lifecycle.cancel_terminal",
        "lifecycle.cancel",
        "lifecycle.boundary_accepted",
    }
    failures = {r.check_id for r in report.results if r.check_id.startswith("lifecycle.failure.")}
    assert failures
    assert all(
        r.outcome is Outcome.SKIPPED for r in report.results if r.check_id.startswith("lifecycle.failure.")
    )


def test_ctrl_c_cancels_the_tasks_it_created() -> None:
    clock = FakeClock(start=0.0)
    app = create_app(reference_config(clock=clock, sleep=clock.sleep))

    def interrupt(_seconds: float) -> None:
        raise KeyboardInterrupt

    with app_target(app) as target, pytest.raises(KeyboardInterrupt):
        run_conformance(target, _live_settings(None), clock=Clock(now=clock, sleep=interrupt))
    counters = app.state.provider.counters
    assert counters.tasks_created >= 1
    assert counters.cancels_accepted == counters.tasks_created


def test_default_target_passes_every_section(tmp_path: Path) -> None:
    report_path = tmp_path / "report.json"
    code = main(["--max-examples", "3", "--stateful-steps", "5", "--report-json", str(report_path)])
    report = json.loads(report_path.read_text())
    failed = [
        f"{c['id']} {c['operation']}: {c['message']}" for c in report["checks"] if c["outcome"] == "failed"
    ]
    assert failed == []
    assert code == 0
    families = {check["id"].split(".", 1)[0] for check in report["checks"]}
    assert families == {"auth", "lifecycle", "outputs", "schema", "client"}
    assert all(report["catalog"][check["id"]] for check in report["checks"])
    schema_checks = {check["id"] for check in report["checks"] if check["id"].startswith("schema.")}
    assert "schema.response_schema_conformance" in schema_checks
    assert "schema.negative_data_rejection" in schema_checks


def test_schema_checks_create_no_task_on_a_live_target() -> None:
    app = create_app(reference_config())
    with app_target(app) as served:
        live = Target("live", served.base_url, served.api_key, live=True, markers=False)
        settings = RunSettings(sections=("schema",), max_examples=2, stateful_steps=2)
        report = run_conformance(live, settings)
    assert app.state.provider.counters.tasks_created == 0
    # Only the invalid-submit probes (refused, no task) touch submit; schemathesis does not.
    submits = {r.check_id for r in report.results if r.operation and r.operation.startswith("submit_")}
    assert submits == {"schema.probe_invalid_refused"}
    assert any("--allow-fuzz-submit" in note for note in report.notes)
