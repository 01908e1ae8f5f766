"""``fluxq conformance --protocol generation``: the reference provider passes, every broken variant is
caught by the check it breaks, and the command passes against ``fluxq serve`` (a subprocess on 127.0.0.1)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from generation_variants import BROKEN, FAITHFUL, GenerationVariant

from fluxq.cli import main as fluxq_main
from fluxq_conformance.checks.registry import Basis, describe, lookup
from fluxq_conformance.core.results import Outcome, RunReport
from fluxq_conformance.core.session import Clock
from fluxq_conformance.run.driver import Pacing
from fluxq_conformance.run.generation import run_generation_conformance
from fluxq_conformance.run.runner import RunSettings
from fluxq_conformance.run.targets import app_target, reference_config
from fluxq_reference import DEMO_API_KEY, FakeClock, create_app

RunGeneration = Callable[..., RunReport]


@pytest.fixture
def run_generation() -> RunGeneration:
    """Run the generation suite against the reference provider (optionally wrapped), on a manual clock."""

    def run(
        wrap: Callable[[Any], Any] | None = None,
        *,
        sections: tuple[str, ...] = ("auth", "lifecycle", "outputs"),
    ) -> RunReport:
        clock = FakeClock(start=1000.0)
        app = create_app(reference_config(clock=clock, sleep=clock.sleep))
        settings = RunSettings(
            sections=sections,
            max_examples=3,
            stateful_steps=3,
            pacing=Pacing(poll_interval=0.05, deadline=20.0),
            workers=1,
        )
        with app_target(wrap(app) if wrap else app) as target:
            return run_generation_conformance(target, settings, clock=Clock(now=clock, sleep=clock.advance))

    return run


def failures(report: RunReport) -> list[str]:
    return [f"{r.check_id} {r.model}: {r.message}" for r in report.results if r.outcome is Outcome.FAILED]


def test_the_reference_provider_passes_every_generation_check(run_generation: RunGeneration) -> None:
    report = run_generation(sections=("auth", "lifecycle", "outputs", "schema"))
    assert failures(report) == []
    ids = {result.check_id for result in report.results}
    expected = {
        "auth.generation.missing",
        "auth.generation.wrong",
        "lifecycle.generation.created",
        "lifecycle.generation.statuses",
        "lifecycle.generation.forward_only",
        "lifecycle.generation.final",
        "lifecycle.generation.identity",
        "lifecycle.generation.finishes",
        "lifecycle.generation.failure",
        "lifecycle.generation.unknown_id",
        "lifecycle.generation.invalid_refused",
        "outputs.generation.present",
        "outputs.generation.usage",
        "outputs.generation.image",
        "schema.generation.replies",
        "schema.generation.not_a_server_error",
        "schema.generation.response_schema_conformance",
    }
    assert expected <= ids
    passed = {r.check_id for r in report.results if r.outcome is Outcome.PASSED}
    assert expected <= passed  # none of them merely skipped on a target where failures can be forced
    assert {r.model for r in report.results if r.check_id == "outputs.generation.usage"} == {
        "flux_kontext_pro",
        "flux_pro_11",
        "flux_2_pro",
    }
    assert report.exit_code() == 0


@pytest.mark.parametrize("variant", BROKEN, ids=lambda variant: variant.name)
def test_each_broken_variant_fails_naming_its_check(
    run_generation: RunGeneration, variant: GenerationVariant
) -> None:
    report = run_generation(variant.wrap, sections=variant.sections)
    declared = lookup(variant.caught_by)
    assert declared is not None
    flagged = report.failed_ids()
    if declared.basis is Basis.CHOICE:
        # a fluxq choice may be reported as a warning once verdicts are tiered (contract §8)
        flagged |= {r.check_id for r in report.results if r.outcome is Outcome.WARNING}
    assert variant.caught_by in flagged, failures(report)
    assert all(describe(check_id) for check_id in report.failed_ids())
    if declared.basis is not Basis.CHOICE:
        assert report.exit_code() == 1


@pytest.mark.parametrize("variant", FAITHFUL, ids=lambda variant: variant.name)
def test_a_faithful_variant_gets_no_finding(
    run_generation: RunGeneration, variant: GenerationVariant
) -> None:
    report = run_generation(variant.wrap, sections=variant.sections)
    flagged = [r for r in report.results if r.outcome in (Outcome.FAILED, Outcome.WARNING, Outcome.ERROR)]
    assert flagged == [], [f"{r.check_id}: {r.message}" for r in flagged]


def test_the_command_passes_against_fluxq_serve(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    serve = subprocess.Popen(
        [sys.executable, "-m", "fluxq_reference.cli", "--port", "0", "--fast"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    report_path = tmp_path / "report.json"
    try:
        assert serve.stdout is not None
        base_url = serve.stdout.readline().rsplit(" ", 1)[-1].strip()
        assert base_url.startswith("http://127.0.0.1:")
        deadline = time.monotonic() + 10
        while True:
            try:
                httpx.get(base_url + "/v1/generation/task/x", timeout=1)
                break
            except httpx.ConnectError:
                assert time.monotonic() < deadline, "fluxq serve did not come up"
                time.sleep(0.05)
        code = fluxq_main(
            [
                "conformance",
                "--protocol",
                "generation",
                "--base-url",
                base_url,
                "--api-key",
                DEMO_API_KEY,
                "--poll-interval",
                "0.1",
                "--deadline",
                "30",
                "--max-examples",
                "3",
                "--stateful-steps",
                "3",
                "--allow-fuzz-submit",
                "--report-json",
                str(report_path),
            ]
        )
    finally:
        os.kill(serve.pid, signal.SIGINT)
        serve.communicate(timeout=10)
    out = capsys.readouterr().out
    assert code == 0, out
    report = json.loads(report_path.read_text(encoding="utf-8"))
    assert report["settings"]["protocol"] == "generation"
    outcomes: dict[str, set[str]] = {}
    for row in report["checks"]:
        outcomes.setdefault(row["id"], set()).add(row["outcome"])
    assert outcomes["outputs.generation.usage"] == {"passed"}
    assert outcomes["outputs.generation.image"] == {"passed"}
    assert outcomes["lifecycle.generation.failure"] == {"skipped"}  # live target: failures cannot be forced
    assert DEMO_API_KEY not in report_path.read_text(encoding="utf-8")


def test_usage_errors_of_the_protocol_option(capsys: pytest.CaptureFixture[str]) -> None:
    assert fluxq_main(["conformance", "--protocol", "grpc"]) == 2
    assert "--protocol must be queue or generation" in capsys.readouterr().err
    assert fluxq_main(["conformance", "--protocol", "generation", "--only", "client"]) == 2
    assert "--protocol generation runs the sections" in capsys.readouterr().err
