"""Fixtures of the conformance suite's own tests: reference providers on a manual clock, run helpers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

from fluxq_conformance.core.results import RunReport
from fluxq_conformance.core.session import Clock
from fluxq_conformance.run.driver import Pacing
from fluxq_conformance.run.runner import RunSettings, run_conformance
from fluxq_conformance.run.targets import app_target, reference_config
from fluxq_reference import DEMO_API_KEY, FakeClock, create_app

settings.register_profile(
    "conformance",
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large],
)

#: Reduced depth for the tests (the default run uses 10 examples per operation).
TEST_EXAMPLES = 3
SLOW_MARKER = "[fluxq:queue=0.2] [fluxq:run=5]"
#: Readings of the shared fake clock at one instant before a run fails as stuck: a polling loop that
#: stopped sleeping fails at once instead of spinning until pytest-timeout.
STALL_LIMIT = 2000

RunOn = Callable[..., RunReport]


@pytest.fixture
def run_on() -> RunOn:
    """Run the suite against an ASGI app built from the reference provider, on a manual clock.

    ``run_on(wrap=None, sections=..., api_key=..., **config_overrides)``: ``wrap(app)`` returns the
    app to serve (a mutant); the provider and the suite share one `FakeClock`, so no test sleeps.
    """

    def run(
        wrap: Callable[[Any], Any] | None = None,
        *,
        sections: tuple[str, ...] = ("auth", "lifecycle", "outputs"),
        api_key: str = DEMO_API_KEY,
        **overrides: Any,
    ) -> RunReport:
        clock = FakeClock(start=1000.0, stall_limit=STALL_LIMIT)
        config = reference_config(clock=clock, sleep=clock.sleep, api_keys=(api_key,), **overrides)
        app = create_app(config)
        served = wrap(app) if wrap is not None else app
        run_settings = RunSettings(
            sections=sections,
            max_examples=TEST_EXAMPLES,
            stateful_steps=5,
            pacing=Pacing(poll_interval=0.05, deadline=20.0, slow_marker=SLOW_MARKER),
            workers=1,
        )
        with app_target(served, api_key=api_key) as target:
            return run_conformance(target, run_settings, clock=Clock(now=clock, sleep=clock.advance))

    return run
