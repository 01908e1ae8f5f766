"""The issue's "done when", as a user runs it: `fluxq conformance --base-url` against served variants.

Real clock, live mode (task cap, no prompt markers, live pacing shortened by --poll-interval), the
sections that drive tasks; each run must end with a report and the documented exit code.
"""

from __future__ import annotations

import pytest
from variants import ALL_FAITHFUL, BROKEN, CHOICE, Variant

from fluxq_conformance.cli import main
from fluxq_conformance.run.targets import reference_config
from fluxq_reference import DEMO_API_KEY, create_app
from fluxq_reference.server import serve_in_thread

LIVE = ("--only", "auth,lifecycle,outputs", "--poll-interval", "0.1", "--deadline", "30")


def _run(variant: Variant, *extra: str) -> int:
    app = variant.wrap(create_app(reference_config()), DEMO_API_KEY)
    with serve_in_thread(app) as base_url:
        return main(["--base-url", base_url, "--api-key", DEMO_API_KEY, *LIVE, *extra])


def _variant(group: tuple[Variant, ...], name: str) -> Variant:
    return next(variant for variant in group if variant.name == name)


def test_a_provider_differing_in_every_allowed_way_exits_0_even_strict(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code = _run(ALL_FAITHFUL, "--strict")
    out = capsys.readouterr()
    assert code == 0, out.out[-3000:]
    assert "Traceback" not in out.out + out.err


def test_a_choice_difference_warns_exit_0_and_1_with_strict(capsys: pytest.CaptureFixture[str]) -> None:
    variant = _variant(CHOICE, "ids that do not match")
    assert _run(variant) == 0
    assert variant.caught_by in capsys.readouterr().out
    assert _run(variant, "--strict") == 1


def test_a_broken_documented_rule_exits_1_naming_the_rule(capsys: pytest.CaptureFixture[str]) -> None:
    variant = _variant(BROKEN, "result without metadata")
    assert _run(variant) == 1
    assert variant.caught_by in capsys.readouterr().out
