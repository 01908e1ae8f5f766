"""schemathesis, in-process: every operation, every built-in check, and the stateful phase over links.

The provider runs on a clock that ticks a little on every reading, so the generated calls see
tasks in every state (queued, running, done) without any real waiting.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import schemathesis
from hypothesis import HealthCheck, settings
from starlette.applications import Starlette

from fluxq_reference import Duration, ModelTiming, ProviderConfig, create_app, same_timing
from fluxq_spec import spec_path

MAX_EXAMPLES = 15
STATEFUL_EXAMPLES = 20
STATEFUL_STEPS = 8

#: The shipped configuration at the repository root (what a plain `st run` from there reads).
CONFIG_PATH = Path(__file__).resolve().parents[3] / "schemathesis.toml"


class TickingClock:
    """A clock that moves forward by ``step`` seconds every time it is read."""

    def __init__(self, step: float = 0.25) -> None:
        self._now = 0.0
        self._step = step

    def __call__(self) -> float:
        self._now += self._step
        return self._now


def _app() -> Starlette:
    timing = ModelTiming(Duration.uniform(0.0, 1.0), Duration.uniform(0.5, 2.0))
    return create_app(ProviderConfig(clock=TickingClock(), timings=same_timing(timing), workers=2))


schema = schemathesis.openapi.from_path(str(spec_path()), config=schemathesis.Config.from_path(CONFIG_PATH))
schema.app = _app()


@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
def test_every_operation_passes_every_check(case: Any) -> None:
    case.call_and_validate()


ProviderStateMachine = schema.as_state_machine()
ProviderStateMachine.TestCase.settings = settings(
    max_examples=STATEFUL_EXAMPLES,
    stateful_step_count=STATEFUL_STEPS,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
TestStatefulLinks = ProviderStateMachine.TestCase
