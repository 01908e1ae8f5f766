"""The suite against the reference provider, broken variants of it, and faithful-but-different ones."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from variants import BROKEN, CHOICE, FAITHFUL, TOLERATED, Variant

from fluxq_conformance.checks.registry import describe
from fluxq_conformance.core.results import Outcome, RunReport
from fluxq_reference import DEMO_API_KEY, Duration, ModelTiming, same_timing

RunOn = Callable[..., RunReport]


def failures(report: RunReport) -> list[str]:
    return [f"{r.check_id} {r.operation}: {r.message}" for r in report.results if r.outcome is Outcome.FAILED]


def test_reference_provider_passes_lifecycle_auth_outputs(run_on: RunOn) -> None:
    report = run_on()
    assert failures(report) == []
    ids = {result.check_id for result in report.results}
    for expected in (
        "auth.missing",
        "auth.wrong",
        "auth.scheme.bearer",
        "auth.scheme.key",
        "lifecycle.identity",
        "lifecycle.monotonic",
        "lifecycle.result_202_until_done",
        "lifecycle.cancel",
        "lifecycle.cancel_terminal",
        "lifecycle.unknown_id",
        "lifecycle.deadline",
        "lifecycle.queue_position",
        "lifecycle.failure.CONTENT_BLOCKED",
        "lifecycle.documented_response",
        "outputs.image",
        "outputs.size",
    ):
        assert expected in ids
    assert report.exit_code() == 0


@pytest.mark.parametrize("variant", BROKEN, ids=lambda variant: variant.name)
def test_broken_variant_is_caught_by_its_check(run_on: RunOn, variant: Variant) -> None:
    report = run_on(lambda app: variant.wrap(app, DEMO_API_KEY), sections=variant.sections)
    assert variant.caught_by in report.failed_ids(), failures(report)
    assert all(describe(check_id) for check_id in report.failed_ids())
    caught = [r for r in report.results if r.outcome is Outcome.FAILED and r.check_id == variant.caught_by]
    assert {r.basis for r in caught} <= {"documented", "evidence"}
    assert report.exit_code() == 1


@pytest.mark.parametrize("variant", FAITHFUL, ids=lambda variant: variant.name)
def test_faithful_variant_passes(run_on: RunOn, variant: Variant) -> None:
    report = run_on(lambda app: variant.wrap(app, DEMO_API_KEY))
    assert failures(report) == []
    warned = [f"{r.check_id}: {r.message}" for r in report.results if r.outcome is Outcome.WARNING]
    assert warned == []  # no false warning either: strict mode passes
    assert report.exit_code(strict=True) == 0
    if variant.name.startswith("cancel unsupported"):
        cancels = [r for r in report.results if r.check_id == "lifecycle.cancel"]
        assert cancels
        assert all(r.outcome is Outcome.UNSUPPORTED for r in cancels)
    if variant.name.startswith("429"):
        waited = [r for r in report.results if r.check_id == "lifecycle.retry_after"]
        assert any(r.outcome is Outcome.PASSED for r in waited)


def test_key_only_slower_provider_passes_and_bearer_is_skipped(run_on: RunOn) -> None:
    slow = same_timing(ModelTiming(queue=Duration.fixed(0.5), run=Duration.fixed(3.0)))
    report = run_on(auth_schemes=("key",), timings=slow)
    assert failures(report) == []
    assert report.settings["auth"] == "key"
    bearer = [r for r in report.results if r.check_id == "auth.scheme.bearer"]
    assert bearer
    assert all(r.outcome is Outcome.SKIPPED for r in bearer)


@pytest.mark.parametrize("variant", TOLERATED, ids=lambda variant: variant.name)
def test_tolerated_deviation_is_a_warning_not_a_failure(run_on: RunOn, variant: Variant) -> None:
    report = run_on(lambda app: variant.wrap(app, DEMO_API_KEY), sections=variant.sections)
    assert failures(report) == []
    warned = {r.check_id for r in report.results if r.outcome is Outcome.WARNING}
    assert variant.caught_by in warned
    assert report.exit_code() == 0


@pytest.mark.parametrize("variant", CHOICE, ids=lambda variant: variant.name)
def test_choice_variant_warns_and_strict_fails(run_on: RunOn, variant: Variant) -> None:
    report = run_on(lambda app: variant.wrap(app, DEMO_API_KEY), sections=variant.sections)
    assert failures(report) == []
    warned = [r for r in report.results if r.outcome is Outcome.WARNING and r.check_id == variant.caught_by]
    assert warned, report.totals()
    assert all(r.basis == "choice" for r in warned)
    assert report.exit_code() == 0
    assert report.exit_code(strict=True) == 1
